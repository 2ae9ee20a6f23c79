/** What every output format gets, and the exit-code decision shared by all of them. */
import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { severityRank, type Finding, type Severity } from "../engine/types.js";
import type { Analysis } from "./collect.js";

export const FORMATS = ["text", "json", "sarif", "github", "checkstyle", "junit", "code-climate"] as const;
export type Format = (typeof FORMATS)[number];

export const FAIL_ON = ["error", "warning", "info", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ReportOptions {
  failOn: FailOn;
  /** List pre-existing findings in touched code (they are always counted in the summary). */
  showPreexisting: boolean;
  /** List skipped files (otherwise only counted). */
  verbose: boolean;
  color: boolean;
  /** Directory the command ran in: text output shows paths relative to it. */
  cwd: string;
}

export interface Report {
  analysis: Analysis;
  options: ReportOptions;
}

/**
 * The findings a machine-readable format lists: the introduced ones, and with
 * `--show-preexisting` also those the base already had in touched code.
 */
export function listedFindings(report: Report): Finding[] {
  const { result } = report.analysis;
  return report.options.showPreexisting ? [...result.introduced, ...result.preexisting] : result.introduced;
}

/** Whether an introduced finding is at or above `--fail-on`. */
export function fails(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === "never") return false;
  const threshold = severityRank(failOn);
  return findings.some((f) => severityRank(f.severity) >= threshold);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** A path from the analysis (relative to the root, or absolute) as the user should see it from `cwd`. */
export function displayPath(analysis: Analysis, path: string, cwd: string): string {
  const abs = isAbsolute(path) ? path : join(analysis.root, path);
  return (relative(cwd, abs) || path).split(sep).join("/");
}

let version: string | undefined;

/** memlint's version, from package.json (two levels above both src/cli and dist/cli). */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
