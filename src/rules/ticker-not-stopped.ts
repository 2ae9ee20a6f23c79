import { type EndlessRange, neverFallsThrough, uncoveredExits } from "../analysis/control.js";
import type { GoNode } from "../analysis/node.js";
import { fateOf } from "../analysis/resources.js";
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
  ownDescendants,
  rightExpressions,
  statementsOf,
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
    skipsTests: false,
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
        if (livesForever(call, undefined)) continue;
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
      if (fateOf(decl, ctx.file, { methods: ["Stop"] }).kind !== "unreleased") continue;
      if (livesForever(call, decl)) continue;
      // Used by a goroutine: the ticker lives as long as that goroutine needs it, and a
      // `defer t.Stop()` here would stop it under the goroutine's feet.
      const goroutines = goroutinesUsing(decl, fn);
      if (goroutines.some((lit) => literalNeverReturns(lit, decl))) continue;
      const suggestion = goroutines.length === 0 ? deferStop(ctx, binding.statement, target.text) : undefined;
      const perIteration = enclosingLoops(call).length > 0;
      ctx.report({
        node: call,
        message: perIteration
          ? `\`${target.text}\` from \`${describe(call)}\` is never stopped: before Go 1.23 an unstopped ticker is never collected and keeps firing, so every iteration of this loop leaks one. Call \`${target.text}.Stop()\` before the iteration ends, or create one ticker outside the loop.`
          : `\`${target.text}\` from \`${describe(call)}\` is never stopped: before Go 1.23 an unstopped ticker is never collected and keeps firing, so every call of ${where(call)} leaks one. ${goroutines.length > 0 ? `Stop it in the goroutine that uses it (\`defer ${target.text}.Stop()\` at its start).` : `Add \`defer ${target.text}.Stop()\`.`}`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

/**
 * True when the function cannot end once the ticker exists (`for range t.C` with no way out):
 * the goroutine lives as long as the ticker, so a Stop would never run anyway.
 */
function livesForever(call: GoNode, decl: GoNode | undefined): boolean {
  const stmt = enclosingStatement(call);
  // A ticker per iteration of a loop piles up even when the function never ends.
  if (!stmt || enclosingLoops(call).length > 0) return false;
  const endless = tickerRange(call, decl);
  if (ownDescendants(stmt, "return_statement").some((r) => r.start > call.end)) return false;
  if (neverFallsThrough(stmt, endless)) return true;
  const exits = uncoveredExits(stmt, { endlessRange: endless });
  return exits !== undefined && exits.length === 0;
}

/** `range` over this ticker's channel: `t.C`, or `time.NewTicker(d).C` of this call; it never ends. */
function tickerRange(call: GoNode | undefined, decl: GoNode | undefined): EndlessRange {
  return (clause) => {
    const right = unparen(clause.child("right"));
    if (right?.type !== "selector_expression" || right.child("field")?.text !== "C") return false;
    const operand = unparen(right.child("operand"));
    return (!!call && operand === call) || (!!decl && operand?.type === "identifier" && declarationOf(operand) === decl);
  };
}

/** The `go func(){…}()` literals (directly in `fn`) that use the variable. */
function goroutinesUsing(decl: GoNode, fn: GoNode): GoNode[] {
  const out: GoNode[] = [];
  for (const use of referencesOf(decl)) {
    let outer: GoNode | undefined;
    for (const a of use.ancestors()) {
      if (a === fn) break;
      if (a.type === "func_literal") outer = a;
    }
    if (outer && goStatementOfLiteral(outer) && !out.includes(outer)) out.push(outer);
  }
  return out;
}

/** A goroutine body that can never return, e.g. `for range t.C { … }` with no way out. */
function literalNeverReturns(literal: GoNode, decl: GoNode): boolean {
  const body = literal.child("body");
  if (!body || ownDescendants(body, "return_statement").length > 0) return false;
  return statementsOf(body).some((s) => neverFallsThrough(s, tickerRange(undefined, decl)));
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
