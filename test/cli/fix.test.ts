/**
 * `--fix` on the fixtures of every rule that makes suggestions, compared with golden files in
 * test/fixtures/fix/<rule-id>/ (`MEMLINT_UPDATE_GOLDEN=1` rewrites them; review the diff). Each
 * rule runs alone, so a golden file shows that rule's fixes only; every fixed file must parse.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Analysis } from "../../src/cli/collect.js";
import { applyFixes, fixFile } from "../../src/cli/fix.js";
import { initParser, parseGo } from "../../src/engine/parser.js";
import { LineIndex } from "../../src/engine/position.js";
import type { Finding } from "../../src/engine/types.js";
import { ALL_RULE_METAS } from "../../src/rules/index.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { cleanTempDirs, runCli, tempDir, writeFiles } from "./helpers.js";

beforeAll(initParser);
afterAll(cleanTempDirs);

const UPDATE = process.env.MEMLINT_UPDATE_GOLDEN === "1";
const SUGGESTING = ALL_RULE_METAS.filter((m) => m.suggestion !== "none").map((m) => m.id);

/** A configuration that enables one rule, with the settings its fixture directory asks for. */
function onlyRule(id: string, fixtureDir: string): string {
  const rules = ALL_RULE_METAS.map((m) => `  ${m.id}: ${m.id === id ? "on" : "off"}`).join("\n").replace(": on", `: ${ALL_RULE_METAS.find((m) => m.id === id)!.severity}`);
  const options = existsSync(join(fixtureDir, "fixture.json")) ? (JSON.parse(readFileSync(join(fixtureDir, "fixture.json"), "utf8")) as Record<string, string[]>) : {};
  const contracts = [
    ...(options.contractScopes ? [`  scopes: [${options.contractScopes.join(", ")}]`] : []),
    ...(options.contractRequire ? [`  require: [${options.contractRequire.map((g) => JSON.stringify(g)).join(", ")}]`] : []),
  ];
  return `rules:\n${rules}\n${contracts.length > 0 ? `contracts:\n${contracts.join("\n")}\n` : ""}`;
}

const errorsOf = (text: string) => parseGo(text, new LineIndex(text)).errors.length;

describe("memlint check --fix: golden files", () => {
  it("covers every rule that makes suggestions", () => {
    expect(SUGGESTING.length).toBeGreaterThanOrEqual(10);
  });

  it.each(SUGGESTING)("%s", async (id) => {
    const fixtures = join(FIXTURES, "rules", id);
    const golden = join(FIXTURES, "fix", id);
    const dir = tempDir("memlint-fix-");
    cpSync(fixtures, dir, { recursive: true });
    if (UPDATE) rmSync(golden, { recursive: true, force: true });
    writeFiles(dir, { ".github/memlint.yml": onlyRule(id, fixtures) });

    const r = await runCli(["check", ".", "--fix", "--fail-on", "never"], dir);
    expect(r.code).toBe(0);
    const fixed = Number(/memlint: fixed (\d+) finding/.exec(r.stderr)?.[1] ?? 0);
    expect(fixed, r.stderr).toBeGreaterThan(0);

    const changed: string[] = [];
    for (const name of readdirSync(fixtures).filter((f) => f.endsWith(".go")).sort()) {
      const before = readFileSync(join(fixtures, name), "utf8");
      const after = readFileSync(join(dir, name), "utf8");
      if (after === before) continue;
      changed.push(name);
      expect(errorsOf(after), `${name} must still parse`).toBeLessThanOrEqual(errorsOf(before));
      const goldenFile = join(golden, `${name}.golden`);
      if (UPDATE) {
        mkdirSync(golden, { recursive: true });
        writeFileSync(goldenFile, after);
      }
      expect(after, `${goldenFile} (MEMLINT_UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(goldenFile, "utf8"));
    }
    // No golden file for a file the fixes leave alone.
    const goldens = existsSync(golden) ? readdirSync(golden).map((f) => f.replace(/\.golden$/, "")) : [];
    expect(goldens.sort()).toEqual(changed);

    // A second run has nothing left that it can fix without overlapping.
    const again = await runCli(["check", ".", "--fix", "--dry-run", "--fail-on", "never"], dir);
    expect(again.stderr).toMatch(/memlint: would fix \d+ findings? in \d+ files?\n$/);
  });
});

describe("applying suggestions", () => {
  const finding = (startLine: number, endLine: number, replacement: string): Finding => ({
    ruleId: "ticker-not-stopped",
    severity: "warning",
    category: "timer",
    title: "ticker never stopped",
    message: "m",
    path: "a.go",
    line: startLine,
    column: 1,
    endLine,
    endColumn: 1,
    declaration: "F",
    fingerprint: `${startLine}-${endLine}`,
    id: `${startLine}`,
    related: [],
    suggestion: { startLine, endLine, replacement },
  });
  const source = "package a\r\n\r\nfunc F() {\r\n\tt := time.NewTicker(1)\r\n\t_ = t\r\n}\r\n";

  it("keeps CRLF line endings, skips overlaps and anything that would not parse", () => {
    const fix = fixFile("a.go", source, [
      finding(4, 4, "\tt := time.NewTicker(1)\n\tdefer t.Stop()"),
      finding(5, 5, "\t_ = t.C"),
      finding(4, 5, "\tt := time.NewTicker(2)"),
      finding(3, 3, "func F( {"),
    ]);
    // Bottom-up: line 5 first; 4–5 overlaps it and waits for the next run; 4 fits above it.
    expect(fix.after).toBe("package a\r\n\r\nfunc F() {\r\n\tt := time.NewTicker(1)\r\n\tdefer t.Stop()\r\n\t_ = t.C\r\n}\r\n");
    expect(fix.fixed.map((f) => f.suggestion!.startLine)).toEqual([5, 4]);
    expect(fix.left.map((l) => [l.finding.suggestion!.startLine, l.reason])).toEqual([
      [4, "its lines overlap another suggestion (run --fix again)"],
      [3, "the file would not parse with it"],
    ]);
  });

  it("prints a dry run as a unified diff and writes nothing", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": "package a\n\nimport \"time\"\n\nfunc F() {\n\tt := time.NewTicker(time.Second)\n\t<-t.C\n}\n" });
    const dry = await runCli(["check", ".", "--fix", "--dry-run"], dir);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe(
      "--- a/a.go\n+++ b/a.go\n@@ -4,5 +4,6 @@\n \n func F() {\n \tt := time.NewTicker(time.Second)\n+\tdefer t.Stop()\n \t<-t.C\n }\n",
    );
    expect(readFileSync(join(dir, "a.go"), "utf8")).not.toContain("defer t.Stop()");
  });

  it("leaves a file that changed since it was analyzed alone", () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": source.replace("_ = t", "_ = t // edited meanwhile") });
    let stderr = "";
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir, env: {} };
    const analysis: Analysis = {
      command: "check",
      root: dir,
      contents: new Map([["a.go", source]]),
      result: { files: [], introduced: [finding(4, 4, "\tt := time.NewTicker(1)\n\tdefer t.Stop()")], preexisting: [], suppressed: [], notes: [], skipped: [] },
    };
    expect(applyFixes(analysis, { dryRun: false, cwd: dir, io }).fixed).toEqual([]);
    expect(stderr).toBe("memlint: a.go: not fixed: the file changed since memlint read it\nmemlint: fixed 0 findings in 0 files\n");
    expect(readFileSync(join(dir, "a.go"), "utf8")).toContain("edited meanwhile");
  });
});
