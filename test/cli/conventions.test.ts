/**
 * What Go teams expect of a linter: several outputs at once with destinations, the formats other
 * tools read (each against its consumer's documented shape), `-C`, "no Go files", golangci-lint's
 * `//nolint`, reasons of the required length, and `--staged` / `--head` reviews.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Log } from "sarif";
import { afterAll, describe, expect, it } from "vitest";
import { cleanTempDirs, commitAll, git, GO_MOD, makeRepo, runCli, tempDir, writeFiles } from "./helpers.js";
import { parseXml, shapeViolations } from "./consumer-shapes.js";
import { sarifViolations } from "./sarif.js";

afterAll(cleanTempDirs);

/** `defer` in a loop on line 5, with a message that quotes code (backticks, a `<-`) and a path that needs escaping. */
const LOOP = "package m\n\nfunc F(xs []chan int) {\n\tfor _, c := range xs {\n\t\tdefer func() { <-c }()\n\t\tprintln()\n\t}\n}\n";
const CLEAN = "package m\n\nfunc G() int { return 1 }\n";

describe("--format <format>[=<file>]", () => {
  it("writes several formats at once, each to its destination", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a&b.go": LOOP, "ok.go": CLEAN });
    const r = await runCli(["check", ".", "--format", "sarif=out/../memlint.sarif", "--format", "text", "-f", "junit=junit.xml"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("a&b.go:5:3: warning defer-in-loop:");
    expect(sarifViolations(JSON.parse(readFileSync(join(dir, "memlint.sarif"), "utf8")) as Log)).toEqual([]);
    expect(shapeViolations("junit", readFileSync(join(dir, "junit.xml"), "utf8"))).toEqual([]);
  });

  it("refuses two formats on standard output, an empty file name and an unknown format, before any work", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP });
    const two = await runCli(["check", ".", "--format", "json", "--format", "text"], dir);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe("memlint: json and text would both go to standard output; send all but one to a file (--format text=<file>)\n");
    expect((await runCli(["check", ".", "--format", "json="], dir)).stderr).toBe("memlint: --format json= names no file; write --format json=<file>, or --format json for standard output\n");
    expect((await runCli(["check", ".", "--format", "checkstyl"], dir)).stderr).toBe(
      'memlint: unknown format "checkstyl"; did you mean "checkstyle"? (formats: text, json, sarif, github, checkstyle, junit, code-climate)\n',
    );
    const unwritable = await runCli(["check", ".", "--format", "json=missing/dir/out.json"], dir);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toBe("memlint: cannot write missing/dir/out.json: ENOENT\n");
  });

  it("checkstyle: every analyzed file, one <error> per finding, escaped, in the shape reviewdog and Jenkins read", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a&b.go": LOOP, "ok.go": CLEAN });
    const r = await runCli(["check", ".", "--format", "checkstyle"], dir);
    expect(shapeViolations("checkstyle", r.stdout)).toEqual([]);
    const files = (parseXml(r.stdout).checkstyle as { file: { name: string; error?: Record<string, unknown>[] }[] }).file;
    expect(files.map((f) => f.name)).toEqual(["a&b.go", "ok.go"]);
    expect(files[0]!.error).toEqual([
      { line: 5, column: 3, severity: "warning", message: expect.stringContaining("`defer func() { <-c }()`"), source: "memlint.defer-in-loop" },
    ]);
    expect(files[1]!.error).toBeUndefined();
    expect(r.stdout).toContain('name="a&amp;b.go"');
  });

  it("junit: a failing test case per finding, a passing one per clean file, in the shape GitLab documents", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a&b.go": LOOP, "ok.go": CLEAN });
    const r = await runCli(["check", ".", "--format", "junit"], dir);
    expect(shapeViolations("junit", r.stdout)).toEqual([]);
    const root = parseXml(r.stdout).testsuites as { tests: number; failures: number; testsuite: { name: string; testcase: Record<string, unknown>[] }[] };
    expect([root.tests, root.failures]).toEqual([2, 1]);
    const [bad, ok] = root.testsuite;
    expect(bad!.testcase[0]).toMatchObject({ name: "defer-in-loop at a&b.go:5", classname: "a&b.go", file: "a&b.go", line: 5, failure: { type: "warning" } });
    expect(ok!.testcase).toEqual([{ name: "no memory-management findings", classname: "ok.go", file: "ok.go", time: 0 }]);
  });

  it("code-climate: GitLab Code Quality issues with memlint's line-independent fingerprints", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a&b.go": LOOP });
    const r = await runCli(["check", ".", "--format", "code-climate"], dir);
    expect(shapeViolations("code-climate", r.stdout)).toEqual([]);
    const json = (await runCli(["check", ".", "--format", "json"], dir)).stdout;
    const [issue] = JSON.parse(r.stdout) as { fingerprint: string; check_name: string; severity: string; location: unknown }[];
    expect(issue).toMatchObject({ check_name: "defer-in-loop", severity: "major", location: { path: "a&b.go", lines: { begin: 5, end: 5 } } });
    expect(issue!.fingerprint).toBe((JSON.parse(json) as { findings: { introduced: { fingerprint: string }[] } }).findings.introduced[0]!.fingerprint);
    writeFiles(dir, { "ok.go": CLEAN });
    expect(JSON.parse((await runCli(["check", "ok.go", "-f", "code-climate"], dir)).stdout)).toEqual([]);
  });
});

describe("-C <dir> and directories without Go files", () => {
  it("runs as if started in <dir>", async () => {
    const dir = tempDir();
    writeFiles(dir, { "svc/a.go": LOOP });
    const r = await runCli(["-C", "svc", "check", "."], dir);
    expect(r.stdout).toContain("a.go:5:3: warning defer-in-loop:");
    const missing = await runCli(["-C", "nowhere", "check", "."], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`memlint: no such directory: ${join(dir, "nowhere")}\n`);
  });

  it("says there are no Go files and exits 2, naming what the configuration excluded", async () => {
    const dir = tempDir();
    writeFiles(dir, { "docs/README.md": "# docs\n", "only_test/a_test.go": "package m\n", ".github/memlint.yml": "tests: false\n" });
    const none = await runCli(["check", "docs"], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("memlint: no Go files in docs\n");
    const excluded = await runCli(["check", "only_test/..."], dir);
    expect(excluded.code).toBe(2);
    expect(excluded.stderr).toBe("memlint: no Go files in only_test/... to analyze (1 excluded by the configuration's paths and tests settings)\n");
  });
});

describe("in-code suppressions", () => {
  const withComment = (comment: string) => LOOP.replace("\t\tdefer func() { <-c }()\n", `\t\tdefer func() { <-c }() ${comment}\n`);

  it.each([
    ["//nolint", "//nolint"],
    ["//nolint:all", "//nolint"],
    ["// nolint:errcheck, memlint", "//nolint"],
    ["//nolint:memlint // closed by the pool", "closed by the pool"],
    ["//nolint // generated glue", "generated glue"],
  ])("honours %s as golangci-lint does", async (comment, reason) => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": withComment(comment) });
    const r = JSON.parse((await runCli(["check", ".", "--format", "json"], dir)).stdout) as { findings: { introduced: unknown[]; suppressed: { suppression: { reason: string } }[] } };
    expect(r.findings.introduced).toEqual([]);
    expect(r.findings.suppressed.map((s) => s.suppression.reason)).toEqual([reason]);
  });

  it("leaves a //nolint for other linters alone", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": withComment("//nolint:errcheck,gosec // not memlint's business") });
    expect((await runCli(["check", "."], dir)).stdout).toContain("a.go:5:3: warning defer-in-loop:");
  });

  it("applies ignore.min_reason_length to //memlint:ignore, blaming a change only for what it adds", async () => {
    const short = "//memlint:ignore defer-in-loop -- it is ok";
    const long = "//memlint:ignore defer-in-loop -- the channels are drained elsewhere";
    const dir = tempDir();
    writeFiles(dir, { "a.go": withComment(short), "b.go": withComment(long).replace("package m", "package m\n\n// b"), ".github/memlint.yml": "ignore:\n  min_reason_length: 20\n" });
    const r = await runCli(["check", ".", "--format", "json"], dir);
    const report = JSON.parse(r.stdout) as { findings: { introduced: { path: string; message: string }[]; suppressed: { path: string }[] } };
    expect(report.findings.introduced.map((f) => f.path)).toEqual(["a.go"]);
    expect(report.findings.introduced[0]!.message).toMatch(/\(The `\/\/memlint:ignore` on line 5 does not silence this: its reason has 8 characters, and `ignore.min_reason_length` asks for at least 20\.\)$/);
    expect(report.findings.suppressed.map((f) => f.path)).toEqual(["b.go"]);

    // In a review, an ignore that was already there is pre-existing, one the change adds is introduced.
    const repo = makeRepo({ "go.mod": GO_MOD, "a.go": withComment(short), ".github/memlint.yml": "ignore:\n  min_reason_length: 20\n" });
    writeFiles(repo, { "a.go": withComment(short).replace("println()", "println(1)") });
    const old = JSON.parse((await runCli(["review", "--format", "json"], repo)).stdout) as { findings: { introduced: unknown[]; preexisting: unknown[] } };
    expect([old.findings.introduced.length, old.findings.preexisting.length]).toEqual([0, 1]);
    writeFiles(repo, { "a.go": withComment("//memlint:ignore defer-in-loop -- fine").replace("println()", "println(1)") });
    const added = JSON.parse((await runCli(["review", "--format", "json"], repo)).stdout) as { findings: { introduced: unknown[]; preexisting: unknown[] } };
    expect([added.findings.introduced.length, added.findings.preexisting.length]).toEqual([1, 0]);
  });
});

describe("review --staged and --head", () => {
  it("--staged reviews what the next commit holds, against HEAD", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "ok.go": CLEAN });
    writeFiles(dir, { "staged.go": LOOP });
    git(dir, "add", "staged.go");
    writeFiles(dir, { "unstaged.go": LOOP.replace("func F", "func H"), "ok.go": CLEAN.replace("return 1", "return 2") });
    const r = JSON.parse((await runCli(["review", "--staged", "--format", "json"], dir)).stdout) as { base: { ref: string }; findings: { introduced: { path: string }[] } };
    expect(r.base.ref).toBe("HEAD");
    expect(r.findings.introduced.map((f) => f.path)).toEqual(["staged.go"]);
    // The staged version counts, not the one on disk.
    writeFiles(dir, { "staged.go": CLEAN });
    expect((await runCli(["review", "--staged", "--fail-on", "warning"], dir)).code).toBe(1);
  });

  it("--staged works on the first commit of a repository", async () => {
    const dir = tempDir();
    git(dir, "init", "-q", "-b", "main");
    writeFiles(dir, { "a.go": LOOP });
    git(dir, "add", "a.go");
    const r = await runCli(["review", "--staged", "--verbose"], dir);
    expect(r.stderr).toContain("memlint: comparing the index with HEAD (no commits yet)");
    expect(r.stdout).toContain("a.go:5:3: warning defer-in-loop:");
  });

  it("--head reviews a commit without checking it out", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "ok.go": CLEAN });
    git(dir, "checkout", "-q", "-b", "feature");
    writeFiles(dir, { "a.go": LOOP });
    commitAll(dir, "feature");
    git(dir, "checkout", "-q", "main");
    expect(existsSync(join(dir, "a.go"))).toBe(false);
    const r = await runCli(["review", "--head", "feature", "--base", "main"], dir);
    expect(r.stdout).toContain("a.go:5:3: warning defer-in-loop:");
    expect((await runCli(["review", "--head", "nope"], dir)).stderr).toBe('memlint: unknown ref "nope"\n');
    expect((await runCli(["review", "--head", "feature", "--staged"], dir)).stderr).toBe("memlint: --staged and --head both say what to analyze; give one\n");
  });
});
