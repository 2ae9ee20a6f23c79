/** Control-flow questions answered syntactically: does this path leave the loop? does it continue it? */
import type { GoNode } from "./node.js";
import { enclosingFunction, enclosingStatement, followingStatements, isExitCall, isFunction, ownDescendants, statementsOf } from "./syntax.js";

const LOOP_OR_SWITCH = new Set(["for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"]);

/** The label of a labelled loop (`outer: for …`), if any. */
export function loopLabel(loop: GoNode): string | undefined {
  return loop.parent?.type === "labeled_statement" ? loop.parent.child("label")?.text : undefined;
}

/** The statement that a `break`/`continue` inside `loop` targets: true when it targets `loop`. */
export function targetsLoop(jump: GoNode, loop: GoNode): boolean {
  const label = jump.namedChildren.find((c) => c.type === "label_name")?.text;
  if (label) return label === loopLabel(loop);
  for (const a of jump.ancestors()) {
    if (a === loop) return true;
    if (isFunction(a)) return false;
    // An unlabelled break ends the innermost for/switch/select; continue the innermost for.
    if (jump.type === "break_statement" ? LOOP_OR_SWITCH.has(a.type) : a.type === "for_statement") return false;
  }
  return false;
}

/** True when the statement always leaves `loop` (return, exit, goto, or a break out of it). */
export function leavesLoop(stmt: GoNode | undefined, loop: GoNode): boolean {
  if (!stmt) return false;
  switch (stmt.type) {
    case "return_statement":
    case "goto_statement":
      return true;
    case "break_statement":
      return targetsLoop(stmt, loop);
    case "expression_statement": {
      const call = stmt.namedChildren[0];
      return call?.type === "call_expression" && isExitCall(call);
    }
    case "block": {
      const stmts = statementsOf(stmt);
      return leavesLoop(stmts[stmts.length - 1], loop);
    }
    case "if_statement": {
      const alt = stmt.child("alternative");
      return !!alt && leavesLoop(stmt.child("consequence"), loop) && leavesLoop(alt, loop);
    }
    default:
      return false;
  }
}

/** True when some statement within `nodes` continues `loop` (jumps back to its head). */
export function continuesLoop(nodes: GoNode[], loop: GoNode): boolean {
  return nodes.some((n) => n.descendants("continue_statement").some((c) => targetsLoop(c, loop)));
}

/**
 * True when something in the loop's body can end the loop for good: a return, a goto, an exit
 * call (`panic`, `os.Exit`, `log.Fatal*`, `runtime.Goexit`, or a `Fatal*`/`Panic*` method of a
 * logger), a break that targets the loop, or a labelled break/continue to a statement around it.
 * Nested func literals are other functions and do not count. With `exitCalls: false`, only
 * jumps count (exit calls end the goroutine or process rather than continue after the loop).
 */
export function loopCanExit(loop: GoNode, options: { exitCalls?: boolean } = {}): boolean {
  const body = loop.child("body");
  if (!body) return false;
  const outerLabels = new Set<string>();
  for (const a of loop.ancestors()) {
    if (isFunction(a)) break;
    if (a.type === "labeled_statement") outerLabels.add(a.child("label")?.text ?? "");
  }
  let exits = false;
  body.walk((n) => {
    if (exits || isFunction(n)) return false;
    switch (n.type) {
      case "return_statement":
      case "goto_statement":
        exits = true;
        break;
      case "break_statement":
      case "continue_statement": {
        const label = n.namedChildren.find((c) => c.type === "label_name")?.text;
        if (label) exits = outerLabels.has(label) && !(n.type === "continue_statement" && label === loopLabel(loop));
        else exits = n.type === "break_statement" && targetsLoop(n, loop);
        break;
      }
      case "call_expression":
        exits = options.exitCalls !== false && (isExitCall(n) || isLoggerExit(n));
        break;
    }
    return exits ? false : undefined;
  });
  return exits;
}

/** `logger.Fatal(…)`, `log.Panicf(…)`, `zap.L().Fatal(…)`: logging calls that end the goroutine. */
function isLoggerExit(call: GoNode): boolean {
  const fn = call.child("function");
  return fn?.type === "selector_expression" && /^(Fatal|Fatalf|Fatalln|Fatalw|Panic|Panicf|Panicln|Panicw)$/.test(fn.child("field")?.text ?? "");
}

/** Marks `range` clauses that never end on their own, e.g. over a ticker's channel. */
export type EndlessRange = (rangeClause: GoNode) => boolean;

/**
 * True when control can reach the statement after a `for`: it has a condition or a range clause
 * (unless `endlessRange` says the range never ends), or a break that targets it, or a goto.
 */
export function loopCanFinish(loop: GoNode, endlessRange?: EndlessRange): boolean {
  for (const c of loop.namedChildren) {
    if (c.field === "body") continue;
    if (c.type === "range_clause") {
      if (!endlessRange?.(c)) return true;
    } else if (c.type === "for_clause") {
      if (c.child("condition")) return true;
    } else {
      return true; // `for cond {`
    }
  }
  return jumpsOutOf(loop);
}

/** A break that targets the loop/switch/select, or any goto, inside it (nested literals excluded). */
function jumpsOutOf(stmt: GoNode): boolean {
  return ownDescendants(stmt, "break_statement", "goto_statement").some((j) => j.type === "goto_statement" || targetsLoop(j, stmt));
}

/**
 * True when control never continues from `stmt` to the statement after it: return, goto, break,
 * continue, fallthrough, an exit call, an endless loop, `select {}`, or an if/else, a switch with
 * default or a select none of whose branches falls through (and nothing breaks out of it).
 */
export function neverFallsThrough(stmt: GoNode | undefined, endlessRange?: EndlessRange): boolean {
  if (!stmt) return false;
  const branchStops = (branch: GoNode | undefined) => statementsOf(branch).some((s) => neverFallsThrough(s, endlessRange));
  switch (stmt.type) {
    case "return_statement":
    case "goto_statement":
    case "break_statement":
    case "continue_statement":
    case "fallthrough_statement":
      return true;
    case "expression_statement": {
      const call = stmt.namedChildren[0];
      return call?.type === "call_expression" && isExitCall(call);
    }
    case "block":
      return branchStops(stmt);
    case "labeled_statement":
      return neverFallsThrough(stmt.namedChildren[1], endlessRange);
    case "if_statement": {
      const alt = stmt.child("alternative");
      return !!alt && branchStops(stmt.child("consequence")) && neverFallsThrough(alt, endlessRange);
    }
    case "for_statement":
      return !loopCanFinish(stmt, endlessRange);
    case "select_statement":
    case "expression_switch_statement":
    case "type_switch_statement": {
      const cases = branchesOf(stmt);
      if (stmt.type !== "select_statement" && !cases.some((c) => c.type === "default_case")) return false;
      return cases.every((c) => branchStops(c)) && !jumpsOutOf(stmt);
    }
    default:
      return false;
  }
}

/** The case clauses of a select or switch statement. */
export function branchesOf(stmt: GoNode): GoNode[] {
  return stmt.namedChildren.filter((c) => c.type === "communication_case" || c.type === "expression_case" || c.type === "type_case" || c.type === "default_case");
}

/** A way out of a function: a `return`, or falling off the end of its body (`node` is the closing brace). */
export interface FunctionExit {
  kind: "return" | "end";
  node: GoNode;
}

export interface ExitOptions {
  /** Statements that discharge an obligation (`cancel()`, `mu.Unlock()`): exits after them are covered. */
  covers?: (stmt: GoNode) => boolean;
  endlessRange?: EndlessRange;
}

/**
 * The exits of the enclosing function reachable from just after `stmt` (a statement of a
 * statement list) without first passing a statement that `covers`: returns (unreachable ones
 * skipped) and the end of the body. Structural: a branch statement covers when each of its
 * branches covers or does not fall through; loops are followed once, never back to their head.
 * Undefined when the function uses goto, or `stmt` is not in a statement list.
 */
export function uncoveredExits(stmt: GoNode, options: ExitOptions = {}): FunctionExit[] | undefined {
  const fn = enclosingFunction(stmt);
  const body = fn?.child("body");
  if (!body || stmt.parent?.type !== "statement_list") return undefined;
  if (ownDescendants(body, "goto_statement").length > 0) return undefined;
  const exits: FunctionExit[] = [];
  let cur: GoNode = stmt;
  for (;;) {
    for (const s of followingStatements(cur)) {
      for (const r of ownDescendants(s, "return_statement")) {
        if (reachedUncovered(r, s, options)) exits.push({ kind: "return", node: r });
      }
      if (coversOrStops(s, options)) return exits;
    }
    const list = cur.parent!;
    if (list.parent === body) {
      exits.push({ kind: "end", node: body.children[body.children.length - 1] ?? body });
      return exits;
    }
    const outer: GoNode | undefined = list.parent ? enclosingStatement(list.parent) : undefined;
    if (!outer || !outer.within(body)) return exits;
    const loop = outer.type === "labeled_statement" ? outer.namedChildren[1] : outer;
    if (loop?.type === "for_statement" && !loopCanFinish(loop, options.endlessRange)) return exits;
    cur = outer;
  }
}

/** The return inside `top` is reachable from the start of `top` with no covering or stopping statement before it. */
function reachedUncovered(ret: GoNode, top: GoNode, options: ExitOptions): boolean {
  for (let a: GoNode | null = ret; a && a !== top; a = a.parent) {
    if (a.parent?.type !== "statement_list") continue;
    for (const prev of a.parent.namedChildren) {
      if (prev === a) break;
      if (coversOrStops(prev, options)) return false;
    }
  }
  return true;
}

/** Every path that gets past `stmt` has run a covering statement, or none gets past it. */
function coversOrStops(stmt: GoNode, options: ExitOptions): boolean {
  return neverFallsThrough(stmt, options.endlessRange) || coversAll(stmt, options);
}

function coversAll(stmt: GoNode, options: ExitOptions): boolean {
  if (options.covers?.(stmt)) return true;
  const branch = (b: GoNode | undefined) => statementsOf(b).some((s) => coversOrStops(s, options));
  switch (stmt.type) {
    case "block":
      return branch(stmt);
    case "labeled_statement":
      return !!stmt.namedChildren[1] && coversAll(stmt.namedChildren[1], options);
    case "if_statement": {
      const alt = stmt.child("alternative");
      return !!alt && branch(stmt.child("consequence")) && coversOrStops(alt, options);
    }
    case "select_statement":
    case "expression_switch_statement":
    case "type_switch_statement": {
      const cases = branchesOf(stmt);
      if (stmt.type !== "select_statement" && !cases.some((c) => c.type === "default_case")) return false;
      return cases.every((c) => branch(c));
    }
    default:
      return false;
  }
}

/**
 * True when every path from just after `stmt` (somewhere in `loop`'s body) leaves `loop` before
 * its next iteration: no `continue` of it on the way, and some following statement always leaves it.
 */
export function leavesLoopAfter(stmt: GoNode, loop: GoNode): boolean {
  const body = loop.child("body");
  let cur: GoNode = stmt;
  for (;;) {
    const rest = followingStatements(cur);
    if (continuesLoop(rest, loop)) return false;
    if (rest.some((s) => leavesLoop(s, loop))) return true;
    const list = cur.parent;
    if (!list?.parent || list.parent === body) return false;
    const outer: GoNode | undefined = enclosingStatement(list.parent);
    if (!outer || !body || !outer.within(body)) return false;
    cur = outer;
  }
}
