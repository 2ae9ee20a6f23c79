/**
 * Severities chosen by the precision audit (docs/precision-audit.md): where a heuristic has
 * only weak evidence, the finding is `info`; with strong evidence it keeps the rule's severity.
 * The fixture markers (`// want`) check only that a line fires; these cases pin the level.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { initParser } from "../../src/engine/parser.js";
import type { Severity } from "../../src/engine/types.js";
import { RULES } from "../../src/rules/index.js";
import { checkFixture, FIXTURES, fixtureFiles } from "../helpers/fixtures.js";

beforeAll(initParser);

/** [rule, fixture file, a unique piece of the reported line, expected severity]. */
const CASES: readonly (readonly [string, string, string, Severity])[] = [
  ["time-after-in-loop", "shutdown.go", "case <-time.After(ackWait):", "info"],
  ["time-after-in-loop", "shutdown.go", "case <-time.After(time.Minute):", "warning"],
  ["file-not-closed", "cmd_main.go", `os.Open("tables.txt")`, "info"],
  ["file-not-closed", "cmd_main.go", `os.Create("tables.go")`, "info"],
  ["file-not-closed", "cmd_main.go", "os.Open(extra)", "warning"],
  ["http-body-not-closed", "cmd_main.go", "http.Get(os.Args[1])", "info"],
  ["http-body-not-closed", "cmd_main.go", "http.Get(u)", "error"],
  ["http-body-not-closed", "usage.go", `client.Get("https://example.com/user")`, "error"],
  ["http-body-not-closed", "usage.go", `client.Get("https://example.com/profile")`, "info"],
  ["slice-pop-retention", "queue.go", "q.items = q.items[1:] // want", "warning"],
  ["slice-pop-retention", "queue.go", "j, q.items = q.items[0], q.items[1:]", "info"],
  ["slice-pop-retention", "queue.go", "b.calls = b.calls[1:]", "info"],
  ["slice-pop-retention", "queue.go", "s.msgs = s.msgs[1:]", "info"],
  ["slice-pop-retention", "stack.go", "s.frames = s.frames[:len(s.frames)-1]", "info"],
  ["slice-pop-retention", "stack.go", "pending = pending[1:]", "info"],
  ["global-map-unbounded", "caches.go", "styles[key] = s", "info"],
  ["global-map-unbounded", "caches.go", `limiters[r.Header.Get("X-Api-Key")] = l`, "warning"],
  ["global-map-unbounded", "sessions.go", "peers.LoadOrStore(addr, p)", "info"],
  ["global-map-unbounded", "sessions.go", "visits[r.URL.Path]++", "warning"],
  ["global-map-unbounded", "sessions.go", "conns.Store(c.RemoteAddr().String(), c)", "warning"],
  ["global-map-unbounded", "bounded.go", "hitsByIP[c.IP()]++", "warning"],
  ["global-map-unbounded", "bounded.go", "tenants[name] = len(tenants) + 1", "info"],
  ["unbounded-body-read", "library.go", "data, err := io.ReadAll(r.Body)", "info"],
  ["unbounded-body-read", "basic.go", "data, err := io.ReadAll(r.Body)", "warning"],
  ["http-client-no-timeout", "basic.go", "var apiClient = &http.Client{", "info"],
  ["http-client-no-timeout", "basic.go", "c := http.Client{}", "warning"],
  ["http-client-no-timeout", "basic.go", "http.Get(url)", "info"],
  ["http-client-no-timeout", "deadlines.go", "return &Fetcher{client: &http.Client{}}", "info"],
  ["http-transport-per-call", "basic.go", "Transport: &http.Transport{TLSClientConfig: p.tls},", "warning"],
  ["http-transport-per-call", "basic.go", "(&http.Client{Transport: &http.Transport{IdleConnTimeout: time.Minute}}).Get(target)", "info"],
  ["http-server-no-timeouts", "callers.go", "net.JoinHostPort(host, port), r.mux", "info"],
  ["http-server-no-timeouts", "callers.go", "net.JoinHostPort(host, \"8080\"), h", "warning"],
  ["http-server-no-timeouts", "exposure.go", "http.ListenAndServe(endpoint, nil)", "info"],
  ["http-server-no-timeouts", "exposure.go", `srv := &http.Server{Addr: fmt.Sprintf("localhost:%d", port)`, "info"],
  ["http-server-no-timeouts", "exposure.go", "return http.Serve(ln, h)", "info"],
  ["http-server-no-timeouts", "exposure.go", "return (&http.Server{Addr: addr, Handler: mux}).ListenAndServe() // want \"http-server-no-timeouts: debug", "info"],
  ["http-server-no-timeouts", "exposure.go", `http.ListenAndServe("0.0.0.0:8080", h)`, "warning"],
  ["goroutine-blocked-send", "service_windows.go", "go func() { // want \"goroutine-blocked-send: this code", "info"],
  ["goroutine-blocked-send", "service_windows.go", "go func() { // want \"goroutine-blocked-send: when", "error"],
  ["goroutine-blocked-send", "accept_loop.go", "`errChan` is unbuffered", "error"],
  ["goroutine-blocked-send", "accept_loop.go", "`lines` is unbuffered", "info"],
  ["conn-not-closed", "dial.go", `ln, err := net.Listen("tcp", ":"+strconv.Itoa(port))`, "info"],
  ["conn-not-closed", "dial.go", `ln, err := net.Listen("tcp", addr) // want`, "warning"],
  ["defer-in-loop", "command.go", "defer cancel()", "info"],
  ["defer-in-loop", "command.go", "defer conn.Close()", "warning"],
  ["defer-in-loop", "selected.go", "pass `l.MediaType != mediaParams` get here", "info"],
  ["defer-in-loop", "selected.go", "defer f.Close() // want \"defer-in-loop: only the elements that pass\"", "info"],
  ["exec-start-without-wait", "openers.go", `exec.Command("open", url).Start()`, "info"],
  ["exec-start-without-wait", "openers.go", "return cmd.Start() // want", "info"],
  ["exec-start-without-wait", "openers.go", `exec.Command("evince", path).Start()`, "warning"],
  ["exec-start-without-wait", "restart.go", "if err := cmd.Start(); err != nil", "info"],
  ["exec-start-without-wait", "restart.go", "return cmd.Start()", "warning"],
];

describe("severity of audited findings", () => {
  it.each(CASES.map((c) => [`${c[0]} ${c[1]}: ${c[2]}`, c] as const))("%s", (_name, [id, fileName, text, severity]) => {
    const rule = RULES.find((r) => r.meta.id === id)!;
    const file = fixtureFiles(join(FIXTURES, "rules", id)).find((f) => f.name === fileName)!;
    const lines = file.source.split("\n");
    const line = lines.findIndex((l) => l.includes(text)) + 1;
    expect(line, `"${text}" in ${fileName}`).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes(text)), "the text names one line").toHaveLength(1);
    const found = checkFixture(file, [rule]).filter((f) => f.line === line);
    expect(found.map((f) => f.severity)).toEqual([severity]);
  });
});
