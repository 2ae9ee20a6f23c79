/**
 * The "Waive" button (`check_run.requested_action`): an approver of the environment waives the
 * blocking findings. Who pressed it is authorized before any analysis — the pull request must
 * still be at the run's commit, and the presser an approver (by login or team) of the
 * environment of the default branch's configuration — then the run is analyzed again, the waiver
 * recorded on the pull request (a memlint comment with a hidden record, so it survives pushes and
 * restarts), and the same check run re-completed with the findings listed as ignored. A refused
 * press leaves the conclusion and says why in the run's summary.
 */
import type { Logger, ProbotOctokit } from "probot";
import { authorizeWaiveButton } from "../commands/ledger.js";
import { selectEnvironment } from "../config/policy.js";
import { noteOnCheckRun, type PullHandle } from "../github/check-run.js";
import { activeTeams } from "../github/comments.js";
import { describeRequestError } from "../github/errors.js";
import type { PullTarget } from "../github/gather.js";
import { readPull, type RepositoryFields } from "../github/pulls.js";
import { loadRepositoryConfiguration } from "../github/repository-config.js";
import { type RunOutcome, runDeps, runReview } from "./review-run.js";
import type { Shared } from "./shared.js";

export interface WaivePressEvent {
  handle: PullHandle;
  repository: RepositoryFields;
  run: { id: number; head_sha: string; output?: { title?: string | null; summary?: string | null } | null };
  login: string;
}

export async function waive(shared: Shared, octokit: ProbotOctokit, log: Logger, press: WaivePressEvent): Promise<RunOutcome | undefined> {
  const { handle, run, login } = press;
  const refuse = async (why: string) => {
    log.info({ why }, "waiver refused");
    const note = `> [!NOTE]\n> The waiver requested by ${login.replace(/@/g, "@\u200d")} at ${new Date().toISOString()} was not applied: ${why}.`;
    await noteOnCheckRun(octokit, handle, run, note).catch((err: unknown) => log.error({ err, request: describeRequestError(err) }, "could not record the refused waiver in the check run"));
    return undefined;
  };
  let target: PullTarget;
  try {
    target = await readPull(octokit, handle, press.repository);
  } catch (err) {
    return refuse(`memlint could not read the pull request (${describeRequestError(err)})`);
  }
  if (target.headSha !== run.head_sha) return refuse(`this check run is for ${run.head_sha.slice(0, 7)}, and the pull request has moved on to ${target.headSha.slice(0, 7)}`);
  // The default branch's configuration with the organization's locks (who may waive is lockable).
  const loaded = await loadRepositoryConfiguration(octokit, handle).catch((err: unknown) => ({ ok: false as const, message: describeRequestError(err) }));
  if (!loaded.ok) return refuse("the configuration cannot be read");
  let environment;
  try {
    environment = selectEnvironment(loaded.config, { baseBranch: target.baseRef, defaultBranch: target.defaultBranch }, shared.environmentOverride()).environment;
  } catch (err) {
    return refuse((err as Error).message);
  }
  const teams = await activeTeams(octokit, login, environment.waivers.approvers, log);
  const verdict = authorizeWaiveButton(environment, login, target.author, teams);
  if (!verdict.allowed) return refuse(`${login.replace(/@/g, "@\u200d")} may not waive here: ${verdict.reason}`);
  log.info({ reason: verdict.reason }, "waiver accepted; re-completing the check run");
  return runReview(runDeps(shared, octokit, log), {
    ...handle,
    headSha: run.head_sha,
    existingCheckRunId: run.id,
    waiver: { by: login, at: new Date().toISOString(), teams },
    config: loaded,
    resolve: async () => target,
  });
}
