/**
 * In-code suppressions: `//memlint:ignore <rule>[,<rule>] -- <reason>` (and golangci-lint's
 * `//nolint`, `//nolint:all`, `//nolint:memlint`).
 *
 * Placement: trailing a line of code, it covers that line; on a line of its own, the next line
 * of code; inside a declaration's doc comment, the whole declaration. Malformed directives are
 * reported by the `contract-invalid` rule and silence nothing.
 */
import type { GoNode } from "../analysis/node.js";
import { parseDirective } from "../directives/parse.js";
import { documentedDeclaration } from "../directives/placement.js";
import type { ReviewResult } from "./review.js";
import type { ParsedDeclaration, SourceFile } from "./source.js";

export interface Suppression {
  /** The directive comment. */
  comment: GoNode;
  line: number;
  /** Rule ids, or "*" for `//nolint:memlint`. */
  rules: string[];
  reason: string;
  firstLine: number;
  lastLine: number;
  used: boolean;
}

export function collectSuppressions(source: SourceFile, decls: readonly ParsedDeclaration[]): Suppression[] {
  const out: Suppression[] = [];
  for (const { decl, node, comments } of decls) {
    for (const comment of comments) {
      const parsed = parseDirective(comment.text);
      if (!parsed?.ok) continue;
      const d = parsed.directive;
      if (d.kind !== "ignore" && d.kind !== "nolint") continue;
      const line = source.lines.lineOf(comment.start);
      const rules = d.kind === "ignore" ? d.rules : ["*"];
      const reason = d.kind === "ignore" ? d.reason : (d.explanation ?? "//nolint");
      let firstLine: number;
      let lastLine: number;
      if (documentedDeclaration(comment) === node) {
        firstLine = decl.startLine;
        lastLine = decl.endLine;
      } else if (source.text.slice(source.lines.lineStart(line), comment.start).trim() !== "") {
        firstLine = lastLine = line;
      } else {
        firstLine = lastLine = nextCodeLine(source, line);
      }
      out.push({ comment, line, rules, reason, firstLine, lastLine, used: false });
    }
  }
  return out;
}

/** The suppression covering a finding of `ruleId` on `line`, marking it used. */
export function findSuppression(suppressions: Suppression[], ruleId: string, line: number): Suppression | undefined {
  const s = suppressions.find(
    (x) => line >= x.firstLine && line <= x.lastLine && (x.rules.includes(ruleId) || x.rules.includes("*")),
  );
  if (s) s.used = true;
  return s;
}

function nextCodeLine(source: SourceFile, line: number): number {
  for (let l = line + 1; l <= source.lines.lineCount; l++) {
    const t = source.lines.lineText(l).trim();
    if (t !== "" && !t.startsWith("//")) return l;
  }
  return line + 1;
}

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
    a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column;
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
