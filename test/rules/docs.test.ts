import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ALL_RULE_METAS, RULES } from "../../src/rules/index.js";
import { renderRulesDoc } from "../../scripts/rules-doc.js";

describe("rule documentation", () => {
  it("docs/rules.md is generated from the current metadata (run `npx tsx scripts/rules-doc.ts`)", () => {
    expect(readFileSync(new URL("../../docs/rules.md", import.meta.url), "utf8")).toBe(renderRulesDoc());
  });

  it.each(ALL_RULE_METAS.map((m) => [m.id, m] as const))("%s has complete metadata", (id, meta) => {
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(meta.title.length).toBeGreaterThan(5);
    expect(meta.rationale.split(/(?<=[.!?])\s+/).length).toBeGreaterThanOrEqual(2);
    expect(meta.fix.length).toBeGreaterThan(10);
    expect(meta.bad).not.toEqual(meta.good);
    expect(meta.bad.trim().length).toBeGreaterThan(0);
  });

  it("has unique rule ids", () => {
    const ids = ALL_RULE_METAS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(RULES.length).toBeGreaterThanOrEqual(21);
  });
});
