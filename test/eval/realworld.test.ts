import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCorpus } from "../../eval/realworld/cli.js";
import { type Case, type ExpectedFinding, ManifestError, validateManifest } from "../../eval/realworld/manifest.js";
import { buildChange, CaseError, hasMirror, mirrorDir } from "../../eval/realworld/mirror.js";
import { replay } from "../../eval/realworld/replay.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";
import { matchExpected, type ReportedFinding, reported, scoreCase, summarize } from "../../eval/realworld/score.js";
import { cleanTempDirs, commitAll, git, makeRepo, tempDir, writeFiles } from "../cli/helpers.js";

afterAll(cleanTempDirs);

const SHA = "0123456789abcdef0123456789abcdef01234567";
const FILE = "cases/acme__widget.json";

function manifest(overrides: Record<string, unknown> = {}, expected: unknown[] = [{ path: "a.go", line: 3, category: "leak-resource", rule: "http-body-not-closed", note: "body" }]) {
  return {
    repo: "acme/widget",
    cases: [{ id: "widget-1", kind: "reverse-fix", commit: SHA, summary: "s", paths: ["a.go"], expected, difficulty: "easy", ...overrides }],
  };
}

function problem(raw: unknown, file = FILE): string {
  try {
    validateManifest(raw, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return (err as Error).message;
  }
  throw new Error("the manifest was accepted");
}

describe("manifest validation", () => {
  it("accepts a well-formed manifest and fills in the repository", () => {
    const m = validateManifest(manifest(), FILE);
    expect(m.cases[0]).toMatchObject({ id: "widget-1", repo: "acme/widget", file: FILE, expected: [{ line: 3, rule: "http-body-not-closed" }] });
  });

  it("accepts planned rules, null rules and line ranges", () => {
    const m = validateManifest(manifest({}, [{ path: "a.go", lines: [3, 5], category: "timer", rule: "time-tick-leak", note: "n" }, { path: "a.go", line: 9, category: "leak-resource", rule: null, note: "n" }]), FILE);
    expect(m.cases[0]!.expected.map((e) => e.rule)).toEqual(["time-tick-leak", null]);
  });

  it.each([
    [{ commit: "abc123" }, undefined, "cases[0].commit: must be a full 40-character"],
    [{ kind: "fix" }, undefined, "cases[0].kind: must be one of reverse-fix, clean"],
    [{ difficulty: "trivial" }, undefined, "cases[0].difficulty: must be one of easy, medium, hard"],
    [{ paths: ["a_test.go"] }, undefined, "cases[0].paths[0]: test files are not replayed"],
    [{ paths: [] }, undefined, "cases[0].paths: must be a non-empty array"],
    [{ kind: "clean" }, undefined, "cases[0].expected: must be empty for a clean case"],
    [{}, [], "cases[0].expected: a reverse-fix case needs at least one expected finding"],
    [{ extra: 1 }, undefined, "cases[0].extra: unknown field"],
    [{}, [{ path: "a.go", line: 3, category: "leak", rule: null, note: "n" }], "cases[0].expected[0].category: must be one of"],
    [{}, [{ path: "a.go", line: 3, category: "timer", rule: "ticker-leak", note: "n" }], 'cases[0].expected[0].rule: unknown rule "ticker-leak"'],
    [{}, [{ path: "b.go", line: 3, category: "timer", rule: null, note: "n" }], "cases[0].expected[0].path: b.go is not one of the case's paths"],
    [{}, [{ path: "a.go", category: "timer", rule: null, note: "n" }], "cases[0].expected[0]: needs exactly one of `line` and `lines`"],
    [{}, [{ path: "a.go", line: 0, category: "timer", rule: null, note: "n" }], "cases[0].expected[0].line: must be a positive integer"],
    [{}, [{ path: "a.go", lines: [5, 3], category: "timer", rule: null, note: "n" }], "cases[0].expected[0].lines: must be [start, end]"],
  ])("names the file and field of a bad case (%j)", (overrides, expected, message) => {
    expect(problem(manifest(overrides, expected))).toContain(`${FILE}: ${message}`);
  });

  it("rejects duplicate ids and a file named after another repository", () => {
    const twice = manifest();
    twice.cases.push({ ...twice.cases[0]! });
    expect(problem(twice)).toContain("cases[1].id: duplicate id widget-1 (also cases[0])");
    expect(problem(manifest(), "cases/acme__other.json")).toContain("repo: acme/widget belongs in acme__widget.json");
  });
});

const finding = (line: number, severity: ReportedFinding["severity"] = "warning", path = "a.go"): ReportedFinding => ({ ruleId: "file-not-closed", severity, path, line, message: "m" });
const expectation = (line: number, category: ExpectedFinding["category"] = "leak-resource", rule: string | null = "file-not-closed"): ExpectedFinding => ({ path: "a.go", line, category, rule, note: "n" });

function testCase(kind: Case["kind"], expected: ExpectedFinding[], id = "c"): Case {
  return { id, kind, commit: SHA, summary: "s", paths: ["a.go"], expected, difficulty: "medium", repo: "acme/widget", file: FILE };
}

describe("scoring", () => {
  it("tells found (same path and line, or inside `lines`) from near (within two lines) from missed", () => {
    expect(matchExpected(expectation(10), [finding(10)]).match).toBe("found");
    expect(matchExpected({ ...expectation(10), line: undefined, lines: [10, 12] }, [finding(12)]).match).toBe("found");
    expect(matchExpected(expectation(10), [finding(8)]).match).toBe("near");
    expect(matchExpected(expectation(10), [finding(13)]).match).toBe("missed");
    expect(matchExpected(expectation(10), [finding(10, "warning", "b.go")]).match).toBe("missed");
  });

  it("counts info findings only in the any-severity recall, and lists findings on no expected line", () => {
    const score = scoreCase(testCase("reverse-fix", [expectation(10), expectation(20, "timer", "time-tick-leak")]), [finding(10, "info"), finding(21, "error"), finding(40)]);
    expect(score.expected.map((e) => [e.warning.match, e.any.match])).toEqual([
      ["missed", "found"],
      ["near", "near"],
    ]);
    expect(score.extras.map((f) => f.line)).toEqual([40]);
  });

  it("sums recall by rule status, category and difficulty, and clean findings by severity", () => {
    // A rule that does not exist (yet) counts as planned: rules move from planned to existing as they are written.
    const planned = "a-rule-not-written-yet";
    expect(KNOWN_RULE_IDS.has(planned)).toBe(false);
    const scores = [
      scoreCase(testCase("reverse-fix", [expectation(10), expectation(20, "timer", planned)], "r1"), [finding(10)]),
      scoreCase(testCase("reverse-fix", [expectation(5, "leak-goroutine", null)], "r2"), [finding(30, "info")]),
      scoreCase(testCase("clean", [], "k1"), [finding(3, "info"), finding(4, "error")]),
      scoreCase(testCase("clean", [], "k2"), []),
    ];
    const s = summarize(scores);
    expect(s.cases).toEqual({ reverseFix: 2, clean: 2, repos: 1 });
    expect(s.overall).toEqual({ expected: 3, warning: { found: 1, near: 0 }, any: { found: 1, near: 0 } });
    expect(s.byRuleStatus.existing.warning.found).toBe(1);
    expect(s.byRuleStatus.planned.expected).toBe(1);
    expect(s.byRuleStatus.none.expected).toBe(1);
    expect(Object.keys(s.byCategory).sort()).toEqual(["leak-goroutine", "leak-resource", "timer"]);
    expect(s.byDifficulty.medium?.expected).toBe(3);
    expect(s.byRule.map((r) => [r.rule, r.status])).toEqual([
      ["file-not-closed", "existing"],
      ["(none)", "none"],
      [planned, "planned"],
    ]);
    expect(s.clean).toMatchObject({ cases: 2, withFindings: 1, bySeverity: { error: 1, warning: 0, info: 1 } });
    expect(s.extras.map((f) => [f.caseId, f.line])).toEqual([["r2", 30]]);
  });
});

const FIXED = `package fetch

import ("io"; "net/http")

func Get(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
`;
const LEAKY = FIXED.replace("\tdefer resp.Body.Close()\n", "");

/** A mirror of a repository whose history is: leaky fetch.go, then the fix; returns the mirrors root and the fix. */
function mirrorWithFix(): { mirrors: string; fix: string } {
  const work = makeRepo({ "go.mod": "module example.com/w\n\ngo 1.21\n", "fetch/fetch.go": LEAKY, "fetch/helper.go": "package fetch\n\nfunc helper() {}\n" });
  writeFiles(work, { "fetch/fetch.go": FIXED });
  commitAll(work, "close the body");
  const fix = git(work, "rev-parse", "HEAD").trim();
  const mirrors = tempDir("memlint-mirrors-");
  mkdirSync(join(mirrors, "acme+widget"));
  git(mirrors, "clone", "-q", "--mirror", work, mirrorDir(mirrors, "acme/widget"));
  return { mirrors, fix };
}

describe("replaying a case from a mirror", () => {
  const { mirrors, fix } = mirrorWithFix();
  const gitDir = mirrorDir(mirrors, "acme/widget");
  const leak: ExpectedFinding = { path: "fetch/fetch.go", line: 6, category: "leak-resource", rule: "http-body-not-closed", note: "n" };
  const reverse: Case = { ...testCase("reverse-fix", [leak]), paths: ["fetch/fetch.go"], commit: fix };

  it("puts the bug back: the fix is the base, its parent the head, with the package and go version of the head", async () => {
    expect(hasMirror(mirrors, "acme/widget")).toBe(true);
    expect(hasMirror(mirrors, "acme/other")).toBe(false);
    const change = await buildChange(gitDir, reverse);
    expect(change.base).toBe(fix);
    expect(change.files).toHaveLength(1);
    expect(change.files[0]!.head).toBe(LEAKY);
    expect(change.files[0]!.base).toBe(FIXED);
    expect([...change.files[0]!.changed!.deleted]).toEqual([10]);
    expect(change.goVersions.get("fetch/fetch.go")).toBe("1.21");
    const dir = change.loadPackage("fetch");
    expect(dir && "files" in dir ? dir.files.map((f) => f.path) : []).toEqual(["fetch/fetch.go", "fetch/helper.go"]);

    const result = await replay(change.files, change.goVersions.get("fetch/fetch.go"), change.loadPackage);
    const score = scoreCase(reverse, result.introduced.map(reported));
    expect(score.expected[0]!.warning.match).toBe("found");
  });

  it("replays a clean commit forwards", async () => {
    const change = await buildChange(gitDir, { ...testCase("clean", []), paths: ["fetch/fetch.go"], commit: fix });
    expect(change.head).toBe(fix);
    expect(change.files[0]!.head).toBe(FIXED);
    const result = await replay(change.files, "1.21", change.loadPackage);
    expect(result.introduced).toEqual([]);
  });

  it("rejects a case that does not fit the code", async () => {
    await expect(buildChange(gitDir, { ...reverse, expected: [{ ...leak, line: 99 }] })).rejects.toThrow(new CaseError("expected line 99 is past the end of fetch/fetch.go at the head commit (11 lines)"));
    await expect(buildChange(gitDir, { ...reverse, paths: ["fetch/helper.go"], expected: [] })).rejects.toThrow(/path fetch\/helper.go is not changed between/);
    await expect(buildChange(gitDir, { ...reverse, commit: SHA })).rejects.toThrow(`commit ${SHA} is not in the mirror`);
  });
});

describe("the runner", () => {
  const { mirrors, fix } = mirrorWithFix();

  function casesDir(cases: unknown[]): string {
    const dir = tempDir("memlint-cases-");
    writeFileSync(join(dir, "acme__widget.json"), JSON.stringify({ repo: "acme/widget", cases }));
    return dir;
  }
  const reverseFix = (line: number) => ({
    id: "widget-fix",
    kind: "reverse-fix",
    commit: fix,
    summary: "s",
    paths: ["fetch/fetch.go"],
    expected: [{ path: "fetch/fetch.go", line, category: "leak-resource", rule: "http-body-not-closed", note: "n" }],
    difficulty: "easy",
  });
  const clean = { id: "widget-clean", kind: "clean", commit: fix, summary: "s", paths: ["fetch/fetch.go"], expected: [], difficulty: "easy" };

  async function run(argv: string[], mirrorsDir = mirrors) {
    let out = "";
    let err = "";
    const code = await runCorpus(argv, { out: (t) => (out += t), err: (t) => (err += t) }, { MEMLINT_MIRRORS: mirrorsDir });
    return { code, out, err };
  }

  it("scores the cases, prints the tables and writes the JSON", async () => {
    const json = join(tempDir("memlint-out-"), "result.json");
    const { code, out } = await run(["--cases", casesDir([reverseFix(6), clean]), "--json", json]);
    expect(code).toBe(0);
    expect(out).toContain("2 cases replayed (1 reverse-fix, 1 clean) from 1 repository; 0 skipped, 0 with errors");
    expect(out).toMatch(/overall\s+1\s+1\s+0\s+100%/);
    expect(out).toMatch(/widget-fix +reverse-fix +easy +1\/1 found/);
    const result = JSON.parse(readFileSync(json, "utf8"));
    expect(result.summary.clean.cases).toBe(1);
    expect(result.cases[0].expected[0].warning.by[0].ruleId).toBe("http-body-not-closed");
  });

  it("filters by case id and says when no mirror is there", async () => {
    const dir = casesDir([reverseFix(6), clean]);
    expect((await run(["--cases", dir, "--case", "widget-clean"])).out).toContain("1 cases replayed (0 reverse-fix, 1 clean)");
    expect(await run(["--cases", dir, "--case", "nope"])).toMatchObject({ code: 2, err: "eval:realworld: no case has the id nope\n" });
    const none = await run(["--cases", dir], tempDir("memlint-empty-"));
    expect(none.code).toBe(0);
    expect(none.out).toContain("no mirror of the corpus's repositories under");
  });

  it("fails on a bad manifest, naming the file and field, and on a case that does not fit the code", async () => {
    const bad = await run(["--cases", casesDir([{ ...clean, commit: "HEAD" }])]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/bad manifest: .*acme__widget\.json: cases\[0\]\.commit: must be a full 40-character/);
    const misfit = await run(["--cases", casesDir([reverseFix(40)])]);
    expect(misfit.code).toBe(1);
    expect(misfit.out).toContain("widget-fix: expected line 40 is past the end of fetch/fetch.go");
  });
});
