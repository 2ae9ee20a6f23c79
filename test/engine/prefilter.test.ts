/**
 * The prefilter: a touched declaration that mentions no trigger word of an enabled rule is not
 * parsed. It must never change what is reported: every fixture, analyzed with every rule and
 * its package around it, gives the same findings with and without it.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile, type FileAnalysis } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { triggerPattern } from "../../src/engine/prefilter.js";
import { PackageIndex, SourceFile } from "../../src/engine/source.js";
import type { Rule, TriggerContext } from "../../src/engine/types.js";
import { KNOWN_RULE_IDS, RULES } from "../../src/rules/index.js";
import { unusedIgnore } from "../../src/rules/unused-ignore.js";
import { FIXTURES, fixtureFiles } from "../helpers/fixtures.js";

beforeAll(initParser);

const context: TriggerContext = { path: "a.go", contractRequire: [], packageDeclarations: () => [], packageContains: () => false, functionsReturning: () => [] };
const ruleWith = (id: string, triggers: Rule["triggers"]): Rule => ({ meta: { ...RULES[0]!.meta, id }, ...(triggers ? { triggers } : {}), check: () => {} });

describe("triggerPattern", () => {
  it("matches whole words only, and always `memlint` directives", () => {
    const pattern = triggerPattern([ruleWith("a", ["go", "NewTicker"])], context)!;
    expect(pattern.test("\tgo serve()")).toBe(true);
    expect(pattern.test("t := time.NewTicker(d)")).toBe(true);
    expect(pattern.test("//memlint:ignore x -- y")).toBe(true);
    expect(pattern.test("goto done; NewTickerFor(); algo")).toBe(false);
  });

  it("matches a word that ends in a non-ASCII letter (where `\\b` sees no boundary)", () => {
    const pattern = triggerPattern([ruleWith("a", ["hitsPerPathÄ", "ÉtatGlobal"])], context)!;
    expect(pattern.test("\thitsPerPathÄ[k]++")).toBe(true);
    expect(pattern.test("x := ÉtatGlobal")).toBe(true);
    expect(pattern.test("hitsPerPath[k]++")).toBe(false);
  });

  it("is undefined when one rule may report anywhere, or says so through its function", () => {
    expect(triggerPattern([ruleWith("a", ["go"]), ruleWith("b", undefined)], context)).toBeUndefined();
    expect(triggerPattern([ruleWith("a", ["go"]), ruleWith("b", () => undefined)], context)).toBeUndefined();
    expect(triggerPattern([ruleWith("a", (ctx) => (ctx.packageContains("x") ? ["x"] : []))], context)?.test("x")).toBe(false);
  });

  it("rejects a trigger that is not a Go word", () => {
    expect(() => triggerPattern([ruleWith("a", ["time.After"])], context)).toThrow(/rule a: trigger "time.After"/);
  });
});

describe("SourceFile with triggers", () => {
  it("parses the selected declarations that mention a trigger and clears the others", () => {
    const text = "package p\n\nfunc Quiet() int { return 1 }\n\nfunc Busy() {\n\tgo work()\n}\n\nfunc Broken( {\n}\n";
    const file = new SourceFile("p.go", text, "all", { triggers: () => /\bgo\b/ });
    expect(file.analyzed.map((d) => d.decl.key)).toEqual(["Busy"]);
    expect(file.cleared.map((d) => d.key)).toEqual(["Quiet", "Broken"]);
    expect(file.skipped).toEqual([]);
  });
});

describe("with and without the prefilter", () => {
  const dirs = readdirSync(join(FIXTURES, "rules")).map((id) => join(FIXTURES, "rules", id));
  const summary = (a: FileAnalysis) =>
    [...a.introduced, ...a.preexisting, ...a.suppressed.map((s) => s.finding)].map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.severity} ${f.fingerprint} ${f.message}`);

  it.each(dirs.map((d) => [d.slice(d.lastIndexOf("/") + 1), d] as const))("%s: every fixture gives the same findings", (_id, dir) => {
    const files = fixtureFiles(dir);
    for (const file of files) {
      const index = new PackageIndex(() => ({ files: files.map((f) => ({ path: f.name, text: f.source })) }));
      const options = { rules: RULES, knownRuleIds: KNOWN_RULE_IDS, unusedIgnore, packageIndex: index, ...(file.goVersion ? { goVersion: file.goVersion } : {}), ...file.options };
      const input = { path: file.name, head: file.source, base: file.base ?? null };
      const on = analyzeFile(input, options);
      const off = analyzeFile(input, { ...options, prefilter: false });
      expect(summary(on)).toEqual(summary(off));
    }
  });
});
