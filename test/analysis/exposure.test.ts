/**
 * Loopback exposure across the files of a package: the host a server listens on is a parameter,
 * and the package's only call, in another file, gives it 127.0.0.1.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { PackageIndex } from "../../src/engine/source.js";
import { KNOWN_RULE_IDS, RULES } from "../../src/rules/index.js";

beforeAll(initParser);

const RUNNER = `package runner

import (
\t"net"
\t"net/http"
)

type Runner struct{ mux *http.ServeMux }

func (r *Runner) Run(host, port string) error {
\treturn http.ListenAndServe(net.JoinHostPort(host, port), r.mux)
}
`;

const serverGo = (host: string) => `package runner

import "net/http"

func Execute(port string) error {
\tr := &Runner{mux: http.NewServeMux()}
\treturn r.Run("${host}", port)
}
`;

function severityOf(host: string): string | undefined {
  const files = [
    { path: "runner/runner.go", text: RUNNER },
    { path: "runner/server.go", text: serverGo(host) },
  ];
  const rules = RULES.filter((r) => r.meta.id === "http-server-no-timeouts");
  const index = new PackageIndex(() => ({ files }));
  const result = analyzeFile({ path: "runner/runner.go", head: RUNNER, base: null }, { rules, knownRuleIds: KNOWN_RULE_IDS, packageIndex: index });
  return result.introduced.find((f) => f.ruleId === "http-server-no-timeouts")?.severity;
}

describe("a host parameter followed to its callers in other files", () => {
  it("is loopback when the package's call gives it 127.0.0.1", () => {
    expect(severityOf("127.0.0.1")).toBe("info");
  });

  it("stays exposed when the call gives it every interface", () => {
    expect(severityOf("0.0.0.0")).toBe("warning");
  });
});
