/** Control-flow questions answered syntactically: does this path leave the loop? does it continue it? */
import type { GoNode } from "./node.js";
import { isExitCall, isFunction, statementsOf } from "./syntax.js";

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
