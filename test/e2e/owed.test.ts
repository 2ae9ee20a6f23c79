/**
 * Writes that fail for a while or are answered too late, through the real server: every memlint
 * run of a head commit ends completed with the analysis' verdict, and no finding is posted twice.
 *
 * - Check-run creation failing on every try of a run (a short GitHub outage): the run owes the
 *   check, the journal keeps it, and the recovery loop delivers it when GitHub answers again —
 *   also after a restart in the middle.
 * - Check-run creation answered after the request time limit: the late run is adopted or
 *   completed too.
 * - Review creation answered after the time limit: looked for long enough, never sent twice.
 */
import { existsSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubDouble, type RequestRecord } from "./github-double.js";
import { type AppProcess, sendWebhook, startApp } from "./harness.js";
import { newRepo, openPull, READER, SRC } from "./scenario.js";

let double: GitHubDouble;
let app: AppProcess;

beforeAll(async () => {
  double = await GitHubDouble.start();
  app = await startApp(double);
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await double?.close();
});

let cases = 0;

/** A pull request with two findings in a repository (and installation) of its own. */
function fixture() {
  const n = ++cases;
  const owner = `owing${n}`;
  const full = newRepo(double, { [READER]: SRC.base }, { owner, installation: 90_000 + n });
  const head = openPull(double, full, 1, { [READER]: SRC.head });
  const ofRepo = (r: RequestRecord) => r.path.startsWith(`/repos/${full}/`);
  return { full, head, ofRepo };
}

const reviewsOf = (full: string) => double.reviews.filter((r) => `${r.owner}/${r.repo}` === full);

/** Every memlint run of the commit completed (at least one), and the late request (if any) applied. */
async function settled(full: string, head: string, what: string): Promise<void> {
  await double.waitFor(
    () => {
      const runs = double.checkRunsFor(full, head);
      const pendingLate = double.requests.some((r) => r.fault === "late" && r.status === undefined && r.path.includes(full));
      return runs.length > 0 && runs.every((r) => r.status === "completed") && !pendingLate;
    },
    30_000,
    what,
  );
}

/** What the commit shows: every run completed with the analysis' verdict, one review, two threads. */
function expectVerdict(full: string, head: string): void {
  const runs = double.checkRunsFor(full, head);
  for (const run of runs) {
    expect({ id: run.id, status: run.status, conclusion: run.conclusion, title: run.output.title }).toEqual({
      id: run.id,
      status: "completed",
      conclusion: "failure",
      title: "2 blocking findings (production)",
    });
  }
  expect(double.latestCheckRun(full, head)!.output.summary).toContain("`http-body-not-closed`");
  expect(reviewsOf(full)).toHaveLength(1);
  expect(double.threadsOf(full, 1)).toHaveLength(2);
}

describe("check-run creation fails on every try of the run", () => {
  it("the check is owed, and delivered with the verdict once GitHub answers again", async () => {
    const { full, head, ofRepo } = fixture();
    // Two tries at the start, two at the end (the full report, then the short one).
    double.fault({ endpoint: "check-create", kind: "500", times: 4, match: ofRepo });
    const response = await sendWebhook(app, "pull_request", double.pullRequestEvent(full, 1));
    expect(response.status).toBe(200);
    await settled(full, head, "the owed check run");
    expect(double.requests.filter((r) => r.endpoint === "check-create" && r.fault === "500" && ofRepo(r))).toHaveLength(4);
    expect(double.checkRunsFor(full, head)).toHaveLength(1);
    expectVerdict(full, head);
    await double.waitFor(() => app.logs.some((l) => l.msg === "delivered a check run memlint owed"), 60_000, "the delivery in the log");
  }, 180_000);

  it("with a restart in the middle: the restarted server delivers it from the journal", async () => {
    const own = await startApp(double);
    const { full, head, ofRepo } = fixture();
    double.fault({ endpoint: "check-create", kind: "500", times: 1000, match: ofRepo });
    await sendWebhook(own, "pull_request", double.pullRequestEvent(full, 1));
    // The run ended without a check run: the journal holds what it owes.
    await double.waitFor(() => existsSync(own.stateDir) && readdirSync(own.stateDir).some((f) => f.startsWith("owed_")), 60_000, "the owed entry in the journal");
    expect(reviewsOf(full)).toHaveLength(1);
    await own.kill();
    expect(double.checkRunsFor(full, head)).toHaveLength(0);

    // GitHub answers again; a new process on the same host finds the entry.
    double.faults.splice(0);
    const restarted = await startApp(double, { stateDir: own.stateDir });
    try {
      await settled(full, head, "the owed check run after the restart");
      expect(double.checkRunsFor(full, head)).toHaveLength(1);
      expectVerdict(full, head);
    } finally {
      await restarted.stop();
    }
  }, 180_000);
});

describe("when no check run exists", () => {
  it("`/memlint recheck` creates the commit's check run and completes it with the verdict", async () => {
    const { full, head } = fixture();
    const response = await sendWebhook(app, "issue_comment", double.issueCommentEvent(full, 1, "/memlint recheck"));
    expect(response.status).toBe(200);
    await settled(full, head, "the check run of the recheck");
    expect(double.checkRunsFor(full, head)).toHaveLength(1);
    expectVerdict(full, head);
    const answered = () => double.issueCommentsOf(full, 1).find((c) => c.author.type === "Bot");
    await double.waitFor(() => answered() !== undefined, 60_000, "the answer to the command");
    const answer = answered()!;
    expect(answer.body).toContain("🔄 **Re-checked** `" + head.slice(0, 7) + "`.");
  }, 180_000);

  it("\"Re-run all checks\" on a suite that lists no pull request and has no memlint run finds the commit's pull request", async () => {
    const { full, head } = fixture();
    const response = await sendWebhook(app, "check_suite", double.checkSuiteEvent(full, head));
    expect(response.status).toBe(200);
    await settled(full, head, "the check run of the re-run");
    expect(double.checkRunsFor(full, head)).toHaveLength(1);
    expectVerdict(full, head);
  }, 180_000);
});

describe("requests answered after the time limit (applied late)", () => {
  it("check-run creation: the late run is adopted or completed with the verdict, never left in progress", async () => {
    const { full, head, ofRepo } = fixture();
    double.fault({ endpoint: "check-create", kind: "late", delayMs: 4000, match: ofRepo });
    await sendWebhook(app, "pull_request", double.pullRequestEvent(full, 1));
    await settled(full, head, "every run of the commit to complete");
    // The late run may be the only one (adopted) or a second one (completed by the sweep).
    expect(double.checkRunsFor(full, head).length).toBeGreaterThanOrEqual(1);
    expectVerdict(full, head);
  }, 180_000);

  it("review creation: the late review is found, and no comment is posted twice", async () => {
    const { full, head, ofRepo } = fixture();
    double.fault({ endpoint: "review", kind: "late", delayMs: 4000, match: ofRepo });
    await sendWebhook(app, "pull_request", double.pullRequestEvent(full, 1));
    await settled(full, head, "the check run");
    expect(double.requests.filter((r) => r.endpoint === "review" && ofRepo(r))).toHaveLength(1);
    expect(double.checkRunsFor(full, head)).toHaveLength(1);
    expectVerdict(full, head);
  }, 180_000);
});
