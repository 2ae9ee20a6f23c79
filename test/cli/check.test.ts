/** `memlint check`: whole files and directories. */
import type { Log } from "sarif";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonReport } from "../../src/cli/format/json.js";
import { cleanTempDirs, git, runCli, tempDir, writeFiles } from "./helpers.js";
import { sarifViolations } from "./sarif.js";

afterAll(cleanTempDirs);

const LOOP = (name: string) => `package m\n\nfunc ${name}(xs []int, open func() interface{ Close() error }) {\n\tfor range xs {\n\t\tdefer open().Close()\n\t\tprintln()\n\t}\n}\n`;

async function json(args: string[], cwd: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const r = await runCli([...args, "--format", "json"], cwd);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

describe("memlint check", () => {
  it("analyzes whole files: every finding counts", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP("A") });
    const r = await runCli(["check", "a.go"], dir);
    expect(r.stdout).toContain("a.go:5:3: warning defer-in-loop:");
    expect(r.stdout).toContain("memlint: 1 warning in 1 file");
    expect(r.code).toBe(0);
    expect((await runCli(["check", "a.go", "--fail-on", "warning"], dir)).code).toBe(1);
  });

  it("walks directories, skipping vendor, testdata, hidden directories and configured excludes", async () => {
    const dir = tempDir();
    git(dir, "init", "-q", "-b", "main");
    writeFiles(dir, {
      "a.go": LOOP("A"),
      "pkg/b.go": LOOP("B"),
      "pkg/b_test.go": LOOP("TestB"),
      "vendor/v/v.go": LOOP("V"),
      "pkg/testdata/t.go": LOOP("T"),
      ".hidden/h.go": LOOP("H"),
      "gen/mocks/m.go": LOOP("M"),
      "notes.txt": "not go\n",
      ".github/memlint.yml": "paths:\n  exclude: ['**/mocks/**', 'vendor/**']\n",
    });
    const { report } = await json(["check", "."], dir);
    // b_test.go: defer-in-loop skips test functions.
    expect(report.findings.introduced.map((f) => f.path)).toEqual(["a.go", "pkg/b.go"]);
    expect(report.summary.filesAnalyzed).toBe(3);
    expect(report.skipped).toEqual([]);
  });

  it("lists files in the order git and Go's tools sort paths, whatever the locale", async () => {
    const dir = tempDir();
    writeFiles(dir, { "b.go": LOOP("B"), "B2.go": LOOP("B2"), "a_b.go": LOOP("AB"), "a.go": LOOP("A") });
    const { report } = await json(["check", "."], dir);
    // By code units: capitals before small letters, `.` before `_` (a collator puts `a.go` after `a_b.go` and `B2.go` after `b.go`).
    expect(report.findings.introduced.map((f) => f.path)).toEqual(["B2.go", "a.go", "a_b.go", "b.go"]);
  });

  it("leaves out pitfalls the module's Go version fixed unless asked with --all-versions, then as info", async () => {
    const poll = `package m\n\nimport "time"\n\nfunc Poll(ch chan int) {\n\tfor {\n\t\tselect {\n\t\tcase <-ch:\n\t\tcase <-time.After(time.Second):\n\t\t\treturn\n\t\t}\n\t}\n}\n`;
    const dir = tempDir();
    writeFiles(dir, { "go.mod": "module m\n\ngo 1.23\n", "poll.go": poll, "a.go": LOOP("A") });
    const found = async (args: string[]) => (await json(["check", ".", ...args], dir)).report.findings.introduced.map((f) => `${f.path}:${f.ruleId}:${f.severity}`);
    expect(await found([])).toEqual(["a.go:defer-in-loop:warning"]);
    expect(await found(["--all-versions"])).toEqual(["a.go:defer-in-loop:warning", "poll.go:time-after-in-loop:info"]);
  });

  it("accepts Go's `./...` pattern for a directory", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP("A"), "pkg/b.go": LOOP("B") });
    expect((await json(["check", "./..."], dir)).report.findings.introduced.map((f) => f.path)).toEqual(["a.go", "pkg/b.go"]);
    expect((await json(["check", "pkg/..."], dir)).report.findings.introduced.map((f) => f.path)).toEqual(["pkg/b.go"]);
    expect((await runCli(["check", "a.go/..."], dir)).stderr).toBe("memlint: not a directory: a.go/...\n");
  });

  it("reports explicitly named files the configuration excludes as skipped", async () => {
    const dir = tempDir();
    writeFiles(dir, { "vendor/v/v.go": LOOP("V"), "README.md": "x\n" });
    const { report } = await json(["check", "vendor/v/v.go", "README.md"], dir);
    expect(report.findings.introduced).toEqual([]);
    expect(report.skipped).toEqual([
      { path: "README.md", reason: "not a Go file" },
      { path: "vendor/v/v.go", reason: "matched by paths.exclude" },
    ]);
    const text = await runCli(["check", "vendor/v/v.go"], dir);
    expect(text.stdout).toContain("vendor/v/v.go: skipped: matched by paths.exclude\n");
  });

  it("prints notes for files that do not parse or look binary, and goes on", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP("A"), "broken.go": "package m\n\nfunc Broken( {\n\tfor {\n\t\tdefer f()\n\t}\n}\n", "bin.go": "package m\n\u0000\u0001" });
    const r = await runCli(["check", "."], dir);
    expect(r.stdout).toMatch(/^bin\.go: note: skipped: the file looks binary/m);
    expect(r.stdout).toMatch(/^broken\.go:3: note: skipped `Broken`/m);
    expect(r.stdout).toContain("a.go:5:3: warning defer-in-loop:");
    expect(r.stderr).toBe("");
  });

  it("skips generated files unless configured", async () => {
    const dir = tempDir();
    writeFiles(dir, { "gen.go": `// Code generated by protoc-gen-go. DO NOT EDIT.\n\n${LOOP("G")}` });
    expect((await json(["check", "."], dir)).report.skipped).toEqual([{ path: "gen.go", reason: "generated file" }]);
    // protoc's output is generated by its name, header or not.
    writeFiles(dir, { "api/v1/service.pb.go": LOOP("P") });
    expect((await json(["check", "."], dir)).report.findings.introduced).toEqual([]);
    writeFiles(dir, { "cfg.yml": "generated: true\n" });
    expect((await json(["check", ".", "--config", "cfg.yml"], dir)).report.findings.introduced).toHaveLength(2);
  });

  it("writes valid SARIF for real findings", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP("A"), "b.go": `package m\n\nfunc B(xs []int, open func() interface{ Close() error }) {\n\tfor range xs {\n\t\t//memlint:ignore defer-in-loop -- at most three items, checked by the caller\n\t\tdefer open().Close()\n\t\tprintln()\n\t}\n}\n` });
    const r = await runCli(["check", ".", "--format", "sarif"], dir);
    const log = JSON.parse(r.stdout) as Log;
    expect(sarifViolations(log)).toEqual([]);
    const results = log.runs[0]!.results!;
    expect(results.map((x) => [x.locations![0]!.physicalLocation!.artifactLocation!.uri, x.suppressions?.[0]?.kind])).toEqual([
      ["a.go", undefined],
      ["b.go", "inSource"],
    ]);
  });

  it("fails with exit code 2 on a path that does not exist, or a missing --config", async () => {
    const dir = tempDir();
    const r = await runCli(["check", "nope.go"], dir);
    expect(r).toEqual({ code: 2, stdout: "", stderr: "memlint: no such file or directory: nope.go\n" });
    writeFiles(dir, { "a.go": LOOP("A") });
    const c = await runCli(["check", "a.go", "--config", "missing.yml"], dir);
    expect(c).toEqual({ code: 2, stdout: "", stderr: "memlint: configuration file not found: missing.yml\n" });
    expect((await runCli(["check"], dir)).code).toBe(2);
  });

  it("names the --config file in configuration problems", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP("A"), "my.yml": "rules:\n  defer-in-lop: off\n" });
    const r = await runCli(["check", "a.go", "--config", "my.yml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "memlint: invalid configuration: my.yml:2:3: unknown rule `defer-in-lop`; did you mean `defer-in-loop`? (`memlint rules` lists the rules)\n",
    );
  });
});

describe("memlint rules", () => {
  it("lists every rule with severity, category and title", async () => {
    const r = await runCli(["rules"], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^RULE\s+SEVERITY\s+CATEGORY\s+TITLE$/m);
    expect(r.stdout).toMatch(/^defer-in-loop\s+warning\s+leak-resource\s+defer inside a loop$/m);
    expect(r.stdout).toMatch(/^unused-ignore\s+info\s+meta\s+/m);
  });

  it("shows one rule's documentation", async () => {
    const r = await runCli(["rules", "defer-in-loop"], tempDir());
    expect(r.code).toBe(0);
    for (const heading of ["Why", "Fix", "Bad", "Good"]) expect(r.stdout).toMatch(new RegExp(`^${heading}$`, "m"));
    expect(r.stdout).toMatch(/^defer-in-loop: defer inside a loop$/m);
    expect(r.stdout).toContain("    \tdefer f.Close()");
  });

  it("shows the documentation of every rule a glob matches, in catalog order", async () => {
    const r = await runCli(["rules", "contract-*", "forced-gc"], tempDir());
    expect(r.code).toBe(0);
    const titles = [...r.stdout.matchAll(/^([a-z-]+): .*\nseverity: /gm)].map((m) => m[1]);
    expect(titles).toEqual([
      "contract-invalid",
      "contract-borrow-escapes",
      "contract-lifetime-exceeded",
      "contract-use-after-move",
      "contract-owned-return-aliases",
      "contract-bounds-unchecked",
      "contract-missing",
      "forced-gc",
    ]);
    expect(await runCli(["rules", "nothing-*"], tempDir())).toEqual({ code: 2, stdout: "", stderr: 'memlint: no rule matches "nothing-*" (`memlint rules` lists them)\n' });
  });

  it("suggests a close id for an unknown one", async () => {
    const r = await runCli(["rules", "defer-in-lop"], tempDir());
    expect(r).toEqual({ code: 2, stdout: "", stderr: 'memlint: unknown rule "defer-in-lop"; did you mean "defer-in-loop"? (`memlint rules` lists them)\n' });
  });
});
