/**
 * `memlint review` and `memlint check`: find the change (or the files), load the configuration,
 * run the engine, then apply fixes (`--fix`) or write the report in every format asked for.
 */
import { realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { MemlintConfig } from "../config/types.js";
import type { FileInput } from "../engine/analyze.js";
import { byCodeUnits } from "../engine/order.js";
import type { ReviewResult } from "../review/review.js";
import { analyzeCached } from "./cached-check.js";
import { collectPaths, findWorkTreeRoot, type Analysis } from "./collect.js";
import { loadConfig } from "./config.js";
import type * as Git from "./git.js";
import type { Revision, WorkingTreeDiff } from "./git.js";
import { CliError, EXIT_FINDINGS, EXIT_OK, type CliIO } from "./io.js";
import { parseFormats, preloadFormatters, writeOutputs, type OutputSpec } from "./output.js";
import type { ResultCache } from "./result-cache.js";
import { fails, plural, type FailOn, type Report } from "./report.js";
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

export async function review(opts: AnalysisOptions, io: CliIO): Promise<number> {
  const outputs = checkOptions(opts);
  if (opts.staged && opts.head !== undefined) throw new CliError("--staged and --head both say what to analyze; give one");
  if (opts.fix && (opts.staged || opts.head !== undefined)) throw new CliError(`--fix changes the working tree, so it cannot be combined with ${opts.staged ? "--staged" : "--head"}`);
  const cwd = realCwd(io);
  const root = findWorkTreeRoot(cwd);
  if (!root) throw new CliError(`not a git repository: ${cwd}`);
  // Only a review runs git (check does not even load it). Git is asked what to compare, and for
  // the diff, before the engine loads, so that its processes run while the modules compile.
  const git = await import("./git.js");
  const untracked = opts.staged || opts.head !== undefined ? undefined : git.untrackedGoFiles(root);
  const comparison = comparedRevisions(git, root, opts);
  const firstDiff = comparison.then(({ base, revision }) => git.changeDiff(root, base, revision, untracked));
  // After the first git processes: forking a child costs the more, the larger memlint has grown.
  warmUpParser(true);
  // Settled below, or not needed when the configuration is invalid: never an unhandled rejection.
  for (const pending of [untracked, firstDiff]) pending?.catch(() => {});
  const [config, { collectChange, packageLoaderFor }, { analyzeInputs }] = await Promise.all([
    loadConfig(root, cwd, opts.config),
    import("./change.js"),
    import("./analyze.js"),
  ]);
  const { ref, base, revision } = await comparison;
  if (opts.verbose) {
    const what = revision.kind === "index" ? "the index" : revision.kind === "commit" ? revision.sha.slice(0, 12) : "the working tree";
    io.stderr.write(`memlint: comparing ${what} with ${ref} (${base === git.EMPTY_TREE ? "no commits yet" : `merge base ${base.slice(0, 12)}`})\n`);
  }
  let diff: Promise<WorkingTreeDiff> | undefined = firstDiff;
  const analyze = async (): Promise<Analysis> => {
    // The diff started above the first time; asked again after --fix changed the files.
    const inputs = await collectChange(root, base, revision, diff);
    diff = undefined;
    const loader = packageLoaderFor(root, revision, new Set(inputs.map((i) => i.path)));
    const result = await analyzeInputs(root, inputs, config, loader);
    if (opts.verbose) {
      const { files, bytes, summaryBytes } = loader.reads;
      io.stderr.write(`memlint: read ${files} other ${files === 1 ? "file" : "files"} of the touched packages (${bytes} bytes) and ${summaryBytes} bytes of saved package summaries\n`);
    }
    return { command: "review", root, base: { ref, mergeBase: base }, result, contents: contentsOf(inputs) };
  };
  return await finish(analyze, opts, outputs, io, cwd);
}

export async function check(paths: string[], opts: AnalysisOptions, io: CliIO): Promise<number> {
  const outputs = checkOptions(opts);
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

/** What a review compares: the revision (`--staged`, `--head` or the working tree) with the merge base of the base ref. */
async function comparedRevisions(git: typeof Git, root: string, opts: AnalysisOptions): Promise<{ ref: string; base: string; revision: Revision }> {
  let revision: Revision = { kind: "worktree" };
  if (opts.staged) revision = { kind: "index" };
  if (opts.head !== undefined) {
    const sha = await git.resolveCommit(root, opts.head);
    if (!sha) throw new CliError(`unknown ref "${opts.head}"`);
    revision = { kind: "commit", sha };
  }
  // Staged changes are compared with HEAD: its own merge base (none before the first commit).
  if (opts.staged && opts.base === undefined) return { ref: "HEAD", base: (await git.resolveCommit(root, "HEAD")) ?? git.EMPTY_TREE, revision };
  const { ref, base } = await git.comparisonBase(root, opts.base, revision.kind === "commit" ? revision.sha : "HEAD");
  return { ref, base, revision };
}

/** Option combinations and `--format` values, checked before any work is done (and the formatters asked for, loading). */
function checkOptions(opts: AnalysisOptions): OutputSpec[] {
  if (opts.dryRun && !opts.fix) throw new CliError("--dry-run only applies to --fix");
  const outputs = parseFormats(opts.format);
  preloadFormatters(outputs);
  return outputs;
}

/**
 * Reports the analysis; with `--fix`, first applies the suggestions and reports what is left
 * (analyzed again, so that line numbers are those of the fixed files).
 */
async function finish(analyze: () => Promise<Analysis>, opts: AnalysisOptions, outputs: OutputSpec[], io: CliIO, cwd: string): Promise<number> {
  let analysis = await analyze();
  if (opts.fix) {
    const { applyFixes } = await import("./fix.js");
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
  const cache = opts.cache === false ? undefined : await openResultCache(io);
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
async function openResultCache(io: CliIO): Promise<ResultCache | undefined> {
  const { cacheDirectory, ResultCache } = await import("./result-cache.js");
  const dir = cacheDirectory(io.env);
  if (dir === undefined) return undefined;
  const cache = new ResultCache(resolve(io.cwd, dir));
  // A build that cannot say which it is must not share entries with another.
  return cache.identity === "" ? undefined : cache;
}

function contentsOf(inputs: readonly FileInput[]): Map<string, string> {
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

function realCwd(io: CliIO): string {
  try {
    return realpathSync(io.cwd);
  } catch {
    throw new CliError(`no such directory: ${io.cwd}`);
  }
}
