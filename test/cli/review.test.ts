/** `memlint review` end to end on temporary git repositories. */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonReport } from "../../src/cli/format/json.js";
import { RULES } from "../../src/rules/index.js";
import { CLIENT_GO, cleanTempDirs, commitAll, git, GO_MOD, LINES, makeRepo, runCli, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const hasRule = (id: string) => RULES.some((r) => r.meta.id === id);

function edit(dir: string, path: string, from: string, to: string): void {
  const file = join(dir, path);
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

/** `Count` gets a defer in its loop: a defer-in-loop finding introduced by the change. */
const DEFER_IN_COUNT = "\tfor range names {\n\t\tn++\n\t}";
const DEFER_IN_COUNT_NEW = "\tfor _, name := range names {\n\t\tf, _ := os.Open(name)\n\t\tdefer f.Close()\n\t\tn++\n\t}";

async function json(args: string[], cwd: string): Promise<{ code: number; report: JsonReport }> {
  const r = await runCli([...args, "--format", "json"], cwd);
  expect(r.stderr).toBe("");
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
}

describe("memlint review", () => {
  it("reports a finding the working tree introduces, on the right line", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    git(dir, "checkout", "-q", "-b", "feature");
    edit(dir, "client.go", DEFER_IN_COUNT, DEFER_IN_COUNT_NEW);

    const r = await runCli(["review"], dir);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("client.go:34:3: warning defer-in-loop:");
    expect(r.stdout).toMatch(/memlint: 1 warning in 1 file/);
    // defer-in-loop is a warning; the default --fail-on is error.
    expect(r.code).toBe(0);

    const { report } = await json(["review"], dir);
    expect(report.command).toBe("review");
    expect(report.base?.ref).toBe("main");
    expect(report.base?.mergeBase).toBe(git(dir, "rev-parse", "main").trim());
    expect(report.findings.introduced.map((f) => `${f.path}:${f.line}:${f.ruleId}`)).toEqual(["client.go:34:defer-in-loop"]);
  });

  it("does not report pre-existing findings in touched code, but counts them", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    // Touch OpenAll (which already defers in its loop) without adding anything.
    edit(dir, "client.go", "\t\t_ = f\n", "\t\t_ = f // still here\n");

    const r = await runCli(["review"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("defer-in-loop:");
    expect(r.stdout).toContain("memlint: no new findings in 1 file (and 1 pre-existing finding in touched code, not counted)");

    const shown = await runCli(["review", "--show-preexisting"], dir);
    expect(shown.stdout).toContain("Pre-existing findings in touched code (not counted):");
    expect(shown.stdout).toContain(`client.go:${LINES.openAllDefer}:3: warning defer-in-loop:`);
    expect(shown.code).toBe(0);

    const { report } = await json(["review", "--fail-on", "info"], dir);
    expect(report.findings.introduced).toEqual([]);
    expect(report.findings.preexisting.map((f) => f.line)).toEqual([LINES.openAllDefer]);
    expect(report.summary.preexisting).toBe(1);
  });

  it("sets the exit code by --fail-on", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    edit(dir, "client.go", DEFER_IN_COUNT, DEFER_IN_COUNT_NEW);
    expect((await runCli(["review"], dir)).code).toBe(0);
    expect((await runCli(["review", "--fail-on", "error"], dir)).code).toBe(0);
    expect((await runCli(["review", "--fail-on", "warning"], dir)).code).toBe(1);
    expect((await runCli(["review", "--fail-on", "info"], dir)).code).toBe(1);
    expect((await runCli(["review", "--fail-on", "never"], dir)).code).toBe(0);

    // The configuration's severity counts: as an error, the default --fail-on fails.
    writeFiles(dir, { ".github/memlint.yml": "rules:\n  defer-in-loop: error\n" });
    expect((await runCli(["review"], dir)).code).toBe(1);
    writeFiles(dir, { ".github/memlint.yml": "rules:\n  defer-in-loop: off\n" });
    const off = await runCli(["review", "--fail-on", "info"], dir);
    expect(off.code).toBe(0);
    expect(off.stdout).not.toContain("defer-in-loop");
  });

  it("compares with the merge base, not the base branch's tip", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    git(dir, "checkout", "-q", "-b", "feature");
    edit(dir, "client.go", DEFER_IN_COUNT, DEFER_IN_COUNT_NEW);
    commitAll(dir, "feature work");
    // main moves on: a change on main is not part of this branch's change.
    git(dir, "checkout", "-q", "main");
    writeFiles(dir, { "other.go": "package svc\n\nfunc Other(xs []int, open func() interface{ Close() error }) {\n\tfor range xs {\n\t\tdefer open().Close()\n\t\tprintln()\n\t}\n}\n" });
    commitAll(dir, "main work");
    git(dir, "checkout", "-q", "feature");

    const { report } = await json(["review", "--base", "main"], dir);
    expect(report.findings.introduced.map((f) => `${f.path}:${f.line}`)).toEqual(["client.go:34"]);
    expect(report.base?.mergeBase).toBe(git(dir, "merge-base", "main", "feature").trim());
  });

  it("on the base branch itself, compares with its commit, as with a merge base asked of git", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    edit(dir, "client.go", DEFER_IN_COUNT, DEFER_IN_COUNT_NEW);
    const main = git(dir, "rev-parse", "main").trim();

    const { report } = await json(["review"], dir);
    expect(report.base).toEqual({ ref: "main", mergeBase: main });
    expect(report.findings.introduced.map((f) => `${f.path}:${f.line}`)).toEqual(["client.go:34"]);
    // Committed on main: HEAD moved on, and so did the comparison (nothing left to review).
    commitAll(dir);
    const after = await json(["review"], dir);
    expect(after.report.base?.mergeBase).toBe(git(dir, "rev-parse", "main").trim());
    expect(after.report.findings.introduced).toEqual([]);
    // Staged changes compare with HEAD.
    edit(dir, "client.go", "\t\t_ = f\n", "\t\t_ = f // staged\n");
    git(dir, "add", "client.go");
    const staged = await json(["review", "--staged"], dir);
    expect(staged.report.base).toEqual({ ref: "HEAD", mergeBase: git(dir, "rev-parse", "HEAD").trim() });
    expect(staged.report.summary.filesAnalyzed).toBe(1);
  });

  it("includes staged, unstaged and untracked files, not ignored ones", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO, ".gitignore": "ignored.go\n" });
    const loop = (name: string) => `package svc\n\nimport "os"\n\nfunc ${name}(names []string) {\n\tfor _, n := range names {\n\t\tf, _ := os.Open(n)\n\t\tdefer f.Close()\n\t}\n}\n`;
    writeFiles(dir, { "staged.go": loop("Staged"), "untracked.go": loop("Untracked"), "ignored.go": loop("Ignored"), "pkg/deep.go": loop("Deep") });
    git(dir, "add", "staged.go");
    edit(dir, "client.go", DEFER_IN_COUNT, DEFER_IN_COUNT_NEW);

    const { report } = await json(["review"], dir);
    expect(report.findings.introduced.map((f) => `${f.path}:${f.line}`)).toEqual(["client.go:34", "pkg/deep.go:8", "staged.go:8", "untracked.go:8"]);
    expect(report.summary.filesAnalyzed).toBe(4);
  });

  it("follows a rename in the working tree without touching the repository's index", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    // A plain `mv` (not `git mv`) plus an edit in OpenAll: still the same code, so its finding stays pre-existing.
    renameSync(join(dir, "client.go"), join(dir, "api.go"));
    edit(dir, "api.go", "\t\t_ = f\n", "\t\t_ = f // moved\n");
    const statusBefore = git(dir, "status", "--porcelain");
    const indexBefore = readFileSync(join(dir, ".git", "index"));

    const { report } = await json(["review"], dir);
    expect(report.findings.introduced).toEqual([]);
    expect(report.findings.preexisting.map((f) => `${f.path}:${f.line}`)).toEqual([`api.go:${LINES.openAllDefer}`]);
    expect(git(dir, "status", "--porcelain")).toBe(statusBefore);
    expect(readFileSync(join(dir, ".git", "index")).equals(indexBefore)).toBe(true);
  });

  it("defaults the base to origin/HEAD", async () => {
    const upstream = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    const parent = tempDir();
    git(parent, "clone", "-q", upstream, "clone");
    const dir = join(parent, "clone");
    git(dir, "branch", "-q", "-m", "main", "work"); // no local main: only origin/HEAD can name the base
    edit(dir, "client.go", DEFER_IN_COUNT, DEFER_IN_COUNT_NEW);

    const { report } = await json(["review"], dir);
    expect(report.base?.ref).toBe("origin/main");
    expect(report.findings.introduced).toHaveLength(1);
  });

  it("on main at origin/HEAD's commit, compares with that commit; a dangling origin/HEAD leaves main as the base", async () => {
    const upstream = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    const parent = tempDir();
    git(parent, "clone", "-q", upstream, "clone");
    const dir = join(parent, "clone");
    const tip = git(dir, "rev-parse", "HEAD").trim();
    edit(dir, "client.go", DEFER_IN_COUNT, DEFER_IN_COUNT_NEW);

    const { report } = await json(["review"], dir);
    expect(report.base).toEqual({ ref: "origin/main", mergeBase: tip });
    expect(report.findings.introduced.map((f) => `${f.path}:${f.line}`)).toEqual(["client.go:34"]);

    // main moves on locally: the merge base with origin/main stays the clone's tip.
    commitAll(dir);
    edit(dir, "client.go", "\t\t_ = f\n", "\t\t_ = f // later\n");
    const ahead = await json(["review"], dir);
    expect(ahead.report.base).toEqual({ ref: "origin/main", mergeBase: tip });
    expect(ahead.report.findings.introduced.map((f) => `${f.path}:${f.line}`)).toEqual(["client.go:34"]);

    git(dir, "update-ref", "-d", "refs/remotes/origin/main");
    const dangling = await json(["review"], dir);
    expect(dangling.report.base).toEqual({ ref: "main", mergeBase: git(dir, "rev-parse", "HEAD").trim() });
  });

  it.runIf(hasRule("time-after-in-loop"))("gates version-fixed pitfalls by each file's nearest go.mod", async () => {
    const rule = RULES.find((r) => r.meta.id === "time-after-in-loop")!;
    expect(rule.meta.fixedInGo).toBe("1.23");
    const code = `package m\n\nimport "time"\n\nfunc Poll(ch chan int) {\n\tfor {\n\t\tselect {\n\t\tcase <-ch:\n\t\tcase <-time.After(time.Second):\n\t\t\treturn\n\t\t}\n\t}\n}\n`;
    const dir = makeRepo({ "old/go.mod": "module old\n\ngo 1.21\n", "new/go.mod": "module new\n\ngo 1.23\n", "README.md": "x\n" });
    writeFiles(dir, { "old/poll.go": code, "new/poll.go": code });
    const { report } = await json(["review", "--fail-on", "never"], dir);
    const severities = Object.fromEntries(report.findings.introduced.filter((f) => f.ruleId === rule.meta.id).map((f) => [f.path, f.severity]));
    expect(severities["new/poll.go"]).toBeUndefined();
    expect(severities["old/poll.go"]).toBe("warning");
  });

  it.runIf(hasRule("http-body-not-closed"))("reports a deleted `defer resp.Body.Close()` on the unchanged http.Get line", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    git(dir, "checkout", "-q", "-b", "feature");
    edit(dir, "client.go", "\tdefer resp.Body.Close()\n", "");

    const r = await runCli(["review"], dir);
    expect(r.stdout).toContain(`client.go:${LINES.httpGet}:15: error http-body-not-closed:`);
    expect(r.code).toBe(1);
    const { report } = await json(["review"], dir);
    expect(report.findings.introduced.map((f) => `${f.line}:${f.ruleId}`)).toEqual([`${LINES.httpGet}:http-body-not-closed`]);
  });

  it("prints unparsable declarations as notes and keeps analyzing", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    edit(dir, "client.go", DEFER_IN_COUNT, DEFER_IN_COUNT_NEW);
    writeFiles(dir, { "broken.go": "package svc\n\nfunc Broken( {\n\tgo f()\n}\n" });
    const r = await runCli(["review"], dir);
    expect(r.stdout).toMatch(/^broken\.go:3: note: skipped `Broken`.*syntax error/m);
    expect(r.stdout).toContain("client.go:34:3: warning defer-in-loop:");
  });
});

describe("memlint review: bad input", () => {
  const noStack = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

  it("outside a git repository", async () => {
    const dir = tempDir();
    const r = await runCli(["review"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`memlint: not a git repository: ${dir}\n`);
    expect(r.stdout).toBe("");
  });

  it("with an unknown ref", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO });
    const r = await runCli(["review", "--base", "origin/nope"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('memlint: unknown ref "origin/nope"\n');
    noStack(r.stderr);
  });

  it("without any base branch", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD });
    git(dir, "branch", "-q", "-m", "main", "trunk");
    const r = await runCli(["review"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^memlint: cannot tell the base branch .*--base <ref>\n$/);
  });

  it("with an invalid configuration: the file, the key and the problem", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD, "client.go": CLIENT_GO, ".github/memlint.yml": "environments:\n  staging:\n    block_on: fatal\n" });
    const r = await runCli(["review"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'memlint: invalid configuration: .github/memlint.yml:3:15: `environments.staging.block_on` must be one of error, warning, info, none (got "fatal")\n',
    );
    noStack(r.stderr);
  });

  it("with a usage error, in the `memlint: …` form", async () => {
    const dir = makeRepo({ "go.mod": GO_MOD });
    const r = await runCli(["review", "--format", "xml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("memlint: unknown format \"xml\" (formats: text, json, sarif, github, checkstyle, junit, code-climate)\n");
    const typo = await runCli(["revue"], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^memlint: unknown command 'revue'\n\(Did you mean review\?\)\n/);
    const severity = await runCli(["review", "--fail-on", "fatal"], dir);
    expect(severity.code).toBe(2);
    expect(severity.stderr).toMatch(/^memlint: option '--fail-on <severity>' argument 'fatal' is invalid\. Allowed choices are error, warning, info, never\.\n/);
    const option = await runCli(["check", ".", "--colour"], dir);
    expect(option.stderr).toMatch(/^memlint: unknown option '--colour'/);
    expect((await runCli(["review", "--dry-run"], dir)).stderr).toBe("memlint: --dry-run only applies to --fix\n");
    expect((await runCli(["review", "--staged", "--fix"], dir)).stderr).toBe("memlint: --fix changes the working tree, so it cannot be combined with --staged\n");
  });
});
