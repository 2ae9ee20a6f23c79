import { cfgAround, type CfgNode } from "../analysis/cfg.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { bindingOfValue, callSummary, enclosingFunction, enclosingStatement, followingStatements, unparen } from "../analysis/syntax.js";
import { mayCloseBodyBeforeCheck } from "../analysis/text-shapes.js";
import type { Rule } from "../engine/types.js";
import { responseCall, responseTriggers } from "./http-body-not-closed.js";

const rule: Rule = {
  meta: {
    id: "http-body-close-before-err-check",
    category: "http",
    severity: "error",
    title: "response body closed before the error check",
    rationale:
      "When a request fails, the client returns a nil `*http.Response` with the error. A `defer resp.Body.Close()` placed before `if err != nil` evaluates `resp.Body` at once, so the first failed request (a refused connection, a timeout, a DNS error) panics with a nil pointer dereference instead of returning the error.",
    fix: "Move the `defer resp.Body.Close()` below the `if err != nil { … }` check.",
    bad: `resp, err := client.Do(req)
defer resp.Body.Close() // panics when err != nil
if err != nil {
	return err
}`,
    good: `resp, err := client.Do(req)
if err != nil {
	return err
}
defer resp.Body.Close()`,
    suggestion: "none",
    // A nil dereference panics a test as surely as a server, and vet checks test files too.
    inTests: "report",
  },
  // The same response calls as http-body-not-closed: a selector call that spells `Do`/`Get`/…, or a
  // package helper whose signature mentions `Response`.
  triggers: (ctx) => responseTriggers(ctx, ["Do", "Get", "Head", "Post", "PostForm"], "request"),
  // Only a `resp.Body.Close()` can be misplaced, and only where `resp, err` are bound without an
  // `if err != nil` right after: test code calls `Get` on every header and map, code that serves
  // HTTP mentions `Body` and `Close` everywhere, and clients check the error first nearly always.
  triggerTest: mayCloseBodyBeforeCheck,
  check(ctx) {
    const calls = ctx.nodes("call_expression");
    // Only a name whose `.Body.Close()` is called somewhere here can be closed too early.
    const closed = new Set(calls.map(closedName).filter((name) => name !== undefined));
    if (closed.size === 0) return;
    for (const call of calls) {
      // The shape first, then the path; telling a response call costs type lookups, and the body
      // is closed after the check nearly everywhere.
      const binding = bindingOfValue(call);
      const [target, errTarget] = binding?.targets ?? [];
      if (binding?.targets.length !== 2 || target?.type !== "identifier" || errTarget?.type !== "identifier" || target.text === "_" || !closed.has(target.text)) continue;
      const resp = declarationOf(target);
      // `resp, _ := …` never checks the error at all.
      const err = errTarget.text === "_" ? undefined : declarationOf(errTarget);
      const fn = enclosingFunction(call);
      const cfg = cfgAround(call);
      const start = cfg?.nodeOf(call);
      if (!resp || (!err && errTarget.text !== "_") || !fn || !cfg || !start) continue;
      const closes = new Map<CfgNode, GoNode>();
      for (const use of referencesOf(resp)) {
        const stmt = closeStatement(use, fn);
        const node = stmt ? cfg.nodeOf(stmt) : undefined;
        if (stmt && node && !closes.has(node)) closes.set(node, stmt);
      }
      if (closes.size === 0) continue;
      // A node that looks at the error (or at whether the response is nil) is where the check happens.
      const checks = new Set<CfgNode>();
      for (const use of err ? referencesOf(err) : []) {
        const node = checkingNode(cfg.nodeOf(use), use);
        if (node && node !== start) checks.add(node);
      }
      for (const use of referencesOf(resp)) {
        const node = cfg.nodeOf(use);
        if (node && comparedWithNil(use)) checks.add(node);
      }
      const path = cfg.pathFrom(start, { target: (n) => closes.has(n), blocks: (n) => checks.has(n) });
      if (!path) continue;
      const close = closes.get(path[path.length - 1]!)!;
      // With the error discarded, only the close right after the call (vet's shape): later code may have used `resp` already.
      if (!err && followingStatements(binding.statement)[0] !== close) continue;
      const certainty = responseCall(call, ctx.file);
      if (certainty !== "typed" && certainty !== "request") continue;
      const deferred = close.type === "defer_statement";
      const r = target.text;
      ctx.report({
        node: close,
        message: err
          ? `\`${close.text.trim()}\` ${deferred ? "is deferred" : "runs"} before \`${errTarget.text}\` from \`${callSummary(call)}\` is checked: when the request fails, \`${r}\` is nil and evaluating \`${r}.Body\` here panics with a nil pointer dereference. Move it below \`if ${errTarget.text} != nil { … }\`.`
          : `The error of \`${callSummary(call)}\` is discarded, so \`${close.text.trim()}\` panics with a nil pointer dereference whenever the request fails (\`${r}\` is nil then). Keep the error, return on it, then close the body.`,
        related: [{ node: call, message: `\`${r}\` is nil when the request fails` }],
      });
    }
  },
};

/** `resp` of a call `resp.Body.Close()`. */
function closedName(call: GoNode): string | undefined {
  const close = call.child("function");
  const body = close?.type === "selector_expression" && close.child("field")?.text === "Close" ? close.child("operand") : undefined;
  const operand = body?.type === "selector_expression" && body.child("field")?.text === "Body" ? body.child("operand") : undefined;
  return operand?.type === "identifier" ? operand.text : undefined;
}

/** For a use `resp` in `resp.Body.Close()` (deferred or a statement of its own in `fn`), that statement. */
function closeStatement(use: GoNode, fn: GoNode): GoNode | undefined {
  const body = use.parent;
  const close = body?.parent;
  if (body?.type !== "selector_expression" || use.field !== "operand" || body.child("field")?.text !== "Body") return undefined;
  if (close?.type !== "selector_expression" || close.child("field")?.text !== "Close" || close.parent?.type !== "call_expression") return undefined;
  const stmt = enclosingStatement(close.parent);
  if (!stmt || enclosingFunction(use) !== fn) return undefined;
  const inner = stmt.type === "defer_statement" || stmt.type === "expression_statement" ? unparen(stmt.namedChildren[0]) : undefined;
  return inner === close.parent ? stmt : undefined;
}

/**
 * The graph node where a use of the error is evaluated: its own node, except in a case of an
 * expression switch (`switch { case err != nil: … }`), whose cases are evaluated in order from
 * the switch's head on every path through it.
 */
function checkingNode(node: CfgNode | undefined, use: GoNode): CfgNode | undefined {
  if (node?.kind !== "case" || !use.within(node.syntax.child("value") ?? use)) return node;
  return node.preds.find((e) => e.kind === "case")?.from ?? node;
}

/** `resp == nil`, `resp != nil`. */
function comparedWithNil(use: GoNode): boolean {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const cmp = e.parent;
  if (cmp?.type !== "binary_expression" || !/^[!=]=$/.test(cmp.child("operator")?.text ?? "")) return false;
  const other = e.field === "left" ? cmp.child("right") : cmp.child("left");
  return unparen(other)?.type === "nil";
}

export default rule;
