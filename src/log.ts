/**
 * Structured logs of a run (Probot's pino logger): a child logger per run that carries the
 * delivery id, repository, pull request and head commit on every line, a counter of the GitHub
 * requests the run made, and the one-line record a run ends with.
 */
import type { Logger, ProbotOctokit } from "probot";

export interface RunLogFields {
  deliveryId: string;
  event: string;
  repository: string;
  pullNumber?: number;
  headSha?: string;
}

export function runLogger(base: Logger, fields: RunLogFields): Logger {
  return base.child({ ...fields, component: "memlint" });
}

/**
 * Counts the requests an Octokit instance sends from now on (REST and GraphQL; each retry
 * counts). Probot creates one instance per webhook event, so the count is the run's.
 */
export function countRequests(octokit: ProbotOctokit): () => number {
  let count = 0;
  octokit.hook.before("request", () => {
    count++;
  });
  return () => count;
}

/** What a run did, logged once when it ends. */
export interface RunStats {
  conclusion: string;
  durationMs: number;
  /** GitHub requests made by the run. */
  requests: number;
  /** Files GitHub listed / Go files among them / Go files analyzed. */
  files: number;
  goFiles: number;
  analyzedFiles: number;
  /** Findings the change introduces (before ignores), and pre-existing ones in touched code. */
  findings: number;
  preexisting: number;
  blocking: number;
  commentsPosted: number;
  annotations: number;
  threadsResolved: number;
  threadsReopened: number;
  commentsEdited: number;
  partial: boolean;
  /** Findings ignored by `/memlint ignore` or the "Waive" button. */
  ignored?: number;
  /** Command comments answered (replies written or updated). */
  commandsAnswered?: number;
  superseded?: string;
  error?: string;
}

export function emptyStats(): RunStats {
  return {
    conclusion: "unknown",
    durationMs: 0,
    requests: 0,
    files: 0,
    goFiles: 0,
    analyzedFiles: 0,
    findings: 0,
    preexisting: 0,
    blocking: 0,
    commentsPosted: 0,
    annotations: 0,
    threadsResolved: 0,
    threadsReopened: 0,
    commentsEdited: 0,
    partial: false,
  };
}
