/**
 * Turning a change (`memlint review`: the working tree, the index or a commit against a merge
 * base) or a set of paths (`memlint check`) into the engine's {@link FileInput}s, analyzed under
 * the configuration like the App analyzes a pull request. {@link analyzeInputs} is the one place
 * the CLI, the language server and the Action run the engine.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { MemlintConfig } from "../config/types.js";
import { DEFAULT_MAX_FILE_SIZE, type FileInput } from "../engine/analyze.js";
import { parseGitDiff } from "../engine/diff.js";
import { goVersionFromGoMod } from "../engine/gomod.js";
import { initParser } from "../engine/parser.js";
import { exclusionReason, reviewChange, type ReviewResult } from "../engine/review.js";
import type { PackageFileText, PackageListing, PackageLoader } from "../engine/source.js";
import { requireReasonLength } from "../engine/suppress.js";
import { changeDiff, listDirectorySync, readBlobs, readBlobsSync, type Revision } from "./git.js";
import { CliError } from "./io.js";

export interface Analysis {
  command: "review" | "check";
  /** Absolute path of the repository root (or of the directory `check` ran in, outside a repository). */
  root: string;
  /** `review` only: the base ref and the merge base the working tree was compared with. */
  base?: { ref: string; mergeBase: string };
  result: ReviewResult;
  /** Head contents of the analyzed files, by path, for code frames. */
  contents: Map<string, string>;
}

/**
 * A revision against a merge base: changed lines from `git diff`, base contents from git, head
 * contents from disk (the working tree), the index or the commit.
 */
export async function collectChange(root: string, mergeBase: string, revision: Revision = { kind: "worktree" }): Promise<FileInput[]> {
  const { changes, patch } = await changeDiff(root, mergeBase, revision);
  const patches = new Map(parseGitDiff(patch).map((p) => [p.path, p]));
  const live = changes.filter((c) => c.status !== "removed");
  const bases = await readBlobs(
    root,
    mergeBase,
    live.filter((c) => c.status !== "added").map((c) => c.oldPath),
  );
  const heads =
    revision.kind === "worktree"
      ? undefined
      : await readBlobs(root, revision.kind === "index" ? "" : revision.sha, live.map((c) => c.path));
  const inputs: FileInput[] = [];
  for (const change of live) {
    const head = heads ? (heads.get(change.path) ?? null) : await readHead(join(root, change.path));
    if (head === null) continue;
    const base = change.status === "added" ? null : (bases.get(change.oldPath) ?? null);
    const input: FileInput = { path: change.path, head, base };
    if (change.oldPath !== change.path) input.oldPath = change.oldPath;
    // A binary file has no hunks in the patch: the engine then diffs the contents (and notes the NUL bytes).
    const filePatch = patches.get(change.path);
    if (filePatch && filePatch.changed.hunks.length > 0) input.changed = filePatch.changed;
    inputs.push(input);
  }
  return inputs.sort((a, b) => a.path.localeCompare(b.path));
}

/** Directories Go tooling ignores, and those never worth walking. */
const SKIPPED_DIRS = new Set(["vendor", "testdata", "node_modules"]);

/**
 * Whole files named on the command line, and the Go files under directories (recursively,
 * within the configuration's `paths`, skipping vendor, testdata and hidden directories; `dir/...`
 * is accepted as in Go).
 * Explicitly named files are always passed on: the engine reports them as skipped when the
 * configuration excludes them.
 */
export function collectPaths(
  cwd: string,
  root: string,
  args: readonly string[],
  config: MemlintConfig,
): { inputs: FileInput[]; skipped: { path: string; reason: string }[]; excluded: number } {
  const files = new Map<string, string>(); // display path → absolute path
  const skipped: { path: string; reason: string }[] = [];
  let excluded = 0;
  const display = (abs: string) => {
    const rel = relative(root, abs);
    return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? abs : rel.split(sep).join("/");
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".") && !entry.name.startsWith("_")) walk(abs);
      } else if (entry.isFile() && entry.name.endsWith(".go")) {
        const path = display(abs);
        if (exclusionReason(path, config) === undefined) files.set(path, abs);
        else excluded++;
      }
    }
  };
  for (const arg of args) {
    // Go's package pattern `./...` (or `dir/...`) means the directory, recursively: what a directory means here anyway.
    const pattern = arg === "..." || arg.endsWith("/...");
    const abs = resolve(cwd, pattern ? arg.slice(0, -3) || "." : arg);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new CliError(`no such file or directory: ${arg}`);
    }
    if (pattern && !stat.isDirectory()) throw new CliError(`not a directory: ${arg}`);
    if (stat.isDirectory()) walk(abs);
    else if (!abs.endsWith(".go")) skipped.push({ path: display(abs), reason: "not a Go file" });
    else files.set(display(abs), abs);
  }
  const inputs: FileInput[] = [];
  for (const [path, abs] of [...files].sort((a, b) => a[0].localeCompare(b[0]))) {
    inputs.push({ path, head: readFileSync(abs, "utf8"), base: null });
  }
  return { inputs, skipped, excluded };
}

/**
 * Runs the engine over the inputs. Each file gets the `go` version of its nearest go.mod (up to
 * `root`), so a monorepo's modules are each gated by their own version. The other files of a
 * touched package come from `loadPackage` (the working tree unless told otherwise).
 */
export async function analyzeInputs(root: string, inputs: FileInput[], config: MemlintConfig, loadPackage: PackageLoader = diskPackageLoader(root)): Promise<ReviewResult> {
  await initParser();
  const versions = new GoVersions(root);
  const groups = new Map<string | undefined, FileInput[]>();
  for (const input of inputs) {
    const dir = dirname(isAbsolute(input.path) ? input.path : join(root, input.path));
    const version = versions.of(dir);
    const group = groups.get(version);
    if (group) group.push(input);
    else groups.set(version, [input]);
  }
  const result: ReviewResult = { files: [], introduced: [], preexisting: [], suppressed: [], notes: [], skipped: [], coverage: [] };
  for (const [version, group] of groups) {
    const part = reviewChange(group, config, version, { loadPackage });
    requireReasonLength(part, config.ignore.minReasonLength, (path) => group.find((i) => i.path === path)?.head ?? undefined);
    result.files.push(...part.files);
    result.introduced.push(...part.introduced);
    result.preexisting.push(...part.preexisting);
    result.suppressed.push(...part.suppressed);
    result.notes.push(...part.notes);
    result.skipped.push(...part.skipped);
    result.coverage!.push(...(part.coverage ?? []));
  }
  const byPosition = (a: { path: string; line: number; column: number }, b: { path: string; line: number; column: number }) =>
    a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column;
  result.files.sort((a, b) => a.path.localeCompare(b.path));
  result.introduced.sort(byPosition);
  result.preexisting.sort(byPosition);
  result.suppressed.sort((a, b) => byPosition(a.finding, b.finding));
  result.notes.sort((a, b) => a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0));
  result.skipped.sort((a, b) => a.path.localeCompare(b.path));
  result.coverage!.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return result;
}

/**
 * The package loader of the CLI: a directory's non-test Go files as they are on disk (the
 * working tree), read when a rule first asks for them and once per directory. Directories are
 * given as the inputs' paths have them: relative to `root`, or absolute. Files over the engine's
 * size limit, and unreadable ones, are left out (the listing is then incomplete).
 */
export function diskPackageLoader(root: string): PackageLoader {
  const cache = new Map<string, PackageListing | undefined>();
  return (dir) => {
    if (cache.has(dir)) return cache.get(dir);
    let listing: PackageListing | undefined;
    const abs = isAbsolute(dir) ? dir : join(root, dir);
    try {
      const files: PackageFileText[] = [];
      let complete = true;
      for (const name of readdirSync(abs).sort()) {
        if (!name.endsWith(".go") || name.endsWith("_test.go")) continue;
        try {
          const stat = statSync(join(abs, name));
          if (!stat.isFile()) continue;
          if (stat.size > DEFAULT_MAX_FILE_SIZE) {
            complete = false;
            continue;
          }
          files.push({ path: dir === "" ? name : `${dir}/${name}`, text: readFileSync(join(abs, name), "utf8") });
        } catch {
          complete = false;
        }
      }
      listing = { files, complete };
    } catch {
      listing = undefined; // not a directory we can read: only the change's own files are known
    }
    cache.set(dir, listing);
    return listing;
  };
}

/**
 * The package loader of a revision: the working tree's files from disk, the index's and a
 * commit's from git (a directory git cannot list is unknown, like one the disk loader cannot read).
 */
export function packageLoaderFor(root: string, revision: Revision): PackageLoader {
  if (revision.kind === "worktree") return diskPackageLoader(root);
  const commit = revision.kind === "index" ? "" : revision.sha;
  const cache = new Map<string, PackageListing | undefined>();
  return (dir) => {
    if (cache.has(dir)) return cache.get(dir);
    let listing: PackageListing | undefined;
    try {
      const entries = listDirectorySync(root, commit, dir).filter((e) => e.path.endsWith(".go") && !e.path.endsWith("_test.go"));
      const small = entries.filter((e) => e.size <= DEFAULT_MAX_FILE_SIZE);
      const texts = readBlobsSync(root, commit, small.map((e) => e.path));
      const files: PackageFileText[] = [];
      for (const e of small) {
        const text = texts.get(e.path);
        if (typeof text === "string" && text.length <= DEFAULT_MAX_FILE_SIZE) files.push({ path: e.path, text });
      }
      listing = { files, complete: files.length === entries.length };
    } catch {
      listing = undefined; // not a directory of this revision
    }
    cache.set(dir, listing);
    return listing;
  };
}

/** The `go` directive of the nearest go.mod above a directory, cached per directory. */
class GoVersions {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly root: string) {}

  of(dir: string): string | undefined {
    if (this.cache.has(dir)) return this.cache.get(dir);
    let version: string | undefined;
    let found = false;
    try {
      version = goVersionFromGoMod(readFileSync(join(dir, "go.mod"), "utf8"));
      found = true;
    } catch {
      // no go.mod here
    }
    if (!found) {
      // Up to the repository root; a file outside it looks up to the file system's root.
      const parent = dirname(dir);
      version = dir !== this.root && parent !== dir ? this.of(parent) : undefined;
    }
    this.cache.set(dir, version);
    return version;
  }
}

/** Head contents from disk; null when the path is gone or is not a regular file. */
async function readHead(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return null;
  }
}
