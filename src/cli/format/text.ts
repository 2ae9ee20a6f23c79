/**
 * Human output: `path:line:col: severity rule-id: message`, a code frame of the anchor line with
 * a caret, the related lines, the suggestion, notes, and a summary line.
 */
import { summarizeCoverage } from "../../contracts/coverage.js";
import type { Note } from "../../engine/analyze.js";
import type { Finding, Severity } from "../../engine/types.js";
import { countBySeverity, displayPath, fails, plural, type Report } from "../report.js";

const ANSI = { reset: "\u001b[0m", bold: "\u001b[1m", dim: "\u001b[2m", red: "\u001b[31m", yellow: "\u001b[33m", cyan: "\u001b[36m", green: "\u001b[32m" };

const MAX_SKIPPED_LISTED = 10;

type Style = (text: string, ...codes: (keyof typeof ANSI)[]) => string;

export function formatText(report: Report): string {
  const { analysis, options } = report;
  const { result } = analysis;
  const style: Style = (text, ...codes) => (options.color && codes.length > 0 ? `${codes.map((c) => ANSI[c]).join("")}${text}${ANSI.reset}` : text);
  const path = (p: string) => displayPath(analysis, p, options.cwd);
  const out: string[] = [];
  const split = new Map<string, string[] | undefined>();
  const linesOf = (p: string) => {
    if (!split.has(p)) split.set(p, analysis.contents.get(p)?.split("\n"));
    return split.get(p);
  };

  for (const f of result.introduced) out.push(...finding(f, linesOf(f.path), path, style), "");
  if (options.showPreexisting && result.preexisting.length > 0) {
    out.push(style("Pre-existing findings in touched code (not counted):", "bold"), "");
    for (const f of result.preexisting) out.push(...finding(f, linesOf(f.path), path, style), "");
  }
  for (const n of result.notes) out.push(note(n, path, style));
  // A few skipped files are listed; many (a vendor update) only with --verbose.
  const listSkipped = options.verbose || result.skipped.length <= MAX_SKIPPED_LISTED;
  if (listSkipped) for (const s of result.skipped) out.push(`${path(s.path)}: ${style("skipped", "dim")}: ${s.reason}`);
  if (result.notes.length > 0 || (listSkipped && result.skipped.length > 0)) out.push("");
  const coverage = coverageLines(report);
  if (coverage.length > 0) out.push(...coverage, "");
  out.push(summary(report, style));
  return `${out.join("\n")}\n`;
}

function finding(f: Finding, lines: string[] | undefined, path: (p: string) => string, style: Style): string[] {
  const lineText = (n: number) => lines?.[n - 1]?.replace(/\r$/, "");
  const numbers = [f.line, ...f.related.map((r) => r.line), ...(f.suggestion ? [f.suggestion.endLine] : [])];
  const width = String(Math.max(...numbers)).length;
  const gutter = (n?: number) => style(`  ${(n === undefined ? "" : String(n)).padStart(width)} | `, "dim");
  const out = [`${style(`${path(f.path)}:${f.line}:${f.column}`, "bold")}: ${severityLabel(f.severity, style)} ${style(f.ruleId, "bold")}: ${f.message}`];

  const anchor = lineText(f.line);
  if (anchor !== undefined) {
    out.push(gutter(f.line) + anchor);
    const end = f.endLine === f.line ? f.endColumn : anchor.trimEnd().length + 1;
    // Copy tabs so the caret lines up whatever the terminal's tab width.
    const pad = anchor.slice(0, f.column - 1).replace(/[^\t]/g, " ");
    out.push(gutter() + pad + style("^".repeat(Math.max(1, end - f.column)), severityColor(f.severity)));
  }
  for (const r of f.related) {
    out.push(`  ${style(`line ${r.line}`, "cyan")}: ${r.message}`);
    const text = lineText(r.line);
    if (text !== undefined) out.push(gutter(r.line) + text);
  }
  if (f.suggestion) {
    const { startLine, endLine, replacement } = f.suggestion;
    out.push(`  ${style("suggestion", "green")}: replace ${startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`} with:`);
    for (let n = startLine; n <= endLine; n++) {
      const old = lineText(n);
      if (old !== undefined) out.push(`${style(`  ${String(n).padStart(width)} - `, "red")}${old}`);
    }
    for (const l of replacement.split("\n")) out.push(`${style(`  ${"".padStart(width)} + `, "green")}${l}`);
  }
  return out;
}

/**
 * Contract coverage of the exported functions the change adds or touches in `contracts.require`:
 * a headline, then each function that lacks a contract with the parameters it leaves uncovered.
 */
export function coverageLines(report: Report): string[] {
  const { analysis, options } = report;
  const coverage = summarizeCoverage(analysis.result.coverage);
  if (!coverage) return [];
  const waived = coverage.waived > 0 ? `, ${coverage.waived} waived` : "";
  const out = [`contract coverage: ${coverage.covered} of ${plural(coverage.functions, "exported function")} covered${waived}`];
  for (const e of coverage.missing) out.push(`  ${displayPath(analysis, e.path, options.cwd)}:${e.line}: ${e.function}: no contract for ${e.uncovered.join(", ")}`);
  return out;
}

function note(n: Note, path: (p: string) => string, style: Style): string {
  return `${path(n.path)}${n.line !== undefined ? `:${n.line}` : ""}: ${style("note", "cyan")}: ${n.message}`;
}

function severityColor(s: Severity): "red" | "yellow" | "cyan" {
  return s === "error" ? "red" : s === "warning" ? "yellow" : "cyan";
}

function severityLabel(s: Severity, style: Style): string {
  return style(s, severityColor(s), "bold");
}

/** E.g. `memlint: 1 error, 2 warnings in 3 files (and 2 pre-existing findings in touched code, not counted)`. */
export function summary(report: Report, style: Style = (t) => t): string {
  const { result } = report.analysis;
  const counts = countBySeverity(result.introduced);
  const files = plural(result.files.length, "file");
  const parts = (["error", "warning", "info"] as const).filter((s) => counts[s] > 0).map((s) => plural(counts[s], s, s === "info" ? "info" : `${s}s`));
  const head =
    parts.length === 0
      ? `no new findings in ${files}`
      : `${parts.join(", ")} in ${files}`;
  const extras: string[] = [];
  if (result.preexisting.length > 0) extras.push(`and ${plural(result.preexisting.length, "pre-existing finding")} in touched code, not counted`);
  if (result.suppressed.length > 0) extras.push(`${result.suppressed.length} suppressed`);
  if (result.skipped.length > 0) {
    const hint = !report.options.verbose && result.skipped.length > MAX_SKIPPED_LISTED ? ", --verbose lists them" : "";
    extras.push(`${plural(result.skipped.length, "file")} skipped${hint}`);
  }
  const failed = fails(result.introduced, report.options.failOn);
  const line = `memlint: ${head}${extras.length > 0 ? ` (${extras.join("; ")})` : ""}`;
  return style(line, parts.length === 0 ? "green" : failed ? "red" : "bold");
}
