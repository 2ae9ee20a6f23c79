/**
 * What a pull request changes, ready for the engine: the Go files in scope with their head and
 * base contents and changed lines, the hunks comments may go on, the files skipped (and why),
 * and the reasons a run is partial.
 *
 * Requests: the file list (100 per page) and one GraphQL query per 100 file versions, which also
 * reads the root go.mod at the head commit.
 *
 * Base versions: GitHub's `patch` is the diff against the merge base, while `base.sha` is the
 * base branch's tip, which may have moved on since the branch was cut. So when a patch exists,
 * the base version is the head version with the patch reversed — exactly the merge base's file,
 * consistent with the patch and not a byte more to download. Only files without a patch (binary
 * or very large diffs), and the rare patch that does not reverse cleanly, are read at `base.sha`.
 */
import { applyPatch, parsePatch, reversePatch } from "diff";
import type { ProbotOctokit } from "probot";
import type { MemlintConfig } from "../config/types.js";
import { DEFAULT_MAX_FILE_SIZE, type FileInput } from "../engine/analyze.js";
import { type ChangedLines, changedLinesBetween, changedLinesFromPatch } from "../engine/diff.js";
import { goVersionFromGoMod } from "../engine/gomod.js";
import { exclusionReason } from "../engine/review.js";
import { type BlobRequest, type BlobResult, fetchBlobs } from "./contents.js";
import { step } from "./errors.js";
import { listPullFiles, MAX_LISTED_FILES, type PullFile } from "./files.js";

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
  // jsdiff misplaces the lines of a hunk that empties a file (`+0,0`); read such bases instead.
  if (head === "") return undefined;
  try {
    const parsed = parsePatch(patch.endsWith("\n") ? patch : `${patch}\n`);
    if (parsed.length !== 1) return undefined;
    const base = applyPatch(head, reversePatch(parsed[0]!));
    // Only a base the patch turns back into the head is trusted (edge cases such as emptied files
    // do not round-trip); anything else is read from GitHub instead.
    if (typeof base !== "string" || applyPatch(base, parsed[0]!) !== head) return undefined;
    return base;
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

export async function collectChangeSet(octokit: ProbotOctokit, target: ChangeSetTarget, config: MemlintConfig): Promise<ChangeSet> {
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
  requests.push({ key: "go.mod", sha: target.headSha, path: "go.mod" });
  const blobs = await step("reading file contents", () => fetchBlobs(octokit, repo, requests));

  const gomod = blobs.get("go.mod");
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
        if (base === undefined) c.needsBase = true;
        else c.base = base;
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

function skip(set: ChangeSet, path: string, reason: string): void {
  set.skipped.push({ path, reason });
  set.partial.push(`${path} was not analyzed: ${reason}.`);
}
