/** The corpus run as text tables for a person. */
import { NEAR_LINES, recall, type CaseFinding, type CaseScore, type ReportedFinding, type Summary, type Tally } from "./score.js";

/** Columns padded to their widest cell; the first column left-aligned, the others right-aligned. */
export function table(rows: readonly (readonly string[])[], indent = "  "): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd())
    .join("\n");
}

const percent = (found: number, expected: number) => {
  const r = recall(found, expected);
  return r === undefined ? "-" : `${Math.round(r * 100)}%`;
};

const TALLY_HEADER = ["", "expected", "found", "near", "recall", "found(any)", "near(any)", "recall(any)"];

const tallyRow = (label: string, t: Tally) => [
  label,
  String(t.expected),
  String(t.warning.found),
  String(t.warning.near),
  percent(t.warning.found, t.expected),
  String(t.any.found),
  String(t.any.near),
  percent(t.any.found, t.expected),
];

const findingLine = (f: ReportedFinding | CaseFinding) =>
  `${"caseId" in f ? `${f.caseId}  ` : ""}${f.path}:${f.line}  ${f.severity} ${f.ruleId}: ${f.message.split("\n")[0]}`;

export interface RunProblems {
  /** Cases not replayed because their repository's mirror is absent. */
  skipped: { id: string; reason: string }[];
  /** Cases whose manifest entry does not fit the code. */
  errors: { id: string; file: string; message: string }[];
}

export function formatReport(summary: Summary, scores: readonly CaseScore[], problems: RunProblems, verbose: boolean): string {
  const out: string[] = [];
  const s = summary;
  out.push(
    `memlint real-world corpus: ${s.cases.reverseFix + s.cases.clean} cases replayed (${s.cases.reverseFix} reverse-fix, ${s.cases.clean} clean) from ${s.cases.repos} ${s.cases.repos === 1 ? "repository" : "repositories"}; ${problems.skipped.length} skipped, ${problems.errors.length} with errors`,
    "",
    `Recall over the expected lines of reverse-fix cases. found/recall: introduced findings at warning or error on the expected line;`,
    `(any): at any severity, info included; near: within ±${NEAR_LINES} lines but not on it (not counted in recall).`,
    "",
    table([TALLY_HEADER, tallyRow("overall", s.overall), tallyRow("rule exists today", s.byRuleStatus.existing), tallyRow("rule planned", s.byRuleStatus.planned), tallyRow("no rule fits", s.byRuleStatus.none)]),
    "",
    "By category",
    table([TALLY_HEADER, ...Object.entries(s.byCategory).sort((a, b) => b[1].expected - a[1].expected || a[0].localeCompare(b[0])).map(([k, t]) => tallyRow(k, t))]),
    "",
    "By difficulty",
    table([TALLY_HEADER, ...(["easy", "medium", "hard"] as const).filter((d) => s.byDifficulty[d]).map((d) => tallyRow(d, s.byDifficulty[d]!))]),
    "",
    "By expected rule",
    table([TALLY_HEADER, ...s.byRule.map((r) => tallyRow(r.status === "none" ? "(no rule fits)" : `${r.rule} (${r.status})`, r.tally))]),
    "",
    `Clean cases: ${s.clean.cases} replayed, ${s.clean.withFindings} with introduced findings (error ${s.clean.bySeverity.error}, warning ${s.clean.bySeverity.warning}, info ${s.clean.bySeverity.info})`,
    ...s.clean.findings.map((f) => `  ${findingLine(f)}`),
    "",
    `Reverse-fix findings on no expected line (±${NEAR_LINES}), to be read: ${s.extras.length}`,
    ...s.extras.map((f) => `  ${findingLine(f)}`),
    "",
    "Per case (found/near at warning+; any severity in parentheses)",
    table(
      scores.map((c) => {
        const count = (side: "warning" | "any", m: "found" | "near") => c.expected.filter((e) => e[side].match === m).length;
        const result =
          c.kind === "clean"
            ? `${c.findings.length} findings`
            : `${count("warning", "found")}/${c.expected.length} found, ${count("warning", "near")} near (${count("any", "found")} found, ${count("any", "near")} near), ${c.extras.length} extra`;
        return [c.id, c.kind, c.difficulty, result];
      }),
    ),
  );
  if (verbose) {
    out.push("", "Every finding");
    for (const c of scores) {
      out.push(`  ${c.id}: ${c.findings.length} introduced`);
      for (const e of c.expected) {
        const where = e.expected.line ?? `${e.expected.lines![0]}-${e.expected.lines![1]}`;
        out.push(`    expected ${e.expected.path}:${where} ${e.expected.rule ?? "(no rule)"}: ${e.any.match}${e.any.by.length > 0 ? ` by ${e.any.by.map((f) => `${f.ruleId}@${f.line}`).join(", ")}` : ""}`);
      }
      for (const f of c.findings) out.push(`    ${findingLine(f)}`);
    }
  }
  if (problems.skipped.length > 0) out.push("", "Skipped", ...problems.skipped.map((p) => `  ${p.id}: ${p.reason}`));
  if (problems.errors.length > 0) out.push("", "Errors (the manifest does not fit the code)", ...problems.errors.map((p) => `  ${p.file}: ${p.id}: ${p.message}`));
  return `${out.join("\n")}\n`;
}
