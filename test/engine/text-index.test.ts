/**
 * The engine's text primitives against their plain definitions: `containsText` answers as
 * `includes` does, and the line index (typed, grown as it fills, derived for a base version,
 * searched forward from a hint) answers as a split of the text into lines does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { changedLinesBetween } from "../../src/engine/diff.js";
import { LineIndex } from "../../src/engine/position.js";
import { unchangedRegions } from "../../src/engine/regions.js";
import { containsText } from "../../src/engine/search.js";

/** Characters that make searches interesting: rare and common in Go, newlines, a non-ASCII letter and a NUL. */
const CHARS = ["a", "e", "t", " ", "\t", "\n", ":", "w", "-", "/", "m", "l", "i", "n", "R", "~", "é", "\u0000"];
const text = (maxLength: number) => fc.array(fc.constantFrom(...CHARS), { maxLength }).map((cs) => cs.join(""));

/** The line starts as a split of the text says them. */
function naiveStarts(t: string): number[] {
  const starts = [0];
  for (let i = 0; i < t.length; i++) if (t[i] === "\n") starts.push(i + 1);
  return starts;
}

describe("containsText", () => {
  it("answers as includes does on the range, for needles taken from the text and made up", () => {
    fc.assert(
      fc.property(text(300), fc.nat(), fc.nat(), fc.nat(), fc.nat({ max: 20 }), text(12), fc.boolean(), (t, a, b, at, length, madeUp, fromText) => {
        const from = t.length === 0 ? 0 : a % (t.length + 1);
        const to = from + (t.length === 0 ? 0 : b % (t.length - from + 1));
        const start = t.length === 0 ? 0 : at % t.length;
        const needle = fromText ? t.slice(start, start + length) : madeUp;
        if (needle === "") return;
        expect(containsText(t, needle, from, to)).toBe(t.slice(from, to).includes(needle));
        expect(containsText(t, needle)).toBe(t.includes(needle));
      }),
      { numRuns: 3000 },
    );
  });

  it("finds a long needle by its rare part and checks the whole at each place that part occurs", () => {
    const t = `${"lint:file ".repeat(50)}// lint:file-ignorX\n//lint:file-ignore SA1 reason\n`;
    expect(containsText(t, "lint:file-ignore")).toBe(true);
    expect(containsText(t, "lint:file-ignore", 0, t.indexOf("//lint:file-ignore") + 17)).toBe(false);
    expect(containsText(t, "memlint:owned")).toBe(false);
    expect(containsText("x-ignore", "lint:file-ignore")).toBe(false);
  });
});

describe("LineIndex", () => {
  it("knows every offset's line, each line's start and the line count, however short the lines (the index grows)", () => {
    fc.assert(
      fc.property(text(400), (t) => {
        const index = new LineIndex(t);
        const starts = naiveStarts(t);
        expect(index.lineCount).toBe(t === "" ? 0 : t.endsWith("\n") ? starts.length - 1 : starts.length);
        for (let line = 1; line <= starts.length; line++) expect(index.lineStart(line)).toBe(starts[line - 1]);
        for (let offset = 0; offset <= t.length; offset++) {
          const line = starts.filter((s) => s <= offset).length;
          expect(index.lineOf(offset)).toBe(line);
          // From any hint: the hint's line (a forward search) or a later one (a fallback).
          for (const hint of [1, line, Math.max(1, line - 3), line + 1, starts.length + 2]) expect(index.lineOfFrom(offset, hint)).toBe(line);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("grows past its first guess on a file of empty lines", () => {
    const t = "\n".repeat(5000);
    const index = new LineIndex(t);
    expect(index.lineCount).toBe(5000);
    expect(index.lineOf(4999)).toBe(5000);
    expect(index.lineStart(2500)).toBe(2499);
  });

  it("derives a base version's index from the head's as an index of the base's own text would be", () => {
    const lines = fc.array(fc.constantFrom("a", "bb bb", "", "ccc\tc", "é"), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(lines, lines, fc.nat(), fc.nat({ max: 5 }), (headLines, inserted, at, removed) => {
        const head = `${headLines.join("\n")}\n`;
        const cut = at % headLines.length;
        const base = `${[...headLines.slice(0, cut), ...inserted, ...headLines.slice(cut + removed)].join("\n")}\n`;
        const headIndex = new LineIndex(head);
        const regions = unchangedRegions(base, head, headIndex, changedLinesBetween(base, head));
        if (!regions) return;
        const derived = headIndex.forBase(base, regions);
        const own = new LineIndex(base);
        expect(derived.lineCount).toBe(own.lineCount);
        for (let offset = 0; offset <= base.length; offset++) expect(derived.lineOf(offset)).toBe(own.lineOf(offset));
        for (let line = 1; line <= own.lineCount; line++) expect(derived.lineStart(line)).toBe(own.lineStart(line));
      }),
      { numRuns: 500 },
    );
  });
});
