/**
 * Events about memlint's own check runs:
 *
 * - `check_run.rerequested` / `check_suite.rerequested` ("Re-run"): a new run for that commit.
 * - `check_run.requested_action` with `waive`: an approver waives the blocking findings; the
 *   run is re-analyzed, the waiver recorded on the pull request (a memlint comment with a hidden
 *   record, so it survives pushes and restarts), and the run re-completed with them listed as
 *   ignored.
 *
 * The pull request comes from the handle memlint keeps in the run's `external_id`
 * (`owner/repo#number`), because `pull_requests` is empty for pull requests from forks.
 */
import type { Logger, ProbotOctokit } from "probot";
import { mayWaive, selectEnvironment, WAIVE_ACTION } from "../config/policy.js";
import { appendToSummary, CHECK_NAME, type PullHandle, parseHandle } from "../github/check-run.js";
import { describeRequestError, step } from "../github/errors.js";
import { runLogger } from "../log.js";
import { loadRepositoryConfiguration } from "./config.js";
import {
  type CheckRunPayload,
  type CheckRunPullRequest,
  type CheckSuitePayload,
  type EventContext,
  type PullRequestPayload,
  type RepositoryPayload,
  targetFromPull,
} from "./events.js";
import { type PullTarget, runReview } from "./run.js";
import { pullKey, runOnce, type Shared } from "./shared.js";

interface CheckRunEvent {
  action: string;
  check_run: CheckRunPayload;
  repository: RepositoryPayload;
  requested_action?: { identifier: string } | null;
  sender: { login: string; type?: string };
}

interface CheckSuiteEvent {
  action: string;
  check_suite: CheckSuitePayload;
  repository: RepositoryPayload;
}

/** The pull request of a check run: memlint's handle, else the run's `pull_requests` in this repository. */
export function handleOf(
  externalId: string | null | undefined,
  pullRequests: readonly CheckRunPullRequest[] | undefined,
  repository: RepositoryPayload,
): PullHandle | undefined {
  const handle = parseHandle(externalId);
  if (handle && handle.owner.toLowerCase() === repository.owner.login.toLowerCase() && handle.repo.toLowerCase() === repository.name.toLowerCase()) {
    return { owner: repository.owner.login, repo: repository.name, pullNumber: handle.pullNumber };
  }
  const pr = pullRequests?.find((p) => p.base.repo.id === repository.id);
  return pr ? { owner: repository.owner.login, repo: repository.name, pullNumber: pr.number } : undefined;
}

async function readPull(octokit: ProbotOctokit, handle: PullHandle, repository: RepositoryPayload): Promise<PullTarget> {
  const { data } = await step(`reading pull request #${handle.pullNumber}`, () =>
    octokit.rest.pulls.get({ owner: handle.owner, repo: handle.repo, pull_number: handle.pullNumber }),
  );
  return targetFromPull(data as PullRequestPayload, repository);
}

/** A new run for `headSha` of the pull request (re-run requested). */
async function rerun(context: EventContext<{ repository: RepositoryPayload }>, shared: Shared, handle: PullHandle, headSha: string, log: Logger) {
  const { repository } = context.payload;
  await runOnce(shared, context.id, pullKey(handle.owner, handle.repo, handle.pullNumber), log, () =>
    runReview(
      {
        octokit: context.octokit,
        log,
        identity: shared.identity,
        readConfig: () => context.config("memlint.yml"),
        environmentOverride: shared.environmentOverride(),
      },
      { ...handle, headSha, resolve: () => readPull(context.octokit, handle, repository) },
    ),
  );
}

async function isOwnApp(shared: Shared, app: { id: number } | null | undefined): Promise<boolean> {
  if (!app) return false;
  const identity = await shared.identity();
  return app.id === identity.id;
}

export async function onCheckRunRerequested(context: EventContext<CheckRunEvent>, shared: Shared): Promise<void> {
  const { check_run: run, repository } = context.payload;
  const log = runLogger(context.log, { deliveryId: context.id, event: "check_run.rerequested", repository: repository.full_name, headSha: run.head_sha });
  if (run.name !== CHECK_NAME || !(await isOwnApp(shared, run.app))) return;
  const handle = handleOf(run.external_id, run.pull_requests, repository);
  if (!handle) {
    log.warn({ checkRunId: run.id }, "re-run requested for a check run that belongs to no known pull request; nothing to do");
    return;
  }
  await rerun(context, shared, handle, run.head_sha, log.child({ pullNumber: handle.pullNumber }));
}

export async function onCheckSuiteRerequested(context: EventContext<CheckSuiteEvent>, shared: Shared): Promise<void> {
  const { check_suite: suite, repository } = context.payload;
  const log = runLogger(context.log, { deliveryId: context.id, event: "check_suite.rerequested", repository: repository.full_name, headSha: suite.head_sha });
  if (!(await isOwnApp(shared, suite.app))) return;
  let handle = handleOf(undefined, suite.pull_requests, repository);
  if (!handle) {
    // Fork pull requests: the suite lists none; memlint's earlier run in the suite has the handle.
    try {
      const { data } = await context.octokit.rest.checks.listForSuite({
        owner: repository.owner.login,
        repo: repository.name,
        check_suite_id: suite.id,
        check_name: CHECK_NAME,
        per_page: 1,
      });
      const previous = data.check_runs[0];
      if (previous) handle = handleOf(previous.external_id, previous.pull_requests as CheckRunPullRequest[], repository);
    } catch (err) {
      log.error({ err, request: describeRequestError(err) }, "could not list the suite's check runs");
    }
  }
  if (!handle) {
    log.warn({ checkSuiteId: suite.id }, "re-run requested for a check suite that belongs to no known pull request; nothing to do");
    return;
  }
  await rerun(context, shared, handle, suite.head_sha, log.child({ pullNumber: handle.pullNumber }));
}

/** Team slugs (`org/team`) among the approvers that `login` is an active member of. */
async function teamsOf(octokit: ProbotOctokit, login: string, approvers: readonly string[], log: Logger): Promise<string[]> {
  const teams: string[] = [];
  for (const approver of approvers) {
    const m = /^@?([^/\s]+)\/([^/\s]+)$/.exec(approver);
    if (!m) continue;
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org: m[1]!, team_slug: m[2]!, username: login });
      if (data.state === "active") teams.push(`${m[1]}/${m[2]}`);
    } catch (err) {
      if ((err as { status?: number }).status !== 404) log.warn({ err, request: describeRequestError(err) }, `could not check membership of ${approver}`);
    }
  }
  return teams;
}

export async function onCheckRunRequestedAction(context: EventContext<CheckRunEvent>, shared: Shared): Promise<void> {
  const { check_run: run, repository, requested_action: action, sender } = context.payload;
  const log = runLogger(context.log, { deliveryId: context.id, event: "check_run.requested_action", repository: repository.full_name, headSha: run.head_sha });
  if (action?.identifier !== WAIVE_ACTION.identifier || run.name !== CHECK_NAME || !(await isOwnApp(shared, run.app))) return;
  const handle = handleOf(run.external_id, run.pull_requests, repository);
  if (!handle) {
    log.warn({ checkRunId: run.id }, "waive requested on a check run that belongs to no known pull request");
    return;
  }
  const octokit = context.octokit;
  const login = sender.login;
  const runLog = log.child({ pullNumber: handle.pullNumber, requester: login });

  /** Leaves the conclusion as it is and says in the run why the waiver was not applied. */
  const refuse = async (why: string) => {
    runLog.info({ why }, "waiver refused");
    const title = run.output?.title ?? "memlint";
    const note = `> [!NOTE]\n> The waiver requested by ${login.replace(/@/g, "@\u200d")} at ${new Date().toISOString()} was not applied: ${why}.`;
    try {
      await octokit.rest.checks.update({
        owner: repository.owner.login,
        repo: repository.name,
        check_run_id: run.id,
        output: { title, summary: appendToSummary(run.output?.summary ?? "", [note]) },
      });
    } catch (err) {
      runLog.error({ err, request: describeRequestError(err) }, "could not record the refused waiver in the check run");
    }
  };

  await runOnce(shared, context.id, pullKey(handle.owner, handle.repo, handle.pullNumber), runLog, async () => {
    let target: PullTarget;
    try {
      target = await readPull(octokit, handle, repository);
    } catch (err) {
      await refuse(`memlint could not read the pull request (${describeRequestError(err)})`);
      return undefined;
    }
    if (target.headSha !== run.head_sha) {
      await refuse(`this check run is for ${run.head_sha.slice(0, 7)}, and the pull request has moved on to ${target.headSha.slice(0, 7)}`);
      return undefined;
    }
    // The default branch's configuration with the organization's locks (who may waive is lockable).
    const loaded = await loadRepositoryConfiguration(octokit, { owner: handle.owner, repo: handle.repo }).catch((err: unknown) => ({
      ok: false as const,
      message: describeRequestError(err),
    }));
    if (!loaded.ok) {
      await refuse("the configuration cannot be read");
      return undefined;
    }
    let environment;
    try {
      environment = selectEnvironment(loaded.config, { baseBranch: target.baseRef, defaultBranch: target.defaultBranch }, shared.environmentOverride()).environment;
    } catch (err) {
      await refuse((err as Error).message);
      return undefined;
    }
    const teams = await teamsOf(octokit, login, environment.waivers.approvers, runLog);
    // The button is for the environment's approvers: repository permission alone is not enough.
    const verdict = mayWaive(environment, { login, permission: "none", isAuthor: target.author?.toLowerCase() === login.toLowerCase(), teams });
    if (!verdict.allowed) {
      await refuse(`${login.replace(/@/g, "@\u200d")} may not waive here: ${verdict.reason}`);
      return undefined;
    }
    runLog.info({ reason: verdict.reason }, "waiver accepted; re-completing the check run");
    return runReview(
      {
        octokit,
        log: runLog,
        identity: shared.identity,
        readConfig: () => context.config("memlint.yml"),
        environmentOverride: shared.environmentOverride(),
      },
      {
        ...handle,
        headSha: run.head_sha,
        existingCheckRunId: run.id,
        waiver: { by: login, at: new Date().toISOString(), teams },
        config: loaded,
        resolve: async () => target,
      },
    );
  });
}
