/**
 * `memlint check` of a whole repository as users run it: the installed CLI, as a process, over the
 * Go standard library, beside a process that only reads and parses the same files (those `check`
 * analyzes: generated files and tests excluded as its default configuration excludes them). Runs
 * are interleaved and the rows give medians and their ratio, and the CLI's peak RSS (each process
 * reports its own, through a module preloaded with `--import`).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { collectPaths } from "../src/cli/collect.js";
import { loadConfig } from "../src/cli/config.js";
import { exclusionReason } from "../src/review/review.js";
import { corpusRoot } from "./corpus.js";
import type { BenchRow } from "./e2e.js";

const REPORT_RSS = `data:text/javascript,${encodeURIComponent('import { writeSync } from "node:fs"; process.on("exit", () => writeSync(2, `\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));')}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The absolute paths `check` analyzes under `root` with the default configuration. */
async function analyzedFiles(root: string): Promise<{ paths: string[]; bytes: number }> {
  const config = await loadConfig(root, root, undefined);
  const { inputs } = collectPaths(root, root, ["."], config);
  const kept = inputs.filter((i) => exclusionReason(i.path, config, i.head) === undefined);
  return { paths: kept.map((i) => join(root, i.path)), bytes: kept.reduce((n, i) => n + (i.head?.length ?? 0), 0) };
}

export async function checkBench(bin: string, dir: string, rounds = Number(process.env.MEMLINT_BENCH_CHECK_ROUNDS ?? 3)): Promise<BenchRow[]> {
  const root = corpusRoot();
  const { paths, bytes } = await analyzedFiles(root);
  const list = join(dir, "parse-files.txt");
  writeFileSync(list, paths.join("\n") + "\n");
  const commands = [
    { name: "parse-only", argv: [join(import.meta.dirname, "parse-files.mjs"), list], ok: [0] },
    { name: "check", argv: [bin, "check", root, "--format", "json"], ok: [0, 1] },
  ];
  const times = new Map(commands.map((c) => [c.name, [] as number[]]));
  const rss = new Map(commands.map((c) => [c.name, 0]));
  for (let round = 0; round < rounds; round++) {
    for (const c of commands) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ["--import", REPORT_RSS, ...c.argv], { cwd: root, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 * 1024 * 1024 });
      const ms = performance.now() - t0;
      const stderr = r.stderr?.toString() ?? "";
      if (!c.ok.includes(r.status ?? -1)) throw new Error(`${c.name} exited ${r.status}: ${stderr}`);
      times.get(c.name)!.push(ms);
      const kb = Number(/maxrss (\d+)/.exec(stderr)?.[1] ?? 0);
      rss.set(c.name, Math.max(rss.get(c.name)!, kb / 1024));
    }
  }
  const check = median(times.get("check")!);
  const parse = median(times.get("parse-only")!);
  const ratio = check / parse;
  const peak = rss.get("check")!;
  return [
    { measure: `whole-repository check: the standard library, medians of ${rounds} interleaved rounds`, value: `${paths.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`, target: "", ok: undefined },
    { measure: "memlint check / a parse-only process, same files", value: `${(check / 1000).toFixed(1)} s / ${(parse / 1000).toFixed(1)} s: ${ratio.toFixed(2)}×`, target: "≤ 1.5×", ok: ratio <= 1.5 },
    { measure: "memlint check: peak RSS", value: `${peak.toFixed(0)} MB (parse-only: ${rss.get("parse-only")!.toFixed(0)} MB)`, target: "< 300 MB", ok: peak < 300 },
  ];
}
