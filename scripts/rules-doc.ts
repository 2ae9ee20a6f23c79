/**
 * Renders docs/rules.md from the rule metadata, so the documentation can never drift from the
 * code. `npx tsx scripts/rules-doc.ts` writes it; the test suite checks it is current.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeEquivalents } from "../src/directives/foreign.js";
import type { RuleMeta, TestPolicy } from "../src/engine/types.js";
import { ALL_RULE_METAS } from "../src/rules/index.js";

const IN_TESTS: Record<TestPolicy, string> = {
  skip: "not reported in test code",
  info: "reported as `info` in test code",
  report: "reported in test code too",
};

export function renderRulesDoc(metas: readonly RuleMeta[] = ALL_RULE_METAS): string {
  const lines = [
    "# memlint rules",
    "",
    "Generated from the rule metadata by `npx tsx scripts/rules-doc.ts`; do not edit by hand.",
    "The same text is printed by `memlint rules <rule-id>` and linked from every review comment.",
    "",
    "Test code (`_test.go` files, test functions, `//go:build ignore` files and the paths of",
    "`paths.non_production`) gets what the column \"in tests\" says: `skip` (not reported), `info`",
    "(reported as info) or `report` (as elsewhere); `rules: {<id>: {in_tests: …}}` changes it.",
    "A rule whose pitfall the runtime fixed is not run on modules whose `go` directive is that",
    "version or later (`memlint check --all-versions` reports its findings there as info).",
    "Suppressions of the equivalent checks of other linters silence the rule on their line.",
    "",
    "## Equivalent checks of other linters",
    "",
    "A line suppressed for one of these checks is not reported by the rule either:",
    "`//nolint:<linter>` (golangci-lint; `staticcheck`, `gosec` and `govet` for the checks they bundle),",
    "`//lint:ignore <check> reason` and `//lint:file-ignore` (staticcheck), `#nosec [<rule>]` (gosec).",
    "",
    "| rule | equivalent checks |",
    "| --- | --- |",
    ...metas.filter((m) => m.equivalents).map((m) => `| [\`${m.id}\`](#${m.id}) | ${describeEquivalents(m.equivalents).join(", ")} |`),
    "",
    "## All rules",
    "",
    "| rule | category | default severity | in tests | suggestion | title |",
    "| --- | --- | --- | --- | --- | --- |",
    ...metas.map((m) => `| [\`${m.id}\`](#${m.id}) | ${m.category} | ${m.severity}${m.fixedInGo ? ` (off from Go ${m.fixedInGo})` : ""} | ${m.inTests} | ${m.suggestion} | ${m.title} |`),
    "",
  ];
  for (const m of metas) {
    lines.push(
      `## ${m.id}`,
      "",
      `**${m.title}** — ${m.category}, default severity \`${m.severity}\`${m.fixedInGo ? `, not run from Go ${m.fixedInGo} (the runtime fixed the pitfall)` : ""}; ${IN_TESTS[m.inTests]}${m.blameTouched ? "; reported in every declaration a change touches" : ""}.`,
      "",
      ...(m.equivalents ? [`Equivalent checks (their suppressions silence this rule too): ${describeEquivalents(m.equivalents).join(", ")}.`, ""] : []),
      m.rationale,
      "",
      `**Fix:** ${m.fix}`,
      "",
      "Bad:",
      "",
      "```go",
      m.bad,
      "```",
      "",
      "Good:",
      "",
      "```go",
      m.good,
      "```",
      "",
    );
  }
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = new URL("../docs/rules.md", import.meta.url);
  writeFileSync(target, renderRulesDoc());
  console.log(`wrote ${fileURLToPath(target)}`);
}
