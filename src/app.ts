/**
 * The memlint GitHub App (Probot 14): reviews Go pull requests for memory-management pitfalls.
 *
 * Events: pull_request (opened, synchronize, reopened, ready_for_review), check_run
 * (rerequested, requested_action) and check_suite (rerequested) for memlint's own runs, and
 * issue_comment / pull_request_review_comment (created, edited, deleted) for `/memlint` commands.
 * HTTP: `GET /healthz` → 200 `{"status":"ok"}` (registered with Probot 14's `addHandler`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunction, Probot } from "probot";
import { identityFromEnv, identityLoader } from "./github/identity.js";
import type { AppIdentity } from "./github/threads.js";
import { onCheckRunRerequested, onCheckSuiteRerequested } from "./handlers/check-run.js";
import { COMMENT_EVENTS, onComment } from "./handlers/comment.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./handlers/pull-request.js";
import { onCheckRunRequestedAction } from "./handlers/waive.js";
import { createShared, type Shared, type SharedOptions } from "./runtime/shared.js";

export interface MemlintAppOptions {
  /** The App's id and slug; by default `APP_ID` + `MEMLINT_APP_SLUG`, else read with `GET /app`. */
  identity?: AppIdentity;
  /** Overrides `MEMLINT_ENVIRONMENT` (read per event otherwise). */
  environment?: string;
  /**
   * How runs are handed off and shared with other instances (`npm start` sets these: see
   * server.ts). Without: every webhook is answered when its run is over.
   */
  runtime?: SharedOptions;
  /** Receives what the handlers share (the server uses it for a graceful stop). */
  onShared?: (shared: Shared) => void;
}

/** `GET /healthz`: liveness for load balancers and orchestrators. */
export function healthz(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== "/healthz") return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "application/json" });
    res.end(JSON.stringify({ error: "method not allowed" }));
    return true;
  }
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ok" }));
  return true;
}

export function createApp(options: MemlintAppOptions = {}): ApplicationFunction {
  return (app: Probot, appOptions) => {
    try {
      appOptions?.addHandler(healthz);
    } catch {
      // Loaded without an HTTP server (tests, `probot.load`): no routes to add.
      app.log.debug("no HTTP server: /healthz not registered");
    }
    const shared = createShared(
      identityLoader(app, options.identity ?? identityFromEnv(process.env)),
      () => options.environment ?? process.env.MEMLINT_ENVIRONMENT,
      options.runtime,
    );
    options.onShared?.(shared);
    app.on([...PULL_REQUEST_EVENTS], (context) => onPullRequest(context, shared));
    app.on("check_run.rerequested", (context) => onCheckRunRerequested(context, shared));
    app.on("check_run.requested_action", (context) => onCheckRunRequestedAction(context, shared));
    app.on("check_suite.rerequested", (context) => onCheckSuiteRerequested(context, shared));
    app.on([...COMMENT_EVENTS], (context) => onComment(context, shared));
  };
}

export default createApp();
