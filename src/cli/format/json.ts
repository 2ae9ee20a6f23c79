/**
 * `--format json`: a stable, documented shape (docs/cli-and-config.md). Fields are listed
 * explicitly so that additions to the engine's types do not change the output by accident.
 */
import { summarizeCoverage } from "../../contracts/coverage.js";
import type { Finding, Severity } from "../../engine/types.js";
import { countBySeverity, fails, toolVersion, type FailOn, type Report } from "../report.js";

export interface JsonFinding {
  id: string;
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  category: string;
  title: string;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  declaration: string;
  related: { line: number; message: string }[];
  suggestion: { startLine: number; endLine: number; replacement: string } | null;
}

export interface JsonReport {
  /** Version of this shape; bumped on incompatible changes. */
  version: 1;
  tool: { name: "memlint"; version: string };
  command: "review" | "check";
  /** `review` only: what the working tree was compared with. */
  base: { ref: string; mergeBase: string } | null;
  failOn: FailOn;
  summary: {
    filesAnalyzed: number;
    introduced: Record<Severity, number> & { total: number };
    preexisting: number;
    suppressed: number;
    notes: number;
    skipped: number;
    /** Whether an introduced finding is at or above `failOn` (exit code 1). */
    failed: boolean;
  };
  findings: {
    /** Findings the change introduces; these decide the exit code. */
    introduced: JsonFinding[];
    /** Findings in touched code that the base already had (always listed here, unlike in text). */
    preexisting: JsonFinding[];
    /** Findings silenced by `//memlint:ignore` (or `//nolint:memlint`) comments. */
    suppressed: (JsonFinding & { suppression: { line: number; reason: string } })[];
  };
  /** Declarations that could not be parsed, files too large or binary. */
  notes: { path: string; line?: number; message: string }[];
  /** Files not analyzed under the configuration, with the reason. */
  skipped: { path: string; reason: string }[];
  /**
   * Contract coverage of the exported functions the change adds or touches in the paths of
   * `contracts.require`; null when no such function was analyzed.
   */
  contractCoverage: {
    functions: number;
    covered: number;
    waived: number;
    entries: { path: string; function: string; line: number; status: "covered" | "missing" | "waived"; uncovered: string[] }[];
  } | null;
}

export function toJsonFinding(f: Finding): JsonFinding {
  return {
    id: f.id,
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    severity: f.severity,
    category: f.category,
    title: f.title,
    message: f.message,
    path: f.path,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    declaration: f.declaration,
    related: f.related.map((r) => ({ line: r.line, message: r.message })),
    suggestion: f.suggestion ? { startLine: f.suggestion.startLine, endLine: f.suggestion.endLine, replacement: f.suggestion.replacement } : null,
  };
}

export function jsonReport(report: Report): JsonReport {
  const { analysis, options } = report;
  const { result } = analysis;
  const counts = countBySeverity(result.introduced);
  return {
    version: 1,
    tool: { name: "memlint", version: toolVersion() },
    command: analysis.command,
    base: analysis.base ? { ref: analysis.base.ref, mergeBase: analysis.base.mergeBase } : null,
    failOn: options.failOn,
    summary: {
      filesAnalyzed: result.files.length,
      introduced: { ...counts, total: result.introduced.length },
      preexisting: result.preexisting.length,
      suppressed: result.suppressed.length,
      notes: result.notes.length,
      skipped: result.skipped.length,
      failed: fails(result.introduced, options.failOn),
    },
    findings: {
      introduced: result.introduced.map(toJsonFinding),
      preexisting: result.preexisting.map(toJsonFinding),
      suppressed: result.suppressed.map((s) => ({ ...toJsonFinding(s.finding), suppression: { line: s.line, reason: s.reason } })),
    },
    notes: result.notes.map((n) => ({ path: n.path, ...(n.line !== undefined ? { line: n.line } : {}), message: n.message })),
    skipped: result.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    contractCoverage: contractCoverageJson(result.coverage),
  };
}

/** The `contractCoverage` field (also a SARIF run property). */
export function contractCoverageJson(entries: Report["analysis"]["result"]["coverage"]): JsonReport["contractCoverage"] {
  const coverage = summarizeCoverage(entries);
  if (!coverage || !entries) return null;
  return {
    functions: coverage.functions,
    covered: coverage.covered,
    waived: coverage.waived,
    entries: entries.map((e) => ({ path: e.path, function: e.function, line: e.line, status: e.status, uncovered: [...e.uncovered] })),
  };
}

export function formatJson(report: Report): string {
  return `${JSON.stringify(jsonReport(report), null, 2)}\n`;
}
