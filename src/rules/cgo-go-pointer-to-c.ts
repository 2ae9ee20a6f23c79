import { isConversionCall } from "../analysis/escape.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { callParts, enclosingFunction, outermostFunction, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const C = "C";
/** Words of a C function's name that say it keeps what it is given beyond the call. */
const RETAINING_WORDS = new Set(["set", "register", "store", "callback", "cb", "async", "retain", "attach", "subscribe", "install"]);

const rule: Rule = {
  meta: {
    id: "cgo-go-pointer-to-c",
    category: "unsafe-cgo",
    severity: "info",
    title: "Go memory handed to a C function that may keep it",
    rationale:
      "cgo lets C use a Go pointer only for the duration of the call: afterwards the garbage collector may free the memory (no Go reference is left) or move it (a goroutine stack that grows). A C function that stores the pointer — a setter, a callback registration, an asynchronous operation — later reads or writes memory that belongs to something else. The runtime's cgocheck does not catch a pointer stored on the C side.",
    fix: "Give C its own copy (`C.CBytes`, `C.malloc` plus a copy) and free it when C is done, or pin the Go memory with `runtime.Pinner` for as long as C holds it.",
    bad: `func (s *Stream) Start() {
	C.stream_set_buffer(s.c, unsafe.Pointer(&s.buf[0]), C.size_t(len(s.buf)))
}`,
    good: `func (s *Stream) Start() {
	s.cbuf = C.malloc(C.size_t(len(s.buf))) // freed in Close
	C.stream_set_buffer(s.c, s.cbuf, C.size_t(len(s.buf)))
}`,
    suggestion: "none",
    // A test's C objects die with the test binary's short run; the real code is what matters.
    inTests: "skip",
  },
  // Every finding is a call `C.name(…)`: `import "C"` cannot be renamed.
  triggers: (ctx) => (ctx.imports(C) ? [C] : []),
  check(ctx) {
    const file = ctx.file;
    if (!file.imports.has(C)) return;
    for (const call of ctx.nodes("call_expression")) {
      const name = file.imports.match(call, C);
      if (!name || !retains(name)) continue;
      const fn = enclosingFunction(call);
      if (fn && pins(outermostFunction(call) ?? fn)) continue;
      for (const arg of callParts(call).args) {
        const memory = goMemory(arg, file);
        if (!memory) continue;
        ctx.report({
          node: call,
          message: `\`C.${name}\` gets \`${memory.text}\`, the address of Go memory, and its name says it keeps what it is given: cgo allows C to use a Go pointer only until the call returns, after which the collector may free or move that memory. Hand C its own copy (\`C.CBytes\`, \`C.malloc\`) or pin the memory with \`runtime.Pinner\` while C holds it.`,
        });
        break;
      }
    }
  },
};

/** A C function whose name has a word saying it keeps its arguments: `stream_set_buffer`, `registerCallback`. */
function retains(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[_\d]+/);
  return words.some((w) => RETAINING_WORDS.has(w));
}

/** The function pins memory for C (`runtime.Pinner`'s `Pin`): the author took care of the pointer's lifetime. */
function pins(fn: GoNode): boolean {
  return fn.descendants("call_expression").some((c) => callParts(c).name === "Pin" && callParts(c).receiver !== undefined);
}

/**
 * The Go memory an argument points into, through conversions (`unsafe.Pointer(&x)`,
 * `(*C.char)(unsafe.Pointer(&b[0]))`): `&x`, `&x.f`, `&s[i]`, `unsafe.SliceData(s)`,
 * `unsafe.StringData(s)`. Undefined for anything else (C memory, handles, values, and a plain `&x`
 * passed as it is).
 */
function goMemory(arg: GoNode, file: FileScope): GoNode | undefined {
  let e = unparen(arg);
  for (let hops = 0; e && hops < 4; hops++) {
    if (e.type === "unary_expression" && e.child("operator")?.text === "&") {
      const operand = unparen(e.child("operand"));
      // A bare `&v` of a single variable or field is C's typed out-parameter (`mlx_array_set(&arr, src)`
      // writes a result into it); a buffer's element, or an address made untyped, is what C keeps.
      if (hops === 0 && operand?.type !== "index_expression") return undefined;
      return addressable(operand) ? e : undefined;
    }
    if (e.type === "call_expression" && file.imports.match(e, "unsafe", ["SliceData", "StringData"])) return e;
    // Conversions carry their operand: `unsafe.Pointer(x)`, `(*C.char)(x)`, `C.uintptr_t(x)` is not one (a value).
    const inner = e.type === "type_conversion_expression" ? e.child("operand") : e.type === "call_expression" && isConversionCall(e, file) ? e.child("arguments")?.namedChildren[0] : undefined;
    e = unparen(inner);
  }
  return undefined;
}

/** `x`, `x.f`, `s[i]`, `(*p).f`: a variable or part of one (a composite literal's address is Go memory too). */
function addressable(e: GoNode | undefined): boolean {
  const u = unparen(e);
  return !!u && (u.type === "identifier" || u.type === "selector_expression" || u.type === "index_expression" || u.type === "composite_literal");
}

export default rule;
