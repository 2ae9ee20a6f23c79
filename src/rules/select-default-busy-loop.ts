import type { GoNode } from "../analysis/node.js";
import { endLineOf } from "../analysis/suggest.js";
import { branchesOf, statementsOf } from "../analysis/syntax.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";
import { hasWord } from "../analysis/text-shapes.js";

const rule: Rule = {
  meta: {
    id: "select-default-busy-loop",
    category: "leak-goroutine",
    severity: "warning",
    title: "busy loop around a select with an empty default",
    rationale:
      "A `select` with a `default` case never blocks: when no other case is ready it takes `default` at once. In a loop that does nothing else, the goroutine spins at full speed on one core for as long as it waits, instead of sleeping until a channel is ready.",
    fix: "Remove the empty `default` so the `select` blocks until a case is ready (add a `ctx.Done()` case to stop it).",
    bad: `for {
	select {
	case job := <-jobs:
		run(job)
	case <-ctx.Done():
		return
	default: // spins while there is no job
	}
}`,
    good: `for {
	select {
	case job := <-jobs:
		run(job)
	case <-ctx.Done():
		return
	}
}`,
    suggestion: "partial",
    inTests: "report",
  },
  // Every finding is a select's `default` case.
  triggers: ["default"],
  triggerTest: (text) => hasWord(text, "select") && hasWord(text, "for"),
  check(ctx) {
    for (const loop of ctx.nodes("for_statement")) {
      const header = loop.children.find((c) => c.type === "for_clause" || c.type === "range_clause");
      if (header?.type === "range_clause") continue;
      const condition = header ? header.child("condition") : loop.namedChildren.find((c) => c.field !== "body" && c.type !== "comment");
      // A counted loop ends by itself; a condition that calls or receives can change as the loop waits.
      if (header && (header.child("initializer") || header.child("update"))) continue;
      if (condition && !onlyReadsVariables(condition)) continue;
      const stmts = statementsOf(loop.child("body"));
      if (stmts.length !== 1 || stmts[0]!.type !== "select_statement") continue;
      const select = stmts[0]!;
      const cases = branchesOf(select);
      const fallback = cases.find((c) => c.type === "default_case");
      if (!fallback || !isIdle(fallback, loop)) continue;
      const suggestion = cases.length > 1 ? removeDefault(ctx, fallback) : undefined;
      ctx.report({
        node: fallback,
        message: `The loop does nothing but this \`select\`, and its empty \`default\` makes the select return at once whenever no case is ready: the goroutine spins on one core while it waits. Remove the \`default\` so the select blocks until a case is ready.`,
        related: [{ node: loop, message: "the loop" }],
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

/** A default case with no statements, or only a `continue` of this loop. */
function isIdle(fallback: GoNode, loop: GoNode): boolean {
  const stmts = statementsOf(fallback);
  if (stmts.length === 0) return true;
  if (stmts.length !== 1 || stmts[0]!.type !== "continue_statement") return false;
  const label = stmts[0]!.namedChildren.find((c) => c.type === "label_name")?.text;
  return !label || (loop.parent?.type === "labeled_statement" && loop.parent.child("label")?.text === label);
}

/** True when an expression only reads variables and constants: no call, receive or function literal that could change it. */
function onlyReadsVariables(expr: GoNode): boolean {
  let pure = true;
  expr.walk((n) => {
    if (n.type === "call_expression" || n.type === "func_literal" || (n.type === "unary_expression" && n.child("operator")?.text === "<-")) pure = false;
    return pure ? undefined : false;
  });
  return pure;
}

/** Deletes the lines of an idle `default:` (with any trailing comment) that has its lines to itself, by folding them into the line above. */
function removeDefault(ctx: RuleContext, fallback: GoNode): Suggestion | undefined {
  const first = ctx.lineOf(fallback);
  const end = endLineOf(fallback, ctx);
  if (!/^\s*default:\s*(\/\/.*)?$/.test(ctx.lineText(first)) || first < 2) return undefined;
  for (let line = first + 1; line <= end; line++) {
    if (!/^\s*continue\s*$/.test(ctx.lineText(line))) return undefined;
  }
  return { startLine: first - 1, endLine: end, replacement: ctx.lineText(first - 1) };
}

export default rule;
