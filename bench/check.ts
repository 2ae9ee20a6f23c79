/**
 * `memlint check` of a whole repository as users run it: the installed CLI, as a process, over the
 * Go standard library, beside a process that only reads and parses the same files (those `check`
 * analyzes: generated files and tests excluded as its default configuration excludes them). Runs
 * are interleaved and the rows give medians and their ratio, and the CLI's peak RSS (each process
 * reports its own, through a module preloaded with `--import`). Also {@link staticcheckRows}: one
 * package beside staticcheck, cold and with warm caches.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
    // Without the result cache: this row measures the analysis (staticcheckRows measures the cache).
    { name: "check", argv: [bin, "check", root, "--format", "json", "--no-cache"], ok: [0, 1] },
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

/** staticcheck as Debian installs it (`go-staticcheck`) or as `go install` does. */
function findStaticcheck(): string | undefined {
  for (const name of ["staticcheck", "go-staticcheck"]) {
    const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

interface Timed {
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** Whether the run did its work (exit codes 0 and 1 both mean findings or none, for both tools). */
  ok: (status: number | null, stdout: string) => boolean;
}

/** Wall-clock and CPU (user + system, from /usr/bin/time) milliseconds of one process. */
function timed({ argv, env, ok }: Timed, cwd: string): { wall: number; cpu: number | undefined } {
  const time = existsSync("/usr/bin/time") ? ["/usr/bin/time", "-f", "cpu %U %S"] : [];
  const full = [...time, ...argv];
  const t0 = performance.now();
  const r = spawnSync(full[0]!, full.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - t0;
  const stderr = r.stderr?.toString() ?? "";
  if (!ok(r.status, r.stdout?.toString() ?? "")) throw new Error(`${argv.join(" ")} exited ${r.status}: ${stderr.slice(-2000)}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  return { wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined };
}

/**
 * memlint check of one package, net/http, beside `staticcheck ./net/http` (both with their
 * default checks; staticcheck analyzes the package's tests too, as memlint's default
 * configuration does): cold, each run with empty caches of its own (memlint's result cache;
 * staticcheck's and the go command's, XDG_CACHE_HOME and GOCACHE), and warm, re-running over
 * caches filled by a first run. Rounds are interleaved, alternating which tool goes first; the
 * rows give medians of wall-clock time, which the targets judge, and of CPU time.
 */
export async function staticcheckRows(bin: string, dir: string): Promise<BenchRow[]> {
  const staticcheck = findStaticcheck();
  if (!staticcheck) return [{ measure: "memlint check beside staticcheck", value: "staticcheck not installed: skipped", target: "", ok: undefined }];
  // The standard library of the installed go command (which staticcheck runs), offline.
  const goroot = spawnSync("go", ["env", "GOROOT"], { encoding: "utf8" }).stdout?.trim();
  if (!goroot || !existsSync(join(goroot, "src/net/http/server.go"))) return [{ measure: "memlint check beside staticcheck", value: "no go command with its sources: skipped", target: "", ok: undefined }];
  const root = join(goroot, "src");
  const files = readdirSync(join(root, "net/http")).filter((n) => n.endsWith(".go")).map((n) => `net/http/${n}`);
  const memlint = (cache: string): Timed => ({
    argv: [process.execPath, bin, "check", ...files, "--format", "json"],
    env: { ...process.env, MEMLINT_CACHE: cache },
    ok: (status, stdout) => (status === 0 || status === 1) && stdout.startsWith("{"),
  });
  const sc = (cache: string): Timed => ({
    argv: [staticcheck, "./net/http"],
    env: { ...process.env, GOROOT: goroot, GOFLAGS: "", GOPROXY: "off", XDG_CACHE_HOME: cache, GOCACHE: join(cache, "go-build") },
    // Exit status 1 is also what a failure to load the package gives: findings prove it ran.
    ok: (status, stdout) => (status === 0 || status === 1) && /^net\/http\/\S+\.go:\d+/m.test(stdout),
  });
  const run = (c: Timed) => timed(c, root);
  const fresh = () => mkdtempSync(join(dir, "cache-"));
  const rounds = (cold: boolean, n: number) => {
    const times = { memlint: [] as { wall: number; cpu: number | undefined }[], staticcheck: [] as { wall: number; cpu: number | undefined }[] };
    const warmMemlint = fresh();
    const warmStaticcheck = fresh();
    if (!cold) {
      run(memlint(warmMemlint));
      run(sc(warmStaticcheck));
    }
    for (let round = 0; round < n; round++) {
      const order = round % 2 === 0 ? (["memlint", "staticcheck"] as const) : (["staticcheck", "memlint"] as const);
      for (const tool of order) {
        const command = tool === "memlint" ? memlint(cold ? fresh() : warmMemlint) : sc(cold ? fresh() : warmStaticcheck);
        times[tool].push(run(command));
      }
    }
    const stat = (xs: { wall: number; cpu: number | undefined }[]) => ({ wall: median(xs.map((x) => x.wall)), cpu: xs.every((x) => x.cpu !== undefined) ? median(xs.map((x) => x.cpu!)) : undefined });
    return { memlint: stat(times.memlint), staticcheck: stat(times.staticcheck) };
  };
  const coldRounds = Number(process.env.MEMLINT_BENCH_STATICCHECK_ROUNDS ?? 3);
  const warmRounds = Number(process.env.MEMLINT_BENCH_WARM_ROUNDS ?? 9);
  const cold = rounds(true, coldRounds);
  const warm = rounds(false, warmRounds);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const cpu = (m: { cpu: number | undefined }, s: { cpu: number | undefined }) => (m.cpu !== undefined && s.cpu !== undefined ? `; CPU ${seconds(m.cpu)} / ${seconds(s.cpu)}` : "");
  const coldSpeedup = cold.staticcheck.wall / cold.memlint.wall;
  return [
    { measure: `net/http (${files.length} files) beside staticcheck ./net/http: medians of interleaved rounds`, value: `${coldRounds} cold, ${warmRounds} warm`, target: "", ok: undefined },
    {
      measure: "cold check (empty caches): staticcheck / memlint",
      value: `${seconds(cold.staticcheck.wall)} / ${seconds(cold.memlint.wall)}: ${coldSpeedup.toFixed(1)}×${cpu(cold.staticcheck, cold.memlint)}`,
      target: "≥ 15×",
      ok: coldSpeedup >= 15,
    },
    {
      measure: "warm re-check (caches filled): memlint / staticcheck",
      value: `${seconds(warm.memlint.wall)} / ${seconds(warm.staticcheck.wall)}: ${(warm.memlint.wall / warm.staticcheck.wall).toFixed(2)}×${cpu(warm.memlint, warm.staticcheck)}`,
      target: "≤ 1×",
      ok: warm.memlint.wall <= warm.staticcheck.wall,
    },
  ];
}
