import fc from "fast-check";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/load.js";
import { collectChangeSet, reverseApply } from "../../src/github/change-set.js";
import { api, BASE_SHA, Captured, githubPatch, HEAD_SHA, mockContents, mockFiles, TestOctokit, treeExpressions } from "../helpers/github.js";

const octokit = () => new TestOctokit({ auth: { token: "test-token" } });
const target = { owner: "acme", repo: "payments", pullNumber: 42, headSha: HEAD_SHA, baseSha: BASE_SHA };

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("reverseApply", () => {
  it("recovers the merge-base version from the head version and GitHub's patch", () => {
    const line = fc.constantFrom("package p", "", "func A() {}", "\tx := 1", "}", "// c", "\treturn nil", "\tdefer f.Close()");
    let recovered = 0;
    let tried = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), fc.boolean(), fc.boolean(), (a, b, nlA, nlB) => {
        const base = a.join("\n") + (nlA && a.length > 0 ? "\n" : "");
        const head = b.join("\n") + (nlB && b.length > 0 ? "\n" : "");
        const patch = githubPatch(base, head);
        if (patch === "") return;
        // Never a wrong base: either the exact one, or undefined (then the base is fetched).
        const result = reverseApply(head, patch);
        if (result !== undefined) expect(result).toBe(base);
        // Files that are not empty on either side are always recovered.
        if (base !== "" && head !== "") {
          tried++;
          if (result !== undefined) recovered++;
        }
      }),
      { numRuns: 400 },
    );
    expect(tried).toBeGreaterThan(200);
    expect(recovered).toBe(tried);
  });

  it("works with CRLF files and says undefined when the patch does not fit", () => {
    const base = "package p\r\n\r\nfunc A() {}\r\n";
    const head = "package p\r\n\r\nfunc A() { return }\r\n";
    expect(reverseApply(head, githubPatch(base, head))).toBe(base);
    expect(reverseApply("something else entirely\n", githubPatch(base, head))).toBeUndefined();
    expect(reverseApply(head, "@@ not a hunk")).toBeUndefined();
  });
});

describe("collectChangeSet", () => {
  it("reads renamed files' base under the old name, skips pure renames and removed files, refetches a patch that does not reverse", async () => {
    const scope = api();
    const files = [
      // renamed with changes, no patch: base read at base.sha under the old name
      { filename: "pkg/new.go", previous_filename: "pkg/old.go", status: "renamed", additions: 900, deletions: 800, changes: 1700 },
      // pure rename: nothing changed, nothing fetched
      { filename: "pkg/moved.go", previous_filename: "pkg/was.go", status: "renamed", additions: 0, deletions: 0, changes: 0 },
      { filename: "pkg/gone.go", status: "removed", additions: 0, deletions: 3, changes: 3, patch: "@@ -1,3 +0,0 @@\n-package pkg\n-\n-var x = 1" },
      // a patch that does not apply backwards to the head GitHub returns (base fetched in a second query)
      { filename: "pkg/odd.go", status: "modified", additions: 1, deletions: 1, changes: 2, patch: "@@ -1,1 +1,1 @@\n-package other\n+package elsewhere" },
      { filename: "README.md", status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -1 +1,2 @@\n # x\n+y" },
    ];
    mockFiles(scope, files);
    const first = new Captured();
    mockContents(
      scope,
      {
        [`${HEAD_SHA}:pkg/new.go`]: "package pkg\n\nfunc New() {}\n",
        [`${BASE_SHA}:pkg/old.go`]: "package pkg\n\nfunc Old() {}\n",
        [`${HEAD_SHA}:pkg/odd.go`]: "package pkg\n",
        [`${HEAD_SHA}:go.mod`]: "module m\n\ngo 1.21.5\n",
      },
      first,
    );
    const second = new Captured();
    mockContents(scope, { [`${BASE_SHA}:pkg/odd.go`]: "package pkg // old\n" }, second);
    const set = await collectChangeSet(octokit(), { ...target, changedFiles: 5 }, defaultConfig());
    expect(scope.isDone()).toBe(true);
    expect(Object.values(first.first.variables).slice(2, -1)).toEqual([
      `${HEAD_SHA}:pkg/new.go`,
      `${BASE_SHA}:pkg/old.go`,
      `${HEAD_SHA}:pkg/odd.go`,
      `${HEAD_SHA}:go.mod`,
    ]);
    // The touched package's directory rides in the same query (contracts.scan_package).
    expect(treeExpressions(first.first)).toEqual([`${HEAD_SHA}:pkg`]);
    expect(Object.values(second.first.variables).slice(2)).toEqual([`${BASE_SHA}:pkg/odd.go`]);
    expect(set.goVersion).toBe("1.21.5");
    expect(set.goFiles).toBe(3);
    expect(set.files.map((f) => [f.path, f.oldPath, f.base])).toEqual([
      ["pkg/new.go", "pkg/old.go", "package pkg\n\nfunc Old() {}\n"],
      ["pkg/odd.go", undefined, "package pkg // old\n"],
    ]);
    // No patch: comments cannot be placed (no hunks), the changes are known from the contents.
    expect(set.changedByPath.get("pkg/new.go")!.hunks).toEqual([]);
    expect(set.changedByPath.get("pkg/new.go")!.added.has(3)).toBe(true);
    // A patch whose lines are not the head's cannot place comments: it is replaced by the contents' diff, and the run says so.
    expect(set.changedByPath.get("pkg/odd.go")!.hunks).toEqual([]);
    expect(set.partial).toEqual([expect.stringMatching(/^pkg\/odd\.go: the diff GitHub sent does not match the file's contents/)]);
    expect(set.capped).toBe(false);
  });

  it("without candidates reads no contents at all", async () => {
    const scope = api();
    mockFiles(scope, [{ filename: "vendor/x/y.go", status: "added", additions: 1, deletions: 0, changes: 1, patch: "@@ -0,0 +1 @@\n+package y" }]);
    const set = await collectChangeSet(octokit(), target, defaultConfig());
    expect(scope.isDone()).toBe(true);
    expect(set.skipped).toEqual([{ path: "vendor/x/y.go", reason: "matched by paths.exclude" }]);
    expect(set.files).toEqual([]);
  });
});
