/** The rule registry: every rule memlint runs, in documentation order. */
import type { Rule, RuleMeta } from "../engine/types.js";
import deferInLoop from "./defer-in-loop.js";
import contractInvalid from "./contract-invalid.js";
import { unusedIgnore } from "./unused-ignore.js";

export const RULES: readonly Rule[] = [
  deferInLoop,
  contractInvalid,
];

/** Rules the engine reports itself rather than through a rule module's `check`. */
export const ENGINE_RULES: readonly RuleMeta[] = [unusedIgnore];

export const ALL_RULE_METAS: readonly RuleMeta[] = [...RULES.map((r) => r.meta), ...ENGINE_RULES];

export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(ALL_RULE_METAS.map((m) => m.id));

export function ruleMeta(id: string): RuleMeta | undefined {
  return ALL_RULE_METAS.find((m) => m.id === id);
}
