/**
 * Runs in flight, so that none is lost silently.
 *
 * Once a run has created its `in_progress` check run, the webhook may already be answered: the
 * check run on GitHub is the hand-off. If the process then dies, the check run would stay in
 * progress for ever (and a required check in progress blocks the merge without saying why). So
 * every run is recorded here from the moment its check run exists until it is completed:
 *
 * - in memory, for a graceful stop (SIGTERM/SIGINT): runs still going after the grace period get
 *   their check run completed as **interrupted** before the process exits;
 * - in a durable {@link Journal} (a directory on this host, or Redis for several instances), for
 *   a crash or a kill: on start-up — and, with Redis, periodically on every instance — the
 *   entries of dead processes are claimed and their check runs completed as interrupted.
 *
 * An interrupted check run fails closed where the environment blocks (its conclusion is the one
 * an internal error gets: `failure`, or `neutral` in development) and tells people to press
 * **Re-run** or comment `/memlint recheck`, which analyze the commit again.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { CheckConclusion, Completion } from "../github/check-run.js";

export interface InflightEntry {
  /** Unique per run: `owner/repo/checkRunId`, or `owner/repo/headSha/<id>` while the check run does not exist. */
  key: string;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  /** The run's check run; absent when GitHub did not let memlint create it (yet). */
  checkRunId?: number;
  /** The conclusion the check gets when the run is interrupted (fail closed per environment). */
  conclusion: CheckConclusion;
  /** The environment that conclusion is for, when known. */
  environment?: string;
  startedAt: string;
  /** Which process runs it. */
  instance: string;
  host: string;
  pid: number;
}

/**
 * A check run memlint owes a head commit: the run could not create or complete it (GitHub did not
 * answer), or a create request that got no answer may still make a run that must be completed
 * too. Not tied to a process: the recovery loop of any instance delivers it when it is due.
 */
export interface OwedCheck {
  /** `owed:owner/repo/headSha`. */
  key: string;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  /** What the commit's memlint runs get. */
  completion: Completion;
  /** The run that was completed already: only late duplicates are left to complete. */
  sweepOnly?: boolean;
  /** Tries so far, and when the next is due (ms since the epoch). */
  attempts: number;
  dueAt: number;
  /** Late duplicates are looked for until then (ms since the epoch). */
  sweepUntil: number;
  createdAt: string;
}

/** Where in-flight runs and owed check runs survive the process that runs them. */
export interface Journal {
  readonly kind: string;
  put(entry: InflightEntry): Promise<void>;
  remove(key: string): Promise<void>;
  /** Entries of processes that are gone, each handed to one caller only (removed from the journal). */
  claimOrphans(): Promise<InflightEntry[]>;
  /** Check runs of every process that are still being worked on. */
  liveCheckRunIds(): Promise<Set<number>>;
  /** Records (or records again, after a failed try) an owed check run. */
  owe(entry: OwedCheck): Promise<void>;
  /**
   * Owed check runs that are due, each handed to one caller only: claimed by this process until
   * it calls {@link owe} or {@link discharge} — or dies, when another process may claim it.
   */
  claimDue(now: number): Promise<OwedCheck[]>;
  /** An owed check run was delivered. */
  discharge(key: string): Promise<void>;
  /** Whether a check run is owed to this commit (claimed or not). */
  owes(key: string): Promise<boolean>;
  close(): Promise<void>;
}

export function owedKey(owner: string, repo: string, headSha: string): string {
  return `owed:${owner}/${repo}/${headSha}`.toLowerCase();
}

/** This process, as journals identify it. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export function entryKey(owner: string, repo: string, run: number | string): string {
  return `${owner}/${repo}/${run}`.toLowerCase();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One JSON file per run in a directory of this host (`MEMLINT_STATE_DIR`). An entry is orphaned
 * when its process is no longer alive; entries of other hosts are left alone (give each host
 * its own directory, or use Redis).
 */
export class FileJournal implements Journal {
  readonly kind = "directory";

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(key: string): string {
    return join(this.dir, `${key.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
  }

  private write(key: string, value: object): void {
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  }

  /** The journal's entries of one kind, parsed (unreadable files are dropped). */
  private read<T>(owed: boolean): { file: string; entry: T }[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: { file: string; entry: T }[] = [];
    for (const name of names) {
      if (!name.endsWith(".json") || name.startsWith("owed_") !== owed) continue;
      const file = join(this.dir, name);
      try {
        out.push({ file, entry: JSON.parse(readFileSync(file, "utf8")) as T });
      } catch {
        rmSync(file, { force: true });
      }
    }
    return out;
  }

  /** Claims a file by renaming it: of two processes, one wins. */
  private claim(file: string): boolean {
    const claimed = `${file}.claimed.${process.pid}`;
    try {
      renameSync(file, claimed);
    } catch {
      return false;
    }
    rmSync(claimed, { force: true });
    return true;
  }

  async put(entry: InflightEntry): Promise<void> {
    this.write(entry.key, entry);
  }

  async remove(key: string): Promise<void> {
    rmSync(this.file(key), { force: true });
  }

  async claimOrphans(): Promise<InflightEntry[]> {
    const out: InflightEntry[] = [];
    for (const { file, entry } of this.read<InflightEntry>(false)) {
      if (entry.host !== hostname()) continue;
      if (entry.instance === INSTANCE_ID || (entry.pid !== process.pid && alive(entry.pid))) continue;
      if (this.claim(file)) out.push(entry);
    }
    return out;
  }

  async liveCheckRunIds(): Promise<Set<number>> {
    return new Set(this.read<InflightEntry>(false).flatMap(({ entry }) => (entry.checkRunId !== undefined ? [entry.checkRunId] : [])));
  }

  private claimed(key: string, pid = process.pid): string {
    return `${this.file(key)}.claimed.${pid}`;
  }

  async owe(entry: OwedCheck): Promise<void> {
    this.write(entry.key, entry);
    rmSync(this.claimed(entry.key), { force: true });
  }

  /** Due entries, and those a dead process of this host had claimed; claimed by renaming. */
  async claimDue(now: number): Promise<OwedCheck[]> {
    const out: OwedCheck[] = [];
    for (const { file, entry } of this.read<OwedCheck>(true)) {
      if (entry.dueAt > now) continue;
      try {
        renameSync(file, this.claimed(entry.key));
        out.push(entry);
      } catch {
        // Another process claimed it first.
      }
    }
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return out;
    }
    for (const name of names) {
      const m = /^owed_.*\.json\.claimed\.(\d+)$/.exec(name);
      if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
      const file = join(this.dir, name);
      try {
        const entry = JSON.parse(readFileSync(file, "utf8")) as OwedCheck;
        renameSync(file, this.claimed(entry.key));
        out.push(entry);
      } catch {
        // Unreadable, or claimed by another process first.
      }
    }
    return out;
  }

  async discharge(key: string): Promise<void> {
    rmSync(this.claimed(key), { force: true });
  }

  async owes(key: string): Promise<boolean> {
    const base = `${this.file(key).slice(this.dir.length + 1)}`;
    try {
      return readdirSync(this.dir).some((name) => name === base || name.startsWith(`${base}.claimed.`));
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {}
}

/** Nothing survives the process: only a graceful stop can complete what is in flight (owed check runs wait in memory). */
export class MemoryJournal implements Journal {
  readonly kind = "memory";
  private readonly owed = new Map<string, OwedCheck>();
  async put(): Promise<void> {}
  async remove(): Promise<void> {}
  async claimOrphans(): Promise<InflightEntry[]> {
    return [];
  }
  async liveCheckRunIds(): Promise<Set<number>> {
    return new Set();
  }
  async owe(entry: OwedCheck): Promise<void> {
    this.owed.set(entry.key, entry);
  }
  async claimDue(now: number): Promise<OwedCheck[]> {
    const due = [...this.owed.values()].filter((e) => e.dueAt <= now);
    for (const e of due) this.owed.delete(e.key);
    return due;
  }
  async discharge(): Promise<void> {}
  async owes(key: string): Promise<boolean> {
    return this.owed.has(key);
  }
  async close(): Promise<void> {}
}

export interface TrackedRun {
  /** The environment is known: the conclusion an interruption would get. */
  update(change: { conclusion: CheckConclusion; environment?: string }): void;
  /** The check run is completed (or the run gave up on it); resolves once the journal knows. */
  done(): Promise<void>;
}

interface Live {
  entry: InflightEntry;
  interrupt: (entry: InflightEntry, why: string) => Promise<void>;
}

/** The runs of this process whose check run exists and is not completed yet. */
export class InflightRuns {
  private readonly live = new Map<string, Live>();
  private readonly pending = new Set<Promise<unknown>>();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    readonly journal: Journal = new MemoryJournal(),
    private readonly onError: (err: unknown, what: string) => void = () => {},
  ) {}

  get size(): number {
    return this.live.size;
  }

  /** Work (a whole run, queued or not) to wait for on a graceful stop. */
  hold(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  /** Resolves when everything held has settled, or after `ms`. Returns whether all settled. */
  async drain(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const all = Promise.all([...this.pending]).then(() => true);
    const result = await Promise.race([all, timeout]);
    clearTimeout(timer);
    return result;
  }

  private journalWrite(what: string, fn: () => Promise<void>): void {
    this.writes = this.writes.then(fn).catch((err: unknown) => this.onError(err, what));
  }

  track(
    info: Omit<InflightEntry, "key" | "startedAt" | "instance" | "host" | "pid">,
    interrupt: (entry: InflightEntry, why: string) => Promise<void>,
  ): TrackedRun {
    const entry: InflightEntry = {
      ...info,
      key: entryKey(info.owner, info.repo, info.checkRunId ?? `${info.headSha}/${randomUUID().slice(0, 8)}`),
      startedAt: new Date().toISOString(),
      instance: INSTANCE_ID,
      host: hostname(),
      pid: process.pid,
    };
    this.live.set(entry.key, { entry, interrupt });
    this.journalWrite("recording the run", () => this.journal.put({ ...entry }));
    let finished = false;
    return {
      update: (change) => {
        if (finished) return;
        entry.conclusion = change.conclusion;
        if (change.environment !== undefined) entry.environment = change.environment;
        this.journalWrite("updating the run", () => this.journal.put({ ...entry }));
      },
      done: () => {
        if (!finished) {
          finished = true;
          this.live.delete(entry.key);
          this.journalWrite("removing the run", () => this.journal.remove(entry.key));
        }
        return this.flush();
      },
    };
  }

  /**
   * Records a check run memlint owes (see {@link OwedCheck}); the recovery loop delivers it.
   * Resolves once the record (and every earlier journal write) reached the journal.
   */
  owe(entry: OwedCheck): Promise<void> {
    this.journalWrite("recording an owed check run", () => this.journal.owe(entry));
    return this.flush();
  }

  /** Check runs that runs of this or another process are working on. */
  async liveCheckRunIds(): Promise<Set<number>> {
    const ids = await this.journal.liveCheckRunIds();
    for (const { entry } of this.live.values()) if (entry.checkRunId !== undefined) ids.add(entry.checkRunId);
    return ids;
  }

  /** Journal writes so far have reached the journal. */
  async flush(): Promise<void> {
    await this.writes;
  }

  /** Completes every live run's check run as interrupted (graceful stop). */
  async interruptAll(why: string): Promise<number> {
    const runs = [...this.live.values()];
    this.live.clear();
    await Promise.all(
      runs.map(async ({ entry, interrupt }) => {
        try {
          await interrupt(entry, why);
          await this.journal.remove(entry.key);
        } catch (err) {
          // Left in the journal: the next start-up (or another instance) completes it.
          this.onError(err, `completing check run ${entry.checkRunId} as interrupted`);
        }
      }),
    );
    return runs.length;
  }
}
