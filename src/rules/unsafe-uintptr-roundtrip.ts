import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { assignmentsTo, declarationOf, initializerOf } from "../analysis/scope.js";
import { callSummary, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

/** How many variables a uintptr is followed through (`base := uintptr(…); p := base + off`). */
const HOPS = 3;
/** Operators of address arithmetic. */
const ARITHMETIC = new Set(["+", "-", "&", "|", "^", "&^", "*", "/", "%", "<<", ">>"]);

const POINTER = ["Pointer"];

const rule: Rule = {
  meta: {
    id: "unsafe-uintptr-roundtrip",
    category: "unsafe-cgo",
    severity: "error",
    title: "pointer kept as a uintptr and converted back later",
    rationale:
      "A uintptr is a number, not a reference: once `uintptr(unsafe.Pointer(p))` is stored in a variable, nothing keeps the object alive and nothing updates the number when the runtime moves the memory (goroutine stacks move when they grow). Converting that variable back with `unsafe.Pointer` in a later statement can yield a pointer to freed or reused memory, which corrupts the heap silently and only under GC pressure.",
    fix: "Keep the arithmetic in one expression, `unsafe.Pointer(uintptr(unsafe.Pointer(p)) + off)`, or better `unsafe.Add(p, off)`; keep the value as an `unsafe.Pointer` between statements.",
    bad: `func field(base *header, off uintptr) *uint32 {
	addr := uintptr(unsafe.Pointer(base)) + off
	return (*uint32)(unsafe.Pointer(addr))
}`,
    good: `func field(base *header, off uintptr) *uint32 {
	return (*uint32)(unsafe.Add(unsafe.Pointer(base), off))
}`,
    suggestion: "none",
    // A test that does this is as exposed to the collector as production code: flaky, not fine.
    inTests: "report",
    equivalents: { govet: ["unsafeptr"] },
  },
  // Every finding is an `unsafe.Pointer(…)` conversion (an import named otherwise still spells `Pointer`).
  triggers: (ctx) => (ctx.imports("unsafe") ? POINTER : []),
  check(ctx) {
    const file = ctx.file;
    for (const call of ctx.nodes("call_expression")) {
      if (!file.imports.match(call, "unsafe", ["Pointer"])) continue;
      const arg = call.child("arguments")?.namedChildren[0];
      if (!arg) continue;
      for (const id of numericOperands(arg)) {
        const decl = declarationOf(id);
        const origin = decl && pointerOrigin(decl, file, HOPS);
        if (!origin) continue;
        ctx.report({
          node: call,
          message: `\`${callSummary(call)}\` turns \`${id.text}\` back into a pointer, but \`${id.text}\` holds an address taken by \`${callSummary(origin)}\` on line ${ctx.lineOf(origin)}, in an earlier statement: as a uintptr it kept nothing alive, so the memory may have been freed or moved (a stack that grew) since. Keep the conversion and the arithmetic in one expression, or use \`unsafe.Add\`.`,
          related: [{ node: origin, message: `the address becomes a plain number here` }],
        });
        break;
      }
    }
  },
};

/** Identifiers whose numeric value the expression uses: through parentheses, arithmetic and `uintptr(…)` conversions only. */
function numericOperands(expr: GoNode): GoNode[] {
  const e = unparen(expr);
  if (!e) return [];
  if (e.type === "identifier") return [e];
  if (e.type === "binary_expression" && ARITHMETIC.has(e.child("operator")?.text ?? "")) {
    return [...numericOperands(e.child("left")!), ...numericOperands(e.child("right")!)];
  }
  const arg = uintptrConversionArg(e);
  return arg ? numericOperands(arg) : [];
}

/** `x` of `uintptr(x)` (a conversion, not a local function of that name). */
function uintptrConversionArg(e: GoNode): GoNode | undefined {
  if (e.type !== "call_expression") return undefined;
  const fn = unparen(e.child("function"));
  const args = e.child("arguments")?.namedChildren ?? [];
  return fn?.type === "identifier" && fn.text === "uintptr" && !declarationOf(fn) && args.length === 1 ? args[0] : undefined;
}

/**
 * The `unsafe.Pointer(…)` conversion a local uintptr variable's value was computed from, in the
 * statement that declares or assigns it (directly, by arithmetic, or through other such locals).
 */
function pointerOrigin(decl: GoNode, file: FileScope, hops: number): GoNode | undefined {
  const init = initializerOf(decl);
  const values = [init?.resultIndex === 0 ? init.value : undefined, ...assignmentsTo(decl).map((a) => (a.resultIndex === 0 ? a.value : undefined))];
  for (const value of values) {
    const origin = value && originIn(value, file, hops);
    if (origin) return origin;
  }
  return undefined;
}

function originIn(value: GoNode, file: FileScope, hops: number): GoNode | undefined {
  const e = unparen(value);
  if (!e) return undefined;
  const arg = uintptrConversionArg(e);
  if (arg) {
    const inner = unparen(arg);
    if (inner?.type === "call_expression" && file.imports.match(inner, "unsafe", ["Pointer"])) return inner;
    return originIn(arg, file, hops);
  }
  if (e.type === "binary_expression" && ARITHMETIC.has(e.child("operator")?.text ?? "")) {
    return originIn(e.child("left")!, file, hops) ?? originIn(e.child("right")!, file, hops);
  }
  if (e.type === "identifier" && hops > 0) {
    const decl = declarationOf(e);
    return decl ? pointerOrigin(decl, file, hops - 1) : undefined;
  }
  return undefined;
}

export default rule;
