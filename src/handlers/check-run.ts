/**
 * "Re-run" on memlint's check run (`check_run.rerequested`) or on its suite
 * (`check_suite.rerequested`): a new run for that commit. The pull request comes from the handle
 * memlint keeps in the run's `external_id` (`owner/repo#number`), because `pull_requests` is empty
 * for pull requests from forks; a suite falls back on memlint's earlier run in it, and then on the
 * commit's open pull request (a suite without any memlint run).
 */
import type { Context, Logger } from "probot";
import { CHECK_NAME, type PullHandle, pullOfCheck, pullOfCommit, pullOfSuite } from "../github/check-run.js";
import { describeRequestError } from "../github/errors.js";
import { readPull } from "../github/pulls.js";
import { runLogger } from "../log.js";
import { runDeps, runReview } from "../runtime/review-run.js";
import { isOwnApp, pullKey, runOnce, type Shared } from "../runtime/shared.js";

type RerunContext = Context<"check_run.rerequested" | "check_suite.rerequested">;

async function rerun(context: RerunContext, shared: Shared, handle: PullHandle | undefined, headSha: string, log: Logger): Promise<void> {
  if (!handle) {
    log.warn("re-run requested for a check that belongs to no known pull request; nothing to do");
    return;
  }
  const { repository } = context.payload;
  const runLog = log.child({ pullNumber: handle.pullNumber });
  await runOnce(shared, context.id, pullKey(handle.owner, handle.repo, handle.pullNumber), runLog, () =>
    runReview(runDeps(shared, context.octokit, runLog), { ...handle, headSha, resolve: () => readPull(context.octokit, handle, repository) }),
  );
}

export async function onCheckRunRerequested(context: Context<"check_run.rerequested">, shared: Shared): Promise<void> {
  const { check_run: run, repository } = context.payload;
  const log = runLogger(context.log, { deliveryId: context.id, event: "check_run.rerequested", repository: repository.full_name, headSha: run.head_sha });
  if (run.name !== CHECK_NAME || !(await isOwnApp(shared, run.app))) return;
  await rerun(context, shared, pullOfCheck(run.external_id, run.pull_requests, repository), run.head_sha, log.child({ checkRunId: run.id }));
}

export async function onCheckSuiteRerequested(context: Context<"check_suite.rerequested">, shared: Shared): Promise<void> {
  const { check_suite: suite, repository } = context.payload;
  const log = runLogger(context.log, { deliveryId: context.id, event: "check_suite.rerequested", repository: repository.full_name, headSha: suite.head_sha });
  if (!(await isOwnApp(shared, suite.app))) return;
  // The suite's pull requests (none for forks), memlint's earlier run in the suite, or — with no
  // run at all — the open pull request whose head the commit is.
  const lookup = (what: string, find: () => Promise<PullHandle | undefined>) =>
    find().catch((err: unknown) => void log.error({ err, request: describeRequestError(err) }, `could not ${what}`));
  const handle =
    pullOfCheck(undefined, suite.pull_requests, repository) ??
    (await lookup("list the suite's check runs", () => pullOfSuite(context.octokit, repository, suite.id))) ??
    (await lookup("list the commit's pull requests", () => pullOfCommit(context.octokit, repository, suite.head_sha)));
  await rerun(context, shared, handle, suite.head_sha, log.child({ checkSuiteId: suite.id }));
}
