import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, errorCheckAfter, leakWhere, returnsFresh } from "../analysis/resources.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callParts, callSummary, enclosingStatement, isInLoop } from "../analysis/syntax.js";
import { isDeclaredAs, type TypeSpec } from "../analysis/typing.js";
import { isNamedType, mayReturnNamed, resolveCall, resultTypeOf } from "../analysis/types.js";
import { infoOnceAtStartup } from "../analysis/startup.js";
import type { Rule, RuleContext, TriggerContext } from "../engine/types.js";

const HTTP = "net/http";
const VERBS = ["Get", "Head", "Post", "PostForm"];
const CLIENT: TypeSpec = { path: HTTP, names: ["Client"], values: ["net/http.DefaultClient"] };
const mayReturnResponse = mayReturnNamed([[HTTP, ["Response"]]]);
const REQUEST: TypeSpec = { path: HTTP, names: ["Request"], constructors: ["net/http.NewRequest", "net/http.NewRequestWithContext"] };
/** Calls that only accept a stream: a `Body` passed to one of them is an `io.Reader`, not a `[]byte`. */
const READERS = new Set([
  "io.ReadAll", "io/ioutil.ReadAll", "io.Copy", "io.CopyN", "io.CopyBuffer", "io.ReadFull", "io.LimitReader",
  "encoding/json.NewDecoder", "encoding/xml.NewDecoder", "bufio.NewReader", "bufio.NewScanner",
]);

/**
 * How sure we are that a call returns an `*http.Response`: `typed` for `http.Get`, calls on a
 * declared `http.Client` and package helpers declared to return a fresh response; `request` for
 * `X.Do(req)` on an unknown X with an `*http.Request`; `usage` for `X.Get(url)`-style calls on
 * an unknown X whose result's `Body` is read as a stream (reported as info: only usage says so).
 */
export type Certainty = "typed" | "request" | "usage";

const rule: Rule = {
  meta: {
    id: "http-body-not-closed",
    category: "leak-resource",
    severity: "error",
    title: "response body never closed",
    rationale:
      "An `*http.Response` keeps its connection checked out of the transport until the body is closed. A body that is never closed holds the connection, its buffers and the transport's read goroutine forever, so every call leaks a little more until the process runs out of memory or file descriptors.",
    fix: "Close the body on every path once the error check has passed, usually with `defer resp.Body.Close()` right after `if err != nil { … }`.",
    bad: `resp, err := http.Get(url)
if err != nil {
	return err
}
return json.NewDecoder(resp.Body).Decode(&out)`,
    good: `resp, err := http.Get(url)
if err != nil {
	return err
}
defer resp.Body.Close()
return json.NewDecoder(resp.Body).Decode(&out)`,
    suggestion: "partial",
    // In tests: connections a test leaks end with its process.
    inTests: "skip",
    equivalents: { golangci: ["bodyclose"] },
  },
  // Every response call is a selector call `X.Get(…)`/`X.Do(…)` (http.Get, a client, a field),
  // whose method name is written at the call, or a call of a package helper whose signature
  // mentions `Response`.
  triggers: (ctx) => responseTriggers(ctx, ["Do", ...VERBS], "usage"),
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      // The shape first (a call dropped, or bound to a value and an error): it is cheaper than
      // telling whether the call returns a response.
      const discarded = call.parent?.type === "expression_statement";
      const binding = discarded ? undefined : bindingOfValue(call);
      const target = binding?.targets[0];
      if (!discarded && (!binding || binding.targets.length !== 2 || !target)) continue;
      const certainty = responseCall(call, ctx.file);
      if (!certainty) continue;
      const label = callSummary(call);
      if (!binding || !target) {
        if (certainty === "typed") reportDiscarded(ctx, call, label);
        continue;
      }
      if (target.text === "_") {
        if (certainty === "typed") reportDiscarded(ctx, call, label);
        continue;
      }
      const decl = declarationOf(target);
      if (!decl) continue;
      if (certainty !== "typed" && !readsBodyAsStream(decl, ctx.file)) continue;
      const account = accountFor(decl, call, ctx.file, { methods: ["Close"], via: ["Body"] }, { err: binding.targets[1] });
      if (account.kind !== "leaks") continue;
      const name = target.text;
      const stmt = enclosingStatement(call);
      const check = stmt === binding.statement && !isInLoop(stmt) && !account.partly ? errorCheckAfter(stmt, binding.targets[1]) : undefined;
      ctx.report({
        node: call,
        ...(certainty === "usage" && !(account.partly && closesBody(decl)) ? { severity: "info" as const } : infoOnceAtStartup(call, ctx.file)),
        message: account.partly
          ? `\`${name}.Body\` from \`${label}\` is not closed ${leakWhere(account.end, ctx.lineOf)}: on that path the response keeps its connection, buffers and read goroutine. Close it there too, or \`defer ${name}.Body.Close()\` right after the error check.`
          : `\`${name}.Body\` from \`${label}\` is never closed: the response keeps its connection, buffers and read goroutine until it is, so each call leaks them. Add \`defer ${name}.Body.Close()\` after the error check.`,
        related: account.partly ? [{ node: account.end.node, message: `leaves \`${name}.Body\` open` }] : [],
        ...(check && stmt ? { suggestion: insertLineAfter(ctx, check, `defer ${name}.Body.Close()`, stmt) } : {}),
      });
    }
  },
};

function reportDiscarded(ctx: RuleContext, call: GoNode, label: string): void {
  ctx.report({
    node: call,
    ...infoOnceAtStartup(call, ctx.file),
    message: `The response of \`${label}\` is discarded, so its body can never be closed: the connection, its buffers and read goroutine leak on every call. Keep the response and \`defer resp.Body.Close()\` after the error check.`,
  });
}

/**
 * The trigger words of a rule that starts from {@link responseCall} calls with the given names.
 * Only a package that imports `net/http` can declare a client, a request or a helper returning
 * a response: elsewhere a response is known by its use alone (its `Body` read as a stream), so
 * the names count only for a rule that accepts that certainty, and only where `Body` is written.
 */
export function responseTriggers(ctx: TriggerContext, names: readonly string[], weakest: Certainty): readonly string[] {
  if (ctx.packageImports(HTTP)) return [...names, ...mayReturnResponse.standardNames, ...ctx.functionsReturning("Response")];
  return weakest === "usage" ? ["Body"] : [];
}

/** How sure memlint is that a call returns a fresh `*http.Response` (see {@link Certainty}); undefined when it does not. */
export function responseCall(call: GoNode, file: FileScope): Certainty | undefined {
  if (file.imports.match(call, HTTP, VERBS)) return "typed";
  const { receiver, name, args } = callParts(call);
  const verb = !!receiver && (name === "Do" || VERBS.includes(name));
  if (verb && receiver?.type === "identifier" && file.imports.pathOf(receiver.text)) return undefined;
  if (verb && isDeclaredAs(receiver, file, CLIENT)) return "typed";
  // Declared to return a response: a package helper that passes on a fresh one (not one it keeps), an interface's method.
  if (mayReturnResponse(call, file) && isNamedType(resultTypeOf(call, 0, file), HTTP, ["Response"]) && (!resolveCall(call, file) || returnsFresh(call, 0, file, isResponseCall))) return "typed";
  if (verb && name === "Do" && args.length === 1 && isDeclaredAs(args[0], file, REQUEST)) return "request";
  // `X.Get(url)` on an X of another package: a response if its Body is then read as a stream.
  return verb && args.length >= 1 && resultTypeOf(call, 0, file) === undefined ? "usage" : undefined;
}

/** A standard call that returns a fresh response (for package helpers that return what it gave them). */
function isResponseCall(call: GoNode, file: FileScope): boolean {
  const { receiver, name } = callParts(call);
  return !!file.imports.match(call, HTTP, VERBS) || (!!receiver && (name === "Do" || VERBS.includes(name)) && isDeclaredAs(receiver, file, CLIENT));
}

/** `resp.Body` handed to a stream reader (`io.ReadAll(resp.Body)`): the value is a real response. */
function readsBodyAsStream(decl: GoNode, file: FileScope): boolean {
  return referencesOf(decl).some((use) => {
    const sel = use.parent;
    if (sel?.type !== "selector_expression" || sel.child("field")?.text !== "Body") return false;
    const call = sel.parent?.type === "argument_list" ? sel.parent.parent : undefined;
    return !!call && READERS.has(file.imports.qualifiedName(call) ?? "");
  });
}

/**
 * The function itself calls `X.Body.Close()` on some path: the code treats the value as a
 * response whose body must be closed, which settles what only usage suggested.
 */
function closesBody(decl: GoNode): boolean {
  return referencesOf(decl).some((use) => {
    const body = use.parent;
    if (body?.type !== "selector_expression" || body.child("field")?.text !== "Body") return false;
    const close = body.parent;
    return close?.type === "selector_expression" && close.child("field")?.text === "Close" && close.parent?.type === "call_expression";
  });
}

export default rule;
