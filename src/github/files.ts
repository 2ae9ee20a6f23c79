/** The files of a pull request, as GitHub lists them (100 per page, at most 3,000 files). */
import type { ProbotOctokit } from "probot";

export interface PullFile {
  filename: string;
  previous_filename?: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions: number;
  deletions: number;
  changes: number;
  /** The hunks of the diff against the merge base; absent for binary files and very large diffs. */
  patch?: string;
  /** Blob SHA of the head version (absent for removed files in some responses). */
  sha?: string | null;
}

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;

export interface PullRef {
  owner: string;
  repo: string;
  pullNumber: number;
}

/** All listed files of a pull request (up to GitHub's cap of 3,000), following pagination. */
export async function listPullFiles(octokit: ProbotOctokit, ref: PullRef): Promise<PullFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    per_page: 100,
  });
  return files.map((f) => ({
    filename: f.filename,
    ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    ...(typeof f.patch === "string" ? { patch: f.patch } : {}),
    sha: f.sha,
  }));
}
