/** `check_run.requested_action` with `waive`: someone pressed the "Waive" button (see runtime/waive.ts). */
import type { Context } from "probot";
import { WAIVE_ACTION } from "../config/policy.js";
import { CHECK_NAME, pullOfCheck } from "../github/check-run.js";
import { runLogger } from "../log.js";
import { isOwnApp, pullKey, runOnce, type Shared } from "../runtime/shared.js";
import { waive } from "../runtime/waive.js";

export async function onCheckRunRequestedAction(context: Context<"check_run.requested_action">, shared: Shared): Promise<void> {
  const { check_run: run, repository, requested_action: action, sender } = context.payload;
  const log = runLogger(context.log, { deliveryId: context.id, event: "check_run.requested_action", repository: repository.full_name, headSha: run.head_sha });
  if (action?.identifier !== WAIVE_ACTION.identifier || run.name !== CHECK_NAME || !(await isOwnApp(shared, run.app))) return;
  const handle = pullOfCheck(run.external_id, run.pull_requests, repository);
  if (!handle) {
    log.warn({ checkRunId: run.id }, "waive requested on a check run that belongs to no known pull request");
    return;
  }
  const runLog = log.child({ pullNumber: handle.pullNumber, requester: sender.login });
  await runOnce(shared, context.id, pullKey(handle.owner, handle.repo, handle.pullNumber), runLog, () =>
    waive(shared, context.octokit, runLog, { handle, repository, run, login: sender.login }),
  );
}
