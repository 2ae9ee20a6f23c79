/**
 * The on-disk store of `memlint check`'s per-file results, in memlint's cache directory (see
 * cache-directory.ts). What goes into a key is cached-check.ts's business; this module stores
 * JSON under keys.
 *
 * Concurrent runs are safe: an entry is written to a temporary file and renamed into place, so a
 * reader sees a whole entry or none. An entry that does not parse, or holds another key, is a
 * miss. The store is kept bounded like Go's build cache: a use refreshes an entry's time, and at
 * most once a day entries unused for {@link MAX_UNUSED_MS} are deleted, then the oldest until the
 * rest fits in {@link MAX_BYTES}.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { byCodeUnits } from "../engine/order.js";
import { BUILD_ID_FILE } from "./cache-directory.js";
import { toolVersion } from "./report.js";

const MAX_UNUSED_MS = 7 * 24 * 3600 * 1000;
const MAX_BYTES = 256 * 1024 * 1024;
const TRIM_EVERY_MS = 24 * 3600 * 1000;
/** A hit refreshes an entry's time only when it is older than this (a write per hit would cost more than the hit). */
const REFRESH_AFTER_MS = 3600 * 1000;
/** Entries live in `<dir>/<first two hex digits of the key>/<key>`, as in Go's cache. */
const ENTRIES = "results";
const TRIM_STAMP = "trim.txt";

export class ResultCache {
  private readonly entries: string;
  /** Entry directories this run made or found: a whole-repository run stores thousands of entries in 256 of them. */
  private readonly madeDirs = new Set<string>();

  /** `identity` says which memlint made the entries: entries of another are never read. */
  constructor(
    readonly dir: string,
    readonly identity: string = toolIdentity(),
  ) {
    this.entries = join(dir, ENTRIES);
  }

  /** A key from parts that together decide a result (the identity is always one of them). */
  key(parts: readonly unknown[]): string {
    return createHash("sha256").update(JSON.stringify([this.identity, ...parts])).digest("hex");
  }

  get(key: string): unknown {
    const file = this.fileOf(key);
    let entry: { key?: unknown; value?: unknown };
    try {
      entry = JSON.parse(readFileSync(file, "utf8")) as typeof entry;
    } catch {
      return undefined; // absent, unreadable or corrupt: a miss
    }
    if (entry === null || typeof entry !== "object" || entry.key !== key || entry.value === undefined) return undefined;
    try {
      const now = Date.now();
      if (now - statSync(file).mtimeMs > REFRESH_AFTER_MS) utimesSync(file, now / 1000, now / 1000);
    } catch {
      // trimmed meanwhile: the value read is still good
    }
    return entry.value;
  }

  /** Stores a value; a cache that cannot be written is no reason to fail the run. */
  put(key: string, value: unknown): void {
    const file = this.fileOf(key);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      const dir = dirname(file);
      if (!this.madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      writeFileSync(temp, JSON.stringify({ key, value }));
      renameSync(temp, file);
    } catch {
      rmSync(temp, { force: true });
    }
  }

  /** Deletes old entries, at most once a day (see the module comment). */
  trim(now = Date.now()): void {
    const stamp = join(this.dir, TRIM_STAMP);
    try {
      if (now - Number(readFileSync(stamp, "utf8")) < TRIM_EVERY_MS) return;
    } catch {
      // never trimmed
    }
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(stamp, String(now));
    } catch {
      return;
    }
    const kept: { file: string; size: number; used: number }[] = [];
    for (const sub of safeReaddir(this.entries)) {
      for (const name of safeReaddir(join(this.entries, sub))) {
        const file = join(this.entries, sub, name);
        try {
          const stat = statSync(file);
          // Temporary files of a run that died are old too.
          if (now - stat.mtimeMs > MAX_UNUSED_MS) rmSync(file, { force: true });
          else kept.push({ file, size: stat.size, used: stat.mtimeMs });
        } catch {
          // gone meanwhile
        }
      }
    }
    let total = kept.reduce((n, e) => n + e.size, 0);
    for (const e of kept.sort((a, b) => a.used - b.used)) {
      if (total <= MAX_BYTES) break;
      rmSync(e.file, { force: true });
      total -= e.size;
    }
  }

  private fileOf(key: string): string {
    return join(this.entries, key.slice(0, 2), key);
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Which memlint this is, as precisely as results depend on it: the version and the build (the
 * hash of the bundle's files, written next to them by scripts/bundle.ts). Run from the sources,
 * the build is told by the sources' sizes and times, so an edited rule is never answered from an
 * entry of the code before. An empty string when unknown (a bundle without its build id): the
 * caller then does not cache.
 */
export function toolIdentity(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) return `${toolVersion()} source ${sourceStamp(join(dirname(here), "..", ".."))}`;
  try {
    return `${toolVersion()} ${readFileSync(join(dirname(here), BUILD_ID_FILE), "utf8").trim()}`;
  } catch {
    return "";
  }
}


function sourceStamp(root: string): string {
  const hash = createHash("sha256");
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodeUnits(a.name, b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) {
        const stat = statSync(path);
        hash.update(`${path} ${stat.size} ${stat.mtimeMs}\n`);
      }
    }
  };
  visit(join(root, "src"));
  for (const file of ["package-lock.json", "package.json"]) {
    try {
      const stat = statSync(join(root, file));
      hash.update(`${file} ${stat.size} ${stat.mtimeMs}\n`);
    } catch {
      // not in a checkout
    }
  }
  return hash.digest("hex").slice(0, 16);
}
