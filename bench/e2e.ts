/**
 * `npm run bench`, second part: the App end to end, the real server (`src/main.ts`) against the
 * GitHub double on loopback (test/e2e/github-double.ts).
 *
 * 1. GitHub requests per run for a 10-file and a 100-file pull request (target ≤ 8, the same for both).
 * 2. With Octokit's real write pacing (about 1 s between writes, as GitHub asks), median and p95
 *    over repeated runs of: webhook → `in_progress` check visible (< 1 s); webhook → check
 *    completed for 10 and 100 files, beside the floor the pacing imposes on that run (the paced
 *    requests it made, one second apart); what memlint adds above the floor (< 1 s for 100 files).
 * 3. Peak RSS of the server over 500 pull requests (< 300 MB, flat after warm-up), with short pacing.
 */
import { rmSync } from "node:fs";
import type { GitHubDouble, RequestRecord } from "../test/e2e/github-double.js";
import { GitHubDouble as Double } from "../test/e2e/github-double.js";
import { type AppProcess, memoryOf, sendWebhook, startApp } from "../test/e2e/harness.js";
import { cleanFile, completedCheck, leakyFile, newRepo, openPull, READER, SRC } from "../test/e2e/scenario.js";

export interface BenchRow {
  measure: string;
  value: string;
  target: string;
  ok: boolean | undefined;
}

const WRITE_INTERVAL_MS = 1000;

/** Stops a server and removes the state directory the harness made for it (the benchmark keeps nothing in /tmp). */
async function stop(app: AppProcess): Promise<void> {
  await app.stop();
  rmSync(app.stateDir, { recursive: true, force: true });
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

let owners = 0;

/** A pull request of `files` Go files (a third with a finding) in a fresh installation. */
function pullWith(double: GitHubDouble, files: number): { full: string; head: string; installation: number } {
  const n = ++owners;
  const installation = 200_000 + n;
  const base: Record<string, string> = {};
  const changes: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    const pkg = `pkg${i % 10}`;
    base[`${pkg}/f${i}.go`] = cleanFile(i, pkg);
    changes[`${pkg}/f${i}.go`] = i % 3 === 0 ? leakyFile(i, pkg) : cleanFile(i + 10_000, pkg);
  }
  const full = newRepo(double, base, { owner: `bench${n}`, installation });
  return { full, head: openPull(double, full, 1, changes), installation };
}

interface Timing {
  requests: RequestRecord[];
  inProgressMs: number;
  completedMs: number;
  floorMs: number;
}

/** Paced requests: writes and GraphQL (Octokit's write group), not the token. */
const paced = (r: RequestRecord) => r.endpoint !== "token" && (r.method !== "GET" || r.endpoint === "config" || r.endpoint === "contents" || r.endpoint === "threads");

async function timeOne(double: GitHubDouble, app: AppProcess, files: number): Promise<Timing> {
  const { full, head, installation } = pullWith(double, files);
  const start = double.requests.length;
  const sent = Date.now();
  await sendWebhook(app, "pull_request", double.pullRequestEvent(full, 1));
  const check = await completedCheck(double, full, head, 60_000);
  const requests = double.requests.slice(start).filter((r) => r.installation === installation || r.path.startsWith(`/app/installations/${installation}/`));
  const created = requests.find((r) => r.endpoint === "check-create")!;
  const writes = requests.filter(paced).length;
  return { requests, inProgressMs: created.at - sent, completedMs: check.completedAt! - sent, floorMs: Math.max(0, writes - 1) * WRITE_INTERVAL_MS };
}

async function requestCounts(rows: BenchRow[]): Promise<void> {
  const double = await Double.start();
  const app = await startApp(double);
  try {
    const counts: number[] = [];
    for (const files of [10, 100]) {
      const t = await timeOne(double, app, files);
      await new Promise((r) => setTimeout(r, 200));
      counts.push(t.requests.length);
      const kinds = t.requests.map((r) => r.endpoint).join(", ");
      rows.push({ measure: `GitHub requests, ${files}-file pull request`, value: `${t.requests.length} (${kinds})`, target: "≤ 8", ok: t.requests.length <= 8 });
    }
    rows.push({ measure: "requests 100 files / 10 files", value: `${counts[1]} / ${counts[0]}`, target: "equal", ok: counts[0] === counts[1] });
  } finally {
    await stop(app);
    await double.close();
  }
}

async function latencies(rows: BenchRow[], repeats: number): Promise<void> {
  const double = await Double.start();
  // Octokit's own pacing: no MEMLINT_WRITE_INTERVAL_MS.
  const app = await startApp(double, { env: { MEMLINT_WRITE_INTERVAL_MS: undefined, MEMLINT_NOTIFICATION_INTERVAL_MS: undefined, MEMLINT_REQUEST_TIMEOUT_MS: "20000" } });
  try {
    await timeOne(double, app, 10); // warm-up
    for (const files of [10, 100]) {
      const runs: Timing[] = [];
      for (let i = 0; i < repeats; i++) runs.push(await timeOne(double, app, files));
      const inProgress = runs.map((r) => r.inProgressMs);
      const completed = runs.map((r) => r.completedMs);
      const above = runs.map((r) => r.completedMs - r.floorMs);
      const floor = runs.map((r) => r.floorMs);
      if (files === 10) {
        rows.push({
          measure: `webhook → in_progress check visible (n=${repeats * 2})`,
          value: "",
          target: "",
          ok: undefined,
        });
      }
      rows.push({
        measure: `  ${files} files: webhook → in_progress`,
        value: `median ${fmt(quantile(inProgress, 0.5))}, p95 ${fmt(quantile(inProgress, 0.95))}`,
        target: "< 1 s",
        ok: quantile(inProgress, 0.95) < 1000,
      });
      rows.push({
        measure: `  ${files} files: webhook → check completed`,
        value: `median ${fmt(quantile(completed, 0.5))}, p95 ${fmt(quantile(completed, 0.95))} (pacing floor ${fmt(quantile(floor, 0.5))})`,
        target: "",
        ok: undefined,
      });
      rows.push({
        measure: `  ${files} files: memlint above the floor`,
        value: `median ${fmt(quantile(above, 0.5))}, p95 ${fmt(quantile(above, 0.95))}`,
        target: files === 100 ? "< 1 s" : "",
        ok: files === 100 ? quantile(above, 0.95) < 1000 : undefined,
      });
    }
  } finally {
    await stop(app);
    await double.close();
  }
}

async function memory(rows: BenchRow[], pulls: number): Promise<void> {
  const double = await Double.start({ contentPerMinute: 0 });
  const app = await startApp(double);
  const samples: number[] = [];
  const sampler = setInterval(() => {
    const m = memoryOf(app.child.pid!);
    if (m) samples.push(m.rssKb);
  }, 100);
  try {
    const full = newRepo(double, { [READER]: SRC.base }, { owner: "memory", installation: 300_000 });
    const batch = 10;
    for (let start = 1; start <= pulls; start += batch) {
      const numbers = Array.from({ length: Math.min(batch, pulls - start + 1) }, (_, i) => start + i);
      const heads = numbers.map((n) => openPull(double, full, n, { [READER]: SRC.head, [`batch/extra${n}.go`]: leakyFile(n), [`batch/clean${n}.go`]: cleanFile(n) }));
      await Promise.all(numbers.map((n) => sendWebhook(app, "pull_request", double.pullRequestEvent(full, n))));
      await Promise.all(heads.map((h) => completedCheck(double, full, h, 60_000)));
    }
    const final = memoryOf(app.child.pid!);
    clearInterval(sampler);
    const peakMb = (final?.peakKb ?? Math.max(...samples)) / 1024;
    const warm = samples.slice(Math.floor(samples.length / 4));
    const half = Math.floor(warm.length / 2);
    const first = Math.max(...warm.slice(0, half)) / 1024;
    const second = Math.max(...warm.slice(half)) / 1024;
    const growth = (second - first) / first;
    const completed = double.checkRunsFor(full).filter((r) => r.status === "completed").length;
    rows.push({ measure: `server peak RSS over ${pulls} pull requests`, value: `${peakMb.toFixed(0)} MB (${completed} checks completed)`, target: "< 300 MB", ok: peakMb < 300 && completed === pulls });
    rows.push({
      measure: "server RSS growth after warm-up",
      value: `${(growth * 100).toFixed(1)}% (${first.toFixed(0)} → ${second.toFixed(0)} MB)`,
      target: "< 10% (flat)",
      ok: growth < 0.1,
    });
  } finally {
    clearInterval(sampler);
    await stop(app);
    await double.close();
  }
}

/** Runs the end-to-end measures and returns their rows. */
export async function e2eBench(options: { repeats?: number; pulls?: number } = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await requestCounts(rows);
  await latencies(rows, options.repeats ?? 7);
  await memory(rows, options.pulls ?? 500);
  return rows;
}
