import { cfgOf, type CfgEdge } from "../analysis/cfg.js";
import { runsOncePerProcess } from "../analysis/channels.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, qualifierIsLocal } from "../analysis/scope.js";
import { indentOf } from "../analysis/suggest.js";
import {
  bindingOfValue,
  enclosingFunction,
  enclosingLoops,
  functionName,
  goStatementOfLiteral,
  outermostFunction,
  isMainMain,
  unparen,
} from "../analysis/syntax.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "time-tick-leak",
    category: "timer",
    severity: "warning",
    title: "time.Tick in a function that returns",
    rationale:
      "`time.Tick(d)` starts a ticker and hands out only its channel, so nothing can ever stop it. Before Go 1.23 the runtime keeps an unstopped ticker alive and firing for the rest of the process: each call of a function that uses `time.Tick` and then returns (or each goroutine that ends) leaves one more ticker behind.",
    fix: "Use `t := time.NewTicker(d)` with `defer t.Stop()` and read `t.C`; keep `time.Tick` for loops that run as long as the process.",
    bad: `func (c *Conn) keepalive(ctx context.Context) error {
	for range time.Tick(30 * time.Second) { // the ticker outlives keepalive
		if err := c.ping(ctx); err != nil {
			return err
		}
	}
	return nil
}`,
    good: `func (c *Conn) keepalive(ctx context.Context) error {
	ticker := time.NewTicker(30 * time.Second)
	defer ticker.Stop()
	for range ticker.C {
		if err := c.ping(ctx); err != nil {
			return err
		}
	}
	return nil
}`,
    suggestion: "partial",
    // Tests end with their process; SA1015 exempts them too.
    inTests: "skip",
    fixedInGo: "1.23",
  },
  // It starts from a call `alias.Tick(…)` of package time (a selector; dot imports are not matched).
  triggers: ["Tick"],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      if (!ctx.file.imports.match(call, "time", ["Tick"]) || qualifierIsLocal(call)) continue;
      const fn = enclosingFunction(call);
      const cfg = fn ? cfgOf(fn) : undefined;
      const start = cfg?.nodeOf(call);
      if (!fn || !cfg || !start) continue;
      const spelled = describe(call);
      // Evaluated every time round a loop (a range header evaluates its operand once): a new ticker each time.
      if (!isRangeOperand(call) && cfg.canRepeat(start)) {
        ctx.report({
          node: call,
          message: `\`${spelled}\` starts a new ticker every time the loop comes round, and none of them can ever be stopped: before Go 1.23 each one keeps firing for the rest of the process. Create one \`time.NewTicker\` before the loop and \`defer t.Stop()\`.`,
        });
        continue;
      }
      // Process-lifetime code leaks one ticker per process, which is what time.Tick is for.
      if (runsOnceAtStartup(call) || runsOncePerProcess(call, ctx.file)) continue;
      const channel = tickChannel(call);
      const path = cfg.pathFrom(start, { target: (n) => n === cfg.exit, skips: (edge) => rangesOverTick(edge, call, channel) });
      if (!path) continue; // the function never gets past the ticker: it lives as long as the ticker does
      const end = path[path.length - 2];
      const where = end?.syntax.type === "return_statement" ? `returns at line ${ctx.lineOf(end.syntax)}` : "ends";
      const subject = goStatementOfLiteral(fn) ? "the goroutine" : fn.type === "func_literal" ? "the function literal" : `\`${functionName(fn)}\``;
      const suggestion = replaceWithTicker(ctx, call, fn);
      ctx.report({
        node: call,
        message: `\`${spelled}\` starts a ticker that can never be stopped: when ${subject} ${where}, it keeps firing, and before Go 1.23 it is never collected, so every ${goStatementOfLiteral(fn) ? "goroutine" : "call"} leaks one. Use \`time.NewTicker\` and \`defer t.Stop()\`.`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

/** In package main's `main` or an `init` (directly or in a literal they start), in no loop body: once per process. */
function runsOnceAtStartup(node: GoNode): boolean {
  const top = outermostFunction(node);
  if (!top || !(isMainMain(top) || (top.type === "function_declaration" && functionName(top) === "init"))) return false;
  let prev = node;
  for (const a of node.ancestors()) {
    if (a.type === "for_statement" && prev.field === "body") return false;
    if (a === top) return true;
    prev = a;
  }
  return true;
}

/** `for … range time.Tick(d)`: the operand of a range clause. */
function isRangeOperand(call: GoNode): boolean {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  return e.parent?.type === "range_clause" && e.field === "right";
}

/** The local variable the tick channel is bound to (`tick := time.Tick(d)`), if any. */
function tickChannel(call: GoNode): GoNode | undefined {
  const binding = bindingOfValue(call);
  const target = binding?.targets.length === 1 ? binding.targets[0] : undefined;
  if (!target || target.text === "_") return undefined;
  return declarationOf(target) ?? target;
}

/** The `done` edge of a range over the tick channel: a ticker's channel is never closed, so it is never taken. */
function rangesOverTick(edge: CfgEdge, call: GoNode, channel: GoNode | undefined): boolean {
  if (edge.kind !== "done" || edge.from.kind !== "range") return false;
  const right = unparen(edge.from.syntax.child("right"));
  if (right === call) return true;
  return !!channel && right?.type === "identifier" && declarationOf(right) === channel;
}

/**
 * For `tick := time.Tick(d)` or `for … range time.Tick(d) {` on one line, directly in the body
 * of a function (no loop around it): a `time.NewTicker` stopped by a defer, read through `.C`.
 */
function replaceWithTicker(ctx: RuleContext, call: GoNode, fn: GoNode): Suggestion | undefined {
  if (enclosingLoops(call).length > 0 || /\bticker\b/.test(fn.text)) return undefined;
  const callee = call.child("function");
  const args = call.child("arguments");
  if (callee?.type !== "selector_expression" || !args) return undefined;
  const ticker = `ticker := ${callee.child("operand")!.text}.NewTicker${args.text}`;
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const range = e.parent?.type === "range_clause" && e.field === "right" ? e.parent : undefined;
  const binding = range ? undefined : bindingOfValue(call);
  const stmt = range ? range.parent : binding?.statement.type === "short_var_declaration" && binding.targets.length === 1 ? binding.statement : undefined;
  if (!stmt || (range && stmt.type !== "for_statement")) return undefined;
  const text = ctx.lineText(ctx.lineOf(stmt));
  if (ctx.lineOf(call) !== ctx.lineOf(stmt) || text.indexOf(call.text) !== text.lastIndexOf(call.text)) return undefined;
  const rewritten = text.replace(call.text, "ticker.C");
  if (stmt.parent?.type !== "statement_list" || enclosingFunction(stmt) !== fn) return undefined;
  const line = ctx.lineOf(stmt);
  const indent = indentOf(stmt, ctx);
  return { startLine: line, endLine: line, replacement: `${indent}${ticker}\n${indent}defer ticker.Stop()\n${rewritten}` };
}

function describe(call: GoNode): string {
  const text = call.text;
  return text.length <= 60 && !text.includes("\n") ? text : `${call.child("function")?.text ?? "time.Tick"}(…)`;
}

export default rule;
