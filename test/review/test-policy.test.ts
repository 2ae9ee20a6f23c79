import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/load.js";
import { initParser } from "../../src/engine/parser.js";
import { reviewChange } from "../../src/review/review.js";

beforeAll(initParser);

const fetcher = [
  "package client",
  "",
  'import "net/http"',
  "",
  "func Fetch(url string) int {",
  "\tresp, err := http.Get(url)",
  "\tif err != nil {",
  "\t\treturn 0",
  "\t}",
  "\treturn resp.StatusCode",
  "}",
  "",
].join("\n");

const reviewed = (path: string, configure: (c: ReturnType<typeof defaultConfig>) => void = () => {}) => {
  const config = defaultConfig();
  // http.Get's default client without a timeout is another rule's business.
  config.rules["http-client-no-timeout"] = { enabled: false };
  configure(config);
  return reviewChange([{ path, head: fetcher, base: null }], config, "1.22").introduced.map((f) => `${f.ruleId}:${f.severity}`);
};

describe("test policy under the configuration", () => {
  it("treats the default non-production paths as test code", () => {
    expect(reviewed("client/fetch.go")).toEqual(["http-body-not-closed:error"]);
    for (const path of ["examples/fetch.go", "internal/testutil/fetch.go", "test/e2e/fetch.go", "pkg/client/fake/fetch.go", "hack/fetch.go", "scripts/release/fetch.go", "p2p/transport/testsuite/fetch.go", "integration/dsic/fetch.go", "itest/fetch.go"]) {
      expect(reviewed(path)).toEqual([]);
    }
    // Near misses: names that only start like a test directory.
    expect(reviewed("contest/fetch.go")).toEqual(["http-body-not-closed:error"]);
    expect(reviewed("internal/attest/fetch.go")).toEqual(["http-body-not-closed:error"]);
    expect(reviewed("pkg/integrations/slack/fetch.go")).toEqual(["http-body-not-closed:error"]);
  });

  it("takes paths.non_production and a rule's in_tests from the configuration", () => {
    expect(reviewed("tools/fetch.go")).toEqual(["http-body-not-closed:error"]);
    expect(reviewed("tools/fetch.go", (c) => (c.paths.nonProduction = ["tools/**"]))).toEqual([]);
    expect(reviewed("examples/fetch.go", (c) => (c.paths.nonProduction = []))).toEqual(["http-body-not-closed:error"]);
    const inTests = (policy: "report" | "info") => (c: ReturnType<typeof defaultConfig>) => (c.rules["http-body-not-closed"] = { enabled: true, inTests: policy });
    expect(reviewed("client/fetch_test.go", inTests("report"))).toEqual(["http-body-not-closed:error"]);
    expect(reviewed("client/fetch_test.go", inTests("info"))).toEqual(["http-body-not-closed:info"]);
    expect(reviewed("client/fetch.go", inTests("info"))).toEqual(["http-body-not-closed:error"]);
  });
});
