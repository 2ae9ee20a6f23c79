/**
 * The line of the change a review comment on an introduced finding belongs on, when its anchor
 * is not a line the change touched.
 *
 * A pull request that deletes `defer resp.Body.Close()` or adds an early `return` before it
 * introduces a leak whose anchor, the unchanged `client.Do` line, is outside the diff; GitHub
 * takes review comments on diff lines only, and a reviewer looks at what changed. The finding
 * keeps its anchor (its `line`, what the CLI prints); its `commentLine` is the first related line
 * the change added (the return that now leaks), or else the line of a hunk inside the finding's
 * declaration nearest to the anchor (where the release was removed).
 */
import type { Declaration } from "./declarations.js";
import type { ChangedLines, Hunk } from "./diff.js";
import type { Finding } from "./types.js";

export function withCommentLine(finding: Finding, changed: ChangedLines, declaration: Declaration | undefined): Finding {
  const line = commentLineFor(finding, changed, declaration);
  return line === undefined ? finding : { ...finding, commentLine: line };
}

function commentLineFor(finding: Finding, changed: ChangedLines, declaration: Declaration | undefined): number | undefined {
  if (changed.added.has(finding.line)) return undefined;
  const related = finding.related.find((r) => changed.added.has(r.line));
  if (related) return related.line;
  if (inHunk(changed, finding.line) || !declaration) return undefined;
  let best: number | undefined;
  for (const hunk of changed.hunks) {
    const first = Math.max(hunk.newStart, declaration.startLine);
    const last = Math.min(hunk.newStart + Math.max(hunk.newLines, 1) - 1, declaration.endLine);
    if (first > last) continue;
    // The lines the hunk adds, or where the lines it only deletes were.
    const added = [...range(first, last)].filter((l) => changed.added.has(l));
    const lines = added.length > 0 ? added : deletionPoints(hunk, changed).filter((l) => l >= first && l <= last);
    for (const line of lines) if (best === undefined || Math.abs(line - finding.line) < Math.abs(best - finding.line)) best = line;
  }
  return best;
}

/** For a hunk that only deletes: the head lines that now stand where each deleted line was. */
function deletionPoints(hunk: Hunk, changed: ChangedLines): number[] {
  const out: number[] = [];
  let removed = 0;
  for (let b = hunk.oldStart; b < hunk.oldStart + hunk.oldLines; b++) {
    if (!changed.deleted.has(b)) continue;
    out.push(hunk.newStart + (b - hunk.oldStart) - removed);
    removed++;
  }
  return out;
}

function inHunk(changed: ChangedLines, line: number): boolean {
  return changed.hunks.some((h) => line >= h.newStart && line < h.newStart + Math.max(h.newLines, 1));
}

function* range(first: number, last: number): Generator<number> {
  for (let l = first; l <= last; l++) yield l;
}
