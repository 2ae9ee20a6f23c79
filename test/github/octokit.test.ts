/** memlint's Octokit: settings from the environment, the time limit per request, per-installation pacing ids. */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRequestError, mayHaveLanded } from "../../src/github/errors.js";
import { DEFAULT_TUNING, fetchWithTimeout, memlintOctokit, RequestTimeoutError, tuningFromEnv } from "../../src/github/octokit.js";

let server: Server;
let url = "";

beforeAll(async () => {
  // /stall never answers; everything else answers 200 {}.
  server = createServer((req, res) => {
    if (req.url?.startsWith("/stall")) return;
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("tuningFromEnv", () => {
  it("defaults, and reads the MEMLINT_* settings", () => {
    expect(tuningFromEnv({})).toEqual(DEFAULT_TUNING);
    expect(
      tuningFromEnv({
        MEMLINT_REQUEST_TIMEOUT_MS: "1500",
        MEMLINT_MAX_RETRY_AFTER_S: "5",
        MEMLINT_WRITE_INTERVAL_MS: "10",
        MEMLINT_RETRY_BASE_MS: "20",
        MEMLINT_GITHUB_API_URL: "http://127.0.0.1:1234/",
      }),
    ).toEqual({ requestTimeoutMs: 1500, maxRetryAfterS: 5, rateLimitRetries: 2, writeIntervalMs: 10, notificationIntervalMs: 10, retryBaseMs: 20, apiUrl: "http://127.0.0.1:1234" });
    expect(tuningFromEnv({ MEMLINT_REQUEST_TIMEOUT_MS: "soon" }).requestTimeoutMs).toBe(20_000);
  });
});

describe("fetchWithTimeout", () => {
  it("gives up on a stalled connection with a RequestTimeoutError", async () => {
    // The stalled endpoint never answers: only the time limit ends the request.
    await expect(fetchWithTimeout(200)(`${url}/stall`)).rejects.toBeInstanceOf(RequestTimeoutError);
    const ok = await fetchWithTimeout(10_000)(`${url}/fine`);
    expect(await ok.json()).toEqual({});
  });

  it("through Octokit: a stalled request fails as 'no answer', which may have landed", async () => {
    const Octokit = memlintOctokit({ ...DEFAULT_TUNING, requestTimeoutMs: 200, apiUrl: url });
    const octokit = new Octokit({ throttle: { enabled: false }, retry: { enabled: false } });
    const err = await octokit.request("POST /stall").catch((e: unknown) => e);
    expect(describeRequestError(err)).toBe("POST /stall → no answer from GitHub within 200 ms");
    expect(mayHaveLanded(err)).toBe(true);
  });
});

describe("pacing ids", () => {
  it("the Octokit of a webhook event (auth with an installation, no throttle id) is paced per installation", () => {
    const seen: unknown[] = [];
    const Octokit = memlintOctokit(DEFAULT_TUNING).plugin((_octokit, options) => {
      seen.push((options as { throttle?: { id?: unknown } }).throttle?.id);
      return {};
    });
    new Octokit({ auth: { installationId: 31337 }, authStrategy: () => ({ hook: (request: (o: unknown) => unknown, o: unknown) => request(o) }) } as never);
    expect(seen).toEqual(["31337"]);
  });
});
