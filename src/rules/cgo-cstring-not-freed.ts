import { carrierOf } from "../analysis/escape.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, leakWhere } from "../analysis/resources.js";
import { declarationOf } from "../analysis/scope.js";
import { endLineOf, indentOf, insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callParts, callSummary, enclosingStatement, isInLoop, outermostFunction } from "../analysis/syntax.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";

/** cgo's pseudo-package. */
const C = "C";
const ALLOCATORS = ["CString", "CBytes", "malloc", "calloc"];
/** Allocators whose result already is an `unsafe.Pointer`. */
const RETURNS_POINTER = ["CBytes", "malloc", "calloc"];

const rule: Rule = {
  meta: {
    id: "cgo-cstring-not-freed",
    category: "unsafe-cgo",
    severity: "error",
    title: "C memory never freed",
    rationale:
      "`C.CString`, `C.CBytes`, `C.malloc` and `C.calloc` allocate on the C heap, which Go's garbage collector never sees. Unless the code calls `C.free` (or the C side documents that it takes ownership), every call leaks the allocation for the life of the process.",
    fix: "Free the memory once C is done with it, usually with `defer C.free(unsafe.Pointer(p))` right after the allocation.",
    bad: `cs := C.CString(name)
C.set_name(cs)`,
    good: `cs := C.CString(name)
defer C.free(unsafe.Pointer(cs))
C.set_name(cs)`,
    suggestion: "yes",
    // In tests: C memory a test leaks is freed when the test process exits.
    inTests: "skip",
  },
  // Only qualified `C.CString(…)`-style allocator calls are examined: the allocator name is written at the call.
  triggers: ALLOCATORS,
  check(ctx) {
    const file = ctx.file;
    if (!file.imports.has(C)) return;
    for (const call of ctx.nodes("call_expression")) {
      const alloc = file.imports.match(call, C, ALLOCATORS);
      if (!alloc) continue;
      const value = carrierOf(call, file);
      const label = callSummary(call);
      const consumer = value.parent?.type === "argument_list" ? value.parent.parent : undefined;
      if (consumer && file.imports.match(consumer, C) && !isFree(consumer, file)) {
        // A wrapper in the cgo preamble that frees what it gets takes ownership (precision audit).
        if (takesOwnership(consumer, value, ctx)) continue;
        ctx.report({
          node: call,
          message: `\`${label}\` is passed straight to \`${consumer.child("function")?.text ?? "C"}\` and never freed: the C heap copy leaks on every call. Keep it in a variable and \`defer C.free(unsafe.Pointer(…))\`.`,
          ...optional(inlineSuggestion(ctx, call, alloc)),
        });
        continue;
      }
      const binding = bindingOfValue(value);
      const target = binding?.targets[0];
      if (!binding || !target || target.text === "_") continue;
      const decl = declarationOf(target);
      if (!decl) continue;
      const account = accountFor(decl, call, file, {
        methods: [],
        isReleasingCall: (c, use) => isFree(c, file) || takesOwnership(c, use, ctx),
        // Handing C memory to C functions is what it is for; it does not move ownership.
        nonOwning: (c) => file.imports.match(c, C) !== undefined,
      });
      if (account.kind !== "leaks") continue;
      const p = target.text;
      const free = freeCall(file, p, value === call && RETURNS_POINTER.includes(alloc));
      const stmt = enclosingStatement(call);
      const inLoop = isInLoop(call);
      const canSuggest = free && stmt && (stmt === binding.statement || stmt.type === "var_declaration") && !inLoop && !account.partly && hasFree(ctx);
      const release = free ?? `C.free(unsafe.Pointer(${p}))`;
      ctx.report({
        node: call,
        message: account.partly
          ? `\`${p}\` from \`${label}\` is not freed ${leakWhere(account.end, ctx.lineOf)}: C heap memory is invisible to Go's GC, so that path leaks it. Free it there too, or \`defer ${release}\` once it is allocated.`
          : `\`${p}\` from \`${label}\` is never freed: C heap memory is invisible to Go's GC and leaks on every ${inLoop ? "iteration" : "call"}. ${inLoop ? `Call \`${release}\` once C is done with it in each iteration.` : `Add \`defer ${release}\` once it is allocated.`}`,
        related: account.partly ? [{ node: account.end.node, message: `leaves \`${p}\` allocated` }] : [],
        ...(canSuggest ? { suggestion: insertLineAfter(ctx, stmt, `defer ${free}`) } : {}),
      });
    }
  },
};

/**
 * `C.wrap(…, p, …)` where the cgo preamble of this file defines `wrap` and its body frees the
 * parameter at that position, or hands it on with `free` as its destructor
 * (`sqlite3_result_text(ctx, s, -1, &free)`): the wrapper takes ownership.
 */
function takesOwnership(call: GoNode, value: GoNode, ctx: RuleContext): boolean {
  const name = ctx.file.imports.match(call, C);
  if (!name) return false;
  const args = callParts(call).args;
  const index = args.findIndex((a) => value.within(a));
  // Handed on together with a destructor for C to call: `C.closure_new(cb, payload, (*[0]byte)(C.payloadFree))`.
  if (index >= 0 && args.some((a, i) => i !== index && passesDestructor(a, ctx))) return true;
  const def = index < 0 ? undefined : preambleFunction(ctx, name);
  const param = def?.params[index];
  return !!def && !!param && freesParameter(def.body, param);
}

const DESTRUCTOR_NAME = /free|destroy|destructor|dealloc|release|finali[sz]e|cleanup|dispose/i;

/** An argument that is a C function named like a destructor, passed as a value (`C.free`, `&C.free`, `(*[0]byte)(C.destroy)`), not called. */
function passesDestructor(arg: GoNode, ctx: RuleContext): boolean {
  return [arg, ...arg.descendants("selector_expression")].some((sel) => {
    if (sel.type !== "selector_expression" || ctx.file.imports.match(sel, C) === undefined) return false;
    const called = sel.parent?.type === "call_expression" && sel.field === "function";
    return !called && DESTRUCTOR_NAME.test(sel.child("field")?.text ?? "");
  });
}

function freesParameter(body: string, param: string): boolean {
  for (const m of body.matchAll(/(\w+)\s*\(([^;]*)\)\s*;/g)) {
    // Arguments without casts: `(void*)s` is `s`.
    const args = m[2]!.split(",").map((a) => a.trim().replace(/^\([^()]*\)\s*/, ""));
    if (!args.includes(param)) continue;
    if (/free/i.test(m[1]!) || args.some((a) => /^&?\s*\w*free\w*$/i.test(a))) return true;
  }
  return false;
}

const preambles = new WeakMap<RuleContext["file"], string>();

/** The comment right before `import "C"`: the cgo preamble. */
function preambleOf(ctx: RuleContext): string {
  const cached = preambles.get(ctx.file);
  if (cached !== undefined) return cached;
  const m = /((?:\/\*[\s\S]*?\*\/\s*)|(?:(?:[ \t]*\/\/[^\n]*\n)+\s*))import\s+"C"/.exec(ctx.source);
  const text = m?.[1] ?? "";
  preambles.set(ctx.file, text);
  return text;
}

/** A C function defined (with a body) in the preamble: its parameter names in order and its body. */
function preambleFunction(ctx: RuleContext, name: string): { params: string[]; body: string } | undefined {
  const preamble = preambleOf(ctx);
  const head = new RegExp(`[\\w*]\\s+\\**${name}\\s*\\(([^()]*)\\)\\s*\\{`).exec(preamble);
  if (!head) return undefined;
  let depth = 0;
  const start = head.index + head[0].length - 1;
  for (let i = start; i < preamble.length; i++) {
    if (preamble[i] === "{") depth++;
    else if (preamble[i] === "}" && --depth === 0) {
      const params = head[1]!.split(",").map((p) => /(\w+)\s*(\[\s*\])?\s*$/.exec(p.trim())?.[1] ?? "");
      return { params, body: preamble.slice(start + 1, i) };
    }
  }
  return undefined;
}

function optional(suggestion: Suggestion | undefined): { suggestion?: Suggestion } {
  return suggestion ? { suggestion } : {};
}

/** `C.free(…)` and other C deallocators (`C.g_free`, `C.xmlFree`, `C.sqlite3_free`). */
function isFree(call: GoNode, file: FileScope): boolean {
  const name = file.imports.match(call, C);
  return !!name && /free/i.test(name);
}

/** `C.free(unsafe.Pointer(p))` with the file's name for unsafe, or `C.free(p)` for an unsafe.Pointer; undefined without an unsafe import. */
function freeCall(file: FileScope, p: string, isPointer: boolean): string | undefined {
  if (isPointer) return `C.free(${p})`;
  const unsafe = unsafeAlias(file);
  return unsafe ? `C.free(${unsafe}.Pointer(${p}))` : undefined;
}

function unsafeAlias(file: FileScope): string | undefined {
  if (file.imports.pathOf("unsafe") === "unsafe") return "unsafe";
  return undefined;
}

/** `C.free` needs `<stdlib.h>` in the cgo preamble. */
function hasFree(ctx: RuleContext): boolean {
  return ctx.source.includes("stdlib.h");
}

/**
 * For `C.f(C.CString(s))` in a simple one-line statement: hoist the allocation into a variable
 * with a deferred free. Undefined for any other shape.
 */
function inlineSuggestion(ctx: RuleContext, call: GoNode, alloc: string): Suggestion | undefined {
  const stmt = enclosingStatement(call);
  if (!stmt || isInLoop(stmt) || !hasFree(ctx)) return undefined;
  if (!["expression_statement", "return_statement", "short_var_declaration", "assignment_statement"].includes(stmt.type)) return undefined;
  const line = ctx.lineOf(stmt);
  if (endLineOf(stmt, ctx) !== line || ctx.lineOf(call) !== line) return undefined;
  const name = variableName(call, alloc, outermostFunction(call));
  const free = name ? freeCall(ctx.file, name, RETURNS_POINTER.includes(alloc)) : undefined;
  if (!name || !free) return undefined;
  const text = ctx.lineText(line);
  const indent = indentOf(stmt, ctx);
  // The statement starts right after the indentation, so offsets convert to columns from there.
  const column = call.start - (stmt.start - indent.length);
  if (text.slice(column, column + call.text.length) !== call.text) return undefined;
  return {
    startLine: line,
    endLine: line,
    replacement: `${indent}${name} := ${call.text}\n${indent}defer ${free}\n${text.slice(0, column)}${name}${text.slice(column + call.text.length)}`,
  };
}

/** `cName` for `C.CString(name)`, else `cstr`/`cbuf`; undefined when the name is taken in the function. */
function variableName(call: GoNode, alloc: string, fn: GoNode | undefined): string | undefined {
  const arg = callParts(call).args[0];
  const base = alloc === "CString" && arg?.type === "identifier" ? `c${arg.text[0]!.toUpperCase()}${arg.text.slice(1)}` : alloc === "CString" ? "cstr" : "cbuf";
  const taken = new Set(fn?.descendants("identifier").map((n) => n.text) ?? []);
  return taken.has(base) ? undefined : base;
}

export default rule;
