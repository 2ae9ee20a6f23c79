import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile, type AnalyzeOptions } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { isTestFunctionName, isTestSource } from "../../src/engine/test-code.js";
import { KNOWN_RULE_IDS, RULES } from "../../src/rules/index.js";
import { unusedIgnore } from "../../src/rules/unused-ignore.js";

beforeAll(initParser);

// The fixtures fetch with http.Get: the default client's missing timeout is another rule's business.
const options: AnalyzeOptions = { rules: RULES.filter((r) => r.meta.id !== "http-client-no-timeout"), knownRuleIds: KNOWN_RULE_IDS, unusedIgnore };
const go = (...lines: string[]) => `${lines.join("\n")}\n`;
const found = (path: string, head: string, extra: Partial<AnalyzeOptions> = {}) =>
  analyzeFile({ path, base: null, head }, { ...options, ...extra }).introduced.map((f) => `${f.line}:${f.ruleId}:${f.severity}`);

// An unclosed response body (skipped in test code) and a goroutine that never ends, started per
// request (info in test code).
const client = (header: string[] = [], fn = "Fetch") =>
  go(
    ...header,
    "package client", // 1
    "", // 2
    'import "net/http"', // 3
    "", // 4
    `func ${fn}(w http.ResponseWriter, url string, work func()) int {`, // 5
    "\tgo func() {", // 6
    "\t\tfor {", // 7
    "\t\t\twork()", // 8
    "\t\t}", // 9
    "\t}()", // 10
    "\tresp, err := http.Get(url)", // 11
    "\tif err != nil {", // 12
    "\t\treturn 0", // 13
    "\t}", // 14
    "\treturn resp.StatusCode", // 15
    "}", // 16
  );

describe("test code", () => {
  it("is a _test.go file, a file built only on request, or a test function", () => {
    expect(isTestSource("pkg/client_test.go", "package client\n")).toBe(true);
    expect(isTestSource("gen.go", "//go:build ignore\n\npackage main\n")).toBe(true);
    expect(isTestSource("gen.go", "//go:build ignore && linux\n\npackage main\n")).toBe(true);
    expect(isTestSource("gen.go", "// +build ignore\n\npackage main\n")).toBe(true);
    expect(isTestSource("gen.go", "// Copyright.\n\n//go:build ignore\n// +build ignore\n\npackage main\n")).toBe(true);
    // Near misses: a negated or alternative tag, a constraint after the package clause.
    expect(isTestSource("client.go", "//go:build !ignore\n\npackage client\n")).toBe(false);
    expect(isTestSource("client.go", "//go:build linux || ignore\n\npackage client\n")).toBe(false);
    expect(isTestSource("client.go", "// +build linux ignore\n\npackage client\n")).toBe(false);
    expect(isTestSource("client.go", "package client\n\n//go:build ignore\n")).toBe(false);
    expect(isTestSource("testing.go", "package client\n")).toBe(false);
    expect(["TestFetch", "Test", "Benchmark_x", "FuzzParse", "ExampleClient", "Test2"].every(isTestFunctionName)).toBe(true);
    expect(["Testify", "Tester", "Examples", "Fuzzy"].some(isTestFunctionName)).toBe(false);
  });

  it("gets each rule's test policy: skipped, reported as info, or reported as elsewhere", () => {
    expect(found("client.go", client())).toEqual(["6:goroutine-no-exit:warning", "11:http-body-not-closed:error"]);
    expect(found("client_test.go", client())).toEqual(["6:goroutine-no-exit:info"]);
    expect(found("gen.go", client(["//go:build ignore", ""]))).toEqual(["8:goroutine-no-exit:info"]);
    expect(found("client.go", client([], "TestFetch"))).toEqual(["6:goroutine-no-exit:info"]);
    expect(found("examples/client.go", client(), { isTestCode: (path) => path.startsWith("examples/") })).toEqual(["6:goroutine-no-exit:info"]);
  });

  it("keeps the test policy over a configured severity", () => {
    expect(found("client_test.go", client(), { severity: { "goroutine-no-exit": "error" } })).toEqual(["6:goroutine-no-exit:info"]);
    expect(found("client.go", client(), { severity: { "goroutine-no-exit": "error" } })).toContain("6:goroutine-no-exit:error");
  });

  it("does not call a suppression of a rule that test code skips unused", () => {
    const src = client().replace("\treturn resp.StatusCode\n", "\treturn resp.StatusCode //memlint:ignore http-body-not-closed -- closed by the caller's transport\n");
    expect(found("client_test.go", src)).toEqual(["6:goroutine-no-exit:info"]);
  });
});

describe("suppressions of other linters", () => {
  const body = (directive: string) => client().replace("\tresp, err := http.Get(url)\n", `\tresp, err := http.Get(url) ${directive}\n`);

  it("silence a rule that lists their check as equivalent", () => {
    const r = analyzeFile({ path: "client.go", base: null, head: body("//nolint:bodyclose // closed by the transport") }, options);
    expect(r.introduced.map((f) => f.ruleId)).toEqual(["goroutine-no-exit"]);
    expect(r.suppressed.map((s) => [s.finding.ruleId, s.line, s.reason])).toEqual([["http-body-not-closed", 11, "closed by the transport"]]);
    expect(found("client.go", body("//nolint:errcheck,bodyclose"))).toEqual(["6:goroutine-no-exit:warning"]);
    // golangci-lint reads the list with spaces too.
    expect(found("client.go", body("// nolint: errcheck, bodyclose"))).toEqual(["6:goroutine-no-exit:warning"]);
  });

  it("leave other rules alone, and are never reported as unused", () => {
    expect(found("client.go", body("//nolint:errcheck // the error is checked below"))).toEqual(["6:goroutine-no-exit:warning", "11:http-body-not-closed:error"]);
    expect(found("client.go", body("//lint:ignore SA1019 the deprecated call is wanted"))).toEqual(["6:goroutine-no-exit:warning", "11:http-body-not-closed:error"]);
    expect(found("client.go", body("// #nosec G107 -- the URL is a constant"))).toEqual(["6:goroutine-no-exit:warning", "11:http-body-not-closed:error"]);
  });

  const server = (line: string, header: string[] = []) =>
    go(
      ...header,
      "package server",
      "",
      'import "net/http"',
      "",
      "func Serve(h http.Handler) error {",
      ...line.split("\n"),
      "}",
    );

  it("reads gosec's #nosec with and without rule ids, and staticcheck's //lint:ignore", () => {
    const serve = "\treturn http.ListenAndServe(\":8080\", h)";
    expect(found("server.go", server(serve))).toEqual(["6:http-server-no-timeouts:warning"]);
    expect(found("server.go", server(`${serve} // #nosec G114 -- behind a proxy with timeouts`))).toEqual([]);
    expect(found("server.go", server(`${serve} //#nosec`))).toEqual([]);
    expect(found("server.go", server(`${serve} //nolint:gosec // behind a proxy`))).toEqual([]);
    expect(found("server.go", server(`${serve} // #nosec G104`))).toEqual(["6:http-server-no-timeouts:warning"]);
    expect(found("server.go", server(`\t// #nosec G114\n${serve}`))).toEqual([]);
    expect(found("server.go", server(`\t// some text #nosec G114\n${serve}`))).toEqual(["7:http-server-no-timeouts:warning"]);
  });

  it("covers the whole file from //lint:file-ignore and from a //nolint on the package clause", () => {
    const pool = (header: string[]) =>
      go(...header, "package cache", "", 'import "sync"', "", "var pool sync.Pool", "", "func Release(b []byte) {", "\tpool.Put(b[:0])", "}");
    expect(found("cache.go", pool([]))).toEqual(["8:pool-put-non-pointer:warning"]);
    expect(found("cache.go", pool(["//lint:file-ignore SA6002 slices are pooled on purpose"]))).toEqual([]);
    expect(found("cache.go", pool(["//lint:file-ignore SA6* slices are pooled on purpose"]))).toEqual([]);
    expect(found("cache.go", pool(["//lint:file-ignore SA6002"]))).toEqual(["9:pool-put-non-pointer:warning"]);
    expect(found("cache.go", pool(["// Package cache pools buffers.", "//nolint:staticcheck // slices are pooled on purpose"]))).toEqual([]);
    expect(found("cache.go", pool(["//nolint:staticcheck", ""]))).toEqual(["10:pool-put-non-pointer:warning"]);
  });
});
