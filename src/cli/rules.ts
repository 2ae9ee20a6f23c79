/** `memlint rules [<rule-id|glob>...]`: the catalog, or the documentation of the rules named. */
import picomatch from "picomatch";
import { closestMatch } from "../config/closest.js";
import { describeEquivalents } from "../directives/foreign.js";
import type { RuleMeta } from "../engine/types.js";
import { ALL_RULE_METAS, ruleMeta } from "../rules/index.js";
import { CliError } from "./io.js";

export function formatRuleList(metas: readonly RuleMeta[] = ALL_RULE_METAS): string {
  const rows = [["RULE", "SEVERITY", "CATEGORY", "TITLE"], ...metas.map((m) => [m.id, m.severity, m.category, m.title])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ").trimEnd());
  return `${lines.join("\n")}\n\n${metas.length} rules. \`memlint rules <rule-id|glob>...\` shows their documentation (e.g. \`memlint rules 'contract-*'\`).\n`;
}

/**
 * The documentation of every rule named: ids, or globs over ids (`contract-*`, `pool-*`), in
 * catalog order, separated by a rule line. A name that matches nothing is an error.
 */
export function formatRuleDocs(names: readonly string[]): string {
  const ids: string[] = [];
  for (const name of names) {
    const matching = picomatch.scan(name).isGlob ? ALL_RULE_METAS.filter((m) => picomatch.isMatch(m.id, name)).map((m) => m.id) : [name];
    if (matching.length === 0) throw new CliError(`no rule matches "${name}" (\`memlint rules\` lists them)`);
    for (const id of matching) if (!ids.includes(id)) ids.push(id);
  }
  return ids.map(formatRuleDoc).join(`${"─".repeat(96)}\n\n`);
}

export function formatRuleDoc(id: string): string {
  const meta = ruleMeta(id);
  if (!meta) {
    const guess = closestMatch(id, ALL_RULE_METAS.map((m) => m.id));
    throw new CliError(`unknown rule "${id}"${guess ? `; did you mean "${guess}"?` : ""} (\`memlint rules\` lists them)`);
  }
  const indent = (text: string) => text.split("\n").map((l) => (l ? `    ${l}` : l)).join("\n");
  const prose = (text: string) => indent(wrap(text, 96));
  const facts = [
    `severity: ${meta.severity}`,
    `category: ${meta.category}`,
    `suggestion: ${meta.suggestion === "yes" ? "always" : meta.suggestion === "partial" ? "for the common shape" : "none"}`,
    `test code: ${meta.inTests === "skip" ? "skipped" : meta.inTests === "info" ? "reported as info" : "checked"}`,
    ...(meta.fixedInGo ? [`fixed in Go ${meta.fixedInGo} (not run from that version; check --all-versions reports it as info)`] : []),
  ];
  const equivalents = describeEquivalents(meta.equivalents);
  return [
    `${meta.id}: ${meta.title}`,
    facts.join(" · "),
    "",
    "Why",
    prose(meta.rationale),
    "",
    "Fix",
    prose(meta.fix),
    "",
    "Bad",
    indent(meta.bad),
    "",
    "Good",
    indent(meta.good),
    "",
    ...(equivalents.length > 0 ? [`Equivalent checks (their suppressions silence this rule too): ${equivalents.join(", ")}.`, ""] : []),
    `Silence one finding with \`//memlint:ignore ${meta.id} -- <reason>\`; configure the rule under \`rules: {${meta.id}: off|error|warning|info}\` in .github/memlint.yml.`,
    "",
  ].join("\n");
}

/** Greedy word wrap for prose (code keeps its lines). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join("\n");
}
