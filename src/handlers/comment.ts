/**
 * `/memlint …` commands: `issue_comment` (created, edited, deleted — on pull requests only) and
 * `pull_request_review_comment` (created, edited, deleted).
 *
 * A comment without a command line costs no request. Comments of bots — memlint's own included —
 * are never commands. `help`, `explain` and malformed commands are answered at once, without an
 * analysis. Everything else starts a run for the current head that
 * re-completes the newest memlint check run of that commit: the run rebuilds the ignore ledger
 * from the pull request's comments (this one included, even if GitHub's listing lags behind),
 * decides again, resolves the ignored findings' threads, and answers the command with a reaction
 * and a reply that states the new conclusion. An edited or deleted command changes the result the
 * same way.
 */
import type { Logger, ProbotOctokit } from "probot";
import { type CommentTrigger } from "../commands/apply.js";
import type { Answer, CommandRevision, Outcome } from "../commands/ledger.js";
import { bodyHash, sourceKey } from "../commands/markers.js";
import { hasCommand, parseComment, type ParsedCommand } from "../commands/parse.js";
import { renderAnswer } from "../commands/reply.js";
import { DEFAULT_CONFIG } from "../config/types.js";
import { addReaction, postReply } from "../github/comments.js";
import { describeRequestError, step } from "../github/errors.js";
import type { PullComment } from "../github/threads.js";
import { runLogger } from "../log.js";
import { type EventContext, type PullRequestPayload, type RepositoryPayload, targetFromPull } from "./events.js";
import { runReview } from "./run.js";
import { pullKey, runOnce, type Shared } from "./shared.js";

export const COMMENT_EVENTS = [
  "issue_comment.created",
  "issue_comment.edited",
  "issue_comment.deleted",
  "pull_request_review_comment.created",
  "pull_request_review_comment.edited",
  "pull_request_review_comment.deleted",
] as const;

interface UserPayload {
  login: string;
  type?: string;
}

export interface CommentPayload {
  id: number;
  node_id?: string;
  body?: string | null;
  user?: UserPayload | null;
  created_at: string;
  updated_at?: string;
  html_url?: string;
  /** Review comments: the thread's first comment, for replies. */
  in_reply_to_id?: number;
}

interface CommentEvent {
  action: string;
  comment: CommentPayload;
  repository: RepositoryPayload;
  /** issue_comment */
  issue?: { number: number; state?: string; pull_request?: unknown; user?: UserPayload | null };
  /** pull_request_review_comment */
  pull_request?: PullRequestPayload;
  changes?: { body?: { from?: string } };
}

export function isBotUser(user: UserPayload | null | undefined): boolean {
  if (!user?.login) return true;
  return user.type === "Bot" || /\[bot\]$/i.test(user.login);
}

/** The comment of a webhook as the ledger sees comments. */
export function commentFromPayload(comment: CommentPayload, kind: "issue" | "review"): PullComment {
  const edited = comment.updated_at && comment.updated_at !== comment.created_at ? comment.updated_at : null;
  return {
    kind,
    id: comment.id,
    ...(comment.node_id ? { nodeId: comment.node_id } : {}),
    body: comment.body ?? "",
    author: comment.user?.login ?? "",
    isBot: isBotUser(comment.user),
    isOwn: false,
    createdAt: comment.created_at,
    editedAt: edited,
    ...(comment.html_url ? { url: comment.html_url } : {}),
    ...(kind === "review" ? { thread: { id: "", rootId: comment.in_reply_to_id ?? comment.id } } : {}),
  };
}

/**
 * Commands that need neither the configuration nor an analysis: help, explain, and malformed ones
 * whose error does not depend on the configuration (a reason that is merely too short does:
 * `ignore.min_reason_length`).
 */
function answerableAtOnce(body: string, parsed: readonly ParsedCommand[]): boolean {
  const anyLength = parseComment(body, { minReasonLength: 0 });
  return (
    parsed.length > 0 &&
    parsed.length === anyLength.length &&
    parsed.every((p, i) => (p.ok ? p.command.name === "help" || p.command.name === "explain" : !anyLength[i]!.ok))
  );
}

async function answerAtOnce(octokit: ProbotOctokit, repository: RepositoryPayload, pullNumber: number, comment: PullComment, parsed: ParsedCommand[], log: Logger): Promise<void> {
  const revision: CommandRevision = { comment, key: sourceKey(comment.kind, comment.id), hash: bodyHash(comment.body), time: Date.parse(comment.createdAt) || 0, commands: parsed };
  const outcomes: Outcome[] = parsed.map((p) =>
    p.ok
      ? { status: "info", text: p.text, command: p.command as Extract<Outcome, { status: "info" }>["command"] }
      : { status: "refused", text: p.text, ...(p.name ? { name: p.name } : {}), why: p.error },
  );
  const answer: Answer = { revision, outcomes, before: "neutral" };
  const rendered = renderAnswer(answer, { conclusion: "", title: "", headSha: "" }, { minReasonLength: DEFAULT_CONFIG.ignore.minReasonLength });
  const repo = { owner: repository.owner.login, repo: repository.name };
  try {
    await addReaction(octokit, repo, comment, rendered.reaction);
  } catch (err) {
    log.warn({ err, request: describeRequestError(err) }, "could not react to the command");
  }
  await step("answering the command", () => postReply(octokit, repo, pullNumber, comment, rendered.body));
  log.info({ reaction: rendered.reaction }, "command answered");
}

export async function onComment(context: EventContext<CommentEvent>, shared: Shared): Promise<void> {
  const { action, comment, repository, issue, pull_request: pr, changes } = context.payload;
  const kind = context.name === "issue_comment" ? "issue" : "review";
  if (kind === "issue" && !issue?.pull_request) return; // an issue, not a pull request
  // Bots (memlint included) never give commands.
  if (isBotUser(comment.user)) return;
  const body = comment.body ?? "";
  const relevant = hasCommand(body) || (action === "edited" && hasCommand(changes?.body?.from));
  if (!relevant) return;
  const pullNumber = kind === "issue" ? issue!.number : pr!.number;
  const state = kind === "issue" ? issue!.state : pr!.state;
  const log = runLogger(context.log, {
    deliveryId: context.id,
    event: `${context.name}.${action}`,
    repository: repository.full_name,
    pullNumber,
  }).child({ commenter: comment.user?.login, commentId: comment.id });
  if (state === "closed") {
    log.info("command on a closed pull request; nothing to do");
    return;
  }
  const trigger: CommentTrigger = { comment: commentFromPayload(comment, kind), deleted: action === "deleted" };
  const key = pullKey(repository.owner.login, repository.name, pullNumber);

  if (action === "created") {
    const parsed = parseComment(body, { minReasonLength: DEFAULT_CONFIG.ignore.minReasonLength });
    if (answerableAtOnce(body, parsed)) {
      await runOnce(shared, context.id, key, log, async () => {
        await answerAtOnce(context.octokit, repository, pullNumber, trigger.comment, parsed, log);
        shared.deliveries.add(context.id);
        return undefined;
      });
      return;
    }
  }

  await runOnce(shared, context.id, key, log, async () => {
    // The current head (the payload's may be behind by now, and issue comments do not carry it).
    const { data } = await step(`reading pull request #${pullNumber}`, () =>
      context.octokit.rest.pulls.get({ owner: repository.owner.login, repo: repository.name, pull_number: pullNumber }),
    );
    const target = targetFromPull(data as PullRequestPayload, repository);
    if ((data as PullRequestPayload).state === "closed") {
      log.info("the pull request was closed; nothing to do");
      return undefined;
    }
    log.info({ headSha: target.headSha, action }, "command: re-evaluating the pull request");
    return runReview(
      {
        octokit: context.octokit,
        log: log.child({ headSha: target.headSha }),
        identity: shared.identity,
        readConfig: () => context.config("memlint.yml"),
        environmentOverride: shared.environmentOverride(),
      },
      {
        owner: target.owner,
        repo: target.repo,
        pullNumber: target.pullNumber,
        headSha: target.headSha,
        resolve: async () => target,
        checkRun: "latest",
        trigger,
      },
    );
  });
}
