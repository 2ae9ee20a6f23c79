/**
 * The memlint server as `npm start` runs it: Probot's HTTP server with memlint's Octokit
 * (request time limits, bounded rate-limit retries; see github/octokit.ts), early webhook answers,
 * the in-flight journal with crash recovery, a graceful stop, and — with `REDIS_URL` — what
 * several instances share (throttling, a lock per pull request, delivery ids, the journal).
 *
 * Environment (besides Probot's APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT, HOST, …):
 * - `MEMLINT_ACK_AFTER_MS` (default 2000): answer a webhook once its run's check run exists, or
 *   after this long, and let the run go on. `0`… answers at once; `off` waits for the run.
 * - `MEMLINT_STATE_DIR` (default `<tmpdir>/memlint-state`, `off` for none): the in-flight journal
 *   of this host when there is no Redis.
 * - `MEMLINT_SHUTDOWN_GRACE_MS` (default 8000): how long a stop waits for runs before it completes
 *   their check runs as interrupted.
 * - `MEMLINT_RECOVERY_INTERVAL_MS` (default 30000): how often orphaned runs are looked for.
 * - `MEMLINT_HEARTBEAT_MS` (default 10000, Redis only): an instance without a heartbeat for three
 *   periods is dead; its runs are completed as interrupted by another instance.
 * - `MEMLINT_LOCK_TTL_MS` (default 30000), `MEMLINT_LOCK_WAIT_MS` (default 300000): the Redis lock
 *   per pull request.
 * - Request limits and pacing: see github/octokit.ts.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApplicationFunction, Logger, Probot, Server } from "probot";
import { run } from "probot";
import { createApp } from "./app.js";
import { type Completion, interruptedCompletion, settleCommit } from "./github/check-run.js";
import { describeRequestError } from "./github/errors.js";
import { memlintOctokit, tuningFromEnv } from "./github/octokit.js";
import { jsonLogger } from "./log.js";
import { FileJournal, type InflightEntry, InflightRuns, type Journal, MemoryJournal, type OwedCheck, owedKey } from "./runtime/inflight.js";
import { connectRedis, DEFAULT_LOCK, PullLock, RedisDeliveries, RedisJournal } from "./runtime/redis.js";
import type { Shared, SharedOptions } from "./runtime/shared.js";

/** How long memlint keeps trying to deliver a check run it owes, and the longest wait between tries. */
const OWED_FOR_MS = 24 * 3600_000;
const MAX_OWED_BACKOFF_MS = 15 * 60_000;

function number(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export interface RunningServer {
  server: Server;
  probot: Probot;
  shared: Shared;
  journal: Journal;
  /** Looks for orphaned runs now (also done on start-up and periodically). */
  recover(): Promise<number>;
  /** Graceful stop: no new webhooks, runs get the grace period, then are completed as interrupted. */
  stop(reason: string): Promise<void>;
}

/** An installation's Octokit for a repository (recovery runs outside any webhook). */
async function repositoryOctokit(probot: Probot, owner: string, repo: string) {
  const appOctokit = await probot.auth();
  const { data: installation } = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
  return probot.auth(installation.id);
}

/**
 * Completes the check runs of an orphaned run as interrupted: its own (created completed when it
 * had none yet) and any other of the commit's memlint runs in progress that no run works on.
 */
export async function completeOrphan(probot: Probot, shared: Shared, entry: InflightEntry, why: string, log: Logger): Promise<boolean> {
  // The run got as far as its verdict and owes the commit its check run: that delivers it.
  if (await shared.inflight.journal.owes(owedKey(entry.owner, entry.repo, entry.headSha))) return false;
  const octokit = await repositoryOctokit(probot, entry.owner, entry.repo);
  const identity = await shared.identity();
  const completion = interruptedCompletion(entry.conclusion, entry.headSha, why, entry.environment);
  const settled = await settleCommit(octokit, entry, identity.id, completion, await shared.inflight.liveCheckRunIds(), { create: true });
  const done = settled.completed.length + (settled.created !== undefined ? 1 : 0);
  if (done > 0) log.warn({ ...settled, repository: `${entry.owner}/${entry.repo}`, pullNumber: entry.pullNumber, instance: entry.instance }, "completed the check run of an interrupted run");
  return done > 0;
}

/**
 * Delivers a check run memlint owes: completes the commit's memlint runs that are in progress with
 * the owed completion, or creates one completed when there is none. Until `sweepUntil`, the entry
 * stays to complete runs that create requests without an answer make later.
 */
async function deliverOwed(probot: Probot, shared: Shared, owed: OwedCheck, log: Logger): Promise<void> {
  const octokit = await repositoryOctokit(probot, owed.owner, owed.repo);
  const identity = await shared.identity();
  const settled = await settleCommit(octokit, owed, identity.id, owed.completion as Completion, await shared.inflight.liveCheckRunIds(), { create: !owed.sweepOnly });
  if (settled.completed.length > 0 || settled.created !== undefined) {
    log.warn({ ...settled, repository: `${owed.owner}/${owed.repo}`, pullNumber: owed.pullNumber, headSha: owed.headSha }, "delivered a check run memlint owed");
  }
}

export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const tuning = tuningFromEnv(env);
  const Octokit = memlintOctokit(tuning);
  const ackSetting = env.MEMLINT_ACK_AFTER_MS?.trim();
  const ackAfterMs = ackSetting === "off" ? undefined : number(ackSetting, 2000);
  const graceMs = number(env.MEMLINT_SHUTDOWN_GRACE_MS, 8000);
  const recoveryMs = number(env.MEMLINT_RECOVERY_INTERVAL_MS, 30_000);

  let journal: Journal;
  const runtime: SharedOptions = {};
  if (ackAfterMs !== undefined) runtime.ackAfterMs = ackAfterMs;
  // A request without an answer may be applied late: looked for up to twice its time limit.
  runtime.verifyMs = 2 * tuning.requestTimeoutMs;
  runtime.owed = { retryMs: Math.max(1000, recoveryMs), sweepMs: 3 * tuning.requestTimeoutMs };
  const redisUrl = env.REDIS_URL?.trim();
  let closeRedis: (() => Promise<unknown>) | undefined;
  if (redisUrl) {
    const redis = connectRedis(redisUrl);
    closeRedis = () => redis.quit().catch(() => undefined);
    const redisJournal = new RedisJournal(redis, number(env.MEMLINT_HEARTBEAT_MS, 10_000));
    await redisJournal.start();
    journal = redisJournal;
    runtime.lock = new PullLock(redis, {
      ...DEFAULT_LOCK,
      ttlMs: number(env.MEMLINT_LOCK_TTL_MS, DEFAULT_LOCK.ttlMs),
      waitMs: number(env.MEMLINT_LOCK_WAIT_MS, DEFAULT_LOCK.waitMs),
    });
    runtime.remoteDeliveries = new RedisDeliveries(redis);
  } else {
    const dir = env.MEMLINT_STATE_DIR?.trim();
    journal = dir === "off" ? new MemoryJournal() : new FileJournal(dir || join(tmpdir(), "memlint-state"));
  }

  let probot!: Probot;
  let shared!: Shared;
  const inflight = new InflightRuns(journal, (err, what) => probot?.log.warn({ err }, `in-flight journal: ${what} failed`));
  runtime.inflight = inflight;
  const inner = createApp({ runtime, onShared: (s) => (shared = s) });
  const appFn: ApplicationFunction = (app, options) => {
    probot = app;
    return inner(app, options);
  };
  // JSON logs (production's default) through memlint's logger: each key once, health probes at debug.
  const json = env.LOG_FORMAT ? env.LOG_FORMAT !== "pretty" : env.NODE_ENV === "production";
  const server = await run(appFn, { Octokit, ...(json ? { log: jsonLogger(env) } : {}) });
  const log = probot.log.child({ component: "memlint-runtime" });
  log.info({ journal: journal.kind, redis: Boolean(redisUrl), ackAfterMs: ackAfterMs ?? "off", tuning }, "memlint server started");

  let recovering: Promise<number> | undefined;
  const recover = (): Promise<number> => {
    recovering ??= (async () => {
      let done = 0;
      try {
        for (const entry of await journal.claimOrphans()) {
          try {
            if (await completeOrphan(probot, shared, entry, "the memlint process handling it stopped", log)) done++;
          } catch (err) {
            log.error({ err, request: describeRequestError(err), checkRunId: entry.checkRunId }, "could not complete an interrupted run's check run; will retry");
            await journal.put(entry).catch(() => undefined);
          }
        }
      } catch (err) {
        log.error({ err }, "looking for interrupted runs failed");
      }
      try {
        for (const owed of await journal.claimDue(Date.now())) {
          const now = Date.now();
          try {
            await deliverOwed(probot, shared, owed, log);
            done++;
            // Delivered; runs a create request without an answer makes later are still looked for.
            if (now < owed.sweepUntil) await journal.owe({ ...owed, sweepOnly: true, dueAt: now + recoveryMs });
            else await journal.discharge(owed.key);
          } catch (err) {
            const attempts = owed.attempts + 1;
            const giveUp = now - Date.parse(owed.createdAt) > OWED_FOR_MS;
            log.error({ err, request: describeRequestError(err), headSha: owed.headSha, attempts, giveUp }, giveUp ? "gave up on a check run memlint owed" : "could not deliver a check run memlint owes; will retry");
            if (giveUp) await journal.discharge(owed.key);
            else await journal.owe({ ...owed, attempts, dueAt: now + Math.min(recoveryMs * 2 ** Math.min(attempts, 10), MAX_OWED_BACKOFF_MS) });
          }
        }
      } catch (err) {
        log.error({ err }, "looking for owed check runs failed");
      }
      return done;
    })().finally(() => (recovering = undefined));
    return recovering;
  };
  void recover();
  const timer = setInterval(() => void recover(), Math.max(1000, recoveryMs));
  timer.unref();

  let stopping: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(timer);
      log.info({ reason, inflight: inflight.size }, "stopping: no new webhooks; waiting for runs");
      await Promise.race([server.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
      const settled = await inflight.drain(graceMs);
      if (!settled) {
        const n = await inflight.interruptAll(`memlint was stopped (${reason}) during the run`);
        log.warn({ interrupted: n }, "runs still going after the grace period were completed as interrupted");
      }
      await inflight.flush();
      await journal.close();
      await closeRedis?.();
    })();
    return stopping;
  };
  return { server, probot, shared, journal, recover, stop };
}

/** Replaces Probot's SIGINT handler (it exits at once) with a graceful stop on SIGINT and SIGTERM. */
export function handleSignals(running: RunningServer, listenersBefore: ReadonlySet<(...args: unknown[]) => void>): void {
  for (const listener of process.listeners("SIGINT")) {
    if (!listenersBefore.has(listener as (...args: unknown[]) => void)) process.removeListener("SIGINT", listener);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      running
        .stop(signal)
        .then(() => process.exit(0))
        .catch((err: unknown) => {
          console.error("memlint could not stop cleanly:", err);
          process.exit(1);
        });
    });
  }
}
