/**
 * End-to-end plumbing: the real memlint server (`src/main.ts`, what `npm start` runs, here through
 * tsx) as a child process on loopback, pointed at the GitHub double (`MEMLINT_GITHUB_API_URL`), and webhooks sent
 * to it over HTTP, signed with `X-Hub-Signature-256` as GitHub signs them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { GitHubDouble } from "./github-double.js";

export const SECRET = "e2e-webhook-secret";
const ROOT = new URL("../../", import.meta.url).pathname;
/** tsx's loader by absolute URL, so that the server can run in any working directory. */
const TSX = pathToFileURL(createRequire(join(ROOT, "package.json")).resolve("tsx")).href;
/** What `npm start` runs (here through tsx). */
const MAIN = [`--max-old-space-size=512`, "--import", TSX, join(ROOT, "src/main.ts")];

export interface AppProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every JSON log line the server wrote, parsed, and as written. */
  logs: Record<string, unknown>[];
  lines: string[];
  /** The in-flight journal's directory. */
  stateDir: string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash) and wait for the exit. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export interface AppOptions {
  env?: Record<string, string | undefined>;
  /** Reuse a state directory (a restart on the same host). */
  stateDir?: string;
  /** The working directory (where `.env` is read and written); default: the repository. */
  cwd?: string;
  /** The log message that says the server is ready; default: the App's "memlint server started". */
  ready?: string;
}

/**
 * Fast settings for tests: short write pacing, retry back-off and recovery interval. The request
 * time limit is long, so that a busy machine does not make an answered request look stalled;
 * tests of stalled requests set their own short limit.
 */
export const FAST: Record<string, string> = {
  MEMLINT_WRITE_INTERVAL_MS: "5",
  MEMLINT_RETRY_BASE_MS: "20",
  MEMLINT_REQUEST_TIMEOUT_MS: "30000",
  MEMLINT_RECOVERY_INTERVAL_MS: "1000",
};

/** A loopback port nobody listens on (Probot reads PORT=0 as its default, 3000). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startApp(double: GitHubDouble, options: AppOptions = {}): Promise<AppProcess> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "memlint-e2e-state-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    APP_ID: String(double.appId),
    PRIVATE_KEY: double.privateKey,
    WEBHOOK_SECRET: SECRET,
    // The double at the root, like api.github.com (with GHE_HOST's /api/v3 prefix Octokit's
    // throttling no longer recognizes token requests and paces them as writes).
    MEMLINT_GITHUB_API_URL: `http://${double.host}`,
    HOST: "127.0.0.1",
    PORT: String(await freePort()),
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    MEMLINT_APP_SLUG: double.slug,
    MEMLINT_STATE_DIR: stateDir,
    ...FAST,
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, MAIN, { cwd: options.cwd ?? ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const logs: Record<string, unknown>[] = [];
  const lines: string[] = [];
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`memlint did not start within 120 s\n${stderr}`)), 120_000);
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(String(entry.msg ?? ""));
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        } catch {
          logs.push({ msg: line });
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`memlint exited (${code}) before listening\n${stderr}`));
    });
  });
  // The server logs "memlint server started" right after it listens.
  const ready = options.ready ?? "memlint server started";
  const deadline = Date.now() + 60_000;
  while (!logs.some((l) => String(l.msg).startsWith(ready)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    logs,
    lines,
    stateDir,
    exited,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Runs the server with `env` (nothing else) in `cwd` until it exits by itself (a refused start). */
export function runToExit(env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, MAIN, { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not exit by itself\n${stdout}\n${stderr}`));
    }, 120_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface WebhookResponse {
  status: number;
  body: string;
}

export function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Sends a webhook as GitHub does (signed unless `signature` says otherwise). */
export function sendWebhook(
  app: { url: string },
  event: string,
  payload: unknown,
  options: { deliveryId?: string; signature?: string | null } = {},
): Promise<WebhookResponse> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/e2e",
    "x-github-event": event,
    "x-github-delivery": options.deliveryId ?? randomUUID(),
    "x-github-hook-installation-target-type": "integration",
  };
  if (options.signature !== null) headers["x-hub-signature-256"] = options.signature ?? sign(body);
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}/api/github/webhooks`, { method: "POST", headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Peak and current resident set size of a process (kB), from /proc. */
export function memoryOf(pid: number): { rssKb: number; peakKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    const peak = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    return rss && peak ? { rssKb: Number(rss), peakKb: Number(peak) } : undefined;
  } catch {
    return undefined;
  }
}
