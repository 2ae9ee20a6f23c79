/**
 * The other files of the packages a pull request touches, read at the head commit for the
 * engine's package index (contracts of functions declared elsewhere, removals from a
 * package-level map in another file): one `Tree` per touched directory, in the contents query the
 * run sends anyway, so reading them costs no request.
 *
 * Limits, because GitHub returns every file of a directory with its text and cannot be asked for
 * less: at most {@link MAX_PACKAGE_DIRS} directories per run (those with the most changed files
 * first), {@link MAX_PACKAGE_FILES} Go files and {@link MAX_PACKAGE_BYTES} of them per
 * directory, no file over {@link MAX_PACKAGE_FILE_BYTES}, and {@link MAX_RUN_PACKAGE_BYTES} for
 * all the directories of a run. What a limit leaves out is listed in the check run's summary;
 * the engine then knows that package only in part.
 *
 * Listings are kept in an in-process LRU keyed by repository, commit and directory (a commit's
 * trees never change), so a re-run, a comment command or a waiver reads no directory twice.
 */
import { inlineCode } from "../comments/escape.js";
import { byCodeUnits } from "../engine/order.js";
import type { PackageFileText, PackageListing } from "../engine/source.js";
import type { TreeResult } from "./contents.js";

/** Directories read per run. */
export const MAX_PACKAGE_DIRS = 10;
/** Non-test Go files kept per directory (in name order). */
export const MAX_PACKAGE_FILES = 200;
/** A larger Go file (generated code, as a rule) is not kept. */
export const MAX_PACKAGE_FILE_BYTES = 1024 * 1024;
/** Bytes of Go files kept per directory. */
export const MAX_PACKAGE_BYTES = 4 * 1024 * 1024;
/** Bytes of Go files of all the directories of one run. */
export const MAX_RUN_PACKAGE_BYTES = 12 * 1024 * 1024;

/** One directory as the engine gets it, with what the limits left out. */
export interface PackageDir extends PackageListing {
  files: PackageFileText[];
  complete: boolean;
  /** Bytes of `files`. */
  bytes: number;
  /** Why the listing is incomplete: one markdown phrase each ("`gen.pb.go` is over 1 MB"). */
  leftOut: string[];
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

const isPackageFile = (name: string) => name.endsWith(".go") && !name.endsWith("_test.go");

/** The non-test Go files of a directory's tree, within the per-directory limits. */
export function packageDirFromTree(dir: string, tree: TreeResult): PackageDir | undefined {
  if (tree.kind !== "tree") return undefined;
  const dirFiles: PackageFileText[] = [];
  const leftOut: string[] = [];
  let bytes = 0;
  const entries = tree.entries.filter((e) => e.type === "blob" && isPackageFile(e.name)).sort((a, b) => byCodeUnits(a.name, b.name));
  let overCount = 0;
  let overBytes = 0;
  for (const entry of entries) {
    const blob = entry.blob;
    const name = inlineCode(entry.name);
    if (blob?.kind !== "text") {
      leftOut.push(blob?.kind === "truncated" ? `${name} is too large for GitHub to return (${size(blob.byteSize)})` : `${name} is not readable text`);
    } else if (blob.byteSize > MAX_PACKAGE_FILE_BYTES) {
      leftOut.push(`${name} is over ${size(MAX_PACKAGE_FILE_BYTES)} (${size(blob.byteSize)})`);
    } else if (dirFiles.length >= MAX_PACKAGE_FILES) {
      overCount++;
    } else if (bytes + blob.byteSize > MAX_PACKAGE_BYTES) {
      overBytes++;
    } else {
      dirFiles.push({ path: dir === "" ? entry.name : `${dir}/${entry.name}`, text: blob.text });
      bytes += blob.byteSize;
    }
  }
  if (overCount > 0) leftOut.push(`${overCount} more Go ${overCount === 1 ? "file" : "files"} beyond the first ${MAX_PACKAGE_FILES}`);
  if (overBytes > 0) leftOut.push(`${overBytes} more Go ${overBytes === 1 ? "file" : "files"} beyond ${size(MAX_PACKAGE_BYTES)} for one package`);
  return { files: dirFiles, complete: leftOut.length === 0, bytes, leftOut };
}

/** A least-recently-used map of directory listings, bounded in entries and in bytes of text. */
export class PackageCache {
  private readonly entries = new Map<string, PackageDir>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 500,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  static key(owner: string, repo: string, sha: string, dir: string): string {
    return `${owner.toLowerCase()}/${repo.toLowerCase()}@${sha}:${dir}`;
  }

  get(key: string): PackageDir | undefined {
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  set(key: string, dir: PackageDir): void {
    this.delete(key);
    if (dir.bytes > this.maxBytes) return;
    this.entries.set(key, dir);
    this.bytes += dir.bytes;
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.bytes;
  }
}

/** The process's cache of directory listings (every App instance of the process shares it). */
export const packageCache = new PackageCache();

/** A path as markdown code (`.` for the root). */
export const dirCode = (dir: string) => inlineCode(dir === "" ? "." : dir);
