/**
 * Hostile input through the App: files that do not parse, are huge, have endless lines or bytes
 * that are not UTF-8, a patch that does not match the contents; file names, code and ignore
 * reasons that try markdown, HTML, mentions or memlint's own markers; and a pull request that
 * edits memlint's configuration or an organization lock. Nothing crashes, the rest of the pull
 * request is analyzed, and what is posted shows exactly what it should.
 */
import { describe, expect, it } from "vitest";
import { parseFingerprintMarker } from "../../src/comments/markers.js";
import type { GitHubDouble } from "./github-double.js";
import { type AppProcess } from "./harness.js";
import { serverForFile } from "./server-for-file.js";
import { deliver, leakyFile, newRepo, openPull, READER, SRC } from "./scenario.js";

let double: GitHubDouble;
let app: AppProcess;
serverForFile((d, a) => {
  double = d;
  app = a;
});

/** Markdown with code spans and fenced blocks removed: what GitHub renders as prose. */
function prose(markdown: string): string {
  let out = markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1`*[ \t]*$/gm, "");
  out = out.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
  return out;
}

function expectInert(body: string, where: string): void {
  const text = prose(body);
  // No mention and no team mention can notify anyone.
  expect(text, where).not.toMatch(/(^|[^\w`])@[A-Za-z0-9]/);
  // No raw HTML tag or comment other than memlint's own first-line marker.
  const rest = body.split("\n").slice(parseFingerprintMarker(body) ? 1 : 0).join("\n");
  expect(prose(rest), where).not.toMatch(/<(img|b|script|a|details|!--)/i);
  // No link or image markup from the repository.
  expect(text.replace(/\]\(https:\/\/github\.com\/memlint\/memlint\/blob\/main\/docs\/rules\.md#[a-z-]+\)/g, ""), where).not.toMatch(/(?<!\\)\]\((https?:|javascript:)/i);
  expect(text, where).not.toMatch(/https?:\/\/e\.vil/);
}

describe("files the engine cannot read", () => {
  it("are noted in the summary, nothing crashes, and the rest of the pull request is analyzed", async () => {
    const full = newRepo(double, { [READER]: SRC.base, "mismatch/m.go": leakyFile(1, "mismatch") });
    const latin1 = Buffer.concat([Buffer.from("package enc\n\n// caf"), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from("\n"), Buffer.from(leakyFile(2, "enc").replace("package enc\n", ""))]);
    const huge = `package big\n\n${"// filler line to make this file very large indeed\n".repeat(105_000)}${leakyFile(3, "big").replace("package big\n", "")}`;
    const longLine = `package long\n\nvar Table = []int{${Array.from({ length: 60_000 }, (_, i) => i).join(", ")}}\n\n${leakyFile(4, "long").replace("package long\n", "")}`;
    openPull(double, full, 1, {
      [READER]: SRC.head,
      "bad/broken.go": "package bad\n\nfunc Broken( {\n\tfor {\n\t\tdefer x(\n}\n\n" + leakyFile(5, "bad").replace("package bad\n", ""),
      "big/huge.go": huge,
      "long/line.go": longLine,
      "enc/latin1.go": latin1,
      "mismatch/m.go": leakyFile(1, "mismatch").replace("return nil", "return nil // changed"),
    });
    double.overridePatch(full, 1, "mismatch/m.go", "@@ -1,3 +1,4 @@\n package mismatch\n+import \"this line is not in the file\"\n \n import \"os\"");
    expect(huge.length).toBeGreaterThan(5_000_000);

    const { response, check } = await deliver(double, app, full, 1);
    expect(response.status).toBe(200);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const summary = check.output.summary!;
    // The readable files were analyzed: the reader's findings are posted inline.
    expect(check.conclusion).toBe("failure");
    const review = double.reviews.find((r) => `${r.owner}/${r.repo}` === full)!;
    expect(review.comments.map((c) => c.path)).toEqual(expect.arrayContaining([READER]));
    // Each unreadable thing is named with its reason.
    expect(summary).toMatch(/huge\.go[^\n]*(too large|over the)/);
    expect(summary).toMatch(/broken\.go[^\n]*syntax error/);
    expect(summary).toMatch(/m\.go[^\n]*does not match the file's contents/);
    // The long line and the odd bytes did not stop the analysis of their files.
    const where = [...review.comments.map((c) => String(c.path)), ...check.annotations.map((a) => String(a.path))];
    expect(where).toEqual(expect.arrayContaining(["long/line.go", "enc/latin1.go"]));
    // The mismatched file's finding is an annotation, not a comment on a line its patch invented.
    expect(review.comments.map((c) => c.path)).not.toContain("mismatch/m.go");
  }, 180_000);
});

describe("injection", () => {
  it("file names, code, identifiers and ignore reasons cannot change what comments show, mention anyone or forge a fingerprint", async () => {
    const forged = "<!-- memlint:fingerprint=0123456789abcdef0123456789abcdef -->";
    const evilDir = `x/@acme-team <img src=x onerror=alert(1)> [click](https://e.vil) ${forged}`;
    const evilPath = `${evilDir}/main.go`;
    const code = leakyFile(6, "x")
      .replace("// ReadAll6 opens every file.", `// ReadAll6 opens every file. @acme/security <b>urgent</b> [docs](https://e.vil/x) ${forged}`)
      .replace("\t\tdefer f.Close()", `\t\tdefer f.Close() // @octocat ${forged} <details><summary>x</summary>`);
    const ignored = leakyFile(7, "x").replace(
      "\t\tdefer f.Close()",
      `\t\t//memlint:ignore defer-in-loop -- @acme/owners said <b>ok</b> [see](https://e.vil) ${forged} in the review\n\t\tdefer f.Close()`,
    );
    const full = newRepo(double, { [READER]: SRC.base });
    openPull(double, full, 2, { [READER]: SRC.head, [evilPath]: code, "x/ignored.go": ignored });
    const { check } = await deliver(double, app, full, 2);
    const review = double.reviews.find((r) => `${r.owner}/${r.repo}` === full)!;
    expect(review).toBeDefined();

    const bodies = [
      { where: "review body", body: review.body },
      ...review.comments.map((c, i) => ({ where: `comment ${i} (${String(c.path).slice(0, 20)})`, body: String(c.body) })),
      { where: "check title", body: check.output.title! },
      { where: "check summary", body: check.output.summary! },
      { where: "check text", body: check.output.text ?? "" },
      ...check.annotations.map((a, i) => ({ where: `annotation ${i}`, body: `${String(a.title ?? "")}\n${String(a.message)}` })),
    ];
    for (const { where, body } of bodies) expectInert(body, where);

    // Every comment starts with memlint's own marker, once, with a real fingerprint.
    const prints = review.comments.map((c) => parseFingerprintMarker(String(c.body)));
    expect(prints.every((p) => p !== undefined && p !== "0123456789abcdef0123456789abcdef")).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
    for (const c of review.comments) expect(String(c.body).split("\n").filter((l) => l.startsWith("<!-- memlint")).length).toBe(1);
    // The finding in the evil file is reported (the path is data, not markup).
    expect(review.comments.some((c) => c.path === evilPath) || check.annotations.some((a) => a.path === evilPath)).toBe(true);
    // The ignore in code worked and its reason is shown inert.
    expect(check.output.summary).toContain("ignored.go");
  }, 180_000);
});

describe("configuration", () => {
  it("is never read from the pull request's head: a PR that loosens .github/memlint.yml is judged by the default branch's", async () => {
    const full = newRepo(double, { [READER]: SRC.base }, { config: "environments:\n  production:\n    block_on: warning\n" });
    openPull(double, full, 3, {
      [READER]: SRC.head,
      ".github/memlint.yml": "environments:\n  production:\n    block_on: none\nrules:\n  defer-in-loop: off\n  http-body-not-closed: off\n",
    });
    const { check } = await deliver(double, app, full, 3);
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("2 blocking findings (production)");
  }, 180_000);

  it("organization locks: a repository may tighten a locked setting but not loosen it, and the summary says so", async () => {
    double.createRepo("locked/.github", { installation: 91_000 });
    double.setBranch(
      "locked/.github",
      "main",
      double.addCommit("locked/.github", "main", {
        ".github/memlint.yml": "locked:\n  - environments.production.block_on\n  - environments.production.waivers\nenvironments:\n  production:\n    block_on: warning\n",
      }),
    );
    // Loosening: refused.
    const loose = newRepo(double, { [READER]: SRC.base }, { owner: "locked", installation: 91_000, config: "environments:\n  production:\n    block_on: none\n    waivers:\n      allowed: true\n" });
    openPull(double, loose, 1, { [READER]: SRC.head });
    const refused = await deliver(double, app, loose, 1);
    expect(refused.check.conclusion).toBe("failure");
    expect(refused.check.output.summary).toContain("`environments.production.block_on`: this repository sets `none`, the organization locks `warning` (applied)");
    expect(refused.check.output.summary).toContain("environments.production.waivers.allowed");
    // Tightening: accepted, no note.
    const strict = newRepo(double, { [READER]: SRC.base }, { owner: "locked", installation: 91_000, config: "environments:\n  production:\n    block_on: info\n" });
    openPull(double, strict, 1, { [READER]: SRC.head });
    const accepted = await deliver(double, app, strict, 1);
    expect(accepted.check.conclusion).toBe("failure");
    expect(accepted.check.output.summary).not.toContain("organization locks");
    // A repository without a file gets the organization's (Probot's fallback), locks and all.
    const none = newRepo(double, { [READER]: SRC.base }, { owner: "locked", installation: 91_000 });
    openPull(double, none, 1, { [READER]: SRC.head });
    expect({ conclusion: (await deliver(double, app, none, 1)).check.conclusion, title: (await deliver(double, app, none, 1)).check.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
  }, 180_000);
});
