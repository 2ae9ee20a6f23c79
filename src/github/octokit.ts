/**
 * The Octokit class memlint's server runs with (`npm start` passes it to Probot's `run`): Probot's
 * own (throttling, retries, pagination, config) with four changes that make a run survive GitHub's
 * faults without hanging, without waiting for ever and without posting anything twice:
 *
 * - **A time limit per request attempt** (`MEMLINT_REQUEST_TIMEOUT_MS`, default 20 s). Octokit
 *   has none: a stalled connection would hold a run — and its `in_progress` check — for ever. A
 *   request that gets no answer fails like a 5xx; idempotent requests are then retried by
 *   Octokit's retry plugin, the others by memlint after it checked whether the first try landed.
 *   The limit also covers the installation-token request.
 * - **Secondary rate limits are retried**, which Probot's defaults do not do (they only log):
 *   a 403/429 with `retry-after` is retried after the time GitHub asks, when that is at most
 *   `MEMLINT_MAX_RETRY_AFTER_S` (default 60 s), at most twice per request. GitHub rejected the
 *   request, so a retry can never post twice. Past that the error reaches the run, which completes
 *   the check honestly ("rate-limited by GitHub, press Re-run").
 * - **Primary rate limits** are retried only when the reset is as close as that too (Probot's
 *   default waits up to an hour, twice, with the check left in progress).
 * - **Write pacing** stays Octokit's (one write per installation at a time, about a second
 *   apart, as GitHub asks; cluster-wide through Redis when `REDIS_URL` is set) — but really per
 *   installation: Probot leaves the Octokit of a webhook event without a throttling id, which
 *   makes all installations share one queue. Tests and the benchmark shorten the interval with
 *   `MEMLINT_WRITE_INTERVAL_MS`.
 */
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

export interface OctokitTuning {
  /** Time limit of one request attempt (ms). */
  requestTimeoutMs: number;
  /** Longest `retry-after` (s) memlint waits for on a rate limit. */
  maxRetryAfterS: number;
  /** Retries of one request after rate limits. */
  rateLimitRetries: number;
  /** Minimum time between two writes of one installation (ms); Octokit's default is 1000. */
  writeIntervalMs?: number;
  /** Minimum time between two notification-triggering writes (reviews, comments); default 3000. */
  notificationIntervalMs?: number;
  /** Base of Octokit's retry back-off for 5xx (ms; retries wait 1×, 4×, 9× this); default 1000. */
  retryBaseMs?: number;
  /**
   * The REST API's base URL, overriding Probot's (`https://api.github.com`, or `GHE_HOST`'s
   * `/api/v3`): a GitHub double in tests, a proxy. GraphQL is `<url>/graphql`.
   */
  apiUrl?: string;
}

export const DEFAULT_TUNING: OctokitTuning = { requestTimeoutMs: 20_000, maxRetryAfterS: 60, rateLimitRetries: 2 };

function positive(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function tuningFromEnv(env: NodeJS.ProcessEnv): OctokitTuning {
  const tuning: OctokitTuning = { ...DEFAULT_TUNING };
  tuning.requestTimeoutMs = positive(env.MEMLINT_REQUEST_TIMEOUT_MS) ?? tuning.requestTimeoutMs;
  tuning.maxRetryAfterS = positive(env.MEMLINT_MAX_RETRY_AFTER_S) ?? tuning.maxRetryAfterS;
  tuning.rateLimitRetries = positive(env.MEMLINT_RATE_LIMIT_RETRIES) ?? tuning.rateLimitRetries;
  const write = positive(env.MEMLINT_WRITE_INTERVAL_MS);
  if (write !== undefined) tuning.writeIntervalMs = write;
  const notifications = positive(env.MEMLINT_NOTIFICATION_INTERVAL_MS) ?? (write !== undefined ? write : undefined);
  if (notifications !== undefined) tuning.notificationIntervalMs = notifications;
  const retryBase = positive(env.MEMLINT_RETRY_BASE_MS);
  if (retryBase !== undefined) tuning.retryBaseMs = retryBase;
  const apiUrl = env.MEMLINT_GITHUB_API_URL?.trim();
  if (apiUrl) tuning.apiUrl = apiUrl.replace(/\/+$/, "");
  return tuning;
}

/** Raised inside fetch when an attempt got no answer in time; Octokit wraps it as a 500. */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`no answer from GitHub within ${timeoutMs >= 1000 ? `${(timeoutMs / 1000).toFixed(timeoutMs % 1000 === 0 ? 0 : 1)} s` : `${timeoutMs} ms`}`);
  }
}

type Fetch = typeof fetch;

/** `fetch` with a time limit per attempt (connection, headers and body). */
export function fetchWithTimeout(timeoutMs: number, inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timer]) : timer;
    try {
      const response = await inner(input, { ...init, signal });
      // Read the body under the same limit, so a stalled body fails too.
      const body = await response.arrayBuffer();
      const copy = new Response(response.status === 204 || response.status === 304 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      Object.defineProperty(copy, "url", { value: response.url });
      return copy;
    } catch (err) {
      if (timer.aborted && !init?.signal?.aborted) throw new RequestTimeoutError(timeoutMs);
      throw err;
    }
  };
}

interface LimiterGroups {
  write?: Bottleneck.Group;
  notifications?: Bottleneck.Group;
}

/** Process-wide pacing groups (Octokit's are process-wide too), one set per interval setting. */
const groupCache = new Map<string, LimiterGroups>();

function pacingGroups(tuning: OctokitTuning, throttle: Record<string, unknown>): LimiterGroups {
  if (tuning.writeIntervalMs === undefined && tuning.notificationIntervalMs === undefined) return {};
  const clustered = throttle.connection !== undefined;
  const key = `${tuning.writeIntervalMs}/${tuning.notificationIntervalMs}/${clustered}`;
  let groups = groupCache.get(key);
  if (!groups) {
    const Lib = (throttle.Bottleneck as typeof Bottleneck | undefined) ?? Bottleneck;
    const common = {
      timeout: 2 * 60 * 1000,
      ...(clustered ? { connection: throttle.connection as Bottleneck.IORedisConnection } : {}),
    };
    groups = {};
    if (tuning.writeIntervalMs !== undefined) {
      groups.write = new Lib.Group({ id: "octokit-write", maxConcurrent: 1, minTime: tuning.writeIntervalMs, ...common });
    }
    if (tuning.notificationIntervalMs !== undefined) {
      groups.notifications = new Lib.Group({ id: "octokit-notifications", maxConcurrent: 1, minTime: tuning.notificationIntervalMs, ...common });
    }
    groupCache.set(key, groups);
  }
  return groups;
}

interface Logish {
  warn(obj: unknown, msg?: string): void;
}

interface RetryOptions {
  method?: string;
  url?: string;
}

/**
 * Probot's Octokit with memlint's request limits (see the file comment). `log` receives the
 * rate-limit warnings (Probot's own handlers log through the Octokit instance).
 */
export function memlintOctokit(tuning: OctokitTuning = DEFAULT_TUNING): typeof ProbotOctokit {
  const timedFetch = fetchWithTimeout(tuning.requestTimeoutMs);
  const decide =
    (kind: "secondary" | "primary") =>
    (retryAfter: number, options: RetryOptions, octokit: { log?: Logish }, retryCount: number): boolean => {
      const retry = retryCount < tuning.rateLimitRetries && retryAfter <= tuning.maxRetryAfterS;
      octokit.log?.warn(
        { retryAfter, retryCount, request: `${options.method ?? ""} ${options.url ?? ""}`.trim() },
        `${kind === "secondary" ? "secondary" : "primary"} rate limit hit; ${retry ? `retrying in ${retryAfter} s` : "not retrying"}`,
      );
      return retry;
    };
  return ProbotOctokit.defaults((options: Record<string, unknown>) => {
    const request = (options.request ?? {}) as Record<string, unknown>;
    const auth = options.auth as Record<string, unknown> | undefined;
    // Probot gives the Octokit of a webhook event no throttling id (only `app.auth(id)` does), so
    // every installation would share one write queue per process — one write a second for all of
    // them. GitHub's limits are per installation: pace per installation.
    const installationId = auth?.installationId;
    const throttle = { ...((options.throttle ?? {}) as Record<string, unknown>) };
    if ((throttle.id === undefined || throttle.id === "no-id") && (typeof installationId === "number" || typeof installationId === "string")) {
      throttle.id = String(installationId);
    }
    const authRequest = auth?.request as { defaults?: (o: unknown) => unknown } | undefined;
    return {
      ...options,
      ...(tuning.apiUrl ? { baseUrl: tuning.apiUrl } : {}),
      request: { ...request, fetch: fetchWithTimeout(tuning.requestTimeoutMs, (request.fetch as Fetch | undefined) ?? globalThis.fetch) },
      ...(auth && typeof authRequest?.defaults === "function"
        ? { auth: { ...auth, request: authRequest.defaults({ request: { fetch: timedFetch } }) } }
        : {}),
      ...(tuning.retryBaseMs !== undefined ? { retry: { ...(options.retry as object), retryAfterBaseValue: tuning.retryBaseMs } } : {}),
      throttle:
        throttle.enabled === false
          ? throttle
          : {
              ...throttle,
              ...pacingGroups(tuning, throttle),
              onSecondaryRateLimit: decide("secondary"),
              onRateLimit: decide("primary"),
            },
    };
  }) as typeof ProbotOctokit;
}
