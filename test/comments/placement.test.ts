import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAnchorable, MAX_ANNOTATIONS, placeFindings } from "../../src/comments/placement.js";
import { commentRange } from "../../src/comments/review-comment.js";
import { changedLinesFromPatch, type ChangedLines, isInHunk } from "../../src/engine/diff.js";
import type { Finding } from "../../src/engine/types.js";
import { changed, finding } from "./findings.js";

const fps = (list: Finding[]) => list.map((f) => f.fingerprint);

describe("placeFindings: three tiers", () => {
  // A GitHub `patch`: head lines 10–16 form one hunk (line 13 added), 40–44 another.
  const patch = [
    "@@ -10,6 +10,7 @@ func Load() {",
    " \tpaths := list()",
    " \tfor _, p := range paths {",
    " \t\tf, _ := os.Open(p)",
    "+\t\tdefer f.Close()",
    " \t\tuse(f)",
    " \t}",
    " \treturn nil",
    "@@ -39,4 +40,5 @@ func Save() {",
    " \ta := 1",
    "-\tb := 2",
    "+\tb := 3",
    "+\tc := 4",
    " \treturn",
    " }",
  ].join("\n");
  const hunks = changedLinesFromPatch(patch);
  const byPath = new Map<string, ChangedLines>([["pkg/files.go", hunks]]);

  it("puts a finding on an added line inline", () => {
    const f = finding({ line: 13 });
    const p = placeFindings([f], byPath, 25);
    expect(fps(p.inline)).toEqual([f.fingerprint]);
    expect(p.annotations).toEqual([]);
    expect(p.summaryOnly).toEqual([]);
  });

  it("puts a finding on a context line of a hunk inline (GitHub accepts those)", () => {
    const f = finding({ line: 11 });
    expect(hunks.added.has(11)).toBe(false);
    expect(fps(placeFindings([f], byPath, 25).inline)).toEqual([f.fingerprint]);
  });

  it("makes a finding elsewhere in a changed file an annotation", () => {
    const before = finding({ line: 9 });
    const between = finding({ line: 30 });
    const after = finding({ line: 45 });
    const p = placeFindings([before, between, after], byPath, 25);
    expect(p.inline).toEqual([]);
    expect(fps(p.annotations).sort()).toEqual(fps([before, between, after]).sort());
  });

  it("puts a finding whose anchor is outside the hunks on its comment line, naming the anchor", () => {
    const f = finding({ line: 5, commentLine: 13 });
    const p = placeFindings([f], byPath, 25);
    expect(p.inline.map((i) => [i.fingerprint, i.line, i.related[0]?.line])).toEqual([[f.fingerprint, 13, 5]]);
    // A comment line outside the hunks helps nothing: an annotation on the anchor.
    const outside = finding({ line: 5, commentLine: 30 });
    expect(placeFindings([outside], byPath, 25).annotations.map((a) => a.line)).toEqual([5]);
  });

  it("lists a finding in a file without changed lines in the summary only", () => {
    const f = finding({ path: "pkg/other.go", line: 13 });
    const p = placeFindings([f], byPath, 25);
    expect(fps(p.summaryOnly)).toEqual([f.fingerprint]);
    expect(p.inline).toEqual([]);
    expect(p.annotations).toEqual([]);
  });

  it("computes the hunk boundaries exactly like isInHunk", () => {
    for (let line = 1; line <= 60; line++) {
      const p = placeFindings([finding({ line })], byPath, 25);
      expect(p.inline.length === 1).toBe(isInHunk(hunks, line));
    }
  });
});

describe("placeFindings: max_comments", () => {
  const byPath = new Map([["pkg/files.go", changed([1, 100])]]);

  it("keeps the most severe inline and demotes the rest to annotations", () => {
    const infos = Array.from({ length: 20 }, (_, i) => finding({ line: i + 1, severity: "info" }));
    const warnings = Array.from({ length: 10 }, (_, i) => finding({ line: 40 + i, severity: "warning" }));
    const errors = Array.from({ length: 5 }, (_, i) => finding({ line: 80 + i, severity: "error" }));
    const p = placeFindings([...infos, ...warnings, ...errors], byPath, 25);
    expect(p.inline).toHaveLength(25);
    expect(p.inline.slice(0, 5).every((f) => f.severity === "error")).toBe(true);
    expect(p.inline.slice(5, 15).every((f) => f.severity === "warning")).toBe(true);
    expect(p.inline.slice(15).every((f) => f.severity === "info")).toBe(true);
    expect(p.demoted).toBe(10);
    expect(p.annotations).toHaveLength(10);
    expect(p.annotations.every((f) => f.severity === "info")).toBe(true);
  });

  it("posts inline only at or above comments.min_severity; the rest become annotations", () => {
    const list = (["info", "warning", "error", "info"] as const).map((severity, i) => finding({ line: i + 1, severity }));
    const p = placeFindings(list, byPath, 25, { minSeverity: "warning" });
    expect(p.inline.map((f) => f.severity)).toEqual(["error", "warning"]);
    expect(p.annotations.map((f) => f.severity)).toEqual(["info", "info"]);
    expect(p.belowThreshold).toBe(2);
    expect(p.demoted).toBe(0);
    const errorsOnly = placeFindings(list, byPath, 25, { minSeverity: "error" });
    expect([errorsOnly.inline.length, errorsOnly.belowThreshold]).toEqual([1, 3]);
    // Outside the diff a finding is an annotation anyway, and not counted as below the threshold.
    const outside = placeFindings([finding({ path: "pkg/other.go", line: 1, severity: "info" })], byPath, 25, { minSeverity: "warning" });
    expect([outside.summaryOnly.length, outside.belowThreshold]).toEqual([1, 0]);
  });

  it("posts one comment per rule and variable of a declaration, naming the other lines; the others become annotations", () => {
    const first = finding({ line: 12, ruleId: "http-body-not-closed", severity: "error", subject: "resp,err" });
    const again = finding({ line: 14, ruleId: "http-body-not-closed", severity: "error", subject: "resp,err" });
    const otherRule = finding({ line: 14, ruleId: "defer-in-loop", subject: "resp,err" });
    const otherName = finding({ line: 15, ruleId: "http-body-not-closed", severity: "error", subject: "res,err" });
    const unbound = finding({ line: 16, ruleId: "http-body-not-closed", severity: "error" });
    const p = placeFindings([first, again, otherRule, otherName, unbound], byPath, 25);
    expect(fps(p.inline).sort()).toEqual(fps([first, otherRule, otherName, unbound]).sort());
    expect(p.inline.find((i) => i.fingerprint === first.fingerprint)?.related).toEqual([{ line: 14, message: "the same problem with `resp` here" }]);
    expect(fps(p.annotations)).toEqual([again.fingerprint]);
    // Another declaration is another comment.
    const elsewhere = finding({ line: 13, ruleId: "http-body-not-closed", severity: "error", subject: "resp,err", declaration: "Save" });
    expect(placeFindings([first, elsewhere], byPath, 25).inline).toHaveLength(2);
  });

  it("with max_comments 0 posts nothing inline and loses nothing", () => {
    const list = Array.from({ length: 3 }, (_, i) => finding({ line: i + 1 }));
    const p = placeFindings(list, byPath, 0);
    expect(p.inline).toEqual([]);
    expect(p.demoted).toBe(3);
    expect(p.annotations).toHaveLength(3);
  });

  it("sends annotations over the annotation cap to the summary", () => {
    const many = Array.from({ length: MAX_ANNOTATIONS + 7 }, (_, i) => finding({ line: 200 + i }));
    const p = placeFindings(many, byPath, 25);
    expect(p.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(p.summaryOnly).toHaveLength(7);
  });
});

describe("placeFindings: suggestions and comment ranges", () => {
  const byPath = new Map([["pkg/files.go", changed([10, 5], [30, 5])]]);

  it("keeps a suggestion whose lines are in the hunk and comments on exactly those lines", () => {
    const f = finding({ line: 11, suggestion: { startLine: 11, endLine: 13, replacement: "a\nb\nc" } });
    const [inline] = placeFindings([f], byPath, 25).inline;
    expect(inline?.suggestion).toBeDefined();
    expect(commentRange(inline!)).toEqual({ start_line: 11, line: 13 });
  });

  it("uses a single-line range for a one-line suggestion", () => {
    const f = finding({ line: 12, suggestion: { startLine: 12, endLine: 12, replacement: "x\ny" } });
    expect(commentRange(f)).toEqual({ line: 12 });
  });

  it("drops a suggestion that reaches outside the hunk but still comments inline on the finding's line", () => {
    const f = finding({ line: 12, suggestion: { startLine: 12, endLine: 16, replacement: "x" } });
    const p = placeFindings([f], byPath, 25);
    expect(p.inline).toHaveLength(1);
    expect(p.inline[0]!.suggestion).toBeUndefined();
    expect(commentRange(p.inline[0]!)).toEqual({ line: 12 });
    expect(f.suggestion).toBeDefined(); // the input is not modified
  });

  it("does not span two hunks with one comment", () => {
    expect(isAnchorable(byPath.get("pkg/files.go")!, { start_line: 12, line: 31 })).toBe(false);
    const f = finding({ line: 20, suggestion: { startLine: 12, endLine: 31, replacement: "x" } });
    const p = placeFindings([f], byPath, 25);
    expect(p.inline).toEqual([]);
    expect(p.annotations).toHaveLength(1);
    expect(p.annotations[0]!.suggestion).toBeDefined(); // annotations keep the original finding
  });
});

describe("placeFindings: properties", () => {
  const hunkArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 15 })), { maxLength: 5 });
  const findingArb = fc.record({
    path: fc.constantFrom("a.go", "b.go", "c.go"),
    line: fc.integer({ min: 1, max: 220 }),
    severity: fc.constantFrom("error" as const, "warning" as const, "info" as const),
    suggest: fc.option(fc.tuple(fc.integer({ min: 1, max: 220 }), fc.integer({ min: 0, max: 4 }))),
  });

  it("drops nothing, duplicates nothing, and only anchors comments inside one hunk", () => {
    fc.assert(
      fc.property(hunkArb, hunkArb, fc.array(findingArb, { maxLength: 60 }), fc.integer({ min: 0, max: 30 }), (ha, hb, raw, max) => {
        const byPath = new Map<string, ChangedLines>([
          ["a.go", changed(...ha)],
          ["b.go", changed(...hb)],
        ]);
        const list = raw.map((r) =>
          finding({
            path: r.path,
            line: r.line,
            severity: r.severity,
            ...(r.suggest ? { suggestion: { startLine: r.suggest[0], endLine: r.suggest[0] + r.suggest[1], replacement: "x" } } : {}),
          }),
        );
        const p = placeFindings(list, byPath, max, { maxAnnotations: 20 });
        const all = [...fps(p.inline), ...fps(p.annotations), ...fps(p.summaryOnly)];
        expect(all.sort()).toEqual(fps(list).sort());
        expect(p.inline.length).toBeLessThanOrEqual(max);
        for (const f of p.inline) {
          const c = byPath.get(f.path)!;
          const range = commentRange(f);
          expect(isAnchorable(c, range)).toBe(true);
          for (let l = range.start_line ?? range.line; l <= range.line; l++) expect(isInHunk(c, l)).toBe(true);
        }
        // Findings of changed files reach the summary only when the annotations are full.
        if (p.summaryOnly.some((f) => f.path !== "c.go")) expect(p.annotations).toHaveLength(20);
        expect(p.annotations.every((f) => byPath.has(f.path))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
