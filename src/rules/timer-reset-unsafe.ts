import { cfgOf, type CfgNode } from "../analysis/cfg.js";
import { constantDuration } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { assignmentsTo, declarationOf, initializerOf, referencesOf } from "../analysis/scope.js";
import { callParts, enclosingFunction, ownDescendants, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "timer-reset-unsafe",
    category: "timer",
    severity: "info",
    title: "timer reset without stop and drain",
    rationale:
      "Before Go 1.23 a `time.Timer` that fired puts its value in a buffered channel, and `Reset` does not take it out: a `Reset` on a timer that may have fired since it was last stopped or drained leaves that stale value behind, so the next receive returns at once instead of after the new duration. Using `Reset`'s result to decide whether to drain races with the timer firing again.",
    fix: "Before `Reset`, stop the timer and drain its channel if it had fired (`if !t.Stop() { <-t.C }`, or a non-blocking receive when something else may have read it), or reset it only in the case that just received from `t.C`.",
    bad: `idle := time.NewTimer(timeout)
for {
	select {
	case msg := <-msgs:
		handle(msg)
		idle.Reset(timeout) // idle may have fired meanwhile: the next loop sees a stale tick
	case <-idle.C:
		return errIdle
	}
}`,
    good: `idle := time.NewTimer(timeout)
defer idle.Stop()
for {
	select {
	case msg := <-msgs:
		handle(msg)
		if !idle.Stop() {
			<-idle.C
		}
		idle.Reset(timeout)
	case <-idle.C:
		return errIdle
	}
}`,
    suggestion: "none",
    // A stale tick in a test costs at most one early wake-up of a short run.
    inTests: "skip",
    fixedInGo: "1.23",
  },
  // It starts from `t.Reset(…)` on a timer made by `time.NewTimer` in the same function.
  triggers: ["Reset"],
  // The timer is made in the same function, by `time.NewTimer`.
  triggerTest: (text) => text.includes("NewTimer"),
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const { receiver, name } = callParts(call);
      const id = unparen(receiver);
      if (name !== "Reset" || id?.type !== "identifier") continue;
      // `Reset(0)` fires at once: a stale value and a fresh one are the same wake-up.
      if (constantDuration(callParts(call).args[0], ctx.file) === 0) continue;
      const decl = declarationOf(id);
      const fn = enclosingFunction(call);
      if (!decl || !fn || enclosingFunction(decl) !== fn) continue;
      const creations = timerCreations(decl, ctx.file);
      // Only a receive in this function can see a stale value (a watchdog goroutine that reads the fire has consumed it).
      if (creations.length === 0 || !referencesOf(decl).some((u) => isChannelReceive(u) && enclosingFunction(u) === fn)) continue;
      const cfg = cfgOf(fn);
      const at = cfg?.nodeOf(call);
      if (!cfg || !at) continue;
      const drains = (n: CfgNode) => n !== at && settles(n, decl);
      // `if !t.Reset(d) { <-t.C }`: Reset's result cannot tell whether a value is still in the channel.
      const branch = at.kind === "condition" ? conditionalDrain(at.syntax, call, decl) : undefined;
      if (branch) {
        ctx.report({
          node: call,
          message: `The result of \`${id.text}.Reset\` decides whether to drain \`${id.text}.C\`, but the timer may fire again right after Reset returns: the drain then blocks or eats a fresh tick. Stop and drain before \`Reset\` (\`if !${id.text}.Stop() { <-${id.text}.C }\`), and ignore Reset's result.`,
        });
        continue;
      }
      const starts = creations.map((c) => cfg.nodeOf(c)).filter((n): n is CfgNode => !!n && n !== at);
      const unsafe = starts.some((s) => cfg.pathFrom(s, { target: (n) => n === at, blocks: drains }));
      if (!unsafe) continue;
      ctx.report({
        node: call,
        message: `\`${id.text}.Reset\` can run while \`${id.text}\` may have fired undrained since it was started: before Go 1.23 the stale value stays in \`${id.text}.C\` and the next receive returns at once. Stop and drain it first (\`if !${id.text}.Stop() { <-${id.text}.C }\`), or reset it only after receiving from \`${id.text}.C\`.`,
      });
    }
  },
};

/** The calls that give the variable a `time.NewTimer` (its initializer and later assignments); none when any other value reaches it. */
function timerCreations(decl: GoNode, file: FileScope): GoNode[] {
  const init = initializerOf(decl);
  const values = [...(init?.value ? [init.value] : []), ...assignmentsTo(decl).map((a) => a.value)];
  if (init?.type && !file.imports.isType(init.type, "time", "Timer")) return [];
  const calls: GoNode[] = [];
  for (const v of values) {
    const call = unparen(v);
    if (call?.type === "call_expression" && file.imports.match(call, "time", ["NewTimer"])) calls.push(call);
    else if (call?.type !== "nil") return [];
  }
  return calls;
}

/** `t.C` received from at this use: `<-t.C`, `case <-t.C:`, `for range t.C`. */
function isChannelReceive(use: GoNode): boolean {
  const sel = use.parent;
  if (sel?.type !== "selector_expression" || use.field !== "operand" || sel.child("field")?.text !== "C") return false;
  let e = sel;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  return (p?.type === "unary_expression" && p.child("operator")?.text === "<-") || (p?.type === "range_clause" && e.field === "right");
}

/** What this node itself runs (a statement, a select case's communication, a condition, a range header) stops the timer or receives from its channel. */
function settles(node: CfgNode, decl: GoNode): boolean {
  const syntax = node.syntax;
  let own: GoNode | undefined;
  if (node.kind === "statement") own = syntax;
  else if (node.kind === "case") own = syntax.child("communication");
  else if (node.kind === "condition") own = syntax;
  else if (node.kind === "range") own = syntax.child("right");
  // A deferred Stop runs at return; a goroutine's, at some other time.
  if (!own || own.type === "defer_statement" || own.type === "go_statement") return false;
  return ownDescendants(own, "identifier").some((u) => {
    if (declarationOf(u) !== decl) return false;
    if (isChannelReceive(u)) return true;
    const sel = u.parent;
    return sel?.type === "selector_expression" && u.field === "operand" && sel.child("field")?.text === "Stop";
  });
}

/** `if t.Reset(d) { <-t.C }` or `if !t.Reset(d) { … }` with a receive from `t.C` in a branch. */
function conditionalDrain(condition: GoNode, call: GoNode, decl: GoNode): boolean {
  const stmt = condition.parent;
  if (stmt?.type !== "if_statement" || condition.field !== "condition") return false;
  let e = unparen(condition);
  if (e?.type === "unary_expression" && e.child("operator")?.text === "!") e = unparen(e.child("operand"));
  if (e !== call) return false;
  return [stmt.child("consequence"), stmt.child("alternative")].some((b) => !!b && ownDescendants(b, "identifier").some((u) => declarationOf(u) === decl && isChannelReceive(u)));
}

export default rule;
