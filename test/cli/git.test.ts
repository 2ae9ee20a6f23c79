/** The git helpers of `review`: blobs read through a `git cat-file --batch` started ahead of time. */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { blobReader, gitBytes, readBlobs } from "../../src/cli/git.js";
import { cleanTempDirs, commitAll, git, makeRepo, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

describe("blobReader", () => {
  it("reads what readBlobs reads, before and after its own process is used", async () => {
    const dir = makeRepo({ "a.go": "package a\n", "sub/b.go": "package sub\n\nvar B = 1\n" });
    const first = git(dir, "rev-parse", "HEAD").trim();
    writeFiles(dir, { "a.go": "package a // changed\n" });
    commitAll(dir);
    const second = git(dir, "rev-parse", "HEAD").trim();

    const read = blobReader(dir);
    // Nothing to read: the started process is kept for the next call.
    expect(await read(first, [])).toEqual(new Map());
    const fromStarted = await read(first, ["a.go", "sub/b.go", "gone.go", "a.go"]);
    expect(fromStarted).toEqual(new Map([["a.go", "package a\n"], ["sub/b.go", "package sub\n\nvar B = 1\n"], ["gone.go", null]]));
    expect(fromStarted).toEqual(await readBlobs(dir, first, ["a.go", "sub/b.go", "gone.go"]));
    // Later calls start their own process.
    expect(await read(second, ["a.go"])).toEqual(new Map([["a.go", "package a // changed\n"]]));
    read.close();
  });

  it("closed unused, it still reads (with a process of its own)", async () => {
    const dir = makeRepo({ "a.go": "package a\n" });
    const read = blobReader(dir);
    read.close();
    expect(await read("HEAD", ["a.go"])).toEqual(new Map([["a.go", "package a\n"]]));
  });

  it("a repository git cannot read fails the read with git's message", async () => {
    const read = blobReader("/nonexistent-memlint-dir");
    await expect(read("HEAD", ["a.go"])).rejects.toThrow();
  });
});

describe("gitBytes", () => {
  it("says a working directory that is gone is gone, not that git is missing", async () => {
    const gone = join(makeRepo({ "a.go": "package a\n" }), "no-such-dir");
    await expect(gitBytes(["status"], { cwd: gone })).rejects.toThrow(`cannot run git in ${gone}: no such directory`);
  });
});
