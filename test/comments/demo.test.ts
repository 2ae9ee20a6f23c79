import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { runDemo } from "../../src/cli/demo.js";
import { parseFingerprintMarker } from "../../src/comments/markers.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";

let output = "";
let code = -1;

beforeAll(async () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
  code = await runDemo(out);
  output = chunks.join("");
});

/** Each inline comment as printed: its header line and the body up to the end separator. */
function inlineComments(): { header: string; body: string }[] {
  const section = output.slice(output.indexOf("━━━ Inline review comments"), output.indexOf("━━━ Check-run annotations"));
  const parts = section.split(/^── (\d+\/\d+ · .*?) ─+$/m).slice(1);
  const comments: { header: string; body: string }[] = [];
  for (let i = 0; i < parts.length; i += 2) comments.push({ header: parts[i]!, body: parts[i + 1]!.split(/^── end ─+$/m)[0]!.trim() });
  return comments;
}

// What the head of the demo introduces: [rule, file, line of the comment].
const INTRODUCED: [string, string, string][] = [
  ["http-body-not-closed", "client.go", "line 45"], // deleted `defer resp.Body.Close()`; the suggestion restores it
  ["context-cancel-not-called", "client.go", "line 59"],
  ["defer-in-loop", "cache.go", "line 107"],
  ["global-map-unbounded", "handler.go", "line 31"],
  ["ticker-not-stopped", "worker.go", "line 21"],
];

describe("npm run demo", () => {
  it("returns 0 and prints the conclusion line", () => {
    expect(code).toBe(0);
    expect(output).toMatch(/^Conclusion: failure — \d+ blocking findings? \(production\)$/m);
    expect(output).toContain("conclusion   failure");
  });

  it("posts the introduced findings as inline comments with their exact markdown bodies", () => {
    const comments = inlineComments();
    const expected = INTRODUCED.filter(([rule]) => KNOWN_RULE_IDS.has(rule));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    for (const [rule, file, where] of expected) {
      const c = comments.find((x) => x.header.includes(`· ${rule}`));
      expect(c, rule).toBeDefined();
      // The comment's line: the anchor, or the lines of the rule's suggestion when it has one.
      expect(c!.header).toMatch(new RegExp(`· ${file.replace(".", "\\.")} (${where}|lines? [\\d–]+) \\(side RIGHT\\)`));
      expect(parseFingerprintMarker(c!.body)).toMatch(/^[0-9a-f]{64}$/);
      expect(c!.body).toContain(`\`${rule}\``);
      expect(c!.body).toContain("reply `/memlint ignore -- <reason>`");
    }
    const rules = new Set(comments.map((c) => c.header.split("· ").pop()));
    expect(rules.size).toBeGreaterThanOrEqual(Math.min(4, expected.length));
  });

  it("shows the mechanical fixes as suggestion blocks", () => {
    if (!KNOWN_RULE_IDS.has("ticker-not-stopped")) return;
    const ticker = inlineComments().find((c) => c.header.includes("ticker-not-stopped"))!;
    expect(ticker.body).toContain("```suggestion\n\tstats := time.NewTicker(time.Minute)\n\tdefer stats.Stop()\n```");
  });

  it("does not blame the change for the pre-existing defer in Persist", () => {
    const comments = inlineComments();
    expect(comments.some((c) => c.header.includes("cache.go line 88"))).toBe(false);
    expect(output).not.toContain('"start_line": 88');
    const pre = output.indexOf("### Pre-existing findings in touched code (information)");
    expect(pre).toBeGreaterThan(-1);
    expect(output.slice(pre)).toContain("| 🟠 warning | `defer-in-loop` | `cache.go:88` |");
    const introducedTable = output.slice(output.indexOf("### Findings introduced by this pull request"), pre);
    expect(introducedTable).not.toContain("cache.go:88");
    expect(output).toMatch(/1 pre-existing \(not blamed\)/);
  });

  it("prints the check run's summary with the policy that decided it", () => {
    expect(output).toContain("title        ");
    expect(output).toContain("### Environment and policy");
    expect(output).toContain("base branch `main` is the default branch (`$default`)");
  });
});
