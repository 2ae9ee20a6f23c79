import { constantDuration, runsAtMost } from "../analysis/constants.js";
import { type Cfg, cfgOf, type CfgNode } from "../analysis/cfg.js";
import { doneContextOf, requiresNotDone } from "../analysis/channels.js";
import type { GoNode } from "../analysis/node.js";
import { qualifierIsLocal } from "../analysis/scope.js";
import { branchesOf, callParts, enclosingFunction, enclosingLoops, firstLineOf, statementsOf, unparen } from "../analysis/syntax.js";
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
      // A loop of a handful of fixed rounds (`for range 3`) leaves at most that many timers.
      if (runsAtMost(enclosingLoops(select), FEW_ROUNDS, ctx.file)) continue;
      const others = branchesOf(select).filter((c) => c !== commCase);
      // With every other case leaving the loop, at most one timer is pending at a time. A stop
      // signal that the loop checks again (and leaves on) wins at most once.
      const repeating = others.filter((c) => caseRepeats(cfg, c, head) && !leavesOnRecheck(cfg, c, head));
      // The message names the case that usually wins: work (`case msg := <-msgs`) before a cancellation that merely fails to leave.
      const continuing = repeating.find((c) => doneContextOf(c) === undefined) ?? repeating[0];
      if (!continuing) continue;
      const other = continuing.type === "default_case" ? "default" : `case ${firstLineOf(continuing.child("communication")?.text ?? "…")}`;
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

/** Loops of at most this many rounds in all leave at most that many timers: not worth a finding. */
const FEW_ROUNDS = 10;

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
 * `stop = true`, a loop condition `!stop` is; after `case errc = <-quit:`, `errc == nil` is
 * (conjuncts of `&&` included).
 */
function caseRepeats(cfg: Cfg, branch: GoNode, head: CfgNode): boolean {
  const start = cfg.nodeOf(branch);
  if (!start) return true;
  const done = doneContextOf(branch);
  const set = setIn(branch);
  return !!cfg.pathFrom(start, {
    target: (n) => n === head,
    skips: (edge) => (done !== undefined && requiresNotDone(edge, done)) || (edge.kind === "true" && edge.from.kind === "condition" && conjuncts(edge.from.syntax).some((c) => falsified(c, set))),
  });
}

/** What a case leaves set: variables it makes `true`, and variables it gives a non-nil value (the received value of `case x = <-ch:`, `x = make(…)`, `x = &T{}`). */
interface SetInCase {
  truths: string[];
  nonNil: string[];
}

function setIn(branch: GoNode): SetInCase {
  const truths: string[] = [];
  const nonNil: string[] = [];
  const comm = branch.child("communication");
  if (comm?.type === "receive_statement") {
    const left = comm.child("left")?.namedChildren ?? [];
    if (left[0]) nonNil.push(left[0].text);
  }
  for (const s of statementsOf(branch)) {
    if (s.type !== "assignment_statement" || s.child("operator")?.text !== "=" || s.child("left")?.namedChildren.length !== 1) continue;
    const target = s.child("left")!.text;
    const value = unparen(s.child("right")?.namedChildren[0]);
    if (value?.text === "true") truths.push(target);
    else if (value && isNonNil(value)) nonNil.push(target);
  }
  return { truths, nonNil };
}

/** Values that are never nil: `make(…)`, `&T{…}`, a composite literal, `errors.New(…)`, `fmt.Errorf(…)`. */
function isNonNil(value: GoNode): boolean {
  if (value.type === "composite_literal") return true;
  if (value.type === "unary_expression" && value.child("operator")?.text === "&") return true;
  if (value.type !== "call_expression") return false;
  const fn = unparen(value.child("function"))?.text;
  return fn === "make" || fn === "errors.New" || fn === "fmt.Errorf";
}

function conjuncts(cond: GoNode | undefined): GoNode[] {
  const e = unparen(cond);
  if (!e) return [];
  if (e.type === "binary_expression" && e.child("operator")?.text === "&&") return [...conjuncts(e.child("left")), ...conjuncts(e.child("right"))];
  return [e];
}

/** The conjunct is false once the case has run: `!flag` after `flag = true`, `x == nil` after x got a non-nil value. */
function falsified(conjunct: GoNode, set: SetInCase): boolean {
  if (conjunct.type === "unary_expression" && conjunct.child("operator")?.text === "!") return set.truths.includes(unparen(conjunct.child("operand"))?.text ?? "");
  if (conjunct.type !== "binary_expression" || conjunct.child("operator")?.text !== "==") return false;
  const left = unparen(conjunct.child("left"));
  const right = unparen(conjunct.child("right"));
  const tested = right?.type === "nil" ? left : left?.type === "nil" ? right : undefined;
  return !!tested && set.nonNil.includes(tested.text);
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
