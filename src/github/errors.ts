/**
 * Human-readable descriptions of failed GitHub requests, for check-run messages and logs:
 * which request (method and path), which status, and GitHub's own message.
 */

interface RequestLike {
  method?: string;
  url?: string;
}

interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  request?: RequestLike & { query?: unknown };
  response?: { data?: unknown; status?: number };
  errors?: { message?: string; type?: string }[];
}

/** `/repos/acme/api/pulls/7/reviews` from a full API URL (query string dropped). */
function pathOf(url: string | undefined): string {
  if (!url) return "(unknown request)";
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.pathname);
  } catch {
    return url.split("?")[0]!;
  }
}

/** GitHub's `message` from an error response body, if any. */
function githubMessage(data: unknown): string | undefined {
  if (data && typeof data === "object" && "message" in data && typeof (data as { message: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  return undefined;
}

/** The HTTP status of a failed request, when the error carries one. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as ErrorLike | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * "POST /repos/acme/api/pulls/7/reviews → 500 (Server Error)" for Octokit request errors,
 * "GraphQL query → NOT_FOUND: Could not resolve …" for GraphQL errors, else the message.
 */
export function describeRequestError(err: unknown): string {
  const e = (err ?? {}) as ErrorLike;
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    const first = e.errors[0]!;
    const more = e.errors.length > 1 ? ` (and ${e.errors.length - 1} more)` : "";
    return `GraphQL request → ${first.type ? `${first.type}: ` : ""}${first.message ?? "error"}${more}`;
  }
  if (typeof e.status === "number" && e.request) {
    const method = (e.request.method ?? "GET").toUpperCase();
    // A request that got no answer in time (Octokit reports it as a 500 without a response).
    const cause = (err as { cause?: { name?: string; message?: string } }).cause;
    if (!e.response && cause?.name === "RequestTimeoutError") return `${method} ${pathOf(e.request.url)} → ${cause.message ?? "no answer"}`;
    const message = githubMessage(e.response?.data) ?? e.message ?? "";
    const secondary = e.status === 403 || e.status === 429 ? retryAfterOf(e) : undefined;
    return `${method} ${pathOf(e.request.url)} → ${e.status}${message ? ` (${oneLine(message)})` : ""}${secondary !== undefined ? ` [retry-after ${secondary} s]` : ""}`;
  }
  return oneLine(e.message ?? String(err));
}

/** The `retry-after` header of a failed request, in seconds. */
function retryAfterOf(e: ErrorLike): number | undefined {
  const headers = (e.response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
  const value = Number(headers?.["retry-after"]);
  return Number.isFinite(value) && headers?.["retry-after"] !== undefined ? value : undefined;
}

/** GitHub refused the request for its rate limits (secondary or primary): it was not applied. */
export function isRateLimited(err: unknown): boolean {
  const e = (err ?? {}) as ErrorLike & { response?: { headers?: Record<string, string | undefined> } };
  if (e.status !== 403 && e.status !== 429) return false;
  return /rate limit/i.test(`${githubMessage(e.response?.data) ?? ""} ${e.message ?? ""}`) || e.response?.headers?.["x-ratelimit-remaining"] === "0";
}

/**
 * Whether a failed write may nevertheless have been applied: no answer (time-out, connection
 * lost) or a server error. Such a write is checked on GitHub before it is sent again.
 */
export function mayHaveLanded(err: unknown): boolean {
  const status = statusOf(err);
  return status === undefined || status >= 500;
}

/** Whether a request got no answer at all (a time-out, a lost connection): it may still be applied later. */
export function gotNoAnswer(err: unknown): boolean {
  const e = err as (ErrorLike & { cause?: { name?: string } }) | undefined;
  return statusOf(err) === undefined || (!e?.response && e?.cause?.name === "RequestTimeoutError");
}

function oneLine(text: string): string {
  const line = text.split(/\r?\n/)[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** An error that already says which GitHub request failed and what that meant for the run. */
export class GitHubStepError extends Error {
  override readonly name = "GitHubStepError";
  constructor(
    /** What memlint was doing: "listing the pull request's files". */
    readonly step: string,
    cause: unknown,
  ) {
    super(`${step} failed: ${describeRequestError(cause)}`, { cause });
  }
}

/** Runs one GitHub step, wrapping any failure in a {@link GitHubStepError} that names the step. */
export async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GitHubStepError) throw err;
    throw new GitHubStepError(what, err);
  }
}
