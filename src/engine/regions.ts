/**
 * Where two versions of a file are the same: the lines before a change and the lines after it.
 * What the engine knows of the head version there (line starts, declarations) holds for the base
 * too, moved by the change's length, so only the changed middle of the base is read.
 */
import type { ChangedLines } from "./diff.js";
import type { LineIndex } from "./position.js";

export interface UnchangedRegions {
  /** Characters at the start that both versions share: whole lines, up to the first change. */
  prefix: number;
  /** Where the shared tail (the lines after the last change) starts in each version. */
  headTail: number;
  baseTail: number;
}

/**
 * The shared prefix and tail of `base` and `head` that `changed` implies, checked against the
 * texts themselves (two native comparisons): undefined when the change says nothing usable or
 * belongs to other contents. The tail is taken after the last hunk's context lines.
 */
export function unchangedRegions(base: string, head: string, headLines: LineIndex, changed: ChangedLines): UnchangedRegions | undefined {
  const lastHunk = changed.hunks[changed.hunks.length - 1];
  if (!lastHunk || (changed.added.size === 0 && changed.deleted.size === 0)) return undefined;
  let first = Number.POSITIVE_INFINITY;
  for (const l of changed.added) if (l < first) first = l;
  for (const l of changed.deleted) if (l < first) first = l;
  const headCount = headLines.lineCount;
  const lastHeadLine = lastHunk.newStart + lastHunk.newLines - 1;
  if (!Number.isInteger(first) || first < 1 || lastHeadLine > headCount) return undefined;
  const prefix = first > headCount ? head.length : headLines.lineStart(first);
  const headTail = lastHeadLine < 1 ? 0 : Math.min(headLines.lineEnd(lastHeadLine) + 1, head.length);
  const baseTail = base.length - (head.length - headTail);
  if (prefix > headTail || prefix > baseTail || prefix > base.length) return undefined;
  if (head.slice(0, prefix) !== base.slice(0, prefix) || head.slice(headTail) !== base.slice(baseTail)) return undefined;
  // The tail must start a line in the base as well (it follows a newline, or is the whole text).
  if (baseTail > 0 && baseTail < base.length && base.charCodeAt(baseTail - 1) !== 10) return undefined;
  return { prefix, headTail, baseTail };
}
