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
import { triggerWords, TriggerWords } from "../../src/engine/prefilter.js";
import { PackageIndex, SourceFile } from "../../src/engine/source.js";
import type { Rule, TriggerContext } from "../../src/engine/types.js";
import { RULES } from "../../src/rules/index.js";
import { unusedIgnore } from "../../src/rules/unused-ignore.js";
import { FIXTURES, fixtureFiles, fixtureOptions } from "../helpers/fixtures.js";

beforeAll(initParser);

const context: TriggerContext = { path: "a.go", packageWords: () => new Set(), packageContains: () => false, functionsReturning: () => [] };
const ruleWith = (id: string, triggers: Rule["triggers"]): Rule => ({ meta: { ...RULES[0]!.meta, id }, ...(triggers ? { triggers } : {}), check: () => {} });

describe("triggerWords", () => {
  it("matches whole words only, and always `memlint` directives", () => {
    const words = triggerWords([ruleWith("a", ["go", "NewTicker"])], context)!;
    expect(words.mentionedIn("\tgo serve()")).toBe(true);
    expect(words.mentionedIn("t := time.NewTicker(d)")).toBe(true);
    expect(words.mentionedIn("//memlint:ignore x -- y")).toBe(true);
    expect(words.mentionedIn("goto done; NewTickerFor(); algo; _go; go2")).toBe(false);
  });

  it("knows words of any script as Go does: letters and digits of every script belong to the word", () => {
    const words = triggerWords([ruleWith("a", ["hitsPerPathÄ", "ÉtatGlobal", "𝑥go"])], context)!;
    expect(words.mentionedIn("\thitsPerPathÄ[k]++")).toBe(true);
    expect(words.mentionedIn("x := ÉtatGlobal")).toBe(true);
    expect(words.mentionedIn("y := 𝑥go")).toBe(true);
    expect(words.mentionedIn("hitsPerPath[k]++; hitsPerPathÄÖ[k]++; hitsPerPathÄ٣ = 1")).toBe(false);
    // A character that is no letter or digit (an arrow, a dash) ends a word, as a space does.
    expect(triggerWords([ruleWith("a", ["go"])], context)!.mentionedIn("// →go—")).toBe(true);
  });

  it("searches only the range it is given", () => {
    const words = new TriggerWords(["defer"]);
    const text = "func a() {}\nfunc b() { defer f() }\n";
    expect(words.mentionedIn(text, 0, 12)).toBe(false);
    expect(words.mentionedIn(text, 12, text.length)).toBe(true);
    // A word cut by the end of the range is another word.
    expect(words.mentionedIn(text, 12, text.indexOf("defer") + 3)).toBe(false);
  });

  it("is undefined when one rule may report anywhere, or says so through its function", () => {
    expect(triggerWords([ruleWith("a", ["go"]), ruleWith("b", undefined)], context)).toBeUndefined();
    expect(triggerWords([ruleWith("a", ["go"]), ruleWith("b", () => undefined)], context)).toBeUndefined();
    expect(triggerWords([ruleWith("a", (ctx) => (ctx.packageContains("x") ? ["x"] : []))], context)?.mentionedIn("x")).toBe(false);
  });

  it("counts a rule's words only where its test passes too", () => {
    const concat: Rule = { ...ruleWith("a", ["for"]), triggerTest: (text) => text.includes("+=") };
    const words = triggerWords([concat, ruleWith("b", ["go"])], context)!;
    expect(words.mentionedIn("for _, p := range ps { s += p }")).toBe(true);
    expect(words.mentionedIn("for i := 0; i < n; i++ { f(i) }")).toBe(false);
    expect(words.mentionedIn("s += p")).toBe(false);
    expect(words.mentionedIn("for i := 0; i < n; i++ { go f(i) }")).toBe(true);
  });

  it("rejects a trigger that is not a Go word, listed or computed", () => {
    expect(() => triggerWords([ruleWith("a", ["time.After"])], context)).toThrow(/rule a: trigger "time.After"/);
    expect(() => triggerWords([ruleWith("b", () => ["ok", "a-b"])], context)).toThrow(/rule b: trigger "a-b"/);
  });
});

describe("SourceFile with triggers", () => {
  it("parses the selected declarations that mention a trigger and clears the others", () => {
    const text = "package p\n\nfunc Quiet() int { return 1 }\n\nfunc Busy() {\n\tgo work()\n}\n\nfunc Broken( {\n}\n";
    const file = new SourceFile("p.go", text, "all", { triggers: () => new TriggerWords(["go"]) });
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
      const options = { ...fixtureOptions(file, RULES), unusedIgnore, packageIndex: index };
      const input = { path: file.name, head: file.source, base: file.base ?? null };
      const on = analyzeFile(input, options);
      const off = analyzeFile(input, { ...options, prefilter: false });
      expect(summary(on)).toEqual(summary(off));
    }
  });
});
