/**
 * What memlint writes back: the answer to a command comment (with the hidden record that makes
 * the answer durable), the note on an answer whose command was withdrawn, the waiver record of the
 * "Waive" button, and a rule's documentation for `/memlint explain`.
 *
 * Nothing a user wrote is echoed unescaped: reasons and logins go through `escapeText` (no
 * mentions, links, HTML or markers), commands as written through `inlineCode`, and messages with
 * user tokens through `renderMessage` (tokens inside code spans, the rest escaped).
 */
import { escapeText, fencedBlock, inlineCode, renderMessage, truncate, truncateMessage } from "../comments/escape.js";
import { docsPageUrl, ruleDocsUrl } from "../comments/docs.js";
import type { Conclusion } from "../config/policy.js";
import type { Finding } from "../engine/types.js";
import { ruleMeta } from "../rules/index.js";
import type { Answer, LedgerResult, Orphan, Outcome } from "./ledger.js";
import { type AckCommand, ackMarker, type AckRecord, MAX_RECORD_IDS, waiverMarker, type WaiverRecord } from "./markers.js";
import { CATEGORY_LABEL, helpText, type ParseOptions, usageFor } from "./parse.js";

export interface Verdict {
  conclusion: Conclusion | string;
  /** The check run's title, e.g. "1 blocking finding (staging)". */
  title: string;
  headSha: string;
}

export type Reaction = "+1" | "confused";

export interface RenderedAnswer {
  body: string;
  record: AckRecord;
  reaction: Reaction;
}

const MAX_LISTED = 20;

function who(login: string): string {
  return escapeText(login.startsWith("@") ? login : `@${login}`);
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function listFindings(findings: readonly Finding[]): string[] {
  const lines = findings.slice(0, MAX_LISTED).map((f) => `- \`${f.id}\` ${inlineCode(f.ruleId)} at ${inlineCode(`${f.path}:${f.line}`)}`);
  if (findings.length > MAX_LISTED) lines.push(`- …and ${findings.length - MAX_LISTED} more (see the check run's summary)`);
  return lines;
}

function syntaxLines(usages: readonly string[]): string[] {
  if (usages.length === 1) return [`Syntax: ${inlineCode(usages[0]!)}`];
  return ["Syntax:", "", ...usages.map((u) => `- ${inlineCode(u)}`)];
}

function targetText(outcome: Extract<Outcome, { status: "accepted" }>): string {
  const t = outcome.command.target;
  if (t.kind === "rule") return t.ruleId;
  if (t.kind === "all") return "all";
  return outcome.changed.length === 1 ? outcome.changed[0]!.id : t.kind === "finding" ? t.id : "";
}

function renderOutcome(outcome: Outcome, verdict: Verdict, options: ParseOptions): string[] {
  switch (outcome.status) {
    case "refused":
      return [
        `😕 **Not applied:** ${renderMessage(truncateMessage(outcome.why, 600))}.`,
        "",
        ...syntaxLines(usageFor(outcome.name)),
      ];
    case "info": {
      const c = outcome.command;
      if (c.name === "help") return [helpText(options)];
      if (c.name === "explain") return [explainText(c.ruleId)];
      return [`🔄 **Re-checked** \`${verdict.headSha.slice(0, 7)}\`.`];
    }
    case "accepted": {
      const c = outcome.command;
      if (c.name === "unignore") {
        return [`↩️ **No longer ignored:** ${plural(outcome.changed.length, "finding")}.`, "", ...listFindings(outcome.changed)];
      }
      const updated = outcome.already.length > 0 ? ` (${outcome.already.length === outcome.changed.length ? "already ignored: reason and category updated" : `${outcome.already.length} of them already ignored: updated`})` : "";
      const lines = [
        `👍 **Ignored** ${plural(outcome.changed.length, "finding")} as ${escapeText(CATEGORY_LABEL[c.category])}${updated}:`,
        "",
        ...listFindings(outcome.changed),
        "",
        `Reason: ${escapeText(truncate(c.reason, 500))}`,
      ];
      if (c.target.kind === "rule" || c.target.kind === "all") {
        lines.push(
          "",
          `This covers the ${c.target.kind === "all" ? "findings" : `findings of ${inlineCode(c.target.ruleId)}`} that exist now; a finding a later push adds is reported and counted as usual.`,
        );
      }
      const back = targetText(outcome);
      if (back) lines.push("", `Take it back with ${inlineCode(`/memlint unignore ${back}`)}.`);
      return lines;
    }
  }
}

function verdictLine(before: Conclusion | string | undefined, verdict: Verdict): string {
  const now = `**${escapeText(String(verdict.conclusion))}**`;
  const change = before === undefined ? "" : before === verdict.conclusion ? " (unchanged)" : ` (was **${escapeText(String(before))}**)`;
  return `The \`memlint\` check is now ${now}${change}: ${escapeText(truncate(verdict.title, 200))}.`;
}

/** The ack record for an answer: per command, its status and the ids an accepted rule/all ignore covers. */
export function ackRecordFor(answer: Answer, reaction: Reaction): AckRecord {
  const c: AckCommand[] = answer.outcomes.map((o) => {
    if (o.status === "refused") return { n: o.name ?? "?", s: "no" };
    if (o.status === "info") return { n: o.command.name, s: "info" };
    return { n: o.command.name, s: "ok", ...(o.ids ? { p: o.ids.slice(0, MAX_RECORD_IDS) } : {}) };
  });
  return { v: 1, src: answer.revision.key, h: answer.revision.hash, r: reaction, c };
}

/** The reply to a command comment: a reaction, and a body that starts with its ack record. */
export function renderAnswer(answer: Answer, verdict: Verdict, options: ParseOptions): RenderedAnswer {
  const refused = answer.outcomes.some((o) => o.status === "refused");
  const reaction: Reaction = refused ? "confused" : "+1";
  const record = ackRecordFor(answer, reaction);
  const several = answer.outcomes.length > 1;
  const parts: string[] = [];
  for (const outcome of answer.outcomes) {
    const lines = renderOutcome(outcome, verdict, options);
    parts.push(several ? [`${inlineCode(truncate(outcome.text, 120))}`, "", ...lines].join("\n") : lines.join("\n"));
  }
  const changed = answer.outcomes.some((o) => o.status === "accepted" || (o.status === "info" && o.command.name === "recheck"));
  const footer: string[] = [];
  if (changed) footer.push(verdictLine(answer.before, verdict));
  else if (refused) footer.push("Nothing was changed. `/memlint help` lists the commands.");
  const edited = answer.revision.ack ? "_(answer updated for the edited comment)_" : "";
  const body = [ackMarker(record), parts.join("\n\n---\n\n"), ...footer, ...(edited ? [edited] : [])].join("\n\n").replace(/^(<!--.*-->)\n\n/, "$1\n");
  return { body: `${body}\n`, record, reaction };
}

/** The new text of an answer whose command was deleted or edited away: its effect is gone. */
export function renderWithdrawal(orphan: Orphan, verdict: Verdict): { body: string; record: AckRecord } {
  const record: AckRecord = { ...orphan.ack.record, h: orphan.why === "deleted" ? "" : orphan.ack.record.h, r: "", w: orphan.why };
  const what = orphan.why === "deleted" ? "The command comment was deleted" : "The command was edited away";
  const body = [
    ackMarker(record),
    `↩️ ${what}, so what it ignored or took back no longer applies.`,
    "",
    verdictLine(undefined, verdict),
    "",
  ].join("\n");
  return { body, record };
}

/** The comment that records a "Waive" button press on the pull request (the durable waiver). */
export function renderWaiverRecord(record: WaiverRecord, findings: readonly Finding[]): string {
  return [
    waiverMarker(record),
    `🛡️ **Waiver recorded:** ${who(record.by)} pressed “Waive” on the \`memlint\` check at ${escapeText(record.at)}. ` +
      `${plural(findings.length, "blocking finding")} in ${inlineCode(record.env)} ${findings.length === 1 ? "is" : "are"} ignored from now on, also after later pushes:`,
    "",
    ...listFindings(findings),
    "",
    `The waiver holds while ${who(record.by)} is an approver of ${inlineCode(record.env)}. ${inlineCode("/memlint unignore <finding-id>")} (or \`all\`) takes it back.`,
    "",
  ].join("\n");
}

/** `/memlint explain <rule-id>`: the rule's documentation (memlint's own text). */
export function explainText(ruleId: string): string {
  const meta = ruleMeta(ruleId);
  if (!meta) return `No rule \`${escapeText(ruleId)}\`.`;
  return [
    `📖 **${inlineCode(meta.id)}: ${escapeText(meta.title)}** — ${meta.category}, default severity \`${meta.severity}\`${meta.fixedInGo ? ` (\`info\` from Go ${meta.fixedInGo})` : ""}`,
    "",
    meta.rationale,
    "",
    `**Fix:** ${meta.fix}`,
    "",
    "<details><summary>Example</summary>",
    "",
    "Bad:",
    "",
    fencedBlock(meta.bad, "go"),
    "",
    "Good:",
    "",
    fencedBlock(meta.good, "go"),
    "",
    "</details>",
    "",
    `[Full documentation](${ruleDocsUrl(meta.id)}) · [Commands](${docsPageUrl("commands.md")})`,
  ].join("\n");
}

/** Lapsed ignores, for the check run's summary. */
export function lapsedNotes(lapsed: LedgerResult["lapsed"]): string[] {
  if (lapsed.length === 0) return [];
  const lines = lapsed.slice(0, 20).map((l) => `> - an ignore by ${who(l.by)}: ${renderMessage(truncateMessage(l.why, 300))}`);
  if (lapsed.length > 20) lines.push(`> - …and ${lapsed.length - 20} more`);
  return [`> [!NOTE]\n> ${plural(lapsed.length, "ignore")} no longer ${lapsed.length === 1 ? "applies" : "apply"} (memlint re-checks permissions on every run):\n${lines.join("\n")}`];
}
