import { contractOf } from "../contracts/calls.js";
import { functionFlow } from "../contracts/flow.js";
import { directiveRef, snippet } from "../contracts/messages.js";
import { describeRoot } from "../contracts/sinks.js";
import type { ContractSettings } from "../contracts/settings.js";
import type { Rule } from "../engine/types.js";

/** contract-owned-return-aliases, built with the configured contract settings. */
export default function contractOwnedReturnAliases(settings: ContractSettings): Rule {
  return {
    meta: {
      id: "contract-owned-return-aliases",
      category: "contract",
      severity: "warning",
      title: "owned result aliases a parameter, the receiver or package state",
      rationale:
        "`//memlint:owned return` tells callers the result is theirs: they may keep it, modify it or hand it on. A result that is really a parameter, the receiver's buffer, package state or a slice of them is shared, so the caller's writes corrupt memory the function or its other callers still use, and keeping it pins the larger object.",
      fix: "Return a fresh allocation (`make`, a literal, `bytes.Clone`, `append([]T(nil), x...)`), or drop `//memlint:owned return` if sharing is intended.",
      bad: `// Bytes returns the encoded message.
//
//memlint:owned return
func (e *Encoder) Bytes() []byte {
	return e.buf[:e.n] // the caller now shares e.buf
}`,
      good: `// Bytes returns the encoded message.
//
//memlint:owned return
func (e *Encoder) Bytes() []byte {
	return bytes.Clone(e.buf[:e.n])
}`,
      suggestion: "none",
      // In tests: a declared contract holds in tests too.
      inTests: "report",
    },
    // Reports only from a function whose own doc comment has `//memlint:owned return`.
    triggers: ["memlint"],
    check(ctx) {
      const scopes = settings.scopes;
      for (const fn of ctx.nodes("function_declaration", "method_declaration")) {
        const contract = contractOf(fn, scopes, ctx.file);
        if (!contract.ownedReturn) continue;
        const flow = functionFlow(fn, ctx.file, scopes);
        const origin = contract.origin.get("return");
        const fnName = fn.child("name")?.text ?? "the function";
        for (const event of flow.events) {
          if (event.sink.kind !== "return" || event.sink.result !== 0) continue;
          // A parameter the function owns (`//memlint:owned p`) may be handed on as the result.
          const roots = [...event.roots].filter((r) => flow.derivation.roots.has(r) && !contract.owned.has(r));
          if (roots.length === 0) continue;
          const what = roots.slice(0, 2).map((r) => describeRoot(r, flow.derivation)).join(" and ");
          ctx.report({
            node: event.anchor,
            message: `\`${fnName}\` promises a fresh result (${directiveRef(origin, ctx.lineOf)}) but \`${snippet(event.anchor)}\` returns memory shared with ${what}: the caller's writes would change what \`${fnName}\` still uses. Return a copy or a new allocation.`,
            related: origin ? [{ node: origin, message: "the `owned return` contract" }] : [],
          });
        }
      }
    },
  };
}

