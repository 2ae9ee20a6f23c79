/**
 * Several instances behind a load balancer behave like one. Two memlint servers share one
 * installation and a real Redis (`redis-server`, started here on a free loopback port):
 * Probot's cluster-wide throttling paces the installation's writes across both, a lock per pull
 * request keeps them from running the same pull request at once, delivery ids are shared, and
 * the runs of an instance that died are completed as interrupted by the other. Without Redis the
 * fingerprint markers on GitHub still keep a second instance from posting a comment twice.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubDouble } from "./github-double.js";
import { type AppProcess, freePort, sendWebhook, startApp } from "./harness.js";
import { completedCheck, newRepo, openPull, READER, SRC } from "./scenario.js";

function findRedis(): string | undefined {
  for (const candidate of [process.env.REDIS_SERVER, "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const REDIS = findRedis();
if (!REDIS) {
  console.warn(
    "\n\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n" +
      "!!! redis-server NOT FOUND: the multi-instance (Redis) tests are SKIPPED.       !!!\n" +
      "!!! Install it (apt-get install -y redis-server; .ci/run does) to run them.     !!!\n" +
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
  );
}

let double: GitHubDouble;
let redis: ChildProcess | undefined;
let redisUrl = "";

async function startRedis(): Promise<void> {
  const port = await freePort();
  redis = spawn(REDIS!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis-server did not start")), 60_000);
    redis!.stdout!.on("data", (chunk: Buffer) => {
      if (/Ready to accept connections/i.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    redis!.on("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  redisUrl = `redis://127.0.0.1:${port}`;
}

const reviewsOf = (full: string) => double.reviews.filter((r) => `${r.owner}/${r.repo}` === full);

describe.skipIf(!REDIS)("two instances with Redis", () => {
  let a: AppProcess;
  let b: AppProcess;
  const env = () => ({
    REDIS_URL: redisUrl,
    MEMLINT_WRITE_INTERVAL_MS: "120",
    // Dead after three missed beats: long enough that a busy machine does not make a live instance look dead.
    MEMLINT_HEARTBEAT_MS: "1000",
    MEMLINT_RECOVERY_INTERVAL_MS: "300",
    // A dead instance's lock frees itself after this (30 s by default).
    MEMLINT_LOCK_TTL_MS: "5000",
  });

  beforeAll(async () => {
    double = await GitHubDouble.start();
    await startRedis();
    [a, b] = await Promise.all([startApp(double, { env: env() }), startApp(double, { env: env() })]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    redis?.kill("SIGTERM");
    await double?.close();
  });

  it("the same delivery reaching both instances at once gives one run and one set of comments", async () => {
    const full = newRepo(double, { [READER]: SRC.base });
    const head = openPull(double, full, 1, { [READER]: SRC.head });
    const payload = double.pullRequestEvent(full, 1);
    await Promise.all([sendWebhook(a, "pull_request", payload, { deliveryId: "shared-1" }), sendWebhook(b, "pull_request", payload, { deliveryId: "shared-1" })]);
    await completedCheck(double, full, head);
    await new Promise((r) => setTimeout(r, 800));
    expect(double.checkRunsFor(full, head)).toHaveLength(1);
    expect(reviewsOf(full)).toHaveLength(1);
    expect(double.threadsOf(full, 1)).toHaveLength(2);
  }, 180_000);

  it("pull requests spread over both instances: every one completes, and the installation's write pacing is shared in Redis", async () => {
    const full = newRepo(double, { [READER]: SRC.base }, { owner: "shared", installation: 60_606 });
    const heads: string[] = [];
    for (let n = 1; n <= 6; n++) heads.push(openPull(double, full, n, { [READER]: SRC.head }));
    await Promise.all(heads.map((_, i) => sendWebhook(i % 2 === 0 ? a : b, "pull_request", double.pullRequestEvent(full, i + 1))));
    const checks = await Promise.all(heads.map((h) => completedCheck(double, full, h, 60_000)));
    expect(checks.map((c) => [c.conclusion, c.output.title])).toEqual(Array(6).fill(["failure", "2 blocking findings (production)"]));
    for (let n = 1; n <= 6; n++) expect(double.threadsOf(full, n)).toHaveLength(2);
    // Both instances paced the installation's writes through one limiter, kept in Redis
    // (Bottleneck's clustered state), not each through its own. (The pacing's timing is
    // measured by `npm run bench`.)
    const redisClient = new Redis(redisUrl);
    try {
      const keys = await redisClient.keys("b_octokit-write-60606_*");
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      redisClient.disconnect();
    }
  }, 180_000);

  it("an instance that dies mid-run: the other completes its check as interrupted, and Re-run recovers", async () => {
    const dying = await startApp(double, { env: { ...env(), MEMLINT_REQUEST_TIMEOUT_MS: "60000" } });
    const full = newRepo(double, { [READER]: SRC.base }, { owner: "dying", installation: 60_707 });
    const head = openPull(double, full, 1, { [READER]: SRC.head });
    double.fault({ endpoint: "contents", kind: "stall", match: (r) => (r.body?.variables as { owner?: string } | undefined)?.owner === "dying" });
    await sendWebhook(dying, "pull_request", double.pullRequestEvent(full, 1));
    await double.waitFor(() => double.requests.some((r) => r.fault === "stall" && JSON.stringify(r.body).includes("dying")), 60_000, "the stalled request");
    await dying.kill();
    const interrupted = await completedCheck(double, full, head, 60_000);
    expect(interrupted.output.title).toBe("Interrupted — press Re-run");
    expect(interrupted.conclusion).toBe("failure");
    await sendWebhook(a, "check_run", double.checkRunEvent(interrupted.id));
    await double.waitFor(() => double.latestCheckRun(full, head)!.id !== interrupted.id && double.latestCheckRun(full, head)!.status === "completed", 60_000, "the re-run");
    expect(double.latestCheckRun(full, head)!.output.title).toBe("2 blocking findings (production)");
  }, 180_000);

  it("a check run owed by an instance that died is delivered by the other when GitHub answers again", async () => {
    const owing = await startApp(double, { env: env() });
    const full = newRepo(double, { [READER]: SRC.base }, { owner: "owing", installation: 60_808 });
    const head = openPull(double, full, 1, { [READER]: SRC.head });
    double.fault({ endpoint: "check-create", kind: "500", times: 1000, match: (r) => r.path.startsWith(`/repos/${full}/`) });
    await sendWebhook(owing, "pull_request", double.pullRequestEvent(full, 1));
    await double.waitFor(() => owing.logs.some((l) => String(l.msg).startsWith("memlint run could not complete its check run")), 60_000, "the run without a check run");
    await owing.kill();
    expect(reviewsOf(full)).toHaveLength(1);
    expect(double.checkRunsFor(full, head)).toHaveLength(0);
    double.faults.splice(0);
    const delivered = await completedCheck(double, full, head, 60_000);
    expect(delivered.conclusion).toBe("failure");
    expect(delivered.output.title).toBe("2 blocking findings (production)");
    expect(double.checkRunsFor(full, head)).toHaveLength(1);
    await double.waitFor(() => [...a.logs, ...b.logs].some((l) => l.msg === "delivered a check run memlint owed"), 60_000, "the delivery in a survivor's log");
  }, 180_000);
});

describe("two instances without Redis", () => {
  let a: AppProcess;
  let b: AppProcess;
  let plain: GitHubDouble;

  beforeAll(async () => {
    plain = await GitHubDouble.start();
    [a, b] = await Promise.all([startApp(plain), startApp(plain)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await plain?.close();
  });

  it("a redelivery that reaches the other instance posts nothing twice (the fingerprint markers)", async () => {
    double = plain;
    const full = newRepo(plain, { [READER]: SRC.base });
    const head = openPull(plain, full, 1, { [READER]: SRC.head });
    const payload = plain.pullRequestEvent(full, 1);
    await sendWebhook(a, "pull_request", payload, { deliveryId: "plain-1" });
    const first = await completedCheck(plain, full, head);
    await sendWebhook(b, "pull_request", payload, { deliveryId: "plain-1" });
    await plain.waitFor(() => plain.checkRunsFor(full, head).length === 2 && plain.latestCheckRun(full, head)!.status === "completed", 60_000, "the second run");
    expect({ conclusion: first.conclusion, title: first.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
    expect({ conclusion: plain.latestCheckRun(full, head)!.conclusion, title: plain.latestCheckRun(full, head)!.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
    expect(plain.reviews.filter((r) => `${r.owner}/${r.repo}` === full)).toHaveLength(1);
    expect(plain.threadsOf(full, 1)).toHaveLength(2);
  }, 180_000);
});
