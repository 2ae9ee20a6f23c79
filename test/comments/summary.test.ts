import { describe, expect, it } from "vitest";
import { placeFindings } from "../../src/comments/placement.js";
import { type IgnoredFinding, MAX_OUTPUT, outputSize, renderCheckOutput, renderErrorOutput, sourceOf, type SummaryInput } from "../../src/comments/summary.js";
import { ZWJ } from "../../src/comments/escape.js";
import { decide, selectEnvironment } from "../../src/config/policy.js";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import type { ChangedLines } from "../../src/engine/diff.js";
import type { ReviewResult } from "../../src/review/review.js";
import type { Finding } from "../../src/engine/types.js";
import { changed, finding } from "./findings.js";

function input(parts: { introduced?: Finding[]; preexisting?: Finding[]; result?: Partial<ReviewResult>; ignored?: IgnoredFinding[]; base?: string } & Omit<Partial<SummaryInput>, "result">): SummaryInput {
  const result: ReviewResult = {
    files: [],
    introduced: parts.introduced ?? [],
    preexisting: parts.preexisting ?? [],
    suppressed: [],
    notes: [],
    skipped: [],
    ...parts.result,
  };
  const choice = parts.choice ?? selectEnvironment(DEFAULT_CONFIG, { baseBranch: parts.base ?? "main", defaultBranch: "main" });
  const byPath = new Map<string, ChangedLines>([["pkg/files.go", changed([1, 50])]]);
  return {
    result,
    decision: parts.decision ?? decide(choice.environment, result.introduced, { draft: false }),
    choice,
    configSources: parts.configSources ?? {},
    placement: parts.placement ?? placeFindings(result.introduced, byPath, 25),
    ignored: parts.ignored ?? [],
    partial: parts.partial ?? [],
    durationMs: parts.durationMs ?? 1234,
    headSha: parts.headSha ?? "0123456789abcdef0123456789abcdef01234567",
  };
}

/** The number of cells in a markdown table row, honouring `\|`. */
function cells(row: string): number {
  return row.split(/(?<!\\)\|/).length - 2;
}

describe("renderCheckOutput", () => {
  it("summarizes counts, findings, policy, pre-existing findings and time", () => {
    const introduced = [finding({ line: 3, severity: "error", ruleId: "http-body-not-closed" }), finding({ line: 9 }), finding({ path: "other.go", line: 4, severity: "info" })];
    const out = renderCheckOutput(input({ introduced, preexisting: [finding({ line: 20 })] }));
    expect(out.title).toBe("2 blocking findings (production)");
    expect(out.summary).toContain("**Conclusion: failure**");
    expect(out.summary).toContain("| 🔴 error | 1 | 1 | 0 | 0 |");
    expect(out.summary).toContain("| 🟠 warning | 1 | 1 | 1 | 0 |");
    expect(out.summary).toContain("| **total** | **3** | **2** | **1** | **0** |");
    expect(out.summary).toContain("| 🔴 error | `http-body-not-closed` | `pkg/files.go:3` |");
    expect(out.summary).toMatch(/`other\.go:4` \| .* \| summary only \|/);
    expect(out.summary).toContain("### Environment and policy");
    expect(out.summary).toContain("base branch `main` is the default branch (`$default`)");
    expect(out.summary).toContain("### Pre-existing findings in touched code (information)");
    expect(out.summary).toContain("`pkg/files.go:20`");
    expect(out.summary).toContain("in 1.2 s");
    expect(out.summary).toContain("head `0123456`");
    expect(out.text).toBeUndefined();
  });

  it("says where each policy setting came from", () => {
    const out = renderCheckOutput(
      input({
        introduced: [finding()],
        base: "release/2.1",
        configSources: { "environments.staging.block_on": ".github/memlint.yml", "environments.staging.waivers.approvers": "org/.github", max_comments: ".github/memlint.yml" },
      }),
    );
    expect(out.summary).toContain("base branch `release/2.1` matches `release/*`");
    expect(out.summary).toMatch(/\| Blocks on \| error and above \| \.github\/memlint\.yml \|/);
    expect(out.summary).toMatch(/\| Conclusion when blocking \| `action_required` \| default \|/);
    expect(out.summary).toMatch(/\| Waivers \| .* \| org\/\.github \|/);
    expect(out.summary).toMatch(/\| Inline comments \| .* \| \.github\/memlint\.yml \|/);
  });

  it("says which findings in the diff are below the severity of inline comments, and where the threshold came from", () => {
    const byPath = new Map<string, ChangedLines>([["pkg/files.go", changed([1, 50])]]);
    const introduced = [finding({ line: 3, severity: "warning" }), finding({ line: 5, severity: "info" }), finding({ line: 7, severity: "info" })];
    const placement = placeFindings(introduced, byPath, 25, { minSeverity: "warning" });
    const out = renderCheckOutput({
      ...input({ introduced, placement, configSources: { "comments.min_severity": ".github/memlint.yml" } }),
      maxComments: 25,
      minSeverity: "warning",
    });
    expect(out.summary).toContain("Posted as 1 inline review comment, 2 annotations.");
    expect(out.summary).toContain("2 findings in the diff are below the severity of inline comments (`comments.min_severity: warning`) and were posted as annotations.");
    expect(out.summary).toMatch(/\| Inline comments \| at most 25 \(`max_comments`\), for warning and above \(`comments.min_severity`\) \| default, \.github\/memlint\.yml \|/);
  });

  it("names the deployment override as the source of the environment", () => {
    const choice = selectEnvironment(DEFAULT_CONFIG, { baseBranch: "feature/x", defaultBranch: "main" }, "staging");
    const out = renderCheckOutput(input({ choice }));
    expect(out.summary).toContain("MEMLINT\\_ENVIRONMENT=staging");
    expect(out.summary).toContain("deployment (`MEMLINT_ENVIRONMENT`)");
  });

  it("lists ignored findings with who and why, in-code suppressions too", () => {
    const ignored: IgnoredFinding[] = [
      { finding: finding({ line: 5 }), by: "alice", at: "2026-01-02T03:04:05Z", category: "false-positive", reason: "closed by the caller <b>really</b>", via: "comment" },
      { finding: finding({ line: 6 }), by: "bob", at: "2026-01-02T03:04:05Z", category: "accepted-risk", reason: "release blocker", via: "waive-button" },
    ];
    const out = renderCheckOutput(
      input({ ignored, result: { suppressed: [{ finding: finding({ line: 8 }), line: 7, reason: "stopped in Close" }] } }),
    );
    expect(out.summary).toContain("### Ignored findings");
    expect(out.summary).toContain(`@${ZWJ}alice`);
    expect(out.summary).toContain("closed by the caller &lt;b&gt;really&lt;/b&gt;");
    expect(out.summary).toContain("“Waive” button");
    expect(out.summary).toContain("directive on line 7");
    expect(out.summary).toContain("stopped in Close");
    expect(out.summary).toContain("| 🟠 warning | 0 | 0 | 0 | 3 |");
  });

  it("keeps ignored findings out of the findings table", () => {
    const waived = finding({ line: 30, severity: "error" });
    const kept = finding({ line: 31 });
    const ignored: IgnoredFinding[] = [{ finding: waived, by: "carol", at: "now", category: "waiver", reason: "release freeze exception", via: "waive-button" }];
    const out = renderCheckOutput(input({ introduced: [waived, kept], ignored }));
    const table = out.summary.slice(out.summary.indexOf("### Findings introduced"), out.summary.indexOf("### Environment"));
    expect(table).toContain("`pkg/files.go:31`");
    expect(table).not.toContain("`pkg/files.go:30`");
    expect(table).toContain("1 ignored finding is listed under “Ignored findings”.");
    expect(out.summary.slice(out.summary.indexOf("### Ignored findings"))).toContain("`pkg/files.go:30`");
  });

  it("lists skipped files and notes, and warns about a partial run", () => {
    const out = renderCheckOutput(
      input({
        partial: ["12 files had no patch (diff too large)"],
        result: {
          skipped: [{ path: "vendor/x.go", reason: "matched by paths.exclude" }],
          notes: [
            { path: "big.go", message: "skipped: 5.0 MB is over the 4.0 MB limit for one file" },
            { path: "bad.go", line: 7, message: "skipped `Foo` (lines 3–9): syntax error at line 7" },
          ],
        },
      }),
    );
    expect(out.summary).toContain("> [!WARNING]");
    expect(out.summary).toContain("12 files had no patch");
    expect(out.summary).toContain("### Skipped files");
    expect(out.summary).toContain("| `vendor/x.go` | matched by paths.exclude |");
    expect(out.summary).toContain("| `big.go` | 5.0 MB is over the 4.0 MB limit for one file |");
    expect(out.summary).toContain("### Notes");
    expect(out.summary).toContain("`bad.go:7`");
  });

  it("keeps table rows intact when paths and messages contain pipes, HTML and mentions", () => {
    const evil = finding({
      path: "a|b/<script>alert(1)</script>/@team.go",
      message: "x | y <img src=x> @org/team `a|b` #1",
    });
    const out = renderCheckOutput(input({ introduced: [evil], preexisting: [evil] }));
    const rows = out.summary.split("\n").filter((l) => l.includes("alert"));
    expect(rows).toHaveLength(2);
    expect(cells(rows[0]!)).toBe(6); // severity, rule, location, finding, id, posted as
    expect(cells(rows[1]!)).toBe(4);
    const outsideCode = out.summary.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
    expect(outsideCode).not.toMatch(/<img|<script/);
    expect(outsideCode).not.toMatch(/@(?!\u200d)/);
  });

  it("stays within 65,535 characters with 5,000 findings and says how many were left out", () => {
    const many = Array.from({ length: 5_000 }, (_, i) =>
      finding({ line: (i % 50) + 1, path: i % 2 ? "pkg/files.go" : `pkg/${"deep/".repeat(30)}f${i}.go`, message: `\`v${i}\` leaks ${"x".repeat(300)}` }),
    );
    const ignored = many.slice(0, 2_000).map((f): IgnoredFinding => ({ finding: f, by: "alice", at: "now", category: "wontfix", reason: "y".repeat(400), via: "comment" }));
    const out = renderCheckOutput(
      input({
        introduced: many,
        preexisting: many,
        ignored,
        result: { skipped: many.map((f) => ({ path: f.path, reason: "generated file" })), notes: many.map((f) => ({ path: f.path, line: 1, message: "z".repeat(500) })) },
      }),
    );
    expect(out.summary.length).toBeLessThanOrEqual(MAX_OUTPUT);
    expect(out.text!.length).toBeLessThanOrEqual(MAX_OUTPUT);
    // Also in UTF-8 bytes (emoji and zero-width joiners are several bytes each).
    expect(outputSize(out.summary)).toBeLessThanOrEqual(MAX_OUTPUT);
    expect(outputSize(out.text!)).toBeLessThanOrEqual(MAX_OUTPUT);
    expect(outputSize(out.summary)).toBeGreaterThan(MAX_OUTPUT - 5_000); // the space is used
    const rowsInSummary = out.summary.split("\n").filter((l) => / \| (inline comment|annotation|summary only) \|$/.test(l)).length;
    const rowsInText = out.text!.split("\n").filter((l) => / \| (inline comment|annotation|summary only) \|$/.test(l)).length;
    expect(rowsInSummary).toBeGreaterThan(0);
    const summaryMore = /…and ([\d,]+) more findings not shown here/.exec(out.summary);
    // 2,000 of the 5,000 are ignored: they are listed under "Ignored findings" instead.
    expect(Number(summaryMore![1]!.replace(/,/g, ""))).toBe(3_000 - rowsInSummary);
    const textMore = /…and ([\d,]+) more findings not listed/.exec(out.text!);
    expect(Number(textMore![1]!.replace(/,/g, ""))).toBe(3_000 - rowsInSummary - rowsInText);
    expect(out.summary).toContain("### Environment and policy");
    expect(out.summary).toMatch(/<sub>Analyzed .* memlint<\/sub>$/);
    for (const line of out.summary.split("\n").filter((l) => l.startsWith("| "))) expect(line.endsWith("|")).toBe(true);
  });

  it("reports contract coverage: the count, the waived ones apart, and each function without a contract", () => {
    const coverage = [
      { path: "internal/wire/frame.go", function: "ParseHeader", line: 31, status: "covered" as const, uncovered: [] },
      { path: "internal/wire/frame.go", function: "Peek", line: 53, status: "missing" as const, uncovered: ["buf", "into"] },
      { path: "internal/wire/conn.go", function: "Conn.Attach", line: 12, status: "waived" as const, uncovered: ["pool"] },
    ];
    const out = renderCheckOutput(input({ result: { coverage } }));
    expect(out.summary).toContain("### Contract coverage");
    expect(out.summary).toContain("**1 of 3 exported functions** that this pull request adds or changes in the paths of `contracts.require` has a contract for every parameter that needs one (1 more waived with a reason).");
    expect(out.summary).toContain("| `Peek` | `internal/wire/frame.go:53` | `buf`, `into` |");
    expect(out.summary).not.toContain("`ParseHeader`");
    expect(out.summary).not.toContain("`Conn.Attach`");
  });

  it("says nothing of coverage when no required function was touched", () => {
    expect(renderCheckOutput(input({ result: { coverage: [] } })).summary).not.toContain("Contract coverage");
    const all = renderCheckOutput(input({ result: { coverage: [{ path: "a.go", function: "A", line: 3, status: "covered", uncovered: [] }] } }));
    expect(all.summary).toContain("**1 of 1 exported function** that this pull request adds or changes in the paths of `contracts.require` has a contract");
  });

  it("keeps the title short", () => {
    const decision = { conclusion: "neutral" as const, blocking: [], title: "t".repeat(1000), explanation: "x" };
    expect(renderCheckOutput(input({ decision })).title.length).toBeLessThanOrEqual(255);
  });
});

describe("sourceOf", () => {
  it("finds a key, the keys below it, or the nearest above it, in either spelling", () => {
    const sources = { max_comments: "file", "environments.staging.waivers.approvers": "org", "environments.prod": "env" };
    expect(sourceOf(sources, ["maxComments"])).toBe("file");
    expect(sourceOf(sources, ["environments", "staging", "waivers"])).toBe("org");
    expect(sourceOf(sources, ["environments", "prod", "blockOn"])).toBe("env");
    expect(sourceOf(sources, ["drafts"])).toBe("default");
  });
});

describe("renderErrorOutput", () => {
  it("explains each kind of error and shows the message in a safe code block", () => {
    for (const kind of ["config", "internal", "github"] as const) {
      const out = renderErrorOutput(kind, "boom ``` @team <b>");
      expect(out.title).toMatch(/memlint/);
      expect(out.summary).toContain("````text\nboom ``` @team <b>\n````");
    }
    expect(renderErrorOutput("config", "x").summary).toContain(".github/memlint.yml");
    expect(renderErrorOutput("internal", "x".repeat(100_000)).summary.length).toBeLessThanOrEqual(MAX_OUTPUT);
    expect(outputSize(renderErrorOutput("internal", "😀".repeat(30_000)).summary)).toBeLessThanOrEqual(MAX_OUTPUT);
  });
});
