/** Fixture conventions shared by the tests: `// want "<rule-id>"` markers (Go's analysistest style). */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { analyzeFile, type AnalyzeOptions } from "../../src/engine/analyze.js";
import { goVersionFromGoMod } from "../../src/engine/gomod.js";
import type { Finding, Rule } from "../../src/engine/types.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";

export const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;

/** One `// want` expectation: the rule and, when written `"rule-id: text"`, a fragment its message must contain. */
export interface WantMark {
  line: number;
  ruleId: string;
  fragment?: string;
}

/**
 * The `// want "<rule-id>"` markers of a fixture (Go's analysistest style), one per string; a
 * string `"<rule-id>: <text>"` also asserts that the finding's message contains `<text>`.
 */
export function wantMarks(source: string): WantMark[] {
  const out: WantMark[] = [];
  source.split("\n").forEach((text, i) => {
    const m = /\/\/\s*want\s+((?:"[^"]+"\s*)+)$/.exec(text);
    if (!m) return;
    for (const want of m[1]!.matchAll(/"([^"]+)"/g)) {
      const [, ruleId, fragment] = /^([a-z0-9-]+)(?::\s*(.+))?$/.exec(want[1]!) ?? [];
      if (!ruleId) throw new Error(`line ${i + 1}: a want marker names a rule id, optionally followed by ": text" (got ${JSON.stringify(want[1])})`);
      out.push({ line: i + 1, ruleId, ...(fragment ? { fragment } : {}) });
    }
  });
  return out;
}

/** `line:rule-id` for every `// want` marker, once per id named. */
export function expectedMarks(source: string): string[] {
  return wantMarks(source).map((w) => `${w.line}:${w.ruleId}`).sort();
}

/** The want markers with a message fragment that no finding of their rule on their line contains. */
export function unmetFragments(source: string, findings: readonly Finding[]): WantMark[] {
  return wantMarks(source).filter((w) => w.fragment && !findings.some((f) => f.line === w.line && f.ruleId === w.ruleId && f.message.includes(w.fragment!)));
}

export function actualMarks(findings: Finding[]): string[] {
  return findings.map((f) => `${f.line}:${f.ruleId}`).sort();
}

export interface FixtureFile {
  name: string;
  path: string;
  source: string;
  /** The file before the change, from `<name>.base.go` beside it: the fixture is then analyzed as that change. */
  base?: string;
  goVersion: string | undefined;
  /** Analyze options from an optional `fixture.json` beside the fixtures (e.g. `{ "contractRequire": ["**"] }`). */
  options: FixtureOptions;
}

/** The JSON-serializable analyze options a fixture directory may set. */
export type FixtureOptions = Partial<Pick<AnalyzeOptions, "contractScopes" | "contractRequire" | "goVersion" | "severity">>;

/** The Go files of a fixture directory (and the go.mod version beside them, if any); `x.base.go` is the base of `x.go`. */
export function fixtureFiles(dir: string): FixtureFile[] {
  if (!existsSync(dir)) return [];
  const goMod = join(dir, "go.mod");
  const goVersion = existsSync(goMod) ? goVersionFromGoMod(readFileSync(goMod, "utf8")) : undefined;
  const optionsFile = join(dir, "fixture.json");
  const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as FixtureOptions) : {};
  return readdirSync(dir)
    .filter((f) => f.endsWith(".go") && !f.endsWith(".base.go"))
    .sort()
    .map((name) => {
      const basePath = join(dir, name.replace(/\.go$/, ".base.go"));
      const base = existsSync(basePath) ? readFileSync(basePath, "utf8") : undefined;
      return { name, path: join(dir, name), source: readFileSync(join(dir, name), "utf8"), ...(base !== undefined ? { base } : {}), goVersion, options };
    });
}

/** Whole-file analysis of a fixture with the given rules (as a change from its base, when it has one). */
export function checkFixture(file: FixtureFile, rules: readonly Rule[]): Finding[] {
  return analyzeFile(
    { path: file.name, head: file.source, base: file.base ?? null },
    { rules, knownRuleIds: KNOWN_RULE_IDS, ...(file.goVersion ? { goVersion: file.goVersion } : {}), ...file.options },
  ).introduced;
}
