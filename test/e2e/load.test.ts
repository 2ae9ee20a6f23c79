/**
 * Load and timing through the real server: 20 pull requests at once on one installation, and the
 * webhook answer while writes are paced as GitHub asks (Octokit's 1 s between writes).
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
    for (const r of responses) {
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(3000);
    }
    const checks = await Promise.all(heads.map((h) => completedCheck(double, full, h, 30_000)));
    expect(checks.map((c) => c.conclusion)).toEqual(Array(20).fill("failure"));
    for (let n = 1; n <= 20; n++) {
      expect(double.reviews.filter((r) => r.pull === n && `${r.owner}/${r.repo}` === full)).toHaveLength(1);
      expect(double.threadsOf(full, n)).toHaveLength(3);
    }
    // GitHub's secondary limit (80 content-creating requests a minute) was never hit.
    expect(double.requests.filter((r) => r.fault === "secondary")).toHaveLength(0);
  }, 60_000);
});

describe("paced writes (GitHub asks for about 1 s between writes)", () => {
  it("a 100-file pull request: the webhook is answered at once, the run completes in the background", async () => {
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
      const sent = Date.now();
      const response = await sendWebhook(paced, "pull_request", double.pullRequestEvent(full, 1));
      expect(response.status).toBe(200);
      expect(response.ms).toBeLessThan(2500);
      // The in-progress check exists when the webhook is answered: the hand-off.
      expect(double.checkRunsFor(full, head).length).toBe(1);
      const check = await completedCheck(double, full, head, 30_000);
      expect(check.conclusion).toBe("failure");
      // Writes were paced: at least ~1 s between the first and the last.
      const writes = double.requests.filter((r) => r.installation === 99_001 && (r.method !== "GET" || r.endpoint === "config"));
      expect(writes.at(-1)!.at - writes[0]!.at).toBeGreaterThanOrEqual(900 * (writes.length - 1) - 100);
      expect(check.completedAt! - sent).toBeGreaterThan(3000);
    } finally {
      await paced.stop();
    }
  }, 60_000);
});
