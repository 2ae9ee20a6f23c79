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

