/**
 * `ignore.min_reason_length` applied to in-code directives of a reviewed change.
 */
import { parseDirective } from "../directives/parse.js";
import { byCodeUnits } from "../engine/order.js";
import type { ReviewResult } from "./review.js";

/**
 * `ignore.min_reason_length` for in-code directives: a `//memlint:ignore` whose reason is shorter
 * silences nothing. Its finding is reported again with a message that says why — introduced when
 * the directive or the finding is on a line the change adds, pre-existing otherwise. (`//nolint`
 * follows golangci-lint, where an explanation is optional.) `headText` gives a file's head version.
 */
export function requireReasonLength(result: ReviewResult, minLength: number, headText: (path: string) => string | undefined): void {
  const short = result.suppressed.filter((s) => s.reason.trim().length < minLength && isIgnoreDirective(headText(s.finding.path), s.line));
  if (short.length === 0) return;
  const shortSet = new Set(short);
  result.suppressed = result.suppressed.filter((s) => !shortSet.has(s));
  const added = new Map(result.files.map((f) => [f.path, f.changed.added]));
  for (const s of short) {
    const finding = {
      ...s.finding,
      message: `${s.finding.message} (The \`//memlint:ignore\` on line ${s.line} does not silence this: its reason has ${s.reason.trim().length} characters, and \`ignore.min_reason_length\` asks for at least ${minLength}.)`,
    };
    const lines = added.get(s.finding.path);
    const introduced = lines === undefined || lines.has(s.line) || lines.has(s.finding.line);
    (introduced ? result.introduced : result.preexisting).push(finding);
    const file = result.files.find((f) => f.path === s.finding.path);
    if (file) {
      file.suppressed = file.suppressed.filter((x) => x.finding.fingerprint !== s.finding.fingerprint);
      file[introduced ? "introduced" : "preexisting"].push(finding);
    }
  }
  const byPosition = (a: { path: string; line: number; column: number }, b: { path: string; line: number; column: number }) =>
    byCodeUnits(a.path, b.path) || a.line - b.line || a.column - b.column;
  result.introduced.sort(byPosition);
  result.preexisting.sort(byPosition);
}

/** Whether a `//memlint:ignore` directive (not a `//nolint`) is on a line of the text. */
function isIgnoreDirective(text: string | undefined, line: number): boolean {
  const lineText = text?.split("\n")[line - 1] ?? "";
  for (let at = lineText.indexOf("//"); at !== -1; at = lineText.indexOf("//", at + 2)) {
    const parsed = parseDirective(lineText.slice(at));
    if (parsed?.ok) return parsed.directive.kind === "ignore";
  }
  return false;
}
