import { runsInline } from "../analysis/channels.js";
import { cfgAround, type CfgNode } from "../analysis/cfg.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { poolCall } from "../analysis/pools.js";
import { assignmentsTo, declarationOf, initializerOf, referencesOf } from "../analysis/scope.js";
import {
  callParts,
  callSummary,
  enclosingFunction,
  enclosingLoops,
  enclosingStatement,
  isPlainCall,
  ownDescendants,
  unparen,
} from "../analysis/syntax.js";
import { typeShape } from "../analysis/types.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";

/** How many local variables an alias is followed through (`b := buf.Bytes()`, `line := b[:n]`). */
const ALIAS_DEPTH = 2;

/** What an expression shares with the pooled object, and the element type of a slice alias (for a copy). */
interface Alias {
  /** The expression is the pooled object itself (`v`, or a variable holding it). */
  whole: boolean;
  /** For a slice into the object's memory: its element type (`byte`), when known. */
  elem: string | undefined;
  /** The local variable through which the expression reaches the object, if any. */
  via: GoNode | undefined;
}

/** A tracked variable after the Put: the pooled object itself or a local alias of its memory. */
interface Tracked {
  decl: GoNode;
  /** For an alias: its declaring statement's value (`buf.Bytes()`). */
  value: GoNode | undefined;
}

const rule: Rule = {
  meta: {
    id: "pool-use-after-put",
    category: "pool",
    severity: "error",
    title: "pooled object used after Put",
    rationale:
      "Put hands the object to the pool, and any goroutine's next Get may receive it at once. Code that keeps using the object — or a slice returned by its `Bytes()` — after the Put reads and writes memory that now belongs to someone else: responses get mixed up between requests and data changes under the caller. A deferred Put has the same effect on anything the function returns that still points into the object.",
    fix: "Finish every use before the Put, and copy out what must outlive it (`append([]byte(nil), buf.Bytes()...)`, `buf.String()`).",
    bad: `func marshal(v any) ([]byte, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil // the caller's slice is reused by the next Get
}`,
    good: `func marshal(v any) ([]byte, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		return nil, err
	}
	return append([]byte(nil), buf.Bytes()...), nil
}`,
    suggestion: "partial",
    // In tests: a value used after Put is corrupted in tests too.
    inTests: "report",
  },
  // Every finding starts from a `P.Put(v)` selector call (`poolCall(…, ["Put"])`): the method name is always written.
  triggers: ["Put"],
  check(ctx) {
    const file = ctx.file;
    const reported = new Set<GoNode>();
    for (const call of ctx.nodes("call_expression")) {
      const put = poolCall(call, file, ["Put"]);
      const arg = unparen(put?.args[0]);
      if (!put || put.args.length !== 1 || arg?.type !== "identifier") continue;
      const decl = declarationOf(arg);
      // A struct, array or string value is copied into the pool: the variable stays the caller's.
      if (!decl || copiedByPut(decl, ctx.file)) continue;
      const report = (node: GoNode, message: string, suggestion: Suggestion | undefined) => {
        if (reported.has(node)) return;
        reported.add(node);
        ctx.report({ node, message, related: [{ node: call, message: "the object goes back to the pool here" }], ...(suggestion ? { suggestion } : {}) });
      };
      const deferStmt = deferOf(call);
      if (deferStmt) {
        checkReturns(ctx, call, decl, deferStmt, report);
        continue;
      }
      const stmt = call.parent;
      if (stmt?.type === "expression_statement" && stmt.parent?.type === "statement_list") checkLaterUse(ctx, call, stmt, decl, report);
    }
  },
};

type Reporter = (node: GoNode, message: string, suggestion: Suggestion | undefined) => void;

/** The defer that runs this Put: `defer P.Put(v)`, or `defer func() { …; P.Put(v) }()`. */
function deferOf(call: GoNode): GoNode | undefined {
  if (call.parent?.type === "defer_statement") return call.parent;
  const fn = enclosingFunction(call);
  if (fn?.type !== "func_literal" || !runsInline(fn)) return undefined;
  // A conditional Put (`if err != nil { pool.Put(v) }`) may hand the object to the caller on success.
  const stmt = call.parent;
  if (stmt?.type !== "expression_statement" || stmt.parent?.parent !== fn.child("body")) return undefined;
  let e = fn;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const outer = e.parent;
  return outer?.parent?.type === "defer_statement" ? outer.parent : undefined;
}

/** (a) The first use of the object, or of an alias of its memory, after a Put that runs right away. */
function checkLaterUse(ctx: RuleContext, put: GoNode, putStmt: GoNode, decl: GoNode, report: Reporter): void {
  const tracked = trackedAt(decl, put);
  const found = firstUseAfter(putStmt, tracked);
  if (!found) return;
  const { use, target } = found;
  const v = decl.text;
  const putLine = ctx.lineOf(put);
  const anchor = useExpression(use);
  if (target.decl === decl) {
    const suggestion = deferSuggestion(ctx, put, putStmt, decl, anchor);
    const subject = anchor === use ? `\`${v}\` is used` : `\`${firstLine(anchor.text)}\` uses \`${v}\``;
    report(
      anchor,
      `${subject} after \`${callSummary(put)}\` on line ${putLine} gave it back to the pool: another goroutine's Get may already own it and be writing to it. Finish every use before the Put.`,
      suggestion,
    );
    return;
  }
  const origin = target.value ? `\`${target.decl.text} := ${firstLine(target.value.text)}\`` : `\`${target.decl.text}\``;
  const alias = target.value ? aliasOf(target.value, decl, ALIAS_DEPTH) : undefined;
  const suggestion = target.value && alias?.elem ? wrapSuggestion(ctx, target.value, alias.elem) : undefined;
  report(
    anchor,
    `\`${target.decl.text}\` still points into \`${v}\` (${origin}), which \`${callSummary(put)}\` on line ${putLine} gave back to the pool: the next Get reuses that memory and overwrites what \`${target.decl.text}\` shows. Copy the data out before the Put.`,
    suggestion,
  );
}

/** The pooled variable and the local aliases of its memory declared before the Put (never reassigned). */
function trackedAt(decl: GoNode, put: GoNode): Tracked[] {
  const out: Tracked[] = [{ decl, value: undefined }];
  const fn = enclosingFunction(decl);
  if (!fn) return out;
  for (const id of fn.descendants("identifier")) {
    if (id.start >= put.start || id === decl) continue;
    const init = id.parent && declaresHere(id) ? initializerOf(id) : undefined;
    if (!init?.value || init.resultIndex !== 0 || assignmentsTo(id).length > 0) continue;
    if (aliasOf(init.value, decl, ALIAS_DEPTH)) out.push({ decl: id, value: init.value });
  }
  return out;
}

/** True for the declaring identifier of a `x := …` or `var x = …`. */
function declaresHere(id: GoNode): boolean {
  const p = id.parent!;
  if (p.type === "var_spec") return id.field === "name";
  return p.type === "expression_list" && p.field === "left" && p.parent?.type === "short_var_declaration" && declarationOf(id) === id;
}

/**
 * The first reference to a tracked variable on a path that continues after the Put's statement
 * (earliest in the source when several paths have one). A path stops where the variable gets a
 * new value: a reassignment, or its declaration when the loop comes round.
 */
function firstUseAfter(stmt: GoNode, tracked: Tracked[]): { use: GoNode; target: Tracked } | undefined {
  const cfg = cfgAround(stmt);
  const start = cfg?.nodeOf(stmt);
  if (!cfg || !start) return undefined;
  const refs = new Map<CfgNode, { use: GoNode; target: Tracked }[]>();
  const renewed = new Set<CfgNode>();
  for (const target of tracked) {
    const declared = cfg.nodeOf(target.decl);
    if (declared) renewed.add(declared);
    for (const use of referencesOf(target.decl)) {
      const node = cfg.nodeOf(use);
      if (!node) continue;
      if (isReassigned(use)) renewed.add(node);
      else if (!harmless(use, target.value !== undefined)) refs.set(node, [...(refs.get(node) ?? []), { use, target }]);
    }
  }
  const found = cfg.firstUsesAfter(start, (n) => refs.has(n) && !renewed.has(n), (n) => renewed.has(n)).flatMap((n) => refs.get(n)!);
  return found.sort((a, b) => a.use.start - b.use.start)[0];
}

/** `v = …`: the variable gets a new value. */
function isReassigned(use: GoNode): boolean {
  const list = use.parent;
  const stmt = list?.parent;
  return list?.type === "expression_list" && list.field === "left" && stmt?.type === "assignment_statement" && stmt.child("operator")?.text === "=";
}

/** Uses that do not touch the object's memory: `v == nil`, and `len(b)`/`cap(b)` of an alias slice. */
function harmless(use: GoNode, isAlias: boolean): boolean {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (p?.type === "binary_expression" && /^(==|!=)$/.test(p.child("operator")?.text ?? "")) return true;
  return isAlias && p?.type === "argument_list" && !!p.parent && isPlainCall(p.parent, "len", "cap");
}

/** (b) With a deferred Put: returns after the defer whose results still point into the object. */
function checkReturns(ctx: RuleContext, put: GoNode, decl: GoNode, deferStmt: GoNode, report: Reporter): void {
  // The deferred Put puts back what `v` holds at exit (literal) or at the defer (call): stay out if it changes.
  if (assignmentsTo(decl).length > 0) return;
  const fn = enclosingFunction(deferStmt);
  const region = deferStmt.parent;
  if (!fn || !region) return;
  const v = decl.text;
  const putLine = ctx.lineOf(put);
  for (const ret of ownDescendants(fn, "return_statement")) {
    if (ret.start < deferStmt.end || !ret.within(region)) continue;
    for (const value of resultsOf(ret)) {
      const alias = aliasOf(value, decl, ALIAS_DEPTH);
      if (!alias) continue;
      const text = firstLine(value.text);
      const deferred = `the deferred \`${callSummary(put)}\` (line ${putLine}) puts it back in the pool as the function returns`;
      const message = alias.whole
        ? `This returns the pooled \`${text}\`${alias.via ? ` (which is \`${v}\`)` : ""}, but ${deferred}: the caller and the next user of the pool share one object.`
        : `\`${text}\` points into \`${v}\`, but ${deferred}: the next Get hands the same memory to another caller, who overwrites what this caller received. ${alias.elem ? `Copy it out: \`append([]${alias.elem}(nil), ${text}...)\`.` : "Copy it out before returning."}`;
      report(
        value,
        message,
        !alias.whole && alias.elem ? wrapSuggestion(ctx, value, alias.elem) : undefined,
      );
    }
  }
}

/** The result expressions of a return, and the elements of a composite literal returned directly. */
function resultsOf(ret: GoNode): GoNode[] {
  const list = ret.namedChildren[0];
  const values = list?.type === "expression_list" ? list.namedChildren : list ? [list] : [];
  return values.flatMap((v) => {
    let e = unparen(v);
    if (e?.type === "unary_expression" && e.child("operator")?.text === "&") e = unparen(e.child("operand"));
    if (e?.type !== "composite_literal") return [v];
    return (e.child("body")?.namedChildren ?? []).flatMap((el) => {
      const value = el.type === "keyed_element" ? el.child("value") : el;
      const inner = value?.type === "literal_element" ? value.namedChildren[0] : value;
      return inner && inner.type !== "literal_value" ? [inner] : [];
    });
  });
}

/**
 * Whether an expression shares memory with the pooled object `decl`: `v` itself, `v.Bytes()`,
 * `(*v)[i:j]`, `v[i:j]`, `*v` for a pooled `*[]T`, or a never-reassigned local assigned from one
 * of these. Copies (`v.String()`, `string(v.Bytes())`, `append([]byte(nil), …)`) are not aliases.
 */
function aliasOf(expr: GoNode | undefined, decl: GoNode, depth: number): Alias | undefined {
  const e = unparen(expr);
  if (!e) return undefined;
  switch (e.type) {
    case "identifier": {
      const d = declarationOf(e);
      if (!d) return undefined;
      if (d === decl) return { whole: true, elem: undefined, via: undefined };
      if (depth <= 0 || assignmentsTo(d).length > 0) return undefined;
      const init = initializerOf(d);
      if (!init?.value || init.resultIndex !== 0) return undefined;
      const inner = aliasOf(init.value, decl, depth - 1);
      return inner ? { ...inner, via: d } : undefined;
    }
    case "call_expression": {
      const { receiver, name, args } = callParts(e);
      if (name !== "Bytes" || args.length > 0) return undefined;
      const owner = aliasOf(receiver, decl, depth);
      return owner?.whole ? { whole: false, elem: "byte", via: owner.via } : undefined;
    }
    case "slice_expression": {
      let operand = unparen(e.child("operand"));
      const deref = operand?.type === "unary_expression" && operand.child("operator")?.text === "*";
      if (deref) operand = unparen(operand!.child("operand"));
      const owner = aliasOf(operand, decl, depth);
      if (!owner) return undefined;
      if (owner.whole) return { whole: false, elem: elementOfPooled(decl), via: owner.via };
      return deref ? undefined : owner;
    }
    case "unary_expression": {
      if (e.child("operator")?.text !== "*") return undefined;
      const owner = aliasOf(e.child("operand"), decl, depth);
      const elem = elementOfPooled(decl);
      return owner?.whole && pooledSlicePointer(decl) ? { whole: false, elem, via: owner.via } : undefined;
    }
    default:
      return undefined;
  }
}

/** True when the variable's written type is a value type that Put copies (struct, array, string, number, bool). */
function copiedByPut(decl: GoNode, file: FileScope): boolean {
  const init = initializerOf(decl);
  let type = init?.type;
  const value = unparen(init?.value);
  if (!type && init?.resultIndex === 0 && (value?.type === "type_assertion_expression" || value?.type === "composite_literal")) type = value.child("type");
  const shape = typeShape(type, file);
  return shape === "struct" || shape === "array" || shape === "string" || shape === "number" || shape === "bool";
}

/** The written type of the pooled variable: declared (`var bp *[]byte`, a parameter) or asserted (`v := P.Get().(*[]byte)`). */
function pooledType(decl: GoNode): GoNode | undefined {
  const init = initializerOf(decl);
  const value = unparen(init?.value);
  if (init?.type) return init.type;
  return value?.type === "type_assertion_expression" ? value.child("type") : undefined;
}

/** `*[]T`. */
function pooledSlicePointer(decl: GoNode): boolean {
  const t = pooledType(decl);
  return t?.type === "pointer_type" && t.namedChildren[0]?.type === "slice_type";
}

/** The element type of a pooled `*[]T`, `*[N]T` or `[]T`, as written. */
function elementOfPooled(decl: GoNode): string | undefined {
  let t = pooledType(decl);
  if (t?.type === "pointer_type") t = t.namedChildren[0];
  if (t?.type !== "slice_type" && t?.type !== "array_type") return undefined;
  const elem = t.child("element")?.text;
  return elem && !elem.includes("\n") ? elem : undefined;
}

/** The node to anchor a use on: the call or selector it is the receiver of, else the identifier. */
function useExpression(use: GoNode): GoNode {
  const p = use.parent;
  if (p?.type === "selector_expression" && use.field === "operand") {
    return p.parent?.type === "call_expression" && p.field === "function" ? p.parent : p;
  }
  return use;
}

/** `P.Put(v)` → `defer P.Put(v)` when the use is a plain read right after, outside loops, and this is the only Put of `v`. */
function deferSuggestion(ctx: RuleContext, put: GoNode, putStmt: GoNode, decl: GoNode, use: GoNode): Suggestion | undefined {
  if (enclosingLoops(putStmt).length > 0 || enclosingFunction(use) !== enclosingFunction(putStmt)) return undefined;
  // Returning the object or its bytes would still escape a deferred Put.
  const ret = enclosingStatement(use);
  if (ret?.type === "return_statement" && resultsOf(ret).some((r) => aliasOf(r, decl, ALIAS_DEPTH))) return undefined;
  const puts = referencesOf(decl).filter((u) => {
    const call = u.parent?.parent;
    return u.parent?.type === "argument_list" && !!call && !!poolCall(call, ctx.file, ["Put"]);
  });
  if (puts.length !== 1) return undefined;
  const line = ctx.lineOf(putStmt);
  const text = ctx.lineText(line);
  const col = putStmt.start - (ctx.source.lastIndexOf("\n", putStmt.start - 1) + 1);
  if (!/^[ \t]*$/.test(text.slice(0, col)) || put.text.includes("\n")) return undefined;
  return { startLine: line, endLine: line, replacement: `${text.slice(0, col)}defer ${text.slice(col)}` };
}

/** Wrap an expression (on one line) in `append([]T(nil), expr...)`. */
function wrapSuggestion(ctx: RuleContext, expr: GoNode, elem: string): Suggestion | undefined {
  if (expr.text.includes("\n")) return undefined;
  const line = ctx.lineOf(expr);
  const text = ctx.lineText(line);
  const col = expr.start - (ctx.source.lastIndexOf("\n", expr.start - 1) + 1);
  return { startLine: line, endLine: line, replacement: `${text.slice(0, col)}append([]${elem}(nil), ${expr.text}...)${text.slice(col + expr.text.length)}` };
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? text;
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

export default rule;
