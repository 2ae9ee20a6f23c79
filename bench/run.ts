/**
 * `npm run bench`: speed and memory of the engine on real Go code (the standard library).
 *
 * 1. Full-file analysis beside parse-only on the same files (target: analysis ≤ 1.5× parse time).
 * 2. A one-line change in a 10,000-line file beside the same change in a 200-line file (≤ 3×).
 * 3. Peak RSS over 10,000 file analyses (< 300 MB), and the live heap flat after warm-up (measured
 *    after full collections in a second run of 10,000).
 * 4. End to end (bench/e2e.ts; skip with MEMLINT_BENCH_E2E=0): GitHub requests per run, webhook →
 *    in-progress and → completed latencies under GitHub's write pacing, server RSS over 500 pull requests.
 * 5. Install and start-up (bench/startup.ts): the CLI installed from its tarball (packages, size),
 *    and `--version`, `--help`, a one-file `check` and a one-line `review` as whole processes beside
 *    a bare `node` (medians of interleaved runs).
 * Prints a table and exits non-zero when a target is missed.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { analyzeFile, type AnalyzeOptions } from "../src/engine/analyze.js";
import { changedLinesFromPatch } from "../src/engine/diff.js";
import { initParser, parseAndDiscard } from "../src/engine/parser.js";
import { KNOWN_RULE_IDS, RULES } from "../src/rules/index.js";
import { unusedIgnore } from "../src/rules/unused-ignore.js";
import { corpusRoot, loadCorpus, type CorpusFile } from "./corpus.js";
import { e2eBench } from "./e2e.js";
import { startupBench } from "./startup.js";

const options: AnalyzeOptions = { rules: RULES, knownRuleIds: KNOWN_RULE_IDS, unusedIgnore, goVersion: "1.22" };

interface Row {
  measure: string;
  value: string;
  target: string;
  ok: boolean | undefined;
}

const rows: Row[] = [];
const mb = (bytes: number) => bytes / 1024 / 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Best-of-N timing of a whole pass, to keep noise from other processes out. */
function timePass(repeats: number, pass: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    pass();
    times.push(performance.now() - t0);
  }
  return Math.min(...times);
}

function throughput(files: CorpusFile[]): void {
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  const parseOnly = () => {
    for (const f of files) parseAndDiscard(f.text);
  };
  let findings = 0;
  const analyze = () => {
    findings = 0;
    for (const f of files) findings += analyzeFile({ path: f.path, head: f.text, base: null }, options).introduced.length;
  };
  parseOnly();
  analyze();
  const parseMs = timePass(3, parseOnly);
  const analyzeMs = timePass(3, analyze);
  const ratio = analyzeMs / parseMs;
  rows.push({ measure: `corpus`, value: `${files.length} files, ${mb(bytes).toFixed(1)} MB, ${findings} findings`, target: "", ok: undefined });
  rows.push({ measure: "parse-only throughput", value: `${(mb(bytes) / (parseMs / 1000)).toFixed(2)} MB/s`, target: "", ok: undefined });
  rows.push({ measure: "full analysis throughput", value: `${(mb(bytes) / (analyzeMs / 1000)).toFixed(2)} MB/s`, target: "", ok: undefined });
  rows.push({ measure: "analysis / parse-only time", value: `${ratio.toFixed(2)}×`, target: "≤ 1.5×", ok: ratio <= 1.5 });
}

/** A realistic function, repeated to build files of a given length. */
function syntheticFile(lines: number): { text: string; target: number } {
  const header = ["package inventory", "", "import (", '\t"net/http"', '\t"os"', '\t"time"', ")", ""];
  const fn = (i: number) => [
    `// Handle${i} serves one inventory endpoint.`,
    `func Handle${i}(w http.ResponseWriter, r *http.Request) {`,
    "\tstart := time.Now()",
    "\tf, err := os.Open(r.URL.Path)",
    "\tif err != nil {",
    "\t\thttp.Error(w, err.Error(), http.StatusNotFound)",
    "\t\treturn",
    "\t}",
    "\tdefer f.Close()",
    "\tfor _, v := range r.URL.Query() {",
    "\t\tw.Write([]byte(v[0]))",
    "\t}",
    "\t_ = time.Since(start)",
    "}",
    "",
  ];
  const out = [...header];
  let i = 0;
  while (out.length < lines) out.push(...fn(i++));
  // The edited function sits in the middle of the file.
  const target = header.length + Math.floor(i / 2) * 15 + 10;
  return { text: out.join("\n") + "\n", target };
}

function oneLineChange(): void {
  const change = (lines: number) => {
    const { text: base, target } = syntheticFile(lines);
    const baseLines = base.split("\n");
    const head = [...baseLines.slice(0, target - 1), "\t\tw.Write([]byte(v[0] + \"!\"))", ...baseLines.slice(target)].join("\n");
    const patch = `@@ -${target},1 +${target},1 @@\n-${baseLines[target - 1]}\n+\t\tw.Write([]byte(v[0] + "!"))\n`;
    return () => analyzeFile({ path: "inventory.go", base, head, changed: changedLinesFromPatch(patch) }, options);
  };
  const runs = { small: change(200), large: change(10_000) };
  for (let i = 0; i < 50; i++) {
    runs.small();
    runs.large();
  }
  // Interleaved, so that the shared machine's load falls on both sizes alike.
  const times = { small: [] as number[], large: [] as number[] };
  for (let i = 0; i < 200; i++) {
    for (const size of ["small", "large"] as const) {
      const t0 = performance.now();
      runs[size]();
      times[size].push(performance.now() - t0);
    }
  }
  const small = median(times.small);
  const large = median(times.large);
  rows.push({ measure: "one-line change, 200-line file", value: `${small.toFixed(3)} ms`, target: "", ok: undefined });
  rows.push({ measure: "one-line change, 10,000-line file", value: `${large.toFixed(3)} ms`, target: "", ok: undefined });
  rows.push({ measure: "10,000 / 200 lines", value: `${(large / small).toFixed(2)}×`, target: "≤ 3×", ok: large / small <= 3 });
}

function memory(files: CorpusFile[]): void {
  const total = 10_000;
  const rss: number[] = [];
  let peak = 0;
  for (let i = 0; i < total; i++) {
    const f = files[i % files.length]!;
    analyzeFile({ path: f.path, head: f.text, base: null }, options);
    if (i % 250 === 0) {
      rss.push(process.memoryUsage().rss);
      peak = Math.max(peak, rss[rss.length - 1]!);
    }
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  rows.push({ measure: "peak RSS over 10,000 analyses", value: `${mb(peak).toFixed(0)} MB`, target: "< 300 MB", ok: mb(peak) < 300 });
  // RSS moves with when V8 happens to collect; shown for reference only.
  const rssGrowth = growthAfterWarmUp(rss);
  rows.push({ measure: "RSS growth after warm-up (GC timing included)", value: `${(rssGrowth.growth * 100).toFixed(1)}% (${mb(rssGrowth.first).toFixed(0)} → ${mb(rssGrowth.second).toFixed(0)} MB)`, target: "", ok: undefined });
  // Flat: what stays alive, measured after a full collection every 1,000 analyses of a second run
  // (a separate run, so that the collections do not lower the peak above).
  const collect = fullCollection();
  const live: number[] = [];
  for (let i = 0; i < total; i++) {
    const f = files[i % files.length]!;
    analyzeFile({ path: f.path, head: f.text, base: null }, options);
    if (i % 1000 === 999) {
      collect();
      live.push(process.memoryUsage().heapUsed);
    }
  }
  const liveGrowth = growthAfterWarmUp(live);
  rows.push({
    measure: "live heap growth after warm-up (after full collections)",
    value: `${(liveGrowth.growth * 100).toFixed(1)}% (${mb(liveGrowth.first).toFixed(1)} → ${mb(liveGrowth.second).toFixed(1)} MB)`,
    target: "< 10% (flat)",
    ok: liveGrowth.growth < 0.1,
  });
}

/** The second half of the samples after warm-up (the first quarter) beside the first half: maxima and their growth. */
function growthAfterWarmUp(samples: readonly number[]): { first: number; second: number; growth: number } {
  const warm = samples.slice(Math.floor(samples.length / 4));
  const half = Math.floor(warm.length / 2);
  const first = Math.max(...warm.slice(0, half));
  const second = Math.max(...warm.slice(half));
  return { first, second, growth: (second - first) / first };
}

/** A full garbage collection on demand (the bench runs without `--expose-gc`). */
function fullCollection(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

function print(): boolean {
  const widths = [0, 0, 0];
  const cells = rows.map((r) => [r.measure, r.value, r.target ? `${r.target} ${r.ok ? "✓" : "✗ MISSED"}` : ""]);
  for (const c of cells) c.forEach((v, i) => (widths[i] = Math.max(widths[i]!, v.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join("  ");
  console.log(line(["measure", "value", "target"]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
  return rows.every((r) => r.ok !== false);
}

async function main(): Promise<void> {
  await initParser();
  const root = corpusRoot();
  const files = loadCorpus(root, 24 * 1024 * 1024);
  // npm start, the Docker image and this script run Node with the same old-space limit (512 MB):
  // it decides how long V8 lets garbage lie before collecting, and so the peak RSS measured here.
  const heapLimit = mb(getHeapStatistics().heap_size_limit).toFixed(0);
  console.log(`memlint bench — corpus: Go standard library at ${root}, ${RULES.length} rules, Node ${process.version}, V8 heap limit ${heapLimit} MB\n`);
  throughput(files);
  oneLineChange();
  memory(files);
  console.log("engine done; install and start-up of the CLI…\n");
  rows.push({ measure: "— the CLI as users install and run it —", value: "", target: "", ok: undefined });
  rows.push(...(await startupBench()));
  if (process.env.MEMLINT_BENCH_E2E !== "0") {
    console.log("engine done; end to end: the server against the GitHub double (about 3–5 minutes)…\n");
    rows.push({ measure: "— end to end (server ↔ GitHub double) —", value: "", target: "", ok: undefined });
    rows.push(...(await e2eBench()));
  }
  const ok = print();
  process.exitCode = ok ? 0 : 1;
}

await main();
