/** A pull request as a run needs it: from a webhook payload, or read from GitHub. */
import type { ProbotOctokit } from "probot";
import type { PullHandle } from "./check-run.js";
import { step } from "./errors.js";
import type { PullTarget } from "./gather.js";

/** The fields of a pull request (webhook payload or REST) that a run reads. */
export interface PullFields {
  number: number;
  draft?: boolean;
  changed_files?: number;
  user?: { login: string } | null;
  head: { sha: string };
  base: { sha: string; ref: string };
}

/** The fields of a repository (webhook payload) that a run reads. */
export interface RepositoryFields {
  name: string;
  default_branch: string;
  owner: { login: string };
}

export function targetFromPull(pr: PullFields, repository: RepositoryFields): PullTarget {
  return {
    owner: repository.owner.login,
    repo: repository.name,
    pullNumber: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
    defaultBranch: repository.default_branch,
    draft: pr.draft === true,
    ...(typeof pr.changed_files === "number" ? { changedFiles: pr.changed_files } : {}),
    ...(pr.user?.login ? { author: pr.user.login } : {}),
  };
}

/** The pull request as it is now (the payload's may be behind, and some events do not carry it). */
export async function readPull(octokit: ProbotOctokit, handle: PullHandle, repository: RepositoryFields): Promise<PullTarget & { open: boolean }> {
  const { data } = await step(`reading pull request #${handle.pullNumber}`, () =>
    octokit.rest.pulls.get({ owner: handle.owner, repo: handle.repo, pull_number: handle.pullNumber }),
  );
  return { ...targetFromPull(data, repository), open: data.state !== "closed" };
}
