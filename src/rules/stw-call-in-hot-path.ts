import { cfgOf, type CfgNode } from "../analysis/cfg.js";
import type { GoNode } from "../analysis/node.js";
import { assignmentsTo, declarationOf, qualifierIsLocal } from "../analysis/scope.js";
import { callParts, enclosingFunction, isFunction, unparen } from "../analysis/syntax.js";
import { shapeOf, typeOfExpr } from "../analysis/types.js";
import type { Rule, RuleContext } from "../engine/types.js";

/** Calls that wait on, or block for, something else: a loop that makes one is paced by it. */
const PACING_CALLS = /^(Sleep|Wait|Accept|Read|ReadFrom|ReadMsg|Recv|Next|Poll)$/;

const rule: Rule = {
  meta: {
    id: "stw-call-in-hot-path",
    category: "gc",
    severity: "info",
    title: "stop-the-world call in a busy loop",
    rationale:
      "`runtime.ReadMemStats` and `runtime.Stack(buf, true)` stop every goroutine of the process while they run. Called from a loop that never waits, they pause the whole program over and over, and the more goroutines and heap it has, the longer each pause.",
    fix: "Sample on a timer (`time.NewTicker`) and share the result, or read the cheap counters of `runtime/metrics`, which does not stop the world.",
    bad: `for _, batch := range batches {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms) // stops the world for every batch
	if ms.HeapAlloc > limit {
		flush()
	}
	load(batch)
}`,
    good: `sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
for _, batch := range batches {
	metrics.Read(sample) // no stop-the-world
	if sample[0].Value.Uint64() > limit {
		flush()
	}
	load(batch)
}`,
    suggestion: "none",
    // Tests and benchmarks read memory statistics in loops to measure.
    inTests: "skip",
  },
  // Only qualified `runtime.ReadMemStats` / `runtime.Stack` calls are examined.
  triggers: ["ReadMemStats", "Stack"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const name = ctx.file.imports.match(call, "runtime", ["ReadMemStats", "Stack"]);
      if (!name || qualifierIsLocal(call)) continue;
      // runtime.Stack(buf, false) reads only the calling goroutine.
      if (name === "Stack" && unparen(call.child("arguments")?.namedChildren[1])?.text !== "true") continue;
      const fn = enclosingFunction(call);
      const cfg = fn ? cfgOf(fn) : undefined;
      const start = cfg?.nodeOf(call);
      if (!cfg || !start) continue;
      // A loop that sleeps, waits on a channel or reads input runs at that pace: sampling, not spinning;
      // one that gives runtime.Stack a bigger buffer each time round retries until the dump fits.
      const grows = new Set(growsBuffer(call, name).map((stmt) => cfg.nodeOf(stmt)));
      const path = cfg.pathFrom(start, { target: (n) => n === start, blocks: (n) => n !== start && (paces(ctx, n) || grows.has(n)) });
      if (!path || paces(ctx, start)) continue;
      ctx.report({
        node: call,
        message: `\`${unparen(call.child("function"))?.text ?? name}\` stops the world, and it runs again every time round a loop that never waits: each run pauses every goroutine of the process. Sample it on a timer, or read \`runtime/metrics\`, which does not stop the world.`,
      });
    }
  },
};

/** The statements that assign the buffer of `runtime.Stack(buf, true)`. */
function growsBuffer(call: GoNode, name: string): GoNode[] {
  const buf = name === "Stack" ? unparen(call.child("arguments")?.namedChildren[0]) : undefined;
  const decl = buf?.type === "identifier" ? declarationOf(buf) : undefined;
  return decl ? assignmentsTo(decl).map((a) => a.statement) : [];
}

/** A graph node that blocks until something happens: a receive, a select case, a range over a channel, a sleep or wait. */
function paces(ctx: RuleContext, node: CfgNode): boolean {
  const syntax = node.syntax;
  if (node.kind === "case") return syntax.type === "communication_case";
  if (node.kind === "range") {
    const operand = unparen(syntax.child("right"));
    if (!operand) return false;
    if (operand.type === "call_expression") return /^(Tick|After)$/.test(callParts(operand).name ?? "");
    return (operand.type === "selector_expression" && operand.child("field")?.text === "C") || shapeOf(typeOfExpr(operand, ctx.file)) === "chan";
  }
  if (node.kind !== "statement" && node.kind !== "condition") return false;
  let found = false;
  syntax.walk((n) => {
    if (found || (n !== syntax && isFunction(n))) return false;
    if (n.type === "unary_expression" && n.child("operator")?.text === "<-") found = true;
    else if (n.type === "call_expression" && PACING_CALLS.test(callParts(n).name ?? "")) found = true;
    return undefined;
  });
  return found;
}

export default rule;
