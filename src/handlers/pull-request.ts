/**
 * `pull_request` opened / synchronize / reopened / ready_for_review: a run for the head commit.
 * Drafts are analyzed (never blocking) unless the configuration says `drafts: skip`.
 */
import type { Context } from "probot";
import { targetFromPull } from "../github/pulls.js";
import { runLogger } from "../log.js";
import { runDeps, runReview } from "../runtime/review-run.js";
import { pullKey, runOnce, type Shared } from "../runtime/shared.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

export async function onPullRequest(context: Context<(typeof PULL_REQUEST_EVENTS)[number]>, shared: Shared): Promise<void> {
  const { pull_request: pr, repository, action } = context.payload;
  const log = runLogger(context.log, {
    deliveryId: context.id,
    event: `${context.name}.${action}`,
    repository: repository.full_name,
    pullNumber: pr.number,
    headSha: pr.head.sha,
  });
  if (pr.state === "closed") {
    log.info("pull request is closed; nothing to do");
    return;
  }
  const target = targetFromPull(pr, repository);
  await runOnce(shared, context.id, pullKey(target.owner, target.repo, target.pullNumber), log, () =>
    runReview(runDeps(shared, context.octokit, log), { ...target, resolve: async () => target }),
  );
}
