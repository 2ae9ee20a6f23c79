import type { GoNode } from "../analysis/node.js";
import { declarationOf } from "../analysis/scope.js";
import { outermostFunction, unparen } from "../analysis/syntax.js";
import { contractOf } from "../contracts/calls.js";
import { functionFlow, type FlowEvent } from "../contracts/flow.js";
import { directiveRef, sinkPhrase, snippet } from "../contracts/messages.js";
import { CALL, outlives } from "../contracts/scopes.js";
import { typeOfExpr } from "../analysis/types.js";
import type { ContractSettings } from "../contracts/settings.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";

/** contract-borrow-escapes, built with the configured contract settings. */
export default function contractBorrowEscapes(settings: ContractSettings): Rule {
  return {
    meta: {
      id: "contract-borrow-escapes",
      category: "contract",
      severity: "error",
      title: "borrowed parameter outlives the call",
      rationale:
        "`//memlint:borrow p` promises the caller that `p` is only used while the call runs, so the caller is free to reuse the buffer for its next read right after. A value derived from `p` that is stored in a field, package state, a channel, a goroutine or a later callback, or returned, still points into that buffer and silently changes when the caller overwrites it.",
      fix: "Keep a copy instead of the borrowed memory (`bytes.Clone`, `string(b)`, `append([]byte(nil), b...)`), or change the contract if the function really keeps the value.",
      bad: `// Decode parses one frame from buf.
//
//memlint:borrow buf
func (d *Decoder) Decode(buf []byte) error {
	d.last = buf[4:] // buf is reused by the caller's next Read
	return nil
}`,
      good: `// Decode parses one frame from buf.
//
//memlint:borrow buf
func (d *Decoder) Decode(buf []byte) error {
	d.last = bytes.Clone(buf[4:])
	return nil
}`,
      suggestion: "partial",
      // In tests: a declared contract holds in tests too.
      inTests: "report",
    },
    // Reports only from a function whose own doc comment has a `//memlint:borrow` (or `lifetime call`) directive.
    triggers: ["memlint"],
    check(ctx) {
      const scopes = settings.scopes;
      const call = scopes[0] ?? CALL;
      for (const fn of ctx.nodes("function_declaration", "method_declaration")) {
        const contract = contractOf(fn, scopes, ctx.file);
        const borrowed = [...contract.scopes].filter(([, s]) => s === call).map(([name]) => name);
        if (borrowed.length === 0) continue;
        const flow = functionFlow(fn, ctx.file, scopes);
        for (const event of flow.events) {
          if (event.sink.kind !== "return" && !outlives(event.sink.scope, call, scopes)) continue;
          for (const name of borrowed) {
            if (!event.roots.has(name) || !flow.derivation.roots.has(name)) continue;
            const origin = contract.origin.get(name);
            const fnName = fn.child("name")?.text ?? "the function";
            const after =
              event.sink.kind === "return"
                ? `the result still points into the caller's buffer, which the contract says \`${fnName}\` only uses during the call`
                : `once \`${fnName}\` returns, the caller may reuse that memory and the kept value changes under it`;
            const suggestion = cloneSuggestion(ctx, event);
            ctx.report({
              node: event.anchor,
              message: `\`${name}\` is borrowed (${directiveRef(origin, ctx.lineOf)}) but \`${snippet(event.anchor)}\` ${sinkPhrase(event)}: ${after}. Keep a copy, or change the contract.`,
              related: origin ? [{ node: origin, message: `the contract of \`${name}\`` }] : [],
              ...(suggestion ? { suggestion } : {}),
            });
          }
        }
      }
    },
  };
}

/** `x.f = buf[a:b]` → `x.f = bytes.Clone(buf[a:b])` for a `[]byte` value assigned on one line, when `bytes` is imported as such. */
function cloneSuggestion(ctx: RuleContext, event: FlowEvent): Suggestion | undefined {
  const { anchor, value } = event;
  if (anchor.type !== "assignment_statement" || value.parent?.parent !== anchor || value.parent.field !== "right") return undefined;
  if (value.text.includes("\n") || ctx.file.imports.pathOf("bytes") !== "bytes" || shadowsBytes(value)) return undefined;
  const v = unparen(value);
  if (v?.type !== "slice_expression" && v?.type !== "identifier") return undefined;
  const t = typeOfExpr(value, ctx.file);
  const node = t?.kind === "node" ? t.node : undefined;
  if (node?.type !== "slice_type" || !/^(byte|uint8)$/.test(node.child("element")?.text ?? "")) return undefined;
  const line = ctx.lineOf(value);
  const text = ctx.lineText(line);
  const col = value.start - (ctx.source.lastIndexOf("\n", value.start - 1) + 1);
  return { startLine: line, endLine: line, replacement: `${text.slice(0, col)}bytes.Clone(${value.text})${text.slice(col + value.text.length)}` };
}

/** A local variable named `bytes` in the function hides the package. */
function shadowsBytes(node: GoNode): boolean {
  const fn = outermostFunction(node);
  return !!fn && fn.descendants("identifier").some((id) => id.text === "bytes" && declarationOf(id) !== undefined);
}

