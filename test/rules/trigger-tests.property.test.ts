/**
 * A text test may say yes wrongly, never no: the findings must be the same whether the prefilter
 * lets a declaration through or every declaration is parsed. Here for
 * `http-body-close-before-err-check`, whose text test reads bindings and the statement after them:
 * functions made of the statements that decide it, in any order and nesting, some with layouts
 * the text test must not misread (a check in a comment or a string, a binding over two lines).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile, type AnalyzeOptions } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";
import bodyCloseBeforeErrCheck from "../../src/rules/http-body-close-before-err-check.js";

beforeAll(initParser);

const BINDINGS = [
  "resp, err := http.Get(u)",
  "resp, err = client.Do(req)",
  "var resp, err = http.Get(u)",
  "resp, _ := http.Get(u)",
  'resp, err := http.Post(u,\n\t\t"text/plain", nil)',
  "resp, err := client.Do(req) /*\n\tif err != nil { */",
  'resp, err := http.Get(")" + u) // if err != nil {',
  "resp,\n\t\terr := http.Get(u)",
];

const OTHERS = [
  "if err != nil {\n\t\treturn err\n\t}",
  "if (err != nil) {\n\t\treturn err\n\t}",
  "if err == nil {\n\t\tdefer resp.Body.Close()\n\t}",
  "if resp != nil {\n\t\tresp.Body.Close()\n\t}",
  "if resp == nil || err != nil {\n\t\treturn err\n\t}",
  "switch {\n\tcase err != nil:\n\t\treturn err\n\t}",
  "defer resp.Body.Close()",
  "resp.Body.Close()",
  "defer resp.Body.\n\t\tClose()",
  "log.Print(u)",
  "// if err != nil {",
  "if resp, err := http.Get(u); err != nil {\n\t\treturn err\n\t} else {\n\t\tresp.Body.Close()\n\t}",
  "go func() {\n\t\tdefer resp.Body.Close()\n\t}()",
];

/** A block of statements, some of them nested in a loop or an `if`. */
const block: fc.Arbitrary<string[]> = fc.letrec<{ block: string[] }>((tie) => ({
  block: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...BINDINGS) },
      { weight: 4, arbitrary: fc.constantFrom(...OTHERS) },
      { weight: 1, arbitrary: fc.constantFrom("for i := 0; i < 2; i++ {", "if u != \"\" {").chain((head) => tie("block").map((inner) => `${head}\n\t${inner.join("\n\t")}\n\t}`)) },
    ),
    { minLength: 1, maxLength: 6 },
  ),
})).block;

const source = (statements: readonly string[]) =>
  `package p\n\nimport (\n\t"log"\n\t"net/http"\n)\n\nfunc f(client *http.Client, req *http.Request, u string) error {\n\t${statements.join("\n\t")}\n\treturn nil\n}\n`;

function findings(text: string, prefilter: boolean): string[] {
  const options: AnalyzeOptions = { rules: [bodyCloseBeforeErrCheck], knownRuleIds: KNOWN_RULE_IDS, prefilter };
  return analyzeFile({ path: "p.go", head: text, base: null }, options).introduced.map((f) => `${f.line}:${f.column} ${f.message}`);
}

describe("http-body-close-before-err-check's text test", () => {
  it("hides no finding: the same findings with the prefilter on and off", () => {
    let reported = 0;
    let kept = 0;
    fc.assert(
      fc.property(block, (statements) => {
        const text = source(statements);
        const all = findings(text, false);
        expect(findings(text, true)).toEqual(all);
        if (all.length > 0) reported++;
        if (!bodyCloseBeforeErrCheck.triggerTest!(text, new Set())) kept++;
      }),
      { numRuns: 400, seed: 20261207 },
    );
    // Not vacuous: the functions have findings, and the text test keeps some out.
    expect(reported).toBeGreaterThan(20);
    expect(kept).toBeGreaterThan(20);
  });
});
