/**
 * The text tests rules narrow their trigger words with: each may say yes wrongly, never no
 * wrongly. Every "yes" case here is a shape its rule reports from; the "no" cases are what made
 * the prefilter parse too much before.
 */
import { describe, expect, it } from "vitest";
import { hasWord, mayAppendToItself, mayResliceItself, mayStartGoroutine, maySlice, mayWriteIndex, mayWriteIndexOf } from "../../src/analysis/text-shapes.js";

describe("mayWriteIndex", () => {
  it.each([
    ["m[k] = v", true],
    ["m[k]=v", true],
    ["m[k] += 2", true],
    ["m[k] <<= 1", true],
    ["m[k]++", true],
    ["(m)[k] = v", true],
    ["a[i], m[k] = 1, 2", true],
    ["v := m[k]", false],
    ["if m[k] == nil {", false],
    ["if a[i] <= b[j] || a[i] >= c || a[i] != d {", false],
    ["f(a[i], b == c)", false],
  ])("%s → %s", (text, want) => expect(mayWriteIndex(text)).toBe(want));
});

describe("mayWriteIndexOf", () => {
  const names = new Set(["cache", "seen"]);
  it.each([
    ["cache[k] = v", true],
    ["(cache)[k]++", true],
    ["a[i], seen[k] = 1, 2", true],
    ["cache[a[i]] = 1", true],
    // Brackets in a string hide the operand: any name may be written.
    ['other["]"] = 1', true],
    ["other[k] = v", false],
    ["x.cache[k] = v", false],
    ["a[i], other[k] = 1, 2", false],
    ["v := cache[k]", false],
    ["foo(cache[k]) <= 3", false],
  ])("%s → %s", (text, want) => expect(mayWriteIndexOf(text, names)).toBe(want));
});

describe("mayStartGoroutine", () => {
  it.each([
    ["go func() {", true],
    ["\tgo f(x)", true],
    ["go(f)()", true],
    // Prose may say yes: only the cost of a parse.
    ["// we go through the list", true],
    ["x.go f", false],
    ["gofmt x; algo := 1", false],
  ])("%s → %s", (text, want) => expect(mayStartGoroutine(text)).toBe(want));
});

describe("maySlice", () => {
  it.each([
    ["x = b[i:j]", true],
    ["x = b[:n]", true],
    ["y = b[i:]", true],
    ["z = b[a[0]:]", true],
    ["x := m[k]", false],
    ["case 1:\n\tx[0] = 1", false],
    ["m := map[string]int{}", false],
  ])("%s → %s", (text, want) => expect(maySlice(text)).toBe(want));
});

describe("mayAppendToItself", () => {
  it.each([
    ["out = append(out, x)", true],
    ["out = append( out , x)", true],
    ["out = append(other, x)", false],
    ["outs = append(out, x)", false],
  ])("%s → %s", (text, want) => expect(mayAppendToItself(text)).toBe(want));
});

describe("mayResliceItself", () => {
  const variables = new Set(["queue"]);
  it.each([
    ["queue = queue[1:]", true],
    ["s.items = s.items[:n-1]", true],
    ["*p = (*p)[1:]", true],
    ["x := 1; queue = queue[i:]", true],
    ["head, queue = queue[0], queue[1:]", true],
    // A local re-sliced is the caller's concern only through a variable that outlives it.
    ["local = local[1:]", false],
    ["rest := queue[1:]", false],
    // Colons of other kinds, on lines with brackets and assignments around them.
    ["m := map[string]int{\"a\": 1}", false],
    ["v = T{Key: a[0]}", false],
    ["case x[0] == y:", false],
  ])("%s → %s", (text, want) => expect(mayResliceItself(text, variables)).toBe(want));
});

describe("hasWord", () => {
  it.each([
    ["for {", "for", true],
    ["x := range xs", "range", true],
    ["format(x)", "for", false],
    ["xfor", "for", false],
    ["_for", "for", false],
  ])("%s has %s → %s", (text, word, want) => expect(hasWord(text, word)).toBe(want));
});
