/**
 * Renders docs/rules.md from the rule metadata, so the documentation can never drift from the
 * code. `npx tsx scripts/rules-doc.ts` writes it; the test suite checks it is current.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RuleMeta } from "../src/engine/types.js";
import { ALL_RULE_METAS } from "../src/rules/index.js";

export function renderRulesDoc(metas: readonly RuleMeta[] = ALL_RULE_METAS): string {
  const lines = [
    "# memlint rules",
    "",
    "Generated from the rule metadata by `npx tsx scripts/rules-doc.ts`; do not edit by hand.",
    "The same text is printed by `memlint rules <rule-id>` and linked from every review comment.",
    "",
    "| rule | category | default severity | suggestion | title |",
    "| --- | --- | --- | --- | --- |",
    ...metas.map((m) => `| [\`${m.id}\`](#${m.id}) | ${m.category} | ${m.severity}${m.fixedInGo ? ` (info from Go ${m.fixedInGo})` : ""} | ${m.suggestion} | ${m.title} |`),
    "",
  ];
  for (const m of metas) {
    lines.push(
      `## ${m.id}`,
      "",
      `**${m.title}** — ${m.category}, default severity \`${m.severity}\`${m.fixedInGo ? `, \`info\` from Go ${m.fixedInGo} (the runtime fixed the pitfall)` : ""}${m.skipsTests ? "; skips `_test.go` files and test functions" : ""}${m.blameTouched ? "; reported in every declaration a change touches" : ""}.`,
      "",
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
