import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { poolCall, poolGetOfVariable, type PoolGet } from "../analysis/pools.js";
import { helpersCalledBy } from "../analysis/resources.js";
import { assignmentsTo, declarationOf, referencesOf } from "../analysis/scope.js";
import { indentOf, insertLineAfter } from "../analysis/suggest.js";
import { callParts, callSummary, enclosingStatement, isPlainCall, parametersOf, unparen } from "../analysis/syntax.js";
import { typeShape } from "../analysis/types.js";
import { namedStructOf, structFields } from "../analysis/typing.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";

/** Methods that reset (or re-initialise) the object they are called on. */
const RESET_METHOD = /^(reset|clear|init)/i;
/** Functions that take the object back (and reset it on the way): `putBuffer(b)`, `releaseCtx(c)`. */
const RELEASING_FUNCTION = /^(put|release|reset|free|clear|recycle)/i;
/** Names of pooled types whose state is meant to outlast one use: caches, allocators, free lists, arenas. */
const KEPT_ON_PURPOSE = /(cache|alloc|allocator|free_?list|slab|arena)$/i;
/** How deep same-file helpers (`v.prepare()`, `initFrame(v)`) are followed. */
const HELPER_DEPTH = 1;

/**
 * Standard-library types that accumulate what their users write and have a Reset method. Readers
 * are not among them: one never given another source (`Reset(src)`, a reset) reads on from the
 * stream the pool's New opened for it, which holds nothing of the previous user's.
 */
const STATEFUL_TYPES: readonly (readonly [string, string])[] = [
  ["bytes", "Buffer"],
  ["strings", "Builder"],
  ["bufio", "Writer"],
  ["compress/gzip", "Writer"],
  ["compress/flate", "Writer"],
  ["compress/zlib", "Writer"],
];

/** Methods of those types that write nothing into them: a buffer used only through these (fixed-capacity scratch) has nothing to reset. */
const NON_WRITING_METHODS = new Set(["Bytes", "String", "Len", "Cap", "Available", "AvailableBuffer", "Grow", "Size", "Buffered"]);

const rule: Rule = {
  meta: {
    id: "pool-put-without-reset",
    category: "pool",
    severity: "warning",
    title: "pooled object put back without a reset",
    rationale:
      "A sync.Pool hands the same object to the next caller of Get exactly as it was put back. A buffer, builder or struct that still holds the previous request's data leaks it into the next use: output gets old bytes prepended, stale fields are read as current, and a buffer that is only appended to grows without bound.",
    fix: "Reset the object before putting it back (`buf.Reset()`, `*bp = (*bp)[:0]`, `*v = T{}`), or right after taking it out of the pool.",
    bad: `func render(w io.Writer, v Page) error {
	buf := bufPool.Get().(*bytes.Buffer)
	if err := tmpl.Execute(buf, v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	bufPool.Put(buf) // the next caller gets this page's HTML first
	return err
}`,
    good: `func render(w io.Writer, v Page) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := tmpl.Execute(buf, v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}`,
    suggestion: "partial",
    // In tests: state left in a pooled value leaks into the next user in tests too.
    inTests: "report",
  },
  // Every finding starts from (and is anchored at) a `P.Put(v)` selector call: the method name is always written.
  triggers: ["Put"],
  check(ctx) {
    const file = ctx.file;
    const seen = new Set<GoNode>();
    for (const call of ctx.nodes("call_expression")) {
      const put = poolCall(call, file, ["Put"]);
      const arg = unparen(put?.args[0]);
      if (!put || put.args.length !== 1 || arg?.type !== "identifier") continue;
      const decl = declarationOf(arg);
      // One finding per pooled variable, on its first Put.
      if (!decl || seen.has(decl)) continue;
      seen.add(decl);
      const get = poolGetOfVariable(decl, file);
      const type = get?.type;
      if (!get || type?.type !== "pointer_type" || assignmentsTo(decl).length > 0) continue;
      const pointee = type.namedChildren[0];
      const finding = check(decl, get, pointee, call, file, ctx.lineOf(get.call));
      if (!finding) continue;
      const suggestion = file.imports.isType(pointee, "bytes", "Buffer") ? resetSuggestion(ctx, decl, get, call) : undefined;
      ctx.report({
        node: call,
        message: finding,
        related: [{ node: get.call, message: `\`${decl.text}\` is taken from the pool here` }],
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

/** The finding's message for `v := P.Get().(*T)` put back at `put`, or undefined when it is reset (or needs no reset). */
function check(decl: GoNode, get: PoolGet, pointee: GoNode | undefined, put: GoNode, file: FileScope, getLine: number): string | undefined {
  const v = decl.text;
  const putText = `\`${callSummary(put)}\``;
  const from = `\`${callSummary(get.call)}\` on line ${getLine}`;
  const shape = typeShape(pointee, file);
  if (shape === "slice") {
    // A `*[]byte` used as scratch (`io.CopyBuffer(dst, src, *bp)`) is overwritten by each user; only growth leaks.
    const growth = appendsTo(decl);
    if (!growth || hasReset(decl, file, HELPER_DEPTH, true)) return undefined;
    return `${putText} puts back the slice taken by ${from} with everything appended to it (\`${callSummary(growth)}\`) and no truncation: the next user starts with the old contents and grows the buffer further. Truncate it before the Put: \`*${v} = (*${v})[:0]\`.`;
  }
  if (shape === "array") return undefined;
  const struct = namedStructOf(pointee, file);
  const stateful = STATEFUL_TYPES.some(([path, name]) => file.imports.isType(pointee, path, name));
  if (!struct && !stateful) return undefined;
  if (hasReset(decl, file, HELPER_DEPTH, false)) return undefined;
  if (stateful && neverWritten(decl, file)) return undefined;
  if (struct) {
    // A pooled allocator or cache (`entryAllocCache`, `slabFreeList`) keeps its contents for the next user on purpose.
    if (KEPT_ON_PURPOSE.test(pointee?.text ?? "")) return undefined;
    const exposure = referencesOf(decl).find((use) => use.start < put.start && exposedAt(use, file, struct));
    const stale = exposure ? unassignedFields(decl, struct, put, file) : mutatedFields(decl, struct, put, file);
    if (stale.length === 0) return undefined;
    const list = stale.slice(0, 3).map((f) => `\`${f}\``).join(", ") + (stale.length > 3 ? ", …" : "");
    const one = stale.length === 1;
    const why = exposure
      ? `${list} ${one ? "is" : "are"} not reset here, though \`${v}\` is handed to other code (\`${brief(enclosingUse(exposure))}\`) that may fill ${one ? "it" : "them"}`
      : `${list} ${one ? "is" : "are"} modified here and never reset`;
    return `${putText} puts \`${v}\` (taken by ${from}) back without resetting it: ${why}, so the next user of the pool sees this use's values. Reset it before the Put (\`*${v} = ${pointee?.text ?? "T"}{}\` or a reset method).`;
  }
  return `${putText} puts \`${v}\` (taken by ${from}) back without resetting it: the next Get hands its old contents to another caller, who then reads or appends to stale data. Call \`${v}.Reset()\` before the Put (or right after the Get).`;
}

/** Every use of the buffer other than its Put calls a method that writes nothing into it (`buf.AvailableBuffer()`, `buf.Bytes()[:buf.Cap()]`). */
function neverWritten(decl: GoNode, file: FileScope): boolean {
  return referencesOf(decl).every((use) => {
    let e = use;
    while (e.parent?.type === "parenthesized_expression") e = e.parent;
    const p = e.parent;
    if (p?.type === "argument_list") return !!p.parent && !!poolCall(p.parent, file, ["Put"]);
    return p?.type === "selector_expression" && e.field === "operand" && p.field === "function" && NON_WRITING_METHODS.has(p.child("field")?.text ?? "");
  });
}

/** A reset-like operation on the variable anywhere in its function (nested literals and same-file helpers included). */
function hasReset(decl: GoNode, file: FileScope, depth: number, slice: boolean): boolean {
  return referencesOf(decl).some((use) => resetsAt(use, file, depth, slice));
}

function resetsAt(use: GoNode, file: FileScope, depth: number, slice: boolean): boolean {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const parent = e.parent;
  if (!parent) return false;
  // `v.Reset()`, `v.buf.Reset()`, `v.Truncate(0)`, `v.clearState()`, or a same-file method that resets its receiver.
  if (parent.type === "selector_expression" && e.field === "operand") {
    let sel = parent;
    while (sel.parent?.type === "selector_expression" && sel.field === "operand") sel = sel.parent;
    const call = sel.parent;
    if (call?.type === "call_expression" && sel.field === "function") {
      const name = sel.child("field")?.text ?? "";
      if (RESET_METHOD.test(name)) return true;
      if (name === "Truncate" && /^0+$/.test(callParts(call).args[0]?.text ?? "")) return true;
      if (sel === parent && depth > 0 && file.methodsNamed(name).some((m) => receiverReset(m, file, depth - 1, slice))) return true;
    }
    return false;
  }
  if (parent.type === "unary_expression" && parent.child("operator")?.text === "*") {
    let deref: GoNode = parent;
    while (deref.parent?.type === "parenthesized_expression") deref = deref.parent;
    // `*v = …`
    const list = deref.parent;
    if (list?.type === "expression_list" && list.field === "left" && list.parent?.type === "assignment_statement" && list.parent.child("operator")?.text === "=") {
      const value = list.parent.child("right")?.namedChildren[list.namedChildren.indexOf(deref)];
      return !slice || resetValue(value);
    }
    // `(*v)[:0]`
    const slicing = deref.parent;
    if (slicing?.type === "slice_expression" && deref.field === "operand" && isEmptySlice(slicing)) return true;
    return false;
  }
  if (parent.type === "slice_expression" && e.field === "operand" && isEmptySlice(parent)) return true;
  if (parent.type === "argument_list") {
    const call = parent.parent!;
    if (poolCall(call, file, ["Put"])) return false;
    if (isPlainCall(call, "clear")) return true;
    const { name } = callParts(call);
    if (RELEASING_FUNCTION.test(name)) return true;
    if (depth <= 0) return false;
    const index = parent.namedChildren.indexOf(e);
    return helpersCalledBy(call, file).some((helper) => {
      const param = parametersOf(helper)[index];
      return !!param?.name && !param.variadic && hasReset(param.name, file, depth - 1, slice);
    });
  }
  return false;
}

/** A same-file method whose body resets its receiver. */
function receiverReset(method: GoNode, file: FileScope, depth: number, slice: boolean): boolean {
  const recv = method.child("receiver")?.namedChildren[0]?.child("name");
  return !!recv && hasReset(recv, file, depth, slice);
}

/** `x[:0]`, `x[0:0]`. */
function isEmptySlice(slice: GoNode): boolean {
  const start = slice.child("start");
  const end = slice.child("end");
  return !!end && /^0+$/.test(end.text) && (!start || /^0+$/.test(start.text));
}

/** A value that empties a slice: `nil`, `T{}`, `make(…)`, `x[:0]`, `append(x[:0], …)`. */
function resetValue(value: GoNode | undefined): boolean {
  const v = unparen(value);
  if (!v) return false;
  if (v.type === "nil" || v.type === "composite_literal" || isPlainCall(v, "make")) return true;
  if (v.type === "slice_expression") return isEmptySlice(v);
  if (isPlainCall(v, "append")) return resetValue(callParts(v).args[0]);
  return false;
}

/** An `append` that grows the pooled slice: `append(*bp, …)`, `append((*bp)[n:], …)`, or via `b := *bp`. */
function appendsTo(decl: GoNode): GoNode | undefined {
  const aliases = new Set<GoNode>([decl]);
  for (const use of referencesOf(decl)) {
    const deref = derefOf(use);
    const binding = deref ? bindingTarget(deref) : undefined;
    if (binding) aliases.add(binding);
  }
  for (const alias of aliases) {
    for (const use of referencesOf(alias)) {
      const value = alias === decl ? derefOf(use) : use;
      if (!value) continue;
      let e = value;
      while (e.parent?.type === "parenthesized_expression") e = e.parent;
      if (e.parent?.type === "slice_expression" && e.field === "operand" && !isEmptySlice(e.parent)) e = e.parent;
      const args = e.parent;
      const call = args?.parent;
      if (args?.type === "argument_list" && call && isPlainCall(call, "append") && args.namedChildren[0] === e) return call;
    }
  }
  return undefined;
}

/** `*v` (through parentheses) for a use `v`. */
function derefOf(use: GoNode): GoNode | undefined {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  return e.parent?.type === "unary_expression" && e.parent.child("operator")?.text === "*" ? e.parent : undefined;
}

/** For `b := *bp` (the whole right side), the declared `b`. */
function bindingTarget(value: GoNode): GoNode | undefined {
  let e = value;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "right" || stmt?.type !== "short_var_declaration") return undefined;
  const left = stmt.child("left")?.namedChildren ?? [];
  const target = left[list.namedChildren.indexOf(e)];
  return target?.type === "identifier" && left.length === list.namedChildren.length ? target : undefined;
}

/**
 * A use that hands the object to code this rule does not follow: passed to a call (other than
 * the Put), a method that is not declared in this file, assigned, sent, returned or stored.
 * Field accesses and calls of same-file methods are not exposure, nor is a method promoted from
 * an embedded type of another package (`cb.SetBuf(b)` on a struct embedding `proto.Buffer`): it
 * reaches only the embedded value, never the fields of the pooled struct itself.
 */
function exposedAt(use: GoNode, file: FileScope, struct?: GoNode): boolean {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === "selector_expression" && e.field === "operand") {
    const call = p.parent;
    if (call?.type === "call_expression" && p.field === "function") return file.methodsNamed(p.child("field")?.text ?? "").length === 0 && !embedsForeignType(struct);
    return false;
  }
  if (p.type === "argument_list") return !(p.parent && poolCall(p.parent, file, ["Put"]));
  if (p.type === "unary_expression" && p.child("operator")?.text === "*") return false;
  if (p.type === "binary_expression") return false;
  return true;
}

/** A field declared without a name: `bytes.Buffer` in `struct { bytes.Buffer; n int }`. */
function isEmbedded(field: { type: GoNode | undefined }, struct: GoNode): boolean {
  return !!field.type && field.type.parent?.type === "field_declaration" && field.type.parent.childrenOf("name").length === 0 && field.type.within(struct);
}

/** The struct embeds a type of another package (`proto.Buffer`, `*bytes.Buffer`): unknown methods are likely promoted from it. */
function embedsForeignType(struct: GoNode | undefined): boolean {
  return !!struct?.descendants("field_declaration").some((field) => {
    if (field.childrenOf("name").length > 0) return false;
    let t = field.child("type");
    while (t?.type === "pointer_type") t = t.namedChildren[0];
    return t?.type === "qualified_type";
  });
}

/** The expression around an exposing use, for the message: the call it is passed to, or its statement. */
function enclosingUse(use: GoNode): GoNode {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  if (e.parent?.type === "argument_list" && e.parent.parent) return e.parent.parent;
  if (e.parent?.type === "selector_expression" && e.parent.parent?.type === "call_expression") return e.parent.parent;
  return e.parent ?? use;
}

function brief(node: GoNode): string {
  const text = node.text.replace(/\s*\n\s*/g, " ");
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}

/**
 * For an object this function keeps to itself: the fields it changes in place — `v.f[k] = …`,
 * `v.f++`, `v.f += …`, `v.f = append(v.f, …)`, a write method on a buffer field — directly or in
 * a same-file method called on `v`, and never overwrites with `v.f = …` before the Put.
 */
function mutatedFields(decl: GoNode, struct: GoNode, put: GoNode, file: FileScope): string[] {
  const fields = structFields(struct);
  const mutated = new Set<string>();
  const overwritten = overwrittenFields(decl, put, file);
  const visit = (variable: GoNode, methods: boolean) => {
    for (const use of referencesOf(variable)) {
      if (variable === decl && use.start >= put.start) continue;
      const sel = use.parent;
      if (sel?.type !== "selector_expression" || use.field !== "operand") continue;
      const name = sel.child("field")?.text ?? "";
      const type = fields.find((f) => f.names.includes(name))?.type;
      // `v.WriteString(…)` promoted from an embedded `bytes.Buffer`: the embedded buffer fills up.
      if (!type && sel.parent?.type === "call_expression" && sel.field === "function" && /^(Write|Append|Grow|ReadFrom)/.test(name)) {
        const buffer = fields.find((f) => isEmbedded(f, struct) && STATEFUL_TYPES.some(([path, t]) => file.imports.isType(f.type, path, t)));
        if (buffer) mutated.add(buffer.names[0]!);
      }
      if (methods && sel.parent?.type === "call_expression" && sel.field === "function") {
        for (const method of file.methodsNamed(name)) {
          const recv = method.child("receiver")?.namedChildren[0]?.child("name");
          if (recv) visit(recv, false);
        }
        continue;
      }
      if (mutatesInPlace(sel, type, file)) mutated.add(name);
    }
  };
  visit(decl, true);
  return fields.flatMap((f) => f.names).filter((n) => mutated.has(n) && !overwritten.has(n));
}

/** `x.f[k] = …`, `x.f[k]++`, `x.f++`, `x.f += …`, `x.f = append(x.f, …)`, `x.f.Write…(…)` on a buffer-like field. */
function mutatesInPlace(sel: GoNode, type: GoNode | undefined, file: FileScope): boolean {
  let target = sel;
  while (target.parent?.type === "index_expression" && target.field === "operand") target = target.parent;
  const parent = target.parent;
  if (parent?.type === "inc_statement" || parent?.type === "dec_statement") return true;
  if (parent?.type === "expression_list" && parent.field === "left" && parent.parent?.type === "assignment_statement") {
    const op = parent.parent.child("operator")?.text;
    return target !== sel || op !== "=" || growsItself(sel);
  }
  const call = sel.parent?.type === "selector_expression" && sel.field === "operand" ? sel.parent.parent : undefined;
  if (call?.type === "call_expression" && sel.parent!.field === "function") {
    const method = sel.parent!.child("field")?.text ?? "";
    return STATEFUL_TYPES.some(([path, name]) => file.imports.isType(type, path, name)) && /^(Write|Append|Grow)/.test(method);
  }
  return false;
}

/**
 * Fields of the same-file struct that may carry state to the next user: not overwritten
 * (`v.f = …`, directly, in a method called on `v`, or in a same-file helper `v` is passed to)
 * before the Put, and written somewhere in the file after construction (a field only set in
 * composite literals, such as New's, is the same for every user).
 */
function unassignedFields(decl: GoNode, struct: GoNode, put: GoNode, file: FileScope): string[] {
  const assigned = overwrittenFields(decl, put, file);
  return structFields(struct)
    .flatMap((f) => f.names)
    .filter((n) => !assigned.has(n) && writtenInFile(n, file));
}

/** Fields overwritten (`v.f = …`) before the Put: directly, in a same-file method called on `v`, or in a same-file helper `v` is passed to. */
function overwrittenFields(decl: GoNode, put: GoNode, file: FileScope): Set<string> {
  const assigned = new Set<string>();
  for (const use of referencesOf(decl)) {
    if (use.start >= put.start) continue;
    let e = use;
    while (e.parent?.type === "parenthesized_expression") e = e.parent;
    const parent = e.parent;
    if (parent?.type === "argument_list" && parent.parent) {
      const index = parent.namedChildren.indexOf(e);
      for (const helper of helpersCalledBy(parent.parent, file)) {
        const param = parametersOf(helper)[index];
        if (param?.name && !param.variadic) for (const f of fieldsAssignedThrough(param.name)) assigned.add(f);
      }
      continue;
    }
    if (parent?.type !== "selector_expression" || e.field !== "operand") continue;
    const field = parent.child("field")?.text ?? "";
    if (isAssignedTo(parent) && !growsItself(parent)) assigned.add(field);
    const call = parent.parent;
    if (call?.type === "call_expression" && parent.field === "function") {
      for (const method of file.methodsNamed(field)) {
        const recv = method.child("receiver")?.namedChildren[0]?.child("name");
        if (recv) for (const f of fieldsAssignedThrough(recv)) assigned.add(f);
      }
    }
  }
  return assigned;
}

/** Fields overwritten through a variable (a receiver or parameter): `r.f = …`. */
function fieldsAssignedThrough(decl: GoNode): string[] {
  return referencesOf(decl)
    .map((use) => (use.parent?.type === "selector_expression" && use.field === "operand" && isAssignedTo(use.parent) && !growsItself(use.parent) ? use.parent.child("field")?.text : undefined))
    .filter((f): f is string => !!f);
}

/** Whether any code of the file writes a field of this name after construction: `x.f = …`, `x.f[k] = …`, `x.f++`, `x.f += …`. */
function writtenInFile(field: string, file: FileScope): boolean {
  for (const decl of file.declarationsMentioning(field)) {
    for (const sel of decl.descendants("selector_expression")) {
      if (sel.child("field")?.text !== field) continue;
      let target: GoNode = sel;
      while (target.parent?.type === "index_expression" && target.field === "operand") target = target.parent;
      const list = target.parent;
      if (list?.type === "expression_list" && list.field === "left" && list.parent?.type === "assignment_statement") return true;
      if ((list?.type === "inc_statement" || list?.type === "dec_statement") && list.namedChildren[0] === target) return true;
    }
  }
  return false;
}

function isAssignedTo(target: GoNode): boolean {
  const list = target.parent;
  const stmt = list?.parent;
  return list?.type === "expression_list" && list.field === "left" && stmt?.type === "assignment_statement" && stmt.child("operator")?.text === "=";
}

/** `v.f = append(v.f, …)`: the field keeps its old elements. */
function growsItself(target: GoNode): boolean {
  const list = target.parent!;
  const value = unparen(list.parent?.child("right")?.namedChildren[list.namedChildren.indexOf(target)]);
  if (!value || !isPlainCall(value, "append")) return false;
  return unparen(callParts(value).args[0])?.text === target.text;
}

/** Insert `v.Reset()` before a Put statement, or after the Get when the Put is deferred. */
function resetSuggestion(ctx: RuleContext, decl: GoNode, get: PoolGet, put: GoNode): Suggestion | undefined {
  const text = `${decl.text}.Reset()`;
  const stmt = put.parent;
  if (stmt?.type === "expression_statement" && stmt.parent?.type === "statement_list") {
    const line = ctx.lineOf(stmt);
    const before = ctx.lineText(line).slice(0, stmt.start - (ctx.source.lastIndexOf("\n", stmt.start - 1) + 1));
    if (!/^[ \t]*$/.test(before)) return undefined;
    return { startLine: line, endLine: line, replacement: `${indentOf(stmt, ctx)}${text}\n${ctx.lineText(line)}` };
  }
  if (stmt?.type === "defer_statement") {
    const getStmt = enclosingStatement(get.call);
    if (getStmt?.type !== "short_var_declaration" && getStmt?.type !== "var_declaration") return undefined;
    return insertLineAfter(ctx, getStmt, text);
  }
  return undefined;
}

export default rule;
