import type { CfgEdge } from "../analysis/cfg.js";
import { constantDuration } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, leakWhere } from "../analysis/resources.js";
import { declarationOf, qualifierIsLocal } from "../analysis/scope.js";
import { insertLineAfter } from "../analysis/suggest.js";
import {
  bindingOfValue,
  callParts,
  enclosingFunction,
  enclosingLoops,
  enclosingStatement,
  functionName,
  isMainMain,
  outermostFunction,
  ownDescendants,
  rightExpressions,
  unparen,
} from "../analysis/syntax.js";
import { namedTypeOf, receiverTypeName, typeOfExpr } from "../analysis/types.js";
import type { Rule } from "../engine/types.js";

/** Methods that end a value's life: the place a field timer should be stopped. */
const TEARDOWN = ["Close", "Stop", "Shutdown", "Release", "Cancel", "Terminate", "Destroy", "Dispose"];

const rule: Rule = {
  meta: {
    id: "timer-not-stopped",
    category: "timer",
    severity: "warning",
    title: "timer never stopped",
    rationale:
      "A `time.Timer` stays in the runtime's timer heap until it fires or is stopped, and with it everything it references: an `AfterFunc` callback and all it captures, a `NewTimer` channel. A function that returns on a path without `Stop` (or a type whose `Close` leaves its timer armed) keeps that memory alive for the full duration, once per call, and an `AfterFunc` callback then still runs on something already torn down. From Go 1.23 an unreferenced channel timer is collected without `Stop`; an `AfterFunc` timer never is.",
    fix: "`defer t.Stop()` right after creating the timer (or stop it on every path that returns), and stop a timer kept in a field in the type's `Close`.",
    bad: `func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	select {
	case <-ctx.Done():
		return ctx.Err() // t stays in the timer heap until d has passed
	case <-t.C:
		return nil
	}
}`,
    good: `func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}`,
    suggestion: "partial",
    // A test's leftover timer fires within its run and takes nothing with it.
    inTests: "skip",
    // Channel timers (NewTimer) are collectable from Go 1.23; AfterFunc findings say otherwise per report.
    fixedInGo: "1.23",
  },
  // It starts from a call `alias.NewTimer(…)` or `alias.AfterFunc(…)` of package time (a selector).
  triggers: ["NewTimer", "AfterFunc"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const kind = ctx.file.imports.match(call, "time", ["NewTimer", "AfterFunc"]);
      if (!kind || qualifierIsLocal(call)) continue;
      const fn = enclosingFunction(call);
      if (!fn) continue;
      const gate = kind === "AfterFunc" ? { fixedInGo: null } : {};
      const duration = constantDuration(callParts(call).args[0], ctx.file);
      // A timer of a second or less is gone almost at once, callback and all.
      const brief = duration !== undefined && duration <= 1e9 ? { severity: "info" as const } : {};
      const spelled = describe(call);
      const binding = bindingOfValue(call);
      const rights = binding ? rightExpressions(binding.statement.child(binding.statement.type === "var_spec" ? "value" : "right")) : [];
      const target = binding && rights.length === binding.targets.length ? binding.targets[rights.indexOf(outerOf(call))] : undefined;
      if (target && target.text !== "_") {
        // main's timers die with the process.
        if (isMainMain(outermostFunction(fn) ?? fn)) continue;
        const decl = declarationOf(target) ?? target;
        if (enclosingFunction(decl) !== fn || decl.parent?.type === "parameter_declaration") continue;
        const spec = { methods: ["Stop"] };
        let account = accountFor(decl, call, ctx.file, { ...spec, settledBy: (edge, holders) => firedOn(edge, holders) || shutsDownLoop(edge) });
        // Left armed only when a loop shuts down: one timer per shutdown, not per call.
        const onShutdown = account.kind === "released";
        if (onShutdown) account = accountFor(decl, call, ctx.file, { ...spec, settledBy: (edge, holders) => firedOn(edge, holders) });
        if (account.kind !== "leaks") continue;
        const name = target.text;
        const held = kind === "AfterFunc" ? "its callback and everything the callback captures" : "the timer and its channel";
        const then = kind === "AfterFunc" ? ", and then the callback still runs" : "";
        const where = leakWhere(account.end, ctx.lineOf);
        // Stopping a channel timer twice, or after it fired, does nothing: a deferred Stop is always safe.
        const stmt = binding!.statement.type === "var_spec" ? enclosingStatement(binding!.statement) : binding!.statement;
        const suggestion =
          kind === "NewTimer" && stmt?.parent?.type === "statement_list" && !stmt.text.includes("\n") && enclosingLoops(call).length === 0
            ? insertLineAfter(ctx, stmt, `defer ${name}.Stop()`)
            : undefined;
        ctx.report({
          node: call,
          ...gate,
          ...(onShutdown ? { severity: "info" as const } : brief),
          message:
            onShutdown
              ? `\`${name}\` from \`${spelled}\` is not stopped ${where}, where the loop shuts down: ${held} stay in the timer heap until it fires${then}. That happens once per shutdown; \`defer ${name}.Stop()\` still makes it tidy.`
              : account.end.kind === "repeat"
              ? `\`${name}\` from \`${spelled}\` is not stopped ${where}: every iteration leaves a timer armed, holding ${held} until it fires${then}. Stop it before the iteration ends, or create one timer before the loop and Reset it.`
              : `\`${name}\` from \`${spelled}\` is not stopped ${where}: after ${owner(fn)} returns, ${held} stay in the timer heap until it fires${then}. ${account.partly ? "Stop it on that path too, or" : "Add"} \`defer ${name}.Stop()\`${account.partly ? " once it is created" : ""}.`,
          ...(suggestion ? { suggestion } : {}),
        });
        continue;
      }
      const field = fieldTarget(call);
      if (!field) continue;
      const verdict = fieldIsStopped(field.name, ctx.file);
      if (verdict !== "never") continue;
      const teardown = teardownOf(field.owner, fn, ctx.file);
      if (!teardown) continue;
      const held = kind === "AfterFunc" ? "its callback and what the callback captures" : "the timer and its channel";
      ctx.report({
        node: call,
        ...gate,
        ...brief,
        message: `The timer in field \`${field.name}\` (\`${spelled}\`) is never stopped anywhere in the package: \`${teardown.name}\` leaves it armed, so ${held} stay alive until it fires${kind === "AfterFunc" ? " and the callback then runs on a torn-down value" : ""}. Call \`${field.name}.Stop()\` in \`${teardown.name}\`.`,
        related: [{ node: teardown.node, message: `\`${teardown.name}\` does not stop the timer` }],
      });
    }
  },
};

function outerOf(call: GoNode): GoNode {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  return e;
}

/** The edge out of a receive from the timer's channel (`<-t.C`, `case <-t.C:`): the timer has fired, nothing is left to stop. */
function firedOn(edge: CfgEdge, holders: readonly GoNode[]): boolean {
  const from = edge.from;
  // `for range t.C`: each round received a fire, and the range never ends.
  if (from.kind === "range") {
    const right = unparen(from.syntax.child("right"));
    return !!right && receivesFrom(right, holders, true);
  }
  if (from.kind === "case") {
    const comm = from.syntax.child("communication");
    return !!comm && receivesFrom(comm, holders);
  }
  return from.kind === "statement" && from.syntax.type !== "go_statement" && from.syntax.type !== "defer_statement" && receivesFrom(from.syntax, holders);
}

/**
 * The edge into a select case that receives a stop signal (`<-ctx.Done()`, `<-s.quit`, `<-done`)
 * inside a loop: the path where a long-running loop ends.
 */
function shutsDownLoop(edge: CfgEdge): boolean {
  if (edge.kind !== "case" || edge.to.kind !== "case" || enclosingLoops(edge.to.syntax).length === 0) return false;
  let comm = edge.to.syntax.child("communication");
  if (comm?.type === "receive_statement") comm = comm.child("right");
  comm = unparen(comm);
  if (comm?.type !== "unary_expression" || comm.child("operator")?.text !== "<-") return false;
  const channel = unparen(comm.child("operand"));
  if (channel?.type === "call_expression") return callParts(channel).name === "Done";
  const name = channel?.type === "selector_expression" ? channel.child("field")?.text : channel?.type === "identifier" ? channel.text : undefined;
  return !!name && STOP_CHANNEL.test(name);
}

const STOP_CHANNEL = /quit|done|stop|shut|clos|exit|term|kill|die|cancel|abort/i;

/** A receive `<-h.C` from one of the holders' channel in this statement (outside nested literals). */
function receivesFrom(stmt: GoNode, holders: readonly GoNode[], ranged = false): boolean {
  return (ranged ? [stmt] : ownDescendants(stmt, "unary_expression")).some((u) => {
    if (!ranged && u.child("operator")?.text !== "<-") return false;
    const operand = ranged ? u : unparen(u.child("operand"));
    if (operand?.type !== "selector_expression" || operand.child("field")?.text !== "C") return false;
    const id = unparen(operand.child("operand"));
    return id?.type === "identifier" && holders.includes(declarationOf(id) ?? id);
  });
}

/** `x.f = time.AfterFunc(…)` or `T{f: time.NewTimer(…)}`: the field's name and the expression (or literal) that owns it. */
function fieldTarget(call: GoNode): { name: string; owner: GoNode } | undefined {
  const e = outerOf(call);
  const p = e.parent;
  if (p?.type === "literal_element" && p.parent?.type === "keyed_element" && p.field !== "key") {
    const key = p.parent.namedChildren[0];
    const name = key?.type === "literal_element" ? key.namedChildren[0] : undefined;
    const literal = p.parent.parent?.parent;
    return name?.type === "identifier" && literal?.type === "composite_literal" ? { name: name.text, owner: literal } : undefined;
  }
  if (p?.type !== "expression_list" || p.field !== "right") return undefined;
  const stmt = p.parent;
  if (stmt?.type !== "assignment_statement" || stmt.child("operator")?.text !== "=") return undefined;
  const left = stmt.child("left")?.namedChildren ?? [];
  if (left.length !== p.namedChildren.length) return undefined;
  const target = left[p.namedChildren.indexOf(e)];
  if (target?.type !== "selector_expression") return undefined;
  return { name: target.child("field")?.text ?? "", owner: target.child("operand")! };
}

/**
 * What the package does with a timer field called `name`, from every selector `.name`: "stopped"
 * when some code calls `.name.Stop()`, "unknown" when some use may hand it to code that does
 * (passed on, copied, returned), "never" when every use assigns it, resets it, reads its
 * channel or compares it with nil.
 */
function fieldIsStopped(name: string, file: FileScope): "stopped" | "unknown" | "never" {
  let verdict: "stopped" | "unknown" | "never" = "never";
  for (const { node } of file.packageDeclarationsMentioning(name)) {
    for (const sel of node.descendants("selector_expression")) {
      if (sel.child("field")?.text !== name) continue;
      let e = sel;
      while (e.parent?.type === "parenthesized_expression") e = e.parent;
      const p = e.parent;
      if (p?.type === "selector_expression" && e.field === "operand") {
        const method = p.child("field")?.text;
        if (method === "Stop") return "stopped";
        if (method === "Reset" || method === "C") continue;
        verdict = "unknown";
        continue;
      }
      if (p?.type === "expression_list" && p.field === "left") continue;
      if (p?.type === "binary_expression" && /^[!=]=$/.test(p.child("operator")?.text ?? "")) continue;
      verdict = "unknown";
    }
  }
  return verdict;
}

/** The teardown method (Close, Stop, …) of the type that owns the field, if the package declares one. */
function teardownOf(owner: GoNode, fn: GoNode, file: FileScope): { name: string; node: GoNode } | undefined {
  const typeName = owner.type === "composite_literal" ? namedTypeOf(typeOfExpr(owner, file)) : ownerTypeName(owner, fn, file);
  if (!typeName) return undefined;
  for (const name of TEARDOWN) {
    const method = file.packageMethodsIn(name).find((m) => receiverTypeName(m.node) === typeName);
    if (method) return { name, node: method.node.child("name") ?? method.node };
  }
  return undefined;
}

/** The named type of the expression that holds the field: the receiver's type for `s.f` in a method of `s`. */
function ownerTypeName(owner: GoNode, fn: GoNode, file: FileScope): string | undefined {
  const top = outermostFunction(fn) ?? fn;
  const id = unparen(owner);
  if (id?.type === "identifier" && top.type === "method_declaration") {
    const receiver = top.child("receiver")?.namedChildren[0]?.childrenOf("name")[0];
    if (receiver && declarationOf(id) === receiver) return receiverTypeName(top);
  }
  return namedTypeOf(typeOfExpr(owner, file));
}

function owner(fn: GoNode): string {
  if (fn.type === "func_literal") return "the function literal";
  const name = functionName(fn);
  return name ? `\`${name}\`` : "the function";
}

function describe(call: GoNode): string {
  const text = call.text;
  return text.length <= 60 && !text.includes("\n") ? text : `${call.child("function")?.text ?? "time.NewTimer"}(…)`;
}

export default rule;
