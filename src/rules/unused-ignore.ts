import type { RuleMeta } from "../engine/types.js";

/** Reported by the engine itself (see engine/run-rules.ts): a suppression that suppresses nothing. */
export const unusedIgnore: RuleMeta = {
  id: "unused-ignore",
  category: "meta",
  severity: "info",
  title: "suppression that suppresses nothing",
  rationale:
    "A `//memlint:ignore` directive that no longer matches a finding is dead weight, and it will silently hide the next real finding of that rule on its line. Suppressions should be removed together with the code they excused.",
  fix: "Delete the directive, or move it to the line of the finding it was meant for.",
  bad: `//memlint:ignore ticker-not-stopped -- stopped by Close
t := time.NewTimer(d) // the rule never fires here`,
  good: `t := time.NewTimer(d)`,
  suggestion: "none",
  // In tests: a stale suppression can hide a finding in tests too.
  inTests: "report",
};
