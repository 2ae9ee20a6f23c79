import { describe, expect, it } from "vitest";
import { allLinesChanged, changedLinesBetween, changedLinesFromPatch, isInHunk, parseGitDiff, PatchError } from "../../src/engine/diff.js";

describe("changed lines", () => {
  it("marks every line of a whole file as a set would, without an entry per line", () => {
    const { added, deleted } = allLinesChanged(4);
    expect(added.size).toBe(4);
    expect([1, 4].map((l) => added.has(l))).toEqual([true, true]);
    expect([0, 5, 2.5, -1].map((l) => added.has(l))).toEqual([false, false, false, false]);
    expect([...added]).toEqual([1, 2, 3, 4]);
    expect([...added.entries()]).toEqual([...new Set([1, 2, 3, 4]).entries()]);
    const seen: number[] = [];
    added.forEach((l) => seen.push(l));
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(deleted.size).toBe(0);
    expect([...allLinesChanged(0).added]).toEqual([]);
  });

  it("reads GitHub's header-less patch strings", () => {
    const changed = changedLinesFromPatch("@@ -1,4 +1,5 @@\n package a\n-var x = 1\n+var x = 2\n+var y = 3\n func f() {}\n \n");
    expect([...changed.added]).toEqual([2, 3]);
    expect([...changed.deleted]).toEqual([2]);
    expect(isInHunk(changed, 4)).toBe(true);
    expect(isInHunk(changed, 9)).toBe(false);
  });

  it("handles a missing newline marker", () => {
    const changed = changedLinesFromPatch("@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file");
    expect([...changed.added]).toEqual([1]);
    expect([...changed.deleted]).toEqual([1]);
  });

  it("rejects malformed hunks with a PatchError", () => {
    expect(() => changedLinesFromPatch("@@ -1,2 +1,9 @@\n-a\n")).toThrow(PatchError);
    // A garbled header that the diff package reads as NaN (found by the property tests).
    expect(() => changedLinesFromPatch("@@ -16,7 +16,   \t\tif err := x \t\treturn err\n-\t\t}\n+{ }")).toThrow(PatchError);
  });

  it("diffs two contents when there is no patch", () => {
    const changed = changedLinesBetween("a\nb\nc\n", "a\nB\nc\nd\n");
    expect([...changed.added]).toEqual([2, 4]);
    expect([...changed.deleted]).toEqual([2]);
  });

  it("reads git diff output with renames, additions and deletions", () => {
    const text = [
      "diff --git a/old.go b/new.go",
      "similarity index 90%",
      "rename from old.go",
      "rename to new.go",
      "--- a/old.go",
      "+++ b/new.go",
      "@@ -1,2 +1,2 @@",
      " package a",
      "-var x = 1",
      "+var x = 2",
      "diff --git a/gone.go b/gone.go",
      "deleted file mode 100644",
      "--- a/gone.go",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-package a",
      "diff --git a/moved.go b/moved2.go",
      "similarity index 100%",
      "rename from moved.go",
      "rename to moved2.go",
      "diff --git a/new.go b/fresh.go",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/fresh.go",
      "@@ -0,0 +1 @@",
      "+package a",
      "",
    ].join("\n");
    const files = parseGitDiff(text).map((f) => ({ path: f.path, oldPath: f.oldPath, status: f.status, added: [...f.changed.added] }));
    expect(files).toEqual([
      { path: "new.go", oldPath: "old.go", status: "renamed", added: [2] },
      { path: "gone.go", oldPath: "gone.go", status: "removed", added: [] },
      { path: "moved2.go", oldPath: "moved.go", status: "renamed", added: [] },
      { path: "fresh.go", oldPath: "fresh.go", status: "added", added: [1] },
    ]);
  });
});
