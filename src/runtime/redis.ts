/**
 * What several memlint instances share through Redis (`REDIS_URL`), besides Probot's cluster-wide
 * request throttling:
 *
 * - **A lock per pull request**, so two instances never run the same pull request at once (the
 *   per-process queue cannot see the other instances). Without Redis, the fingerprint markers on
 *   GitHub still keep a later run from posting what an earlier one posted.
 * - **Delivery ids** of completed runs, so a redelivery that reaches another instance does nothing.
 * - **The in-flight journal** ({@link RedisJournal}): runs of an instance that died are completed
 *   as interrupted by another instance, and check runs memlint owes are delivered by whichever
 *   instance finds them due.
 *
 * Redis is a help, not a dependency of correctness: when it fails, a run goes ahead without the
 * lock (and logs it), rather than leaving a check run unreported.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { INSTANCE_ID, type InflightEntry, type Journal, type OwedCheck } from "./inflight.js";

export const REDIS_PREFIX = "memlint";

export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000, lazyConnect: false });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
/** Moves a hash field to another hash, if it still has the value read. */
const MOVE = `if redis.call("hget", KEYS[1], ARGV[1]) == ARGV[2] then redis.call("hdel", KEYS[1], ARGV[1]) redis.call("hset", KEYS[2], ARGV[1], ARGV[3]) return 1 else return 0 end`;
/** Replaces a hash field's value, if it still has the value read. */
const SWAP = `if redis.call("hget", KEYS[1], ARGV[1]) == ARGV[2] then redis.call("hset", KEYS[1], ARGV[1], ARGV[3]) return 1 else return 0 end`;
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export interface LockOptions {
  /** How long a lock lives without renewal (a dead holder frees it after this). */
  ttlMs: number;
  /** How long to wait for another instance's run before going ahead anyway. */
  waitMs: number;
  pollMs: number;
}

export const DEFAULT_LOCK: LockOptions = { ttlMs: 30_000, waitMs: 5 * 60_000, pollMs: 100 };

export interface LockEvents {
  waited?(ms: number): void;
  failed?(err: unknown): void;
  timedOut?(): void;
}

/** A lock per key across instances (SET NX PX with a token; renewed while held). */
export class PullLock {
  constructor(
    private readonly redis: Redis,
    private readonly options: LockOptions = DEFAULT_LOCK,
  ) {}

  async withLock<T>(key: string, fn: () => Promise<T>, events: LockEvents = {}): Promise<T> {
    const name = `${REDIS_PREFIX}:lock:${key}`;
    const token = `${INSTANCE_ID}:${randomUUID()}`;
    const started = Date.now();
    let held = false;
    try {
      for (;;) {
        const ok = await this.redis.set(name, token, "PX", this.options.ttlMs, "NX");
        if (ok === "OK") {
          held = true;
          break;
        }
        if (Date.now() - started >= this.options.waitMs) {
          events.timedOut?.();
          break;
        }
        await sleep(this.options.pollMs);
      }
    } catch (err) {
      events.failed?.(err);
    }
    if (held && Date.now() - started > this.options.pollMs) events.waited?.(Date.now() - started);
    let renew: NodeJS.Timeout | undefined;
    if (held) {
      renew = setInterval(() => {
        this.redis.eval(RENEW, 1, name, token, String(this.options.ttlMs)).catch((err: unknown) => events.failed?.(err));
      }, Math.max(50, Math.floor(this.options.ttlMs / 3)));
      renew.unref();
    }
    try {
      return await fn();
    } finally {
      if (renew) clearInterval(renew);
      if (held) await this.redis.eval(RELEASE, 1, name, token).catch((err: unknown) => events.failed?.(err));
    }
  }
}

/** Delivery ids whose run completed, shared by the instances (kept a day). */
export class RedisDeliveries {
  constructor(private readonly redis: Redis) {}

  async has(id: string): Promise<boolean> {
    return (await this.redis.exists(`${REDIS_PREFIX}:delivery:${id}`)) === 1;
  }

  async add(id: string): Promise<void> {
    await this.redis.set(`${REDIS_PREFIX}:delivery:${id}`, "1", "EX", 86_400);
  }
}

/**
 * In-flight runs in a Redis hash; every instance keeps a heartbeat key alive. An entry whose
 * instance has no heartbeat any more is an orphan, claimed with HDEL by exactly one instance.
 */
export class RedisJournal implements Journal {
  readonly kind = "redis";
  private timer: NodeJS.Timeout | undefined;
  private readonly hash = `${REDIS_PREFIX}:inflight`;
  private readonly owedHash = `${REDIS_PREFIX}:owed`;
  /** Owed check runs an instance is delivering: key → `{ instance, entry }`. */
  private readonly claimedHash = `${REDIS_PREFIX}:owed-claimed`;

  constructor(
    private readonly redis: Redis,
    private readonly heartbeatMs = 10_000,
  ) {}

  private aliveKey(instance: string): string {
    return `${REDIS_PREFIX}:alive:${instance}`;
  }

  /** Starts the heartbeat (every `heartbeatMs`, valid for three beats). */
  async start(): Promise<void> {
    const beat = () => this.redis.set(this.aliveKey(INSTANCE_ID), "1", "PX", this.heartbeatMs * 3);
    await beat();
    this.timer = setInterval(() => void beat().catch(() => undefined), this.heartbeatMs);
    this.timer.unref();
  }

  async put(entry: InflightEntry): Promise<void> {
    await this.redis.hset(this.hash, entry.key, JSON.stringify(entry));
  }

  async remove(key: string): Promise<void> {
    await this.redis.hdel(this.hash, key);
  }

  async claimOrphans(): Promise<InflightEntry[]> {
    const all = await this.redis.hgetall(this.hash);
    const out: InflightEntry[] = [];
    for (const [key, value] of Object.entries(all)) {
      let entry: InflightEntry;
      try {
        entry = JSON.parse(value) as InflightEntry;
      } catch {
        await this.redis.hdel(this.hash, key);
        continue;
      }
      if (entry.instance === INSTANCE_ID) continue;
      if ((await this.redis.exists(this.aliveKey(entry.instance))) === 1) continue;
      if ((await this.redis.hdel(this.hash, key)) === 1) out.push(entry);
    }
    return out;
  }

  async liveCheckRunIds(): Promise<Set<number>> {
    const ids = new Set<number>();
    for (const value of Object.values(await this.redis.hgetall(this.hash))) {
      try {
        const id = (JSON.parse(value) as InflightEntry).checkRunId;
        if (id !== undefined) ids.add(id);
      } catch {
        // An unreadable entry: claimOrphans drops it.
      }
    }
    return ids;
  }

  async owe(entry: OwedCheck): Promise<void> {
    await this.redis.multi().hset(this.owedHash, entry.key, JSON.stringify(entry)).hdel(this.claimedHash, entry.key).exec();
  }

  /**
   * Due entries, and those claimed by instances without a heartbeat. Each is moved to the claimed
   * hash in one script, so exactly one instance gets it and a crash cannot lose it.
   */
  async claimDue(now: number): Promise<OwedCheck[]> {
    const out: OwedCheck[] = [];
    for (const [key, value] of Object.entries(await this.redis.hgetall(this.owedHash))) {
      let entry: OwedCheck;
      try {
        entry = JSON.parse(value) as OwedCheck;
      } catch {
        await this.redis.hdel(this.owedHash, key);
        continue;
      }
      if (entry.dueAt > now) continue;
      if ((await this.redis.eval(MOVE, 2, this.owedHash, this.claimedHash, key, value, JSON.stringify({ instance: INSTANCE_ID, entry }))) === 1) out.push(entry);
    }
    for (const [key, value] of Object.entries(await this.redis.hgetall(this.claimedHash))) {
      let claim: { instance: string; entry: OwedCheck };
      try {
        claim = JSON.parse(value) as { instance: string; entry: OwedCheck };
      } catch {
        await this.redis.hdel(this.claimedHash, key);
        continue;
      }
      if (claim.instance === INSTANCE_ID || (await this.redis.exists(this.aliveKey(claim.instance))) === 1) continue;
      const mine = JSON.stringify({ instance: INSTANCE_ID, entry: claim.entry });
      if ((await this.redis.eval(SWAP, 1, this.claimedHash, key, value, mine)) === 1) out.push(claim.entry);
    }
    return out;
  }

  async discharge(key: string): Promise<void> {
    await this.redis.hdel(this.claimedHash, key);
  }

  async owes(key: string): Promise<boolean> {
    return (await this.redis.hexists(this.owedHash, key)) === 1 || (await this.redis.hexists(this.claimedHash, key)) === 1;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
