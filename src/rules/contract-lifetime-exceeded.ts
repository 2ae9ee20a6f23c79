import { contractOf } from "../contracts/calls.js";
import { functionFlow } from "../contracts/flow.js";
import { directiveRef, sinkPhrase, snippet } from "../contracts/messages.js";
import { CALL, outlives } from "../contracts/scopes.js";
import type { ContractSettings } from "../contracts/settings.js";
import type { Rule } from "../engine/types.js";

/** contract-lifetime-exceeded, built with the configured contract settings. */
export default function contractLifetimeExceeded(settings: ContractSettings): Rule {
  return {
    meta: {
      id: "contract-lifetime-exceeded",
      category: "contract",
      severity: "error",
      title: "value stored where it outlives its declared scope",
      rationale:
        "`//memlint:lifetime request ctx` says the value lives at most as long as a request. Storing it (or anything derived from it) in package state, in a receiver or parameter that lives longer, on a channel or in a goroutine keeps the whole request graph reachable after the request ended, and later code may use a cancelled context or a recycled request object.",
      fix: "Copy the data the longer-lived owner needs instead of keeping the scoped value, or give the owner the same scope (`//memlint:lifetime request h`) if it really is request-scoped.",
      bad: `// Serve handles one request.
//
//memlint:lifetime request ctx
func (h *Handler) Serve(ctx context.Context, req *Request) error {
	h.ctx = ctx // h lives for the whole process
	return h.process(req)
}`,
      good: `// Serve handles one request.
//
//memlint:lifetime request ctx
func (h *Handler) Serve(ctx context.Context, req *Request) error {
	return h.process(ctx, req)
}`,
      suggestion: "none",
      // In tests: a declared contract holds in tests too.
      inTests: "report",
    },
    // Reports only from a function whose own doc comment has a `//memlint:lifetime` directive.
    triggers: ["memlint"],
    check(ctx) {
      const scopes = settings.scopes;
      const call = scopes[0] ?? CALL;
      for (const fn of ctx.nodes("function_declaration", "method_declaration")) {
        const contract = contractOf(fn, scopes, ctx.file);
        const scoped = [...contract.scopes].filter(([, s]) => s !== call);
        if (scoped.length === 0) continue;
        const flow = functionFlow(fn, ctx.file, scopes);
        for (const event of flow.events) {
          if (event.sink.kind === "return") continue;
          for (const [name, scope] of scoped) {
            if (!event.roots.has(name) || !flow.derivation.roots.has(name) || !outlives(event.sink.scope, scope, scopes)) continue;
            const origin = contract.origin.get(name);
            ctx.report({
              node: event.anchor,
              message: `\`${name}\` lives for \`${scope}\` (${directiveRef(origin, ctx.lineOf)}) but \`${snippet(event.anchor)}\` ${sinkPhrase(event)}: it stays reachable after its \`${scope}\` is over. Keep a copy of what is needed, or declare the owner's scope.`,
              related: origin ? [{ node: origin, message: `the contract of \`${name}\`` }] : [],
            });
          }
        }
      }
    },
  };
}

