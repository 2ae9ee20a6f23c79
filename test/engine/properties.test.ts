/**
 * Property-based tests over the diff parser and the engine: random and mutated Go sources and
 * patches never throw anything but a PatchError, results stay well-formed, and no analysis hangs.
 *
 * The sources are real Go: the rule fixtures, cut into declarations and recombined, then
 * mutated the way broken input looks in practice (cut-off files, unbalanced brackets, stray
 * quotes and backticks, NUL and non-UTF-8 bytes, endless lines, duplicated or deleted lines).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile, type AnalyzeOptions, type FileAnalysis } from "../../src/engine/analyze.js";
import { baseDeclarations, scanDeclarations } from "../../src/engine/declarations.js";
import { type ChangedLines, changedLinesBetween, changedLinesFromPatch, parseGitDiff, PatchError } from "../../src/engine/diff.js";
import { initParser, parseGo } from "../../src/engine/parser.js";
import { LineIndex } from "../../src/engine/position.js";
import { unchangedRegions } from "../../src/engine/regions.js";
import { DEFAULT_SCOPES } from "../../src/contracts/settings.js";
import { buildRules, KNOWN_RULE_IDS, RULES } from "../../src/rules/index.js";
import { unusedIgnore } from "../../src/rules/unused-ignore.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { githubPatch } from "../helpers/github.js";

beforeAll(initParser);

const BLAMES_TOUCHED = new Set(RULES.filter((r) => r.meta.blameTouched).map((r) => r.meta.id));
/** Contracts required everywhere: every rule runs and every declaration is parsed. */
const options: AnalyzeOptions = { rules: buildRules({ scopes: DEFAULT_SCOPES, require: ["**"] }), knownRuleIds: KNOWN_RULE_IDS, unusedIgnore, parseAll: () => true };

/**
 * A guard against hangs (exponential or endless work on some input), not a speed target: the
 * inputs here are at most a few hundred lines, which the engine analyzes in milliseconds.
 */
const HANG_GUARD_MS = 5_000;

/** Every top-level declaration of every rule fixture, as text: the building blocks of the sources. */
const DECLARATIONS: string[] = (() => {
  const out: string[] = [];
  const root = join(FIXTURES, "rules");
  for (const dir of readdirSync(root).sort()) {
    for (const name of readdirSync(join(root, dir)).filter((n) => n.endsWith(".go")).sort()) {
      const text = readFileSync(join(root, dir, name), "utf8");
      for (const d of scanDeclarations(text)) if (d.kind !== "package" && d.kind !== "import") out.push(text.slice(d.start, d.end));
    }
  }
  return out;
})();

const IMPORTS = 'import (\n\t"context"\n\t"database/sql"\n\t"net/http"\n\t"os"\n\t"sync"\n\t"time"\n)\n';

/** A Go file: the package clause, imports, and some fixture declarations. */
const goFile = fc
  .array(fc.constantFrom(...DECLARATIONS), { minLength: 1, maxLength: 6 })
  .map((decls) => `package fixtures\n\n${IMPORTS}\n${decls.join("\n")}`);

/** Fragments that broken or hostile input is made of. */
const junk = fc.oneof(
  fc.constantFrom("{", "}", "(", ")", "[", "]", '"', "'", "`", "/*", "*/", "//", "\n", ";", "func", "go ", "defer ", "for {", "select {", "\u0000", "\uFFFD", "\uD800", "é", "//memlint:", "// memlint:ignore"),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 200, max: 20_000 }).map((n) => "x".repeat(n)),
);

type Mutation = { at: number; cut: number; insert: string };

const mutation = fc.record({ at: fc.nat(), cut: fc.nat({ max: 40 }), insert: junk });

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    out = out.slice(0, at) + m.insert + out.slice(at + m.cut);
  }
  return out;
}

/** Line-level edits: what a pull request does to a file. */
function editLines(text: string, edits: readonly { line: number; kind: "delete" | "duplicate" | "replace"; with: string }[]): string {
  const lines = text.split("\n");
  for (const e of edits) {
    const i = e.line % Math.max(lines.length, 1);
    if (e.kind === "delete") lines.splice(i, 1);
    else if (e.kind === "duplicate") lines.splice(i, 0, lines[i] ?? "");
    else lines[i] = e.with;
  }
  return lines.join("\n");
}

const lineEdit = fc.record({
  line: fc.nat(),
  kind: fc.constantFrom("delete" as const, "duplicate" as const, "replace" as const),
  with: fc.oneof(fc.constantFrom("\tdefer f.Close()", "\treturn nil", "}", "\tgo func() {", "\tfor {", "\tcancel()", "\tt := time.NewTicker(time.Second)"), fc.string({ maxLength: 30 })),
});

function lineCount(text: string): number {
  return text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

function expectWellFormedLines(changed: ChangedLines, headLines: number, baseLines: number): void {
  for (const l of changed.added) expect(Number.isInteger(l) && l >= 1 && l <= Math.max(headLines, 1)).toBe(true);
  for (const l of changed.deleted) expect(Number.isInteger(l) && l >= 1 && l <= Math.max(baseLines, 1)).toBe(true);
}

/** What every analysis must satisfy, whatever its input. */
function expectWellFormed(r: FileAnalysis, path: string, head: string): void {
  const lines = Math.max(lineCount(head), 1);
  const all = [...r.introduced, ...r.preexisting];
  for (const f of all) {
    expect(f.path).toBe(path);
    expect(f.line >= 1 && f.line <= lines && f.endLine >= f.line && f.endLine <= lines).toBe(true);
    expect(f.column).toBeGreaterThanOrEqual(1);
    expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(KNOWN_RULE_IDS.has(f.ruleId) || f.ruleId === unusedIgnore.id).toBe(true);
    if (f.suggestion) expect(f.suggestion.startLine >= 1 && f.suggestion.endLine <= lines && f.suggestion.startLine <= f.suggestion.endLine).toBe(true);
  }
  // One fingerprint, one finding; and a finding is either new or was already there, not both.
  expect(new Set(all.map((f) => f.fingerprint)).size).toBe(all.length);
  for (const n of r.notes) expect(n.path).toBe(path);
}

function analyzeGuarded(input: Parameters<typeof analyzeFile>[0]): FileAnalysis {
  const t0 = performance.now();
  const r = analyzeFile(input, options);
  const ms = performance.now() - t0;
  if (ms > HANG_GUARD_MS) throw new Error(`analysis took ${Math.round(ms)} ms (hang guard ${HANG_GUARD_MS} ms)`);
  return r;
}

describe("diff parser", () => {
  it("reads back the changed lines of any diff it is given in GitHub's form", () => {
    fc.assert(
      fc.property(goFile, fc.array(lineEdit, { maxLength: 8 }), (base, edits) => {
        const head = editLines(base, edits);
        const fromPatch = changedLinesFromPatch(githubPatch(base, head));
        const between = changedLinesBetween(base, head);
        expect([...fromPatch.added].sort((a, b) => a - b)).toEqual([...between.added].sort((a, b) => a - b));
        expect([...fromPatch.deleted].sort((a, b) => a - b)).toEqual([...between.deleted].sort((a, b) => a - b));
        expectWellFormedLines(fromPatch, lineCount(head), lineCount(base));
      }),
      { numRuns: 150 },
    );
  });

  it("a mutated patch gives well-formed lines or a PatchError, nothing else", () => {
    fc.assert(
      fc.property(goFile, fc.array(lineEdit, { minLength: 1, maxLength: 6 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, edits, mutations) => {
        const patch = mutate(githubPatch(base, editLines(base, edits)), mutations);
        try {
          const changed = changedLinesFromPatch(patch);
          for (const l of [...changed.added, ...changed.deleted]) expect(Number.isInteger(l)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(PatchError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("mutated `git diff` output gives file patches or a PatchError, nothing else", () => {
    fc.assert(
      fc.property(goFile, fc.array(lineEdit, { minLength: 1, maxLength: 6 }), fc.array(mutation, { maxLength: 4 }), (base, edits, mutations) => {
        const body = githubPatch(base, editLines(base, edits));
        const text = mutate(`diff --git a/x.go b/y.go\nsimilarity index 90%\nrename from x.go\nrename to y.go\n--- a/x.go\n+++ b/y.go\n${body}\n`, mutations);
        try {
          for (const file of parseGitDiff(text)) {
            expect(typeof file.path).toBe("string");
            for (const l of [...file.changed.added, ...file.changed.deleted]) expect(Number.isInteger(l)).toBe(true);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(PatchError);
        }
      }),
      { numRuns: 300 },
    );
  });
  it("a file's `git diff` patch turns its head back into its base", () => {
    fc.assert(
      fc.property(goFile, fc.array(lineEdit, { minLength: 1, maxLength: 6 }), (base, edits) => {
        const head = editLines(base, edits);
        const body = githubPatch(base, head);
        if (body === "" || head === "") return;
        const [file] = parseGitDiff(`diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n${body}\n`);
        expect(file!.baseOf(head)).toBe(base);
      }),
      { numRuns: 300 },
    );
  });
});

describe("engine", () => {
  it("declaration scans of mutated sources are ordered, disjoint and inside the file", () => {
    fc.assert(
      fc.property(goFile, fc.array(mutation, { maxLength: 6 }), (source, mutations) => {
        const text = mutate(source, mutations);
        const decls = scanDeclarations(text);
        let previousEnd = 0;
        for (const d of decls) {
          expect(d.start).toBeGreaterThanOrEqual(previousEnd);
          expect(d.end).toBeGreaterThan(d.start);
          expect(d.end).toBeLessThanOrEqual(text.length + 1);
          expect(d.startLine).toBeLessThanOrEqual(d.endLine);
          previousEnd = d.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the base's line index and declarations derived from the head's equal those of the base", () => {
    // Mutations of either version: raw strings and block comments opened or closed in the
    // change, brackets left open, declarations cut in half, a patch that belongs to other text.
    fc.assert(
      fc.property(
        goFile,
        fc.array(lineEdit, { maxLength: 6 }),
        fc.array(mutation, { maxLength: 3 }),
        fc.array(mutation, { maxLength: 3 }),
        fc.boolean(),
        (source, edits, baseMutations, headMutations, stale) => {
          const base = mutate(source, baseMutations);
          const head = mutate(editLines(base, edits), headMutations);
          const changed = stale ? changedLinesBetween(source, editLines(source, edits)) : changedLinesBetween(base, head);
          const headLines = new LineIndex(head);
          const baseLines = new LineIndex(base);
          const regions = unchangedRegions(base, head, headLines, changed);
          if (regions) expect(headLines.forBase(base, regions)).toEqual(baseLines);
          expect(baseDeclarations(base, baseLines, scanDeclarations(head, headLines), regions)).toEqual(scanDeclarations(base, baseLines));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("a pull request over mutated sources never throws, stays well-formed and never hangs", () => {
    fc.assert(
      fc.property(
        goFile,
        fc.array(lineEdit, { maxLength: 6 }),
        fc.array(mutation, { maxLength: 4 }),
        fc.array(mutation, { maxLength: 2 }),
        (source, edits, baseMutations, headMutations) => {
          const base = mutate(source, baseMutations);
          const head = mutate(editLines(base, edits), headMutations);
          const r = analyzeGuarded({ path: "svc/handler.go", base, head });
          expectWellFormed(r, "svc/handler.go", head);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("changed lines that do not belong to the contents (a stale or foreign patch) are noted, never a crash", () => {
    fc.assert(
      fc.property(goFile, goFile, fc.array(lineEdit, { minLength: 1, maxLength: 6 }), (head, other, edits) => {
        // The patch of another file's change, applied to this file's contents.
        const changed = changedLinesFromPatch(githubPatch(other, editLines(other, edits)));
        const r = analyzeGuarded({ path: "svc/handler.go", base: head, head, changed });
        expectWellFormed(r, "svc/handler.go", head);
        // The base equals the head: nothing can be introduced by this "change", except by the rules
        // that report in every touched declaration (contract-missing) and the directive checks.
        expect(r.introduced.filter((f) => !BLAMES_TOUCHED.has(f.ruleId) && f.ruleId !== "unused-ignore" && f.ruleId !== "contract-invalid")).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });

  it("the prefilter (parse only declarations that mention a rule's trigger) changes no finding", () => {
    // Without `contracts.require`, where the prefilter is on. Valid sources, as below: a syntax
    // error may spill into a neighbouring declaration only when the two are parsed together.
    const plain: AnalyzeOptions = { rules: RULES, knownRuleIds: KNOWN_RULE_IDS, unusedIgnore };
    fc.assert(
      fc.property(goFile, goFile, goFile, (a, b, c) => {
        const input = { path: "svc/handler.go", base: `${a}\n${b.replace(/^package fixtures\n/, "")}`, head: `${a}\n${c.replace(/^package fixtures\n/, "")}` };
        const view = (r: FileAnalysis) => [...r.introduced, ...r.preexisting, ...r.suppressed.map((x) => x.finding)].map((f) => `${f.fingerprint} ${f.line} ${f.severity} ${f.message}`).sort();
        expect(view(analyzeFile(input, plain))).toEqual(view(analyzeFile(input, { ...plain, prefilter: false })));
      }),
      { numRuns: 120 },
    );
  });

  it("editing the text of a call's arguments makes no finding look introduced", () => {
    // String arguments (URLs, queries, paths, messages) stand for an argument edit: the
    // fingerprints anchor on the callee and the bound names, not on them.
    const plain: AnalyzeOptions = { rules: RULES, knownRuleIds: KNOWN_RULE_IDS, unusedIgnore };
    fc.assert(
      fc.property(goFile, fc.infiniteStream(fc.boolean()), (base, picks) => {
        const root = parseGo(base, new LineIndex(base)).root;
        const args = root.descendants("interpreted_string_literal").filter((n) => n.parent?.type === "argument_list");
        const edited = args.filter(() => picks.next().value as boolean);
        let head = base;
        for (const arg of [...edited].reverse()) head = `${head.slice(0, arg.start)}"edited ${arg.start}"${head.slice(arg.end)}`;
        const r = analyzeFile({ path: "svc/handler.go", base, head }, plain);
        // Some rules read a string for its meaning (a `.pid` file is small): a finding the edit
        // created may be introduced. One the base had on the same line may not.
        const inBase = new Set(analyzeFile({ path: "svc/handler.go", base, head: base }, plain).preexisting.map((f) => `${f.line} ${f.ruleId}`));
        expect(r.introduced.map((f) => `${f.line} ${f.ruleId} ${f.message}`).filter((f) => inBase.has(f.split(" ").slice(0, 2).join(" ")))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("analyzing the declarations a group at a time (memory bound) changes no result", () => {
    // Valid sources: in broken code a syntax error may spill into the next declaration when they
    // are parsed together, which a group boundary would stop.
    fc.assert(
      fc.property(goFile, goFile, goFile, (a, b, c) => {
        const base = `${a}\n${b.replace(/^package fixtures\n/, "")}`;
        const head = `${a}\n${c.replace(/^package fixtures\n/, "")}`;
        const input = { path: "svc/handler.go", base, head };
        const whole = analyzeFile(input, options);
        const grouped = analyzeFile(input, { ...options, groupSize: 1 });
        // Declarations that share a name (`init`) are analyzed together, so only the order may differ.
        const byPlace = (x: { line: number; column: number; ruleId: string }, y: { line: number; column: number; ruleId: string }) =>
          x.line - y.line || x.column - y.column || x.ruleId.localeCompare(y.ruleId);
        const view = (r: FileAnalysis) => ({
          ...r,
          changed: undefined,
          analyzed: [...r.analyzed].sort(),
          introduced: [...r.introduced].sort(byPlace),
          preexisting: [...r.preexisting].sort(byPlace),
          suppressed: [...r.suppressed].sort((x, y) => byPlace(x.finding, y.finding)),
        });
        expect(view(grouped)).toEqual(view(whole));
      }),
      { numRuns: 60 },
    );
  });

  it("added and deleted files of any contents", () => {
    fc.assert(
      fc.property(goFile, fc.array(mutation, { maxLength: 6 }), (source, mutations) => {
        const text = mutate(source, mutations);
        expectWellFormed(analyzeGuarded({ path: "a.go", base: null, head: text }), "a.go", text);
        expect(analyzeGuarded({ path: "a.go", base: text, head: null }).introduced).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });
});
