import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { poolCall } from "../analysis/pools.js";
import { declarationOf, initializerOf } from "../analysis/scope.js";
import { callSummary, isPlainCall, unparen } from "../analysis/syntax.js";
import { shapeOfTypeName, typeShape, type TypeShape } from "../analysis/types.js";
import type { Rule } from "../engine/types.js";

/** How many local variables a value is followed through (`b := buf[:n]` …). */
const DEPTH = 3;

const LITERALS = new Set([
  "interpreted_string_literal", "raw_string_literal", "int_literal", "float_literal", "imaginary_literal", "rune_literal", "true", "false",
]);

/** Shapes whose values are not a single pointer: storing one in an `any` copies it to the heap. */
const NON_POINTER: ReadonlySet<TypeShape> = new Set(["slice", "array", "struct", "string", "number", "bool"]);

/** What the put value is, for the message: "a slice", "a constant", …; undefined when it may be pointer-shaped or is unknown. */
type What = { kind: TypeShape | "constant" };

const rule: Rule = {
  meta: {
    id: "pool-put-non-pointer",
    category: "pool",
    severity: "warning",
    title: "non-pointer value put into a sync.Pool",
    rationale:
      "Pool.Put takes an `any`. A value that is not pointer-shaped (a slice header, a string, a struct or array value) is copied into a new heap allocation when it is converted to the interface, so every Put allocates — the garbage the pool was meant to save. A []byte pool still reuses the backing array, but pays a header allocation per Put; a struct or array value is copied whole each time.",
    fix: "Pool pointers: store a `*[]byte` (or a pointer to a struct that holds the buffer) and put that pointer back after resetting it.",
    bad: `var bufPool = sync.Pool{New: func() any { return make([]byte, 0, 4096) }}

func encode(v Item) []byte {
	buf := bufPool.Get().([]byte)
	buf = v.AppendTo(buf[:0])
	out := append([]byte(nil), buf...)
	bufPool.Put(buf) // the slice header is boxed: one allocation per call
	return out
}`,
    good: `var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func encode(v Item) []byte {
	bp := bufPool.Get().(*[]byte)
	*bp = v.AppendTo((*bp)[:0])
	out := append([]byte(nil), *bp...)
	bufPool.Put(bp)
	return out
}`,
    suggestion: "none",
    // In tests: an extra allocation per Put does not matter in a test.
    inTests: "skip",
    equivalents: { staticcheck: ["SA6002"] },
  },
  // Every finding starts from a `P.Put(x)` selector call (`poolCall(…, ["Put"])`): the method name is always written.
  triggers: ["Put"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const put = poolCall(call, ctx.file, ["Put"]);
      const arg = put?.args[0];
      if (!put || !arg || put.args.length !== 1) continue;
      const what = shapeOfValue(arg, ctx.file, DEPTH);
      if (!what) continue;
      const pool = put.container.text;
      const subject = `\`${callSummary(call)}\``;
      const message =
        what.kind === "constant"
          ? `${subject} puts a constant into \`${pool}\`: there is nothing to reuse. A pool pays off only for pointers to objects that are expensive to allocate.`
          : `${subject} puts ${describe(what.kind)} into \`${pool}\`, not a pointer: converting it to \`any\` copies it to a new heap allocation on every Put, which defeats the pool (SA6002). ${what.kind === "slice" ? "Pool a pointer to the slice (`*[]byte`) instead." : "Pool a pointer (`*T`) instead."}`;
      ctx.report({ node: call, message });
    }
  },
};

function describe(kind: TypeShape): string {
  switch (kind) {
    case "slice": return "a slice";
    case "array": return "an array value";
    case "struct": return "a struct value";
    case "string": return "a string";
    default: return `a ${kind} value`;
  }
}

/** The shape of a value when it is provably not pointer-shaped; undefined when unknown or pointer-shaped. */
function shapeOfValue(expr: GoNode | undefined, file: FileScope, depth: number): What | undefined {
  const e = unparen(expr);
  if (!e || depth < 0) return undefined;
  if (LITERALS.has(e.type)) return { kind: "constant" };
  switch (e.type) {
    case "slice_expression": {
      // Slicing a string gives a string; anything else a slice. Both are headers, not pointers.
      const operand = shapeOfValue(e.child("operand"), file, depth);
      return { kind: operand?.kind === "string" ? "string" : "slice" };
    }
    case "composite_literal":
      return nonPointer(typeShape(e.child("type"), file));
    case "type_conversion_expression":
    case "type_assertion_expression":
      return nonPointer(typeShape(e.child("type"), file));
    case "call_expression":
      return shapeOfCall(e, file);
    case "unary_expression": {
      // `*bp` with `bp` declared as `*[]byte`: the slice itself.
      if (e.child("operator")?.text !== "*") return undefined;
      return nonPointer(pointeeShape(unparen(e.child("operand")), file));
    }
    case "identifier": {
      const type = declaredType(e, file);
      if (type) return nonPointer(typeShape(type, file));
      const value = boundValue(e, file);
      return value ? shapeOfValue(value, file, depth - 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** For `x` of a pointer type written in the file (`var x *T`, `x := v.(*T)`, `x := &T{}`, `x := new(T)`), the shape of `T`. */
function pointeeShape(x: GoNode | undefined, file: FileScope): TypeShape | undefined {
  if (x?.type !== "identifier") return undefined;
  const declared = declaredType(x, file);
  if (declared) return declared.type === "pointer_type" ? typeShape(declared.namedChildren[0], file) : undefined;
  const value = unparen(boundValue(x, file));
  if (value?.type === "type_assertion_expression") {
    const type = value.child("type");
    return type?.type === "pointer_type" ? typeShape(type.namedChildren[0], file) : undefined;
  }
  if (value?.type === "unary_expression" && value.child("operator")?.text === "&") {
    const inner = unparen(value.child("operand"));
    return inner?.type === "composite_literal" ? typeShape(inner.child("type"), file) : undefined;
  }
  if (value && isPlainCall(value, "new")) return typeShape(value.child("arguments")?.namedChildren[0], file);
  return undefined;
}

function nonPointer(shape: TypeShape | undefined): What | undefined {
  return shape && NON_POINTER.has(shape) ? { kind: shape } : undefined;
}

/** `make([]T, …)`, `append(…)`, `string(b)`, `MyBytes(b)` (a same-file type): the shapes calls give away without a type checker. */
function shapeOfCall(call: GoNode, file: FileScope): What | undefined {
  if (isPlainCall(call, "make")) return nonPointer(typeShape(call.child("arguments")?.namedChildren[0], file));
  if (isPlainCall(call, "append")) return { kind: "slice" };
  const fn = unparen(call.child("function"));
  if ((call.child("arguments")?.namedChildren.length ?? 0) !== 1) return undefined;
  // A conversion written as a call: `string(b)`, `Key(s)`, `([]byte)(s)`.
  if (fn?.type === "identifier" && !declarationOf(fn)) {
    const spec = file.packageLevel(fn.text);
    if (spec && spec.type !== "type_spec" && spec.type !== "type_alias") return undefined;
    if (!spec && file.functionNamed(fn.text)) return undefined;
    return nonPointer(shapeOfTypeName(fn.text, file));
  }
  if (fn?.type === "parenthesized_expression" || fn?.type === "parenthesized_type") {
    const inner = fn.namedChildren[0];
    if (inner && /_type$/.test(inner.type)) return nonPointer(typeShape(inner, file));
  }
  return undefined;
}

/** The written type of a variable: `var b []byte`, a parameter `b []byte`, a package-level `var b T`. */
function declaredType(id: GoNode | undefined, file: FileScope): GoNode | undefined {
  if (id?.type !== "identifier") return undefined;
  const decl = declarationOf(id);
  if (decl) return initializerOf(decl)?.type;
  const spec = file.packageLevel(id.text);
  return spec?.type === "var_spec" ? spec.child("type") : undefined;
}

/** The expression a variable is first bound to (first result only). */
function boundValue(id: GoNode, file: FileScope): GoNode | undefined {
  const decl = declarationOf(id);
  if (decl) {
    const init = initializerOf(decl);
    return init && init.resultIndex === 0 ? init.value : undefined;
  }
  const spec = file.packageLevel(id.text);
  if (spec?.type !== "var_spec") return undefined;
  const names = spec.childrenOf("name");
  const values = spec.child("value")?.namedChildren ?? [];
  return values.length === names.length ? values[names.findIndex((n) => n.text === id.text)] : undefined;
}

export default rule;
