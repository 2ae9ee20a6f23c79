/**
 * A `/memlint …` comment (created, edited, deleted). `help`, `explain` and malformed commands are
 * answered at once, without an analysis, and so is a `recheck` by someone who may not ask for one
 * (one permission lookup, before any work). Everything else starts a run for the current head
 * that re-completes the newest memlint check run of that commit: the run rebuilds the ignore
 * ledger from the pull request's comments (this one included, even if GitHub's listing lags
 * behind), decides again, and answers the command with the new conclusion. An edit whose payload
 * lacks the former body (`changes.body.from`) counts when memlint had answered the comment.
 */
import type { Logger, ProbotOctokit } from "probot";
import { type CommentTrigger, immediateAnswer, type PullComment } from "../commands/comment.js";
import { recheckRefusal } from "../commands/ledger.js";
import { parseAckMarker, sourceKey } from "../commands/markers.js";
import { DEFAULT_CONFIG } from "../config/types.js";
import { type Command, hasCommand, parseComment } from "../commands/parse.js";
import { addReaction, postReply, repositoryPermission, type RepoRef } from "../github/comments.js";
import { describeRequestError, step } from "../github/errors.js";
import { readPull, type RepositoryFields } from "../github/pulls.js";
import { readReviewThreads } from "../github/threads.js";
import { runDeps, runReview } from "./review-run.js";
import { pullKey, runOnce, type Shared } from "./shared.js";

export interface CommandEvent {
  deliveryId: string;
  action: "created" | "edited" | "deleted";
  comment: PullComment;
  /** The body before an edit: undefined when the payload does not say. */
  previousBody?: string | undefined;
  repository: RepositoryFields;
  pullNumber: number;
  pullAuthor?: string;
}

/** Whether the comment's event can change anything: it holds (or held) a command. */
export async function concernsMemlint(shared: Shared, octokit: ProbotOctokit, log: Logger, event: CommandEvent): Promise<boolean> {
  if (hasCommand(event.comment.body)) return true;
  if (event.action !== "edited") return false;
  if (event.previousBody !== undefined) return hasCommand(event.previousBody);
  // The payload does not say what the comment was: it matters if memlint answered it. When that
  // cannot be read, a run decides (it rebuilds everything from the comments).
  const ref = { owner: event.repository.owner.login, repo: event.repository.name, pullNumber: event.pullNumber };
  const key = sourceKey(event.comment.kind, event.comment.id);
  try {
    const snapshot = await readReviewThreads(octokit, ref, await shared.identity());
    return snapshot.comments.some((c) => c.isOwn && parseAckMarker(c.body)?.src === key);
  } catch (err) {
    log.warn({ err, request: describeRequestError(err) }, "could not tell whether memlint answered the edited comment; re-evaluating");
    return true;
  }
}

export async function onCommand(shared: Shared, octokit: ProbotOctokit, log: Logger, event: CommandEvent): Promise<void> {
  const repo: RepoRef = { owner: event.repository.owner.login, repo: event.repository.name };
  const key = pullKey(repo.owner, repo.repo, event.pullNumber);
  const trigger: CommentTrigger = { comment: event.comment, deleted: event.action === "deleted" };
  if (event.action === "created") {
    const answer = immediateAnswer(event.comment, await recheckGate(octokit, repo, event, log));
    if (answer) {
      await runOnce(shared, event.deliveryId, key, log, async () => {
        await addReaction(octokit, repo, event.comment, answer.reaction).catch((err: unknown) => log.warn({ err, request: describeRequestError(err) }, "could not react to the command"));
        await step("answering the command", () => postReply(octokit, repo, event.pullNumber, event.comment, answer.body));
        log.info({ reaction: answer.reaction }, "command answered");
        shared.deliveries.add(event.deliveryId);
        return undefined;
      });
      return;
    }
  }
  await runOnce(shared, event.deliveryId, key, log, async () => {
    const target = await readPull(octokit, { ...repo, pullNumber: event.pullNumber }, event.repository);
    if (!target.open) {
      log.info("the pull request was closed; nothing to do");
      return undefined;
    }
    log.info({ headSha: target.headSha, action: event.action }, "command: re-evaluating the pull request");
    return runReview(runDeps(shared, octokit, log.child({ headSha: target.headSha })), { ...target, resolve: async () => target, checkRun: "latest", trigger });
  });
}

/**
 * For a comment that asks only for a recheck (besides help or explain): whether its author may,
 * looked up before any analysis. Undefined when nothing is refused up front.
 */
async function recheckGate(octokit: ProbotOctokit, repo: RepoRef, event: CommandEvent, log: Logger): Promise<((command: Command) => string | undefined) | undefined> {
  const parsed = parseComment(event.comment.body, { minReasonLength: DEFAULT_CONFIG.ignore.minReasonLength });
  const names = parsed.flatMap((p) => (p.ok ? [p.command.name] : []));
  if (!names.includes("recheck") || names.some((n) => n !== "recheck" && n !== "help" && n !== "explain")) return undefined;
  const login = event.comment.author;
  const isAuthor = event.pullAuthor !== undefined && event.pullAuthor.toLowerCase() === login.toLowerCase();
  if (isAuthor) return undefined;
  let permission;
  try {
    permission = await repositoryPermission(octokit, repo, login);
  } catch (err) {
    // The run reads it again (and fails closed there).
    log.warn({ err, request: describeRequestError(err) }, "could not read the commenter's permission before the recheck");
    return undefined;
  }
  const why = recheckRefusal(login, false, permission);
  return why === undefined ? undefined : (command) => (command.name === "recheck" ? why : undefined);
}
