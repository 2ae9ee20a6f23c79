/**
 * The path of a stranger deploying memlint, through the real server (`src/main.ts`, what
 * `npm start` runs) against the GitHub double over HTTP:
 *
 * - settings that cannot run safely stop the server at start, one line per problem and no stack
 *   trace: no webhook secret (or Probot's public default) outside development, an id without a
 *   key, nothing at all in production;
 * - a fresh checkout registers the App from its manifest (`npm start` → the manifest with the
 *   public webhook URL → GitHub creates the App → the credentials in `.env`), and after a restart
 *   the first webhook gives the first check.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubDouble } from "./github-double.js";
import { FAST, runToExit, sendWebhook, sign, startApp } from "./harness.js";
import { completedCheck, newRepo, openPull, READER, SRC } from "./scenario.js";

let double: GitHubDouble;

beforeAll(async () => {
  double = await GitHubDouble.start();
});

afterAll(async () => {
  await double?.close();
});

const fresh = () => mkdtempSync(join(tmpdir(), "memlint-stranger-"));

/** A plain HTTP request; redirects are returned, not followed. */
function http(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, ...(res.headers.location ? { location: res.headers.location } : {}) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe("settings that cannot run safely stop the server at start", () => {
  const key = () => ({ APP_ID: String(double.appId), PRIVATE_KEY: double.privateKey });
  const cases: { name: string; env: () => Record<string, string>; lines: RegExp[] }[] = [
    { name: "production without WEBHOOK_SECRET", env: () => ({ NODE_ENV: "production", ...key() }), lines: [/^memlint cannot start: WEBHOOK_SECRET is not set/] },
    { name: "Probot's public default secret", env: () => ({ NODE_ENV: "production", ...key(), WEBHOOK_SECRET: "development" }), lines: [/^memlint cannot start: WEBHOOK_SECRET is "development", Probot's public default/] },
    { name: "no NODE_ENV (not development or test) without WEBHOOK_SECRET", env: () => key(), lines: [/^memlint cannot start: WEBHOOK_SECRET is not set/] },
    { name: "an App id without a key", env: () => ({ APP_ID: "12", WEBHOOK_SECRET: "s3cret" }), lines: [/^memlint cannot start: the App's private key is missing/] },
    {
      name: "production with nothing set",
      env: () => ({ NODE_ENV: "production" }),
      lines: [/^memlint cannot start: APP_ID is not set/, /^memlint cannot start: the App's private key is missing/, /^memlint cannot start: WEBHOOK_SECRET is not set/],
    },
  ];

  it(`${cases.map((c) => c.name).join("; ")}: exit 1, one line each, no stack trace`, async () => {
    const results = await Promise.all(cases.map(async (c) => ({ c, result: await runToExit({ ...c.env(), LOG_FORMAT: "json" }, fresh()) })));
    for (const { c, result } of results) {
      expect(result.code, c.name).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines, c.name).toHaveLength(c.lines.length);
      c.lines.forEach((pattern, i) => expect(lines[i], c.name).toMatch(pattern));
      expect(result.stderr, c.name).not.toMatch(/^\s+at /m);
      expect(result.stdout, c.name).not.toContain("Listening on");
    }
  }, 180_000);
});

describe("a fresh checkout: setup mode, the manifest, the restart, the first webhook", () => {
  it("registers the App from its manifest, writes .env, and after a restart the first webhook gives the first check", async () => {
    const cwd = fresh();
    const github = { MEMLINT_GITHUB_URL: `http://${double.host}`, MEMLINT_GITHUB_API_URL: `http://${double.host}` };
    const setup = await startApp(double, {
      cwd,
      ready: "memlint is not registered yet",
      env: { APP_ID: undefined, PRIVATE_KEY: undefined, WEBHOOK_SECRET: undefined, MEMLINT_APP_SLUG: undefined, NODE_ENV: undefined, BASE_URL: "https://memlint.example.com", ...github },
    });
    let credentials: Record<string, string>;
    try {
      expect((await http("GET", `${setup.url}/healthz`)).status).toBe(200);

      // The page offers the manifest: app.yml with the public webhook URL and the way back here.
      const pageHtml = (await http("GET", `${setup.url}/`)).body;
      const action = unescapeHtml(/<form action="([^"]+)"/.exec(pageHtml)![1]!);
      const manifestJson = unescapeHtml(/name="manifest" value="([^"]+)"/.exec(pageHtml)![1]!);
      const manifest = JSON.parse(manifestJson) as Record<string, unknown>;
      const appYml = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as Record<string, unknown>;
      expect(action).toBe(`http://${double.host}/settings/apps/new`);
      expect(manifest).toMatchObject({
        name: "memlint",
        hook_attributes: { url: "https://memlint.example.com/api/github/webhooks", active: true },
        redirect_url: `${setup.url}/probot/setup`,
        default_permissions: appYml.default_permissions,
        default_events: appYml.default_events,
      });

      // The browser posts it to GitHub, which creates the App and sends it back with a code.
      const created = await http("POST", action, new URLSearchParams({ manifest: manifestJson }).toString(), { "content-type": "application/x-www-form-urlencoded" });
      expect(created.status).toBe(302);
      expect(created.location).toMatch(new RegExp(`^${setup.url}/probot/setup\\?code=`));
      const back = await http("GET", created.location!);
      expect(back.status).toBe(302);
      expect(back.location).toBe(`http://${double.host}/apps/${double.slug}/installations/new`);
      expect(double.manifests).toHaveLength(1);

      credentials = parseEnv(readFileSync(join(cwd, ".env"), "utf8")) as Record<string, string>;
      expect(credentials).toMatchObject({ APP_ID: String(double.appId), WEBHOOK_SECRET: double.webhookSecret, MEMLINT_APP_SLUG: double.slug });
      expect(credentials.PRIVATE_KEY).toBe(double.privateKey);
    } finally {
      await setup.stop();
    }

    // Restart in the same directory, with nothing but what .env holds (and the double's address).
    const app = await startApp(double, {
      cwd,
      env: { APP_ID: undefined, PRIVATE_KEY: undefined, WEBHOOK_SECRET: undefined, MEMLINT_APP_SLUG: undefined, NODE_ENV: undefined, ...github, ...FAST },
    });
    try {
      const full = newRepo(double, { [READER]: SRC.base }, { owner: "stranger", installation: 77_001 });
      const head = openPull(double, full, 1, { [READER]: SRC.head });
      const payload = double.pullRequestEvent(full, 1);
      const forged = await sendWebhook(app, "pull_request", payload, { signature: sign(JSON.stringify(payload), "development") });
      expect(forged.status).toBe(400);
      const response = await sendWebhook(app, "pull_request", payload, { signature: sign(JSON.stringify(payload), double.webhookSecret) });
      expect(response.status).toBe(200);
      const check = await completedCheck(double, full, head);
      expect(check.conclusion).toBe("failure");
      expect(check.output.title).toBe("2 blocking findings (production)");
      expect(double.threadsOf(full, 1)).toHaveLength(2);
    } finally {
      await app.stop();
    }
  }, 90_000);
});
