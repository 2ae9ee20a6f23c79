/**
 * Moves: a call that passes `x` (or `x[…]`, `x[i:j]`, or `x.f`) to a callee's `owned`
 * parameter — or calls an `owned`-receiver method on `x` — moves it; the caller must not use it
 * afterwards. The later use is looked for on the function's control-flow graph: on every path
 * from the move (from the end of the moving call within its own statement) up to where `x` gets
 * a new value. Other branches of the same `if`/`switch` are not after the move; a `fallthrough`,
 * a labelled `break`/`continue` or a `goto` leads where it jumps; a return, a panic or an exit
 * call ends the path. The next round of a loop is after the move: `buf = append(buf[:0], m...)`
 * at the top of a loop body that moves `buf` writes into memory the new owner may still use, and
 * moving the same `buf` in each round hands it over again — both are reported, unless the round
 * gives `x` a new value first (`x := …` in the body, `x = make(…)`, the range variable itself).
 *
 * A move in a `defer` happens at exit (never checked). A move in a func literal called in place
 * continues after the call in the enclosing function; in a goroutine or a callback kept for
 * later, only the literal's own body is after it. An owned parameter whose type holds no
 * pointers (a string, a number) is copied, so nothing moves; `len`/`cap`/`== nil` of the moved
 * slice or pointer read the caller's own copy and are not uses (`len` of a moved map is).
 */
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { runsInline } from "../analysis/channels.js";
import { cfgAround, type Cfg, type CfgNode } from "../analysis/cfg.js";
import { isPlainCall, unparen } from "../analysis/syntax.js";
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

/**
 * The first use of a moved variable on a path that continues after the move, if any: the
 * nearest along the graph (among equally near ones, one written after the move first). A path ends
 * where the variable gets a new value; the move's own node counts from the end of the call on.
 */
export function firstUseAfterMove(move: Move, file: FileScope): GoNode | undefined {
  const uses = new MoveUses(move, file);
  let at = move.call;
  for (;;) {
    const cfg = cfgAround(at);
    const node = cfg?.nodeOf(at);
    if (!cfg || !node) return undefined;
    const found = uses.after(cfg, node, at);
    if (found.use) return found.use;
    // A func literal called in place returns into the statement that calls it: go on from
    // there, unless the variable was the literal's own (each call has a new one).
    const call = found.returns && !move.decl.within(cfg.fn) ? callOfLiteral(cfg.fn) : undefined;
    if (!call) return undefined;
    at = call;
  }
}

/** The call that runs a func literal in place (`func() { … }()`), not as a goroutine. */
function callOfLiteral(fn: GoNode): GoNode | undefined {
  if (fn.type !== "func_literal" || !runsInline(fn)) return undefined;
  let e = fn;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  return e.parent ?? undefined;
}

class MoveUses {
  private readonly refs: GoNode[];

  constructor(
    private readonly move: Move,
    private readonly file: FileScope,
  ) {
    this.refs = referencesOf(move.decl);
  }

  /**
   * The first use after `at` (evaluated at `start`) within one graph, and whether some path
   * from it returns to the function's caller without a use or a new value.
   */
  after(cfg: Cfg, start: CfgNode, at: GoNode): { use?: GoNode; returns: boolean } {
    const byNode = new Map<CfgNode, GoNode[]>();
    for (const ref of this.refs) {
      const node = cfg.nodeOf(ref);
      if (!node) continue;
      const list = byNode.get(node);
      if (list) list.push(ref);
      else byNode.set(node, [ref]);
    }
    const here = (byNode.get(start) ?? []).find((r) => r.start >= at.end && this.isUse(r));
    if (here) return { use: here, returns: false };
    if (this.kills(start)) return { returns: false };
    // Breadth first: the nearest use on any path; it may be the move itself, a loop round later.
    let returns = false;
    let best: GoNode | undefined;
    let frontier = [start];
    const seen = new Set<CfgNode>();
    while (frontier.length > 0 && !best) {
      const next: CfgNode[] = [];
      for (const from of frontier) {
        for (const { to } of from.succs) {
          if (seen.has(to)) continue;
          seen.add(to);
          if (to === cfg.exit) returns = true;
          const use = (byNode.get(to) ?? []).find((r) => this.isUse(r));
          if (use) {
            if (!best || earlier(use, best, at)) best = use;
          } else if (!this.kills(to)) next.push(to);
        }
      }
      frontier = next;
    }
    return { use: best, returns };
  }

  /** A reference that reads or writes the moved memory: not a new value for the variable, not its length or nil-ness. */
  private isUse(ref: GoNode): boolean {
    const moved = this.movedExpression(ref);
    return !!moved && !harmless(moved, this.file) && !assignedTo(moved);
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

  /** The node gives the variable a new value (or declares it anew, a loop round later). */
  private kills(node: CfgNode): boolean {
    return targetsOf(node).some((t) => this.reassigns(t));
  }

  /** `x`, or `x.f` for a moved `x.f`, as an assignment target (a redeclaration included). */
  private reassigns(target: GoNode): boolean {
    const t = unparen(target);
    if (t === this.move.decl) return true;
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

/** Of two equally near uses, the one written after the move (it reads as "after"), else the one written first. */
function earlier(a: GoNode, b: GoNode, move: GoNode): boolean {
  const aFollows = a.start >= move.end;
  const bFollows = b.start >= move.end;
  return aFollows !== bFollows ? aFollows : a.start < b.start;
}

/** What a node assigns a whole new value to: `=`/`:=` targets, declared names, range and receive variables, a type switch's alias. */
function targetsOf(node: CfgNode): readonly GoNode[] {
  const s = node.syntax;
  switch (node.kind) {
    case "statement":
      if (s.type === "var_declaration") return s.descendants("var_spec").flatMap((spec) => spec.childrenOf("name"));
      return plainAssignment(s) ? (s.child("left")?.namedChildren ?? []) : [];
    case "range":
      return s.child("left")?.namedChildren ?? [];
    case "case": {
      const comm = s.child("communication");
      if (comm?.type === "receive_statement") return comm.child("left")?.namedChildren ?? [];
      const alias = s.parent?.type === "type_switch_statement" ? s.parent.child("alias")?.namedChildren[0] : undefined;
      return alias ? [alias] : [];
    }
    default:
      return [];
  }
}

/** `x = …` or `x := …` (not `x += …`). */
function plainAssignment(s: GoNode): boolean {
  if (s.type === "short_var_declaration") return true;
  return s.type === "assignment_statement" && (s.child("operator")?.text ?? "=") === "=";
}

/** The expression is a whole target of a plain assignment, a range or a receive: it gets a new value, its old one is not read. */
function assignedTo(expr: GoNode): boolean {
  let e = expr;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const list = e.parent;
  if (list?.type !== "expression_list" || list.field !== "left") return false;
  const owner = list.parent;
  return !!owner && (plainAssignment(owner) || owner.type === "range_clause" || owner.type === "receive_statement");
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
