import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { callParts, enclosingFunction, functionName, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

/** unsafe functions that build or expose headers the compiler cannot check, with what each one risks. */
const UNSAFE_FUNCTIONS: Readonly<Record<string, string>> = {
  String: "builds a string over memory the compiler cannot check: the bytes must outlive the string and never change while it is in use",
  Slice: "builds a slice over memory the compiler cannot check: its length and capacity must stay within the underlying allocation, and the slice must not outlive it",
  StringData: "exposes the bytes behind a string: writing through the pointer breaks the immutability every other string user relies on",
  SliceData: "exposes the array behind a slice as a raw pointer: it keeps the array alive only while it stays an unsafe.Pointer or a typed pointer",
  Add: "does pointer arithmetic the compiler cannot check: the result must stay inside the original allocation",
};

const LINKNAME_TRIGGERS = ["linkname"];
const UNSAFE_TRIGGERS = [...LINKNAME_TRIGGERS, "Pointer", ...Object.keys(UNSAFE_FUNCTIONS)];

const rule: Rule = {
  meta: {
    id: "unsafe-or-linkname",
    category: "unsafe-cgo",
    severity: "info",
    title: "new unsafe memory access or go:linkname",
    rationale:
      "`unsafe` conversions and `//go:linkname` step outside what the compiler and the garbage collector check: a wrong length, a misaligned or reinterpreted pointer, or a string whose bytes change corrupts memory silently instead of panicking, and a linkname to another package's unexported symbol breaks (or stops linking) when that package changes in a new Go release. Such code deserves a deliberate second look when it is introduced.",
    fix: "Prefer a safe API (`strings.Clone`, `binary.LittleEndian`, `reflect`, exported functions); where unsafe is needed, keep it in one small audited helper with a comment saying why it is sound.",
    bad: `//go:linkname nanotime runtime.nanotime
func nanotime() int64

func bytesToString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}`,
    good: `func now() time.Time { return time.Now() }

func bytesToString(b []byte) string {
	return string(b)
}`,
    suggestion: "none",
    // Tests that poke at internals with unsafe do not ship.
    inTests: "skip",
  },
  // Findings are `unsafe.<fn>(…)` calls, `(*T)(unsafe.Pointer(…))` conversions or `//go:linkname` comments.
  // Unsafe operations need the `unsafe` import; a `//go:linkname` does not.
  triggers: (ctx) => (ctx.imports("unsafe") ? UNSAFE_TRIGGERS : LINKNAME_TRIGGERS),
  check(ctx) {
    for (const comment of ctx.comments) {
      const m = /^\/\/go:linkname\s+(\S+)(?:\s+(\S+))?/.exec(comment.text);
      if (!m) continue;
      ctx.report({
        // On the declaration the directive is written for (a directive line cannot carry a comment).
        node: directiveTarget(comment) ?? comment,
        message: `\`//go:linkname ${m[1]}${m[2] ? ` ${m[2]}` : ""}\` ${m[2] ? `links \`${m[1]}\` to \`${m[2]}\`, a symbol another package does not export` : `exposes \`${m[1]}\` to another package's linkname`}: nothing checks its signature, and it breaks or stops linking when that package changes (Go 1.23 restricts such links into the standard library). Prefer an exported API, or keep the link and note which Go versions it was checked against.`,
      });
    }
    const byFunction = new Map<GoNode, { node: GoNode; what: string }[]>();
    for (const call of ctx.nodes("call_expression")) {
      const use = unsafeUse(call, ctx.file);
      const fn = use ? enclosingFunction(call) : undefined;
      if (!use || !fn) continue;
      const list = byFunction.get(fn) ?? [];
      list.push(use);
      byFunction.set(fn, list);
    }
    // One finding per function: a reviewer reads the function once.
    for (const [fn, uses] of byFunction) {
      const first = uses[0]!;
      const more = uses.length > 1 ? ` (and ${uses.length - 1} more unsafe operation${uses.length > 2 ? "s" : ""} in ${describe(fn)})` : "";
      ctx.report({
        node: first.node,
        message: `\`${brief(first.node)}\` ${first.what}${more}. Nothing checks this at compile or run time; prefer a safe API, or document why it is sound here.`,
        related: uses.slice(1).map((u) => ({ node: u.node, message: "another unsafe operation" })),
      });
    }
  },
};

/**
 * The node and what it risks, for an unsafe operation this rule reports: a call of
 * `unsafe.String/Slice/StringData/SliceData/Add`, or a conversion `(*T)(unsafe.Pointer(p))` that
 * reinterprets memory. Plain `unsafe.Pointer(p)` handed to a cgo call or a syscall, memory
 * converted to a C type (the cgo rules look at that), and `Sizeof`/`Offsetof` are not.
 */
function unsafeUse(call: GoNode, file: FileScope): { node: GoNode; what: string } | undefined {
  const name = file.imports.match(call, "unsafe", Object.keys(UNSAFE_FUNCTIONS));
  // The array behind a slice handed to C for the call's duration: what cgo's pointer rules allow.
  if ((name === "SliceData" || name === "StringData") && passedToC(call)) return undefined;
  if (name) return { node: call, what: UNSAFE_FUNCTIONS[name]! };
  if (!file.imports.match(call, "unsafe", ["Pointer"])) return undefined;
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const conversion = e.parent?.type === "argument_list" ? e.parent.parent : e.parent?.type === "type_conversion_expression" ? e.parent : undefined;
  const target = conversion && pointerTarget(conversion);
  if (!conversion || !target || isCType(target)) return undefined;
  return {
    node: conversion,
    what: `reinterprets memory as \`*${target.text}\`: the layout, size and alignment of \`${target.text}\` must match what is really there, and the collector trusts the new type`,
  };
}

/** The expression is an argument of a `C.f(…)` call, directly or through pointer conversions (`(*C.float)(unsafe.Pointer(…))`). */
function passedToC(expr: GoNode): boolean {
  let e = expr;
  for (;;) {
    const p = e.parent;
    if (p?.type === "parenthesized_expression" || p?.type === "type_conversion_expression") {
      e = p;
      continue;
    }
    const call = p?.type === "argument_list" ? p.parent : undefined;
    if (call?.type !== "call_expression") return false;
    const fn = unparen(call.child("function"));
    if (fn?.type === "selector_expression" && fn.child("operand")?.text === "C") return true;
    // A conversion written as a call: `unsafe.Pointer(x)`, `(*C.char)(x)`.
    if (p!.namedChildren.length !== 1 || !(fn?.text === "unsafe.Pointer" || (fn?.type === "unary_expression" && fn.child("operator")?.text === "*"))) return false;
    e = call;
  }
}

/** `T` of a conversion `(*T)(x)`, written as a call or as a type conversion. */
function pointerTarget(conversion: GoNode): GoNode | undefined {
  if (conversion.type === "type_conversion_expression") {
    let t = conversion.child("type");
    while (t?.type === "parenthesized_type") t = t.namedChildren[0];
    return t?.type === "pointer_type" ? t.namedChildren[0] : undefined;
  }
  if ((conversion.child("arguments")?.namedChildren.length ?? 0) !== 1) return undefined;
  const fn = unparen(conversion.child("function"));
  return fn?.type === "unary_expression" && fn.child("operator")?.text === "*" ? fn.child("operand") : undefined;
}

/** `C.char`, `C.struct_x`: a type cgo translates. */
function isCType(t: GoNode): boolean {
  if (t.type === "qualified_type") return t.child("package")?.text === "C";
  return t.type === "selector_expression" && t.child("operand")?.text === "C";
}

/** The declaration right after a directive comment (the next one that is not a comment), if any. */
function directiveTarget(comment: GoNode): GoNode | undefined {
  const siblings = comment.parent?.children ?? [];
  return siblings.slice(siblings.indexOf(comment) + 1).find((n) => n.named && n.type !== "comment");
}

function describe(fn: GoNode): string {
  return fn.type === "func_literal" ? "this func literal" : `\`${functionName(fn)}\``;
}

function brief(node: GoNode): string {
  const text = node.text.replace(/\s*\n\s*/g, " ");
  if (text.length <= 60) return text;
  const { name } = callParts(node);
  return name ? `${unparen(node.child("function"))?.text ?? name}(…)` : `${text.slice(0, 57)}...`;
}

export default rule;
