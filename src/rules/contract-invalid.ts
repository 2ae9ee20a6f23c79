import { packageIntConstant } from "../analysis/constants.js";
import type { GoNode } from "../analysis/node.js";
import { readContract } from "../directives/contracts.js";
import { parseDirective } from "../directives/parse.js";
import { documentedDeclaration } from "../directives/placement.js";
import type { ContractSettings } from "../contracts/settings.js";
import type { Rule } from "../engine/types.js";

/** contract-invalid, built with the configured contract settings. */
export default function contractInvalid(settings: ContractSettings): Rule {
  return {
    meta: {
      id: "contract-invalid",
      category: "contract",
      severity: "warning",
      title: "invalid memlint directive",
      rationale:
        "A malformed `//memlint:` directive establishes nothing and silences nothing, so the contract or suppression its author relies on is silently absent. Typos such as `// memlint:` (with a space) are the most common cause.",
      fix: "Correct the directive: `//memlint:` without a space, names that are parameters of the function, a known scope, and `-- <reason>` on every ignore.",
      bad: `// Decode parses one frame.
//
// memlint:borrow buf
//memlint:lifetime requst f
//memlint:ignore defer-in-loop
func Decode(buf []byte, f *Frame) error`,
      good: `// Decode parses one frame.
//
//memlint:borrow buf
//memlint:lifetime request f
//memlint:ignore defer-in-loop -- frames are closed by the caller's pool
func Decode(buf []byte, f *Frame) error`,
      suggestion: "none",
      // In tests: a malformed directive is wrong wherever it is.
      inTests: "report",
    },
    // Reports only on comments that parse as directives: `//memlint:`, `// memlint:` or `//nolint:…memlint`.
    triggers: ["memlint"],
    check(ctx) {
      const functions = new Set<GoNode>();
      for (const comment of ctx.comments) {
        const parsed = parseDirective(comment.text);
        if (!parsed) continue;
        if (!parsed.ok) {
          ctx.report({ node: comment, message: parsed.error });
          continue;
        }
        const d = parsed.directive;
        if (d.kind === "nolint") continue;
        if (d.kind === "ignore") {
          const unknown = d.rules.filter((id) => !ctx.isKnownRule(id));
          if (unknown.length > 0) {
            ctx.report({ node: comment, message: `\`//memlint:ignore\` names ${unknown.map((u) => `\`${u}\``).join(", ")}, which ${unknown.length === 1 ? "is not a memlint rule" : "are not memlint rules"}; it silences nothing.` });
          }
          continue;
        }
        const fn = documentedDeclaration(comment);
        if (fn?.type !== "function_declaration" && fn?.type !== "method_declaration") {
          ctx.report({ node: comment, message: `\`//memlint:${d.kind}\` must stand in the doc comment directly above a function or method; here it establishes nothing.` });
          continue;
        }
        functions.add(fn);
      }
      for (const fn of functions) {
        for (const problem of readContract(fn, settings.scopes, (name) => packageIntConstant(name, ctx.file)).problems) ctx.report({ node: problem.comment, message: problem.message });
      }
    },
  };
}

