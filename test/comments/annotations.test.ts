import { describe, expect, it } from "vitest";
import {
  ANNOTATIONS_PER_REQUEST,
  batchAnnotations,
  MAX_ANNOTATION_TITLE,
  toAnnotations,
} from "../../src/comments/annotations.js";
import { finding } from "./findings.js";

describe("annotations", () => {
  it("uses GitHub's batch size of 50 per request", () => {
    expect(ANNOTATIONS_PER_REQUEST).toBe(50);
    const list = toAnnotations(Array.from({ length: 120 }, (_, i) => finding({ line: i + 1 })));
    const batches = batchAnnotations(list);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(list);
    expect(batchAnnotations([])).toEqual([]);
  });

  it("maps severities to annotation levels", () => {
    const [e, w, i] = toAnnotations([finding({ severity: "error" }), finding({ severity: "warning" }), finding({ severity: "info" })]);
    expect([e!.annotation_level, w!.annotation_level, i!.annotation_level]).toEqual(["failure", "warning", "notice"]);
  });

  it("keeps the title within 255 characters", () => {
    const [a] = toAnnotations([finding({ title: "x".repeat(1000) })]);
    expect(a!.title.length).toBeLessThanOrEqual(MAX_ANNOTATION_TITLE);
    expect(a!.title.endsWith("…")).toBe(true);
  });

  it("gives the location, message, fix and details", () => {
    const f = finding({ path: "pkg/a.go", line: 12, endLine: 12, column: 2, endColumn: 9 });
    const [a] = toAnnotations([f]);
    expect(a).toMatchObject({ path: "pkg/a.go", start_line: 12, end_line: 12, start_column: 2, end_column: 9 });
    expect(a!.title).toBe("Warning: defer inside a loop (defer-in-loop)");
    expect(a!.message).toContain("defer f.Close() runs when the function returns");
    expect(a!.message).toContain("Fix: Move the loop body");
    expect(a!.raw_details).toContain("docs/rules.md#defer-in-loop");
    expect(a!.raw_details).toContain(f.id);
  });

  it("leaves columns out of multi-line annotations", () => {
    const [a] = toAnnotations([finding({ line: 3, endLine: 8 })]);
    expect(a!.start_line).toBe(3);
    expect(a!.end_line).toBe(8);
    expect(a!.start_column).toBeUndefined();
    expect(a!.end_column).toBeUndefined();
  });
});
