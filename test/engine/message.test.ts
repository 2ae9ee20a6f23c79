import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/engine/analyze.js";
import { oneLineCode } from "../../src/engine/message.js";
import { initParser } from "../../src/engine/parser.js";
import { KNOWN_RULE_IDS, RULES } from "../../src/rules/index.js";
import { unusedIgnore } from "../../src/rules/unused-ignore.js";

beforeAll(initParser);

describe("code quoted in a message", () => {
  it("keeps a multi-line span to its first line, an ellipsis and a short closing line", () => {
    expect(oneLineCode("`defer func() {\n\t\tos.Remove(p)\n\t}()` runs when the function returns")).toBe("`defer func() { … }()` runs when the function returns");
    expect(oneLineCode("`go func() {\n\tfor {\n\t}\n}(ctx, conn, queue, results)` and `x`")).toBe("`go func() { …` and `x`");
    // One-line spans and text outside backquotes are left alone.
    expect(oneLineCode("`resp.Body.Close()` is not called\non this path")).toBe("`resp.Body.Close()` is not called\non this path");
  });

  it("applies to what the engine reports", () => {
    const head = [
      "package files",
      "",
      'import "os"',
      "",
      "func RemoveAll(paths []string) {",
      "\tfor _, p := range paths {",
      "\t\tf, err := os.Open(p)",
      "\t\tif err != nil {",
      "\t\t\tcontinue",
      "\t\t}",
      "\t\tdefer func() {",
      "\t\t\tf.Close()",
      "\t\t}()",
      "\t}",
      "}",
      "",
    ].join("\n");
    const r = analyzeFile({ path: "files.go", base: null, head }, { rules: RULES, knownRuleIds: KNOWN_RULE_IDS, unusedIgnore });
    const defer = r.introduced.find((f) => f.ruleId === "defer-in-loop");
    expect(defer?.message).toMatch(/^`defer func\(\) \{ …[^`\n]*` runs when the function returns/);
  });
});
