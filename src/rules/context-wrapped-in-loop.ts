import { cfgOf, type CfgNode } from "../analysis/cfg.js";
import type { GoNode } from "../analysis/node.js";
import { assignmentsTo, declarationOf, qualifierIsLocal, usesOf } from "../analysis/scope.js";
import { enclosingFunction, enclosingLoops, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

/** Calls that return a context wrapping their first argument, by import path. */
const WRAPPERS: readonly { path: string; names: readonly string[] }[] = [
  {
    path: "context",
    names: ["WithValue", "WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause", "WithoutCancel"],
  },
  { path: "google.golang.org/grpc/metadata", names: ["AppendToOutgoingContext", "NewOutgoingContext", "NewIncomingContext"] },
  { path: "go.opentelemetry.io/otel/trace", names: ["ContextWithSpan", "ContextWithSpanContext", "ContextWithRemoteSpanContext"] },
];

const rule: Rule = {
  meta: {
    id: "context-wrapped-in-loop",
    category: "retention",
    severity: "warning",
    title: "context wrapped again every time round a loop",
    rationale:
      "`ctx = context.WithValue(ctx, …)` (or `WithCancel`, `WithTimeout`, …) in a loop wraps the context the previous iteration made, not the one the loop started with: the chain grows by one layer per iteration, every value lookup walks all of it, and each cancelable layer stays registered with its parent. A long-running loop holds memory in proportion to how often it has run.",
    fix: "Derive a fresh context from the outer one in each iteration (`iterCtx := context.WithValue(ctx, …)`), and cancel it before the next one.",
    bad: `for _, job := range jobs {
	ctx = context.WithValue(ctx, jobKey, job.ID) // wraps last iteration's ctx
	process(ctx, job)
}`,
    good: `for _, job := range jobs {
	jobCtx := context.WithValue(ctx, jobKey, job.ID)
	process(jobCtx, job)
}`,
    suggestion: "none",
    // A test's loops run a fixed table and end with the test: the chain cannot grow for long.
    inTests: "skip",
  },
  triggers: ["WithValue", "WithCancel", "WithTimeout", "WithDeadline", "WithoutCancel", "AppendToOutgoingContext", "NewOutgoingContext", "NewIncomingContext", "ContextWithSpan", "ContextWithRemoteSpanContext"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const name = WRAPPERS.map((w) => ctx.file.imports.match(call, w.path, w.names)).find((n) => n);
      if (!name || qualifierIsLocal(call)) continue;
      const wrapped = unparen(call.child("arguments")?.namedChildren[0]);
      const variable = wrapped?.type === "identifier" ? declarationOf(wrapped) : undefined;
      if (!wrapped || !variable || !assignsTo(call, variable)) continue;
      if (keyedByIteration(call, name)) continue;
      const fn = enclosingFunction(call);
      const cfg = fn ? cfgOf(fn) : undefined;
      const start = cfg?.nodeOf(call);
      if (!cfg || !start) continue;
      // A new value that does not derive from the variable (or its declaration in the loop) starts the chain over.
      const restarts = new Set<CfgNode>();
      for (const a of assignmentsTo(variable)) {
        if (a.value && !refersTo(a.value, variable)) addNode(restarts, cfg.nodeOf(a.statement));
      }
      addNode(restarts, cfg.nodeOf(variable));
      restarts.delete(start);
      const path = cfg.pathFrom(start, { target: (n) => n === start, blocks: (n) => restarts.has(n) });
      if (!path) continue;
      ctx.report({
        node: call,
        message: `\`${wrapped.text}\` is wrapped by \`${name}\` and assigned back to itself every time round the loop: each iteration adds a layer on top of the last one, so the context chain grows for as long as the loop runs. Derive a new variable from the outer context in each iteration.`,
      });
    }
  },
};

/** The key arguments of the wrappers that add a keyed entry: `WithValue(ctx, key, v)`, `AppendToOutgoingContext(ctx, k1, v1, k2, v2, …)`. */
const KEY_ARGUMENTS: Readonly<Record<string, (args: readonly GoNode[]) => GoNode[]>> = {
  WithValue: (args) => args.slice(1, 2),
  AppendToOutgoingContext: (args) => args.filter((_, i) => i % 2 === 1),
};

/**
 * Each round adds an entry under a key the range gives it (`for k, v := range headers { ctx =
 * metadata.AppendToOutgoingContext(ctx, k, v) }`): the layers are one per entry of the collection,
 * the context the function means to build, not the same key wrapped again for as long as a loop runs.
 */
function keyedByIteration(call: GoNode, name: string): boolean {
  const keys = KEY_ARGUMENTS[name]?.(call.child("arguments")?.namedChildren ?? []) ?? [];
  const loop = enclosingLoops(call)[0];
  const declared = loop?.childOfType("range_clause")?.child("left")?.namedChildren.map((n) => n.text) ?? [];
  return keys.length > 0 && keys.every((k) => unparen(k)?.type === "identifier" && declared.includes(unparen(k)!.text));
}

/** True when the call's value is assigned (with `=`) to the same variable it wraps. */
function assignsTo(call: GoNode, variable: GoNode): boolean {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "right" || !stmt) return false;
  if (stmt.type !== "assignment_statement" && stmt.type !== "short_var_declaration") return false;
  if ((stmt.child("operator")?.text ?? "=") !== (stmt.type === "short_var_declaration" ? ":=" : "=")) return false;
  // `a, b = ctx1, f(ctx1)`: only a single call on the right binds its first result to the first target.
  if (list.namedChildren.length !== 1) return false;
  const target = stmt.child("left")?.namedChildren[0];
  return target?.type === "identifier" && declarationOf(target) === variable;
}

function refersTo(expr: GoNode, variable: GoNode): boolean {
  return usesOf(variable).some((use) => use.within(expr));
}

function addNode(set: Set<CfgNode>, node: CfgNode | undefined): void {
  if (node) set.add(node);
}

export default rule;
