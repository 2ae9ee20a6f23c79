/**
 * Logs. The server's JSON logger (pino, as Probot's), and for each run a child logger that
 * carries the delivery id, repository, pull request and head commit on every line, a counter of
 * the GitHub requests the run made, and the one-line record a run ends with.
 */
import { pino } from "pino";
import type { Logger, ProbotOctokit } from "probot";

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * One JSON line as memlint writes it: each key once (Probot's child loggers each add a `name`,
 * which pino would repeat; the innermost wins), and the request line of a `/healthz` probe at
 * debug level without headers (load balancers probe every few seconds).
 */
export function cleanLogLine(line: string, minLevel: number): string | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const req = entry.req as { url?: string; headers?: unknown } | undefined;
  if (typeof req?.url === "string" && req.url.split("?")[0] === "/healthz") {
    if (minLevel > LEVELS.debug!) return undefined;
    entry.level = LEVELS.debug;
    delete req.headers;
    delete (entry.res as { headers?: unknown } | undefined)?.headers;
  }
  return `${JSON.stringify(entry)}\n`;
}

/** The server's logger for `LOG_FORMAT=json` (what Probot would build, with {@link cleanLogLine}). */
export function jsonLogger(env: NodeJS.ProcessEnv, out: { write(text: string): unknown } = process.stdout): Logger {
  const level = env.LOG_LEVEL && env.LOG_LEVEL in LEVELS ? env.LOG_LEVEL : "info";
  const minLevel = LEVELS[level]!;
  const stream = {
    write(line: string) {
      const clean = cleanLogLine(line, minLevel);
      if (clean !== undefined) out.write(clean);
    },
  };
  return pino({ level, name: "probot", messageKey: env.LOG_MESSAGE_KEY || "msg" }, stream);
}

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
