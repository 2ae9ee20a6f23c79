/**
 * Moves: a call that passes `x` (or `x[…]`, `x[i:j]`, or `x.f`) to a callee's `owned`
 * parameter — or calls an `owned`-receiver method on `x` — moves it; the caller must not use it
 * afterwards. The later use is looked for along the code's shape: the statements after the
 * call, then after each enclosing statement, stopping where the path ends (return, break,
 * continue, panic) or `x` gets a new value. Other branches of the same `if`/`switch` and the
 * next iteration of a loop are not "after". A move in a `defer` happens at exit (never checked).
 * An owned parameter whose type holds no pointers (a string, a number) is copied, so nothing
 * moves; `len`/`cap`/`== nil` of the moved slice or pointer read the caller's own copy and are not
 * uses (`len` of a moved map is).
 */
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { runsInline } from "../analysis/channels.js";
import { enclosingStatement, followingStatements, isExitCall, isPlainCall, statementsOf, unparen } from "../analysis/syntax.js";
import { calleeOf, parameterAt, type Callee } from "./calls.js";
import { nodeType, pointerFree, shapeOf, typeOfExpr } from "../analysis/types.js";

export interface Move {
  call: GoNode;
  /** The argument (or method receiver) expression that is moved. */
  arg: GoNode;
  /** The declaring identifier of the moved variable. */
  decl: GoNode;
  /** Fields after the variable: `["f"]` when `x.f` is moved. */
  path: string[];
  /** The callee's owned parameter (or receiver) name. */
  param: string;
  callee: Callee;
}

/** The moves made by a call (none when its callee has no `owned` parameters or the call runs at exit). */
export function movesOf(call: GoNode, file: FileScope, scopes: readonly string[]): Move[] {
  const callee = calleeOf(call, file, scopes);
  if (!callee || callee.contract.owned.size === 0 || runsAtExit(call)) return [];
  const out: Move[] = [];
  const add = (arg: GoNode | undefined, param: string) => {
    const place = movedPlace(arg);
    if (place) out.push({ call, arg: arg!, decl: place.decl, path: place.path, param, callee });
  };
  const fn = unparen(call.child("function"));
  const receiver = callee.fn.child("receiver")?.namedChildren[0]?.child("name")?.text;
  if (receiver && callee.contract.owned.has(receiver) && fn?.type === "selector_expression") add(fn.child("operand"), receiver);
  (call.child("arguments")?.namedChildren ?? []).forEach((arg, i) => {
    const param = parameterAt(callee.fn, i);
    if (!param || !callee.contract.owned.has(param.name)) return;
    // A string, a number or a struct of those is copied: there is nothing to hand over.
    // (`f(xs...)` hands over the slice itself; each trailing argument is one element.)
    if (arg.type !== "variadic_argument" && pointerFree(nodeType(param.type, callee.file)) === true) return;
    add(arg.type === "variadic_argument" ? arg.namedChildren[0] : arg, param.name);
  });
  return out;
}

/** A call in a `defer` statement, or in a deferred func literal, runs when the function returns. */
function runsAtExit(call: GoNode): boolean {
  if (call.parent?.type === "defer_statement") return true;
  for (const a of call.ancestors()) {
    if (a.type !== "func_literal") continue;
    if (!runsInline(a)) return false;
    let e: GoNode = a;
    while (e.parent?.type === "parenthesized_expression") e = e.parent;
    if (e.parent?.parent?.type === "defer_statement") return true;
  }
  return false;
}

/** `x`, `x[…]`, `x[i:j]`, `x.f`, `x.f[i:j]` of a local variable or parameter: its declaration and field path. */
function movedPlace(arg: GoNode | undefined): { decl: GoNode; path: string[] } | undefined {
  let e = unparen(arg);
  while (e?.type === "index_expression" || e?.type === "slice_expression") e = unparen(e.child("operand"));
  const path: string[] = [];
  while (e?.type === "selector_expression") {
    path.unshift(e.child("field")?.text ?? "");
    e = unparen(e.child("operand"));
  }
  if (e?.type !== "identifier") return undefined;
  const decl = declarationOf(e);
  return decl ? { decl, path } : undefined;
}

type Scan = { kind: "use"; node: GoNode } | { kind: "stop" } | { kind: "through" };
const THROUGH: Scan = { kind: "through" };
const STOP: Scan = { kind: "stop" };
const MAX_NESTING = 60;

/** The first use of a moved variable on a path that continues after the move, if any. */
export function firstUseAfterMove(move: Move, file: FileScope): GoNode | undefined {
  const scanner = new MoveScanner(move, file);
  const stmt = enclosingStatement(move.call);
  if (!stmt || scanner.reassignedBy(stmt)) return undefined;
  const rest = scanner.restOf(stmt);
  if (rest.kind === "use") return rest.node;
  if (rest.kind === "stop") return undefined;
  let cur = stmt;
  for (;;) {
    const r = scanner.statements(followingStatements(cur), 0);
    if (r.kind === "use") return r.node;
    if (r.kind === "stop") return undefined;
    const owner = cur.parent?.parent;
    const outer = owner ? enclosingStatement(owner) : undefined;
    if (!outer) return undefined;
    cur = outer;
  }
}

class MoveScanner {
  private readonly refs: GoNode[];

  constructor(
    private readonly move: Move,
    private readonly file: FileScope,
  ) {
    this.refs = referencesOf(move.decl).filter((r) => !r.within(move.call));
  }

  /** The statement of the move gives the variable a new value: `x = w.Reuse(x)`. */
  reassignedBy(stmt: GoNode): boolean {
    if (stmt.type !== "assignment_statement" && stmt.type !== "short_var_declaration") return false;
    const op = stmt.child("operator")?.text ?? (stmt.type === "short_var_declaration" ? ":=" : "=");
    return (op === "=" || op === ":=") && (stmt.child("left")?.namedChildren ?? []).some((t) => this.reassigns(t));
  }

  /** When the move is in the header of an `if`/`switch`, the branches after it. */
  restOf(stmt: GoNode): Scan {
    const call = this.move.call;
    if (stmt.type === "if_statement") {
      const header = [stmt.child("initializer"), stmt.child("condition")];
      if (!header.some((h) => h && call.within(h))) return THROUGH;
      const cond = this.firstUse(stmt.child("condition"), call.end);
      if (cond) return { kind: "use", node: cond };
      return this.branches(stmt, 0);
    }
    if (stmt.type === "expression_switch_statement" || stmt.type === "type_switch_statement") {
      const header = [stmt.child("initializer"), stmt.child("value")];
      if (!header.some((h) => h && call.within(h))) return THROUGH;
      return this.cases(stmt, 0);
    }
    return THROUGH;
  }

  statements(stmts: GoNode[], depth: number): Scan {
    for (const s of stmts) {
      const r = this.statement(s, depth);
      if (r.kind !== "through") return r;
    }
    return THROUGH;
  }

  private statement(s: GoNode, depth: number): Scan {
    if (depth > MAX_NESTING) return STOP;
    switch (s.type) {
      case "if_statement": {
        const init = s.child("initializer");
        if (init) {
          const r = this.statement(init, depth + 1);
          if (r.kind !== "through") return r;
        }
        const cond = this.firstUse(s.child("condition"));
        if (cond) return { kind: "use", node: cond };
        return this.branches(s, depth);
      }
      case "for_statement": {
        for (const c of s.children) {
          if (c.field === "body" || !c.named) continue;
          const use = this.firstUse(c);
          if (use) return { kind: "use", node: use };
        }
        const body = this.statements(statementsOf(s.child("body")), depth + 1);
        return body.kind === "use" ? body : THROUGH;
      }
      case "expression_switch_statement":
      case "type_switch_statement":
      case "select_statement": {
        const init = s.child("initializer");
        if (init) {
          const r = this.statement(init, depth + 1);
          if (r.kind !== "through") return r;
        }
        const value = this.firstUse(s.child("value"));
        if (value) return { kind: "use", node: value };
        return this.cases(s, depth);
      }
      case "block":
        return this.statements(statementsOf(s), depth + 1);
      case "labeled_statement": {
        const inner = s.namedChildren[1];
        return inner ? this.statement(inner, depth + 1) : THROUGH;
      }
      case "return_statement":
      case "goto_statement":
      case "break_statement":
      case "continue_statement":
      case "fallthrough_statement": {
        const use = this.firstUse(s);
        return use ? { kind: "use", node: use } : STOP;
      }
      case "expression_statement": {
        const use = this.firstUse(s);
        if (use) return { kind: "use", node: use };
        const call = s.namedChildren[0];
        return call?.type === "call_expression" && isExitCall(call) ? STOP : THROUGH;
      }
      case "assignment_statement":
      case "short_var_declaration": {
        const use = this.firstUse(s.child("right"));
        if (use) return { kind: "use", node: use };
        const op = s.child("operator")?.text ?? (s.type === "short_var_declaration" ? ":=" : "=");
        let reassigned = false;
        for (const target of s.child("left")?.namedChildren ?? []) {
          if ((op === "=" || op === ":=") && this.reassigns(target)) {
            reassigned = true;
            continue;
          }
          const u = this.firstUse(target);
          if (u) return { kind: "use", node: u };
        }
        return reassigned ? STOP : THROUGH;
      }
      default: {
        const use = this.firstUse(s);
        return use ? { kind: "use", node: use } : THROUGH;
      }
    }
  }

  /** Both branches of an if (the header already scanned). */
  private branches(s: GoNode, depth: number): Scan {
    const then = this.statements(statementsOf(s.child("consequence")), depth + 1);
    const alt = s.child("alternative");
    const other = !alt ? THROUGH : alt.type === "if_statement" ? this.statement(alt, depth + 1) : this.statements(statementsOf(alt), depth + 1);
    return combine([then, other]);
  }

  /** Every case of a switch or select (the header already scanned). */
  private cases(s: GoNode, depth: number): Scan {
    const cases = s.namedChildren.filter((c) => c.type === "expression_case" || c.type === "type_case" || c.type === "default_case" || c.type === "communication_case");
    const results: Scan[] = [];
    for (const c of cases) {
      const head = this.firstUse(c.child("value") ?? c.child("communication"));
      results.push(head ? { kind: "use", node: head } : this.statements(statementsOf(c), depth + 1));
    }
    const exhaustive = s.type === "select_statement" || cases.some((c) => c.type === "default_case");
    if (!exhaustive) results.push(THROUGH);
    return combine(results);
  }

  /** The first reference inside `node` (after offset `from`) that uses the moved value. */
  private firstUse(node: GoNode | undefined, from = -1): GoNode | undefined {
    if (!node) return undefined;
    for (const ref of this.refs) {
      if (ref.start < from || !ref.within(node)) continue;
      const moved = this.movedExpression(ref);
      if (moved && !harmless(moved, this.file)) return ref;
    }
    return undefined;
  }

  /** For a moved `x.f`, only `x.f…` is the moved value (the `x.f` node); for a moved `x`, any `x`. */
  private movedExpression(ref: GoNode): GoNode | undefined {
    let e: GoNode = ref;
    for (const field of this.move.path) {
      const sel = e.parent;
      if (sel?.type !== "selector_expression" || e.field !== "operand" || sel.child("field")?.text !== field) return undefined;
      e = sel;
    }
    return e;
  }

  /** `x = …`, `x, err = …`, `x := …` reusing `x` (and `x.f = …` for a moved `x.f`). */
  private reassigns(target: GoNode): boolean {
    const t = unparen(target);
    if (t?.type === "identifier") return declarationOf(t) === this.move.decl;
    let path: string[] = [];
    let e = t;
    while (e?.type === "selector_expression") {
      path = [e.child("field")?.text ?? "", ...path];
      e = unparen(e.child("operand"));
    }
    return e?.type === "identifier" && declarationOf(e) === this.move.decl && path.length > 0 && path.join(".") === this.move.path.join(".");
  }
}

/**
 * `len(x)`, `cap(x)`, `x == nil`, `x != nil` read only the caller's own header, not the moved
 * memory — except `len` of a map, which reads the map the callee now owns.
 */
function harmless(moved: GoNode, file: FileScope): boolean {
  let e = moved;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (p?.type === "argument_list" && p.parent && isPlainCall(p.parent, "len", "cap")) return shapeOf(typeOfExpr(moved, file)) !== "map";
  if (p?.type === "binary_expression" && /^(==|!=)$/.test(p.child("operator")?.text ?? "")) {
    const other = p.child("left") === e ? p.child("right") : p.child("left");
    return other?.type === "nil";
  }
  return false;
}

/** Joins the outcomes of alternative paths: the earliest use; stop only when every path stops. */
function combine(results: Scan[]): Scan {
  const uses = results.filter((r): r is { kind: "use"; node: GoNode } => r.kind === "use");
  if (uses.length > 0) return uses.reduce((a, b) => (b.node.start < a.node.start ? b : a));
  return results.every((r) => r.kind === "stop") ? STOP : THROUGH;
}
