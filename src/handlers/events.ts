/**
 * The parts of webhook payloads memlint reads, and the context of an event as the handlers use it
 * (Probot's `Context` satisfies it structurally).
 */
import type { Logger, ProbotOctokit } from "probot";
import type { PullTarget } from "./run.js";

export interface RepositoryPayload {
  id: number;
  name: string;
  full_name: string;
  default_branch: string;
  owner: { login: string };
}

export interface PullRequestPayload {
  number: number;
  state?: string;
  draft?: boolean;
  changed_files?: number;
  user?: { login: string } | null;
  head: { sha: string; ref: string; repo?: { full_name: string } | null };
  base: { sha: string; ref: string; repo?: { full_name: string } | null };
}

export interface CheckRunPullRequest {
  number: number;
  base: { repo: { id: number } };
}

export interface CheckRunPayload {
  id: number;
  name: string;
  head_sha: string;
  external_id?: string | null;
  app?: { id: number; slug?: string } | null;
  pull_requests?: CheckRunPullRequest[];
  output?: { title?: string | null; summary?: string | null } | null;
}

export interface CheckSuitePayload {
  id: number;
  head_sha: string;
  app?: { id: number; slug?: string } | null;
  pull_requests?: CheckRunPullRequest[];
}

export interface EventContext<P> {
  /** The delivery id (`X-GitHub-Delivery`). */
  id: string;
  name: string;
  payload: P;
  octokit: ProbotOctokit;
  log: Logger;
  config<T>(fileName: string): Promise<T | null>;
}

export function targetFromPull(pr: PullRequestPayload, repository: RepositoryPayload): PullTarget {
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
