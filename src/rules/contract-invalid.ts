import type { GoNode } from "../analysis/node.js";
import { parametersOf } from "../analysis/syntax.js";
import type { Directive } from "../directives/parse.js";
import { parseDirective } from "../directives/parse.js";
import { documentedDeclaration } from "../directives/placement.js";
import type { Rule, RuleContext } from "../engine/types.js";

const rule: Rule = {
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
    skipsTests: false,
  },
  check(ctx) {
    const contracts = new Map<GoNode, { comment: GoNode; directive: Directive }[]>();
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
      const list = contracts.get(fn) ?? [];
      list.push({ comment, directive: d });
      contracts.set(fn, list);
    }
    for (const [fn, directives] of contracts) checkFunctionContract(ctx, fn, directives);
  },
};

/** Names must be parameters (or the receiver), scopes must be configured, meanings must not conflict. */
function checkFunctionContract(ctx: RuleContext, fn: GoNode, directives: { comment: GoNode; directive: Directive }[]): void {
  const params = new Set(parametersOf(fn).flatMap((p) => (p.name ? [p.name.text] : [])));
  const receiver = fn.child("receiver")?.namedChildren[0]?.child("name")?.text;
  if (receiver) params.add(receiver);
  const meaning = new Map<string, string>();
  for (const { comment, directive } of directives) {
    if (directive.kind === "lifetime" && !ctx.contractScopes.includes(directive.scope)) {
      ctx.report({ node: comment, message: `unknown scope \`${directive.scope}\` (configured scopes: ${ctx.contractScopes.join(", ")}); the directive establishes nothing.` });
      continue;
    }
    const names = directive.kind === "bounds" ? [directive.slice, ...(/^[0-9]+$/.test(directive.length) ? [] : [directive.length])] : "names" in directive ? directive.names : [];
    const missing = names.filter((n) => !params.has(n) && !(directive.kind === "owned" && n === "return"));
    if (missing.length > 0) {
      ctx.report({ node: comment, message: `\`//memlint:${directive.kind}\` names ${missing.map((m) => `\`${m}\``).join(", ")}, which ${missing.length === 1 ? "is not a parameter" : "are not parameters"} of \`${fn.child("name")?.text ?? "this function"}\`; the directive establishes nothing.` });
      continue;
    }
    if (directive.kind === "bounds") continue;
    const label = directive.kind === "lifetime" ? `lifetime ${directive.scope}` : directive.kind === "borrow" ? "lifetime call" : "owned";
    for (const name of names) {
      const earlier = meaning.get(name);
      if (earlier && earlier !== label) {
        ctx.report({ node: comment, message: `\`${name}\` is declared both \`${earlier}\` and \`${label}\`; conflicting contracts establish nothing.` });
      }
      meaning.set(name, earlier ?? label);
    }
  }
}

export default rule;
