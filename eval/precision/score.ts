/**
 * Matching the findings of a run with the recorded verdicts, and the table of true / false /
 * debatable per rule. Pure: the runner (cli.ts) reads the mirrors and runs memlint.
 */
import type { JudgedFinding, Verdict } from "./verdicts.js";

export interface CheckedFinding {
  path: string;
  line: number;
  rule: string;
  /** Short id (first 8 hex digits of the fingerprint). */
  id: string;
  severity: "error" | "warning" | "info";
  message: string;
}

export interface Matching {
  judged: { finding: CheckedFinding; verdict: JudgedFinding }[];
  /** Findings of this run without a recorded verdict. */
  unjudged: CheckedFinding[];
  /** Recorded verdicts no finding of this run matches (the rule changed, or the code). */
  stale: JudgedFinding[];
}

/**
 * Pairs each finding with a recorded verdict: by short id and rule first (ids survive line
 * shifts), then by rule, path and line. A verdict is used once.
 */
export function matchVerdicts(findings: readonly CheckedFinding[], verdicts: readonly JudgedFinding[]): Matching {
  const left = new Set(verdicts);
  const judged: Matching["judged"] = [];
  const rest: CheckedFinding[] = [];
  const take = (pick: (v: JudgedFinding) => boolean) => {
    for (const v of left) {
      if (pick(v)) {
        left.delete(v);
        return v;
      }
    }
    return undefined;
  };
  for (const f of findings) {
    const v = take((v) => v.id === f.id && v.rule === f.rule);
    if (v) judged.push({ finding: f, verdict: v });
    else rest.push(f);
  }
  const unjudged: CheckedFinding[] = [];
  for (const f of rest) {
    const v = take((v) => v.rule === f.rule && v.path === f.path && v.line === f.line);
    if (v) judged.push({ finding: f, verdict: v });
    else unjudged.push(f);
  }
  return { judged, unjudged, stale: [...left] };
}

export type Counts = Record<Verdict, number>;
export type Severity = CheckedFinding["severity"];
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export interface RuleRow {
  rule: string;
  /** By today's severity, the verdicts of the judged findings. */
  bySeverity: Record<Severity, Counts>;
}

const zero = (): Counts => ({ true: 0, false: 0, debatable: 0 });

/** Per rule (alphabetical), the verdicts of the judged findings by today's severity. */
export function tabulate(judged: Matching["judged"]): RuleRow[] {
  const rows = new Map<string, RuleRow>();
  for (const { finding, verdict } of judged) {
    const row = rows.get(finding.rule) ?? { rule: finding.rule, bySeverity: { error: zero(), warning: zero(), info: zero() } };
    rows.set(finding.rule, row);
    row.bySeverity[finding.severity][verdict.verdict]++;
  }
  return [...rows.values()].sort((a, b) => a.rule.localeCompare(b.rule));
}

/** The verdicts of the rows at the given severities. */
export function total(rows: readonly RuleRow[], severities: readonly Severity[]): Counts {
  const sum = zero();
  for (const r of rows) for (const s of severities) for (const v of ["true", "false", "debatable"] as const) sum[v] += r.bySeverity[s][v];
  return sum;
}

/** The recorded verdicts by verdict (for the judged findings a run no longer reports). */
export function countVerdicts(verdicts: readonly JudgedFinding[]): Counts {
  const sum = zero();
  for (const v of verdicts) sum[v.verdict]++;
  return sum;
}

export const count = (c: Counts) => c.true + c.false + c.debatable;

export function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${Math.round((part / whole) * 1000) / 10} %`;
}

/** Findings per thousand lines, two decimals. */
export function perKloc(findings: number, lines: number): string {
  return lines === 0 ? "–" : (findings / (lines / 1000)).toFixed(2);
}

/**
 * The table as Markdown: per rule and severity true / false / debatable (false: wrong about what
 * the code does; debatable: true but noise a reviewer would not want), then the precision among
 * warnings and errors against the targets (at most 5 % false, at least 70 % true).
 */
export function markdownTable(rows: readonly RuleRow[]): string {
  const cell = (c: Counts) => (count(c) === 0 ? "–" : `${c.true} / ${c.false} / ${c.debatable}`);
  const blocking = total(rows, ["error", "warning"]);
  const info = total(rows, ["info"]);
  const sums = Object.fromEntries(SEVERITIES.map((s) => [s, total(rows, [s])])) as Record<Severity, Counts>;
  return [
    "| rule | error | warning | info |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| \`${r.rule}\` | ${SEVERITIES.map((s) => cell(r.bySeverity[s])).join(" | ")} |`),
    `| **all rules** | ${SEVERITIES.map((s) => `**${cell(sums[s])}**`).join(" | ")} |`,
    "",
    "Each cell: true / false / debatable.",
    "",
    `Warning and error findings: ${count(blocking)}, of which ${percent(blocking.true, count(blocking))} true, ${percent(blocking.false, count(blocking))} false and ${percent(blocking.debatable, count(blocking))} debatable (target: at most 5 % false, at least 70 % true). Info findings: ${count(info)} (${percent(info.true, count(info))} true, ${percent(info.false, count(info))} false).`,
  ].join("\n");
}

/** The false and debatable findings by the kind of false alarm recorded (most frequent first), as Markdown. */
export function patternTable(judged: Matching["judged"]): string {
  const counts = new Map<string, { verdict: Verdict; pattern: string; blocking: number; info: number }>();
  for (const { finding, verdict } of judged) {
    if (verdict.verdict === "true" || !verdict.pattern) continue;
    const key = `${verdict.verdict}\u0000${verdict.pattern}`;
    const row = counts.get(key) ?? { verdict: verdict.verdict, pattern: verdict.pattern, blocking: 0, info: 0 };
    counts.set(key, row);
    row[finding.severity === "info" ? "info" : "blocking"]++;
  }
  // Most frequent first; on a tie, wrong before noise, then by name.
  const rank = (v: Verdict) => (v === "false" ? 0 : 1);
  const rows = [...counts.values()].sort((a, b) => b.blocking + b.info - (a.blocking + a.info) || rank(a.verdict) - rank(b.verdict) || a.pattern.localeCompare(b.pattern));
  return ["| verdict | kind | warning and error | info |", "| --- | --- | --- | --- |", ...rows.map((r) => `| ${r.verdict} | ${r.pattern} | ${r.blocking} | ${r.info} |`)].join("\n");
}
