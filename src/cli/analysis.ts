/**
 * `memlint check` — find the files, load the configuration, run the engine (through the result
 * cache), then apply fixes (`--fix`) or write the report in every format asked for — and the end
 * it shares with `memlint review` (review-start.ts, review.ts).
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { MemlintConfig } from "../config/types.js";
import type { FileInput } from "../engine/analyze.js";
import { byCodeUnits } from "../engine/order.js";
import type { ReviewResult } from "../review/review.js";
import { analyzeCached } from "./cached-check.js";
import { collectPaths, type Analysis } from "./collect.js";
import { loadConfig } from "./config.js";
import { applyFixes } from "./fix.js";
import { findWorkTreeRoot } from "./git.js";
import { CliError, EXIT_FINDINGS, EXIT_OK, realCwd, type CliIO } from "./io.js";
import { checkOptions, type OutputSpec } from "./output.js";
import { cacheDirectory } from "./cache-directory.js";
import { ResultCache } from "./result-cache.js";
import { fails, plural, type FailOn, type Report } from "./report.js";
import { preloadFormatters, writeOutputs } from "./write-outputs.js";
import { warmUpParser } from "./warm-up.js";

export interface AnalysisOptions {
  format?: string[];
  failOn: FailOn;
  config?: string;
  fix?: boolean;
  dryRun?: boolean;
  verbose?: boolean;
  /** review only */
  base?: string;
  staged?: boolean;
  head?: string;
  showPreexisting?: boolean;
  /** check only */
  allVersions?: boolean;
  /** check only: false with `--no-cache` */
  cache?: boolean;
}

export async function check(paths: string[], opts: AnalysisOptions, io: CliIO): Promise<number> {
  const outputs = checkOptions(opts);
  preloadFormatters(outputs);
  const cwd = realCwd(io);
  // Files named one by one make a short run (see warm-up.ts).
  const shortRun = paths.every((p) => isFile(resolve(cwd, p)));
  // Without the result cache every file is analyzed: the grammar loads while the configuration
  // and the files are read (with the cache, only once a file misses it).
  if (opts.cache === false) warmUpParser(shortRun);
  // The repository's root without running git: the nearest directory with a `.git`.
  const root = findWorkTreeRoot(cwd) ?? cwd;
  const config = await loadConfig(root, cwd, opts.config);
  let collected: ReturnType<typeof collectPaths> | undefined = collectPaths(cwd, root, paths, config);
  const { inputs, skipped, excluded } = collected;
  if (inputs.length === 0 && skipped.length === 0) {
    const where = paths.length === 1 ? paths[0]! : `${paths.slice(0, -1).join(", ")} or ${paths[paths.length - 1]}`;
    const why = excluded > 0 ? ` to analyze (${excluded} excluded by the configuration's paths and tests settings)` : "";
    throw new CliError(`no Go files in ${where}${why}`);
  }
  const analyze = async (): Promise<Analysis> => {
    // The files as collected above the first time; read again after --fix changed them.
    const { inputs, skipped } = collected ?? collectPaths(cwd, root, paths, config);
    collected = undefined;
    const result = await analyzeFiles(root, inputs, config, opts, io, shortRun);
    result.skipped = [...skipped, ...result.skipped].sort((a, b) => byCodeUnits(a.path, b.path));
    return { command: "check", root, result, contents: contentsOf(inputs) };
  };
  return finish(analyze, opts, outputs, io, cwd);
}

/**
 * Reports the analysis; with `--fix`, first applies the suggestions and reports what is left
 * (analyzed again, so that line numbers are those of the fixed files).
 */
export async function finish(analyze: () => Promise<Analysis>, opts: AnalysisOptions, outputs: OutputSpec[], io: CliIO, cwd: string): Promise<number> {
  let analysis = await analyze();
  if (opts.fix) {
    const outcome = applyFixes(analysis, { dryRun: opts.dryRun ?? false, cwd, io });
    // A dry run prints the diff and says in its exit code whether there is anything to fix, like `ruff --diff`.
    if (opts.dryRun) return outcome.fixed.length > 0 ? EXIT_FINDINGS : EXIT_OK;
    if (outcome.fixed.length > 0) analysis = await analyze();
  }
  const report: Report = {
    analysis,
    options: { failOn: opts.failOn, showPreexisting: opts.showPreexisting ?? false, verbose: opts.verbose ?? false, color: false, cwd },
  };
  await writeOutputs(report, outputs, io, cwd);
  return fails(analysis.result.introduced, opts.failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * `check`'s analysis: through the result cache unless it is off. The parser is got ready (see
 * warm-up.ts) only when some file is to be analyzed.
 */
async function analyzeFiles(root: string, inputs: FileInput[], config: MemlintConfig, opts: AnalysisOptions, io: CliIO, shortRun: boolean): Promise<ReviewResult> {
  const options = { allVersions: opts.allVersions ?? false };
  const cache = opts.cache === false ? undefined : openResultCache(io);
  if (!cache) {
    if (opts.cache !== false) warmUpParser(shortRun);
    const { analyzeInputs } = await import("./analyze.js");
    return analyzeInputs(root, inputs, config, undefined, options);
  }
  const { result, answered } = await analyzeCached(root, inputs, config, options, cache, () => warmUpParser(shortRun));
  if (opts.verbose) io.stderr.write(`memlint: ${answered} of ${plural(inputs.length, "file")} answered from the cache in ${cache.dir}\n`);
  cache.trim();
  return result;
}

/** The result cache the environment asks for (result-cache.ts), or undefined when it is off. */
function openResultCache(io: CliIO): ResultCache | undefined {
  const dir = cacheDirectory(io.env);
  if (dir === undefined) return undefined;
  const cache = new ResultCache(resolve(io.cwd, dir));
  // A build that cannot say which it is must not share entries with another.
  return cache.identity === "" ? undefined : cache;
}

export function contentsOf(inputs: readonly FileInput[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const i of inputs) if (typeof i.head === "string") map.set(i.path, i.head);
  return map;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // collectPaths says what is wrong with the path
  }
}
