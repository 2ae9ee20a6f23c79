/**
 * `constantIterations`: how many times a loop runs when the code fixes it, including a range
 * over a package-level table declared in another file of the package.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { constantIterations } from "../../src/analysis/constants.js";
import { analyzeFile } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { PackageIndex } from "../../src/engine/source.js";
import type { Rule } from "../../src/engine/types.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";

beforeAll(initParser);

/** Reports every for statement with its constant iteration count, or "?". */
const probe: Rule = {
  meta: { id: "probe", category: "leak-resource", severity: "info", title: "probe", rationale: "", fix: "", bad: "", good: "", suggestion: "none", inTests: "report" },
  check(ctx) {
    for (const loop of ctx.nodes("for_statement")) ctx.report({ node: loop, message: String(constantIterations(loop, ctx.file) ?? "?") });
  },
};

function counts(body: string, siblings: Record<string, string> = {}): string[] {
  const head = `package store\n\nconst three = 3\n\nfunc run(names []string, n int) {\n${body}\n}\n`;
  const files = { "store/run.go": head, ...siblings };
  const index = new PackageIndex((dir) => Object.entries(files).filter(([p]) => p.startsWith(`${dir}/`)).map(([path, text]) => ({ path, text })));
  return analyzeFile({ path: "store/run.go", head, base: null }, { rules: [probe], knownRuleIds: new Set([...KNOWN_RULE_IDS, "probe"]), packageIndex: index }).introduced.map((f) => f.message);
}

describe("constantIterations", () => {
  it("counts constant ranges, counted loops and literals", () => {
    expect(counts("\tfor range 4 {\n\t}")).toEqual(["4"]);
    expect(counts("\tfor i := 0; i < three; i++ {\n\t}")).toEqual(["3"]);
    expect(counts("\tfor i := 1; i <= 2*three; i += 1 {\n\t}")).toEqual(["6"]);
    expect(counts('\tfor _, s := range []string{"a", "b"} {\n\t\t_ = s\n\t}')).toEqual(["2"]);
    expect(counts('\tlocal := []string{"a", "b", "c"}\n\tfor range local {\n\t}')).toEqual(["3"]);
  });

  it("knows nothing of loops bounded at run time or counters the body moves", () => {
    expect(counts("\tfor i := 0; i < n; i++ {\n\t}")).toEqual(["?"]);
    expect(counts("\tfor range names {\n\t}")).toEqual(["?"]);
    expect(counts("\tfor i := 0; i < three; i++ {\n\t\ti--\n\t}")).toEqual(["?"]);
    expect(counts('\tlocal := []string{"a"}\n\tlocal = append(local, names...)\n\tfor range local {\n\t}')).toEqual(["?"]);
  });

  it("a package-level table of another file counts unless some function of the package writes it", () => {
    const table = 'package store\n\nvar builtins = []string{"chain", "state"}\n';
    expect(counts("\tfor range builtins {\n\t}", { "store/table.go": table })).toEqual(["2"]);
    const grows = `${table}\nfunc Register(name string) { builtins = append(builtins, name) }\n`;
    expect(counts("\tfor range builtins {\n\t}", { "store/table.go": grows })).toEqual(["?"]);
  });
});
