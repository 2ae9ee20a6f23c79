/**
 * Three-tier placement of findings, computed locally from the hunks so that a review is never
 * rejected with 422 ("line must be part of the diff"), and nothing is dropped:
 *
 * 1. a finding at or above `comments.min_severity` whose comment range lies inside one hunk of
 *    its file → inline review comment (most severe first, at most `maxComments`; one per rule
 *    and variable of a declaration: the comment names the other lines);
 * 2. any other finding in a changed file → check-run annotation (annotations may point at any
 *    line of the file), also the inline-eligible ones over `maxComments` (`demoted`) and those
 *    under the severity threshold (`belowThreshold`);
 * 3. everything else (a file without changed lines, or annotations over
 *    {@link MAX_ANNOTATIONS}) → a row of the check-run summary only.
 */
import type { ChangedLines, Hunk } from "../engine/diff.js";
import { byCodeUnits } from "../engine/order.js";
import { type Finding, type Severity, severityRank } from "../engine/types.js";
import { commentRange } from "./review-comment.js";

export { commentRange } from "./review-comment.js";

/**
 * At most this many annotations per run (10 requests of 50): every request counts against the
 * secondary rate limit for content creation. The rest are listed in the summary.
 */
export const MAX_ANNOTATIONS = 500;

export interface Placement {
  /**
   * Findings to post as inline comments, most severe first. A finding whose suggestion's lines
   * are not all inside one hunk appears here as a copy without `suggestion`, so that
   * `commentRange(f)` and `renderReviewComment(f)` of every entry are safe to post as they are.
   */
  inline: Finding[];
  annotations: Finding[];
  summaryOnly: Finding[];
  /** Inline-eligible findings moved to annotations (or the summary) by `maxComments`. */
  demoted: number;
  /** Findings in the diff that got no inline comment for being under `comments.min_severity`. */
  belowThreshold: number;
}

export interface PlacementLimits {
  /** Only findings at or above this severity are posted inline (default: every finding). */
  minSeverity?: Severity;
  /** At most this many annotations (default {@link MAX_ANNOTATIONS}). */
  maxAnnotations?: number;
}

/** The hunk (of the head side) that contains a line, if any; same rule as `isInHunk`. */
function hunkOf(changed: ChangedLines, line: number): Hunk | undefined {
  return changed.hunks.find((h) => line >= h.newStart && line < h.newStart + Math.max(h.newLines, 1));
}

/** True when every line of the range lies in the same hunk (GitHub's rule for multi-line comments). */
export function isAnchorable(changed: ChangedLines, range: { line: number; start_line?: number }): boolean {
  const end = hunkOf(changed, range.line);
  if (!end) return false;
  return range.start_line === undefined || hunkOf(changed, range.start_line) === end;
}

/** Most severe first, then by path and line: the order inline slots are handed out in. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    byCodeUnits(a.path, b.path) ||
    a.line - b.line ||
    a.column - b.column ||
    byCodeUnits(a.ruleId, b.ruleId)
  );
}

/**
 * The finding as it can be posted inline, or undefined when its lines are outside the hunks. A
 * finding whose anchor is outside them goes on its `commentLine` (the line of the change that
 * caused it), naming the anchor as a related line.
 */
function asInline(finding: Finding, changed: ChangedLines): Finding | undefined {
  if (isAnchorable(changed, commentRange(finding))) return finding;
  const { suggestion: _dropped, ...plain } = finding;
  if (finding.suggestion && isAnchorable(changed, commentRange(plain))) return plain;
  const line = finding.commentLine;
  if (line === undefined || !isAnchorable(changed, { line })) return undefined;
  return { ...plain, line, related: [{ line: finding.line, message: "where this starts" }, ...plain.related.filter((r) => r.line !== line)] };
}

export function placeFindings(
  findings: Finding[],
  changedByPath: ReadonlyMap<string, ChangedLines>,
  maxComments: number,
  { minSeverity = "info", maxAnnotations = MAX_ANNOTATIONS }: PlacementLimits = {},
): Placement {
  const limit = Math.max(0, Math.floor(Number.isFinite(maxComments) ? maxComments : 0));
  const placement: Placement = { inline: [], annotations: [], summaryOnly: [], demoted: 0, belowThreshold: 0 };
  const rest: Finding[] = [];
  // The inline comment (by index) of each rule and variable of a declaration.
  const commented = new Map<string, number>();
  const sameSubject = (f: Finding) => (f.subject === undefined ? undefined : [f.path, f.ruleId, f.declaration, f.subject].join("\u0000"));
  for (const finding of [...findings].sort(compareFindings)) {
    const changed = changedByPath.get(finding.path);
    if (!changed) {
      placement.summaryOnly.push(finding);
      continue;
    }
    const inline = asInline(finding, changed);
    const key = sameSubject(finding);
    const earlier = key === undefined ? undefined : commented.get(key);
    if (inline && earlier !== undefined) {
      const first = placement.inline[earlier]!;
      const names = finding.subject!.split(",")[0];
      placement.inline[earlier] = { ...first, related: [...first.related, { line: finding.line, message: `the same problem with \`${names}\` here` }] };
      rest.push(finding);
      continue;
    }
    if (inline && severityRank(finding.severity) < severityRank(minSeverity)) {
      placement.belowThreshold++;
    } else if (inline && placement.inline.length < limit) {
      if (key !== undefined) commented.set(key, placement.inline.length);
      placement.inline.push(inline);
      continue;
    } else if (inline) {
      placement.demoted++;
    }
    rest.push(finding);
  }
  for (const finding of rest) {
    if (placement.annotations.length < maxAnnotations) placement.annotations.push(finding);
    else placement.summaryOnly.push(finding);
  }
  return placement;
}
