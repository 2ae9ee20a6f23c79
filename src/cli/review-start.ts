/**
 * The first step of `memlint review`, loaded before the engine: checks the review's options, finds
 * the repository and starts git — asked what to compare and for the diff — so that git runs while
 * the engine's modules compile. review.ts, loaded next, takes the engine in one step.
 */
import type { MemlintConfig } from "../config/types.js";
import type { AnalysisOptions } from "./analysis.js";
import { loadConfig } from "./config.js";
import * as git from "./git.js";
import type { Revision, WorkingTreeDiff } from "./git.js";
import { CliError, realCwd, type CliIO } from "./io.js";
import { checkOptions, type OutputSpec } from "./output.js";

export interface StartedReview {
  /** The directory memlint runs in, its real path. */
  cwd: string;
  root: string;
  /** Where the report goes, in each format asked for. */
  outputs: OutputSpec[];
  /** The configuration (its YAML parser and validator load only when there is a file). */
  config: Promise<MemlintConfig>;
  comparison: Promise<{ ref: string; base: string; revision: Revision }>;
  /** The diff of the change, asked for as soon as the comparison is known. */
  firstDiff: Promise<WorkingTreeDiff>;
}

export function startReview(opts: AnalysisOptions, io: CliIO): StartedReview {
  const outputs = checkOptions(opts);
  if (opts.staged && opts.head !== undefined) throw new CliError("--staged and --head both say what to analyze; give one");
  if (opts.fix && (opts.staged || opts.head !== undefined)) throw new CliError(`--fix changes the working tree, so it cannot be combined with ${opts.staged ? "--staged" : "--head"}`);
  const cwd = realCwd(io);
  const root = git.findWorkTreeRoot(cwd);
  if (!root) throw new CliError(`not a git repository: ${cwd}`);
  const untracked = opts.staged || opts.head !== undefined ? undefined : git.untrackedGoFiles(root);
  const comparison = comparedRevisions(root, opts);
  const firstDiff = comparison.then(({ base, revision }) => git.changeDiff(root, base, revision, untracked));
  const config = loadConfig(root, cwd, opts.config);
  // Settled by the review, or not needed when the configuration is invalid: never an unhandled rejection.
  for (const pending of [untracked, comparison, firstDiff, config]) pending?.catch(() => {});
  return { cwd, root, outputs, config, comparison, firstDiff };
}

/** What a review compares: the revision (`--staged`, `--head` or the working tree) with the merge base of the base ref. */
async function comparedRevisions(root: string, opts: AnalysisOptions): Promise<{ ref: string; base: string; revision: Revision }> {
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

