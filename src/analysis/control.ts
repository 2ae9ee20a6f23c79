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

/**
 * True when the statement always leaves `loop` (return, exit, goto, or a break out of it).
 * Iterative (a worklist of the statements that must all leave), so deep nesting cannot overflow the stack.
 */
export function leavesLoop(stmt: GoNode | undefined, loop: GoNode): boolean {
  const pending: (GoNode | undefined)[] = [stmt];
  while (pending.length > 0) {
    const s = pending.pop();
    if (!s) return false;
    switch (s.type) {
      case "return_statement":
      case "goto_statement":
        continue;
      case "break_statement":
        if (targetsLoop(s, loop)) continue;
        return false;
      case "expression_statement": {
        const call = s.namedChildren[0];
        if (call?.type === "call_expression" && isExitCall(call)) continue;
        return false;
      }
      case "block": {
        const stmts = statementsOf(s);
        pending.push(stmts[stmts.length - 1]);
        continue;
      }
      case "if_statement": {
        const alt = s.child("alternative");
        if (!alt) return false;
        pending.push(s.child("consequence"), alt);
        continue;
      }
      default:
        return false;
    }
  }
  return true;
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
  return stops(stmt, endlessRange, 0);
}

/**
 * Statements nested deeper than this count as falling through and as not covering: no real code
 * nests so deep, and the recursion of {@link stops} and {@link coversAll} must not overflow the
 * stack on hostile input.
 */
const MAX_NESTING = 100;

function stops(stmt: GoNode | undefined, endlessRange: EndlessRange | undefined, depth: number): boolean {
  if (!stmt || depth > MAX_NESTING) return false;
  const branchStops = (branch: GoNode | undefined) => statementsOf(branch).some((s) => stops(s, endlessRange, depth + 1));
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
      return stops(stmt.namedChildren[1], endlessRange, depth + 1);
    case "if_statement": {
      const alt = stmt.child("alternative");
      return !!alt && branchStops(stmt.child("consequence")) && stops(alt, endlessRange, depth + 1);
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
function coversOrStops(stmt: GoNode, options: ExitOptions, depth = 0): boolean {
  return neverFallsThrough(stmt, options.endlessRange) || coversAll(stmt, options, depth);
}

function coversAll(stmt: GoNode, options: ExitOptions, depth: number): boolean {
  if (options.covers?.(stmt)) return true;
  if (depth > MAX_NESTING) return false;
  const branch = (b: GoNode | undefined) => statementsOf(b).some((s) => coversOrStops(s, options, depth + 1));
  switch (stmt.type) {
    case "block":
      return branch(stmt);
    case "labeled_statement":
      return !!stmt.namedChildren[1] && coversAll(stmt.namedChildren[1], options, depth + 1);
    case "if_statement": {
      const alt = stmt.child("alternative");
      return !!alt && branch(stmt.child("consequence")) && coversOrStops(alt, options, depth + 1);
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
    const rest = followingFacts(cur, loop);
    if (rest.continues) return false;
    if (rest.leaves) return true;
    const list = cur.parent;
    if (!list?.parent || list.parent === body) return false;
    const outer: GoNode | undefined = enclosingStatement(list.parent);
    if (!outer || !body || !outer.within(body)) return false;
    cur = outer;
  }
}

interface SuffixFacts {
  index: Map<GoNode, number>;
  /** `continues[i]`: a statement from the i-th sibling on continues the loop; `leaves[i]`: one always leaves it. */
  continues: boolean[];
  leaves: boolean[];
}

/** Per parent and loop, computed once: a loop of 10,000 defers must not rescan its rest 10,000 times. */
const suffixCache = new WeakMap<GoNode, Map<GoNode, SuffixFacts>>();

/** Whether the statements after `stmt` (its {@link followingStatements}) continue `loop`, and whether one of them always leaves it. */
function followingFacts(stmt: GoNode, loop: GoNode): { continues: boolean; leaves: boolean } {
  const parent = stmt.parent;
  if (!parent) return { continues: false, leaves: false };
  let byLoop = suffixCache.get(parent);
  if (!byLoop) suffixCache.set(parent, (byLoop = new Map()));
  let facts = byLoop.get(loop);
  if (!facts) {
    const siblings = parent.namedChildren;
    const continues = new Array<boolean>(siblings.length + 1).fill(false);
    const leaves = new Array<boolean>(siblings.length + 1).fill(false);
    for (let i = siblings.length - 1; i >= 0; i--) {
      continues[i] = continues[i + 1]! || continuesLoop([siblings[i]!], loop);
      leaves[i] = leaves[i + 1]! || leavesLoop(siblings[i], loop);
    }
    facts = { index: new Map(siblings.map((s, i) => [s, i])), continues, leaves };
    byLoop.set(loop, facts);
  }
  const from = (facts.index.get(stmt) ?? -1) + 1;
  return { continues: facts.continues[from]!, leaves: facts.leaves[from]! };
}
