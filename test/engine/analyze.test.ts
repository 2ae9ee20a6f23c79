import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile, type AnalyzeOptions } from "../../src/engine/analyze.js";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { allLinesChanged } from "../../src/engine/diff.js";
import { initParser } from "../../src/engine/parser.js";
import { FIXTURES, fixtureFiles, fixtureOptions } from "../helpers/fixtures.js";
import type { Rule } from "../../src/engine/types.js";
import { KNOWN_RULE_IDS, RULES } from "../../src/rules/index.js";
import { unusedIgnore } from "../../src/rules/unused-ignore.js";

beforeAll(initParser);

const options: AnalyzeOptions = { rules: RULES, knownRuleIds: KNOWN_RULE_IDS, unusedIgnore };
const go = (...lines: string[]) => `${lines.join("\n")}\n`;
const summary = (r: ReturnType<typeof analyzeFile>) => ({
  introduced: r.introduced.map((f) => `${f.line}:${f.ruleId}`),
  preexisting: r.preexisting.map((f) => `${f.line}:${f.ruleId}`),
});

const base = go(
  "package jobs", // 1
  "", // 2
  'import "sync"', // 3
  "", // 4
  "func Drain(mu *sync.Mutex, jobs []func()) {", // 5
  "\tfor _, job := range jobs {", // 6
  "\t\tmu.Lock()", // 7
  "\t\tdefer mu.Unlock()", // 8
  "\t\tjob()", // 9
  "\t\treturn", // 10
  "\t}", // 11
  "}", // 12
  "", // 13
  "func Legacy(mu *sync.Mutex, n int) {", // 14
  "\tfor i := 0; i < n; i++ {", // 15
  "\t\tmu.Lock()", // 16
  "\t\tdefer mu.Unlock()", // 17
  "\t}", // 18
  "}", // 19
);

describe("differential analysis", () => {
  it("finds nothing introduced when the base equals the head, whatever lines are marked changed (every fixture)", () => {
    const comparing = RULES.filter((r) => r.checkChange);
    expect(comparing.length).toBeGreaterThan(0);
    for (const dir of readdirSync(join(FIXTURES, "rules"))) {
      for (const file of fixtureFiles(join(FIXTURES, "rules", dir))) {
        for (const version of [file.source, file.base].filter((v): v is string => v !== undefined)) {
          const changed = allLinesChanged(version.split("\n").length - 1);
          const r = analyzeFile({ path: file.name, base: version, head: version, changed }, { ...fixtureOptions(file, RULES), unusedIgnore });
          const blamesTouched = new Set(RULES.filter((x) => x.meta.blameTouched).map((x) => x.meta.id));
          expect(r.introduced.filter((f) => !blamesTouched.has(f.ruleId) && f.ruleId !== "unused-ignore" && f.ruleId !== "contract-invalid").map((f) => `${dir}/${file.name}:${f.line} ${f.ruleId}`)).toEqual([]);
        }
      }
    }
  });

  it("reports a finding that a deletion introduces on an unchanged line", () => {
    const head = base.replace("\t\tjob()\n\t\treturn\n", "\t\tjob()\n");
    const r = analyzeFile({ path: "jobs.go", base, head }, options);
    expect(summary(r)).toEqual({ introduced: ["8:defer-in-loop"], preexisting: [] });
    expect([...r.changed.added]).toEqual([]);
    expect(r.analyzed).toEqual(["Drain"]);
  });

  it("gives a finding whose anchor the change did not touch the changed line to comment on", () => {
    const fetchBase = go(
      "package jobs", // 1
      "", // 2
      'import "net/http"', // 3
      "", // 4
      "func Status(c *http.Client, url string) (int, error) {", // 5
      "\tresp, err := c.Get(url)", // 6
      "\tif err != nil {", // 7
      "\t\treturn 0, err", // 8
      "\t}", // 9
      "\tdefer resp.Body.Close()", // 10
      "\treturn resp.StatusCode, nil", // 11
      "}", // 12
    );
    // A deletion: the comment goes where the deleted release was.
    const withoutClose = fetchBase.replace("\tdefer resp.Body.Close()\n", "");
    const deleted = analyzeFile({ path: "jobs.go", base: fetchBase, head: withoutClose }, options);
    expect(deleted.introduced.map((f) => [f.line, f.commentLine])).toEqual([[6, 10]]);
    // An added early return: the comment goes on the return that now leaks.
    const early = fetchBase.replace("\tdefer resp.Body.Close()\n", "\tif resp.StatusCode == 404 {\n\t\treturn 404, nil\n\t}\n\tdefer resp.Body.Close()\n");
    const returned = analyzeFile({ path: "jobs.go", base: fetchBase, head: early }, options);
    expect(returned.introduced.map((f) => [f.line, f.commentLine])).toEqual([[6, 11]]);
    // An anchor the change touched keeps its own line.
    const touched = analyzeFile({ path: "jobs.go", base: fetchBase, head: withoutClose.replace("c.Get(url)", "c.Head(url)") }, options);
    expect(touched.introduced.map((f) => [f.line, f.commentLine])).toEqual([[6, undefined]]);
  });

  it("never blames a change for a finding that was already there", () => {
    const head = base.replace("\tfor i := 0; i < n; i++ {", "\tfor i := 0; i < n*2; i++ {");
    const r = analyzeFile({ path: "jobs.go", base, head }, options);
    expect(summary(r)).toEqual({ introduced: [], preexisting: ["17:defer-in-loop"] });
  });

  it("does not analyze declarations the change does not touch", () => {
    const head = base.replace("\t\tjob()\n", "\t\tjob()\n\t\tjob()\n");
    const r = analyzeFile({ path: "jobs.go", base, head }, options);
    expect(r.analyzed).toEqual(["Drain"]);
    expect(r.preexisting).toEqual([]);
  });

  it("keeps fingerprints when unrelated edits shift lines", () => {
    const head = base.replace('import "sync"\n', 'import "sync"\n\n// A comment that shifts every line.\nvar limit = 3\n').replace("n; i++", "n ; i++");
    const r = analyzeFile({ path: "jobs.go", base, head }, options);
    expect(summary(r)).toEqual({ introduced: [], preexisting: ["20:defer-in-loop"] });
  });

  it("tells apart identical anchors in one function by occurrence", () => {
    const twice = base.replace("\t\tdefer mu.Unlock()\n\t}\n}\n", "\t\tdefer mu.Unlock()\n\t}\n\tfor {\n\t\tmu.Lock()\n\t\tdefer mu.Unlock()\n\t}\n}\n");
    const thrice = twice.replace("\tfor {\n", "\tfor {\n\t\tmu.Lock()\n\t\tdefer mu.Unlock()\n");
    const r = analyzeFile({ path: "jobs.go", base: twice, head: thrice }, options);
    expect(r.introduced).toHaveLength(1);
    expect(r.preexisting).toHaveLength(2);
  });

  it("keeps a growing map's finding pre-existing when only the stored value changes", () => {
    const cache = (value: string) =>
      go("package web", "", 'import "net/http"', "", "var seen = map[string]string{}", "", "func Track(r *http.Request) {", `\tseen[r.URL.Path] = ${value}`, "}");
    const r = analyzeFile({ path: "track.go", base: cache("r.RemoteAddr"), head: cache("r.UserAgent()") }, options);
    expect(summary(r)).toEqual({ introduced: [], preexisting: ["8:global-map-unbounded"] });
  });

  it("runs in the base version only the rules that found something in the head", () => {
    const calls: string[] = [];
    const probe = (id: string, reports: boolean): Rule => ({
      meta: { ...RULES[0]!.meta, id },
      check(ctx) {
        calls.push(`${id} ${ctx.source.includes("n*2") ? "head" : "base"}`);
        if (reports) for (const call of ctx.nodes("call_expression")) ctx.report({ node: call, message: "a call" });
      },
    });
    const head = base.replace("\tfor i := 0; i < n; i++ {", "\tfor i := 0; i < n*2; i++ {");
    const rules = [probe("finds", true), probe("quiet", false)];
    const r = analyzeFile({ path: "jobs.go", base, head }, { rules, knownRuleIds: new Set([...KNOWN_RULE_IDS, "finds", "quiet"]) });
    expect(calls).toEqual(["finds head", "quiet head", "finds base"]);
    expect(r.preexisting.map((f) => `${f.line}:${f.ruleId}`)).toEqual(["16:finds", "17:finds"]);

    // Nothing found in the head: the base version runs no rule.
    calls.length = 0;
    analyzeFile({ path: "jobs.go", base, head }, { rules: [probe("quiet", false)], knownRuleIds: new Set([...KNOWN_RULE_IDS, "quiet"]) });
    expect(calls).toEqual(["quiet head"]);
  });

  it("introduces a suppression the change left unused, when the base used it", () => {
    const directive = "//memlint:ignore defer-in-loop -- unlocks the n locks the caller took";
    const before = go("package jobs", "", 'import "sync"', "", "func Legacy(mu *sync.Mutex, n int) {", "\tfor i := 0; i < n; i++ {", "\t\tmu.Lock()", `\t\tdefer mu.Unlock() ${directive}`, "\t}", "}");
    const after = go("package jobs", "", 'import "sync"', "", "func Legacy(mu *sync.Mutex, n int) {", "\tmu.Lock()", `\tdefer mu.Unlock() ${directive}`, "}");
    expect(summary(analyzeFile({ path: "jobs.go", base: before, head: after }, options))).toEqual({ introduced: ["7:unused-ignore"], preexisting: [] });
    // Unused in both versions, it was already there.
    const both = after.replace("func Legacy", "// Legacy unlocks once.\nfunc Legacy");
    expect(summary(analyzeFile({ path: "jobs.go", base: after, head: both }, options))).toEqual({ introduced: [], preexisting: ["8:unused-ignore"] });
  });

  it("uses the head path for a renamed file, so nothing moves into 'introduced'", () => {
    const head = base.replace("n; i++", "n; i += 1");
    const r = analyzeFile({ path: "queue/jobs.go", oldPath: "jobs.go", base, head }, options);
    expect(summary(r)).toEqual({ introduced: [], preexisting: ["17:defer-in-loop"] });
    expect(r.preexisting[0]!.path).toBe("queue/jobs.go");
  });

  it("analyzes every declaration of an added file and nothing of a deleted one", () => {
    expect(summary(analyzeFile({ path: "jobs.go", base: null, head: base }, options)).introduced).toEqual(["17:defer-in-loop"]);
    expect(analyzeFile({ path: "jobs.go", base, head: null }, options).introduced).toEqual([]);
  });

  it("finds the same things in a partial parse as in a full parse", () => {
    const full = analyzeFile({ path: "jobs.go", base: null, head: base }, options);
    const head = base.replace("\tfor i := 0; i < n; i++ {", "\tfor i := 0; i < n+1; i++ {");
    const partial = analyzeFile({ path: "jobs.go", base: base.replace("defer mu.Unlock()\n\t}\n}\n", "mu.Unlock()\n\t}\n}\n"), head }, options);
    expect(partial.introduced.map((f) => f.fingerprint)).toEqual(full.introduced.map((f) => f.fingerprint).slice(-1));
  });
});

describe("the nodes a rule asks for", () => {
  it("are every node of the types, in source order, also of a type asked for the first time after the declarations were indexed", () => {
    const seen: Record<string, string[]> = {};
    const asking = (id: string, types: string[]): Rule => ({
      meta: { ...RULES[0]!.meta, id },
      check: (ctx) => {
        seen[id] = ctx.nodes(...types).map((n) => `${n.type}@${ctx.lineOf(n)}`);
      },
    });
    const source = go("package p", "", "func F(ch chan int) {", "outer:", "\tfor {", "\t\tch <- 1", "\t\tbreak outer", "\t}", "\tgo F(ch)", "}");
    const rules = [asking("calls", ["call_expression"]), asking("fresh", ["labeled_statement", "send_statement", "call_expression"])];
    analyzeFile({ path: "p.go", base: null, head: source }, { rules, knownRuleIds: new Set(["calls", "fresh"]) });
    expect(seen).toEqual({ calls: ["call_expression@9"], fresh: ["labeled_statement@4", "send_statement@6", "call_expression@9"] });
  });
});

describe("in-code suppression", () => {
  const withDirective = (directive: string, where: "trailing" | "above" | "doc") => {
    let src = base;
    if (where === "trailing") src = src.replace("\t\tdefer mu.Unlock()\n\t}\n}\n", `\t\tdefer mu.Unlock() ${directive}\n\t}\n}\n`);
    if (where === "above") src = src.replace("\t\tdefer mu.Unlock()\n\t}\n}\n", `\t\t${directive}\n\t\tdefer mu.Unlock()\n\t}\n}\n`);
    if (where === "doc") src = src.replace("func Legacy", `// Legacy unlocks n times.\n//\n${directive}\nfunc Legacy`);
    return analyzeFile({ path: "jobs.go", base: null, head: src }, options);
  };

  it.each(["trailing", "above", "doc"] as const)("honours a directive %s", (where) => {
    const r = withDirective("//memlint:ignore defer-in-loop -- unlocks a lock taken n times by the caller", where);
    expect(r.introduced.map((f) => f.ruleId)).toEqual([]);
    expect(r.suppressed.map((s) => [s.finding.ruleId, s.reason])).toEqual([["defer-in-loop", "unlocks a lock taken n times by the caller"]]);
  });

  it("honours //nolint:memlint", () => {
    expect(withDirective("//nolint:memlint", "trailing").introduced).toEqual([]);
  });

  it("rejects a directive without a reason and silences nothing", () => {
    const r = withDirective("//memlint:ignore defer-in-loop", "above");
    expect(r.introduced.map((f) => f.ruleId).sort()).toEqual(["contract-invalid", "defer-in-loop"]);
    expect(r.introduced.find((f) => f.ruleId === "contract-invalid")!.message).toMatch(/no reason/);
  });

  it("reports a suppression that suppresses nothing as info", () => {
    const src = base.replace("\t\tjob()\n", "\t\tjob() //memlint:ignore defer-in-loop -- nothing to see on this line\n");
    const r = analyzeFile({ path: "jobs.go", base: null, head: src }, options);
    const unused = r.introduced.find((f) => f.ruleId === "unused-ignore");
    expect(unused).toMatchObject({ severity: "info", line: 9 });
  });
});

describe("bad input", () => {
  it("skips a declaration that does not parse, says where, and analyzes the rest", () => {
    const head = base.replace("\t\tjob()\n", "\t\tjob(\n").replace("n; i++", "n; i += 2");
    const r = analyzeFile({ path: "jobs.go", base, head }, options);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]!.message).toMatch(/skipped `Drain` \(lines 5–12\): syntax error at line \d+/);
    expect(r.analyzed).toEqual(["Legacy"]);
    expect(summary(r).preexisting).toEqual(["17:defer-in-loop"]);
  });

  it("skips binary and oversized files with a note", () => {
    expect(analyzeFile({ path: "a.go", head: "package a\u0000" }, options).notes[0]!.message).toMatch(/binary/);
    const big = analyzeFile({ path: "a.go", head: base }, { ...options, maxFileSize: 100 });
    expect(big.notes[0]!.message).toMatch(/over the 1 KB limit/);
    expect(big.introduced).toEqual([]);
  });
});
