/**
 * The decisions of a run (gather → plan → publish), without any request: from what was read
 * ({@link RunInput}), the analysis, the ignore ledger rebuilt from the comments, the decision of
 * the environment's policy, where each finding goes (inline, annotation, summary), the thread
 * lifecycle, the check run's completion and the answers to commands.
 *
 * The completion assumes every write succeeds; {@link Plan.finish} gives the one to send once the
 * writes before it are done (inline comments that could not be posted become annotations, failed
 * thread updates are noted).
 */
import { toAnnotations } from "../comments/annotations.js";
import { placeFindings, type Placement } from "../comments/placement.js";
import { commentRange, renderReviewComment } from "../comments/review-comment.js";
import { appendToSummary, type IgnoredFinding, renderCheckOutput, renderErrorOutput } from "../comments/summary.js";
import { type PullComment, withTrigger } from "../commands/comment.js";
import { collectEvents, type LedgerResult, replay, type ReplayContext } from "../commands/ledger.js";
import { sourceKey, type WaiverRecord } from "../commands/markers.js";
import type { ParseOptions } from "../commands/parse.js";
import { lapsedNotes, renderAnswer, renderWaiverRecord, renderWithdrawal, type Verdict } from "../commands/reply.js";
import { blocksOn, decide, type EnvironmentChoice, offersWaiveButton, WAIVE_ACTION } from "../config/policy.js";
import { reviewChange } from "../review/review.js";
import type { Finding } from "../engine/types.js";
import type { Completion } from "../github/check-run.js";
import type { RunInput } from "../github/gather.js";
import type { InlineComment, Plan, PublishOutcome, ReplyStep } from "../github/publish.js";
import type { RunStats } from "../log.js";
import {
  errorConclusion,
  lockNote,
  packageContextNote,
  reviewBody,
  reviewFailedNote,
  sha7,
  supersededCompletion,
  threadsFailedNote,
  waiverFailedNote,
  withIgnores,
} from "./messages.js";
import { planThreadChanges } from "./threads.js";

/** Most answers (replies) written by one run; the rest come with the next run. */
export const MAX_ANSWERS_PER_RUN = 10;

/** A plan and what it tells the run's log line. */
export type PlannedRun = Plan & { stats: Partial<RunStats> };

const nothingElse = (completion: Completion, stats: Partial<RunStats> = {}): PlannedRun => ({
  completion,
  annotations: [],
  inlineComments: [],
  reviewBody: "",
  threadChanges: [],
  replies: [],
  problems: [],
  deferredAnswers: 0,
  stats,
  finish: () => ({ completion, annotations: [] }),
});

/** The configuration notes every completion of the run carries (refused locked settings). */
function withConfigNotes(input: RunInput, completion: Completion): Completion {
  const note = input.config ? lockNote(input.config) : undefined;
  return note ? { ...completion, output: { ...completion.output, summary: appendToSummary(completion.output.summary, [note]) } } : completion;
}

export function plan(input: RunInput): PlannedRun {
  const { target } = input;
  if (input.supersededBy) return nothingElse(supersededCompletion(target.pullNumber, input.requestedSha, input.supersededBy), { superseded: input.supersededBy });
  const config = input.config;
  if (!config || !config.ok) {
    const message = config && !config.ok ? config.message : "the configuration was not read";
    const completion = { conclusion: errorConclusion(undefined, input.environmentOverride), output: renderErrorOutput("config", message) };
    return nothingElse(withConfigNotes(input, completion), { error: "invalid configuration" });
  }
  const choice = input.environment;
  if (!choice || "error" in choice) {
    const completion = { conclusion: errorConclusion(undefined, input.environmentOverride), output: renderErrorOutput("config", choice?.error ?? "no environment") };
    return nothingElse(withConfigNotes(input, completion), { error: "invalid environment" });
  }
  const parse: ParseOptions = { minReasonLength: config.config.ignore.minReasonLength };
  const changes = input.changes;
  if (!changes) {
    return withoutFindings(input, choice, parse, {
      conclusion: "skipped",
      output: {
        title: "Draft pull request: not analyzed",
        summary: "This repository's configuration says `drafts: skip`. memlint analyzes the pull request when it is marked ready for review.",
      },
    });
  }
  const stats: Partial<RunStats> = { files: changes.listed, goFiles: changes.goFiles, partial: changes.partial.length > 0 };
  if (changes.goFiles === 0 && changes.partial.length === 0) {
    return withoutFindings(input, choice, parse, {
      conclusion: "success",
      output: {
        title: "No Go files changed",
        summary: `Pull request #${target.pullNumber} changes no Go files at \`${sha7(target.headSha)}\` (${changes.listed} ${changes.listed === 1 ? "file" : "files"} listed), so there is nothing for memlint to analyze.`,
      },
    }, stats);
  }

  const result = reviewChange(changes.files, config.config, changes.goVersion, { loadPackage: (dir) => changes.packages.get(dir) });
  result.skipped.unshift(...changes.skipped);
  stats.analyzedFiles = result.files.length;
  stats.findings = result.introduced.length;
  stats.preexisting = result.preexisting.length;
  const snapshot = input.snapshot!;

  const conclusionOf = (findings: readonly Finding[]) => decide(choice.environment, [...findings], { draft: target.draft }).conclusion;
  const commands = planCommands(input, choice, parse, {
    findings: result.introduced,
    preexisting: result.preexisting,
    suppressed: result.suppressed.map((s) => s.finding),
    conclusionOf,
  });
  const ignored: IgnoredFinding[] = commands.ledger.ignored;
  const ignoredPrints = new Set(ignored.map((i) => i.finding.fingerprint));
  const active = result.introduced.filter((f) => !ignoredPrints.has(f.fingerprint));
  const decision = withIgnores(decide(choice.environment, active, { draft: target.draft }), ignored.length);
  stats.blocking = decision.blocking.length;
  stats.ignored = ignored.length;

  const packageNote = packageContextNote(changes.packageNotes);
  const notes: string[] = [...commands.notes, ...(packageNote ? [packageNote] : [])];
  const fresh = active.filter((f) => !snapshot.byFingerprint.has(f.fingerprint));
  const commented = active.filter((f) => snapshot.byFingerprint.has(f.fingerprint));
  const placement = placeFindings(fresh, changes.changedByPath, config.config.maxComments, { minSeverity: config.config.comments.minSeverity });
  const threadChanges = planThreadChanges(snapshot, result, changes, new Map(ignored.map((i) => [i.finding.fingerprint, i])), target.headSha);

  const complete = (outcome: PublishOutcome) => {
    const unposted = outcome.reviewError ? placement.inline : [];
    // The findings that have (or just got) an inline comment count as "inline" in the summary.
    const shown: Placement = {
      inline: [...(outcome.reviewError ? [] : placement.inline), ...commented],
      annotations: [...unposted, ...placement.annotations],
      summaryOnly: placement.summaryOnly,
      demoted: placement.demoted,
      belowThreshold: placement.belowThreshold,
    };
    const output = renderCheckOutput({
      result,
      decision,
      choice,
      configSources: config.sources,
      placement: shown,
      ignored,
      partial: changes.partial,
      durationMs: input.elapsedMs,
      headSha: target.headSha,
      maxComments: config.config.maxComments,
      minSeverity: config.config.comments.minSeverity,
    });
    const failures = [
      ...(outcome.reviewError ? [reviewFailedNote(placement.inline.length, outcome.reviewError)] : []),
      ...(outcome.threadFailures ? [threadsFailedNote(outcome.threadFailures.count, outcome.threadFailures.error)] : []),
    ];
    output.summary = appendToSummary(output.summary, [...notes, ...failures]);
    const completion: Completion = {
      conclusion: decision.conclusion,
      output,
      ...(offersWaiveButton(choice.environment, decision) ? { actions: [{ ...WAIVE_ACTION }] } : {}),
    };
    return { completion: withConfigNotes(input, completion), annotations: toAnnotations(shown.annotations) };
  };
  const optimistic = complete({});
  const verdict: Verdict = { conclusion: decision.conclusion, title: optimistic.completion.output.title, headSha: target.headSha };
  const replies = replySteps(commands.ledger, verdict, parse);
  const n = placement.inline.length;
  return {
    completion: optimistic.completion,
    annotations: optimistic.annotations,
    inlineComments: placement.inline.map(inlineComment),
    reviewBody: reviewBody(n, target.headSha),
    threadChanges,
    replies: replies.steps,
    ...(commands.waiverRecord ? { waiverRecord: commands.waiverRecord } : {}),
    problems: commands.problems,
    deferredAnswers: replies.deferred,
    stats,
    finish: complete,
  };
}

/** A finding as an inline comment of the review (the Action posts the same). */
export function inlineComment(f: Finding): InlineComment {
  const range = commentRange(f);
  return {
    fingerprint: f.fingerprint,
    path: f.path,
    body: renderReviewComment(f),
    line: range.line,
    side: "RIGHT",
    ...(range.start_line !== undefined ? { start_line: range.start_line, start_side: "RIGHT" as const } : {}),
  };
}

/**
 * A run that ends before the analysis (no Go files, a skipped draft) still answers the commands
 * of the comment that started it, against no findings.
 */
function withoutFindings(input: RunInput, choice: EnvironmentChoice, parse: ParseOptions, completion: Completion, stats: Partial<RunStats> = {}): PlannedRun {
  const done = withConfigNotes(input, completion);
  if (!input.trigger || !input.snapshot) return nothingElse(done, stats);
  const commands = planCommands({ ...input, waiver: undefined }, choice, parse, {
    findings: [],
    preexisting: [],
    suppressed: [],
    conclusionOf: () => completion.conclusion as ReturnType<ReplayContext["conclusionOf"]>,
  });
  const replies = replySteps(commands.ledger, { conclusion: completion.conclusion, title: completion.output.title, headSha: input.target.headSha }, parse);
  return { ...nothingElse(done, stats), replies: replies.steps, deferredAnswers: replies.deferred, problems: commands.problems };
}

interface CommandsPlan {
  ledger: LedgerResult;
  /** Paragraphs for the check run's summary (lapsed ignores, an unrecorded waiver). */
  notes: string[];
  problems: string[];
  waiverRecord?: string;
}

/**
 * The ignore ledger, rebuilt from the comments the run read (with the triggering one folded in),
 * and — for a "Waive" press — the waiver record, as if already posted (the run plans again
 * without it when posting fails).
 */
function planCommands(
  input: RunInput,
  choice: EnvironmentChoice,
  parse: ParseOptions,
  analysis: Pick<ReplayContext, "findings" | "preexisting" | "suppressed" | "conclusionOf">,
): CommandsPlan {
  const snapshot = input.snapshot!;
  const { target, access } = input;
  const notes: string[] = [];
  const problems = [...access.problems];
  let comments = withTrigger(snapshot.comments, input.trigger, snapshot.byFingerprint.values());
  const context: ReplayContext = {
    ...analysis,
    environment: choice.environment,
    permissions: access.permissions,
    unavailable: access.unavailable,
    teams: access.teams,
    headSha: target.headSha,
    ...(target.author ? { author: target.author } : {}),
  };
  let ledger = replay(collectEvents(comments, parse), context);
  let waiverRecord: string | undefined;
  if (input.waiverFailed) {
    problems.push(`recording the waiver: ${input.waiverFailed}`);
    notes.push(waiverFailedNote(input.waiverFailed));
  } else if (input.waiver) {
    const ignored = new Set(ledger.ignored.map((i) => i.finding.fingerprint));
    const blocking = analysis.findings.filter((f) => !ignored.has(f.fingerprint) && blocksOn(choice.environment, f.severity));
    if (blocking.length > 0) {
      const record: WaiverRecord = { v: 1, by: input.waiver.by, at: input.waiver.at, env: choice.environment.name, p: blocking.map((f) => f.id) };
      waiverRecord = renderWaiverRecord(record, blocking);
      comments = [...comments, ownComment(waiverRecord, input.identity?.slug ?? "", input.waiver.at)];
      ledger = replay(collectEvents(comments, parse), context);
    }
  }
  notes.push(...lapsedNotes(ledger.lapsed));
  if (snapshot.truncatedThreads > 0) {
    notes.push(`> [!NOTE]\n> ${snapshot.truncatedThreads} review ${snapshot.truncatedThreads === 1 ? "thread has" : "threads have"} more than 100 comments; commands after the 100th comment of a thread were not read.`);
  }
  return { ledger, notes, problems, ...(waiverRecord ? { waiverRecord } : {}) };
}

/** A conversation comment memlint is about to write (its id is not known yet: it sorts last). */
function ownComment(body: string, slug: string, at: string): PullComment {
  return { kind: "issue", id: Number.MAX_SAFE_INTEGER, body, author: slug, isBot: true, isOwn: true, createdAt: at, editedAt: null };
}

/** Reactions and replies for the commands memlint has not answered yet, and withdrawn answers. */
function replySteps(ledger: LedgerResult, verdict: Verdict, parse: ParseOptions): { steps: ReplyStep[]; deferred: number } {
  const steps: ReplyStep[] = [];
  const answers = ledger.answers.slice(0, MAX_ANSWERS_PER_RUN);
  for (const answer of answers) {
    const source = answer.revision.comment;
    const previous = answer.revision.ack;
    const rendered = renderAnswer(answer, verdict, parse);
    const key = sourceKey(source.kind, source.id);
    if (previous?.record.r && previous.record.r !== rendered.reaction) {
      steps.push({ kind: "remove-reaction", comment: source, content: previous.record.r, what: `removing the earlier reaction on ${key}` });
    }
    if (previous?.record.r !== rendered.reaction) steps.push({ kind: "add-reaction", comment: source, content: rendered.reaction, what: `reacting to ${key}` });
    steps.push(
      previous
        ? { kind: "edit", comment: previous.comment, body: rendered.body, what: `updating the answer to ${key}`, answers: true }
        : { kind: "reply", to: source, body: rendered.body, what: `answering ${key}`, answers: true },
    );
  }
  for (const orphan of ledger.orphans) {
    const { body } = renderWithdrawal(orphan, verdict);
    steps.push({ kind: "edit", comment: orphan.ack.comment, body, what: `noting the withdrawn command ${orphan.ack.record.src}`, answers: false });
    const m = /^(issue|review):(\d+)$/.exec(orphan.ack.record.src);
    const reaction = orphan.ack.record.r;
    if (orphan.why === "edited" && m && reaction) {
      steps.push({ kind: "remove-reaction", comment: { kind: m[1] as "issue" | "review", id: Number(m[2]) }, content: reaction, what: `removing the reaction on ${orphan.ack.record.src}` });
    }
  }
  return { steps, deferred: ledger.answers.length - answers.length };
}
