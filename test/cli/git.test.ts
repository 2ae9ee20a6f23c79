/**
 * The git helpers of `review`: blobs read in one `git cat-file --batch`, blob ids as git computes
 * them, the base branch's refs read from the repository's files as `git for-each-ref` lists them,
 * and base contents rebuilt from the patch exactly as git stores them.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { collectChange } from "../../src/cli/change.js";
import { blobId, changeDiff, comparisonBase, gitBytes, listRefsWithGit, readBlobs } from "../../src/cli/git.js";
import { listRefsFromFiles } from "../../src/cli/refs.js";
import { cleanTempDirs, commitAll, git, GIT_ENV, makeRepo, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const BASE_REFS = ["refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master"];

describe("readBlobs", () => {
  it("reads each path of a commit once, null for what the commit does not have", async () => {
    const dir = makeRepo({ "a.go": "package a\n", "sub/b.go": "package sub\n\nvar B = 1\n" });
    const first = git(dir, "rev-parse", "HEAD").trim();
    writeFiles(dir, { "a.go": "package a // changed\n" });
    commitAll(dir);
    expect(await readBlobs(dir, first, [])).toEqual(new Map());
    expect(await readBlobs(dir, first, ["a.go", "sub/b.go", "gone.go", "a.go"])).toEqual(
      new Map([["a.go", "package a\n"], ["sub/b.go", "package sub\n\nvar B = 1\n"], ["gone.go", null]]),
    );
    expect(await readBlobs(dir, "HEAD", ["a.go"])).toEqual(new Map([["a.go", "package a // changed\n"]]));
  });

  it("a repository git cannot read fails the read with git's message", async () => {
    await expect(readBlobs("/nonexistent-memlint-dir", "HEAD", ["a.go"])).rejects.toThrow();
  });
});

describe("blobId", () => {
  const hashObject = (dir: string, text: string) => execFileSync("git", ["hash-object", "--stdin"], { cwd: dir, input: text, encoding: "utf8", env: { ...process.env, ...GIT_ENV } }).trim();

  it("is git's id for the same contents, SHA-1 and SHA-256", () => {
    const sha1 = makeRepo({ "a.go": "package a\n" });
    const sha256 = tempDir();
    git(sha256, "init", "-q", "--object-format=sha256");
    for (const text of ["", "package a\n", "naïve — 日本語\r\n", "no newline"]) {
      expect(blobId(text, 40)).toBe(hashObject(sha1, text));
      expect(blobId(text, 64)).toBe(hashObject(sha256, text));
    }
  });
});

describe("listRefsFromFiles", () => {
  /** A repository with a remote whose HEAD names `main`, on a feature branch. */
  function cloned(): { origin: string; clone: string } {
    const origin = makeRepo({ "a.go": "package a\n" });
    const clone = tempDir();
    git(clone, "clone", "-q", origin, ".");
    git(clone, "checkout", "-q", "-b", "feature");
    writeFiles(clone, { "a.go": "package a // feature\n" });
    commitAll(clone);
    return { origin, clone };
  }

  const same = async (dir: string) => {
    const fromFiles = listRefsFromFiles(dir, BASE_REFS, {});
    expect(fromFiles).toBeDefined();
    expect(fromFiles).toEqual(await listRefsWithGit(dir));
    return fromFiles!;
  };

  it("lists what git lists: loose refs, packed refs, a symbolic origin/HEAD, the branch checked out", async () => {
    const { clone } = cloned();
    const refs = await same(clone);
    expect(refs.get("refs/remotes/origin/HEAD")).toMatchObject({ target: "refs/remotes/origin/main", current: false });
    expect(refs.get("refs/heads/main")).toMatchObject({ current: false });
    git(clone, "checkout", "-q", "main");
    expect((await same(clone)).get("refs/heads/main")).toMatchObject({ current: true });
    git(clone, "pack-refs", "--all");
    await same(clone);
    // A loose ref beside a stale packed one wins, as in git.
    git(clone, "update-ref", "refs/heads/main", git(clone, "rev-parse", "feature").trim());
    await same(clone);
  });

  it("leaves out an origin/HEAD whose target is gone; reads detached HEADs, master and linked worktrees", async () => {
    const { clone } = cloned();
    git(clone, "update-ref", "-d", "refs/remotes/origin/main");
    expect((await same(clone)).has("refs/remotes/origin/HEAD")).toBe(false);
    git(clone, "checkout", "-q", "--detach");
    await same(clone);
    git(clone, "branch", "-q", "-m", "main", "master");
    await same(clone);
    const worktree = join(tempDir(), "wt");
    git(clone, "worktree", "add", "-q", worktree, "master");
    expect((await same(worktree)).get("refs/heads/master")).toMatchObject({ current: true });
  });

  it("gives undefined where git must be asked: relocating variables, an unreadable layout", () => {
    const dir = makeRepo({ "a.go": "package a\n" });
    expect(listRefsFromFiles(dir, BASE_REFS, { GIT_DIR: join(dir, ".git") })).toBeUndefined();
    const notRepo = tempDir();
    writeFileSync(join(notRepo, ".git"), "not a gitdir line\n");
    expect(listRefsFromFiles(notRepo, BASE_REFS, {})).toBeUndefined();
    mkdirSync(join(dir, ".git/reftable"));
    writeFileSync(join(dir, ".git/reftable/tables.list"), "");
    expect(listRefsFromFiles(dir, BASE_REFS, {})).toBeUndefined();
  });

  it("the comparison names the base branch as before: origin/HEAD's target, its merge base with HEAD", async () => {
    const { clone } = cloned();
    const mainCommit = git(clone, "rev-parse", "main").trim();
    expect(await comparisonBase(clone)).toEqual({ ref: "origin/main", base: mainCommit });
  });
});

describe("collectChange", () => {
  const gitShow = (dir: string, spec: string) => execFileSync("git", ["show", spec], { cwd: dir, env: { ...process.env, ...GIT_ENV } });

  it("rebuilds each base exactly as git stores it, or reads it when the patch cannot give it", async () => {
    const files: Record<string, string> = {
      "plain.go": "package p\n\nfunc A() {}\n",
      "crlf.go": "package p\r\n\r\nfunc B() {}\r\n",
      "noeol.go": "package p\n\nfunc C() {}",
      "moved.go": "package p\n\nfunc D() {}\n",
      "moved_edited.go": "package p\n\nfunc E() {\n\t_ = 1\n\t_ = 2\n\t_ = 3\n\t_ = 4\n}\n",
      "nul.go": "package p\n\n// \u0000\n",
    };
    const dir = makeRepo(files);
    // Not UTF-8: decoding loses the byte, so no rebuilt text can have git's id; git's own bytes are read.
    writeFileSync(join(dir, "latin1.go"), Buffer.from("package p\n\n// caf\xe9\n", "latin1"));
    commitAll(dir);
    const base = git(dir, "rev-parse", "HEAD").trim();
    writeFiles(dir, {
      "plain.go": "package p\n\nfunc A() { _ = 0 }\n",
      "crlf.go": "package p\r\n\r\nfunc B() { _ = 0 }\r\n",
      "noeol.go": "package p\n\nfunc C() { _ = 0 }",
      "nul.go": "package p\n\n// \u0000 changed\n",
    });
    writeFileSync(join(dir, "latin1.go"), Buffer.from("package p\n\n// caf\xe9 changed\n", "latin1"));
    git(dir, "mv", "moved.go", "renamed.go");
    git(dir, "mv", "moved_edited.go", "renamed_edited.go");
    writeFiles(dir, { "renamed_edited.go": files["moved_edited.go"]!.replace("_ = 4", "_ = 5") });

    const inputs = await collectChange(dir, base);
    expect(inputs.map((i) => i.path)).toEqual(["crlf.go", "latin1.go", "noeol.go", "nul.go", "plain.go", "renamed.go", "renamed_edited.go"]);
    for (const input of inputs) {
      const stored = gitShow(dir, `${base}:${input.oldPath ?? input.path}`).toString("utf8");
      expect(input.base, input.path).toBe(stored);
    }
  });

  it.each(["sha1", "sha256"])("needs no git object for a base the patch gives back (%s ids)", async (format) => {
    const dir = tempDir();
    git(dir, "init", "-q", `--object-format=${format}`, "-b", "main");
    writeFiles(dir, { "a.go": "package a\n\nfunc A() {}\n" });
    commitAll(dir);
    const base = git(dir, "rev-parse", "HEAD").trim();
    writeFiles(dir, { "a.go": "package a\n\nfunc A() { _ = 1 }\n" });
    const diff = await changeDiff(dir, base, { kind: "worktree" });
    // With the base's blob gone from the repository, only the patch can give the base back.
    const blob = git(dir, "rev-parse", `${base}:a.go`).trim();
    rmSync(join(dir, ".git/objects", blob.slice(0, 2), blob.slice(2)));
    const [input] = await collectChange(dir, base, { kind: "worktree" }, Promise.resolve(diff));
    expect(input!.base).toBe("package a\n\nfunc A() {}\n");
  });
});

describe("gitBytes", () => {
  it("says a working directory that is gone is gone, not that git is missing", async () => {
    const gone = join(makeRepo({ "a.go": "package a\n" }), "no-such-dir");
    await expect(gitBytes(["status"], { cwd: gone })).rejects.toThrow(`cannot run git in ${gone}: no such directory`);
  });
});
