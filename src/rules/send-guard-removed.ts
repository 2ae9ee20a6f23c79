import { channelMake, isUnbuffered } from "../analysis/channels.js";
import type { GoNode } from "../analysis/node.js";
import { bindingOfValue, branchesOf, callParts, unparen } from "../analysis/syntax.js";
import type { ChangeContext, Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "send-guard-removed",
    category: "leak-goroutine",
    severity: "warning",
    title: "a guard that let a send give up is gone",
    rationale:
      "The base version let a sender give up or finish without a receiver: it sent inside a `select` that also waited on `ctx.Done()`, or the channel had room in its buffer. The head sends unconditionally on the same channel, or made it unbuffered, so when the receiver has left the sending goroutine blocks forever and keeps everything it references.",
    fix: "Keep the `select` on `ctx.Done()` around the send, or give the channel back its buffer.",
    bad: `results := make(chan Result)
go func() {
	results <- compute() // the base selected on ctx.Done() here
}()`,
    good: `results := make(chan Result, 1)
go func() {
	select {
	case results <- compute():
	case <-ctx.Done():
	}
}()`,
    suggestion: "none",
    inTests: "info",
  },
  // Both versions spell the channel operation: a send is written `<-`, a make of a channel `chan`.
  triggers: ["chan", "select", "Done"],
  checkChange(ctx) {
    guardedSendsDropped(ctx);
    buffersDropped(ctx);
  },
};

/** `ch <- v` in the head where the base sent on `ch` inside a select that also waits on `ctx.Done()`, more often than the head does. */
function guardedSendsDropped(ctx: ChangeContext): void {
  const before = guardedSends(ctx.base.node);
  if (before.size === 0) return;
  const after = guardedSends(ctx.head.node);
  for (const send of ctx.head.node.descendants("send_statement")) {
    const channel = channelText(send);
    const inSelect = send.field === "communication" && send.parent?.type === "communication_case";
    if (inSelect || (after.get(channel) ?? 0) >= (before.get(channel) ?? 0)) continue;
    ctx.report({
      node: send,
      message: `The base version sent on \`${channel}\` inside a \`select\` that also waited on \`ctx.Done()\`; this send cannot give up: once the receiver has left, the goroutine blocks here forever.`,
    });
    after.set(channel, before.get(channel)!);
  }
}

/** How many sends on each channel a declaration makes as a case of a select that also waits on `ctx.Done()`. */
function guardedSends(root: GoNode): Map<string, number> {
  const out = new Map<string, number>();
  for (const select of root.descendants("select_statement")) {
    const cases = branchesOf(select);
    if (!cases.some(isDoneCase)) continue;
    for (const c of cases) {
      const comm = c.child("communication");
      if (comm?.type === "send_statement") out.set(channelText(comm), (out.get(channelText(comm)) ?? 0) + 1);
    }
  }
  return out;
}

/** `make(chan T)` in the head where the base made the same variable with a buffer more often than the head does. */
function buffersDropped(ctx: ChangeContext): void {
  const before = bufferedMakes(ctx.base.node);
  if (before.size === 0) return;
  const after = bufferedMakes(ctx.head.node);
  for (const call of ctx.head.node.descendants("call_expression")) {
    const made = channelMake(call);
    const name = made && isUnbuffered(made) ? boundName(call) : undefined;
    const was = name ? before.get(name) : undefined;
    if (!name || !was || (after.get(name)?.length ?? 0) >= was.length) continue;
    ctx.report({
      node: call,
      message: `The base version made \`${name}\` with room for \`${was[0]!.text}\` values; unbuffered, every send waits for a receiver, and a sender whose receiver has left blocks forever.`,
    });
    after.set(name, was);
  }
}

/** The capacities of the buffered channels a declaration makes, by the name they are bound to. */
function bufferedMakes(root: GoNode): Map<string, GoNode[]> {
  const out = new Map<string, GoNode[]>();
  for (const call of root.descendants("call_expression")) {
    const made = channelMake(call);
    const name = made && !isUnbuffered(made) ? boundName(call) : undefined;
    if (name && made?.capacity) out.set(name, [...(out.get(name) ?? []), made.capacity]);
  }
  return out;
}

/** `case <-ctx.Done():` (any receiver of a `Done()` call). */
function isDoneCase(c: GoNode): boolean {
  let comm = c.child("communication");
  if (comm?.type === "receive_statement") comm = comm.child("right");
  comm = unparen(comm);
  const operand = comm?.type === "unary_expression" && comm.child("operator")?.text === "<-" ? unparen(comm.child("operand")) : undefined;
  return operand?.type === "call_expression" && callParts(operand).name === "Done";
}

function channelText(send: GoNode): string {
  return send.child("channel")?.text ?? "";
}

/** The name a call's value is bound to: `ch := make(…)`, `s.ch = make(…)`. */
function boundName(call: GoNode): string | undefined {
  const target = bindingOfValue(call)?.targets[0];
  if (target) return target.text;
  const list = call.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "right" || stmt?.type !== "assignment_statement") return undefined;
  const left = stmt.child("left")?.namedChildren ?? [];
  return left[list.namedChildren.indexOf(call)]?.text;
}

export default rule;
