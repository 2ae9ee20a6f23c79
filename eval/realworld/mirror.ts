/**
 * Rebuilding a case as a pull request from a local git mirror (a git directory without a work
 * tree): the two commits, each path's base and head contents and changed lines, the rest of each
 * touched package at the head commit (read as the App reads it), and the Go version of the module.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readBlobs, git, GitError } from "../../src/cli/git.js";
import type { FileInput } from "../../src/engine/analyze.js";
import { parseGitDiff } from "../../src/engine/diff.js";
import { goVersionFromGoMod } from "../../src/engine/gomod.js";
import { dirOf, type PackageLoader } from "../../src/engine/source.js";
import type { TreeEntry } from "../../src/github/contents.js";
import { type PackageDir, packageDirFromTree } from "../../src/github/package-files.js";
import type { Case } from "./manifest.js";

/** The directory of a repository's mirror: `<mirrors>/<owner>+<name>/repo`. */
export function mirrorDir(mirrors: string, repo: string): string {
  return join(mirrors, repo.replace("/", "+"), "repo");
}

export function hasMirror(mirrors: string, repo: string): boolean {
  return existsSync(join(mirrorDir(mirrors, repo), "HEAD"));
}

/** A problem of a case that only the code shows (a commit or path that is not there). */
export class CaseError extends Error {}

/** A case as a pull request: its files, Go version and package context. */
export interface Change {
  base: string;
  head: string;
  files: FileInput[];
  /** The `go` directive of the nearest go.mod above each path, at the head commit. */
  goVersions: Map<string, string | undefined>;
  loadPackage: PackageLoader;
}

async function resolveCommit(gitDir: string, rev: string): Promise<string | undefined> {
  try {
    return (await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], { cwd: gitDir })).trim() || undefined;
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/** Base and head of a case: a reverse-fix puts the bug back (fix → its parent), a clean case replays its commit. */
export async function caseCommits(gitDir: string, c: Case): Promise<{ base: string; head: string }> {
  const commit = await resolveCommit(gitDir, c.commit);
  if (!commit) throw new CaseError(`commit ${c.commit} is not in the mirror`);
  const parent = await resolveCommit(gitDir, `${c.commit}^`);
  if (!parent) throw new CaseError(`commit ${c.commit} has no parent`);
  return c.kind === "reverse-fix" ? { base: commit, head: parent } : { base: parent, head: commit };
}

/** Renamed paths between two commits: head path → base path. */
async function renames(gitDir: string, base: string, head: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const fields = (await git(["diff", "-M", "--name-status", "-z", base, head], { cwd: gitDir })).split("\0");
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? "";
    if (code.startsWith("R")) {
      const from = fields[i++]!;
      const to = fields[i++]!;
      out.set(to, from);
    } else if (code !== "") {
      i++;
    }
  }
  return out;
}

/** Every line of a text, counting a last line without a newline. */
export function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** The case's paths as the engine's inputs, with the package context of the head commit. */
export async function buildChange(gitDir: string, c: Case): Promise<Change> {
  const { base, head } = await caseCommits(gitDir, c);
  const renamed = await renames(gitDir, base, head);
  const oldPaths = c.paths.map((p) => renamed.get(p) ?? p);
  const patch = await git(["diff", "-M", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", base, head, "--", ...new Set([...c.paths, ...oldPaths])], {
    cwd: gitDir,
  });
  const patches = new Map(parseGitDiff(patch).map((p) => [p.path, p]));
  const heads = await readBlobs(gitDir, head, c.paths);
  const bases = await readBlobs(gitDir, base, oldPaths);
  const files: FileInput[] = [];
  c.paths.forEach((path, i) => {
    const headText = heads.get(path);
    if (headText == null) throw new CaseError(`path ${path} does not exist at the head commit ${head.slice(0, 12)}`);
    const filePatch = patches.get(path);
    if (!filePatch) throw new CaseError(`path ${path} is not changed between ${base.slice(0, 12)} and ${head.slice(0, 12)}`);
    const oldPath = oldPaths[i]!;
    const input: FileInput = { path, head: headText, base: bases.get(oldPath) ?? null, changed: filePatch.changed };
    if (oldPath !== path) input.oldPath = oldPath;
    files.push(input);
  });
  for (const e of c.expected) {
    const count = lineCount(heads.get(e.path)!);
    const last = e.lines?.[1] ?? e.line!;
    if (last > count) throw new CaseError(`expected line ${last} is past the end of ${e.path} at the head commit (${count} lines)`);
  }
  const packages = new Map<string, PackageDir | undefined>();
  for (const dir of new Set(c.paths.map(dirOf))) packages.set(dir, await readPackageDir(gitDir, head, dir));
  return { base, head, files, goVersions: await goVersions(gitDir, head, c.paths), loadPackage: (dir) => packages.get(dir) };
}

/**
 * A directory's non-test Go files at a commit, under the App's per-directory limits
 * ({@link packageDirFromTree}), from `git ls-tree` and one `git cat-file --batch`.
 */
export async function readPackageDir(gitDir: string, commit: string, dir: string): Promise<PackageDir | undefined> {
  let listing: string;
  try {
    listing = await git(["ls-tree", "-z", `${commit}:${dir}`], { cwd: gitDir });
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
  const entries: { name: string; type: string }[] = [];
  for (const line of listing.split("\0")) {
    const m = /^\d+ (\w+) [0-9a-f]+\t(.*)$/s.exec(line);
    if (m) entries.push({ type: m[1]!, name: m[2]! });
  }
  const goFiles = entries.filter((e) => e.type === "blob" && e.name.endsWith(".go") && !e.name.endsWith("_test.go"));
  const texts = await readBlobs(
    gitDir,
    commit,
    goFiles.map((e) => (dir === "" ? e.name : `${dir}/${e.name}`)),
  );
  const treeEntries: TreeEntry[] = entries.map((e) => {
    if (!goFiles.includes(e)) return { name: e.name, type: e.type };
    const text = texts.get(dir === "" ? e.name : `${dir}/${e.name}`);
    const byteSize = text == null ? 0 : Buffer.byteLength(text, "utf8");
    return { name: e.name, type: e.type, blob: text == null ? { kind: "missing" } : text.includes("\u0000") ? { kind: "binary", byteSize } : { kind: "text", text, byteSize } };
  });
  return packageDirFromTree(dir, { kind: "tree", entries: treeEntries });
}

/** The `go` directive of the nearest go.mod above each path at a commit (undefined when there is none). */
async function goVersions(gitDir: string, commit: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
  const candidates = (path: string) => {
    const out: string[] = [];
    for (let dir = dirOf(path); ; dir = dirOf(dir)) {
      out.push(dir === "" ? "go.mod" : `${dir}/go.mod`);
      if (dir === "") return out;
    }
  };
  const mods = await readBlobs(gitDir, commit, paths.flatMap(candidates));
  const out = new Map<string, string | undefined>();
  for (const path of paths) {
    const nearest = candidates(path).find((m) => mods.get(m) != null);
    out.set(path, nearest ? goVersionFromGoMod(mods.get(nearest)!) : undefined);
  }
  return out;
}
