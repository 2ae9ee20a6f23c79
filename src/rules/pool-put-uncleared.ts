import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { isPool } from "../analysis/pools.js";
import { declarationOf } from "../analysis/scope.js";
import { callParts, callSummary, enclosingFunction, enclosingStatement, isPlainCall, parametersOf, rootIdentifier, unparen } from "../analysis/syntax.js";
import { elementOf, namedTypeOf, pointerFree, receiverTypeName, resolveCall, typeOfExpr } from "../analysis/types.js";
import type { ChangeContext, Rule } from "../engine/types.js";

/** Methods and helpers that reset what they are called on or given. */
const RESETTING = /^(reset|clear|zero|release|free|recycle|init)/i;

const rule: Rule = {
  meta: {
    id: "pool-put-uncleared",
    category: "pool",
    severity: "warning",
    title: "pooled slice of pointers put back without clearing",
    rationale:
      "Re-slicing a slice to `s[:0]` sets its length to zero but keeps the backing array, and every element in it. When the elements are pointers, interfaces, maps or slices, a pooled object put back that way keeps all the objects the previous user stored alive for as long as it sits in the pool (and until a later user happens to overwrite each slot), so a pool meant to save allocations pins request-sized object graphs instead.",
    fix: "Clear the elements before truncating: `clear(s); s = s[:0]` (Go 1.21), or set each element to its zero value in a loop; or drop the slice (`s = nil`) if it is not worth keeping.",
    bad: `func (b *Batch) release() {
	b.items = b.items[:0] // the array still points at every *Item
	batchPool.Put(b)
}`,
    good: `func (b *Batch) release() {
	clear(b.items)
	b.items = b.items[:0]
	batchPool.Put(b)
}`,
    suggestion: "none",
    // A test's pool lives for one short process: what it pins is gone when the test ends.
    inTests: "skip",
  },
  // Every finding is a call `X.Put(v)`; a declaration is compared in both versions when either mentions it.
  triggers: ["Put"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const put = poolPut(call, ctx.file);
      const found = put && unclearedTruncation(put, ctx.file);
      if (!put || !found) continue;
      const { truncation, container, element } = found;
      const where = truncation.file === ctx.file && enclosingFunction(truncation.node) === enclosingFunction(call) ? ` (line ${ctx.lineOf(truncation.node)})` : ` (in \`${truncation.in}\`)`;
      ctx.report({
        node: call,
        message: `\`${callSummary(call)}\` puts back \`${container}\` truncated by \`${truncation.node.text}\`${where} but not cleared: re-slicing keeps the backing array and every \`${element}\` it holds, so the pool keeps the previous user's objects alive until a later user overwrites each slot. Clear the elements first (\`clear(${container})\` from Go 1.21, or a loop setting them to their zero value).`,
        ...(truncation.file === ctx.file ? { related: [{ node: truncation.node, message: "the length is reset here; the elements stay" }] } : {}),
      });
    }
  },
  checkChange(ctx) {
    const base = putsIn(ctx.base.node, ctx.base.file);
    const seen = new Map<string, number>();
    for (const now of putsIn(ctx.head.node, ctx.head.file)) {
      const key = `${now.receiver.text}.Put(${now.value.text})`;
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      const old = base.filter((b) => `${b.receiver.text}.Put(${b.value.text})` === key)[index];
      // What the head's own check reports is not reported twice.
      if (!old || unclearedTruncation(now, ctx.head.file)) continue;
      compare(ctx, old, now);
    }
  },
};

/** A `Put` of one value on a pool: a sync.Pool, a package type with Get and Put methods, or a receiver named like one. */
interface PoolPut {
  call: GoNode;
  receiver: GoNode;
  value: GoNode;
}

function poolPut(call: GoNode, file: FileScope): PoolPut | undefined {
  const { receiver, name, args } = callParts(call);
  if (name !== "Put" || !receiver || args.length !== 1 || file.imports.pathOf(receiver.text)) return undefined;
  if (!isPool(receiver, file) && !/pool$/i.test(lastName(receiver)) && !hasGetAndPut(receiver, file)) return undefined;
  return { call, receiver, value: args[0]! };
}

function lastName(e: GoNode): string {
  const u = unparen(e);
  if (u?.type === "selector_expression") return u.child("field")?.text ?? "";
  return u?.type === "identifier" ? u.text : "";
}

/** The receiver's type is a package type with both a `Get` and a `Put` method. */
function hasGetAndPut(receiver: GoNode, file: FileScope): boolean {
  const type = namedTypeOf(typeOfExpr(receiver, file));
  if (!type) return false;
  const has = (m: string) => file.packageMethodsIn(m).some((d) => receiverTypeName(d.node) === type);
  return has("Get") && has("Put");
}

function putsIn(root: GoNode, file: FileScope): PoolPut[] {
  return root.descendants("call_expression").flatMap((c) => poolPut(c, file) ?? []);
}

/** A piece of code that runs before the Put on the pooled value: the Put's function, or a method or helper it calls with the value, with the name the value has there. */
interface Scope {
  node: GoNode;
  file: FileScope;
  /** The declaring identifier of the value's name in this code (a receiver or parameter), or undefined for the Put's own function. */
  alias: GoNode | undefined;
  /** What to call it in messages. */
  in: string;
}

interface Truncation {
  node: GoNode;
  file: FileScope;
  in: string;
}

/**
 * A pointer-holding slice of the value put back (the value itself, `*v`, or a field `v.f`) that
 * the code before the Put truncates with `x[:0]` and stores back, with no clearing of it there.
 */
function unclearedTruncation(put: PoolPut, file: FileScope): { truncation: Truncation; container: string; element: string } | undefined {
  const value = unparen(put.value);
  const root = value && rootIdentifier(value);
  const at = putSite(put);
  if (!value || !root || !at) return undefined;
  const decl = declarationOf(root);
  const isValue = (id: GoNode) => id.text === root.text && declarationOf(id) === decl;
  const scopes = scopesOf(put, root, isValue, at, file);
  const rename = (s: Scope) => (id: GoNode) => ((s.alias ? declarationOf(id) === s.alias : isValue(id)) ? root.text : undefined);
  // What runs in the Put's own function before it: everything, when the Put is deferred.
  const before = at.deferred ? undefined : put.call;
  const own = scopes[0]!;
  const candidates: { node: GoNode; container: string; scope: Scope }[] = [];
  // `pool.Put(s[:0])`: the argument itself truncates.
  if (isTruncation(value)) candidates.push({ node: value, container: norm(value.child("operand"), rename(own)), scope: own });
  for (const scope of scopes) {
    for (const slice of scope.node.descendants("slice_expression")) {
      if (!isTruncation(slice) || slice === value || (scope === own && before && slice.start > before.start)) continue;
      const container = storedBack(slice, rename(scope));
      if (container && belongsTo(container, root.text)) candidates.push({ node: slice, container, scope });
    }
  }
  for (const c of candidates) {
    const element = pointerElement(c.node.child("operand"), c.scope.file);
    const followed = new Set(scopes.map((s) => s.node));
    if (!element || scopes.some((s) => clears(s, c.container, rename(s), s === own ? before : undefined, followed))) continue;
    return { truncation: { node: c.node, file: c.scope.file, in: c.scope.in }, container: c.container, element };
  }
  return undefined;
}

/** The function whose code runs before the Put: its own, or — for a Put in a deferred func literal — the one around it. */
function putSite(put: PoolPut): { fn: GoNode; deferred: boolean } | undefined {
  const fn = enclosingFunction(put.call);
  if (!fn) return undefined;
  if (enclosingStatement(put.call)?.type === "defer_statement") return { fn, deferred: true };
  let e = fn;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const call = e.parent;
  if (fn.type === "func_literal" && call?.type === "call_expression" && e.field === "function" && call.parent?.type === "defer_statement") {
    const outer = enclosingFunction(call);
    return outer ? { fn: outer, deferred: true } : undefined;
  }
  return { fn, deferred: false };
}

/** The Put's function, then the package methods called on the value and the package helpers it is passed to, before the Put. */
function scopesOf(put: PoolPut, root: GoNode, isValue: (id: GoNode) => boolean, at: { fn: GoNode; deferred: boolean }, file: FileScope): Scope[] {
  const scopes: Scope[] = [{ node: at.fn, file, alias: undefined, in: "" }];
  for (const call of at.fn.descendants("call_expression")) {
    if ((!at.deferred && call.start >= put.call.start) || call === put.call) continue;
    const { receiver, args } = callParts(call);
    const recv = unparen(receiver);
    const byReceiver = recv?.type === "identifier" && isValue(recv);
    const index = args.findIndex((a) => unparen(a)?.type === "identifier" && isValue(unparen(a)!));
    if (!byReceiver && index < 0) continue;
    const callee = resolveCall(call, file);
    if (!callee) continue;
    const alias = byReceiver ? callee.node.child("receiver")?.namedChildren[0]?.child("name") : parametersOf(callee.node)[index]?.name;
    if (alias) scopes.push({ node: callee.node, file: callee.file, alias, in: callSummary(call) });
  }
  return scopes;
}

/** `x[:0]`, `x[0:0]`, `x[:0:0]`. */
function isTruncation(e: GoNode): boolean {
  if (e.type !== "slice_expression") return false;
  const start = e.child("start");
  const end = e.child("end");
  return !!end && /^0+$/.test(end.text) && (!start || /^0+$/.test(start.text));
}

/**
 * Where a truncation goes back: `x = x[:0]` (the container `x`), `*v = T{f: v.f[:0]}` (the
 * container `v.f`). Undefined when the truncated slice goes elsewhere.
 */
function storedBack(slice: GoNode, rename: (id: GoNode) => string | undefined): string | undefined {
  let e = slice;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (p?.type === "expression_list" && p.field === "right" && p.parent?.type === "assignment_statement" && p.parent.child("operator")?.text === "=") {
    const target = p.parent.child("left")?.namedChildren[p.namedChildren.indexOf(e)];
    const container = norm(target, rename);
    return container === norm(slice.child("operand"), rename) ? container : undefined;
  }
  if (p?.type === "literal_element" && p.field === "value" && p.parent?.type === "keyed_element") {
    const field = p.parent.child("key")?.namedChildren[0]?.text;
    const container = norm(slice.child("operand"), rename);
    return field && container.endsWith(`.${field}`) ? container : undefined;
  }
  return undefined;
}

/** `v`, `*v`, `v.f`, `v.f.g` for the value `v`. */
function belongsTo(container: string, root: string): boolean {
  return container === root || container === `*${root}` || container.startsWith(`${root}.`) || container.startsWith(`(*${root}).`);
}

/** The element type of a slice expression when it holds pointers (as written), else undefined. */
function pointerElement(slice: GoNode | undefined, file: FileScope): string | undefined {
  const element = elementOf(typeOfExpr(slice, file));
  if (pointerFree(element) !== false) return undefined;
  return element?.kind === "node" ? element.node.text : "pointer";
}

/**
 * Code that clears the container or drops its array: `clear(x)` (not of an empty re-slice),
 * `x[i] = …` (a zeroing loop), `x = nil`/`make(…)`/a literal, `*v = T{}`, or a reset of the whole
 * value or of the container (`v.Reset()`, `resetX(v)`) whose body is not among the `followed`
 * code. Only before `before`, when given.
 */
function clears(scope: Scope, container: string, rename: (id: GoNode) => string | undefined, before: GoNode | undefined, followed: ReadonlySet<GoNode>): boolean {
  const whole = container.replace(/^\*/, "").split(".")[0]!;
  for (const n of scope.node.descendants("call_expression", "assignment_statement")) {
    if (before && n.start >= before.start) continue;
    if (n.type === "call_expression") {
      const { receiver, name, args } = callParts(n);
      if (isPlainCall(n, "clear") && args[0] && !isTruncation(unparen(args[0])!) && norm(stripSlicing(args[0]), rename) === container) return true;
      // A reset method or helper whose body this rule read speaks for itself; one it cannot read is trusted by its name.
      const callee = RESETTING.test(name) ? resolveCall(n, scope.file) : undefined;
      if (callee && followed.has(callee.node)) continue;
      if (RESETTING.test(name) && receiver && [container, whole, `*${whole}`].includes(norm(receiver, rename))) return true;
      if (RESETTING.test(name) && !receiver && args.some((a) => [container, whole].includes(norm(a, rename)))) return true;
      continue;
    }
    if (n.child("operator")?.text !== "=") continue;
    const left = n.child("left")?.namedChildren ?? [];
    const right = n.child("right")?.namedChildren ?? [];
    for (const [i, target] of left.entries()) {
      const t = unparen(target);
      if (t?.type === "index_expression" && norm(t.child("operand"), rename) === container) return true;
      const assigned = norm(target, rename);
      const v = unparen(right[i]);
      if (assigned === container && v && (v.type === "nil" || v.type === "composite_literal" || isPlainCall(v, "make"))) return true;
      // `*v = T{…}` without the container among its fields zeroes it.
      if (assigned === `*${whole}` && v?.type === "composite_literal" && !containsTruncationOf(v, container, rename)) return true;
    }
  }
  return false;
}

function containsTruncationOf(literal: GoNode, container: string, rename: (id: GoNode) => string | undefined): boolean {
  return literal.descendants("slice_expression").some((s) => isTruncation(s) && norm(s.child("operand"), rename) === container);
}

/** `x[:cap(x)]` → `x` (clearing up to the capacity clears the slice). */
function stripSlicing(e: GoNode): GoNode | undefined {
  let u = unparen(e);
  while (u?.type === "slice_expression") u = unparen(u.child("operand"));
  return u;
}

/** A canonical spelling of an access path (`(*bp)` → `*bp`, the value's name in a helper → its name at the Put). */
function norm(e: GoNode | undefined, rename: (id: GoNode) => string | undefined): string {
  const u = unparen(e);
  if (!u) return "";
  switch (u.type) {
    case "identifier":
      return rename(u) ?? `?${u.text}`;
    case "selector_expression": {
      const operand = norm(u.child("operand"), rename);
      return `${operand.startsWith("*") ? operand.slice(1) : operand}.${u.child("field")?.text ?? ""}`;
    }
    case "unary_expression":
      return u.child("operator")?.text === "*" ? `*${norm(u.child("operand"), rename)}` : u.text;
    default:
      return `?${u.text}`;
  }
}

/** What the value put back held that was cleared, by access path: `clear(v.items)`, `v.Reset()`, `v.conn = nil`, a zeroing loop. */
function clearedTargets(put: PoolPut): Map<string, GoNode> {
  const out = new Map<string, GoNode>();
  const value = unparen(put.value);
  const root = value && rootIdentifier(value);
  const at = putSite(put);
  if (!root || !at) return out;
  const decl = declarationOf(root);
  const rename = (id: GoNode) => (id.text === root.text && declarationOf(id) === decl ? root.text : undefined);
  for (const n of at.fn.descendants("call_expression", "assignment_statement")) {
    if (n.type === "call_expression") {
      const { receiver, name, args } = callParts(n);
      const target = isPlainCall(n, "clear") ? norm(stripSlicing(args[0]!), rename) : RESETTING.test(name) ? norm(receiver ?? args[0], rename) : undefined;
      if (target && belongsTo(target, root.text) && !out.has(target)) out.set(target, n);
      continue;
    }
    if (n.child("operator")?.text !== "=") continue;
    const left = n.child("left")?.namedChildren ?? [];
    const right = n.child("right")?.namedChildren ?? [];
    left.forEach((target, i) => {
      const t = unparen(target);
      const path = t?.type === "index_expression" ? norm(t.child("operand"), rename) : norm(target, rename);
      if (belongsTo(path, root.text) && path !== root.text && isZeroValue(right[i]) && !out.has(path)) out.set(path, n);
    });
  }
  return out;
}

/** `nil`, `T{}`, `""`, `0`, `false`, `x[:0]`, `make(…)`. */
function isZeroValue(e: GoNode | undefined): boolean {
  const u = unparen(e);
  if (!u) return false;
  if (u.type === "nil" || u.type === "false" || (u.type === "int_literal" && /^0+$/.test(u.text)) || u.text === '""') return true;
  if (u.type === "composite_literal") return (u.child("body")?.namedChildren.length ?? 0) === 0;
  return isTruncation(u) || isPlainCall(u, "make");
}

/** Reports the head's Put when the base cleared something of the value before putting it back that the head no longer clears. */
function compare(ctx: ChangeContext, old: PoolPut, now: PoolPut): void {
  const before = clearedTargets(old);
  if (before.size === 0) return;
  const after = clearedTargets(now);
  const root = rootIdentifier(unparen(now.value))?.text ?? "";
  // A reset of the whole value covers its parts.
  const wholeReset = after.has(root) || after.has(`*${root}`);
  const lost = [...before].filter(([path]) => !wholeReset && ![...after.keys()].some((p) => path === p || path.startsWith(`${p}.`)));
  if (lost.length === 0) return;
  const [path, op] = lost[0]!;
  ctx.report({
    node: now.call,
    message: `The base version cleared \`${path.replace(/^\?/, "")}\` before putting \`${now.value.text}\` back into the pool (\`${firstLine(op.text)}\` at line ${ctx.baseLineOf(op)} of the base); this change removed that, so the pooled value now keeps what the last user stored there (and everything it points to) alive, and hands it to the next Get. Restore the reset before \`${callSummary(now.call)}\`.`,
  });
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}

export default rule;
