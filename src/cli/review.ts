/**
 * `memlint review` once git runs (review-start.ts started it): the configuration, the change as
 * the engine's inputs, the engine, then the report. It imports the engine whole, so that it
 * loads in one step while git works.
 */
import type { AnalysisOptions } from "./analysis.js";
import { finish, contentsOf } from "./analysis.js";
import { analyzeInputs } from "./analyze.js";
import { collectChange, packageLoaderFor } from "./change.js";
import type { Analysis } from "./collect.js";
import { EMPTY_TREE, type WorkingTreeDiff } from "./git.js";
import type { CliIO } from "./io.js";
import type { StartedReview } from "./review-start.js";
import { warmUpParser } from "./warm-up.js";
import { preloadFormatters } from "./write-outputs.js";

export async function review(started: StartedReview, opts: AnalysisOptions, io: CliIO): Promise<number> {
  const { cwd, root, outputs, comparison } = started;
  preloadFormatters(outputs);
  warmUpParser(true);
  const config = await started.config;
  const { ref, base, revision } = await comparison;
  if (opts.verbose) {
    const what = revision.kind === "index" ? "the index" : revision.kind === "commit" ? revision.sha.slice(0, 12) : "the working tree";
    io.stderr.write(`memlint: comparing ${what} with ${ref} (${base === EMPTY_TREE ? "no commits yet" : `merge base ${base.slice(0, 12)}`})\n`);
  }
  let diff: Promise<WorkingTreeDiff> | undefined = started.firstDiff;
  const analyze = async (): Promise<Analysis> => {
    // The diff started with the review the first time; asked again after --fix changed the files.
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
