/**
 * `memlint check` with its results cached per file (result-cache.ts stores them). A file's
 * findings depend on more than its text, and a key holds everything they depend on: the file's
 * path and text, the texts of every other non-test Go file in its directory (the package the
 * rules look across), the Go version its module declares, the configuration, `--all-versions`,
 * and which memlint this is. Only the files that miss are analyzed, together as usual. (The engine
 * reads nothing else today; a rule that comes to read beyond its package must add what it reads
 * to the key, or the cache would answer with stale findings.)
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import type { MemlintConfig } from "../config/types.js";
import type { FileAnalysis, FileInput } from "../engine/analyze.js";
import { type ChangedLines, FirstLines } from "../engine/diff.js";
import type { ReviewOptions, ReviewResult } from "../review/review.js";
import { addResult, emptyResult, GoVersions, sortResult } from "./collect.js";
import type { ResultCache } from "./result-cache.js";

/** Bumped when what an entry holds changes shape. */
const ENTRY_FORMAT = 1;

/** One file's share of a {@link ReviewResult}, as stored (sets of lines as ranges). */
interface FileEntry extends Omit<ReviewResult, "files"> {
  files: (Omit<FileAnalysis, "changed"> & { changed: StoredLines })[];
}

interface StoredLines {
  added: number[];
  deleted: number[];
  hunks: ChangedLines["hunks"];
}

/**
 * Analyzes the inputs like `analyzeInputs` (the files of `root`, as read from disk), answering
 * each file from the cache where it can and storing the results of the others (`onMisses` is
 * called first); says how many files the cache answered.
 */
export async function analyzeCached(
  root: string,
  inputs: FileInput[],
  config: MemlintConfig,
  options: Pick<ReviewOptions, "allVersions">,
  cache: ResultCache,
  onMisses: () => void = () => {},
): Promise<{ result: ReviewResult; answered: number }> {
  const versions = new GoVersions(root);
  const configDigest = digest(JSON.stringify(config));
  const absolute = (path: string) => (isAbsolute(path) ? path : join(root, path));
  // By absolute path: the package digests look the files of a directory up by name.
  const fileDigests = new Map(inputs.map((i) => [absolute(i.path), digest(i.head ?? "")]));
  const packageDigests = new Map<string, string>();
  const keyOf = (input: FileInput): string => {
    const abs = absolute(input.path);
    const dir = dirname(abs);
    let pkg = packageDigests.get(dir);
    if (pkg === undefined) {
      pkg = packageDigest(dir, (name) => fileDigests.get(join(dir, name)));
      packageDigests.set(dir, pkg);
    }
    // Without contracts.scan_package the engine knows a package only by the files given with it.
    const given = config.contracts.scanPackage ? [] : inputs.filter((i) => dirname(i.path) === dirname(input.path)).map((i) => i.path);
    return cache.key([ENTRY_FORMAT, "check", configDigest, options.allVersions ?? false, versions.of(dir) ?? null, input.path, fileDigests.get(abs), pkg, given]);
  };

  const result = emptyResult();
  const misses: { input: FileInput; key: string }[] = [];
  for (const input of inputs) {
    const key = keyOf(input);
    const entry = cache.get(key);
    if (isFileEntry(entry)) addResult(result, decode(entry));
    else misses.push({ input, key });
  }
  if (misses.length > 0) {
    onMisses();
    // The engine is loaded only now: a run the cache answers whole needs no rules or parser.
    const { analyzeInputs } = await import("./analyze.js");
    const fresh = await analyzeInputs(root, misses.map((m) => m.input), config, undefined, options);
    addResult(result, fresh);
    const shares = splitByFile(fresh, misses.map((m) => m.input.path));
    if (shares) for (const { input, key } of misses) cache.put(key, encode(shares.get(input.path)!));
  }
  return { result: sortResult(result), answered: inputs.length - misses.length };
}

/**
 * The non-test Go files of a directory, by name and text: `known` gives the digest of a file the
 * run already read. Every `.go` file that is not a test counts, so this errs on the side of a
 * miss (the engine may leave some out: another package's files, oversized ones).
 */
function packageDigest(dir: string, known: (name: string) => string | undefined): string {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".go") && !n.endsWith("_test.go")).sort();
  } catch {
    return "unreadable";
  }
  const parts = names.map((name) => {
    let d = known(name);
    if (d === undefined) {
      try {
        d = digest(readFileSync(join(dir, name)));
      } catch {
        d = "unreadable";
      }
    }
    return `${name} ${d}`;
  });
  return digest(parts.join("\n"));
}

function digest(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The result of analyzing `paths`, as one share per file; undefined when something in it belongs
 * to none of them (then nothing is stored rather than something misattributed).
 */
function splitByFile(result: ReviewResult, paths: readonly string[]): Map<string, ReviewResult> | undefined {
  const shares = new Map<string, ReviewResult>(paths.map((p) => [p, emptyResult()]));
  let orphans = 0;
  const put = <K extends keyof ReviewResult>(field: K, path: string, item: NonNullable<ReviewResult[K]>[number]) => {
    const share = shares.get(path);
    if (share) (share[field] as unknown[]).push(item);
    else orphans++;
  };
  for (const f of result.files) put("files", f.path, f);
  for (const f of result.introduced) put("introduced", f.path, f);
  for (const f of result.preexisting) put("preexisting", f.path, f);
  for (const s of result.suppressed) put("suppressed", s.finding.path, s);
  for (const n of result.notes) put("notes", n.path, n);
  for (const s of result.skipped) put("skipped", s.path, s);
  for (const c of result.coverage ?? []) put("coverage", c.path, c);
  return orphans === 0 ? shares : undefined;
}

function encode(share: ReviewResult): FileEntry {
  return { ...share, files: share.files.map((f) => ({ ...f, changed: { added: toRanges(f.changed.added), deleted: toRanges(f.changed.deleted), hunks: f.changed.hunks } })) };
}

function decode(entry: FileEntry): ReviewResult {
  return { ...entry, files: entry.files.map((f) => ({ ...f, changed: { added: fromRanges(f.changed.added), deleted: fromRanges(f.changed.deleted), hunks: f.changed.hunks } })) };
}

/** Whether a stored value has the shape of a {@link FileEntry} (a corrupt or foreign one is a miss). */
function isFileEntry(value: unknown): value is FileEntry {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  const lists = ["files", "introduced", "preexisting", "suppressed", "notes", "skipped", "coverage"];
  if (!lists.every((k) => Array.isArray(v[k]))) return false;
  return (v.files as unknown[]).every((f) => {
    const changed = (f as { changed?: Record<string, unknown> } | null)?.changed;
    return !!changed && Array.isArray(changed.added) && Array.isArray(changed.deleted) && Array.isArray(changed.hunks);
  });
}

/** Sorted line numbers as `[first, last]` pairs, flattened: a whole file's lines are two numbers. */
function toRanges(lines: ReadonlySet<number>): number[] {
  if (lines instanceof FirstLines) return lines.size > 0 ? [1, lines.size] : [];
  const sorted = [...lines].sort((a, b) => a - b);
  const out: number[] = [];
  for (const n of sorted) {
    if (out.length > 0 && out[out.length - 1] === n - 1) out[out.length - 1] = n;
    else out.push(n, n);
  }
  return out;
}

function fromRanges(ranges: readonly number[]): ReadonlySet<number> {
  if (ranges.length === 2 && ranges[0] === 1) return new FirstLines(ranges[1]!);
  const lines = new Set<number>();
  for (let i = 0; i + 1 < ranges.length; i += 2) for (let n = ranges[i]!; n <= ranges[i + 1]!; n++) lines.add(n);
  return lines;
}
