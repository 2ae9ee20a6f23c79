/**
 * The check run's output: title, summary (markdown, at most 65,535 characters, guaranteed) and
 * a continuation `text` when the findings table does not fit in the summary.
 *
 * Summary layout: conclusion and why; partial-run warning; counts by severity; findings table
 * (capped, with the overflow count); environment and policy with the source of each setting;
 * ignored findings (who, when, why); contract coverage; pre-existing findings in touched code
 * (information); skipped files; notes; time taken.
 */
import { summarizeCoverage } from "../contracts/coverage.js";
import type { ReviewResult } from "../review/review.js";
import { type Finding, SEVERITIES, type Severity } from "../engine/types.js";
import type { Decision, EnvironmentChoice } from "../config/policy.js";
import { describeThreshold } from "../config/policy.js";
import { escapeText, fencedBlock, inlineCode, renderMessage, truncate, truncateMessage } from "./escape.js";
import { compareFindings, type Placement } from "./placement.js";
import { SEVERITY_ICON } from "./review-comment.js";

/**
 * GitHub's limit for `output.summary` and `output.text`: 65,535 characters. Budgets here count
 * UTF-8 bytes, which are never fewer than characters, so the limit holds however GitHub counts
 * (emoji and zero-width joiners take several bytes).
 */
export const MAX_OUTPUT = 65_535;

/** Truncates a markdown text to GitHub's output limit (check-run `summary` and `text`), saying so at the end. */
export function fitOutput(text: string, max: number = MAX_OUTPUT): string {
  if (text.length <= max) return text;
  const note = "\n\n_(truncated: GitHub allows 65,535 characters)_";
  let cut = max - note.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut) + note;
}

/** Appends paragraphs to a summary within GitHub's limit (the notes are kept, the summary cut). */
export function appendToSummary(summary: string, notes: readonly string[]): string {
  if (notes.length === 0) return fitOutput(summary);
  const tail = `\n\n${notes.join("\n\n")}`;
  const room = MAX_OUTPUT - Math.min(tail.length, MAX_OUTPUT / 2);
  return fitOutput(fitOutput(summary, room) + tail);
}

/** The size that counts against {@link MAX_OUTPUT}. */
export function outputSize(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
const size = outputSize;
/** Most rows of the findings table in the summary (more go to `text`). */
export const MAX_SUMMARY_ROWS = 300;
/** Most rows of each other list (ignored, pre-existing, skipped, notes). */
export const MAX_LIST_ROWS = 100;
const MAX_TITLE = 255;

export interface IgnoredFinding {
  finding: Finding;
  by: string;
  at: string;
  category: string;
  reason: string;
  via: "comment" | "in-code" | "waive-button";
  /** The comment that made (or records) the ignore, on GitHub. */
  link?: string;
}

export interface SummaryInput {
  result: ReviewResult;
  decision: Decision;
  choice: EnvironmentChoice;
  /** Where each configuration setting came from (from the config loader); missing → "default". */
  configSources: Record<string, string>;
  placement: Placement;
  ignored: IgnoredFinding[];
  /** Reasons the run is partial (files not fetched, API limits, …). */
  partial: string[];
  durationMs: number;
  headSha: string;
  /** The configured `max_comments`, shown in the policy table when given. */
  maxComments?: number;
  /** The configured `comments.min_severity`, shown in the policy table when given. */
  minSeverity?: Severity;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

type Tier = "inline comment" | "annotation" | "summary only";

function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? word : pluralWord}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "unknown time";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A path (tail kept when long) and line, as a table-safe code span. */
function location(path: string, line?: number): string {
  const p = path.length > 120 ? `…${path.slice(-119)}` : path;
  return inlineCode(line === undefined ? p : `${p}:${line}`, { inTable: true });
}

function cell(message: string, max = 160): string {
  return renderMessage(truncateMessage(message, max), { inTable: true });
}

function login(who: string): string {
  return escapeText(who.startsWith("@") ? who : `@${who}`);
}

/**
 * Where a setting came from, from the loader's per-key sources (`environments.staging.block_on`,
 * `max_comments`; camelCase or snake_case alike): the key itself or the keys under it, else the
 * nearest key above it, else "default".
 */
export function sourceOf(sources: Record<string, string>, path: (string | number)[]): string {
  const normalize = (key: string) => key.replace(/\[(\d+)\]/g, ".$1").replace(/_/g, "").toLowerCase();
  const entries = Object.entries(sources).map(([k, v]) => [normalize(k), v] as const);
  const key = normalize(path.join("."));
  const below = new Set(entries.filter(([k]) => k === key || k.startsWith(`${key}.`)).map(([, v]) => v));
  if (below.size > 0) return [...below].join(", ");
  for (let n = path.length - 1; n > 0; n--) {
    const above = normalize(path.slice(0, n).join("."));
    const hit = entries.find(([k]) => k === above);
    if (hit) return hit[1];
  }
  return "default";
}

/** Appends rows while the text stays within `budget`; returns how many rows were used. */
function fillRows(lines: string[], rows: string[], budget: number, maxRows: number): number {
  let used = lines.reduce((n, l) => n + size(l) + 1, 0);
  let count = 0;
  for (const row of rows) {
    const rowSize = size(row) + 1;
    if (count >= maxRows || used + rowSize > budget) break;
    lines.push(row);
    used += rowSize;
    count++;
  }
  return count;
}

/** A finding's short id as a code span (what `/memlint ignore <finding-id>` takes). */
function findingId(finding: Finding): string {
  return /^[0-9a-f]{6,64}$/.test(finding.id) ? `\`${finding.id}\`` : escapeText(truncate(finding.id, 20));
}

function findingRow(finding: Finding, tier?: Tier): string {
  const cells = [
    `${SEVERITY_ICON[finding.severity]} ${finding.severity}`,
    inlineCode(finding.ruleId, { inTable: true }),
    location(finding.path, finding.line),
    cell(finding.message),
    ...(tier ? [findingId(finding), tier] : []),
  ];
  return `| ${cells.join(" | ")} |`;
}

function tableHeader(withTier: boolean): string[] {
  return withTier
    ? ["| Severity | Rule | Location | Finding | Id | Posted as |", "|---|---|---|---|---|---|"]
    : ["| Severity | Rule | Location | Finding |", "|---|---|---|---|"];
}

/** A link to a comment on GitHub, only when it is one (the URL comes from GitHub's API). */
function commentLink(text: string, url: string | undefined): string {
  if (!url || !/^https:\/\/[A-Za-z0-9.-]+\/[A-Za-z0-9._/#-]+$/.test(url)) return text;
  return `[${text}](${url})`;
}

interface Section {
  render(budget: number): string;
}

function listSection(
  heading: string,
  intro: string | undefined,
  header: string[],
  rows: string[],
  maxRows = MAX_LIST_ROWS,
): Section | undefined {
  if (rows.length === 0) return undefined;
  return {
    render(budget: number) {
      const lines = [heading, ...(intro ? ["", intro] : []), "", ...header];
      const reserve = 120;
      const shown = fillRows(lines, rows, budget - reserve, maxRows);
      if (shown === 0) lines.splice(lines.length - header.length, header.length);
      if (shown < rows.length) lines.push("", `_…and ${plural(rows.length - shown, "more")} not shown._`);
      return lines.join("\n");
    },
  };
}

export function renderCheckOutput(input: SummaryInput): CheckOutput {
  const { result, decision, placement } = input;
  // Ignored findings are listed under "Ignored findings", not in the findings table.
  const ignoredPrints = new Set(input.ignored.map((i) => i.finding.fingerprint));
  const introduced = result.introduced.filter((f) => !ignoredPrints.has(f.fingerprint)).sort(compareFindings);
  const tiers = new Map<string, Tier>();
  for (const f of placement.inline) tiers.set(f.fingerprint, "inline comment");
  for (const f of placement.annotations) tiers.set(f.fingerprint, "annotation");
  for (const f of placement.summaryOnly) tiers.set(f.fingerprint, "summary only");
  const tierOf = (f: Finding): Tier => tiers.get(f.fingerprint) ?? "summary only";
  // Rows in the table: by severity; within one, summary-only first (they appear nowhere else).
  const tierOrder: Record<Tier, number> = { "summary only": 0, annotation: 1, "inline comment": 2 };
  const tableFindings = introduced.sort(
    (a, b) => compareSeverity(a.severity, b.severity) || tierOrder[tierOf(a)] - tierOrder[tierOf(b)] || compareFindings(a, b),
  );

  const head: string[] = [];
  // The explanation quotes environment names from the configuration: render it as a message.
  head.push(`**Conclusion: ${decision.conclusion}** — ${renderMessage(decision.explanation)}`);
  if (input.partial.length > 0) {
    head.push(
      [
        "> [!WARNING]",
        "> **Partial run.** Some of the change was not analyzed:",
        ...input.partial.slice(0, 20).map((r) => `> - ${escapeText(truncate(r, 300))}`),
        ...(input.partial.length > 20 ? [`> - …and ${plural(input.partial.length - 20, "more reason")}`] : []),
      ].join("\n"),
    );
  }
  head.push(countsTable(input));

  const placementNotes: string[] = [];
  if (placement.inline.length > 0) placementNotes.push(`${plural(placement.inline.length, "inline review comment")}`);
  if (placement.annotations.length > 0) placementNotes.push(`${plural(placement.annotations.length, "annotation")}`);
  if (placement.summaryOnly.length > 0) placementNotes.push(`${plural(placement.summaryOnly.length, "finding")} listed only here`);
  let placementLine = placementNotes.length > 0 ? `Posted as ${placementNotes.join(", ")}.` : "";
  const ignoredIntroduced = result.introduced.length - introduced.length;
  if (ignoredIntroduced > 0) {
    placementLine += ` ${plural(ignoredIntroduced, "ignored finding")} ${ignoredIntroduced === 1 ? "is" : "are"} listed under “Ignored findings”.`;
  }
  if (placement.demoted > 0) {
    const limit = input.maxComments ?? placement.inline.length;
    placementLine += ` ${plural(placement.demoted, "finding")} in the diff went over the limit of ${plural(limit, "inline comment")} (\`max_comments\`) and ${placement.demoted === 1 ? "was" : "were"} posted as ${placement.demoted === 1 ? "an annotation" : "annotations"} instead.`;
  }
  if (placement.belowThreshold > 0) {
    const threshold = input.minSeverity ?? "warning";
    placementLine += ` ${plural(placement.belowThreshold, "finding")} in the diff ${placement.belowThreshold === 1 ? "is" : "are"} below the severity of inline comments (\`comments.min_severity: ${threshold}\`) and ${placement.belowThreshold === 1 ? "was" : "were"} posted as ${placement.belowThreshold === 1 ? "an annotation" : "annotations"}.`;
  }

  const sections: (Section | undefined)[] = [];
  // Findings table: its rows fill what the summary has left; the rest continue in `text`.
  let findingsShown = 0;
  sections.push(
    tableFindings.length === 0
      ? undefined
      : {
          render(budget: number) {
            const lines = ["### Findings introduced by this pull request", ...(placementLine ? ["", placementLine.trim()] : []), "", ...tableHeader(true)];
            const reserve = 200;
            findingsShown = fillRows(lines, tableFindings.map((f) => findingRow(f, tierOf(f))), budget - reserve, MAX_SUMMARY_ROWS);
            const rest = tableFindings.length - findingsShown;
            if (rest > 0) lines.push("", `_…and ${plural(rest, "more finding")} not shown here (see below and the annotations)._`);
            return lines.join("\n");
          },
        },
  );
  sections.push({ render: () => policySection(input) });
  sections.push(ignoredSection(input));
  sections.push(coverageSection(result));
  sections.push(
    listSection(
      "### Pre-existing findings in touched code (information)",
      "These were already there before this pull request; they are not blamed on it and do not block.",
      tableHeader(false),
      [...result.preexisting].sort(compareFindings).map((f) => findingRow(f)),
    ),
  );
  sections.push(
    listSection(
      "### Skipped files",
      undefined,
      ["| File | Why |", "|---|---|"],
      [
        ...result.skipped.map((s) => `| ${location(s.path)} | ${cell(s.reason, 200)} |`),
        ...result.notes.filter((n) => /^skipped:/.test(n.message)).map((n) => `| ${location(n.path)} | ${cell(n.message.replace(/^skipped:\s*/, ""), 200)} |`),
      ],
    ),
  );
  sections.push(
    listSection(
      "### Notes",
      undefined,
      ["| Where | Note |", "|---|---|"],
      result.notes.filter((n) => !/^skipped:/.test(n.message)).map((n) => `| ${location(n.path, n.line)} | ${cell(n.message, 300)} |`),
    ),
  );

  const analyzed = result.files.length;
  const sha = /^[0-9a-f]{7,64}$/i.test(input.headSha) ? inlineCode(input.headSha.slice(0, 7)) : escapeText(truncate(input.headSha, 40));
  const footer = `---\n<sub>Analyzed ${plural(analyzed, "Go file")} in ${formatDuration(input.durationMs)} · head ${sha} · memlint</sub>`;

  // Assemble within the limit: the fixed parts first, then each section gets what is left,
  // keeping a small reserve for every section after it.
  const separator = "\n\n";
  const parts = [...head];
  const fixedLength = size(head.join(separator)) + size(footer) + separator.length * 2;
  const live = sections.filter((s): s is Section => s !== undefined);
  let used = fixedLength;
  live.forEach((section, i) => {
    const reserveForLater = (live.length - i - 1) * 600;
    const budget = Math.max(0, MAX_OUTPUT - used - reserveForLater - separator.length);
    const text = section.render(budget);
    const textSize = size(text);
    if (textSize === 0 || textSize > budget) return;
    parts.push(text);
    used += textSize + separator.length;
  });
  parts.push(footer);
  const summary = enforceLimit(parts.join(separator), MAX_OUTPUT);

  const output: CheckOutput = { title: truncate(decision.title, MAX_TITLE), summary };
  const remaining = tableFindings.slice(findingsShown);
  if (remaining.length > 0) {
    const lines = ["### Findings introduced by this pull request (continued)", "", ...tableHeader(true)];
    const shown = fillRows(lines, remaining.map((f) => findingRow(f, tierOf(f))), MAX_OUTPUT - 300, Number.POSITIVE_INFINITY);
    if (shown < remaining.length) {
      lines.push("", `_…and ${plural(remaining.length - shown, "more finding")} not listed: the check run's output is limited to 65,535 characters. Run \`memlint\` locally to see them all._`);
    }
    output.text = enforceLimit(lines.join("\n"), MAX_OUTPUT);
  }
  return output;
}

function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

function countsTable(input: SummaryInput): string {
  const { result, decision, ignored } = input;
  const count = (list: { severity: Severity }[], s: Severity) => list.filter((f) => f.severity === s).length;
  const ignoredAll = [...ignored.map((i) => i.finding), ...result.suppressed.map((s) => s.finding)];
  const rows = SEVERITIES.map(
    (s) =>
      `| ${SEVERITY_ICON[s]} ${s} | ${count(result.introduced, s)} | ${count(decision.blocking, s)} | ${count(result.preexisting, s)} | ${count(ignoredAll, s)} |`,
  );
  const total = `| **total** | **${result.introduced.length}** | **${decision.blocking.length}** | **${result.preexisting.length}** | **${ignoredAll.length}** |`;
  return ["| Severity | Introduced | Blocking | Pre-existing | Ignored |", "|---|--:|--:|--:|--:|", ...rows, total].join("\n");
}

function policySection(input: SummaryInput): string {
  const { choice, configSources: sources } = input;
  const env = choice.environment;
  const envSource = (key: string) => sourceOf(sources, ["environments", env.name, key]);
  const w = env.waivers;
  const waivers = !w.allowed
    ? "not allowed"
    : [
        `at least ${w.minPermission} permission`,
        w.approvers.length > 0 ? `approvers: ${w.approvers.map((a) => inlineCode(a, { inTable: true })).join(", ")}` : undefined,
        w.authorMayWaive ? "the author may waive" : "not the pull request's author",
      ]
        .filter(Boolean)
        .join("; ");
  const environmentSource = choice.reason.startsWith("MEMLINT_ENVIRONMENT=")
    ? "deployment (`MEMLINT_ENVIRONMENT`)"
    : escapeText(envSource("branches"));
  const rows = [
    ["Environment", `${inlineCode(env.name, { inTable: true })}: ${cell(choice.reason, 300)}`, environmentSource],
    ["Blocks on", env.blockOn === "none" ? "nothing" : `${env.blockOn} and above`, escapeText(envSource("blockOn"))],
    ["Conclusion when blocking", inlineCode(env.conclusion, { inTable: true }), escapeText(envSource("conclusion"))],
    ["Waivers", waivers, escapeText(envSource("waivers"))],
    ["Draft pull requests", "analyzed, never block", escapeText(sourceOf(sources, ["drafts"]))],
    [
      "Inline comments",
      [
        input.maxComments === undefined ? "at most `max_comments`" : `at most ${input.maxComments} (\`max_comments\`)`,
        ...(input.minSeverity === undefined ? [] : [`for ${input.minSeverity === "info" ? "every finding" : `${input.minSeverity} and above`} (\`comments.min_severity\`)`]),
      ].join(", "),
      escapeText([...new Set([sourceOf(sources, ["maxComments"]), ...(input.minSeverity === undefined ? [] : [sourceOf(sources, ["comments", "minSeverity"])])])].join(", ")),
    ],
  ];
  return [
    "### Environment and policy",
    "",
    `${inlineCode(env.name)} ${describeThreshold(env)}.`,
    "",
    "| Setting | Value | Source |",
    "|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

function ignoredSection(input: SummaryInput): Section | undefined {
  const via: Record<IgnoredFinding["via"], string> = { comment: "comment", "in-code": "in code", "waive-button": "“Waive” button" };
  const rows = [
    ...input.ignored.map(
      (i) =>
        `| ${findingId(i.finding)} ${inlineCode(i.finding.ruleId, { inTable: true })} ${location(i.finding.path, i.finding.line)} | ${login(i.by)} | ${escapeText(truncate(i.at, 40))} | ${escapeText(truncate(i.category, 40))} | ${cell(i.reason, 300)} | ${commentLink(via[i.via], i.link)} |`,
    ),
    ...input.result.suppressed.map(
      (s) =>
        `| ${inlineCode(s.finding.ruleId, { inTable: true })} ${location(s.finding.path, s.finding.line)} | directive on line ${s.line} | | | ${cell(s.reason, 300)} | in code |`,
    ),
  ];
  return listSection(
    "### Ignored findings",
    undefined,
    ["| Finding | Ignored by | When | Category | Reason | How |", "|---|---|---|---|---|---|"],
    rows,
  );
}

/** How many of the exported functions the change adds or touches in `contracts.require` have full contracts, and which do not. */
function coverageSection(result: ReviewResult): Section | undefined {
  const coverage = summarizeCoverage(result.coverage);
  if (!coverage) return undefined;
  const waived = coverage.waived > 0 ? ` (${plural(coverage.waived, "more")} waived with a reason)` : "";
  const intro =
    `**${coverage.covered} of ${plural(coverage.functions, "exported function")}** that this pull request adds or changes in the paths of ` +
    `\`contracts.require\` ${coverage.covered === 1 ? "has" : "have"} a contract for every parameter that needs one${waived}.`;
  if (coverage.missing.length === 0) return { render: () => ["### Contract coverage", "", intro].join("\n") };
  return listSection(
    "### Contract coverage",
    `${intro} Without a contract:`,
    ["| Function | Location | Parameters without a directive |", "|---|---|---|"],
    coverage.missing.map(
      (e) => `| ${inlineCode(e.function, { inTable: true })} | ${location(e.path, e.line)} | ${e.uncovered.map((p) => inlineCode(p, { inTable: true })).join(", ")} |`,
    ),
  );
}

/**
 * Cuts markdown to `max` UTF-8 bytes (hence also characters) at a line boundary, with a note
 * (never splits a row).
 */
function enforceLimit(text: string, max: number): string {
  if (size(text) <= max) return text;
  const note = "\n\n_…output truncated at GitHub's limit of 65,535 characters._";
  const budget = max - size(note);
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const b = size(ch);
    if (bytes + b > budget) break;
    bytes += b;
    end += ch.length;
  }
  // Prefer a line boundary unless that would throw away most of the text.
  const line = text.lastIndexOf("\n", end);
  return text.slice(0, line > end / 2 ? line : end) + note;
}

export function renderErrorOutput(kind: "config" | "internal" | "github", message: string): { title: string; summary: string } {
  const what = {
    config: {
      title: "memlint configuration error",
      intro: "memlint could not use this repository's configuration (`.github/memlint.yml` on the default branch), so nothing was analyzed.",
      next: "Fix the problems below on the default branch; memlint runs again on the next push, or re-run this check.",
    },
    internal: {
      title: "memlint internal error",
      intro: "memlint failed while analyzing this pull request, so its findings are unknown.",
      next: "Re-run this check. If the error persists, please report it with the message below.",
    },
    github: {
      title: "memlint could not talk to GitHub",
      intro: "A GitHub API request failed, so the analysis could not be completed or published.",
      next: "Re-run this check; if GitHub is having an incident, wait for it to be resolved.",
    },
  }[kind];
  // At most 4 UTF-8 bytes per character: 15,000 characters always fit.
  const body = truncate(message, 15_000);
  return {
    title: what.title,
    summary: enforceLimit([`**${what.intro}**`, what.next, fencedBlock(body, "text")].join("\n\n"), MAX_OUTPUT),
  };
}
