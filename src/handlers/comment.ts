/**
 * `/memlint …` commands: `issue_comment` (on pull requests only) and `pull_request_review_comment`,
 * created, edited or deleted (see runtime/commands.ts). A comment without a command line costs no
 * request; comments of bots — memlint's own included — are never commands.
 */
import type { Context } from "probot";
import { commentFromPayload, isBotUser } from "../commands/comment.js";
import { runLogger } from "../log.js";
import { concernsMemlint, onCommand } from "../runtime/commands.js";
import type { Shared } from "../runtime/shared.js";

export const COMMENT_EVENTS = [
  "issue_comment.created",
  "issue_comment.edited",
  "issue_comment.deleted",
  "pull_request_review_comment.created",
  "pull_request_review_comment.edited",
  "pull_request_review_comment.deleted",
] as const;

export async function onComment(context: Context<(typeof COMMENT_EVENTS)[number]>, shared: Shared): Promise<void> {
  const { payload } = context;
  const { action, comment, repository } = payload;
  const pull = "issue" in payload ? (payload.issue.pull_request ? payload.issue : undefined) : payload.pull_request;
  if (!pull || isBotUser(comment.user)) return; // an issue, not a pull request; or a bot
  const kind = "issue" in payload ? "issue" : "review";
  const changes = "changes" in payload ? (payload.changes as { body?: { from?: string } } | undefined) : undefined;
  const event = {
    deliveryId: context.id,
    action,
    comment: commentFromPayload(comment, kind),
    previousBody: changes?.body?.from,
    repository,
    pullNumber: pull.number,
    ...(pull.user?.login ? { pullAuthor: pull.user.login } : {}),
  };
  const log = runLogger(context.log, { deliveryId: context.id, event: `${context.name}.${action}`, repository: repository.full_name, pullNumber: pull.number }).child({
    commenter: comment.user?.login,
    commentId: comment.id,
  });
  if (!(await concernsMemlint(shared, context.octokit, log, event))) return;
  if (pull.state === "closed") {
    log.info("command on a closed pull request; nothing to do");
    return;
  }
  await onCommand(shared, context.octokit, log, event);
}
