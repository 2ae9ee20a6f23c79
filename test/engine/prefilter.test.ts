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

const context: TriggerContext = { path: "a.go", packageWords: () => new Set(), packageContains: () => false, functionsReturning: () => [], imports: () => false, packageImports: () => false };
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
    expect(triggerWords([ruleWith("a", ["go"])], context)!.mentionedIn('s := "→go—"')).toBe(true);
  });

  it("reads no words in comments but directives, and knows a comment from `//` in a literal", () => {
    const words = triggerWords([ruleWith("a", ["go", "linkname"])], context)!;
    expect(words.mentionedIn("// Serve starts the loop; callers go on.\nfunc Serve() {}")).toBe(false);
    expect(words.mentionedIn("func f() { /* go\nfunc */ g() }")).toBe(false);
    expect(words.mentionedIn("func f() {\n\tg() // go")).toBe(false);
    expect(words.mentionedIn("//go:linkname now runtime.nanotime")).toBe(true);
    expect(words.mentionedIn("// TODO\n//memlint:ignore goroutine-no-exit -- y")).toBe(true);
    expect(words.mentionedIn('u := "http://h/"; go serve(u)')).toBe(true);
    expect(words.mentionedIn("u := `//`; go serve(u)")).toBe(true);
    expect(words.mentionedIn("q := '\"'; s := \"a\\\"//\"; go serve(q, s)")).toBe(true);
    // An unclosed literal ends with its line.
    expect(words.mentionedIn('s := "x\n\tgo serve()')).toBe(true);
    expect(words.mentionedIn('s := "x\n// go')).toBe(false);
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

  it("tells each declaration's rules apart when listed and computed words mix and share words, call after call", () => {
    const fixed = ruleWith("fixed", ["Lock", "defer"]);
    const other = ruleWith("other", ["go"]);
    const byPackage = ruleWith("byPackage", (ctx) => (ctx.path === "a.go" ? ["Lock", "hits"] : ["misses"]));
    const ids = (words: TriggerWords<Rule> | undefined, text: string) => words!.ownersIn(text).owners.map((r) => r.meta.id).sort();
    for (let round = 0; round < 2; round++) {
      const inA = triggerWords([fixed, byPackage, other], context);
      expect(ids(inA, "mu.Lock()")).toEqual(["byPackage", "fixed"]);
      expect(ids(inA, "hits[k]++; go f()")).toEqual(["byPackage", "other"]);
      expect(ids(inA, "misses[k]++")).toEqual([]);
      const inB = triggerWords([fixed, byPackage, other], { ...context, path: "b.go" });
      expect(ids(inB, "mu.Lock()")).toEqual(["fixed"]);
      expect(ids(inB, "misses[k]++")).toEqual(["byPackage"]);
      // Another list of rules (test code runs fewer) is indexed on its own.
      const fewer = triggerWords([other, byPackage], context);
      expect(ids(fewer, "mu.Lock(); defer mu.Unlock(); go f()")).toEqual(["byPackage", "other"]);
    }
  });

  it("indexes once the words that the files of a package compute alike, and tells other words apart", () => {
    const byPackage = ruleWith("byPackage", (ctx) => (ctx.path.startsWith("a/") ? ["hits", "misses"] : ["other"]));
    const inA = triggerWords([byPackage], { ...context, path: "a/x.go" });
    expect(triggerWords([byPackage], { ...context, path: "a/y.go" })).toBe(inA);
    const inB = triggerWords([byPackage], { ...context, path: "b/x.go" });
    expect(inB).not.toBe(inA);
    expect(inB!.mentionedIn("hits[k]++")).toBe(false);
    expect(inB!.mentionedIn("other[k]++")).toBe(true);
    expect(triggerWords([byPackage], { ...context, path: "a/z.go" })).toBe(inA);
  });

  it("rejects a trigger that is not a Go word, listed or computed", () => {
    expect(() => triggerWords([ruleWith("a", ["time.After"])], context)).toThrow(/rule a: trigger "time.After"/);
    expect(() => triggerWords([ruleWith("b", () => ["ok", "a-b"])], context)).toThrow(/rule b: trigger "a-b"/);
  });
});

describe("the rules a declaration concerns", () => {
  const go = ruleWith("go-rule", ["go"]);
  const defer = ruleWith("defer-rule", ["defer"]);
  const concat: Rule = { ...ruleWith("concat-rule", ["for"]), triggerTest: (text) => text.includes("+=") };
  const names: Rule = { ...ruleWith("names-rule", ["cache", "seen"]), triggerTest: (text, words) => /(\w+)\[/.test(text) && words.has(/(\w+)\[/.exec(text)![1]!) };
  const words = triggerWords([go, defer, concat, names], context)!;

  it("lists every rule with a word there whose test passes, in the order first seen", () => {
    expect(words.ownersIn("defer f(); go g(); defer h()").owners).toEqual([defer, go]);
    expect(words.ownersIn("for _, p := range ps { s += p; go f() }").owners).toEqual([concat, go]);
    expect(words.ownersIn("for i := 0; i < n; i++ { f(i) }")).toEqual({ mentioned: false, owners: [] });
  });

  it("hands a test the rule's own words", () => {
    expect(words.ownersIn("seen[k] = true").owners).toEqual([names]);
    expect(words.ownersIn("other[k] = seen").owners).toEqual([]);
  });

  it("parses a declaration with a directive that concerns no rule", () => {
    expect(words.ownersIn("//memlint:ignore x -- y\nfunc f() {}")).toEqual({ mentioned: true, owners: [] });
  });
});

describe("rules look only at their declarations", () => {
  it("runs a rule's check over the declarations that mention its words, and not at all without one", () => {
    const seen = new Map<string, string[]>();
    const spy = (id: string, triggers: string[]): Rule => ({
      ...ruleWith(id, triggers),
      check: (ctx) => seen.set(id, ctx.declarations.map((d) => d.child("name")?.text ?? "")),
    });
    const text = "package p\n\nfunc A() {\n\tgo work()\n}\n\nfunc B() {\n\tdefer done()\n}\n\nfunc C() {\n\tgo x()\n\tdefer y()\n}\n";
    const rules = [spy("go-rule", ["go"]), spy("defer-rule", ["defer"]), spy("tick-rule", ["NewTicker"])];
    analyzeFile({ path: "p.go", head: text, base: null }, { rules, knownRuleIds: new Set(rules.map((r) => r.meta.id)) });
    expect(Object.fromEntries(seen)).toEqual({ "go-rule": ["A", "C"], "defer-rule": ["B", "C"] });
    seen.clear();
    analyzeFile({ path: "p.go", head: text, base: null }, { rules, knownRuleIds: new Set(rules.map((r) => r.meta.id)), prefilter: false });
    expect(Object.fromEntries(seen)).toEqual({ "go-rule": ["A", "B", "C"], "defer-rule": ["A", "B", "C"], "tick-rule": ["A", "B", "C"] });
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
