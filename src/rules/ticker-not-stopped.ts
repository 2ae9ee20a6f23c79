import { cfgOf, type CfgEdge } from "../analysis/cfg.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, leakWhere } from "../analysis/resources.js";
import { declarationOf, qualifierIsLocal, referencesOf } from "../analysis/scope.js";
import {
  bindingOfValue,
  enclosingFunction,
  enclosingLoops,
  enclosingStatement,
  isMainMain,
  outermostFunction,
  functionName,
  goStatementOfLiteral,
  rightExpressions,
  unparen,
} from "../analysis/syntax.js";
import type { RuleContext, Rule, Suggestion } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "ticker-not-stopped",
    category: "timer",
    severity: "warning",
    title: "ticker never stopped",
    rationale:
      "A `time.Ticker` keeps a runtime timer that fires every period until `Stop` is called. Before Go 1.23 the runtime holds on to an unstopped ticker, so it is never garbage-collected: every call that creates one and returns without stopping it leaves a ticker firing for the rest of the process.",
    fix: "Call `defer t.Stop()` right after `t := time.NewTicker(d)`, or hand the ticker to whoever stops it.",
    bad: `func poll(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err() // the ticker keeps firing after poll returns
		case <-t.C:
			refresh()
		}
	}
}`,
    good: `func poll(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			refresh()
		}
	}
}`,
    suggestion: "yes",
    // In tests: a test's tickers end with its process.
    inTests: "skip",
    fixedInGo: "1.23",
  },
  // It starts from a call `alias.NewTicker(…)` of package time (a selector; dot imports are not
  // matched): `NewTicker` is always there.
  triggers: ["NewTicker"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      if (!ctx.file.imports.match(call, "time", ["NewTicker"]) || qualifierIsLocal(call)) continue;
      const fn = enclosingFunction(call);
      // main's tickers live as long as the process anyway.
      if (!fn || isMainMain(fn)) continue;
      let e = call;
      while (e.parent?.type === "parenthesized_expression") e = e.parent;
      const parent = e.parent;
      if (parent?.type === "selector_expression" && e.field === "operand" && parent.child("field")?.text === "C") {
        // `for range time.NewTicker(d).C {}` with no way out, or `c := time.NewTicker(d).C` before a
        // `for { select { … } }` that never returns: the function lives as long as the ticker.
        if (enclosingLoops(call).length === 0 && (endlessRangeOver(parent) || neverReturnsAfter(call, fn))) continue;
        ctx.report({
          node: call,
          message: `\`${describe(call)}.C\` keeps only the channel: the ticker itself is dropped and can never be stopped, so (before Go 1.23) it is never collected and keeps firing after ${where(call)} returns. Keep it in a variable and \`defer t.Stop()\`.`,
        });
        continue;
      }
      const binding = bindingOfValue(call);
      if (!binding) continue; // returned, passed on, stored in a field or a slice: somebody else owns it
      const rights = rightExpressions(binding.statement.child(binding.statement.type === "var_spec" ? "value" : "right"));
      const target = rights.length === binding.targets.length ? binding.targets[rights.indexOf(e)] : binding.targets[0];
      if (!target || target.text === "_") continue;
      const decl = declarationOf(target);
      if (!decl || enclosingFunction(decl) !== fn || decl.parent?.type === "parameter_declaration") continue;
      // A range over the ticker's channel never ends by itself: once there, the function lives as long as the ticker.
      const account = accountFor(decl, call, ctx.file, { methods: ["Stop"], settledBy: (edge) => rangesOverTicker(edge, decl) });
      if (account.kind !== "leaks") continue;
      const inGoroutine = usedByGoroutine(decl, fn);
      const suggestion = !inGoroutine && !account.partly ? deferStop(ctx, binding.statement, target.text) : undefined;
      const perIteration = account.end.kind === "repeat";
      ctx.report({
        node: call,
        message: perIteration
          ? `\`${target.text}\` from \`${describe(call)}\` is not stopped ${leakWhere(account.end, ctx.lineOf)}: before Go 1.23 an unstopped ticker is never collected and keeps firing, so every iteration leaks one. Call \`${target.text}.Stop()\` before the iteration ends, or create one ticker outside the loop.`
          : account.partly
            ? `\`${target.text}\` from \`${describe(call)}\` is not stopped ${leakWhere(account.end, ctx.lineOf)}: before Go 1.23 an unstopped ticker is never collected and keeps firing. ${inGoroutine ? `Stop it in the goroutine that uses it (\`defer ${target.text}.Stop()\` at its start).` : `Stop it on that path too, or \`defer ${target.text}.Stop()\` once it is created.`}`
            : `\`${target.text}\` from \`${describe(call)}\` is never stopped: before Go 1.23 an unstopped ticker is never collected and keeps firing, so every call of ${where(call)} leaks one. ${inGoroutine ? `Stop it in the goroutine that uses it (\`defer ${target.text}.Stop()\` at its start).` : `Add \`defer ${target.text}.Stop()\`.`}`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

/** The `done` edge of `for range t.C` over this ticker: a ticker's channel is never closed, so it is never taken. */
function rangesOverTicker(edge: CfgEdge, decl: GoNode): boolean {
  if (edge.kind !== "done") return false;
  const right = unparen(edge.from.syntax.child("right"));
  const operand = right?.type === "selector_expression" && right.child("field")?.text === "C" ? unparen(right.child("operand")) : undefined;
  return operand?.type === "identifier" && declarationOf(operand) === decl;
}

/** `for range time.NewTicker(d).C { … }` whose body never leaves the loop: the function never gets past it. */
function endlessRangeOver(selector: GoNode): boolean {
  const clause = selector.parent;
  const loop = clause?.parent;
  if (clause?.type !== "range_clause" || selector.field !== "right" || loop?.type !== "for_statement") return false;
  const fn = enclosingFunction(loop);
  const cfg = fn ? cfgOf(fn) : undefined;
  const head = cfg?.nodeOf(clause);
  if (!cfg || !head) return false;
  return !cfg.pathFrom(head, { target: (n) => n === cfg.exit, skips: (edge) => edge.from === head && edge.kind === "done" });
}

/** No path leads from the call to the end of the function: what follows is a loop that never ends. */
function neverReturnsAfter(call: GoNode, fn: GoNode): boolean {
  const cfg = cfgOf(fn);
  const start = cfg?.nodeOf(call);
  return !!cfg && !!start && !cfg.pathFrom(start, { target: (n) => n === cfg.exit });
}

/** Some `go func(){…}()` literal directly in `fn` uses the variable. */
function usedByGoroutine(decl: GoNode, fn: GoNode): boolean {
  return referencesOf(decl).some((use) => {
    for (const a of use.ancestors()) {
      if (a === fn) return false;
      if (a.type === "func_literal" && goStatementOfLiteral(a)) return true;
    }
    return false;
  });
}

/** Insert `defer t.Stop()` after a one-line `t := time.NewTicker(d)` that is not in a loop. */
function deferStop(ctx: RuleContext, binding: GoNode, name: string): Suggestion | undefined {
  const stmt = binding.type === "var_spec" ? enclosingStatement(binding) : binding;
  if (!stmt || stmt.parent?.type !== "statement_list" || stmt.text.includes("\n") || enclosingLoops(stmt).length > 0) return undefined;
  const line = ctx.lineOf(stmt);
  const text = ctx.lineText(line);
  const indent = /^\s*/.exec(text)?.[0] ?? "";
  return { startLine: line, endLine: line, replacement: `${text}\n${indent}defer ${name}.Stop()` };
}

function describe(call: GoNode): string {
  const text = call.text;
  return text.length <= 60 && !text.includes("\n") ? text : `${call.child("function")?.text ?? "time.NewTicker"}(…)`;
}

function where(call: GoNode): string {
  const outer = outermostFunction(call);
  const name = outer ? functionName(outer) : "";
  return name ? `\`${name}\`` : "this function";
}

export default rule;
