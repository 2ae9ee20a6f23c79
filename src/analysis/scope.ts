/**
 * Local def-use: which declaration an identifier refers to, and every use of a declaration.
 *
 * Scopes follow Go's rules closely enough for intra-function tracking: statement lists,
 * `for`/`if`/`switch` headers, select cases, type-switch aliases and function parameters.
 * An identifier that no local scope declares resolves to `undefined` (package level or unknown).
 */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { isFunction } from "./syntax.js";

const declCache = new WeakMap<GoNode, GoNode | null>();
const identCache = new WeakMap<GoNode, Map<string, GoNode[]>>();
const listCache = new WeakMap<GoNode, Map<string, { stmt: GoNode; declared: GoNode }[]>>();

/** The identifier node that declares the variable `id` refers to, or undefined. */
export function declarationOf(id: GoNode): GoNode | undefined {
  const cached = declCache.get(id);
  if (cached !== undefined) return cached ?? undefined;
  const found = resolve(id);
  declCache.set(id, found ?? null);
  return found;
}

/** True when `a` and `b` are identifiers of the same local variable. */
export function sameVariable(a: GoNode | undefined, b: GoNode | undefined): boolean {
  if (!a || !b || a.type !== "identifier" || b.type !== "identifier" || a.text !== b.text) return false;
  const da = declarationOf(a);
  return da !== undefined && da === declarationOf(b);
}

/** Every identifier (declaration included) that refers to `decl`, in source order. */
export function usesOf(decl: GoNode): GoNode[] {
  const scope = scopeFunction(decl);
  if (!scope) return [decl];
  return identifiersNamed(scope, decl.text).filter((id) => id === decl || declarationOf(id) === decl);
}

/** Uses of `decl` other than the declaring identifier itself. */
export function referencesOf(decl: GoNode): GoNode[] {
  return usesOf(decl).filter((id) => id !== decl);
}

/** The function whose body bounds the variable's scope. */
export function scopeFunction(decl: GoNode): GoNode | undefined {
  for (const a of decl.ancestors()) if (isFunction(a)) return a;
  return undefined;
}

function identifiersNamed(scope: GoNode, name: string): GoNode[] {
  let byName = identCache.get(scope);
  if (!byName) {
    byName = new Map();
    const map = byName;
    scope.walk((n) => {
      if (n.type === "identifier") {
        const list = map.get(n.text);
        if (list) list.push(n);
        else map.set(n.text, [n]);
      }
    });
    identCache.set(scope, byName);
  }
  return byName.get(name) ?? [];
}

/**
 * For a node and a name: what the name resolves to, from inside the node, through the scopes
 * around it (null: not locally). For the node types below that does not depend on where inside
 * the node the use is (none of them can hold the declaring identifier of a statement around it:
 * those sit directly in an `expression_list`, a spec or a parameter), so the identifiers of a
 * deeply nested function or a long expression chain need not each walk all the way up.
 */
const outwardCache = new WeakMap<GoNode, Map<string, GoNode | null>>();
const OUTWARD_MEMO = new Set([
  "block", "if_statement", "for_statement", "expression_switch_statement", "type_switch_statement", "select_statement",
  "func_literal", "expression_statement", "return_statement", "go_statement", "defer_statement",
  "binary_expression", "unary_expression", "parenthesized_expression", "call_expression", "argument_list",
  "selector_expression", "index_expression", "slice_expression", "type_assertion_expression",
  "composite_literal", "literal_value", "literal_element", "keyed_element",
]);

function resolve(id: GoNode): GoNode | undefined {
  const name = id.text;
  let child: GoNode = id;
  const passed: Map<string, GoNode | null>[] = [];
  let found: GoNode | undefined;
  for (const scope of id.ancestors()) {
    if (OUTWARD_MEMO.has(child.type)) {
      let byName = outwardCache.get(child);
      const known = byName?.get(name);
      if (known !== undefined) {
        found = known ?? undefined;
        break;
      }
      if (!byName) outwardCache.set(child, (byName = new Map()));
      passed.push(byName);
    }
    found = declaredIn(scope, child, id, name);
    if (found) break;
    if (scope.type === "function_declaration" || scope.type === "method_declaration") break;
    child = scope;
  }
  for (const byName of passed) byName.set(name, found ?? null);
  return found;
}

/** A declaration of `name` made by `scope` that is visible at `use` (which lies in `child`). */
function declaredIn(scope: GoNode, child: GoNode, use: GoNode, name: string): GoNode | undefined {
  switch (scope.type) {
    case "statement_list": {
      for (const { stmt, declared } of declarationsIn(scope, name)) {
        if (stmt.start > use.start) break;
        if (stmt.type === "short_var_declaration" && isParameterOfBody(scope, name)) continue;
        // The new variable is in scope after its statement, or at its own declaring occurrence.
        if (stmt.end <= use.start || declared === use) return declared;
        if (stmt === child && stmt.type === "short_var_declaration" && use.within(stmt.child("left") ?? stmt)) return declared;
      }
      return undefined;
    }
    case "for_statement": {
      const header = scope.children.find((c) => c.type === "for_clause" || c.type === "range_clause");
      // The ranged expression is evaluated outside the loop: `for i, x := range i.Items()` reads the outer `i`.
      const ranged = header?.type === "range_clause" ? header.child("right") : undefined;
      if (!header || (ranged && use.within(ranged))) return undefined;
      if (header.type === "range_clause") {
        if (header.children.some((c) => c.text === ":=")) return findIdentifier(header.child("left"), name);
        return undefined;
      }
      const init = header.child("initializer");
      // `for n := n; …`: the initial value is read before the loop variable exists.
      const value = init?.type === "short_var_declaration" ? init.child("right") : undefined;
      if (!init || !value || use.within(value)) return undefined;
      return findIdentifier(init.child("left"), name);
    }
    case "if_statement":
    case "expression_switch_statement":
    case "type_switch_statement": {
      const init = scope.child("initializer");
      // Visible in the rest of the statement, and at its own declaring occurrence.
      if (init?.type === "short_var_declaration" && (child !== init || use.within(init.child("left") ?? init))) {
        const found = findIdentifier(init.child("left"), name);
        if (found) return found;
      }
      if (scope.type === "type_switch_statement" && child.type === "type_case") {
        return findIdentifier(scope.child("alias"), name);
      }
      return undefined;
    }
    case "communication_case": {
      const comm = scope.child("communication");
      if (comm?.type === "receive_statement" && child !== comm && comm.children.some((c) => c.text === ":=")) {
        return findIdentifier(comm.child("left"), name);
      }
      if (comm?.type === "receive_statement" && child === comm && use.within(comm.child("left") ?? comm) && comm.children.some((c) => c.text === ":=")) {
        return findIdentifier(comm.child("left"), name);
      }
      return undefined;
    }
    case "func_literal":
    case "function_declaration":
    case "method_declaration": {
      for (const field of ["receiver", "parameters", "result"]) {
        const list = scope.child(field);
        if (!list || list.type !== "parameter_list") continue;
        for (const p of list.namedChildren) {
          const found = p.childrenOf("name").find((n) => n.text === name);
          if (found) return found;
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `:=` in a function body's outermost block reuses a parameter or result of that name (`f, err := …` with a named result `f`). */
function isParameterOfBody(list: GoNode, name: string): boolean {
  const block = list.parent;
  const fn = block?.parent;
  if (!block || !fn || block.field !== "body" || !isFunction(fn)) return false;
  return declaredIn(fn, block, list, name) !== undefined;
}

/** The statements of a statement list that declare `name`, in order, each with its first identifier of that name (indexed once per list). */
function declarationsIn(list: GoNode, name: string): { stmt: GoNode; declared: GoNode }[] {
  let byName = listCache.get(list);
  if (!byName) {
    byName = new Map();
    for (const stmt of list.namedChildren) {
      for (const declared of declaredIdentifiers(stmt)) {
        const entries = byName.get(declared.text);
        if (!entries) byName.set(declared.text, [{ stmt, declared }]);
        else if (entries[entries.length - 1]!.stmt !== stmt) entries.push({ stmt, declared });
      }
    }
    listCache.set(list, byName);
  }
  return byName.get(name) ?? [];
}

/** The identifiers a statement declares: `a, b := …`, `var`/`const` specs, behind any labels (`L1: L2: x := …`). */
function declaredIdentifiers(statement: GoNode): GoNode[] {
  let stmt: GoNode | undefined = statement;
  while (stmt?.type === "labeled_statement") stmt = stmt.namedChildren[1];
  switch (stmt?.type) {
    case "short_var_declaration": {
      const left = stmt.child("left");
      if (!left) return [];
      return left.type === "identifier" ? [left] : left.namedChildren.filter((n) => n.type === "identifier");
    }
    case "var_declaration":
    case "const_declaration":
      return stmt.descendants("var_spec", "const_spec").flatMap((spec) => spec.childrenOf("name"));
    default:
      return [];
  }
}

function findIdentifier(list: GoNode | undefined, name: string): GoNode | undefined {
  if (!list) return undefined;
  if (list.type === "identifier") return list.text === name ? list : undefined;
  return list.namedChildren.find((n) => n.type === "identifier" && n.text === name);
}

/** How a local variable gets its first value: the declaring statement, declared type, bound expression and which of its results. */
export interface Initializer {
  statement: GoNode;
  /** The declared type (`var x T`, a parameter's type), if written. */
  type: GoNode | undefined;
  /** The expression bound to the variable (for `a, b := f()`, the call for both, with `resultIndex` 0 and 1). */
  value: GoNode | undefined;
  resultIndex: number;
}

/** The declaration of a variable from its declaring identifier: `x := e`, `var x T = e`, a parameter; undefined for range/switch bindings. */
export function initializerOf(decl: GoNode): Initializer | undefined {
  const parent = decl.parent;
  if (!parent) return undefined;
  if (parent.type === "var_spec" && decl.field === "name") {
    const names = parent.childrenOf("name");
    const index = names.indexOf(decl);
    return { statement: parent, type: parent.child("type"), ...matchValue(parent.child("value"), index, names.length) };
  }
  if (parent.type === "parameter_declaration" || parent.type === "variadic_parameter_declaration") {
    return { statement: parent, type: parent.child("type"), value: undefined, resultIndex: 0 };
  }
  const stmt = parent.parent;
  if (parent.type === "expression_list" && parent.field === "left" && stmt?.type === "short_var_declaration") {
    const names = parent.namedChildren;
    return { statement: stmt, type: undefined, ...matchValue(stmt.child("right"), names.indexOf(decl), names.length) };
  }
  return undefined;
}

/** Later plain assignments to a local variable (`x = e`, `x, err = f()`): each with the value and result index; `x += e` etc. give no value. */
export function assignmentsTo(decl: GoNode): { statement: GoNode; value: GoNode | undefined; resultIndex: number }[] {
  const out: { statement: GoNode; value: GoNode | undefined; resultIndex: number }[] = [];
  for (const use of referencesOf(decl)) {
    const list = use.parent;
    const stmt = list?.parent;
    if (list?.type !== "expression_list" || list.field !== "left" || !stmt) continue;
    if (stmt.type !== "assignment_statement" && stmt.type !== "short_var_declaration") continue;
    const names = list.namedChildren;
    const op = stmt.child("operator")?.text ?? "=";
    if (op !== "=" && op !== ":=") {
      out.push({ statement: stmt, value: undefined, resultIndex: 0 });
      continue;
    }
    out.push({ statement: stmt, ...matchValue(stmt.child("right"), names.indexOf(use), names.length) });
  }
  for (const use of referencesOf(decl)) {
    const stmt = use.parent;
    if ((stmt?.type === "inc_statement" || stmt?.type === "dec_statement") && stmt.namedChildren[0] === use) {
      out.push({ statement: stmt, value: undefined, resultIndex: 0 });
    }
  }
  return out.sort((a, b) => a.statement.start - b.statement.start);
}

function matchValue(list: GoNode | undefined, index: number, count: number): { value: GoNode | undefined; resultIndex: number } {
  const values = list ? (list.type === "expression_list" ? list.namedChildren : [list]) : [];
  if (values.length === count) return { value: values[index], resultIndex: 0 };
  if (values.length === 1) return { value: values[0], resultIndex: index };
  return { value: undefined, resultIndex: 0 };
}

/** The package-level `var_spec`/`const_spec`/`type_spec` of this file that an identifier refers to (undefined when a local declaration shadows it or the name is declared elsewhere). */
export function packageLevelSpec(id: GoNode, file: FileScope): GoNode | undefined {
  if (id.type !== "identifier" || declarationOf(id)) return undefined;
  return file.packageLevel(id.text);
}

/** The local variables a func literal captures from its enclosing functions: their declaring identifiers, once each, in order of first use. */
export function capturedVariables(literal: GoNode): GoNode[] {
  const out: GoNode[] = [];
  literal.walk((n) => {
    if (n.type !== "identifier") return;
    // `Field` in `T{Field: v}` names a field, not a variable.
    if (n.parent?.type === "literal_element" && n.parent.field === "key") return;
    const decl = declarationOf(n);
    if (decl && !decl.within(literal) && !out.includes(decl)) out.push(decl);
  });
  return out;
}

/** True when the qualifier of `pkg.F(…)` (or `pkg.F`) is a local variable or parameter that shadows the import. */
export function qualifierIsLocal(node: GoNode): boolean {
  let sel: GoNode | undefined = node.type === "call_expression" ? node.child("function") : node;
  while (sel?.type === "parenthesized_expression") sel = sel.namedChildren[0];
  const operand = sel?.type === "selector_expression" ? sel.child("operand") : undefined;
  return operand?.type === "identifier" && declarationOf(operand) !== undefined;
}
