import { afterEach, describe, expect, it } from "vitest";
import { escapeText, fencedBlock, inlineCode, longestBacktickRun, renderMessage, ZWJ } from "../../src/comments/escape.js";
import { fingerprintMarker, parseFingerprintMarker } from "../../src/comments/markers.js";
import { DEFAULT_DOCS_BASE, docsPageUrl, ruleDocsUrl } from "../../src/comments/docs.js";
import { renderFixedNote, renderReviewComment } from "../../src/comments/review-comment.js";
import { ruleMeta } from "../../src/rules/index.js";
import { finding } from "./findings.js";

/** The body with code spans and fenced blocks removed: what GitHub would parse as markdown text. */
function prose(body: string): string {
  const withoutBlocks = body.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "");
  return withoutBlocks.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
}

const FORGED = "<!-- memlint:fingerprint=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff -->";

describe("renderReviewComment", () => {
  afterEach(() => {
    delete process.env.MEMLINT_DOCS_URL;
  });

  it("has every part: marker, severity and title, message, rationale, fix, docs, id, ignore hint", () => {
    const f = finding();
    const body = renderReviewComment(f);
    const meta = ruleMeta("defer-in-loop")!;
    expect(body.split("\n")[0]).toBe(fingerprintMarker(f.fingerprint));
    expect(body).toContain("**🟠 Warning: defer inside a loop** · `defer-in-loop`");
    expect(body).toContain("`defer f.Close()` runs when the function returns");
    expect(body).toContain(meta.rationale);
    expect(body).toContain(`**Fix:** ${meta.fix}`);
    expect(body).toContain(`(${DEFAULT_DOCS_BASE}rules.md#defer-in-loop)`);
    expect(body).toContain(`id \`${f.id}\``);
    expect(body).toContain("reply `/memlint ignore -- <reason>`");
    expect(body).not.toContain("```suggestion");
  });

  it("renders a mechanical fix as a suggestion block, verbatim", () => {
    const replacement = "\tt := time.NewTicker(d)\n\tdefer t.Stop()";
    const body = renderReviewComment(finding({ line: 7, suggestion: { startLine: 7, endLine: 7, replacement } }));
    expect(body).toContain("```suggestion\n" + replacement + "\n```\n");
  });

  it("fences a suggestion that contains backticks with a longer fence", () => {
    const replacement = "\tq := `SELECT 1`\n\tdoc := \"```go\"\n\tx := \"````\"";
    const body = renderReviewComment(finding({ line: 7, endLine: 9, suggestion: { startLine: 7, endLine: 9, replacement } }));
    const open = /^(`+)suggestion$/m.exec(body);
    expect(open).not.toBeNull();
    const fence = open![1]!;
    expect(fence.length).toBe(5);
    expect(fence.length).toBeGreaterThan(longestBacktickRun(replacement));
    const start = body.indexOf(`${fence}suggestion\n`) + fence.length + "suggestion\n".length;
    const end = body.indexOf(`\n${fence}\n`, start);
    expect(body.slice(start, end)).toBe(replacement);
  });

  it("keeps a forged marker inside a suggestion from being read", () => {
    const f = finding({ line: 3, suggestion: { startLine: 3, endLine: 3, replacement: FORGED } });
    const body = renderReviewComment(f);
    expect(body).toContain(`\n${FORGED}\n`); // code stays verbatim…
    expect(parseFingerprintMarker(body)).toBe(f.fingerprint); // …but only the first line counts
  });

  it("escapes markdown, HTML, mentions and forged markers in repository content", () => {
    const message =
      "Leak in <img src=x onerror=alert(1)> [click](https://evil.example) **now** @org/security-team and @alice, " +
      `see #123 | x ${FORGED} and \`${FORGED}\` ~~gone~~ $x^2$ www.evil.example`;
    const body = renderReviewComment(finding({ message, related: [{ line: 2, message: "owned by @bob <b>" }] }));
    const text = prose(body.split("\n").slice(1).join("\n"));
    expect(body.match(/<!--/g)).toHaveLength(1); // only memlint's own marker on line 1
    expect(parseFingerprintMarker(body)).not.toBe("f".repeat(64));
    expect(text).not.toMatch(/<img|<b>/);
    expect(text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(text).not.toMatch(/(?<!\\)\[click(?<!\\)\]/);
    expect(text).not.toMatch(/(?<!\\)\*\*now/);
    expect(text).not.toMatch(/@(?!\u200d)/);
    expect(text).toContain(`@${ZWJ}org/security-team`);
    expect(text).toContain(`#${ZWJ}123`);
    expect(text).not.toMatch(/https:\/\/evil/);
    expect(text).not.toMatch(/www\.evil/);
    expect(renderMessage("see https://evil.example")).toBe(`see https:${ZWJ}//evil.example`);
    expect(text).toContain("\\|");
    expect(text).toContain("\\~\\~gone\\~\\~");
    expect(text).toContain("\\$x^2\\$");
  });

  it("keeps code from messages as code spans", () => {
    expect(renderMessage("call `f(x)` twice")).toBe("call `f(x)` twice");
    expect(renderMessage("raw `` a`b `` string")).toBe("raw ``a`b`` string");
    expect(renderMessage("a lone ` backtick")).toBe("a lone \\` backtick");
    expect(renderMessage("`@team`")).toBe("`@team`");
  });

  it("builds code spans that nothing inside can close", () => {
    expect(inlineCode("a`b")).toBe("``a`b``");
    expect(inlineCode("`x`")).toBe("`` `x` ``");
    expect(inlineCode("a|b", { inTable: true })).toBe("`a\\|b`");
    expect(inlineCode("line1\nline2")).toBe("`line1 line2`");
    expect(inlineCode("<!-- x -->")).toBe(`\`<${ZWJ}!-- x -->\``);
    expect(fencedBlock("```\ncode\n````")).toBe("`````\n```\ncode\n````\n`````");
  });

  it("links the docs, under MEMLINT_DOCS_URL when set", () => {
    expect(ruleDocsUrl("defer-in-loop")).toBe("https://github.com/memlint/memlint/blob/main/docs/rules.md#defer-in-loop");
    process.env.MEMLINT_DOCS_URL = "https://docs.example.com/memlint#old";
    expect(ruleDocsUrl("ticker-not-stopped")).toBe("https://docs.example.com/memlint/rules.md#ticker-not-stopped");
    expect(docsPageUrl("commands.md")).toBe("https://docs.example.com/memlint/commands.md");
    expect(renderReviewComment(finding())).toContain("(https://docs.example.com/memlint/rules.md#defer-in-loop)");
    // What the setting meant before it covered every link: the rules page.
    process.env.MEMLINT_DOCS_URL = "https://docs.example.com/v1/rules.md";
    expect(ruleDocsUrl("x")).toBe("https://docs.example.com/v1/rules.md#x");
    process.env.MEMLINT_DOCS_URL = "javascript:alert(1)";
    expect(ruleDocsUrl("x")).toBe(`${DEFAULT_DOCS_BASE}rules.md#x`);
    process.env.MEMLINT_DOCS_URL = "not a url";
    expect(ruleDocsUrl("x")).toBe(`${DEFAULT_DOCS_BASE}rules.md#x`);
  });

  it("mentions the finding's line when the comment sits on the suggestion's lines", () => {
    const body = renderReviewComment(finding({ line: 42, suggestion: { startLine: 45, endLine: 45, replacement: "}" } }));
    expect(body).toMatch(/\(line 42\)/);
  });

  it("leaves out a suggestion with an impossible range", () => {
    const body = renderReviewComment(finding({ line: 5, suggestion: { startLine: 6, endLine: 5, replacement: "x" } }));
    expect(body).not.toContain("suggestion");
  });
});

describe("renderFixedNote", () => {
  it("keeps the marker, says it was fixed, folds the original and drops its suggestion", () => {
    const f = finding({ line: 7, suggestion: { startLine: 7, endLine: 7, replacement: "\tdefer t.Stop()" } });
    const note = renderFixedNote(renderReviewComment(f), "0123456789abcdef0123456789abcdef01234567");
    expect(note.split("\n")[0]).toBe(fingerprintMarker(f.fingerprint));
    expect(note).toContain("✅ **Fixed:**");
    expect(note).toContain("as of 0123456");
    expect(note).toContain("<details><summary>Original comment</summary>");
    expect(note).toContain("defer inside a loop");
    expect(note).not.toContain("```suggestion");
    expect(renderFixedNote(note)).toBe(note);
  });

  it("ignores a head SHA that is not one", () => {
    expect(renderFixedNote(renderReviewComment(finding()), "@everyone")).not.toContain("@everyone");
  });
});

describe("escapeText", () => {
  it("escapes block markers only where they would start a block", () => {
    expect(escapeText("- item")).toBe("\\- item");
    expect(escapeText("1. item")).toBe("1\\. item");
    expect(escapeText("===")).toBe("\\===");
    expect(escapeText("5.0 MB")).toBe("5.0 MB");
    expect(escapeText("-v flag")).toBe("-v flag");
    expect(escapeText("# title")).toBe(`\\#${ZWJ} title`);
    expect(escapeText("> quote")).toBe("&gt; quote");
  });

  it("shows invisible and bidi control characters", () => {
    expect(escapeText("a\u202eb")).toBe("a\\\\u202eb");
    expect(inlineCode("a\u0000b")).toBe("`a\\u0000b`");
  });
});
