/**
 * `pull_request` opened / synchronize / reopened / ready_for_review: a run for the head commit.
 * Drafts are analyzed (never blocking) unless the configuration says `drafts: skip`.
 */
import { runLogger } from "../log.js";
import { type EventContext, type PullRequestPayload, type RepositoryPayload, targetFromPull } from "./events.js";
import { runReview } from "./run.js";
import { pullKey, runOnce, type Shared } from "./shared.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

interface Payload {
  action: string;
  pull_request: PullRequestPayload;
  repository: RepositoryPayload;
}

export async function onPullRequest(context: EventContext<Payload>, shared: Shared): Promise<void> {
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
    runReview(
      {
        octokit: context.octokit,
        log,
        identity: shared.identity,
        readConfig: () => context.config("memlint.yml"),
        environmentOverride: shared.environmentOverride(),
      },
      { owner: target.owner, repo: target.repo, pullNumber: target.pullNumber, headSha: target.headSha, resolve: async () => target },
    ),
  );
}
