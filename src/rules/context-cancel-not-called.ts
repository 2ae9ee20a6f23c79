import { type FunctionExit, uncoveredExits } from "../analysis/control.js";
import { findEscape } from "../analysis/escape.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, qualifierIsLocal, referencesOf } from "../analysis/scope.js";
import {
  bindingOfValue,
  enclosingFunction,
  enclosingLoops,
  enclosingStatement,
  isFunction,
  isMainMain,
  unparen,
} from "../analysis/syntax.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";

const DERIVERS = ["WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause"];

const rule: Rule = {
  meta: {
    id: "context-cancel-not-called",
    category: "leak-resource",
    severity: "error",
    title: "context cancel function not called",
    rationale:
      "A context derived with `WithCancel`, `WithTimeout` or `WithDeadline` registers itself with its parent and, for a deadline, starts a timer. Only calling its cancel function releases them early; when it is dropped or skipped on some return path, the child context, its timer and everything reachable from it stay alive until the parent is cancelled or the deadline passes, which for a long-lived parent means for good.",
    fix: "Keep the cancel function and `defer cancel()` right after deriving the context.",
    bad: `func fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, _ = context.WithTimeout(ctx, 5*time.Second) // cancel discarded
	return get(ctx, url)
}`,
    good: `func fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return get(ctx, url)
}`,
    suggestion: "yes",
    skipsTests: false,
  },
  // Only qualified `context.WithCancel(…)`-style calls (any alias; dot imports are not matched) are examined.
  triggers: DERIVERS,
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const deriver = ctx.file.imports.match(call, "context", DERIVERS);
      if (!deriver || qualifierIsLocal(call)) continue;
      const fn = enclosingFunction(call);
      if (!fn || isMainMain(fn)) continue;
      const binding = bindingOfValue(call);
      // Returned or passed on directly: the caller owns the cancel function.
      if (!binding || binding.targets.length !== 2) continue;
      const cancel = binding.targets[1];
      // `s.cancel = …` / `cancels[i] = …`: stored, released elsewhere.
      if (!cancel) continue;
      const stmt = binding.statement.type === "var_spec" ? enclosingStatement(binding.statement) : binding.statement;
      const deferText = `defer ${cancel.text === "_" ? "cancel" : cancel.text}(${deriver === "WithCancelCause" ? "nil" : ""})`;
      if (cancel.text === "_") {
        const suggestion = stmt && binding.statement.type === "short_var_declaration" ? renameBlank(ctx, stmt, cancel, fn, deferText) : undefined;
        ctx.report({
          node: call,
          message: `The cancel function of \`${describe(call)}\` is discarded: nothing can release the derived context, which ${lifetime(deriver)}. Keep it and \`${deferText}\`.`,
          ...(suggestion ? { suggestion } : {}),
        });
        continue;
      }
      const decl = declarationOf(cancel);
      if (!decl || enclosingFunction(decl) !== fn || decl.parent?.type === "parameter_declaration") continue;
      if (referencesOf(decl).some((use) => deferredOrNested(use, fn))) continue;
      if (findEscape(decl, ctx.file)) continue;
      if (!stmt) continue;
      const exits = uncoveredExits(stmt, { covers: (s) => callsVariable(s, decl) });
      const exit = exits?.[0];
      if (!exit) continue;
      const suggestion = insertAfter(ctx, stmt, deferText);
      // A variable declared in a loop body is lost at the end of its iteration.
      const loop = enclosingLoops(stmt)[0];
      const perIteration = !!loop && decl.within(loop) && !exit.node.within(loop);
      ctx.report({
        node: call,
        message: perIteration
          ? `\`${cancel.text}\` from \`${describe(call)}\` is not called on every path through the loop body: each iteration that skips it leaves a derived context that ${lifetime(deriver)}. Call \`${cancel.text}()\` before the iteration ends on every path, or move the body into a function with \`${deferText}\`.`
          : `\`${cancel.text}\` from \`${describe(call)}\` is not called ${exitText(ctx, exit)}: the derived context ${lifetime(deriver)}. Add \`${deferText}\` after the call.`,
        related: perIteration ? [{ node: loop, message: "the loop" }] : exits.map((x) => ({ node: x.node, message: x.kind === "return" ? `returns without calling \`${cancel.text}\`` : `the function ends without calling \`${cancel.text}\`` })),
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

/** A use inside a defer (directly or in a deferred literal), a go statement or any nested func literal. */
function deferredOrNested(use: GoNode, fn: GoNode): boolean {
  for (const a of use.ancestors()) {
    if (a === fn) return false;
    if (isFunction(a) || a.type === "defer_statement" || a.type === "go_statement") return true;
  }
  return false;
}

/** `cancel()` (or `cancel(err)`) as a statement, for the variable declared at `decl`. */
function callsVariable(stmt: GoNode, decl: GoNode): boolean {
  if (stmt.type !== "expression_statement") return false;
  const call = stmt.namedChildren[0];
  if (call?.type !== "call_expression") return false;
  const fn = unparen(call.child("function"));
  return fn?.type === "identifier" && declarationOf(fn) === decl;
}

function exitText(ctx: RuleContext, exit: FunctionExit): string {
  const line = ctx.lineOf(exit.node);
  return exit.kind === "return" ? `on the path that returns at line ${line}` : `before the function ends at line ${line}`;
}

function lifetime(deriver: string): string {
  return deriver.startsWith("WithCancel")
    ? "stays attached to its parent until the parent is cancelled"
    : "stays attached to its parent, with a live timer, until the deadline passes or the parent is cancelled";
}

function describe(call: GoNode): string {
  const text = call.text;
  return text.length <= 70 && !text.includes("\n") ? text : `${call.child("function")?.text ?? "context.WithCancel"}(…)`;
}

/** Where `defer cancel()` can go on the next line: a one-line statement of a statement list, outside loops. */
function placeable(stmt: GoNode): boolean {
  return stmt.parent?.type === "statement_list" && !stmt.text.includes("\n") && enclosingLoops(stmt).length === 0;
}

function insertAfter(ctx: RuleContext, stmt: GoNode, deferText: string): Suggestion | undefined {
  if (!placeable(stmt)) return undefined;
  const line = ctx.lineOf(stmt);
  const text = ctx.lineText(line);
  return { startLine: line, endLine: line, replacement: `${text}\n${indentOf(text)}${deferText}` };
}

/** `ctx, _ := …` → `ctx, cancel := …` plus `defer cancel()`, when no `cancel` is in sight. */
function renameBlank(ctx: RuleContext, stmt: GoNode, blank: GoNode, fn: GoNode, deferText: string): Suggestion | undefined {
  if (!placeable(stmt) || fn.descendants("identifier").some((id) => id.text === "cancel")) return undefined;
  const line = ctx.lineOf(stmt);
  const text = ctx.lineText(line);
  const column = blank.start - (ctx.source.lastIndexOf("\n", blank.start - 1) + 1);
  if (text[column] !== "_") return undefined;
  const renamed = `${text.slice(0, column)}cancel${text.slice(column + 1)}`;
  return { startLine: line, endLine: line, replacement: `${renamed}\n${indentOf(text)}${deferText}` };
}

function indentOf(text: string): string {
  return /^\s*/.exec(text)?.[0] ?? "";
}

export default rule;
