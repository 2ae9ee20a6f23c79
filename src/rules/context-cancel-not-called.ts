import type { CfgEdge } from "../analysis/cfg.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, leakWhere, type ReleaseSpec } from "../analysis/resources.js";
import { declarationOf, qualifierIsLocal } from "../analysis/scope.js";
import { bindingOfValue, callParts, enclosingFunction, enclosingLoops, enclosingStatement, isMainMain, unparen } from "../analysis/syntax.js";
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
    // In tests: the context's timer and children end with the test process.
    inTests: "skip",
    equivalents: { govet: ["lostcancel"] },
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
      if (!decl || decl.parent?.type === "parameter_declaration" || !stmt) continue;
      const derived = binding.targets[0]?.type === "identifier" ? declarationOf(binding.targets[0]) : undefined;
      const account = accountFor(decl, call, ctx.file, { ...CALLED, settledBy: (edge) => receivesDone(edge, derived) });
      if (account.kind !== "leaks") continue;
      const suggestion = account.partly ? undefined : insertAfter(ctx, stmt, deferText);
      const loop = enclosingLoops(stmt)[0];
      ctx.report({
        node: call,
        message:
          account.end.kind === "repeat" && loop
            ? `\`${cancel.text}\` from \`${describe(call)}\` is not called ${leakWhere(account.end, ctx.lineOf)}: each iteration that skips it leaves a derived context that ${lifetime(deriver)}. Call \`${cancel.text}()\` before the iteration ends on every path, or move the body into a function with \`${deferText}\`.`
            : `\`${cancel.text}\` from \`${describe(call)}\` is not called ${leakWhere(account.end, ctx.lineOf)}: the derived context ${lifetime(deriver)}. ${account.partly ? `Call it on that path too, or add \`${deferText}\` after the call.` : `Add \`${deferText}\` after the call.`}`,
        related: [{ node: account.end.node, message: `leaves \`${cancel.text}\` uncalled` }],
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

/** A cancel func is released by calling it: `cancel()`, `defer cancel()`, `cancel(err)`. */
const CALLED: ReleaseSpec = {
  methods: [],
  isReleasingCall: (call, use) => unparen(call.child("function")) === use,
};

/**
 * The path past `case <-ctx.Done():` (or a bare `<-ctx.Done()`) of the derived context: it is
 * cancelled there already (by its parent or its deadline), and holds nothing a call could free.
 * A goroutine that cancels on a signal or waits for the context to end releases it either way.
 */
function receivesDone(edge: CfgEdge, derived: GoNode | undefined): boolean {
  if (!derived) return false;
  let comm = edge.to.kind === "case" ? edge.to.syntax.child("communication") : edge.from.kind === "statement" ? edge.from.syntax : undefined;
  if (comm?.type === "receive_statement") comm = comm.child("right");
  if (comm?.type === "expression_statement") comm = comm.namedChildren[0];
  comm = unparen(comm);
  if (comm?.type !== "unary_expression" || comm.child("operator")?.text !== "<-") return false;
  const done = unparen(comm.child("operand"));
  if (done?.type !== "call_expression") return false;
  const { receiver, name } = callParts(done);
  const r = unparen(receiver);
  return name === "Done" && r?.type === "identifier" && declarationOf(r) === derived;
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
