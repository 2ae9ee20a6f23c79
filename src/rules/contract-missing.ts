import type { GoNode } from "../analysis/node.js";
import { isGenerated, requiresContracts, uncoveredParameters } from "../contracts/coverage.js";
import type { ContractSettings } from "../contracts/settings.js";
import type { Rule } from "../engine/types.js";

/** contract-missing, built with the configured contract settings. */
export default function contractMissing(settings: ContractSettings): Rule {
  return {
    meta: {
      id: "contract-missing",
      category: "contract",
      severity: "warning",
      title: "exported function without a lifetime contract",
      rationale:
        "In the packages the configuration lists under `contracts.require`, every exported function states who owns the pointers, slices, maps, channels and funcs it receives. Without a directive, callers and reviewers must read the body to know whether a buffer may be reused after the call, and memlint has nothing to check the body against.",
      fix: "Add a directive for each listed parameter in the doc comment: `//memlint:borrow p` if the function only uses it during the call, `//memlint:lifetime SCOPE p` if it keeps it, `//memlint:owned p` if it takes it over.",
      bad: `// Decode parses one frame from buf into f.
func Decode(buf []byte, f *Frame) error`,
      good: `// Decode parses one frame from buf into f.
//
//memlint:borrow buf
//memlint:lifetime request f
func Decode(buf []byte, f *Frame) error`,
      suggestion: "none",
      // In tests: tests export nothing that needs a contract.
      inTests: "skip",
      blameTouched: true,
    },
    // Reports only in the paths of `contracts.require`, where every exported function must be looked at.
    triggers: (ctx) => (requiresContracts(ctx.path, settings.require) ? undefined : []),
    check(ctx) {
      if (!requiresContracts(ctx.path, settings.require) || isGenerated(ctx.source)) return;
      for (const fn of ctx.declarations) {
        const uncovered = uncoveredParameters(fn, ctx.file, settings.scopes);
        if (uncovered.length === 0) continue;
        const name = fn.child("name");
        // A variadic parameter's type node is the element type: show it as written, `...T`.
        const typeText = (t: GoNode | undefined) => `${t?.parent?.type === "variadic_parameter_declaration" ? "..." : ""}${(t?.text ?? "?").replace(/\s+/g, " ")}`;
        const list = uncovered.map((p) => `\`${p.name}\` (\`${typeText(p.type)}\`)`).join(", ");
        const first = uncovered[0]!.name;
        ctx.report({
          node: name ?? fn,
          message: `\`${name?.text ?? "This function"}\` is exported in a path where contracts are required, but ${uncovered.length === 1 ? "its parameter" : "its parameters"} ${list} ${uncovered.length === 1 ? "has" : "have"} no directive. State who owns ${uncovered.length === 1 ? "it" : "them"}, e.g. \`//memlint:borrow ${first}\` if \`${first}\` is only used during the call.`,
        });
      }
    },
  };
}

