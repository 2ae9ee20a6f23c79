/** The pull request a workflow run is about, from the event payload the runner saved. */
import { readFileSync } from "node:fs";
import { ActionError, type Env } from "./workflow.js";

export interface PullRequestEvent {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  defaultBranch: string;
  draft: boolean;
  /**
   * The head branch lives in another repository (a fork), or that repository is gone: the
   * workflow's token can then only read.
   */
  fromFork: boolean;
}

interface Payload {
  pull_request?: {
    number?: number;
    draft?: boolean;
    head?: { sha?: string; repo?: { full_name?: string } | null };
    base?: { sha?: string; ref?: string; repo?: { full_name?: string; default_branch?: string } };
  };
  repository?: { full_name?: string; default_branch?: string };
}

const EVENTS = ["pull_request", "pull_request_target"];

export function readPullRequest(env: Env): PullRequestEvent {
  const name = env.GITHUB_EVENT_NAME ?? "";
  if (!EVENTS.includes(name)) {
    throw new ActionError(`memlint reviews pull requests: run it on \`pull_request\` (this run is for \`${name || "an unknown event"}\`)`);
  }
  if (!env.GITHUB_EVENT_PATH) throw new ActionError("GITHUB_EVENT_PATH is not set: memlint's action runs in GitHub Actions");
  let payload: Payload;
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as Payload;
  } catch (err) {
    throw new ActionError(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(err as Error).message}`);
  }
  const pr = payload.pull_request;
  const base = pr?.base;
  const fullName = base?.repo?.full_name ?? payload.repository?.full_name ?? env.GITHUB_REPOSITORY ?? "";
  const [owner, repo] = fullName.split("/");
  if (!pr?.number || !pr.head?.sha || !base?.sha || !base.ref || !owner || !repo) {
    throw new ActionError("the event payload has no complete pull_request (number, head.sha, base.sha, base.ref, base.repo)");
  }
  const headRepo = pr.head.repo?.full_name;
  return {
    owner,
    repo,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: base.sha,
    baseRef: base.ref,
    defaultBranch: base.repo?.default_branch ?? payload.repository?.default_branch ?? base.ref,
    draft: pr.draft === true,
    fromFork: headRepo === undefined || headRepo.toLowerCase() !== fullName.toLowerCase(),
  };
}
