/**
 * What a pull request changes, ready for the engine: the Go files in scope with their head and
 * base contents and changed lines, the hunks comments may go on, the files skipped (and why),
 * and the reasons a run is partial.
 *
 * Requests: the file list (100 per page) and one GraphQL query per 100 file versions, which also
 * reads the root go.mod at the head commit and, with `contracts.scan_package`, the directory of
 * each touched package (its other files, for the engine's package index; see package-files.ts).
 *
 * Base versions: GitHub's `patch` is the diff against the merge base, while `base.sha` is the
 * base branch's tip, which may have moved on since the branch was cut. So when a patch exists,
 * the base version is the head version with the patch reversed — exactly the merge base's file,
 * consistent with the patch and not a byte more to download. Only files without a patch (binary
 * or very large diffs), and the rare patch that does not reverse cleanly, are read at `base.sha`.
 */
import { byCodeUnits } from "../engine/order.js";
import { applyPatch, parsePatch } from "diff";
import type { ProbotOctokit } from "probot";
import type { MemlintConfig } from "../config/types.js";
import { DEFAULT_MAX_FILE_SIZE, type FileInput } from "../engine/analyze.js";
import { type ChangedLines, changedLinesBetween, changedLinesFromPatch, baseFromPatch } from "../engine/diff.js";
import { goVersionFromGoMod } from "../engine/gomod.js";
import { escapeText } from "../comments/escape.js";
import { exclusionReason } from "../review/review.js";
import { dirOf } from "../engine/source.js";
import { type BlobRequest, type BlobResult, type ContentsResult, fetchBlobs, fetchContents, type TreeRequest } from "./contents.js";
import { step } from "./errors.js";
import { listPullFiles, MAX_LISTED_FILES, type PullFile } from "./files.js";
import { dirCode, MAX_PACKAGE_DIRS, MAX_RUN_PACKAGE_BYTES, PackageCache, packageCache, type PackageDir, packageDirFromTree } from "./package-files.js";

export interface ChangeSetTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  baseSha: string;
  /** `changed_files` of the pull request, to tell when GitHub's list was capped. */
  changedFiles?: number;
}

export interface ChangeSet {
  /** Go files in scope, for `reviewChange`. */
  files: FileInput[];
  /** The hunks of GitHub's diff per head path: where inline comments may go. */
  changedByPath: Map<string, ChangedLines>;
  skipped: { path: string; reason: string }[];
  /** Why the run did not see everything. */
  partial: string[];
  goVersion?: string;
  /** Files GitHub listed. */
  listed: number;
  /** Status of every listed file by (head) path. */
  statusByPath: Map<string, PullFile["status"]>;
  /** GitHub's list stopped at its cap: files beyond it are unknown. */
  capped: boolean;
  /** Go files of the change (before configuration exclusions). */
  goFiles: number;
  /**
   * The other files of each touched package at the head commit, by directory (with
   * `contracts.scan_package`); a directory that is not here was not read.
   */
  packages: Map<string, PackageDir>;
  /** What of the touched packages was not read: markdown lines for the check run's note. */
  packageNotes: string[];
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Why a fetched version cannot be analyzed, or undefined when it can. */
function unusable(blob: BlobResult | undefined, sha: string): string | undefined {
  if (!blob || blob.kind === "missing") return `not found at ${sha.slice(0, 7)}`;
  if (blob.kind === "binary") return "binary file";
  if (blob.kind === "truncated") return `too large for GitHub to return its contents (${size(blob.byteSize)})`;
  if (blob.byteSize > DEFAULT_MAX_FILE_SIZE) return `over the ${size(DEFAULT_MAX_FILE_SIZE)} limit for one file (${size(blob.byteSize)})`;
  return undefined;
}

/** The base version from the head version and the patch (merge base → head), or undefined. */
export function reverseApply(head: string, patch: string): string | undefined {
  try {
    const parsed = parsePatch(patch.endsWith("\n") ? patch : `${patch}\n`);
    if (parsed.length !== 1) return undefined;
    const base = baseFromPatch(head, parsed[0]!);
    // Only a base the patch turns back into the head is trusted (edge cases such as emptied files
    // do not round-trip); anything else is read from GitHub instead.
    return base !== undefined && applyPatch(base, parsed[0]!) === head ? base : undefined;
  } catch {
    return undefined;
  }
}

interface Candidate {
  file: PullFile;
  head?: string;
  base?: string | null;
  /** Changed lines for the analysis. */
  changed?: ChangedLines;
  /** Hunks for placement (GitHub's diff); empty when GitHub sent no patch. */
  hunks?: ChangedLines;
  needsBase: boolean;
}

export interface ChangeSetOptions {
  /** `go.mod` at the head commit when the caller already read it (null: there is none). */
  goMod?: string | null;
  /** Directory listings of earlier runs (default: the process's cache). */
  packageCache?: PackageCache;
}

export async function collectChangeSet(octokit: ProbotOctokit, target: ChangeSetTarget, config: MemlintConfig, options: ChangeSetOptions = {}): Promise<ChangeSet> {
  const repo = { owner: target.owner, repo: target.repo };
  const listed = await step("listing the pull request's files", () => listPullFiles(octokit, target));
  const set: ChangeSet = {
    files: [],
    changedByPath: new Map(),
    skipped: [],
    partial: [],
    listed: listed.length,
    statusByPath: new Map(listed.map((f) => [f.filename, f.status])),
    capped: false,
    goFiles: 0,
    packages: new Map(),
    packageNotes: [],
  };

  const total = target.changedFiles ?? listed.length;
  if (total > listed.length || listed.length >= MAX_LISTED_FILES) {
    set.capped = true;
    set.partial.push(
      `GitHub lists at most ${MAX_LISTED_FILES.toLocaleString("en-US")} files of a pull request: ` +
        `${total.toLocaleString("en-US")} files changed, the ${(total - listed.length).toLocaleString("en-US")} beyond the first ${listed.length.toLocaleString("en-US")} were not analyzed.`,
    );
  }

  const candidates: Candidate[] = [];
  for (const file of listed) {
    if (!file.filename.endsWith(".go") || file.status === "removed") continue;
    set.goFiles++;
    const reason = exclusionReason(file.filename, config);
    if (reason) {
      set.skipped.push({ path: file.filename, reason });
      continue;
    }
    // A pure rename or mode change: no line changed, nothing to analyze.
    if (file.patch === undefined && file.changes === 0) continue;
    candidates.push({ file, needsBase: file.patch === undefined && file.status !== "added" });
  }

  const requests: BlobRequest[] = [];
  candidates.forEach((c, i) => {
    requests.push({ key: `h${i}`, sha: target.headSha, path: c.file.filename });
    if (c.needsBase) requests.push({ key: `b${i}`, sha: target.baseSha, path: c.file.previous_filename ?? c.file.filename });
  });
  if (candidates.length === 0) return set;
  if (options.goMod === undefined) requests.push({ key: "go.mod", sha: target.headSha, path: "go.mod" });
  // The touched packages' directories go into the same query (none that an earlier run read).
  const cache = options.packageCache ?? packageCache;
  const dirs = config.contracts.scanPackage ? touchedDirs(candidates) : [];
  const trees: TreeRequest[] = [];
  for (const dir of dirs.slice(0, MAX_PACKAGE_DIRS)) {
    if (!cache.get(PackageCache.key(target.owner, target.repo, target.headSha, dir))) trees.push({ key: `t${trees.length}`, sha: target.headSha, dir });
  }
  const contents = await step("reading file contents", () => fetchContents(octokit, repo, requests, trees));
  const blobs = contents.blobs;
  readPackages(set, target, dirs, trees, contents, cache);

  const gomod = options.goMod === undefined ? blobs.get("go.mod") : options.goMod === null ? undefined : { kind: "text" as const, text: options.goMod };
  if (gomod?.kind === "text") {
    const version = goVersionFromGoMod(gomod.text);
    if (version) set.goVersion = version;
  }

  const retry: Candidate[] = [];
  candidates.forEach((c, i) => {
    const path = c.file.filename;
    const headBlob = blobs.get(`h${i}`);
    const headProblem = unusable(headBlob, target.headSha);
    if (headProblem || headBlob?.kind !== "text") {
      skip(set, path, headProblem ?? "unreadable");
      return;
    }
    c.head = headBlob.text;
    if (c.file.patch !== undefined) {
      try {
        c.hunks = changedLinesFromPatch(c.file.patch);
        c.changed = c.hunks;
      } catch {
        // A patch the parser rejects: diff the contents instead, and comment on nothing.
        c.needsBase = c.file.status !== "added";
      }
      if (c.file.status === "added") c.base = null;
      else if (!c.needsBase) {
        const base = reverseApply(c.head, c.file.patch);
        if (base === undefined) {
          c.needsBase = true;
          // A patch whose lines are not the file's: diff the contents instead, comment on nothing.
          if (c.hunks && !patchMatches(c.head, c.file.patch)) {
            c.hunks = { added: new Set(), deleted: new Set(), hunks: [] };
            c.changed = undefined;
            set.partial.push(
              `${c.file.filename}: the diff GitHub sent does not match the file's contents at ${target.headSha.slice(0, 7)}; ` +
                "its changed lines were computed from the contents instead, and its findings are annotations, not inline comments.",
            );
          }
        } else c.base = base;
      }
      if (c.needsBase) retry.push(c);
      return;
    }
    // No patch: GitHub sent no diff (large diff or binary); diff the contents here.
    if (c.file.status === "added") c.base = null;
    else {
      const baseBlob = blobs.get(`b${i}`);
      if (baseBlob?.kind === "missing") c.base = null;
      else {
        const baseProblem = unusable(baseBlob, target.baseSha);
        if (baseProblem || baseBlob?.kind !== "text") {
          skip(set, path, `GitHub sent no diff and the base version is unusable (${baseProblem ?? "unreadable"})`);
          return;
        }
        c.base = baseBlob.text;
      }
    }
  });

  if (retry.length > 0) {
    const more = await step("reading base versions", () =>
      fetchBlobs(
        octokit,
        repo,
        retry.map((c, i) => ({ key: `r${i}`, sha: target.baseSha, path: c.file.previous_filename ?? c.file.filename })),
      ),
    );
    retry.forEach((c, i) => {
      const blob = more.get(`r${i}`);
      if (blob?.kind === "missing") c.base = null;
      else if (blob?.kind === "text" && !unusable(blob, target.baseSha)) {
        c.base = blob.text;
        c.changed = changedLinesBetween(blob.text, c.head!);
      } else {
        c.head = undefined;
        skip(set, c.file.filename, `the base version is unusable (${unusable(blob, target.baseSha) ?? "unreadable"})`);
      }
    });
  }

  for (const c of candidates) {
    if (c.head === undefined || c.base === undefined) continue;
    const changed = c.changed ?? (c.base === null ? undefined : changedLinesBetween(c.base, c.head));
    const input: FileInput = {
      path: c.file.filename,
      head: c.head,
      base: c.base,
      ...(c.file.previous_filename ? { oldPath: c.file.previous_filename } : {}),
      ...(changed ? { changed } : {}),
    };
    set.files.push(input);
    if (c.hunks) set.changedByPath.set(c.file.filename, c.hunks);
    else set.changedByPath.set(c.file.filename, { added: changed?.added ?? new Set(), deleted: changed?.deleted ?? new Set(), hunks: [] });
  }
  return set;
}

/** The directories of the candidates, those with the most changed files first. */
function touchedDirs(candidates: readonly Candidate[]): string[] {
  const counts = new Map<string, number>();
  for (const c of candidates) {
    const dir = dirOf(c.file.filename);
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0])).map(([dir]) => dir);
}

/**
 * The touched packages' listings for the engine, from the cache or from the trees just read,
 * within the per-run limits; whatever is left out becomes a line of the check run's note.
 */
function readPackages(set: ChangeSet, target: ChangeSetTarget, dirs: readonly string[], trees: readonly TreeRequest[], contents: ContentsResult, cache: PackageCache): void {
  const notes = set.packageNotes;
  if (contents.treeError) {
    notes.push(`${escapeText(`the query that reads them failed (${contents.treeError})`)}; only the pull request's own files of each package were read together`);
  }
  const fetched = new Map(trees.map((t) => [t.dir, t.key]));
  let bytes = 0;
  for (const dir of dirs.slice(0, MAX_PACKAGE_DIRS)) {
    const key = PackageCache.key(target.owner, target.repo, target.headSha, dir);
    let listing = cache.get(key);
    const treeKey = fetched.get(dir);
    if (!listing && treeKey !== undefined && !contents.treeError) {
      const tree = contents.trees.get(treeKey);
      listing = tree ? packageDirFromTree(dir, tree) : undefined;
      if (listing) cache.set(key, listing);
      else notes.push(`${dirCode(dir)}: not found at \`${target.headSha.slice(0, 7)}\``);
    }
    if (!listing) continue;
    if (bytes + listing.bytes > MAX_RUN_PACKAGE_BYTES) {
      notes.push(`${dirCode(dir)}: not read, the touched packages are over ${MAX_RUN_PACKAGE_BYTES / 1024 / 1024} MB together`);
      continue;
    }
    bytes += listing.bytes;
    set.packages.set(dir, listing);
    if (listing.leftOut.length > 0) notes.push(`${dirCode(dir)}: ${listing.leftOut.join("; ")}`);
  }
  const unread = dirs.slice(MAX_PACKAGE_DIRS);
  if (unread.length > 0) {
    const names = unread.slice(0, 5).map(dirCode).join(", ");
    notes.push(`${names}${unread.length > 5 ? ` and ${unread.length - 5} more` : ""}: not read, memlint reads at most ${MAX_PACKAGE_DIRS} packages per run`);
  }
}

/** Whether the added and context lines of a patch are the head's lines at the positions it says. */
export function patchMatches(head: string, patch: string): boolean {
  const lines = head.split("\n");
  let line = 0;
  let inHunk = false;
  for (const text of patch.split("\n")) {
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (m) {
      line = Number(m[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk || text.startsWith("-") || text.startsWith("\\")) continue;
    if (text === "" && line > lines.length) continue;
    if ((lines[line - 1] ?? "") !== text.slice(1)) return false;
    line++;
  }
  return true;
}

function skip(set: ChangeSet, path: string, reason: string): void {
  set.skipped.push({ path, reason });
  set.partial.push(`${path} was not analyzed: ${reason}.`);
}
