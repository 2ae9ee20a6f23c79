/**
 * The package index: which files of a package the engine knows (the change's head versions over
 * the loader's copy, no tests, no other package clause), read lazily once per directory, and
 * how `reviewChange` builds it under `contracts.scan_package`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/load.js";
import { analyzeFile } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { packageIndexFor, reviewChange } from "../../src/review/review.js";
import { type FileSummary, importedPaths, summarize, SummaryLookup } from "../../src/engine/package-summary.js";
import { scanDeclarations } from "../../src/engine/declarations.js";
import { LineIndex } from "../../src/engine/position.js";
import { PackageIndex, type PackageLoader, SourceFile } from "../../src/engine/source.js";
import type { Rule } from "../../src/engine/types.js";
import type { GoNode } from "../../src/analysis/node.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";

beforeAll(initParser);

const callee = "package svc\n\n// Parse reads b.\n//\n//memlint:borrow b\nfunc Parse(b []byte) int { return len(b) }\n";
const caller = "package svc\n\nfunc Handle(b []byte) int {\n\treturn Parse(b)\n}\n";

/** A loader over fixed files that counts its calls per directory. */
function loader(files: Record<string, string>, complete = true): PackageLoader & { calls: string[] } {
  const calls: string[] = [];
  const load: PackageLoader = (dir) => {
    calls.push(dir);
    const inDir = Object.entries(files).filter(([p]) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "") === dir);
    return { files: inDir.map(([path, text]) => ({ path, text })), complete };
  };
  return Object.assign(load, { calls });
}

/**
 * A rule that reports, at every call, the doc comment of the package function it calls (as the
 * contract rules read callee contracts), or "unknown".
 */
const probe: Rule = {
  meta: {
    id: "probe",
    category: "contract",
    severity: "info",
    title: "probe",
    rationale: "",
    fix: "",
    bad: "",
    good: "",
    suggestion: "none",
    inTests: "report",
  },
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const name = call.child("function")?.text ?? "";
      const fn = ctx.file.packageFunction(name);
      const doc = fn ? (fn.parent?.children ?? []).filter((n) => n.type === "comment" && n.end <= fn.start).map((n) => n.text) : [];
      const siblings = ctx.file.siblingFiles();
      ctx.report({
        node: call,
        message: `${name}: ${fn ? doc.join(" ") || "no doc" : "unknown"}; siblings ${siblings ? `${siblings.files.map((f) => f.path).join(",")} ${siblings.complete ? "complete" : "partial"}` : "unknown"}`,
      });
    }
  },
};

const run = (path: string, head: string, index?: PackageIndex, base: string | null = null, oldPath?: string) =>
  analyzeFile(
    { path, head, base, ...(oldPath ? { oldPath } : {}) },
    { rules: [probe], knownRuleIds: new Set([...KNOWN_RULE_IDS, "probe"]), ...(index ? { packageIndex: index } : {}) },
  ).introduced.map((f) => f.message);

describe("PackageIndex", () => {
  it("reads a directory once, when a rule first asks, and only its non-test files of the same package", () => {
    const load = loader({
      "svc/parse.go": callee,
      "svc/handle.go": caller,
      "svc/parse_test.go": "package svc\n\nfunc Parse(b []byte) int { return 0 }\n",
      "svc/gen.go": "//go:build ignore\n\npackage main\n\nfunc Parse(b []byte) int { return 1 }\n",
      "svc/notes.txt": "not go",
      "other/x.go": "package other\n",
    });
    const index = new PackageIndex(load);
    expect(load.calls).toEqual([]);
    expect(run("svc/handle.go", caller, index)).toEqual(["Parse: // Parse reads b. // //memlint:borrow b; siblings svc/parse.go complete"]);
    run("svc/handle.go", caller, index);
    expect(load.calls).toEqual(["svc"]);
  });

  it("the change's head versions win over the loader's copy; a deleted file is gone; no loader: the change only, partial", () => {
    const stale = callee.replace("//memlint:borrow b", "//memlint:lifetime b request");
    const index = new PackageIndex(loader({ "svc/parse.go": stale, "svc/old.go": "package svc\n" }), {
      changed: [
        ["svc/parse.go", callee],
        ["svc/old.go", null],
      ],
    });
    expect(run("svc/handle.go", caller, index)).toEqual(["Parse: // Parse reads b. // //memlint:borrow b; siblings svc/parse.go complete"]);
    const changeOnly = new PackageIndex(undefined, { changed: [["svc/parse.go", callee]] });
    expect(run("svc/handle.go", caller, changeOnly)).toEqual(["Parse: // Parse reads b. // //memlint:borrow b; siblings svc/parse.go partial"]);
    // A loader that cannot read the directory: the change's files, partial.
    expect(run("svc/handle.go", caller, new PackageIndex(() => undefined))).toEqual(["Parse: unknown; siblings  partial"]);
    expect(run("svc/handle.go", caller)).toEqual(["Parse: unknown; siblings unknown"]);
  });

  it("leaves out files over the size limit or with NUL bytes, and says the package is partial", () => {
    const index = new PackageIndex(loader({ "svc/parse.go": callee, "svc/big.go": `package svc\n\n// ${"x".repeat(200)}\n`, "svc/bin.go": "package svc\u0000" }), {
      maxFileSize: 150,
    });
    expect(run("svc/handle.go", caller, index)).toEqual(["Parse: // Parse reads b. // //memlint:borrow b; siblings svc/parse.go partial"]);
  });

  it("a renamed file's base version does not see its own head version as a sibling", () => {
    const seen: string[] = [];
    const siblingsRule: Rule = {
      meta: { ...probe.meta, id: "siblings" },
      check: (ctx) => {
        seen.push(`${ctx.file.path}: ${(ctx.file.siblingFiles()?.files ?? []).map((f) => f.path).join(",")}`);
        // A finding in the head, so that the base version runs the rule too.
        ctx.report({ node: ctx.declarations[0]!, message: "seen" });
      },
    };
    const head = caller.replace("return Parse(b)", "return Parse(b) + 1");
    const index = new PackageIndex(loader({ "svc/handle.go": head, "svc/parse.go": callee }));
    analyzeFile({ path: "svc/handle.go", oldPath: "svc/handler.go", head, base: caller }, { rules: [siblingsRule], knownRuleIds: KNOWN_RULE_IDS, packageIndex: index });
    expect(seen).toEqual(["svc/handle.go: svc/parse.go", "svc/handler.go: svc/parse.go"]);
  });
});

describe("reviewChange and contracts.scan_package", () => {
  const files = [{ path: "svc/handle.go", head: caller, base: null }];

  it("with scan_package (the default) reads the rest of each touched package through the loader", () => {
    const load = loader({ "svc/parse.go": callee, "svc/handle.go": caller });
    const index = packageIndexFor(files, defaultConfig(), load);
    expect(run("svc/handle.go", caller, index)).toEqual(["Parse: // Parse reads b. // //memlint:borrow b; siblings svc/parse.go complete"]);
    expect(load.calls).toEqual(["svc"]);
  });

  it("without it reads nothing beyond the change", () => {
    const load = loader({ "svc/parse.go": callee });
    const config = defaultConfig();
    config.contracts.scanPackage = false;
    const index = packageIndexFor(files, config, load);
    expect(run("svc/handle.go", caller, index)).toEqual(["Parse: unknown; siblings  partial"]);
    reviewChange(files, config, undefined, { loadPackage: load });
    expect(load.calls).toEqual([]);
  });

  it("analyzes a declaration the index parsed for another file's question from that parse, comments included", () => {
    const parse = "package svc\n\n// Parse reads b.\nfunc Parse(b []byte) int {\n\t// the length\n\treturn len(b)\n} // of b\n";
    const asked: GoNode[] = [];
    const shared: Rule = {
      ...probe,
      check(ctx) {
        for (const call of ctx.nodes("call_expression")) {
          const fn = ctx.file.packageFunction(call.child("function")?.text ?? "");
          if (fn) asked.push(fn);
        }
        for (const decl of ctx.declarations) {
          if (decl.type !== "function_declaration" || decl.child("name")?.text !== "Parse") continue;
          ctx.report({ node: decl, message: `${asked.includes(decl) ? "parsed before" : "parsed now"}: ${ctx.comments.map((c) => c.text).join(" | ")}` });
        }
      },
    };
    const analyze = (path: string, head: string, index: PackageIndex) =>
      analyzeFile({ path, head, base: null }, { rules: [shared], knownRuleIds: new Set([...KNOWN_RULE_IDS, "probe"]), packageIndex: index }).introduced.map((f) => f.message);
    const files = { "svc/handle.go": caller, "svc/parse.go": parse };
    const comments = "// Parse reads b. | // the length | // of b";
    const index = new PackageIndex(loader(files));
    expect(analyze("svc/handle.go", caller, index)).toEqual([]);
    expect(asked).toHaveLength(1);
    expect(analyze("svc/parse.go", parse, index)).toEqual([`parsed before: ${comments}`]);
    expect(analyze("svc/parse.go", parse, new PackageIndex(loader(files)))).toEqual([`parsed now: ${comments}`]);
  });

  it("keeps the analysis' trees of a file analyzed in one group, not of one analyzed a group at a time (the groups bound memory)", () => {
    const two = "package svc\n\nfunc A(ch chan int) { go func() { ch <- 1 }() }\n\nfunc B(ch chan int) { go func() { ch <- 2 }() }\n";
    const kept = (groupSize?: number) => {
      const index = new PackageIndex(loader({ "svc/two.go": two }));
      index.packageOf("svc/two.go");
      analyzeFile({ path: "svc/two.go", head: two, base: null }, { rules: [probe], knownRuleIds: new Set([...KNOWN_RULE_IDS, "probe"]), packageIndex: index, ...(groupSize ? { groupSize } : {}) });
      return index.scanned("svc/two.go", two)!.parsed.size;
    };
    expect(kept()).toBe(2);
    expect(kept(1)).toBe(0);
  });

  it("reviewChange hands the loader to the rules (a removal in a sibling file counts)", () => {
    const store = "package c\n\nvar seen = map[string]bool{}\n\nfunc Mark(id string) {\n\tseen[id] = true\n}\n";
    const evict = "package c\n\nfunc Forget(id string) {\n\tdelete(seen, id)\n}\n";
    const change = [{ path: "c/store.go", head: store, base: null }];
    const ids = (r: ReturnType<typeof reviewChange>) => r.introduced.map((f) => f.ruleId);
    expect(ids(reviewChange(change, defaultConfig()))).toEqual(["global-map-unbounded"]);
    expect(ids(reviewChange(change, defaultConfig(), undefined, { loadPackage: loader({ "c/store.go": store, "c/evict.go": evict }) }))).toEqual([]);
  });

  it("lets a package go after its last file, not before: each directory is read once, whatever the order of the files", () => {
    const store = (pkg: string, name: string) => `package ${pkg}\n\nvar ${name} = map[string]bool{}\n\nfunc Mark${name}(id string) {\n\t${name}[id] = true\n}\n`;
    const evict = "package a\n\nfunc Forget(id string) {\n\tdelete(seen, id)\n\tdelete(kept, id)\n}\n";
    const change = [
      { path: "a/seen.go", head: store("a", "seen"), base: null },
      { path: "b/seen.go", head: store("b", "seen"), base: null },
      { path: "a/kept.go", head: store("a", "kept"), base: null },
    ];
    const events: string[] = [];
    const load = loader({ "a/evict.go": evict });
    const logged: PackageLoader = (dir) => {
      events.push(`read ${dir}`);
      return load(dir);
    };
    const result = reviewChange(change, defaultConfig(), undefined, { loadPackage: logged, onPackageDone: () => events.push("done") });
    expect(events).toEqual(["read a", "read b", "done", "done"]);
    expect(result.introduced.map((f) => `${f.path} ${f.ruleId}`)).toEqual(["b/seen.go global-map-unbounded"]);
  });
});

describe("files known by their summaries", () => {
  /** A loader that hands every file over as its summary, and records each file read. */
  function summarized(files: Record<string, string>): PackageLoader & { read: string[] } {
    const read: string[] = [];
    const load: PackageLoader = (dir) => ({
      files: Object.entries(files)
        .filter(([p]) => p.slice(0, p.lastIndexOf("/")) === dir)
        .map(([path, text]) => ({ path, summary: summarize(text), read: () => (read.push(path), text) })),
    });
    return Object.assign(load, { read });
  }
  const store = "package c\n\nvar seen = map[string]bool{}\n\nfunc Mark(id string) {\n\tseen[id] = true\n}\n";
  const evict = "package c\n\nfunc Forget(id string) {\n\tdelete(seen, id)\n}\n";
  const unrelated = "package c\n\n// Join joins names, as Mark's callers print them.\nfunc Join(names []string) string {\n\treturn strings.Join(names, \", \")\n}\n";

  it("read only where a question needs the text, with the answers the texts give", () => {
    const load = summarized({ "svc/parse.go": callee, "svc/other.go": "package svc\n\nfunc Other() {}\n" });
    expect(run("svc/handle.go", caller, new PackageIndex(load))).toEqual(["Parse: // Parse reads b. // //memlint:borrow b; siblings svc/other.go,svc/parse.go complete"]);
    expect(load.read).toEqual(["svc/parse.go"]);
  });

  it("a change that uses nothing of the other files reads none; one that writes a map another file deletes from reads that file", () => {
    const ids = (r: ReturnType<typeof reviewChange>) => r.introduced.map((f) => f.ruleId);
    const alone = summarized({ "c/evict.go": evict, "c/join.go": unrelated });
    const quiet = "package c\n\nfunc Count(ids []string) int {\n\treturn len(ids)\n}\n";
    expect(ids(reviewChange([{ path: "c/count.go", head: quiet, base: null }], defaultConfig(), undefined, { loadPackage: alone }))).toEqual([]);
    expect(alone.read).toEqual([]);

    const load = summarized({ "c/evict.go": evict, "c/join.go": unrelated });
    expect(ids(reviewChange([{ path: "c/store.go", head: store, base: null }], defaultConfig(), undefined, { loadPackage: load }))).toEqual([]);
    expect(load.read).toEqual(["c/evict.go"]);
  });

  it("a summary says no for certain, and maybe where a run of the text may lie in a longer word", () => {
    const lookup = new SummaryLookup(summarize("package p\n\n//memlint:owned x\nfunc New() *bytes.Buffer { return nil } // 1024 items\n"));
    expect(lookup.mayContain("memlint:owned")).toBe(true);
    expect(lookup.mayContain("memlint:borrow")).toBe(false);
    expect(lookup.mayContain("emlint")).toBe(true);
    expect(lookup.mayContain(".Flush()")).toBe(false);
    expect(lookup.mayContain("02")).toBe(true); // numbers are not kept
    expect(lookup.mayMention("Buffer")).toBe(true);
    expect(lookup.mayMention("Buff")).toBe(false);
    expect(lookup.functionsReturning("Buffer")).toEqual(["New"]);
    expect(lookup.functionsReturning("buffer")).toBeUndefined();
    // The word inside a longer name first (`CreateFakeFile`), then whole in the results.
    const named = new SummaryLookup(summarize("package p\n\nfunc CreateFakeFile(t *testing.T) (*os.File, [32]byte, error) {\n\treturn nil, [32]byte{}, nil\n}\n"));
    expect(named.functionsReturning("File")).toEqual(["CreateFakeFile"]);

    const methods = new SummaryLookup(summarize("package p\n\nfunc (c *Conn) Close() error { return nil }\n\nfunc (a, b Pipe) Flush() {}\n"));
    expect(methods.mayDeclareMethodOn("Close", ["Conn"])).toBe(true);
    expect(methods.mayDeclareMethodOn("Close", ["File"])).toBe(false);
    // Two receivers: the key's word may not be the type (as SourceFile tells it), so maybe.
    expect(methods.mayDeclareMethodOn("Flush", ["Writer"])).toBe(true);
  });

  it("a summary says yes for certain to a run of word characters, which lies in one of its words", () => {
    const lookup = new SummaryLookup(summarize("package p\n\nvar bufPool sync.Pool // 1024 items\n\nfunc f() { fmt.Println(\"net\", \"http\") }\n"));
    expect(lookup.contains("Pool")).toBe(true); // inside `bufPool`
    expect(lookup.contains("sync")).toBe(true);
    expect(lookup.contains("Pools")).toBe(false);
    expect(lookup.contains("102")).toBeUndefined(); // numbers are not kept
    expect(lookup.contains('"net/http"')).toBeUndefined(); // both words are there, but apart
    expect(lookup.contains("memlint:owned")).toBe(false);
  });

  it("a sibling whose summary says yes is not read to confirm it", () => {
    const load = summarized({ "c/pool.go": "package c\n\nvar bufPool = sync.Pool{}\n", "c/other.go": "package c\n\nfunc Other() {}\n" });
    const file = new SourceFile("c/new.go", "package c\n\nfunc New() {}\n", "all", { packageIndex: new PackageIndex(load) });
    expect(file.packageContains("Pool")).toBe(true);
    expect(file.packageContains("memlint:owned")).toBe(false);
    expect(load.read).toEqual([]);
  });

  it("the paths a file imports are those its import declarations name, read from a summary as from the text", () => {
    const text = 'package p\n\n// Uses "os" in a comment.\nimport (\n\t"fmt"\n\th `net/http` // raw\n)\n\nimport "io"\n\nconst net = "net"\n';
    const decls = scanDeclarations(text, new LineIndex(text));
    expect(importedPaths(text, decls)).toEqual(["fmt", "net/http", "io"]);
    const lookup = new SummaryLookup(summarize(text));
    expect(["net/http", "io", "net", "os"].map((p) => lookup.importsPath(p))).toEqual([true, true, false, false]);

    // A package imports what one of its files imports; `"net"` in a string is no import.
    const load = summarized({ "c/client.go": 'package c\n\nimport "net/http"\n\nvar c = http.Client{}\n', "c/names.go": 'package c\n\nvar names = []string{"net", "crypto/tls"}\n' });
    const file = new SourceFile("c/new.go", "package c\n\nfunc New() {}\n", "all", { packageIndex: new PackageIndex(load) });
    expect(["net/http", "net", "crypto/tls"].map((p) => file.packageImports(p))).toEqual([true, false, false]);
    expect(load.read).toEqual([]);
    // Read, the files answer the same.
    const texts = new SourceFile("c/new.go", "package c\n\nfunc New() {}\n", "all", { packageIndex: new PackageIndex(loader({ "c/client.go": 'package c\n\nimport "net/http"\n', "c/names.go": 'package c\n\nvar names = []string{"net"}\n' })) });
    expect(["net/http", "net"].map((p) => texts.packageImports(p))).toEqual([true, false]);
  });

  it("shared words answer no for every file at once, without going through a file's own words", () => {
    const made = summarize("package p\n\nvar bufPool sync.Pool\n");
    const summary: FileSummary = {
      ...made,
      get words(): string[] {
        throw new Error("the file's own words were asked for");
      },
      sharedWords: `\n${[...made.words, "Flush"].sort().join("\n")}\n`,
    };
    const lookup = new SummaryLookup(summary);
    expect(lookup.mayContain("memlint:owned")).toBe(false);
    expect(lookup.mayMention("Close")).toBe(false);
    expect(lookup.mayContain(".Reset()")).toBe(false);
    // A word the directory has is then looked for in the file's own words.
    expect(() => lookup.mayMention("Flush")).toThrow("own words");
  });
});
