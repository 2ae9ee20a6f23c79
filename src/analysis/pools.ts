/**
 * sync.Pool and sync.Map, resolved syntactically: which expressions are pools or maps this file
 * declares (`sync.Pool{…}`, `&sync.Pool{…}`, `var p sync.Pool`, parameters, struct fields typed
 * `sync.Pool`/`*sync.Pool`), the calls made on them, what a pool's `Get` hands out
 * (`P.Get().(*T)`), a pool's `New` function, and every `Get`/`Put` of one pool in the file.
 *
 * Shared by the pool rules and by lifetime contracts ("stored in a sync.Map/sync.Pool").
 */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf, initializerOf, referencesOf } from "./scope.js";
import { unparen } from "./syntax.js";
import { isDeclaredAs, isTypeNode, type TypeSpec } from "./typing.js";

export const POOL_TYPE: TypeSpec = { path: "sync", names: ["Pool"] };
export const SYNC_MAP_TYPE: TypeSpec = { path: "sync", names: ["Map"] };

/** sync.Map methods that store a value. */
export const SYNC_MAP_STORES = ["Store", "LoadOrStore", "Swap", "CompareAndSwap"] as const;

/** True when the file declares `expr` (a variable, parameter or field selector) as a `sync.Pool` or `*sync.Pool`. */
export function isPool(expr: GoNode | undefined, file: FileScope): boolean {
  return isDeclaredAs(expr, file, POOL_TYPE);
}

/** True when the file declares `expr` as a `sync.Map` or `*sync.Map`. */
export function isSyncMap(expr: GoNode | undefined, file: FileScope): boolean {
  return isDeclaredAs(expr, file, SYNC_MAP_TYPE);
}

/** A method call on a pool or sync.Map: `bufPool.Put(b)`, `s.cache.Store(k, v)`. */
export interface ContainerCall {
  call: GoNode;
  /** The receiver expression: `bufPool`, `s.cache`. */
  container: GoNode;
  method: string;
  args: readonly GoNode[];
}

/** `X.m(…)` with `m` in `methods`: the receiver, method and arguments; no type check. */
function methodCall(call: GoNode, methods: readonly string[]): ContainerCall | undefined {
  if (call.type !== "call_expression") return undefined;
  const fn = unparen(call.child("function"));
  if (fn?.type !== "selector_expression") return undefined;
  const method = fn.child("field")?.text ?? "";
  const container = fn.child("operand");
  if (!container || !methods.includes(method)) return undefined;
  return { call, container, method, args: call.child("arguments")?.namedChildren ?? [] };
}

/** `P.Get()` / `P.Put(x)` (or the given methods) on an expression the file declares as a sync.Pool. */
export function poolCall(call: GoNode, file: FileScope, methods: readonly string[] = ["Get", "Put"]): ContainerCall | undefined {
  const found = methodCall(call, methods);
  return found && isPool(found.container, file) ? found : undefined;
}

/** A call of one of `methods` (by default any) on an expression the file declares as a sync.Map. */
export function syncMapCall(call: GoNode, file: FileScope, methods?: readonly string[]): ContainerCall | undefined {
  const found = methodCall(call, methods ?? ["Load", "Store", "LoadOrStore", "LoadAndDelete", "Delete", "Swap", "CompareAndSwap", "CompareAndDelete", "Range", "Clear"]);
  return found && isSyncMap(found.container, file) ? found : undefined;
}

/** A call that hands a value to a pool or sync.Map memlint can see declared. */
export interface StoreCall extends ContainerCall {
  kind: "pool" | "map";
  /** The stored value: the argument of `Put`, the value of `Store`/`LoadOrStore`/`Swap`, the new value of `CompareAndSwap`. */
  value: GoNode | undefined;
  /** The key, for a sync.Map. */
  key: GoNode | undefined;
}

/** `P.Put(v)` on a sync.Pool or `M.Store/LoadOrStore/Swap/CompareAndSwap(k, …, v)` on a sync.Map the file declares. */
export function storeCall(call: GoNode, file: FileScope): StoreCall | undefined {
  const put = poolCall(call, file, ["Put"]);
  if (put) return { ...put, kind: "pool", value: put.args[0], key: undefined };
  const store = syncMapCall(call, file, SYNC_MAP_STORES);
  if (!store) return undefined;
  const value = store.method === "CompareAndSwap" ? store.args[2] : store.args[1];
  return { ...store, kind: "map", value, key: store.args[0] };
}

/** What one `P.Get()` hands out. */
export interface PoolGet extends ContainerCall {
  /** The type assertion applied directly to the call (`P.Get().(*T)`), if any. */
  assertion: GoNode | undefined;
  /** The asserted type node (`*T`). */
  type: GoNode | undefined;
  /** The assertion is the two-value form: `v, ok := P.Get().(*T)`. */
  commaOk: boolean;
}

/** For a `P.Get()` call on a pool the file declares: its direct type assertion, if any, and whether that is comma-ok. */
export function poolGet(call: GoNode, file: FileScope): PoolGet | undefined {
  const get = poolCall(call, file, ["Get"]);
  if (!get) return undefined;
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const assertion = e.parent?.type === "type_assertion_expression" && e.field === "operand" ? e.parent : undefined;
  return { ...get, assertion, type: assertion?.child("type"), commaOk: !!assertion && isCommaOk(assertion) };
}

/** `v, ok := x.(T)`, `v, ok = x.(T)`, `var v, ok = x.(T)`. */
function isCommaOk(assertion: GoNode): boolean {
  let e = assertion;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || !stmt || list.namedChildren.length !== 1) return false;
  if ((stmt.type === "short_var_declaration" || stmt.type === "assignment_statement") && list.field === "right") {
    return (stmt.child("left")?.namedChildren.length ?? 0) === 2;
  }
  return stmt.type === "var_spec" && list.field === "value" && stmt.childrenOf("name").length === 2;
}

/** The pool Get a local variable is initialised from (`v := P.Get().(*T)`, `v, ok := …`, `v := P.Get()`), if any. */
export function poolGetOfVariable(decl: GoNode, file: FileScope): PoolGet | undefined {
  const init = initializerOf(decl);
  if (!init || init.resultIndex !== 0) return undefined;
  let value = unparen(init.value);
  if (value?.type === "type_assertion_expression") value = unparen(value.child("operand"));
  return value?.type === "call_expression" ? poolGet(value, file) : undefined;
}

/** How a pool is named: a local variable, a package-level variable of this file, or a struct field (by field name). */
export type PoolBinding =
  | { kind: "local"; name: string; decl: GoNode }
  | { kind: "package"; name: string }
  | { kind: "field"; name: string };

/** The binding a pool receiver expression names: `p` (local or package level), `s.pool` (field `pool`). */
export function poolBindingOf(expr: GoNode | undefined): PoolBinding | undefined {
  const e = unparen(expr);
  if (e?.type === "identifier") {
    const decl = declarationOf(e);
    return decl ? { kind: "local", name: e.text, decl } : { kind: "package", name: e.text };
  }
  if (e?.type === "selector_expression") {
    const field = e.child("field")?.text;
    return field ? { kind: "field", name: field } : undefined;
  }
  return undefined;
}

/**
 * The binding a pool value is stored in: `var p = sync.Pool{…}`, `p := &sync.Pool{…}`,
 * `s.pool = sync.Pool{…}`, `S{pool: sync.Pool{…}}`. Undefined for other places (returned, passed).
 */
export function poolBindingOfValue(value: GoNode): PoolBinding | undefined {
  let e = value;
  while (e.parent?.type === "parenthesized_expression" || (e.parent?.type === "unary_expression" && e.parent.child("operator")?.text === "&")) e = e.parent;
  const parent = e.parent;
  if (parent?.type === "literal_element" && parent.field === "value" && parent.parent?.type === "keyed_element") {
    const key = parent.parent.child("key")?.namedChildren[0];
    return key?.type === "identifier" ? { kind: "field", name: key.text } : undefined;
  }
  if (parent?.type !== "expression_list") return undefined;
  const stmt = parent.parent;
  const index = parent.namedChildren.indexOf(e);
  if (stmt?.type === "var_spec" && parent.field === "value") {
    const name = stmt.childrenOf("name")[index];
    if (!name || parent.namedChildren.length !== stmt.childrenOf("name").length) return undefined;
    return isPackageLevel(stmt) ? { kind: "package", name: name.text } : { kind: "local", name: name.text, decl: name };
  }
  if ((stmt?.type === "short_var_declaration" || stmt?.type === "assignment_statement") && parent.field === "right") {
    const targets = stmt.child("left")?.namedChildren ?? [];
    if (targets.length !== parent.namedChildren.length) return undefined;
    const target = unparen(targets[index]);
    if (stmt.type === "short_var_declaration") return target?.type === "identifier" ? { kind: "local", name: target.text, decl: target } : undefined;
    return poolBindingOf(target);
  }
  return undefined;
}

function isPackageLevel(spec: GoNode): boolean {
  for (const a of spec.ancestors()) {
    if (a.type === "source_file") return true;
    if (a.type === "block" || a.type === "func_literal" || a.type === "function_declaration" || a.type === "method_declaration") return false;
  }
  return true;
}

/** Calls of `methods` on the pool a binding names, anywhere in the file (untouched declarations included). */
export function poolCallsOf(binding: PoolBinding, file: FileScope, methods: readonly string[]): ContainerCall[] {
  const out: ContainerCall[] = [];
  if (binding.kind === "local") {
    for (const use of referencesOf(binding.decl)) {
      const sel = use.parent;
      const call = sel?.parent;
      if (sel?.type !== "selector_expression" || use.field !== "operand" || call?.type !== "call_expression" || sel.field !== "function") continue;
      const found = methodCall(call, methods);
      if (found) out.push(found);
    }
    return out;
  }
  const seen = new Set<GoNode>();
  for (const decl of file.declarationsMentioning(binding.name)) {
    for (const call of decl.descendants("call_expression")) {
      if (seen.has(call)) continue;
      const found = methodCall(call, methods);
      const receiver = unparen(found?.container);
      if (!found || !receiver) continue;
      const matches =
        binding.kind === "package"
          ? receiver.type === "identifier" && receiver.text === binding.name && !declarationOf(receiver)
          : receiver.type === "selector_expression" && receiver.child("field")?.text === binding.name && isPool(receiver, file);
      if (!matches) continue;
      seen.add(call);
      out.push(found);
    }
  }
  return out.sort((a, b) => a.call.start - b.call.start);
}

/** A `New` function given to a pool: the func literal and the binding of that pool (when it is named). */
export interface PoolNew {
  func: GoNode;
  binding: PoolBinding | undefined;
  /** The `New: func…` keyed element or the `P.New = func…` assignment. */
  node: GoNode;
}

/**
 * For a `New: func() any {…}` keyed element of a `sync.Pool{…}` literal, or an assignment
 * `P.New = func() any {…}` to a pool the file declares: the literal and the pool's binding.
 */
export function poolNewOf(node: GoNode, file: FileScope): PoolNew | undefined {
  if (node.type === "keyed_element") {
    const key = node.child("key")?.namedChildren[0];
    const func = unparen(node.child("value")?.namedChildren[0]);
    const literal = node.parent?.parent;
    if (key?.type !== "identifier" || key.text !== "New" || func?.type !== "func_literal") return undefined;
    if (literal?.type !== "composite_literal" || !isTypeNode(literal.child("type"), file, POOL_TYPE)) return undefined;
    return { func, binding: poolBindingOfValue(literal), node };
  }
  if (node.type === "assignment_statement" && node.child("operator")?.text === "=") {
    const left = node.child("left")?.namedChildren ?? [];
    const right = node.child("right")?.namedChildren ?? [];
    if (left.length !== 1 || right.length !== 1) return undefined;
    const target = unparen(left[0]);
    const func = unparen(right[0]);
    if (target?.type !== "selector_expression" || target.child("field")?.text !== "New" || func?.type !== "func_literal") return undefined;
    const pool = target.child("operand");
    if (!isPool(pool, file)) return undefined;
    return { func, binding: poolBindingOf(pool), node };
  }
  return undefined;
}

/** True when two receiver expressions name the same pool: the same local variable, package-level name or field path. */
export function samePool(a: GoNode, b: GoNode): boolean {
  const x = unparen(a);
  const y = unparen(b);
  if (!x || !y || x.text !== y.text) return false;
  const rootX = rootOf(x);
  const rootY = rootOf(y);
  if (!rootX || !rootY) return false;
  return declarationOf(rootX) === declarationOf(rootY);
}

function rootOf(e: GoNode): GoNode | undefined {
  let n: GoNode | undefined = e;
  while (n?.type === "selector_expression") n = unparen(n.child("operand"));
  return n?.type === "identifier" ? n : undefined;
}
