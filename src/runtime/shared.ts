/**
 * What every handler of one App instance shares: identity, serialization, delivery memory, the
 * in-flight runs and the check runs memlint owes.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "probot";
import type { IdentityLoader } from "../github/identity.js";
import type { Completion } from "../github/check-run.js";
import { type InflightEntry, InflightRuns, type OwedCheck, owedKey, type TrackedRun } from "./inflight.js";
import type { RunOutcome } from "./review-run.js";
import { KeyedQueue, RecentDeliveries } from "./serialize.js";

/** Delivery ids whose run completed, shared by several instances (Redis). */
export interface SharedDeliveries {
  has(id: string): Promise<boolean>;
  add(id: string): Promise<void>;
}

/** A lock per pull request across instances (Redis). */
export interface CrossInstanceLock {
  withLock<T>(key: string, fn: () => Promise<T>, events?: { waited?(ms: number): void; failed?(err: unknown): void; timedOut?(): void }): Promise<T>;
}

export interface Shared {
  identity: IdentityLoader;
  queue: KeyedQueue;
  deliveries: RecentDeliveries;
  /** `MEMLINT_ENVIRONMENT`, read per event. */
  environmentOverride: () => string | undefined;
  /** Runs whose check run exists and is not completed yet (graceful stop, crash recovery). */
  inflight: InflightRuns;
  /**
   * Answer the webhook once the run's check run exists (the hand-off), or after this many ms,
   * and let the run go on; undefined: answer when the run is over (tests, `probot receive`).
   */
  ackAfterMs?: number;
  lock?: CrossInstanceLock;
  remoteDeliveries?: SharedDeliveries;
  /** When an owed check run is first tried again, and how long late duplicates are looked for (ms). */
  owed: { retryMs: number; sweepMs: number };
  /** How long a write whose outcome is unknown is looked for before it is sent again (ms). */
  verifyMs: number;
}

export interface SharedOptions {
  inflight?: InflightRuns;
  ackAfterMs?: number;
  lock?: CrossInstanceLock;
  remoteDeliveries?: SharedDeliveries;
  owed?: { retryMs: number; sweepMs: number };
  verifyMs?: number;
}

export function createShared(identity: IdentityLoader, environmentOverride: () => string | undefined, options: SharedOptions = {}): Shared {
  return {
    identity,
    queue: new KeyedQueue(),
    deliveries: new RecentDeliveries(),
    environmentOverride,
    inflight: options.inflight ?? new InflightRuns(),
    ...(options.ackAfterMs !== undefined ? { ackAfterMs: options.ackAfterMs } : {}),
    ...(options.lock ? { lock: options.lock } : {}),
    ...(options.remoteDeliveries ? { remoteDeliveries: options.remoteDeliveries } : {}),
    owed: options.owed ?? { retryMs: 30_000, sweepMs: 60_000 },
    verifyMs: options.verifyMs ?? 0,
  };
}

export function pullKey(owner: string, repo: string, pullNumber: number): string {
  return `${owner}/${repo}#${pullNumber}`.toLowerCase();
}

/** What a run reaches of its surroundings without every handler passing it along. */
interface RunScope {
  shared: Shared;
  /** Called once the run's check run exists: the webhook may be answered. */
  handOff: () => void;
}

const scope = new AsyncLocalStorage<RunScope>();

/**
 * Records the current run's check run as in flight (see runtime/inflight.ts) and hands the
 * delivery off. Outside {@link runOnce} (unit tests of `runReview`): nothing is recorded.
 */
export function trackCheckRun(
  info: Omit<InflightEntry, "key" | "startedAt" | "instance" | "host" | "pid">,
  interrupt: (entry: InflightEntry, why: string) => Promise<void>,
): TrackedRun | undefined {
  const current = scope.getStore();
  if (!current) return undefined;
  const tracked = current.shared.inflight.track(info, interrupt);
  current.handOff();
  return tracked;
}

/**
 * Records a check run the current run owes its commit (see runtime/inflight.ts `OwedCheck`).
 * Outside {@link runOnce} (unit tests of `runReview`): nothing is recorded. Resolves once the
 * record is in the journal, so a process that dies after it cannot lose the debt.
 */
export async function oweCheck(owed: { owner: string; repo: string; pullNumber: number; headSha: string; completion: Completion; checkRunId?: number; sweepOnly?: boolean }): Promise<void> {
  const current = scope.getStore();
  if (!current) return;
  const now = Date.now();
  const { retryMs, sweepMs } = current.shared.owed;
  const entry: OwedCheck = {
    key: owedKey(owed.owner, owed.repo, owed.headSha),
    owner: owed.owner,
    repo: owed.repo,
    pullNumber: owed.pullNumber,
    headSha: owed.headSha,
    completion: owed.completion,
    ...(owed.sweepOnly ? { sweepOnly: true } : {}),
    attempts: 0,
    dueAt: now + (owed.sweepOnly ? Math.min(retryMs, sweepMs) : retryMs),
    sweepUntil: now + sweepMs,
    createdAt: new Date(now).toISOString(),
  };
  await current.shared.inflight.owe(entry);
}

/**
 * Runs `task` for a delivery once: after earlier runs of the same pull request (in this process,
 * and with Redis across instances), and not at all when this delivery already completed (a
 * redelivery of a handled webhook).
 *
 * Without `ackAfterMs`, returns when the run is over, and throws when the run could not even
 * complete its check run, so GitHub records the delivery as failed and it can be redelivered.
 * With it, returns as soon as the run's check run exists (or after `ackAfterMs`): the webhook is
 * answered well within GitHub's 10 s while the run goes on; from then on the in-flight record
 * stands for the delivery (an interrupted run's check run says so and can be re-run).
 */
export async function runOnce(
  shared: Shared,
  deliveryId: string,
  key: string,
  log: Logger,
  task: () => Promise<RunOutcome | undefined>,
): Promise<void> {
  let handOff!: () => void;
  const handedOff = new Promise<"handed-off">((resolve) => (handOff = () => resolve("handed-off")));
  const body = async () => {
    if (shared.deliveries.has(deliveryId) || (await seenElsewhere(shared, deliveryId, log))) {
      log.info("delivery already handled; nothing to do");
      return;
    }
    const outcome = await task();
    if (!outcome) return;
    if (!outcome.failed) {
      shared.deliveries.add(deliveryId);
      await shared.remoteDeliveries?.add(deliveryId).catch((err: unknown) => log.warn({ err }, "could not record the delivery in Redis"));
    }
    if (!outcome.completed) throw new Error(`memlint could not complete its check run (${outcome.stats.error ?? "unknown error"})`);
  };
  const locked = () =>
    shared.lock
      ? shared.lock.withLock(key, body, {
          waited: (ms) => log.info({ waitedMs: ms }, "waited for another instance's run of this pull request"),
          failed: (err) => log.warn({ err }, "Redis lock unavailable; running without it"),
          timedOut: () => log.warn("another instance held this pull request's lock too long; running anyway"),
        })
      : body();
  const work = shared.queue.run(key, () => scope.run({ shared, handOff }, locked));
  shared.inflight.hold(work);
  if (shared.ackAfterMs === undefined) {
    await work;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<"budget">((resolve) => (timer = setTimeout(() => resolve("budget"), shared.ackAfterMs)));
  try {
    const first = await Promise.race([work.then(() => "done" as const), handedOff, budget]);
    if (first !== "done") {
      work.catch((err: unknown) => log.error({ err }, `run failed after the webhook was answered: ${(err as Error).message ?? String(err)}`));
      log.debug({ after: first }, "webhook answered; the run goes on");
    }
  } finally {
    clearTimeout(timer);
  }
}

async function seenElsewhere(shared: Shared, deliveryId: string, log: Logger): Promise<boolean> {
  if (!shared.remoteDeliveries) return false;
  try {
    return await shared.remoteDeliveries.has(deliveryId);
  } catch (err) {
    log.warn({ err }, "could not read delivery ids from Redis");
    return false;
  }
}

/** Whether a check run or suite belongs to this App (GitHub sends events for memlint's only, but a payload may lack `app`). */
export async function isOwnApp(shared: Shared, app: { id: number | null } | null | undefined): Promise<boolean> {
  if (!app?.id) return false;
  const identity = await shared.identity();
  return app.id === identity.id;
}
