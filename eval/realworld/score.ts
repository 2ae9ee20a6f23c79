/**
 * Scoring replayed cases: which expected lines memlint reported (exactly, or within
 * {@link NEAR_LINES} lines, to show misplaced findings), at warning or above and at any severity,
 * and what it reported beyond them.
 */
import type { Finding, Severity } from "../../src/engine/types.js";
import { type Case, type CaseCategory, type Difficulty, expectedRange, type ExpectedFinding, ruleStatus, type RuleStatus } from "./manifest.js";

/** A finding this close to an expected line (but not on it) counts as "near", not as found. */
export const NEAR_LINES = 2;

/** The part of a finding the corpus keeps. */
export interface ReportedFinding {
  ruleId: string;
  severity: Severity;
  path: string;
  line: number;
  /** Where the App would comment when the anchor is outside the diff (see `Finding.commentLine`). */
  commentLine?: number;
  message: string;
}

export const reported = (f: Finding): ReportedFinding => ({
  ruleId: f.ruleId,
  severity: f.severity,
  path: f.path,
  line: f.line,
  ...(f.commentLine !== undefined ? { commentLine: f.commentLine } : {}),
  message: f.message,
});

export type Match = "found" | "near" | "missed";

/** How one expected line fared among some findings. */
export interface MatchResult {
  match: Match;
  /** The findings on the line (found) or near it (near). */
  by: ReportedFinding[];
}

export interface ExpectedScore {
  expected: ExpectedFinding;
  ruleStatus: RuleStatus;
  /** Among findings at warning or error. */
  warning: MatchResult;
  /** Among findings at any severity (info included). */
  any: MatchResult;
}

export interface CaseScore {
  id: string;
  repo: string;
  kind: Case["kind"];
  difficulty: Difficulty;
  findings: ReportedFinding[];
  expected: ExpectedScore[];
  /** Findings within {@link NEAR_LINES} of no expected line (for a clean case: every finding). */
  extras: ReportedFinding[];
}

const atLeastWarning = (f: ReportedFinding) => f.severity === "error" || f.severity === "warning";

/** Lines from the expected range to the finding's anchor or to the line a review comment would go on, whichever is closer. */
function distance(e: ExpectedFinding, f: ReportedFinding): number {
  if (f.path !== e.path) return Number.POSITIVE_INFINITY;
  const [start, end] = expectedRange(e);
  const from = (line: number) => (line < start ? start - line : line > end ? line - end : 0);
  return Math.min(from(f.line), f.commentLine === undefined ? Number.POSITIVE_INFINITY : from(f.commentLine));
}

export function matchExpected(e: ExpectedFinding, findings: readonly ReportedFinding[]): MatchResult {
  const on = findings.filter((f) => distance(e, f) === 0);
  if (on.length > 0) return { match: "found", by: on };
  const near = findings.filter((f) => distance(e, f) <= NEAR_LINES);
  return near.length > 0 ? { match: "near", by: near } : { match: "missed", by: [] };
}

export function scoreCase(c: Case, findings: readonly ReportedFinding[]): CaseScore {
  const expected = c.expected.map((e) => ({
    expected: e,
    ruleStatus: ruleStatus(e.rule),
    warning: matchExpected(e, findings.filter(atLeastWarning)),
    any: matchExpected(e, findings),
  }));
  const extras = findings.filter((f) => c.expected.every((e) => distance(e, f) > NEAR_LINES));
  return { id: c.id, repo: c.repo, kind: c.kind, difficulty: c.difficulty, findings: [...findings], expected, extras };
}

/** Counts over some expected lines. */
export interface Tally {
  expected: number;
  warning: { found: number; near: number };
  any: { found: number; near: number };
}

const emptyTally = (): Tally => ({ expected: 0, warning: { found: 0, near: 0 }, any: { found: 0, near: 0 } });

function add(t: Tally, s: ExpectedScore): void {
  t.expected++;
  for (const side of ["warning", "any"] as const) {
    if (s[side].match === "found") t[side].found++;
    else if (s[side].match === "near") t[side].near++;
  }
}

/** Found over expected, or undefined when nothing was expected. */
export const recall = (found: number, expected: number): number | undefined => (expected === 0 ? undefined : found / expected);

export interface CaseFinding extends ReportedFinding {
  caseId: string;
}

export interface Summary {
  cases: { reverseFix: number; clean: number; repos: number };
  overall: Tally;
  byRuleStatus: Record<RuleStatus, Tally>;
  byCategory: Partial<Record<CaseCategory, Tally>>;
  byDifficulty: Partial<Record<Difficulty, Tally>>;
  /** By expected rule id (`(none)` for null), with whether the rule exists today. */
  byRule: { rule: string; status: RuleStatus; tally: Tally }[];
  clean: { cases: number; withFindings: number; bySeverity: Record<Severity, number>; findings: CaseFinding[] };
  /** Reverse-fix findings that match no expected line, to be read by a person. */
  extras: CaseFinding[];
}

export function summarize(scores: readonly CaseScore[]): Summary {
  const overall = emptyTally();
  const byRuleStatus: Record<RuleStatus, Tally> = { existing: emptyTally(), planned: emptyTally(), none: emptyTally() };
  const byCategory: Partial<Record<CaseCategory, Tally>> = {};
  const byDifficulty: Partial<Record<Difficulty, Tally>> = {};
  const byRule = new Map<string, { rule: string; status: RuleStatus; tally: Tally }>();
  const clean: Summary["clean"] = { cases: 0, withFindings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, findings: [] };
  const extras: CaseFinding[] = [];
  for (const score of scores) {
    if (score.kind === "clean") {
      clean.cases++;
      if (score.findings.length > 0) clean.withFindings++;
      for (const f of score.findings) {
        clean.bySeverity[f.severity]++;
        clean.findings.push({ caseId: score.id, ...f });
      }
      continue;
    }
    extras.push(...score.extras.map((f) => ({ caseId: score.id, ...f })));
    for (const s of score.expected) {
      add(overall, s);
      add(byRuleStatus[s.ruleStatus], s);
      add((byCategory[s.expected.category] ??= emptyTally()), s);
      add((byDifficulty[score.difficulty] ??= emptyTally()), s);
      const rule = s.expected.rule ?? "(none)";
      let entry = byRule.get(rule);
      if (!entry) byRule.set(rule, (entry = { rule, status: s.ruleStatus, tally: emptyTally() }));
      add(entry.tally, s);
    }
  }
  return {
    cases: {
      reverseFix: scores.filter((s) => s.kind === "reverse-fix").length,
      clean: clean.cases,
      repos: new Set(scores.map((s) => s.repo)).size,
    },
    overall,
    byRuleStatus,
    byCategory,
    byDifficulty,
    byRule: [...byRule.values()].sort((a, b) => a.status.localeCompare(b.status) || b.tally.expected - a.tally.expected || a.rule.localeCompare(b.rule)),
    clean,
    extras,
  };
}
