/**
 * One memlint run for one head commit of a pull request, around the pipeline
 * `gather` (GitHub reads) → `plan` (pure) → `publish` (GitHub writes):
 *
 *   check run `in_progress` → gather → plan → the "Waive" record → one review → thread lifecycle
 *   → check run completed (summary, annotations, "Waive" button) → answers to commands.
 *
 * The check run is completed whatever happens: with the plan's conclusion, with a configuration
 * error, as superseded, or with an internal error that says which request failed. A check left in
 * progress would block merges forever; when GitHub does not even let memlint create it, the run
 * owes it: the journal keeps the completion, and the recovery loop of any instance delivers it
 * when GitHub answers again (see runtime/inflight.ts).
 */
import type { Logger, ProbotOctokit } from "probot";
import { renderErrorOutput } from "../comments/summary.js";
import type { EnvironmentPolicy } from "../config/types.js";
import { CheckRun, type Completion, findLatestCheckRun, formatHandle, interruptedCompletion } from "../github/check-run.js";
import { describeRequestError, GitHubStepError } from "../github/errors.js";
import { gather, type RunInput, type RunTarget } from "../github/gather.js";
import type { IdentityLoader } from "../github/identity.js";
import { publishReplies, publishReview, publishThreadChanges } from "../github/publish.js";
import { postIssueComment } from "../github/comments.js";
import { readReviewThreads } from "../github/threads.js";
import { countRequests, emptyStats, type RunStats } from "../log.js";
import { analyzingSummary, errorConclusion } from "../plan/messages.js";
import { plan as planRun, type PlannedRun } from "../plan/plan.js";
import type { TrackedRun } from "./inflight.js";
import { oweCheck, type Shared, trackCheckRun } from "./shared.js";

export interface RunRequest extends RunTarget {
  /** Re-complete this check run instead of creating one (the "Waive" button). */
  existingCheckRunId?: number;
  /**
   * `"latest"`: re-complete the newest memlint check run of the head commit (comment commands),
   * creating one only when there is none.
   */
  checkRun?: "latest";
}

export interface RunDeps {
  octokit: ProbotOctokit;
  log: Logger;
  identity: IdentityLoader;
  /** `MEMLINT_ENVIRONMENT`: forces an environment for the whole deployment. */
  environmentOverride?: string;
  /** How long a write whose outcome is unknown is looked for before it is sent again (ms). */
  verifyMs?: number;
  now?: () => number;
}

export interface RunOutcome {
  stats: RunStats;
  completed: boolean;
  /** The run failed (GitHub or internal error): a redelivery should run it again. */
  failed: boolean;
}

export async function runReview(deps: RunDeps, req: RunRequest): Promise<RunOutcome> {
  const now = deps.now ?? Date.now;
  const started = now();
  const stats = emptyStats();
  const problems: string[] = [];
  const requests = countRequests(deps.octokit);
  const repo = { owner: req.owner, repo: req.repo };
  const handle = formatHandle({ owner: req.owner, repo: req.repo, pullNumber: req.pullNumber });
  const check = await openCheckRun(deps, req, repo, handle);
  // From here on the check run stands for the delivery: record it until it is completed.
  // (Also without one: should the process die, recovery then creates it, completed as interrupted.)
  const tracked: TrackedRun | undefined = trackCheckRun(
    {
      owner: req.owner,
      repo: req.repo,
      pullNumber: req.pullNumber,
      headSha: req.headSha,
      ...(check.id !== undefined ? { checkRunId: check.id } : {}),
      conclusion: errorConclusion(undefined, deps.environmentOverride),
    },
    async (entry, why) => void (await check.complete(interruptedCompletion(entry.conclusion, req.headSha, why, entry.environment))),
  );

  let input: RunInput | undefined;
  let environment: EnvironmentPolicy | undefined;
  let planned: PlannedRun | undefined;
  let completion: Completion | undefined;
  let failed = false;
  try {
    input = await gather(
      {
        octokit: deps.octokit,
        log: deps.log,
        identity: deps.identity,
        ...(deps.environmentOverride !== undefined ? { environmentOverride: deps.environmentOverride } : {}),
        onEnvironment: (choice) => {
          environment = choice.environment;
          tracked?.update({ conclusion: errorConclusion(choice.environment, deps.environmentOverride), environment: choice.environment.name });
        },
      },
      req,
    );
    input.elapsedMs = now() - started;
    planned = await planAndRecordWaiver(deps, input);
    Object.assign(stats, planned.stats);
    problems.push(...planned.problems);
    completion = await publishBeforeCompletion(deps, input, planned, stats, problems);
  } catch (err) {
    failed = true;
    completion = failure(deps, stats, environment, err);
  }
  stats.conclusion = completion.conclusion;
  stats.durationMs = now() - started;
  try {
    const report = await check.complete(completion);
    stats.annotations = report.annotations;
    if (report.problems.length > 0) failed = true;
  } catch (err) {
    failed = true;
    stats.error = `${stats.error ? `${stats.error}; ` : ""}completing the check run: ${describeRequestError(err)}`;
  }
  if (check.completed) await tracked?.done();
  else {
    // GitHub would not let memlint create or complete the check run: it is owed, and the
    // recovery loop (of this or any instance) delivers it when GitHub answers again.
    await oweCheck({ owner: req.owner, repo: req.repo, pullNumber: req.pullNumber, headSha: req.headSha, completion, ...(check.id !== undefined ? { checkRunId: check.id } : {}) });
    // Only once the debt is recorded does the run stop standing for the delivery.
    await tracked?.done();
  }
  if (check.completed && check.uncertain) {
    // A create request GitHub never answered may still be applied: whatever run it makes gets
    // this completion too.
    await oweCheck({ owner: req.owner, repo: req.repo, pullNumber: req.pullNumber, headSha: req.headSha, completion, checkRunId: check.id!, sweepOnly: true });
  }
  if (check.completed && planned && input?.identity) {
    const published = await publishReplies(publishDeps(deps, input), repo, req.pullNumber, planned);
    stats.commandsAnswered = published.answered;
    problems.push(...published.problems);
  }
  if (problems.length > 0) {
    failed = true;
    stats.error ??= problems.join("; ");
  }
  stats.requests = requests();
  const level = failed ? "error" : "info";
  deps.log[level]({ stats, checkRunId: check.id }, `memlint run ${check.completed ? "completed" : "could not complete its check run"}: ${stats.conclusion}`);
  return { stats, completed: check.completed, failed };
}

/** The run's check run: the given one, the head commit's newest (comment commands), or a new one. */
async function openCheckRun(deps: RunDeps, req: RunRequest, repo: { owner: string; repo: string }, handle: string): Promise<CheckRun> {
  let existingId = req.existingCheckRunId;
  if (existingId === undefined && req.checkRun === "latest") {
    try {
      const identity = await deps.identity();
      existingId = (await findLatestCheckRun(deps.octokit, repo, req.headSha, identity.id))?.id;
    } catch (err) {
      deps.log.warn({ err, request: describeRequestError(err) }, "could not look up the latest check run; creating a new one");
    }
  }
  if (existingId !== undefined) return CheckRun.existing(deps.octokit, repo, existingId, req.headSha, handle, deps.log);
  const check = new CheckRun(deps.octokit, repo, req.headSha, handle, deps.log);
  await check.start({ title: "Analyzing…", summary: analyzingSummary(req.headSha, req.pullNumber) });
  return check;
}

/** The plan; with a "Waive" press, its record posted first (planned again without it when that fails). */
async function planAndRecordWaiver(deps: RunDeps, input: RunInput): Promise<PlannedRun> {
  const planned = planRun(input);
  if (!planned.waiverRecord) return planned;
  try {
    await postIssueComment(deps.octokit, { owner: input.target.owner, repo: input.target.repo }, input.target.pullNumber, planned.waiverRecord, `${input.identity!.slug}[bot]`);
    return planned;
  } catch (err) {
    const what = describeRequestError(err);
    deps.log.error({ err, request: what }, "could not record the waiver on the pull request; it is not applied");
    return planRun({ ...input, waiverFailed: what });
  }
}

function publishDeps(deps: RunDeps, input: RunInput) {
  const identity = input.identity!;
  const ref = { owner: input.target.owner, repo: input.target.repo, pullNumber: input.target.pullNumber };
  return {
    octokit: deps.octokit,
    log: deps.log,
    botLogin: `${identity.slug}[bot]`,
    verifyMs: deps.verifyMs ?? 0,
    postedFingerprints: async () => new Set((await readReviewThreads(deps.octokit, ref, identity)).byFingerprint.keys()),
  };
}

/** The review and the thread lifecycle; returns the completion that reflects how they went. */
async function publishBeforeCompletion(deps: RunDeps, input: RunInput, planned: PlannedRun, stats: RunStats, problems: string[]): Promise<Completion> {
  if (!input.identity) return planned.finish({}).completion;
  const publish = publishDeps(deps, input);
  const reviewError = await publishReview(publish, input.target, planned);
  if (reviewError) problems.push(`posting the review: ${reviewError}`);
  stats.commentsPosted = reviewError ? 0 : planned.inlineComments.length;
  const threads = await publishThreadChanges(publish, planned);
  stats.threadsResolved = threads.resolved;
  stats.threadsReopened = threads.reopened;
  stats.commentsEdited = threads.edited;
  if (threads.failures) problems.push(`updating review threads: ${threads.failures.error}`);
  const finished = planned.finish({ ...(reviewError ? { reviewError } : {}), ...(threads.failures ? { threadFailures: threads.failures } : {}) });
  return { ...finished.completion, annotations: finished.annotations };
}

function failure(deps: RunDeps, stats: RunStats, environment: EnvironmentPolicy | undefined, err: unknown): Completion {
  const kind = err instanceof GitHubStepError ? "github" : "internal";
  const message = err instanceof Error ? err.message : String(err);
  stats.error = message;
  deps.log.error({ err }, `memlint run failed: ${message}`);
  return { conclusion: errorConclusion(environment, deps.environmentOverride), output: renderErrorOutput(kind, message) };
}

/** What a run of this instance needs besides the event's Octokit and logger. */
export function runDeps(shared: Shared, octokit: ProbotOctokit, log: Logger): RunDeps {
  const environmentOverride = shared.environmentOverride();
  return { octokit, log, identity: shared.identity, verifyMs: shared.verifyMs, ...(environmentOverride !== undefined ? { environmentOverride } : {}) };
}
