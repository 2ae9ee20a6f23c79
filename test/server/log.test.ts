/** The server's JSON log lines: each key once, and health probes at debug without headers. */
import { describe, expect, it } from "vitest";
import { jsonLogger } from "../../src/log.js";

function capture(level: "info" | "debug") {
  const lines: string[] = [];
  const log = jsonLogger({ LOG_LEVEL: level }, { write: (text: string) => lines.push(text) });
  return { log, lines };
}

/** What pino-http writes for a request: a child bound to the request, a line with the response. */
function request(log: ReturnType<typeof jsonLogger>, url: string) {
  const http = log.child({ name: "probot" }).child({ name: "http" });
  http.child({ req: { id: 1, method: "GET", url, headers: { host: "memlint", authorization: "secret" } } }).info({ res: { statusCode: 200, headers: { "content-type": "application/json" } }, responseTime: 1 }, `GET ${url} 200 - 1ms`);
}

describe("JSON logs", () => {
  it("carry each key once: the innermost logger's name", () => {
    const { log, lines } = capture("info");
    log.child({ name: "probot" }).child({ name: "memlint" }).info("hello");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.match(/"name":/g)).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, name: "memlint", msg: "hello" });
  });

  it("a /healthz probe is a debug line without headers; other requests keep theirs", () => {
    const info = capture("info");
    request(info.log, "/healthz");
    request(info.log, "/api/github/webhooks");
    expect(info.lines).toHaveLength(1);
    expect(JSON.parse(info.lines[0]!).req.headers).toEqual({ host: "memlint", authorization: "secret" });

    const debug = capture("debug");
    request(debug.log, "/healthz?probe=1");
    const line = JSON.parse(debug.lines[0]!);
    expect(line).toMatchObject({ level: 20, req: { method: "GET", url: "/healthz?probe=1" }, res: { statusCode: 200 } });
    expect(line.req.headers).toBeUndefined();
    expect(line.res.headers).toBeUndefined();
  });
});
