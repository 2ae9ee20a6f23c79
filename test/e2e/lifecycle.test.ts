/**
 * End to end over real HTTP: the memlint server as `npm start` runs it (a child process on
 * loopback) against the GitHub double; webhooks signed as GitHub signs them.
 */
import { describe, expect, it } from "vitest";
import type { GitHubDouble } from "./github-double.js";
import { type AppProcess, sendWebhook, sign } from "./harness.js";
import { serverForFile } from "./server-for-file.js";
import { cleanFile, completedCheck, deliver, leakyFile, newRepo, openPull, push, READER, SRC } from "./scenario.js";

let double: GitHubDouble;
let app: AppProcess;
serverForFile((d, a) => {
  double = d;
  app = a;
});

const reviewsOf = (full: string, pull: number) => double.reviews.filter((r) => `${r.owner}/${r.repo}` === full && r.pull === pull);

describe("a pull request from opened to fixed", () => {
  it("comments once per finding, never twice, resolves the fixed threads and ends in success", async () => {
    const full = newRepo(double, { [READER]: SRC.base });
    let head = openPull(double, full, 1, { [READER]: SRC.head });

    // opened: one review with the two findings, the check blocks (production: the default branch).
    const opened = await deliver(double, app, full, 1);
    expect(opened.response.status).toBe(200);
    expect({ conclusion: opened.check.conclusion, title: opened.check.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
    expect(reviewsOf(full, 1)).toHaveLength(1);
    const rules = reviewsOf(full, 1)[0]!.comments.map((c) => /`([a-z-]+)`/.exec(String(c.body))?.[1]).sort();
    expect(rules).toEqual(["defer-in-loop", "http-body-not-closed"]);
    expect(double.threadsOf(full, 1)).toHaveLength(2);

    // push 1: an unrelated file; push 2: the same code moved down. Nothing new is posted.
    head = push(double, full, 1, head, { "batch/sum.go": cleanFile(1) });
    const first = await deliver(double, app, full, 1, "synchronize");
    expect({ conclusion: first.check.conclusion, title: first.check.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
    head = push(double, full, 1, head, { [READER]: SRC.shifted });
    const second = await deliver(double, app, full, 1, "synchronize");
    expect({ conclusion: second.check.conclusion, title: second.check.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
    expect(reviewsOf(full, 1)).toHaveLength(1);
    expect(double.threadsOf(full, 1)).toHaveLength(2);

    // The fixing push: both threads marked fixed and resolved, the check passes.
    push(double, full, 1, head, { [READER]: SRC.clean });
    const fixed = await deliver(double, app, full, 1, "synchronize");
    expect({ conclusion: fixed.check.conclusion, title: fixed.check.output.title }).toEqual({ conclusion: "success", title: "No memory-management findings" });
    const threads = double.threadsOf(full, 1);
    expect(threads).toHaveLength(2);
    expect(threads.every((t) => t.isResolved)).toBe(true);
    expect(threads.every((t) => /Fixed/.test(t.comments[0]!.body))).toBe(true);
    expect(reviewsOf(full, 1)).toHaveLength(1);
    // One check run per head commit, each completed.
    for (const run of double.checkRunsFor(full)) expect(run.status).toBe("completed");
    expect(double.checkRunsFor(full)).toHaveLength(4);
    for (const d of [opened, first, second, fixed]) expect(d.response.status).toBe(200);
  }, 180_000);
});

describe("webhook signatures", () => {
  it("an unsigned or wrongly signed delivery is rejected and makes no GitHub request", async () => {
    const full = newRepo(double, { [READER]: SRC.base });
    openPull(double, full, 2, { [READER]: SRC.head });
    const payload = double.pullRequestEvent(full, 2);
    const before = double.requests.length;
    const unsigned = await sendWebhook(app, "pull_request", payload, { signature: null });
    const wrong = await sendWebhook(app, "pull_request", payload, { signature: sign(JSON.stringify(payload), "not-the-secret") });
    const tampered = await sendWebhook(app, "pull_request", { ...payload, number: 3 }, { signature: sign(JSON.stringify(payload)) });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(tampered.status).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(double.requests.length).toBe(before);
    expect(double.checkRunsFor(full)).toHaveLength(0);
  });
});

describe("logs", () => {
  it("health probes are not logged at info, and every JSON line names its logger once", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      await res.text();
    }
    // A request that is logged (answered after the probes): its line has arrived when this is done.
    const probe = await sendWebhook(app, "ping", { zen: "Keep it logically awesome.", hook_id: 1 });
    expect(probe.status).toBe(200);
    await double.waitFor(() => app.logs.some((l) => String((l.req as { url?: string } | undefined)?.url).startsWith("/api/github/webhooks")), 60_000, "the webhook's log line");
    expect(app.logs.filter((l) => String((l.req as { url?: string } | undefined)?.url).startsWith("/healthz"))).toEqual([]);
    // A line with a key twice would lose one when parsed: written and re-serialized, they are equal.
    for (const line of app.lines) expect(JSON.stringify(JSON.parse(line)), line).toBe(line);
  });
});

describe("redelivery", () => {
  it("the same delivery sent twice gives one set of comments", async () => {
    const full = newRepo(double, { [READER]: SRC.base });
    const head = openPull(double, full, 4, { [READER]: SRC.head });
    const payload = double.pullRequestEvent(full, 4);
    const [a, b] = await Promise.all([
      sendWebhook(app, "pull_request", payload, { deliveryId: "same-delivery-4" }),
      sendWebhook(app, "pull_request", payload, { deliveryId: "same-delivery-4" }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await completedCheck(double, full, head);
    await new Promise((r) => setTimeout(r, 300));
    // And once more after the first completed (GitHub's "Redeliver").
    await sendWebhook(app, "pull_request", payload, { deliveryId: "same-delivery-4" });
    await new Promise((r) => setTimeout(r, 300));
    expect(reviewsOf(full, 4)).toHaveLength(1);
    expect(double.threadsOf(full, 4)).toHaveLength(2);
    expect(double.checkRunsFor(full, head)).toHaveLength(1);
  });
});

describe("API budget", () => {
  const budget = async (files: number, pull: number) => {
    const changes: Record<string, string> = {};
    const base: Record<string, string> = {};
    for (let i = 0; i < files; i++) {
      base[`pkg${i % 7}/f${i}.go`] = cleanFile(i, `pkg${i % 7}`);
      changes[`pkg${i % 7}/f${i}.go`] = i % 3 === 0 ? leakyFile(i, `pkg${i % 7}`) : cleanFile(i + 1000, `pkg${i % 7}`);
    }
    // A fresh installation: the count includes the installation token.
    const full = newRepo(double, base, { installation: 50_000 + pull, owner: `org${pull}` });
    const head = openPull(double, full, pull, changes);
    const start = double.requests.length;
    const { check } = await deliver(double, app, full, pull);
    await new Promise((r) => setTimeout(r, 200));
    const requests = double.requests.slice(start);
    return { check, head, requests, endpoints: requests.map((r) => r.endpoint) };
  };

  it("a 10-file pull request costs at most 8 requests, and a 100-file one the same", async () => {
    const ten = await budget(10, 10);
    expect({ conclusion: ten.check.conclusion, title: ten.check.output.title }).toEqual({ conclusion: "failure", title: "4 blocking findings (production)" });
    expect(ten.endpoints.sort()).toEqual(["check-create", "check-update", "config", "contents", "files", "review", "threads", "token"].sort());
    const hundred = await budget(100, 100);
    expect({ conclusion: hundred.check.conclusion, title: hundred.check.output.title }).toEqual({ conclusion: "failure", title: "34 blocking findings (production)" });
    expect(hundred.requests.length).toBe(ten.requests.length);
    expect(hundred.requests.length).toBeLessThanOrEqual(8);
    // 34 findings in 100 files: 25 inline (max_comments), the rest annotations in the same completing update.
    expect(double.reviews.at(-1)!.comments).toHaveLength(25);
  }, 180_000);
});
