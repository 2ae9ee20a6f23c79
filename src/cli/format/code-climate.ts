/**
 * `--format code-climate`: the Code Climate issue format in the shape GitLab's Code Quality reads
 * (`artifacts:reports:codequality`): a JSON array of issues with `description`, `check_name`,
 * `fingerprint` (memlint's line-independent one, so GitLab can tell new issues from old),
 * `severity` (info|minor|major|critical|blocker) and `location.path` + `location.lines.begin`,
 * plus Code Climate's `type`, `categories`, `engine_name` and `content`.
 */
import type { Category, Finding, Severity } from "../../engine/types.js";
import { ruleMeta } from "../../rules/index.js";
import { displayPath, listedFindings, type Report } from "../report.js";

export interface CodeClimateIssue {
  type: "issue";
  engine_name: "memlint";
  check_name: string;
  description: string;
  content: { body: string };
  categories: string[];
  fingerprint: string;
  severity: "info" | "minor" | "major" | "critical" | "blocker";
  location: { path: string; lines: { begin: number; end: number } };
}

const SEVERITY: Record<Severity, CodeClimateIssue["severity"]> = { error: "critical", warning: "major", info: "info" };

/** Code Climate's categories: leaks and retention are performance, misuse is a bug risk. */
function categories(category: Category): string[] {
  return category === "contract" || category === "meta" || category === "unsafe-cgo" ? ["Bug Risk"] : ["Performance"];
}

export function codeClimateIssues(report: Report): CodeClimateIssue[] {
  return listedFindings(report).map((f: Finding) => ({
    type: "issue",
    engine_name: "memlint",
    check_name: f.ruleId,
    description: `${f.title}: ${f.message}`,
    content: { body: ruleMeta(f.ruleId) ? `${ruleMeta(f.ruleId)!.rationale}\n\n**Fix:** ${ruleMeta(f.ruleId)!.fix}` : f.message },
    categories: categories(f.category),
    fingerprint: f.fingerprint,
    severity: SEVERITY[f.severity],
    location: { path: displayPath(report.analysis, f.path, report.analysis.root), lines: { begin: f.line, end: f.endLine } },
  }));
}

export function formatCodeClimate(report: Report): string {
  return `${JSON.stringify(codeClimateIssues(report), null, 2)}\n`;
}
