/**
 * The App behind Probot 14's HTTP server, as `npm start` runs it: `GET /healthz` (added with
 * `addHandler`) and a signed webhook delivery over HTTP that ends in a completed check run.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import nock from "nock";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { initParser } from "../../src/engine/parser.js";
import { api, APP_ID, IDENTITY, mockRun, pullRequestPayload, TestOctokit } from "../helpers/github.js";

const SECRET = "webhook-secret-for-tests";
const go = (name: string) => readFileSync(new URL(`../fixtures/webhooks/go/${name}.go`, import.meta.url), "utf8");
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

/** A plain node:http request (fetch's bodies do not survive nock's pass-through on Node 20). */
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

let server: Server;
let base: string;

beforeAll(async () => {
  await initParser();
  const log = pino({ level: "silent" });
  server = new Server({
    Probot: Probot.defaults({ appId: APP_ID, privateKey, secret: SECRET, Octokit: TestOctokit, log }),
    host: "127.0.0.1",
    port: 0,
    log,
    enableStaticFiles: false,
  });
  await server.load(createApp({ identity: IDENTITY }));
  await server.start();
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("HTTP server", () => {
  it("GET /healthz answers 200 with JSON", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ status: "ok" });
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("a signed webhook delivery runs the App and completes the check run", async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    const scope = api();
    const mocks = mockRun(scope, { files: [{ path: "batch/reader.go", base: go("reader.base"), head: go("reader.head") }], review: true });
    const body = JSON.stringify(pullRequestPayload());
    const res = await post(
      `${base}/api/github/webhooks`,
      {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      },
      body,
    );
    expect(res.status).toBe(200);
    expect(scope.pendingMocks()).toEqual([]);
    expect(mocks.update.first).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "2 blocking findings (production)" } });
  });

  it("rejects a delivery with a wrong signature", async () => {
    const body = JSON.stringify(pullRequestPayload());
    const res = await post(
      `${base}/api/github/webhooks`,
      {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "bad-signature",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      body,
    );
    expect(res.status).toBe(400);
  });
});
