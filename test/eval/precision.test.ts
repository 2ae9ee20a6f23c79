import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkRepository, runPrecision } from "../../eval/precision/cli.js";
import { type CheckedFinding, markdownTable, matchVerdicts, patternTable, tabulate } from "../../eval/precision/score.js";
import { type JudgedFinding, loadVerdicts, validateVerdicts, VerdictError } from "../../eval/precision/verdicts.js";
import { mirrorDir } from "../../eval/realworld/mirror.js";
import { CLIENT_GO, cleanTempDirs, commitAll, git, GO_MOD, LINES, makeRepo, tempDir, writeFiles } from "../cli/helpers.js";

afterAll(cleanTempDirs);

const SHA = "0123456789abcdef0123456789abcdef01234567";

function verdict(overrides: Partial<JudgedFinding> = {}): JudgedFinding {
  return { path: "svc/client.go", line: LINES.openAllDefer, rule: "defer-in-loop", id: "0badc0de", severity: "warning", verdict: "true", reason: "one open file per name until the function returns", ...overrides };
}

function finding(overrides: Partial<CheckedFinding> = {}): CheckedFinding {
  return { path: "svc/client.go", line: LINES.openAllDefer, rule: "defer-in-loop", id: "0badc0de", severity: "warning", message: "m", ...overrides };
}

function problem(raw: unknown): string {
  try {
    validateVerdicts(raw, "verdicts.json");
  } catch (err) {
    expect(err).toBeInstanceOf(VerdictError);
    return (err as Error).message;
  }
  throw new Error("the verdict file was accepted");
}

describe("verdict file validation", () => {
  const file = (findings: unknown[]) => ({ repositories: [{ repo: "acme/widget", commit: SHA, findings }] });

  it("accepts a well-formed file", () => {
    expect(validateVerdicts(file([verdict(), verdict({ verdict: "false", pattern: "resource kept on purpose" })]), "v.json").repositories[0]!.findings).toHaveLength(2);
  });

  it("rejects what would silently miscount a finding", () => {
    expect(problem(file([verdict({ verdict: "wrong" as "false" })]))).toMatch(/findings\[0\]: `verdict` must be one of true, false, debatable/);
    expect(problem(file([verdict({ verdict: "false" })]))).toMatch(/needs a `pattern`/);
    expect(problem(file([verdict({ pattern: "x" })]))).toMatch(/a true finding has no `pattern`/);
    expect(problem(file([verdict({ id: "12345" })]))).toMatch(/8-digit short id/);
    expect(problem(file([verdict({ reason: "ok" })]))).toMatch(/`reason` must be one line/);
    expect(problem(file([{ ...verdict(), code: "resp, _ := http.Get(u)" }]))).toMatch(/unknown field `code`/);
    expect(problem({ repositories: [{ repo: "acme/widget", commit: "HEAD", findings: [] }] })).toMatch(/`commit` must be 40 hex digits/);
    expect(problem({ repositories: [file([]).repositories[0], file([]).repositories[0]] })).toMatch(/acme\/widget is listed twice/);
  });
});

describe("the committed verdicts", () => {
  it("are well-formed and cover at least eight whole repositories, every finding with a reason", () => {
    const { repositories } = loadVerdicts(join(import.meta.dirname, "../../eval/precision/verdicts.json"));
    expect(repositories.length).toBeGreaterThanOrEqual(8);
    expect(repositories.flatMap((r) => r.findings).length).toBeGreaterThan(100);
  });
});

describe("matching and the table", () => {
  it("matches by id first (ids survive moved lines), then by rule, path and line, each verdict once", () => {
    const moved = finding({ line: 40 });
    const byLine = finding({ id: "11111111", line: 7 });
    const fresh = finding({ id: "22222222", line: 9 });
    const m = matchVerdicts([moved, byLine, fresh], [verdict(), verdict({ id: "33333333", line: 7 }), verdict({ id: "44444444", line: 60 })]);
    expect(m.judged.map((j) => [j.finding.line, j.verdict.id])).toEqual([
      [40, "0badc0de"],
      [7, "33333333"],
    ]);
    expect(m.unjudged).toEqual([fresh]);
    expect(m.stale.map((v) => v.id)).toEqual(["44444444"]);
  });

  it("counts verdicts per rule and today's severity, and the precision among warnings and errors", () => {
    const judged = [
      { finding: finding({ severity: "error", rule: "http-body-not-closed" }), verdict: verdict() },
      { finding: finding(), verdict: verdict({ verdict: "false", pattern: "p" }) },
      { finding: finding(), verdict: verdict() },
      { finding: finding({ severity: "info" }), verdict: verdict({ verdict: "debatable", pattern: "p" }) },
    ];
    const rows = tabulate(judged);
    expect(rows.map((r) => r.rule)).toEqual(["defer-in-loop", "http-body-not-closed"]);
    expect(rows[0]!.bySeverity).toEqual({ error: { true: 0, false: 0, debatable: 0 }, warning: { true: 1, false: 1, debatable: 0 }, info: { true: 0, false: 0, debatable: 1 } });
    const table = markdownTable(rows);
    expect(table).toContain("| `defer-in-loop` | – | 1 / 1 / 0 | 0 / 0 / 1 |");
    expect(table).toContain("| **all rules** | **1 / 0 / 0** | **1 / 1 / 0** | **0 / 0 / 1** |");
    expect(table).toContain("Warning and error findings: 3, of which 66.7 % true, 33.3 % false and 0 % debatable");
    expect(patternTable(judged).split("\n").slice(2)).toEqual(["| false | p | 1 | 0 |", "| debatable | p | 0 | 1 |"]);
  });
});

describe("npm run eval:precision", () => {
  // A mirror whose history is CLIENT_GO (a defer in a loop), then the same file two lines lower.
  const work = makeRepo({ "go.mod": GO_MOD, "svc/client.go": CLIENT_GO, "svc/client_test.go": "package svc\n" });
  const first = git(work, "rev-parse", "HEAD").trim();
  writeFiles(work, { "svc/client.go": CLIENT_GO.replace("package svc\n", "package svc\n\n// Package svc fetches.\n") });
  commitAll(work, "doc");
  const moved = git(work, "rev-parse", "HEAD").trim();
  const mirrors = tempDir("memlint-mirrors-");
  mkdirSync(join(mirrors, "acme+widget"));
  git(mirrors, "clone", "-q", "--mirror", work, mirrorDir(mirrors, "acme/widget"));

  async function run(argv: string[]) {
    let out = "";
    let err = "";
    const code = await runPrecision(argv, { out: (t) => (out += t), err: (t) => (err += t) }, { MEMLINT_MIRRORS: mirrors });
    return { code, out, err };
  }

  it("checks a repository at a commit as memlint check does, counting non-test lines", async () => {
    const { findings, lines } = await checkRepository(mirrorDir(mirrors, "acme/widget"), first);
    expect(findings.map((f) => [f.path, f.line, f.rule, f.severity])).toContainEqual(["svc/client.go", LINES.openAllDefer, "defer-in-loop", "warning"]);
    // The test file adds no line.
    expect(lines).toBe(CLIENT_GO.split("\n").length);
  });

  it("keeps a verdict through moved lines, lists what nobody judged, and fails on a commit the mirror lacks", async () => {
    const dir = tempDir("memlint-verdicts-");
    const all = (await checkRepository(mirrorDir(mirrors, "acme/widget"), first)).findings;
    const found = all.find((f) => f.rule === "defer-in-loop");
    // Every finding judged: the loop's defer true, any other one debatable.
    const verdicts = all.map((f) => (f === found ? verdict({ id: f.id }) : verdict({ ...f, verdict: "debatable", pattern: "not under test" })));
    const file = join(dir, "verdicts.json");
    writeFileSync(file, JSON.stringify({ repositories: [{ repo: "acme/widget", commit: moved, findings: verdicts.map(({ message: _, ...v }: JudgedFinding & { message?: string }) => v) }] }));
    const judged = await run(["--verdicts", file, "--json", join(dir, "out.json")]);
    expect(judged.code).toBe(0);
    expect(judged.out).toContain("| `defer-in-loop` | – | 1 / 0 / 0 | – |");
    expect(judged.out).not.toContain("unjudged:");
    const written = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as { judged: { line: number; verdict: string }[] }[];
    expect(written[0]!.judged).toContainEqual(expect.objectContaining({ line: LINES.openAllDefer + 2, verdict: "true" }));

    writeFileSync(file, JSON.stringify({ repositories: [{ repo: "acme/widget", commit: moved, findings: [] }] }));
    const unjudged = await run(["--verdicts", file, "--unjudged"]);
    expect(unjudged.out).toContain(`unjudged: acme/widget svc/client.go:${LINES.openAllDefer + 2} warning defer-in-loop [${found!.id}]`);
    expect(unjudged.out).toContain(`"id": "${found!.id}"`);

    writeFileSync(file, JSON.stringify({ repositories: [{ repo: "acme/widget", commit: "f".repeat(40), findings: [] }] }));
    const missing = await run(["--verdicts", file]);
    expect([missing.code, missing.err]).toEqual([1, expect.stringContaining(`commit ${"f".repeat(40)} is not in the mirror`)]);
    expect((await run(["--verdicts", file, "--repo", "acme/other"])).code).toBe(2);
  });
});
