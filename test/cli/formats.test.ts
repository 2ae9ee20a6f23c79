/** The four output formats, on a synthetic analysis (no rules involved) and on real runs. */
import type { Log } from "sarif";
import { afterAll, describe, expect, it } from "vitest";
import type { Analysis } from "../../src/cli/collect.js";
import { escapeData, escapeProperty, formatGithub, workflowCommand } from "../../src/cli/format/github.js";
import { formatJson, type JsonReport } from "../../src/cli/format/json.js";
import { FINGERPRINT_KEY, formatSarif } from "../../src/cli/format/sarif.js";
import { formatText } from "../../src/cli/format/text.js";
import type { Report, ReportOptions } from "../../src/cli/report.js";
import type { Finding } from "../../src/engine/types.js";
import { ALL_RULE_METAS } from "../../src/rules/index.js";
import { cleanTempDirs, runCli, tempDir, writeFiles } from "./helpers.js";
import { sarifViolations } from "./sarif.js";

afterAll(cleanTempDirs);

const SOURCE = `package svc

func Run(names []string) {
	for _, n := range names {
		defer release(n)
	}
}
`;

function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: "defer-in-loop",
    severity: "warning",
    category: "leak-resource",
    title: "defer inside a loop",
    message: "`defer release(n)` runs when the function returns",
    path: "svc/run.go",
    line: 5,
    column: 3,
    endLine: 5,
    endColumn: 19,
    declaration: "Run",
    fingerprint: "a".repeat(64),
    id: "aaaaaaaa",
    related: [{ line: 4, message: "the loop" }],
    ...over,
  };
}

function report(over: Partial<Analysis["result"]> = {}, options: Partial<ReportOptions> = {}, command: "review" | "check" = "review"): Report {
  const introduced = over.introduced ?? [finding()];
  const analysis: Analysis = {
    command,
    root: "/work/repo",
    ...(command === "review" ? { base: { ref: "main", mergeBase: "b".repeat(40) } } : {}),
    contents: new Map([["svc/run.go", SOURCE]]),
    result: {
      files: [{ path: "svc/run.go", introduced, preexisting: [], suppressed: [], notes: [], changed: { added: new Set(), deleted: new Set(), hunks: [] }, analyzed: ["Run"] }],
      introduced,
      preexisting: over.preexisting ?? [],
      suppressed: over.suppressed ?? [],
      notes: over.notes ?? [],
      skipped: over.skipped ?? [],
    },
  };
  return { analysis, options: { failOn: "error", showPreexisting: false, verbose: false, color: false, cwd: "/work/repo", ...options } };
}

describe("text", () => {
  it("prints location, severity, rule, message, a code frame with a caret, related lines and a summary", () => {
    const text = formatText(report({ preexisting: [finding({ line: 4, id: "bbbbbbbb" })] }));
    expect(text).toBe(
      [
        "svc/run.go:5:3: warning defer-in-loop: `defer release(n)` runs when the function returns",
        "  5 | \t\tdefer release(n)",
        "    | \t\t^^^^^^^^^^^^^^^^",
        "  line 4: the loop",
        "  4 | \tfor _, n := range names {",
        "",
        "memlint: 1 warning in 1 file (and 1 pre-existing finding in touched code, not counted)",
        "",
      ].join("\n"),
    );
    expect(text).not.toContain("\u001b[");
  });

  it("shows paths relative to the directory memlint runs in", () => {
    expect(formatText(report({}, { cwd: "/work/repo/svc" }))).toMatch(/^run\.go:5:3: /);
    expect(formatText(report({}, { cwd: "/work/repo/other" }))).toMatch(/^\.\.\/svc\/run\.go:5:3: /);
  });

  it("shows suggestions as the lines replaced and their replacement", () => {
    const text = formatText(report({ introduced: [finding({ related: [], suggestion: { startLine: 5, endLine: 5, replacement: "\t\trelease(n)" } })] }));
    expect(text).toContain("  suggestion: replace line 5 with:\n  5 - \t\tdefer release(n)\n    + \t\trelease(n)\n");
  });

  it("lists pre-existing findings only with --show-preexisting, and notes and skipped files", () => {
    const pre = finding({ line: 4, column: 2, endColumn: 5, related: [], message: "old one" });
    const hidden = formatText(report({ introduced: [], preexisting: [pre] }));
    expect(hidden).not.toContain("old one");
    expect(hidden).toContain("memlint: no new findings in 1 file (and 1 pre-existing finding in touched code, not counted)");
    const shown = formatText(
      report(
        { introduced: [], preexisting: [pre], notes: [{ path: "svc/bad.go", line: 3, message: "skipped `X`" }], skipped: [{ path: "gen.go", reason: "generated file" }] },
        { showPreexisting: true },
      ),
    );
    expect(shown).toContain("Pre-existing findings in touched code (not counted):\n\nsvc/run.go:4:2: warning defer-in-loop: old one\n");
    expect(shown).toContain("svc/bad.go:3: note: skipped `X`\n");
    expect(shown).toContain("gen.go: skipped: generated file\n");
    expect(shown).toContain("(and 1 pre-existing finding in touched code, not counted; 1 file skipped)");
  });

  it("counts by severity in the summary", () => {
    const text = formatText(report({ introduced: [finding({ severity: "error" }), finding({ severity: "error" }), finding({ severity: "info" })] }));
    expect(text.trimEnd().split("\n").at(-1)).toBe("memlint: 2 errors, 1 info in 1 file");
  });

  it("colours only when asked to", () => {
    expect(formatText(report({}, { color: true }))).toContain("\u001b[33m");
  });
});

describe("json", () => {
  it("has the documented shape", () => {
    const suppressed = { finding: finding({ line: 6, id: "cccccccc" }), line: 5, reason: "bounded: at most three names" };
    const out = JSON.parse(formatJson(report({ suppressed: [suppressed], notes: [{ path: "x.go", message: "skipped: binary" }] }))) as JsonReport;
    expect(Object.keys(out)).toEqual(["version", "tool", "command", "base", "failOn", "summary", "findings", "notes", "skipped", "contractCoverage"]);
    expect(out.contractCoverage).toBeNull();
    expect(out.version).toBe(1);
    expect(out.tool.name).toBe("memlint");
    expect(out.base).toEqual({ ref: "main", mergeBase: "b".repeat(40) });
    expect(out.summary).toEqual({
      filesAnalyzed: 1,
      introduced: { error: 0, warning: 1, info: 0, total: 1 },
      preexisting: 0,
      suppressed: 1,
      notes: 1,
      skipped: 0,
      failed: false,
    });
    expect(Object.keys(out.findings.introduced[0]!)).toEqual([
      "id", "fingerprint", "ruleId", "severity", "category", "title", "message", "path", "line", "column", "endLine", "endColumn", "declaration", "related", "suggestion",
    ]);
    expect(out.findings.introduced[0]!.suggestion).toBeNull();
    expect(out.findings.suppressed[0]!.suppression).toEqual({ line: 5, reason: "bounded: at most three names" });
    expect(out.notes).toEqual([{ path: "x.go", message: "skipped: binary" }]);
  });

  it("says whether --fail-on is reached", () => {
    const out = JSON.parse(formatJson(report({}, { failOn: "warning" }))) as JsonReport;
    expect(out.summary.failed).toBe(true);
    expect(out.failOn).toBe("warning");
  });
});

describe("sarif", () => {
  const suppressed = { finding: finding({ line: 6, fingerprint: "c".repeat(64), id: "cccccccc" }), line: 5, reason: "bounded: three names" };
  const log = JSON.parse(
    formatSarif(report({ introduced: [finding({ path: "svc/my file.go", suggestion: { startLine: 5, endLine: 5, replacement: "\t\trelease(n)" } })], suppressed: [suppressed] })),
  ) as Log;

  it("is structurally valid SARIF 2.1.0 with what code scanning requires", () => {
    expect(sarifViolations(log)).toEqual([]);
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
  });

  it("catches what it should (the validator is not vacuous)", () => {
    const broken = structuredClone(log);
    delete (broken.runs[0]!.results![0]! as { message?: unknown }).message;
    broken.runs[0]!.results![0]!.ruleIndex = 999;
    expect(sarifViolations(broken).length).toBeGreaterThanOrEqual(2);
  });

  it("describes every rule with help and its default level", () => {
    const rules = log.runs[0]!.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(ALL_RULE_METAS.map((m) => m.id));
    const rule = rules.find((r) => r.id === "defer-in-loop")!;
    expect(rule.name).toBe("DeferInLoop");
    expect(rule.defaultConfiguration?.level).toBe("warning");
    expect(rule.help?.markdown).toContain("```go\n");
    expect(rule.help?.text).toContain("Bad:");
    expect(rule.helpUri).toBe("https://github.com/memlint/memlint/blob/main/docs/rules.md#defer-in-loop");
    expect(log.runs[0]!.tool.driver.informationUri).toBe("https://github.com/memlint/memlint/blob/main/docs/");
  });

  it("writes results with fingerprints, related locations, fixes and suppressions", () => {
    const [result, silenced] = log.runs[0]!.results!;
    expect(result!.level).toBe("warning");
    expect(result!.baselineState).toBe("new");
    expect(result!.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: "a".repeat(64) });
    expect(result!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "svc/my%20file.go", uriBaseId: "%SRCROOT%" },
      region: { startLine: 5, startColumn: 3, endLine: 5, endColumn: 19 },
    });
    expect(result!.relatedLocations).toEqual([
      { id: 1, message: { text: "the loop" }, physicalLocation: { artifactLocation: { uri: "svc/my%20file.go", uriBaseId: "%SRCROOT%" }, region: { startLine: 4 } } },
    ]);
    expect(result!.fixes![0]!.artifactChanges[0]!.replacements[0]).toEqual({ deletedRegion: { startLine: 5, endLine: 5 }, insertedContent: { text: "\t\trelease(n)\n" } });
    expect(silenced!.suppressions).toEqual([{ kind: "inSource", status: "accepted", justification: "bounded: three names" }]);
    // No directory of the machine in the log: %SRCROOT% is described, not located.
    expect(log.runs[0]!.originalUriBaseIds!["%SRCROOT%"]).toEqual({ description: { text: expect.stringMatching(/root of the repository/) } });
    expect(JSON.stringify(log)).not.toContain("/work/repo");
  });

  it("maps info to note and leaves baselineState out of whole-file checks", () => {
    const checked = JSON.parse(formatSarif(report({ introduced: [finding({ severity: "info" })] }, {}, "check"))) as Log;
    const [result] = checked.runs[0]!.results!;
    expect(result!.level).toBe("note");
    expect(result!.baselineState).toBeUndefined();
  });
});

describe("github", () => {
  it("escapes data and properties as GitHub's toolkit does", () => {
    expect(escapeData("100% sure\r\nnext")).toBe("100%25 sure%0D%0Anext");
    expect(escapeProperty("a:b,c%d\ne")).toBe("a%3Ab%2Cc%25d%0Ae");
    expect(workflowCommand("warning", { file: "a,b:c.go", line: 3, col: undefined }, "x: y, z")).toBe("::warning file=a%2Cb%3Ac.go,line=3::x: y, z");
  });

  it("writes one workflow command per finding, at its severity, then the summary", () => {
    const out = formatGithub(
      report({
        introduced: [finding({ severity: "error", message: "50% of\nthe time" }), finding({ severity: "info", related: [] })],
        notes: [{ path: "bad.go", line: 2, message: "skipped `X`" }],
      }),
    ).split("\n");
    expect(out[0]).toBe(
      "::error file=svc/run.go,line=5,col=3,endLine=5,endColumn=19,title=memlint defer-in-loop%3A defer inside a loop::50%25 of%0Athe time%0Aline 4: the loop",
    );
    expect(out[1]).toMatch(/^::notice file=svc\/run\.go,line=5,/);
    expect(out[2]).toBe("::notice file=bad.go,line=2,title=memlint::skipped `X`");
    expect(out[3]).toBe("memlint: 1 error, 1 info in 1 file");
  });
});

describe("colour through the CLI", () => {
  const dir = tempDir();
  writeFiles(dir, { "loop.go": "package m\n\nfunc F(xs []int, open func() interface{ Close() error }) {\n\tfor range xs {\n\t\tdefer open().Close()\n\t\tprintln()\n\t}\n}\n" });

  it("is off when stdout is not a terminal", async () => {
    const r = await runCli(["check", "."], dir, { tty: false });
    expect(r.stdout).toContain("loop.go:5:3: warning defer-in-loop:");
    expect(r.stdout).not.toContain("\u001b[");
  });

  it("is off with NO_COLOR, even on a terminal", async () => {
    expect((await runCli(["check", "."], dir, { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain("\u001b[");
  });

  it("is on for a terminal", async () => {
    expect((await runCli(["check", "."], dir, { tty: true })).stdout).toContain("\u001b[");
  });
});
