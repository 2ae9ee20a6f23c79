/**
 * The commands' part of a run: rebuild the ledger from the comments the run already read (the
 * threads query brings the conversation and every thread's replies), look up the permissions it
 * needs (one request per distinct commenter; team memberships only for "Waive" records of team
 * approvers), record a "Waive" press durably, and — after the check run is completed — answer
 * the commands memlint has not answered yet (a reaction and a reply, or an edit of the earlier
 * reply when the command was edited).
 *
 * Requests: none when nobody wrote a command. Otherwise one permission lookup per distinct
 * commenter of ignores (and of new unignores/rechecks by others than the author), and per new or
 * edited command comment a reaction and a reply (two more when an edit flips the reaction).
 */
import type { Logger, ProbotOctokit } from "probot";
import type { IgnoredFinding } from "../comments/summary.js";
import { blocksOn, type Conclusion } from "../config/policy.js";
import type { EnvironmentPolicy, Permission } from "../config/types.js";
import type { Finding } from "../engine/types.js";
import { activeTeams, addReaction, editComment, postIssueComment, postReply, removeOwnReaction, repositoryPermission, type RepoRef } from "../github/comments.js";
import { describeRequestError } from "../github/errors.js";
import type { AppIdentity, PullComment, ThreadSnapshot } from "../github/threads.js";
import { collectEvents, type LedgerResult, loginsToCheck, replay, teamChecks } from "./ledger.js";
import { sourceKey, type WaiverRecord } from "./markers.js";
import { type ParseOptions } from "./parse.js";
import { lapsedNotes, renderAnswer, renderWaiverRecord, renderWithdrawal, type Verdict } from "./reply.js";

/** The comment event that started a run (merged into what GitHub lists, which may lag behind). */
export interface CommentTrigger {
  comment: PullComment;
  deleted: boolean;
}

/** Most answers (replies) written by one run; the rest come with the next run. */
export const MAX_ANSWERS_PER_RUN = 10;

export interface CommandsInput {
  octokit: ProbotOctokit;
  log: Logger;
  repo: RepoRef;
  pullNumber: number;
  headSha: string;
  author?: string;
  identity: AppIdentity;
  snapshot: ThreadSnapshot;
  environment: EnvironmentPolicy;
  parse: ParseOptions;
  findings: readonly Finding[];
  preexisting: readonly Finding[];
  suppressed: readonly Finding[];
  conclusionOf(active: readonly Finding[]): Conclusion;
  trigger?: CommentTrigger;
  /** The "Waive" button was pressed now by this approver (already verified by the handler). */
  waiver?: { by: string; at: string; teams?: readonly string[] };
}

export interface CommandsPhase {
  ledger: LedgerResult;
  ignored: IgnoredFinding[];
  /** Paragraphs for the check run's summary (lapsed ignores, an unrecorded waiver). */
  notes: string[];
  /** Failures worth a redelivery. */
  problems: string[];
  /** Reactions and replies; call after the check run is completed with `verdict`. */
  publish(verdict: Verdict): Promise<{ answered: number; problems: string[] }>;
}

/** The listed comments with the triggering one folded in (added, updated, or removed when deleted). */
export function withTrigger(comments: readonly PullComment[], trigger: CommentTrigger | undefined, snapshot: ThreadSnapshot): PullComment[] {
  if (!trigger) return [...comments];
  const t = trigger.comment;
  const same = (c: PullComment) => c.kind === t.kind && c.id === t.id;
  if (trigger.deleted) return comments.filter((c) => !same(c));
  const listed = comments.find(same);
  if (listed && listed.body === t.body) return [...comments];
  let thread = listed?.thread ?? t.thread;
  if (t.kind === "review") {
    const rootId = thread?.rootId ?? t.id;
    const sibling = comments.find((c) => c.kind === "review" && c.thread?.rootId === rootId)?.thread;
    const own = [...snapshot.byFingerprint.values()].find((e) => e.commentId === rootId);
    thread = sibling ?? (own ? { id: own.threadId, rootId, fingerprint: own.fingerprint } : { id: thread?.id ?? "", rootId });
  }
  const merged: PullComment = { ...t, ...(listed?.url && !t.url ? { url: listed.url } : {}), ...(thread ? { thread } : {}) };
  return listed ? comments.map((c) => (same(c) ? merged : c)) : [...comments, merged];
}

export async function prepareCommands(input: CommandsInput): Promise<CommandsPhase> {
  const { octokit, log, repo, environment } = input;
  const notes: string[] = [];
  const problems: string[] = [];
  let comments = withTrigger(input.snapshot.comments, input.trigger, input.snapshot);
  let events = collectEvents(comments, input.parse);

  const permissions = new Map<string, Permission | "none">();
  const unavailable = new Set<string>();
  for (const login of loginsToCheck(events, input.author, environment)) {
    try {
      permissions.set(login, await repositoryPermission(octokit, repo, login));
    } catch (err) {
      // Fail closed for this commenter only: their ignores do not apply in this run, and their
      // new commands wait for a run that can read the permission (a redelivery, the next push).
      const what = describeRequestError(err);
      log.error({ err, request: what, login }, "could not read a commenter's permission");
      unavailable.add(login);
      problems.push(`reading @${login}'s permission: ${what}`);
    }
  }
  const teams = new Map<string, readonly string[]>();
  if (input.waiver?.teams) teams.set(input.waiver.by.toLowerCase(), input.waiver.teams);
  const lookupTeams = async () => {
    const pairs = teamChecks(events, environment).filter(([login]) => !teams.has(login));
    const byLogin = new Map<string, string[]>();
    for (const [login, team] of pairs) byLogin.set(login, [...(byLogin.get(login) ?? []), team]);
    for (const [login, list] of byLogin) teams.set(login, await activeTeams(octokit, login, list, log));
  };
  await lookupTeams();

  const context = () => ({
    findings: input.findings,
    preexisting: input.preexisting,
    suppressed: input.suppressed,
    environment,
    permissions,
    unavailable,
    teams,
    conclusionOf: input.conclusionOf,
    headSha: input.headSha,
    ...(input.author ? { author: input.author } : {}),
  });
  let ledger = replay(events, context());

  // The "Waive" button: record the waiver on the pull request first, so it survives pushes.
  if (input.waiver) {
    const ignored = new Set(ledger.ignored.map((i) => i.finding.fingerprint));
    const blocking = input.findings.filter((f) => !ignored.has(f.fingerprint));
    const decisionBlocking = blockingOf(blocking, input);
    if (decisionBlocking.length > 0) {
      const record: WaiverRecord = { v: 1, by: input.waiver.by, at: input.waiver.at, env: environment.name, p: decisionBlocking.map((f) => f.id) };
      try {
        const posted = await postIssueComment(octokit, repo, input.pullNumber, renderWaiverRecord(record, decisionBlocking), `${input.identity.slug}[bot]`);
        comments = [...comments, posted];
        events = collectEvents(comments, input.parse);
        await lookupTeams();
        ledger = replay(events, context());
      } catch (err) {
        const what = describeRequestError(err);
        log.error({ err, request: what }, "could not record the waiver on the pull request; it is not applied");
        problems.push(`recording the waiver: ${what}`);
        notes.push(
          `> [!WARNING]\n> The waiver requested with the “Waive” button could not be recorded on the pull request (${what.replace(/[<>`*_[\]@#\r\n]/g, " ")}), so it was not applied. Press “Waive” again.`,
        );
      }
    }
  }

  notes.push(...lapsedNotes(ledger.lapsed));
  if (input.snapshot.truncatedThreads > 0) {
    notes.push(`> [!NOTE]\n> ${input.snapshot.truncatedThreads} review ${input.snapshot.truncatedThreads === 1 ? "thread has" : "threads have"} more than 100 comments; commands after the 100th comment of a thread were not read.`);
  }

  const publish = async (verdict: Verdict) => publishAnswers(input, ledger, verdict);
  return { ledger, ignored: ledger.ignored, notes, problems, publish };
}

/** The findings among `active` that block in the environment (drafts included: the waiver is for what would block). */
function blockingOf(active: readonly Finding[], input: CommandsInput): Finding[] {
  return active.filter((f) => blocksOn(input.environment, f.severity));
}

async function publishAnswers(input: CommandsInput, ledger: LedgerResult, verdict: Verdict): Promise<{ answered: number; problems: string[] }> {
  const { octokit, log, repo } = input;
  const bot = `${input.identity.slug}[bot]`;
  const problems: string[] = [];
  let answered = 0;
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
      return true;
    } catch (err) {
      const request = describeRequestError(err);
      log.error({ err, request }, `${what} failed`);
      problems.push(`${what}: ${request}`);
      return false;
    }
  };
  for (const answer of ledger.answers) {
    if (answered >= MAX_ANSWERS_PER_RUN) {
      log.warn({ pending: ledger.answers.length - answered }, "more commands than one run answers; the rest are answered by the next run");
      break;
    }
    const source = answer.revision.comment;
    const previous = answer.revision.ack;
    const rendered = renderAnswer(answer, verdict, input.parse);
    const key = sourceKey(source.kind, source.id);
    if (previous?.record.r && previous.record.r !== rendered.reaction) {
      await attempt(`removing the earlier reaction on ${key}`, () => removeOwnReaction(octokit, repo, source, previous.record.r as "+1" | "confused", bot));
    }
    if (previous?.record.r !== rendered.reaction) {
      await attempt(`reacting to ${key}`, () => addReaction(octokit, repo, source, rendered.reaction));
    }
    const ok = previous
      ? await attempt(`updating the answer to ${key}`, () => editComment(octokit, repo, previous.comment, rendered.body))
      : await attempt(`answering ${key}`, () => postReply(octokit, repo, input.pullNumber, source, rendered.body));
    if (ok) answered++;
  }
  for (const orphan of ledger.orphans) {
    const { body } = renderWithdrawal(orphan, verdict);
    await attempt(`noting the withdrawn command ${orphan.ack.record.src}`, () => editComment(octokit, repo, orphan.ack.comment, body));
    const m = /^(issue|review):(\d+)$/.exec(orphan.ack.record.src);
    const reaction = orphan.ack.record.r;
    if (orphan.why === "edited" && m && reaction) {
      const source = { kind: m[1] as "issue" | "review", id: Number(m[2]) };
      await attempt(`removing the reaction on ${orphan.ack.record.src}`, () => removeOwnReaction(octokit, repo, source, reaction, bot));
    }
  }
  return { answered, problems };
}
