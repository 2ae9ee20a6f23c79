import type { GoNode } from "../analysis/node.js";
import { capturedVariables, declarationOf, initializerOf, qualifierIsLocal } from "../analysis/scope.js";
import { unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "finalizer-self-reference",
    category: "gc",
    severity: "error",
    title: "finalizer or cleanup that keeps its own object alive",
    rationale:
      "The runtime keeps a finalizer (and a cleanup's function and argument) reachable until it runs, and runs it only once its object is unreachable. A finalizer closure that captures the object itself, instead of using the parameter it is given, keeps the object reachable forever: the finalizer never runs and the object, with everything it points to, is never freed.",
    fix: "Use the finalizer's parameter instead of the captured variable (`runtime.SetFinalizer(f, func(f *File) { f.close() })`); give `runtime.AddCleanup` a function and argument that do not point to the object.",
    bad: `func Open(name string) (*File, error) {
	f := &File{name: name}
	runtime.SetFinalizer(f, func(_ *File) {
		f.close() // captures f: f stays reachable, the finalizer never runs
	})
	return f, nil
}`,
    good: `func Open(name string) (*File, error) {
	f := &File{name: name}
	runtime.SetFinalizer(f, func(f *File) {
		f.close()
	})
	return f, nil
}`,
    suggestion: "none",
    // A finalizer that can never run is as much a bug in a test as anywhere else.
    inTests: "report",
  },
  // Only qualified `runtime.SetFinalizer` / `runtime.AddCleanup` calls are examined.
  triggers: ["SetFinalizer", "AddCleanup"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const name = ctx.file.imports.match(call, "runtime", ["SetFinalizer", "AddCleanup"]);
      if (!name || qualifierIsLocal(call)) continue;
      const args = call.child("arguments")?.namedChildren ?? [];
      const object = objectVariable(args[0]);
      if (!object) continue;
      const fn = funcLiteral(args[1]);
      const capture = fn && capturedVariables(fn).includes(object) ? fn : undefined;
      if (capture) {
        const use = firstUse(capture, object);
        ctx.report({
          node: use ?? capture,
          message: `The ${name === "SetFinalizer" ? "finalizer" : "cleanup function"} captures \`${object.text}\`, the object it is attached to: the runtime keeps it reachable through its own ${name === "SetFinalizer" ? "finalizer" : "cleanup"}, so it is never collected and ${name === "SetFinalizer" ? "the finalizer never runs" : "the cleanup never runs"}. ${name === "SetFinalizer" ? "Use the finalizer's parameter instead." : "Pass what the cleanup needs as its argument, not the object."}`,
          related: [{ node: call, message: `\`runtime.${name}\` on \`${object.text}\`` }],
        });
        continue;
      }
      // runtime.AddCleanup(ptr, fn, arg): an arg that is the object keeps it alive the same way.
      const arg = name === "AddCleanup" ? args[2] : undefined;
      // Only the object itself (`m`, `&m`): a field such as `m.fd` may be a copy that points nowhere.
      if (arg && objectVariable(arg) === object) {
        ctx.report({
          node: arg,
          message: `The cleanup's argument \`${arg.text}\` is the object the cleanup is attached to: the runtime keeps the argument reachable until the cleanup runs, so the object is never collected and the cleanup never runs. Pass only what the cleanup needs (a handle, a copy), not the object.`,
          related: [{ node: call, message: `\`runtime.AddCleanup\` on \`${object.text}\`` }],
        });
      }
    }
  },
};

/** The local variable a finalizer is attached to: `x` or `&x`. */
function objectVariable(arg: GoNode | undefined): GoNode | undefined {
  let e = unparen(arg);
  if (e?.type === "unary_expression" && e.child("operator")?.text === "&") e = unparen(e.child("operand"));
  return e?.type === "identifier" ? declarationOf(e) : undefined;
}

/** The func literal passed directly, or bound once to a local variable (`fin := func(…) {…}`). */
function funcLiteral(arg: GoNode | undefined): GoNode | undefined {
  const e = unparen(arg);
  if (e?.type === "func_literal") return e;
  const decl = e?.type === "identifier" ? declarationOf(e) : undefined;
  const value = decl ? unparen(initializerOf(decl)?.value) : undefined;
  return value?.type === "func_literal" ? value : undefined;
}

function firstUse(literal: GoNode, variable: GoNode): GoNode | undefined {
  let found: GoNode | undefined;
  literal.walk((n) => {
    if (found) return false;
    if (n.type === "identifier" && declarationOf(n) === variable) found = n;
    return undefined;
  });
  return found;
}

export default rule;
