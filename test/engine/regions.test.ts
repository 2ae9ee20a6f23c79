/**
 * What the head version tells about the base where the two are the same: the regions, and the
 * base's text searches, which read only the changed middle when the head lacks the text.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { changedLinesBetween } from "../../src/engine/diff.js";
import { initParser } from "../../src/engine/parser.js";
import { LineIndex } from "../../src/engine/position.js";
import { unchangedRegions } from "../../src/engine/regions.js";
import { SourceFile } from "../../src/engine/source.js";

beforeAll(initParser);

const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `var v${from + i} = ${from + i}\n`).join("");

describe("unchangedRegions", () => {
  it("finds the shared prefix and tail around a one-line change", () => {
    const base = `package p\n${lines(20)}`;
    const head = base.replace("var v10 = 10\n", "var v10 = 11\n");
    const r = unchangedRegions(base, head, new LineIndex(head), changedLinesBetween(base, head))!;
    expect(base.slice(0, r.prefix)).toBe(head.slice(0, r.prefix));
    expect(base.slice(r.baseTail)).toBe(head.slice(r.headTail));
    expect(r.prefix).toBeLessThanOrEqual(base.indexOf("var v10"));
    expect(r.baseTail).toBeGreaterThan(base.indexOf("var v10"));
  });

  it("is undefined for a patch that belongs to other contents", () => {
    const base = `package p\n${lines(20)}`;
    const other = base.replace("var v3 = 3\n", "var v3 = 4\n");
    const head = base.replace("var v15 = 15\n", "var v15 = 16\n");
    expect(unchangedRegions(base, head, new LineIndex(head), changedLinesBetween(base, other))).toBeUndefined();
  });
});

describe("a base version's text searches", () => {
  const base = `package p\n${lines(30)}`;
  const edit = (text: string) => text.replace("var v20 = 20\n", "var v20 = 20 // memlint:owned here\n");

  it("find what only the changed middle of the base holds, and what the shared parts hold", () => {
    // The base holds the text in its changed middle; the head does not.
    const head = base;
    const baseWith = edit(base);
    const regions = unchangedRegions(baseWith, head, new LineIndex(head), changedLinesBetween(baseWith, head))!;
    const headFile = new SourceFile("p.go", head, new Set());
    const baseFile = new SourceFile("p.go", baseWith, new Set(), { headVersion: { file: headFile, regions } });
    expect(baseFile.packageContains("memlint:owned")).toBe(true);
    expect(headFile.packageContains("memlint:owned")).toBe(false);
    // Text across the edge of the changed middle, and text in the shared prefix.
    expect(baseFile.packageContains("20 // memlint")).toBe(true);
    expect(baseFile.packageContains("var v19 = 19\nvar v20")).toBe(true);
    expect(baseFile.packageContains("var v2 = 2\n")).toBe(true);
    expect(baseFile.packageContains("var v99")).toBe(false);
  });
});
