/**
 * A change for `memlint review`, the language server and the Action: what git says differs
 * between a merge base and a revision — the working tree, the index or a commit — as the engine's
 * {@link FileInput}s, and the package loader that reads the rest of each package at that revision.
 * (Only these need git; `memlint check` does not load this module.)
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileInput } from "../engine/analyze.js";
import { DEFAULT_MAX_FILE_SIZE } from "../engine/analyze.js";
import { parseGitDiff } from "../engine/diff.js";
import { byCodeUnits } from "../engine/order.js";
import { diskPackageLoader } from "./analyze.js";
import { type CountingPackageLoader, defaultSummaryStore, type ListedFile, listingWithSummaries, noReads } from "./package-summaries.js";
import { blobId, changeDiff, listDirectorySync, readBlobs, readBlobsSync, type Revision, type WorkingTreeDiff } from "./git.js";

/**
 * A revision against a merge base: changed lines from `git diff`, head contents from disk (the
 * working tree), the index or the commit, and base contents rebuilt from the head and the patch
 * when git's blob id confirms them (read from git otherwise: binary files, or contents git
 * converts). `diff` is that diff, when the caller started it already.
 */
export async function collectChange(root: string, mergeBase: string, revision: Revision = { kind: "worktree" }, diff: Promise<WorkingTreeDiff> = changeDiff(root, mergeBase, revision)): Promise<FileInput[]> {
  const { changes, patch } = await diff;
  const patches = new Map(parseGitDiff(patch).map((p) => [p.path, p]));
  const live = changes.filter((c) => c.status !== "removed");
  const heads =
    revision.kind === "worktree"
      ? new Map(await Promise.all(live.map(async (c) => [c.path, await readHead(join(root, c.path))] as const)))
      : await readBlobs(root, revision.kind === "index" ? "" : revision.sha, live.map((c) => c.path));
  const bases = new Map<string, string | null>();
  const unrecovered: string[] = [];
  for (const change of live) {
    if (change.status === "added") continue;
    const head = heads.get(change.path);
    // A file the patch does not mention (a rename without edits) has the same contents on both sides.
    const base = typeof head === "string" ? (patches.has(change.path) ? patches.get(change.path)!.baseOf(head) : head) : undefined;
    if (base !== undefined && blobId(base, change.oldObject.length) === change.oldObject) bases.set(change.oldPath, base);
    else unrecovered.push(change.oldPath);
  }
  if (unrecovered.length > 0) for (const [path, text] of await readBlobs(root, mergeBase, unrecovered)) bases.set(path, text);
  const inputs: FileInput[] = [];
  for (const change of live) {
    const head = heads.get(change.path) ?? null;
    if (head === null) continue;
    const base = change.status === "added" ? null : (bases.get(change.oldPath) ?? null);
    const input: FileInput = { path: change.path, head, base };
    if (change.oldPath !== change.path) input.oldPath = change.oldPath;
    // A binary file has no hunks in the patch: the engine then diffs the contents (and notes the NUL bytes).
    const filePatch = patches.get(change.path);
    if (filePatch && filePatch.changed.hunks.length > 0) input.changed = filePatch.changed;
    inputs.push(input);
  }
  return inputs.sort((a, b) => byCodeUnits(a.path, b.path));
}

/**
 * The package loader of a revision: the working tree's files from disk, the index's and a
 * commit's from git (a directory git cannot list is unknown, like one the disk loader cannot read).
 * The files in `supplied` (the change's own, whose contents the engine has) are not read again.
 * Files are known by their blob ids: one whose summary is saved is read only when the index asks.
 */
export function packageLoaderFor(root: string, revision: Revision, supplied: ReadonlySet<string> = new Set(), store = defaultSummaryStore()): CountingPackageLoader {
  if (revision.kind === "worktree") return diskPackageLoader(root, supplied, store);
  const commit = revision.kind === "index" ? "" : revision.sha;
  const reads = noReads();
  const readText = (texts: ReadonlyMap<string, string | null>, path: string) => {
    const text = texts.get(path);
    return typeof text === "string" && text.length <= DEFAULT_MAX_FILE_SIZE ? text : undefined;
  };
  const load = (dir: string) => {
    let entries;
    try {
      entries = listDirectorySync(root, commit, dir).filter((e) => e.path.endsWith(".go") && !e.path.endsWith("_test.go") && !supplied.has(e.path));
    } catch {
      return undefined; // not a directory of this revision
    }
    const listed: ListedFile[] = entries
      .filter((e) => e.size <= DEFAULT_MAX_FILE_SIZE)
      .map((e) => ({ path: e.path, version: e.object || undefined, read: () => readText(readBlobsSync(root, commit, [e.path]), e.path) }));
    const readNow = (files: readonly ListedFile[]) => {
      const texts = readBlobsSync(root, commit, files.map((f) => f.path));
      return new Map(files.map((f) => [f.path, readText(texts, f.path)]));
    };
    const { unreadable, ...listing } = listingWithSummaries(root, dir, listed, store, reads, readNow);
    return { ...listing, complete: listed.length === entries.length && unreadable === 0 };
  };
  return Object.assign(load, { reads });
}

/** Head contents from disk; null when the path is gone or is not a regular file. */
async function readHead(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return null;
  }
}
