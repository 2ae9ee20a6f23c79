/**
 * Work that goes on after the webhook was answered is never lost silently: a run cut off by a
 * crash or a stop leaves a check run that says so (failing closed where the environment blocks),
 * and the check's Re-run recovers it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubDouble } from "./github-double.js";
import { sendWebhook, startApp } from "./harness.js";
import { completedCheck, newRepo, openPull, READER, SRC } from "./scenario.js";

let double: GitHubDouble;

beforeAll(async () => {
  double = await GitHubDouble.start();
});

afterAll(async () => {
  await double?.close();
});

/** A pull request whose run hangs on a stalled contents request (the server's time limit is long). */
async function hangingRun(owner: string, installation: number) {
  const full = newRepo(double, { [READER]: SRC.base }, { owner, installation });
  const head = openPull(double, full, 1, { [READER]: SRC.head });
  double.fault({ endpoint: "contents", kind: "stall", times: 1, match: (r) => (r.body?.variables as { owner?: string } | undefined)?.owner === owner });
  return { full, head };
}

describe("a crash during a run", () => {
  it("the restarted server completes the check as interrupted (fail closed); Re-run gives the verdict", async () => {
    const app = await startApp(double, { env: { MEMLINT_REQUEST_TIMEOUT_MS: "60000" } });
    const { full, head } = await hangingRun("crashy", 81_001);
    const response = await sendWebhook(app, "pull_request", double.pullRequestEvent(full, 1));
    expect(response.status).toBe(200);
    await double.waitFor(() => double.requests.some((r) => r.fault === "stall"), 60_000, "the stalled request");
    expect(double.latestCheckRun(full, head)!.status).toBe("in_progress");
    expect(double.latestCheckRun(full, head)!.output.summary).toContain("/memlint recheck");
    await app.kill();

    // Restart on the same host: the journal names the run, the new process completes its check.
    const restarted = await startApp(double, { stateDir: app.stateDir });
    try {
      const interrupted = await completedCheck(double, full, head, 60_000);
      expect(interrupted.conclusion).toBe("failure");
      expect(interrupted.output.title).toBe("Interrupted — press Re-run");
      expect(interrupted.output.summary).toContain("fails closed in `production`");
      expect(interrupted.output.summary).toContain("/memlint recheck");

      // Re-run: a new check run for the commit with the analysis' verdict.
      await sendWebhook(restarted, "check_run", double.checkRunEvent(interrupted.id, "rerequested"));
      await double.waitFor(() => double.checkRunsFor(full, head).length === 2 && double.latestCheckRun(full, head)!.status === "completed", 60_000, "the re-run");
      const rerun = double.latestCheckRun(full, head)!;
      expect(rerun.id).not.toBe(interrupted.id);
      expect(rerun.conclusion).toBe("failure");
      expect(rerun.output.title).toBe("2 blocking findings (production)");
      expect(double.threadsOf(full, 1)).toHaveLength(2);
    } finally {
      await restarted.stop();
    }
  }, 180_000);

  it("in development the interrupted check is neutral (nothing blocks there)", async () => {
    const app = await startApp(double, { env: { MEMLINT_REQUEST_TIMEOUT_MS: "60000", MEMLINT_ENVIRONMENT: "development" } });
    const { full, head } = await hangingRun("crashy-dev", 81_002);
    await sendWebhook(app, "pull_request", double.pullRequestEvent(full, 1));
    await double.waitFor(() => double.requests.some((r) => r.fault === "stall" && JSON.stringify(r.body).includes("crashy-dev")), 60_000, "the stalled request");
    await app.kill();
    const restarted = await startApp(double, { stateDir: app.stateDir, env: { MEMLINT_ENVIRONMENT: "development" } });
    try {
      const interrupted = await completedCheck(double, full, head, 60_000);
      expect(interrupted.conclusion).toBe("neutral");
      expect(interrupted.output.title).toBe("Interrupted — press Re-run");
    } finally {
      await restarted.stop();
    }
  }, 180_000);
});

describe("a stop (SIGTERM) during a run", () => {
  it("waits for the grace period, then completes the check as interrupted before exiting", async () => {
    const app = await startApp(double, { env: { MEMLINT_REQUEST_TIMEOUT_MS: "60000", MEMLINT_SHUTDOWN_GRACE_MS: "300" } });
    const { full, head } = await hangingRun("stopped", 81_003);
    await sendWebhook(app, "pull_request", double.pullRequestEvent(full, 1));
    await double.waitFor(() => double.requests.some((r) => r.fault === "stall" && JSON.stringify(r.body).includes("stopped")), 60_000, "the stalled request");
    const code = await app.stop();
    expect(code).toBe(0);
    const check = double.latestCheckRun(full, head)!;
    expect(check.status).toBe("completed");
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("SIGTERM");
  }, 180_000);
});
