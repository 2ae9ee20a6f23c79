/**
 * Load through the real server: 20 pull requests at once on one installation, and the webhook
 * answer while writes are paced as GitHub asks (Octokit's 1 s between writes). Timings are
 * measured by `npm run bench`, not asserted here.
 */
import { describe, expect, it } from "vitest";
import type { GitHubDouble } from "./github-double.js";
import { type AppProcess, sendWebhook, startApp } from "./harness.js";
import { serverForFile } from "./server-for-file.js";
import { cleanFile, completedCheck, leakyFile, newRepo, openPull, READER, SRC } from "./scenario.js";

let double: GitHubDouble;
let app: AppProcess;
serverForFile((d, a) => {
  double = d;
  app = a;
});

describe("20 pull requests at once on one installation", () => {
  it("every one gets its completed check, one review each, within GitHub's limits", async () => {
    const full = newRepo(double, { [READER]: SRC.base });
    const heads: string[] = [];
    for (let n = 1; n <= 20; n++) heads.push(openPull(double, full, n, { [READER]: SRC.head, [`batch/extra${n}.go`]: leakyFile(n) }));
    const responses = await Promise.all(heads.map((_, i) => sendWebhook(app, "pull_request", double.pullRequestEvent(full, i + 1))));
    for (const r of responses) expect(r.status).toBe(200);
    const checks = await Promise.all(heads.map((h) => completedCheck(double, full, h, 60_000)));
    expect(checks.map((c) => [c.conclusion, c.output.title])).toEqual(Array(20).fill(["failure", "3 blocking findings (production)"]));
    for (let n = 1; n <= 20; n++) {
      expect(double.reviews.filter((r) => r.pull === n && `${r.owner}/${r.repo}` === full)).toHaveLength(1);
      expect(double.threadsOf(full, n)).toHaveLength(3);
    }
    // GitHub's secondary limit (80 content-creating requests a minute) was never hit.
    expect(double.requests.filter((r) => r.fault === "secondary")).toHaveLength(0);
  }, 180_000);
});

describe("paced writes (GitHub asks for about 1 s between writes)", () => {
  it("a 100-file pull request: the webhook is answered at the hand-off, before the run completes in the background", async () => {
    const paced = await startApp(double, { env: { MEMLINT_WRITE_INTERVAL_MS: undefined, MEMLINT_NOTIFICATION_INTERVAL_MS: undefined } });
    try {
      const base: Record<string, string> = {};
      const changes: Record<string, string> = {};
      for (let i = 0; i < 100; i++) {
        base[`pkg/f${i}.go`] = cleanFile(i, "pkg");
        changes[`pkg/f${i}.go`] = i % 4 === 0 ? leakyFile(i, "pkg") : cleanFile(i + 1000, "pkg");
      }
      const full = newRepo(double, base, { installation: 99_001, owner: "paced" });
      const head = openPull(double, full, 1, changes);
      const response = await sendWebhook(paced, "pull_request", double.pullRequestEvent(full, 1));
      expect(response.status).toBe(200);
      // The hand-off: the in-progress check exists when the webhook is answered, and the run's
      // paced writes (a second apart) are still to come.
      expect(double.checkRunsFor(full, head).map((r) => r.status)).toEqual(["in_progress"]);
      const check = await completedCheck(double, full, head, 60_000);
      expect({ conclusion: check.conclusion, title: check.output.title }).toEqual({ conclusion: "failure", title: "25 blocking findings (production)" });
      expect(double.checkRunsFor(full, head)).toHaveLength(1);
    } finally {
      await paced.stop();
    }
  }, 180_000);
});
