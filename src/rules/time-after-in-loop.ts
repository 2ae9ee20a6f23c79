import { constantDuration } from "../analysis/constants.js";
import { branchesOf, continuesLoop, leavesLoop, leavesLoopAfter } from "../analysis/control.js";
import type { GoNode } from "../analysis/node.js";
import { qualifierIsLocal } from "../analysis/scope.js";
import { callParts, enclosingLoops, isFunction, ownDescendants, statementsOf, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "time-after-in-loop",
    category: "timer",
    severity: "warning",
    title: "time.After in a select inside a loop",
    rationale:
      "Every evaluation of `time.After(d)` starts a new runtime timer and channel. In a loop whose select usually takes another case, each iteration abandons the previous timer, which (before Go 1.23) stays allocated until its duration elapses, so a busy loop with a long timeout piles up thousands of live timers.",
    fix: "Create one `time.NewTimer(d)` before the loop, `defer t.Stop()`, and `Reset` it at the start of each iteration (after stopping and draining it when needed), or derive a context with a deadline.",
    bad: `for {
	select {
	case msg := <-msgs:
		handle(msg)
	case <-time.After(30 * time.Second): // a new timer on every message
		return errIdle
	}
}`,
    good: `idle := time.NewTimer(30 * time.Second)
defer idle.Stop()
for {
	select {
	case msg := <-msgs:
		handle(msg)
		if !idle.Stop() {
			<-idle.C
		}
		idle.Reset(30 * time.Second)
	case <-idle.C:
		return errIdle
	}
}`,
    suggestion: "none",
    skipsTests: false,
    fixedInGo: "1.23",
  },
  // It starts from a call `alias.After(…)` of package time (a selector; dot imports are not matched):
  // `After` is always there (rarer than `select`, also required).
  triggers: ["After"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      if (!ctx.file.imports.match(call, "time", ["After"]) || qualifierIsLocal(call)) continue;
      const comm = selectCommOf(call);
      if (!comm) continue;
      const commCase = comm.parent!;
      const select = commCase.parent;
      if (select?.type !== "select_statement") continue;
      const loop = enclosingLoops(select)[0];
      if (!loop) continue;
      const others = branchesOf(select).filter((c) => c !== commCase);
      // With every other case leaving the loop, at most one timer is pending at a time.
      // A stop signal that the loop checks again (and leaves on) wins at most once.
      const continuing = others.find((c) => caseContinues(c, select, loop) && !leavesOnRecheck(c, select, loop));
      if (!continuing) continue;
      const other = continuing.type === "default_case" ? "default" : `case ${continuing.child("communication")?.text ?? "…"}`;
      // A timer of less than a second is gone almost at once: few can be pending at any time.
      const duration = constantDuration(callParts(call).args[0], ctx.file);
      const brief = duration !== undefined && duration < 1e9;
      ctx.report({
        node: comm,
        ...(brief ? { severity: "info" as const } : {}),
        message: brief
          ? `\`${call.text}\` starts a new timer on every iteration of the loop; when \`${other}\` wins, the abandoned timer stays allocated until it fires, which for this short duration is soon. Hoisting one \`time.NewTimer\` out of the loop still saves an allocation per iteration.`
          : `\`${call.text}\` starts a new timer on every iteration of the loop; when \`${other}\` wins, the loop goes around and the abandoned timer stays allocated until it fires. Hoist one \`time.NewTimer\` out of the loop and Reset it.`,
        related: [
          { node: loop, message: "the loop" },
          { node: continuing, message: "a case that goes on to the next iteration" },
        ],
      });
    }
  },
};

/** The receive statement of a select case whose channel operand is exactly this call: `case <-time.After(d):`. */
function selectCommOf(call: GoNode): GoNode | undefined {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const recv = e.parent;
  if (recv?.type !== "unary_expression" || recv.child("operator")?.text !== "<-" || unparen(recv.child("operand")) !== call) return undefined;
  let r = recv;
  while (r.parent?.type === "parenthesized_expression") r = r.parent;
  const stmt = r.parent;
  if (stmt?.type !== "receive_statement" || r.field !== "right") return undefined;
  return stmt.field === "communication" && stmt.parent?.type === "communication_case" ? stmt : undefined;
}

/** Whether taking this case can lead to the next iteration of `loop`. */
function caseContinues(branch: GoNode, select: GoNode, loop: GoNode): boolean {
  const stmts = statementsOf(branch);
  if (continuesLoop(stmts, loop)) return true;
  if (stmts.some((s) => leavesLoop(s, loop) || jumpsToOuterLabel(s, loop))) return false;
  return !leavesLoopAfter(select, loop);
}

/**
 * A receive case (`case <-stopCh:` with an empty body) whose channel another select in the loop
 * receives from in a case that leaves the loop (`case <-stopCh: return` at the top): once that
 * channel is ready, the next check ends the loop, so this case cannot keep it going round.
 */
function leavesOnRecheck(branch: GoNode, select: GoNode, loop: GoNode): boolean {
  const channel = receivedChannel(branch);
  const body = loop.child("body");
  if (!channel || !body) return false;
  return ownDescendants(body, "select_statement").some(
    (other) =>
      other !== select &&
      branchesOf(other).some((c) => receivedChannel(c) === channel && statementsOf(c).some((s) => leavesLoop(s, loop) || jumpsToOuterLabel(s, loop))),
  );
}

/** The text of the channel a receive case reads from (`stopCh` for `case <-stopCh:`, `case _, ok := <-stopCh:`). */
function receivedChannel(branch: GoNode): string | undefined {
  if (branch.type !== "communication_case") return undefined;
  let comm = branch.child("communication");
  if (comm?.type === "receive_statement") comm = comm.child("right");
  comm = unparen(comm);
  if (comm?.type !== "unary_expression" || comm.child("operator")?.text !== "<-") return undefined;
  return unparen(comm.child("operand"))?.text;
}

/** `break outer` / `continue outer` to a label around `loop`: leaves `loop` as well. */
function jumpsToOuterLabel(stmt: GoNode, loop: GoNode): boolean {
  if (stmt.type !== "break_statement" && stmt.type !== "continue_statement") return false;
  const label = stmt.namedChildren.find((c) => c.type === "label_name")?.text;
  if (!label) return false;
  for (const a of loop.ancestors()) {
    if (isFunction(a)) return false;
    if (a.type === "labeled_statement" && a !== loop.parent && a.child("label")?.text === label) return true;
  }
  return false;
}

export default rule;
