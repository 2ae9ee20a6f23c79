/**
 * The body of an inline review comment for one finding, and where exactly to put it.
 *
 * Layout (markdown):
 *   <!-- memlint:fingerprint=… -->            hidden marker, always the first line
 *   **🔴 Error: <rule title>** · `rule-id`
 *   <the finding's message, escaped>
 *   <what happens at run time and why: the rule's rationale>
 *   **Fix:** <the rule's fix>
 *   ```suggestion … ```                         only for a mechanical fix over the comment's lines
 *   <sub>📖 docs · id · how to ignore</sub>
 */
import type { Finding, Severity, Suggestion } from "../engine/types.js";
import { ruleMeta } from "../rules/index.js";
import { ruleDocsUrl } from "./docs.js";
import { escapeText, fencedBlock, inlineCode, renderMessage, truncateMessage } from "./escape.js";
import { fingerprintMarker, parseFingerprintMarker } from "./markers.js";


/** Longest message (before escaping) put into a comment. */
const MAX_MESSAGE = 2_000;
/** Longest suggestion replacement put into a comment; larger ones are left out. */
export const MAX_SUGGESTION = 30_000;

export const SEVERITY_LABEL: Record<Severity, string> = { error: "Error", warning: "Warning", info: "Info" };
export const SEVERITY_ICON: Record<Severity, string> = { error: "🔴", warning: "🟠", info: "🔵" };

/** The finding's suggestion when it can be shown: a sane line range and a replacement of sane size. */
export function renderableSuggestion(finding: Finding): Suggestion | undefined {
  const s = finding.suggestion;
  if (!s) return undefined;
  if (!Number.isInteger(s.startLine) || !Number.isInteger(s.endLine) || s.startLine < 1 || s.endLine < s.startLine) return undefined;
  if (s.replacement.length > MAX_SUGGESTION) return undefined;
  return s;
}

/**
 * Where the inline comment goes: the suggestion's lines when there is one (a multi-line comment
 * when it spans several), else the finding's line. A ```suggestion replaces exactly the lines a
 * comment covers, so G must post the comment with these `line`/`start_line` (side RIGHT).
 */
export function commentRange(finding: Finding): { line: number; start_line?: number } {
  const s = renderableSuggestion(finding);
  if (!s) return { line: finding.line };
  return s.startLine === s.endLine ? { line: s.endLine } : { start_line: s.startLine, line: s.endLine };
}

function headline(finding: Finding): string {
  return `**${SEVERITY_ICON[finding.severity]} ${SEVERITY_LABEL[finding.severity]}: ${escapeText(finding.title)}** · ${inlineCode(finding.ruleId)}`;
}

export function renderReviewComment(finding: Finding): string {
  const meta = ruleMeta(finding.ruleId);
  const parts: string[] = [fingerprintMarker(finding.fingerprint) + "\n" + headline(finding)];

  const range = commentRange(finding);
  const start = range.start_line ?? range.line;
  const elsewhere = finding.line < start || finding.line > range.line ? ` (line ${finding.line})` : "";
  parts.push(renderMessage(truncateMessage(finding.message, MAX_MESSAGE)) + elsewhere);

  const related = finding.related.filter((r) => r.line !== finding.line).slice(0, 5);
  if (related.length > 0) {
    parts.push(related.map((r) => `- line ${r.line}: ${renderMessage(truncateMessage(r.message, 300))}`).join("\n"));
  }
  if (meta) parts.push(`**Why it matters:** ${meta.rationale}`);
  if (meta) parts.push(`**Fix:** ${meta.fix}`);

  const suggestion = renderableSuggestion(finding);
  if (suggestion) parts.push(fencedBlock(suggestion.replacement, "suggestion"));

  parts.push(
    `<sub>📖 [Documentation of ${inlineCode(finding.ruleId)}](${ruleDocsUrl(finding.ruleId)}) · id ${inlineCode(finding.id)} · ` +
      `To ignore this finding, reply ${inlineCode("/memlint ignore -- <reason>")}</sub>`,
  );
  return parts.join("\n\n") + "\n";
}

const FIXED_LINE = "✅ **Fixed:** memlint no longer finds this";

/**
 * The body of a comment whose finding a later push fixed: the marker stays the first line, a
 * "fixed" line follows, and the original comment is kept folded — without its suggestion block,
 * which must not be applied any more. Idempotent.
 */
export function renderFixedNote(body: string, headSha?: string): string {
  const fingerprint = parseFingerprintMarker(body);
  const rest = fingerprint ? body.slice(body.search(/\r?\n|$/)).replace(/^\r?\n/, "") : body;
  if (rest.includes(FIXED_LINE)) return body;
  const commit = headSha && /^[0-9a-f]{7,40}$/i.test(headSha) ? ` as of ${headSha.slice(0, 7)}` : " after a later push";
  const original = stripSuggestions(rest).trim();
  const lines = [
    ...(fingerprint ? [fingerprintMarker(fingerprint)] : []),
    `${FIXED_LINE}${commit}.`,
    "",
    "<details><summary>Original comment</summary>",
    "",
    original,
    "",
    "</details>",
    "",
  ];
  return lines.join("\n");
}

const IGNORED_LINE = "🙈 **Ignored**";

export interface IgnoreNote {
  by: string;
  /** "false positive", "accepted risk", "waiver", … */
  label: string;
  reason: string;
  /** How it was ignored, e.g. "with `/memlint ignore`" or "with the “Waive” button". */
  how: string;
}

/**
 * The body of a comment whose finding is ignored: the marker stays the first line, a line says who
 * ignored it and why (escaped), and the original comment is kept folded, without its suggestion.
 */
export function renderIgnoredComment(finding: Finding, note: IgnoreNote): string {
  const { suggestion: _s, ...plain } = finding;
  const original = renderReviewComment(plain);
  const rest = original.slice(original.indexOf("\n") + 1).trim();
  const who = escapeText(note.by.startsWith("@") ? note.by : `@${note.by}`);
  return [
    fingerprintMarker(finding.fingerprint),
    `${IGNORED_LINE} by ${who}${note.how ? ` ${note.how}` : ""} (${escapeText(note.label)}): ${renderMessage(truncateMessage(note.reason, 500))}`,
    "",
    `memlint no longer counts this finding. ${inlineCode(`/memlint unignore ${finding.id}`)} takes the ignore back.`,
    "",
    "<details><summary>Original comment</summary>",
    "",
    rest,
    "",
    "</details>",
    "",
  ].join("\n");
}

/** Whether a body memlint wrote says its finding is ignored. */
export function isIgnoredComment(body: string): boolean {
  const lines = body.split(/\r?\n/, 2);
  return parseFingerprintMarker(body) !== undefined && (lines[1] ?? "").startsWith(IGNORED_LINE);
}

/** Removes ```suggestion blocks (as written by {@link renderReviewComment}) from a body. */
function stripSuggestions(body: string): string {
  const lines = body.split(/\r?\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})suggestion\s*$/.exec(lines[i]!);
    if (!open) {
      out.push(lines[i]!);
      continue;
    }
    const fence = open[1]!;
    let j = i + 1;
    while (j < lines.length && lines[j] !== fence) j++;
    if (j >= lines.length) {
      out.push(lines[i]!);
      continue;
    }
    out.push("_(The suggested change was removed.)_");
    i = j;
  }
  return out.join("\n");
}
