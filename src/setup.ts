/**
 * Setup mode (`npm start` on a fresh checkout, see startup.ts): registers the App on GitHub from
 * its manifest, the way a stranger deploying memlint would.
 *
 * 1. `GET /` (or `/probot`): a page whose button posts the manifest — `app.yml` with this
 *    deployment's public webhook URL — to GitHub's "new GitHub App" page.
 * 2. GitHub creates the App and sends the browser to `GET /probot/setup?code=…`; memlint exchanges
 *    the code for the App's id, private key and webhook secret, writes them to `.env` and sends
 *    the browser on to install the App.
 * 3. Restart (`npm start` again): the App runs with those credentials and webhooks arrive.
 *
 * The public webhook URL is, in order: `--webhook-url <url>`, `WEBHOOK_PROXY_URL` (a smee.io
 * channel, which the restarted server forwards from), `BASE_URL` + the webhook path, or a new
 * smee.io channel when the optional `smee-client` package is installed. Without one, the page says
 * what to set instead of offering a manifest GitHub could never deliver to. `GET /healthz` answers
 * as in every mode.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { parseEnv } from "node:util";
import type { Logger } from "probot";
import { healthz } from "./app.js";
import { describeRequestError } from "./github/errors.js";
import { appManifest, convertManifest } from "./github/manifest.js";

const APP_YML = new URL("../app.yml", import.meta.url);
const WEBHOOK_PATH = "/api/github/webhooks";

export interface SetupOptions {
  env: NodeJS.ProcessEnv;
  /** Where `.env` is written. */
  cwd: string;
  /** `--webhook-url`. */
  webhookUrl?: string;
  log: Logger;
}

/** Probot's ways of naming GitHub: `GHE_HOST` for an Enterprise Server, `MEMLINT_GITHUB_*` for a double or a proxy. */
function githubUrls(env: NodeJS.ProcessEnv): { web: string; api: string } {
  const ghe = env.GHE_HOST?.trim();
  const protocol = env.GHE_PROTOCOL?.trim() || "https";
  const web = env.MEMLINT_GITHUB_URL?.trim() || (ghe ? `${protocol}://${ghe}` : "https://github.com");
  const api = env.MEMLINT_GITHUB_API_URL?.trim() || (ghe ? `${protocol}://${ghe}/api/v3` : "https://api.github.com");
  return { web: web.replace(/\/+$/, ""), api: api.replace(/\/+$/, "") };
}

/** The public webhook URL this deployment can name, or undefined. */
export function publicWebhookUrl(env: NodeJS.ProcessEnv, flag?: string): string | undefined {
  if (flag?.trim()) return flag.trim();
  if (env.WEBHOOK_PROXY_URL?.trim()) return env.WEBHOOK_PROXY_URL.trim();
  const base = env.BASE_URL?.trim();
  return base ? `${base.replace(/\/+$/, "")}${env.WEBHOOK_PATH?.trim() || WEBHOOK_PATH}` : undefined;
}

/** Adds settings to `.env` (keeping the others), quoted so that a PEM survives. */
export function updateDotEnv(cwd: string, values: Record<string, string>): void {
  const file = join(cwd, ".env");
  let current: Record<string, string> = {};
  try {
    current = parseEnv(readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    // No .env yet.
  }
  const merged = { ...current, ...values };
  const lines = Object.entries(merged).map(([k, v]) => `${k}=${/[\s"#\\]/.test(v) ? JSON.stringify(v) : v}`);
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
}

/** A smee.io channel, when the optional `smee-client` package is installed and smee.io answers. */
async function smeeChannel(log: Logger): Promise<string | undefined> {
  try {
    const { SmeeClient } = await import("smee-client");
    return await SmeeClient.createChannel();
  } catch (err) {
    log.info({ err: (err as Error).message }, "no smee.io channel (install smee-client and reach smee.io, or set BASE_URL)");
    return undefined;
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body style="font-family: sans-serif; max-width: 42em; margin: 3em auto">\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`;
}

/** The address the browser reached this server at (for GitHub's redirect back). */
function baseOf(req: IncomingMessage): string {
  const proto = String(req.headers["x-forwarded-proto"] ?? "http").split(",")[0]!.trim();
  const host = String(req.headers["x-forwarded-host"] ?? req.headers.host ?? "localhost");
  return `${proto}://${host}`;
}

export async function startSetup(options: SetupOptions): Promise<Server> {
  const { env, log } = options;
  const github = githubUrls(env);
  let webhookUrl = publicWebhookUrl(env, options.webhookUrl);
  if (!webhookUrl) {
    webhookUrl = await smeeChannel(log);
    if (webhookUrl) updateDotEnv(options.cwd, { WEBHOOK_PROXY_URL: webhookUrl });
  }
  const org = env.GH_ORG?.trim();
  const createUrl = `${github.web}${org ? `/organizations/${encodeURIComponent(org)}` : ""}/settings/apps/new`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (healthz(req, res)) return;
    const url = new URL(req.url ?? "/", "http://setup");
    const send = (status: number, html: string) => res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(html);
    if (req.method !== "GET") return void send(405, page("Method not allowed", ""));
    if (url.pathname === "/" || url.pathname === "/probot") {
      if (!webhookUrl) {
        return void send(
          200,
          page(
            "memlint needs a public webhook URL",
            "<p>GitHub delivers webhooks to a public address. Restart with one of:</p><ul>" +
              "<li><code>BASE_URL=https://your-host</code> (webhooks go to <code>/api/github/webhooks</code>) or <code>npm start -- --webhook-url https://your-host/api/github/webhooks</code></li>" +
              "<li><code>WEBHOOK_PROXY_URL=https://smee.io/…</code> (a channel from smee.io; the optional <code>smee-client</code> package forwards it here)</li></ul>",
          ),
        );
      }
      const manifest = appManifest(readFileSync(APP_YML, "utf8"), webhookUrl, `${baseOf(req)}/probot/setup`);
      return void send(
        200,
        page(
          "Register memlint on GitHub",
          `<p>This creates a GitHub App from memlint's manifest (<code>app.yml</code>): the permissions and events it needs, and webhooks to <code>${escapeHtml(webhookUrl)}</code>.</p>\n` +
            `<form action="${escapeHtml(createUrl)}" method="post"><input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}"><button type="submit">Register the GitHub App</button></form>`,
        ),
      );
    }
    if (url.pathname === "/probot/setup") {
      const code = url.searchParams.get("code");
      if (!code) return void send(400, page("The code from GitHub is missing", "<p>Start again from <a href=\"/\">the setup page</a>.</p>"));
      try {
        const app = await convertManifest(github.api, code);
        updateDotEnv(options.cwd, { APP_ID: String(app.id), PRIVATE_KEY: app.pem, WEBHOOK_SECRET: app.webhookSecret, GITHUB_CLIENT_ID: app.clientId, GITHUB_CLIENT_SECRET: app.clientSecret, ...(app.slug ? { MEMLINT_APP_SLUG: app.slug } : {}) });
        log.info({ appId: app.id, slug: app.slug }, "memlint is registered on GitHub; its credentials are in .env: restart the server (npm start)");
        res.writeHead(302, { location: `${app.htmlUrl}/installations/new` }).end();
      } catch (err) {
        log.error({ err }, "registering the App failed");
        send(502, page("GitHub did not register the App", `<p>${escapeHtml(describeRequestError(err))}</p><p>Start again from <a href="/">the setup page</a>.</p>`));
      }
      return;
    }
    send(404, page("Not found", ""));
  };

  const server = createServer((req, res) => void handle(req, res));
  const host = env.HOST?.trim() || "localhost";
  const port = Number(env.PORT) || 3000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as { port: number };
  log.info(`Listening on http://${host}:${address.port}`);
  log.info(
    { webhookUrl: webhookUrl ?? null },
    webhookUrl
      ? `memlint is not registered yet (no APP_ID): open http://${host}:${address.port}/ to register it on GitHub from its manifest`
      : "memlint is not registered yet and has no public webhook URL: set BASE_URL (or --webhook-url, or WEBHOOK_PROXY_URL) and restart",
  );
  return server;
}
