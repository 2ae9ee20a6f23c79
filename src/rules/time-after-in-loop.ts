import { constantDuration } from "../analysis/constants.js";
import { type Cfg, cfgOf, type CfgNode } from "../analysis/cfg.js";
import { doneContextOf, requiresNotDone } from "../analysis/channels.js";
import type { GoNode } from "../analysis/node.js";
import { qualifierIsLocal } from "../analysis/scope.js";
import { branchesOf, callParts, enclosingFunction, enclosingLoops, statementsOf, unparen } from "../analysis/syntax.js";
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
    // In tests: a test's timers end with its process.
    inTests: "skip",
    fixedInGo: "1.23",
  },
  // It starts from a call `alias.After(…)` or `alias.NewTimer(…).C` of package time (a selector):
  // `After` or `NewTimer` is always there.
  triggers: ["After", "NewTimer"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const timer = ctx.file.imports.match(call, "time", ["After", "NewTimer"]);
      if (!timer || qualifierIsLocal(call)) continue;
      const channel = timer === "After" ? call : channelOfNewTimer(call);
      const comm = channel && selectCommOf(channel);
      if (!comm) continue;
      const commCase = comm.parent!;
      const select = commCase.parent;
      const fn = select && enclosingFunction(select);
      const cfg = fn && cfgOf(fn);
      const head = select && cfg?.nodeOf(select);
      if (select?.type !== "select_statement" || !cfg || !head || !cfg.canRepeat(head)) continue;
      const others = branchesOf(select).filter((c) => c !== commCase);
      // With every other case leaving the loop, at most one timer is pending at a time. A stop
      // signal that the loop checks again (and leaves on) wins at most once.
      const continuing = others.find((c) => caseRepeats(cfg, c, head) && !leavesOnRecheck(cfg, c, head));
      if (!continuing) continue;
      const other = continuing.type === "default_case" ? "default" : `case ${continuing.child("communication")?.text ?? "…"}`;
      // A timer of less than a second is gone almost at once: few can be pending at any time.
      const duration = constantDuration(callParts(call).args[0], ctx.file);
      const brief = duration !== undefined && duration < 1e9;
      const spelled = channel.text.includes("\n") ? `time.${timer}(…)` : channel.text;
      const loop = enclosingLoops(select)[0];
      ctx.report({
        node: comm,
        ...(brief ? { severity: "info" as const } : {}),
        message: brief
          ? `\`${spelled}\` starts a new timer on every iteration of the loop; when \`${other}\` wins, the abandoned timer stays allocated until it fires, which for this short duration is soon. Hoisting one \`time.NewTimer\` out of the loop still saves an allocation per iteration.`
          : `\`${spelled}\` starts a new timer on every iteration of the loop; when \`${other}\` wins, the loop goes around and the abandoned timer stays allocated until it fires. Hoist one \`time.NewTimer\` out of the loop and Reset it.`,
        related: [...(loop ? [{ node: loop, message: "the loop" }] : []), { node: continuing, message: "a case that goes on to the next iteration" }],
      });
    }
  },
};

/** `time.NewTimer(d).C`: the selector whose channel a select case receives from. */
function channelOfNewTimer(call: GoNode): GoNode | undefined {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const sel = e.parent;
  return sel?.type === "selector_expression" && e.field === "operand" && sel.child("field")?.text === "C" ? sel : undefined;
}

/** The receive statement of a select case whose channel operand is exactly this expression: `case <-time.After(d):`. */
function selectCommOf(channel: GoNode): GoNode | undefined {
  let e = channel;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const recv = e.parent;
  if (recv?.type !== "unary_expression" || recv.child("operator")?.text !== "<-" || unparen(recv.child("operand")) !== channel) return undefined;
  let r = recv;
  while (r.parent?.type === "parenthesized_expression") r = r.parent;
  const stmt = r.parent;
  if (stmt?.type !== "receive_statement" || r.field !== "right") return undefined;
  return stmt.field === "communication" && stmt.parent?.type === "communication_case" ? stmt : undefined;
}

/**
 * Whether taking this case can bring control back to the select. Edges the case makes dead do
 * not count: after `<-ctx.Done()`, a loop condition `ctx.Err() == nil` is false; after
 * `stop = true`, a loop condition `!stop` is.
 */
function caseRepeats(cfg: Cfg, branch: GoNode, head: CfgNode): boolean {
  const start = cfg.nodeOf(branch);
  if (!start) return true;
  const done = doneContextOf(branch);
  const flags = flagsSetIn(branch);
  return !!cfg.pathFrom(start, {
    target: (n) => n === head,
    skips: (edge) => (done !== undefined && requiresNotDone(edge, done)) || (edge.kind === "true" && edge.from.kind === "condition" && flags.some((f) => isNegationOf(edge.from.syntax, f))),
  });
}

/** Variables a case body sets to `true`: `stop = true`. */
function flagsSetIn(branch: GoNode): string[] {
  return statementsOf(branch).flatMap((s) =>
    s.type === "assignment_statement" && s.child("operator")?.text === "=" && s.child("right")?.text === "true" && s.child("left")?.namedChildren.length === 1 ? [s.child("left")!.text] : [],
  );
}

function isNegationOf(cond: GoNode, flag: string): boolean {
  const e = unparen(cond);
  return e?.type === "unary_expression" && e.child("operator")?.text === "!" && unparen(e.child("operand"))?.text === flag;
}

/**
 * A receive case (`case <-stopCh:` with an empty body) whose channel another select in the loop
 * receives from in a case that leaves the loop (`case <-stopCh: return` at the top): once that
 * channel is ready, the next check ends the loop, so this case cannot keep it going round.
 */
function leavesOnRecheck(cfg: Cfg, branch: GoNode, head: CfgNode): boolean {
  const channel = receivedOperand(branch)?.text;
  if (!channel) return false;
  return cfg.nodes.some(
    (n) => n.kind === "case" && n.syntax !== branch && receivedOperand(n.syntax)?.text === channel && cfg.reaches(head, n) && !cfg.reaches(n, head),
  );
}

/** The channel expression a receive case reads from (`stopCh` for `case <-stopCh:`, `case _, ok := <-stopCh:`). */
function receivedOperand(branch: GoNode): GoNode | undefined {
  if (branch.type !== "communication_case") return undefined;
  let comm = branch.child("communication");
  if (comm?.type === "receive_statement") comm = comm.child("right");
  comm = unparen(comm);
  if (comm?.type !== "unary_expression" || comm.child("operator")?.text !== "<-") return undefined;
  return unparen(comm.child("operand"));
}

export default rule;
