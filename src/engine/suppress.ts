/**
 * In-code suppressions: `//memlint:ignore <rule>[,<rule>] -- <reason>` (and golangci-lint's
 * `//nolint`, `//nolint:all`, `//nolint:memlint`), and those of other linters for a check a
 * rule lists as equivalent (`//nolint:bodyclose`, `//lint:ignore SA1015 …`, `#nosec G114`; see
 * directives/foreign.ts).
 *
 * Placement: trailing a line of code, it covers that line; on a line of its own, the next line
 * of code; inside a declaration's doc comment, the whole declaration (staticcheck's
 * `//lint:ignore` covers only the line of what it precedes, as in staticcheck). A `//nolint`
 * just above or on the package clause, and `//lint:file-ignore` anywhere, cover the whole file.
 * Malformed memlint directives are reported by the `contract-invalid` rule and silence nothing.
 */
import type { GoNode } from "../analysis/node.js";
import { type ForeignSuppression, parseForeignSuppression, silences } from "../directives/foreign.js";
import { parseDirective } from "../directives/parse.js";
import { documentedDeclaration } from "../directives/placement.js";
import { containsText } from "./search.js";
import type { ParsedDeclaration, SourceFile } from "./source.js";
import type { RuleMeta } from "./types.js";

export interface Suppression {
  /** The directive comment (absent for one found in the file's header). */
  comment?: GoNode;
  line: number;
  /** Rule ids, or "*" for `//nolint:memlint`; empty for another linter's suppression. */
  rules: string[];
  /** Another linter's suppression: it silences the rules that list an equivalent check. */
  foreign?: ForeignSuppression;
  reason: string;
  firstLine: number;
  lastLine: number;
  used: boolean;
}

export function collectSuppressions(source: SourceFile, decls: readonly ParsedDeclaration[]): Suppression[] {
  const out: Suppression[] = fileWide(source);
  for (const analyzed of decls) {
    const { decl, node } = analyzed;
    // Every suppression has `lint` (`//memlint:`, `//nolint`, `//lint:ignore`) or `nosec` in it:
    // the comments of a declaration without either are not gathered.
    const text = source.text.slice(decl.start, decl.end);
    if (!text.includes("lint") && !text.includes("nosec")) continue;
    for (const comment of analyzed.comments) {
      const parsed = parseDirective(comment.text);
      const foreign = parsed ? undefined : parseForeignSuppression(comment.text);
      let rules: string[];
      let reason: string;
      if (parsed?.ok && parsed.directive.kind === "ignore") {
        rules = parsed.directive.rules;
        reason = parsed.directive.reason;
      } else if (parsed?.ok && parsed.directive.kind === "nolint") {
        rules = ["*"];
        reason = parsed.directive.explanation ?? "//nolint";
      } else if (foreign && !(foreign.tool === "staticcheck" && foreign.fileWide)) {
        rules = [];
        reason = foreign.reason ?? comment.text.trim();
      } else {
        continue;
      }
      const line = source.lines.lineOf(comment.start);
      let firstLine: number;
      let lastLine: number;
      if (foreign?.tool !== "staticcheck" && documentedDeclaration(comment) === node) {
        firstLine = decl.startLine;
        lastLine = decl.endLine;
      } else if (source.text.slice(source.lines.lineStart(line), comment.start).trim() !== "") {
        firstLine = lastLine = line;
      } else {
        firstLine = lastLine = nextCodeLine(source, line);
      }
      out.push({ comment, line, rules, ...(foreign ? { foreign } : {}), reason, firstLine, lastLine, used: false });
    }
  }
  return out;
}

/**
 * The suppressions that cover the whole file: `//lint:file-ignore` anywhere, and a `//nolint`
 * in the comment block just above the package clause or trailing it (as golangci-lint reads it).
 */
function fileWide(source: SourceFile): Suppression[] {
  const out: Suppression[] = [];
  const whole = { firstLine: 1, lastLine: source.lines.lineCount, used: false };
  // A native search first: the multi-line regex costs a pass with a test at every line start.
  for (const m of containsText(source.text, "lint:file-ignore") ? source.text.matchAll(/^[ \t]*(\/\/lint:file-ignore\b.*)$/gm) : []) {
    const foreign = parseForeignSuppression(m[1]!);
    if (foreign) out.push({ line: source.lines.lineOf(m.index + m[0].indexOf("//")), rules: [], foreign, reason: foreign.reason ?? m[1]!, ...whole });
  }
  const pkg = /^package\s.*$/m.exec(source.text);
  if (!pkg) return out;
  const pkgLine = source.lines.lineOf(pkg.index);
  const candidates: { line: number; text: string }[] = [];
  const trailing = pkg[0].indexOf("//");
  if (trailing !== -1) candidates.push({ line: pkgLine, text: pkg[0].slice(trailing) });
  for (let l = pkgLine - 1; l >= 1; l--) {
    const text = source.lines.lineText(l).trim();
    if (!text.startsWith("//")) break;
    candidates.push({ line: l, text });
  }
  for (const { line, text } of candidates) {
    const parsed = parseDirective(text);
    const foreign = parsed ? undefined : parseForeignSuppression(text);
    if (parsed?.ok && parsed.directive.kind === "nolint") out.push({ line, rules: ["*"], reason: parsed.directive.explanation ?? "//nolint", ...whole });
    else if (foreign?.tool === "golangci") out.push({ line, rules: [], foreign, reason: foreign.reason ?? text, ...whole });
  }
  return out;
}

/** The suppression covering a finding of a rule on `line`, marking it used. */
export function findSuppression(suppressions: Suppression[], meta: RuleMeta, line: number): Suppression | undefined {
  const s = suppressions.find(
    (x) =>
      line >= x.firstLine &&
      line <= x.lastLine &&
      (x.foreign ? silences(x.foreign, meta.equivalents) : x.rules.includes(meta.id) || x.rules.includes("*")),
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

