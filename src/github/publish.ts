/**
 * The writes of a run (gather → plan → publish): what a {@link Plan} says, sent to GitHub in
 * order — the "Waive" record (before anything that depends on it), one review with the new inline
 * comments, the thread lifecycle (resolve, reopen, edit), the check run's completion, and then the
 * answers to commands (which state the new conclusion). A failed write is reported in the outcome,
 * never thrown past the others: the check run is completed whatever happened before it.
 */
import type { Logger, ProbotOctokit } from "probot";
import type { CheckAnnotation } from "../comments/annotations.js";
import type { PullComment } from "../commands/comment.js";
import type { Reaction } from "../commands/reply.js";
import type { Completion } from "./check-run.js";
import { addReaction, editComment, postReply, removeOwnReaction, type RepoRef } from "./comments.js";
import { describeRequestError, gotNoAnswer, mayHaveLanded } from "./errors.js";
import type { PullTarget } from "./gather.js";
import { applyThreadChanges, type ThreadChange } from "./threads.js";

/** One inline comment of the review. */
export interface InlineComment {
  fingerprint: string;
  path: string;
  body: string;
  line: number;
  side: "RIGHT";
  start_line?: number;
  start_side?: "RIGHT";
}

type CommentRef = Pick<PullComment, "kind" | "id">;

/** A write that answers a command (or withdraws an answer), after the check run is completed. */
export type ReplyStep =
  | { kind: "remove-reaction"; comment: CommentRef; content: Reaction; what: string }
  | { kind: "add-reaction"; comment: CommentRef; content: Reaction; what: string }
  | { kind: "reply"; to: PullComment; body: string; what: string; answers: boolean }
  | { kind: "edit"; comment: CommentRef; body: string; what: string; answers: boolean };

/** What publishing achieved, for the final completion. */
export interface PublishOutcome {
  /** Why the review could not be posted (its comments then become annotations). */
  reviewError?: string;
  /** Thread updates that failed, and the first error. */
  threadFailures?: { count: number; error: string };
}

export interface Plan {
  /** The check run's completion when every write succeeds (annotations apart). */
  completion: Completion;
  annotations: CheckAnnotation[];
  /** The review's comments (empty: no review). */
  inlineComments: InlineComment[];
  /** The review's body. */
  reviewBody: string;
  threadChanges: ThreadChange[];
  replies: ReplyStep[];
  /** A "Waive" press to record on the pull request before anything else. */
  waiverRecord?: string;
  /** Failures worth a redelivery, known before publishing (permission lookups). */
  problems: string[];
  /** Answers left for the next run (more commands than one run answers). */
  deferredAnswers: number;
  /** The completion and annotations once the writes before it are done. */
  finish(outcome: PublishOutcome): { completion: Completion; annotations: CheckAnnotation[] };
}

export interface PublishDeps {
  octokit: ProbotOctokit;
  log: Logger;
  /** memlint's bot user (`<slug>[bot]`), whose reactions it may remove. */
  botLogin: string;
  /** How long a review whose outcome is unknown is looked for before it is sent again. */
  verifyMs: number;
  /** The fingerprints of memlint's threads now on the pull request. */
  postedFingerprints: () => Promise<Set<string>>;
}

export interface ThreadsReport {
  resolved: number;
  reopened: number;
  edited: number;
  failures?: { count: number; error: string };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts one review with the inline comments. Creating a review is not idempotent, so Octokit does
 * not retry it. After a failure that may have landed (a 5xx, no answer in time), memlint looks for
 * the comments' fingerprints on the pull request — after no answer, for `verifyMs` from the first
 * try, since a request GitHub answers late is applied late — and sends only the comments that
 * never appeared.
 */
export async function publishReview(deps: PublishDeps, target: Pick<PullTarget, "owner" | "repo" | "pullNumber" | "headSha">, plan: Pick<Plan, "inlineComments" | "reviewBody">): Promise<string | undefined> {
  if (plan.inlineComments.length === 0) return undefined;
  const send = (comments: readonly InlineComment[]) =>
    deps.octokit.rest.pulls.createReview({
      owner: target.owner,
      repo: target.repo,
      pull_number: target.pullNumber,
      commit_id: target.headSha,
      event: "COMMENT",
      body: plan.reviewBody,
      comments: comments.map(({ fingerprint: _f, ...c }) => c),
      request: { retries: 0 },
    });
  try {
    const started = Date.now();
    try {
      await send(plan.inlineComments);
      return undefined;
    } catch (err) {
      if (!mayHaveLanded(err)) throw err;
      // A request GitHub answered was processed; one it never answered may still be applied later.
      const missing = await stillMissing(deps, plan.inlineComments, gotNoAnswer(err) ? started + deps.verifyMs : 0);
      if (!missing) throw err;
      if (missing.length === 0) {
        deps.log.warn({ request: describeRequestError(err) }, "posting the review failed, but it was posted");
        return undefined;
      }
      await send(missing);
      return undefined;
    }
  } catch (err) {
    const what = describeRequestError(err);
    deps.log.error({ err, request: what }, "posting the review failed; its comments become annotations");
    return what;
  }
}

/** The comments not on the pull request by `deadline` (undefined: the pull request could not be read). */
async function stillMissing(deps: PublishDeps, comments: readonly InlineComment[], deadline: number): Promise<InlineComment[] | undefined> {
  for (let attempt = 0; ; attempt++) {
    const have = await deps.postedFingerprints().catch(() => undefined);
    const missing = have && comments.filter((c) => !have.has(c.fingerprint));
    if (missing?.length === 0 || Date.now() >= deadline) return missing;
    await sleep(Math.min(1000 * 2 ** Math.min(attempt, 3), Math.max(0, deadline - Date.now())));
  }
}

/** Applies the thread lifecycle changes; failures are counted, not thrown. */
export async function publishThreadChanges(deps: PublishDeps, plan: Pick<Plan, "threadChanges">): Promise<ThreadsReport> {
  const report: ThreadsReport = { resolved: 0, reopened: 0, edited: 0 };
  if (plan.threadChanges.length === 0) return report;
  const outcome = await applyThreadChanges(deps.octokit, plan.threadChanges, describeRequestError);
  for (const change of outcome.applied) {
    if (change.kind === "resolve") report.resolved++;
    else if (change.kind === "unresolve") report.reopened++;
    else report.edited++;
  }
  if (outcome.failed.length > 0) {
    report.failures = { count: outcome.failed.length, error: outcome.failed[0]!.error };
    deps.log.error({ failed: outcome.failed.length, request: report.failures.error }, "updating review threads failed");
  }
  return report;
}

/** Reactions and replies to commands; returns the answers written and the failures. */
export async function publishReplies(deps: PublishDeps, repo: RepoRef, pullNumber: number, plan: Plan): Promise<{ answered: number; problems: string[] }> {
  const problems: string[] = [];
  let answered = 0;
  if (plan.deferredAnswers > 0) deps.log.warn({ pending: plan.deferredAnswers }, "more commands than one run answers; the rest are answered by the next run");
  for (const step of plan.replies) {
    try {
      if (step.kind === "remove-reaction") await removeOwnReaction(deps.octokit, repo, step.comment, step.content, deps.botLogin);
      else if (step.kind === "add-reaction") await addReaction(deps.octokit, repo, step.comment, step.content);
      else if (step.kind === "reply") await postReply(deps.octokit, repo, pullNumber, step.to, step.body);
      else await editComment(deps.octokit, repo, step.comment, step.body);
      if ((step.kind === "reply" || step.kind === "edit") && step.answers) answered++;
    } catch (err) {
      const request = describeRequestError(err);
      deps.log.error({ err, request }, `${step.what} failed`);
      problems.push(`${step.what}: ${request}`);
    }
  }
  return { answered, problems };
}
