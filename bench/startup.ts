/**
 * Start-up and install as users meet them: the npm package packed and installed from its tarball
 * into a private prefix (offline), then the installed `memlint` timed as whole processes beside a
 * bare `node`, its `check` of the standard library beside a parse-only process, and its `check` of
 * net/http beside staticcheck (bench/check.ts; MEMLINT_BENCH_CHECK=0 and MEMLINT_BENCH_STATICCHECK=0
 * skip them), and its `review` of 1-, 10- and 100-file changes (bench/review.ts; MEMLINT_BENCH_REVIEW=0
 * skips it). The CLI's result cache is a directory of the run's. Runs are interleaved — each round runs every command once, in
 * turn — so the load of the shared machine hits them alike; the rows give medians over the rounds
 * and their ratios.
 *
 *   npx tsx bench/startup.ts          (also part of `npm run bench`; MEMLINT_BENCH_ROUNDS=n)
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packAndInstall, ROOT } from "../test/helpers/package.js";
import { checkBench, staticcheckRows } from "./check.js";
import { reviewBench } from "./review.js";
import type { BenchRow } from "./e2e.js";

const GIT_ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@example.com" };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: "ignore" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}`);
}

/** The demo service as a repository on `main`, with a one-line change in the working tree. */
function oneLineChange(dir: string): string {
  const repo = join(dir, "repo");
  cpSync(join(ROOT, "test/fixtures/demo/head"), repo, { recursive: true });
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "base");
  const file = join(repo, "worker.go");
  writeFileSync(file, readFileSync(file, "utf8").replace("stats := time.NewTicker(time.Minute)", "stats := time.NewTicker(2 * time.Minute)"));
  return repo;
}

interface Command {
  name: string;
  argv: string[];
  cwd: string;
  /** Exit codes that mean it ran as intended. */
  ok: number[];
}

export async function startupBench(rounds = Number(process.env.MEMLINT_BENCH_ROUNDS ?? 21)): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "memlint-bench-startup-"));
  try {
    const installed = await packAndInstall(dir);
    const repo = oneLineChange(dir);
    const cache = join(dir, "cache");
    const small = join(ROOT, "test/fixtures/demo/head/price.go");
    const memlint = (...args: string[]): string[] => [installed.bin, ...args];
    const commands: Command[] = [
      { name: "node -e 0", argv: [process.execPath, "-e", "0"], cwd: dir, ok: [0] },
      { name: "node -e ''", argv: [process.execPath, "-e", ""], cwd: dir, ok: [0] },
      { name: "memlint --version", argv: memlint("--version"), cwd: dir, ok: [0] },
      { name: "memlint --help", argv: memlint("--help"), cwd: dir, ok: [0] },
      // The analysis of a file as after an edit (the result cache off), and the same file again, answered from the cache.
      { name: "memlint check (one small file)", argv: memlint("check", small, "--no-cache"), cwd: dir, ok: [0, 1] },
      { name: "memlint check (one small file, cached)", argv: memlint("check", small), cwd: dir, ok: [0, 1] },
      { name: "memlint review (one-line change)", argv: memlint("review"), cwd: repo, ok: [0, 1] },
    ];
    const times = new Map(commands.map((c) => [c.name, [] as number[]]));
    for (let round = 0; round < rounds; round++) {
      for (const c of commands) {
        const t0 = performance.now();
        const r = spawnSync(c.argv[0]!, c.argv.slice(1), { cwd: c.cwd, env: { ...process.env, ...GIT_ENV, NO_COLOR: "1", MEMLINT_CACHE: cache }, stdio: ["ignore", "ignore", "pipe"] });
        const ms = performance.now() - t0;
        if (!c.ok.includes(r.status ?? -1)) throw new Error(`${c.name} exited ${r.status}: ${r.stderr?.toString() ?? ""}`);
        times.get(c.name)!.push(ms);
      }
    }
    const m = (name: string) => median(times.get(name)!);
    const ratio = (name: string, base: string, target: number): BenchRow => {
      const r = m(name) / m(base);
      return { measure: `${name} / ${base}`, value: `${m(name).toFixed(0)} ms / ${m(base).toFixed(0)} ms: ${r.toFixed(2)}×`, target: `≤ ${target}×`, ok: r <= target };
    };
    const mb = installed.bytes / 1024 / 1024;
    const whole = process.env.MEMLINT_BENCH_CHECK === "0" ? [] : await checkBench(installed.bin, dir);
    const beside = process.env.MEMLINT_BENCH_STATICCHECK === "0" ? [] : await staticcheckRows(installed.bin, dir);
    const reviews = process.env.MEMLINT_BENCH_REVIEW === "0" ? [] : await reviewBench(installed.bin, dir);
    return [
      { measure: "CLI install from the tarball: packages", value: `${installed.packages.length} (${installed.packages.join(", ")})`, target: "≤ 20", ok: installed.packages.length <= 20 },
      { measure: "CLI install from the tarball: size on disk", value: `${mb.toFixed(1)} MB`, target: "≤ 20 MB", ok: mb <= 20 },
      { measure: `start-up: medians of ${rounds} interleaved rounds`, value: `node -e 0: ${m("node -e 0").toFixed(0)} ms`, target: "", ok: undefined },
      ratio("memlint --version", "node -e 0", 1.3),
      ratio("memlint --help", "node -e ''", 1.5),
      ratio("memlint check (one small file)", "node -e ''", 2),
      { ...ratio("memlint check (one small file, cached)", "node -e ''", 2), target: "", ok: undefined },
      ratio("memlint review (one-line change)", "node -e 0", 3),
      ...reviews,
      ...whole,
      ...beside,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const row of await startupBench()) console.log(`${row.measure.padEnd(62)} ${row.value.padEnd(46)} ${row.target ? `${row.target} ${row.ok ? "✓" : "✗ MISSED"}` : ""}`);
}
