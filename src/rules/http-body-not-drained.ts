import type { GoNode } from "../analysis/node.js";
import { declarationOf, initializerOf, referencesOf } from "../analysis/scope.js";
import { bindingOfValue, callParts, callSummary, enclosingFunction, isInLoop, unparen } from "../analysis/syntax.js";
import type { Rule, RuleContext } from "../engine/types.js";
import { responseCall, responseTriggers } from "./http-body-not-closed.js";

/** Fields of a response that say something about it without touching its body. */
const HEAD_FIELDS = new Set(["StatusCode", "Status", "Header", "Trailer", "ContentLength", "Proto", "ProtoMajor", "ProtoMinor", "Request", "TLS", "Uncompressed", "TransferEncoding"]);

const rule: Rule = {
  meta: {
    id: "http-body-not-drained",
    category: "http",
    severity: "info",
    title: "response body closed without being read",
    rationale:
      "The HTTP/1.x transport puts a connection back in its idle pool only when the response body was read to the end. Closing a body nobody read makes it close the connection instead, so a client that only looks at the status code dials (and handshakes TLS) again on every request, and under load piles up sockets in TIME_WAIT.",
    fix: "Read what is left before closing: `io.Copy(io.Discard, resp.Body)`, bounded with `io.LimitReader` when the server may send a large body.",
    bad: `resp, err := client.Do(req)
if err != nil {
	return err
}
defer resp.Body.Close()
if resp.StatusCode != http.StatusOK {
	return fmt.Errorf("ping: %s", resp.Status)
}
return nil`,
    good: `resp, err := client.Do(req)
if err != nil {
	return err
}
defer resp.Body.Close()
_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
if resp.StatusCode != http.StatusOK {
	return fmt.Errorf("ping: %s", resp.Status)
}
return nil`,
    suggestion: "none",
    // A test's connections end with the test; reuse does not matter there.
    inTests: "skip",
  },
  // The response calls of http-body-not-closed: a selector call that spells `Do`/`Get`/…, or a
  // package helper whose signature mentions `Response`.
  triggers: (ctx) => responseTriggers(ctx, ["Do", "Get", "Post", "PostForm"], "typed"),
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const binding = bindingOfValue(call);
      const target = binding?.targets[0];
      if (binding?.targets.length !== 2 || target?.type !== "identifier" || target.text === "_") continue;
      if (responseCall(call, ctx.file) !== "typed" || asksForNoBody(call) || reusesNoConnection(call)) continue;
      const decl = declarationOf(target);
      const fn = enclosingFunction(call);
      if (!decl || !fn) continue;
      const closes = bodyClosesIfNeverRead(decl, fn);
      if (!closes) continue;
      report(ctx, call, target.text, closes[0]!);
    }
  },
};

function report(ctx: RuleContext, call: GoNode, name: string, close: GoNode): void {
  const repeats = isInLoop(call) ? " — and this runs once per iteration" : "";
  ctx.report({
    node: call,
    message: `\`${name}.Body\` from \`${callSummary(call)}\` is closed without being read${repeats}: the transport reuses a connection only after its body was read to the end, so it closes this one and the next request dials (and handshakes) again. Drain it before closing: \`io.Copy(io.Discard, ${name}.Body)\`.`,
    related: [{ node: close, message: "closed unread" }],
  });
}

/**
 * The `resp.Body.Close()` calls of a response whose every other use only looks at its status
 * line or headers (or compares it with nil); undefined when the body is read, or the response
 * goes anywhere else (returned, stored, passed on) where it may be read.
 */
function bodyClosesIfNeverRead(decl: GoNode, fn: GoNode): GoNode[] | undefined {
  const closes: GoNode[] = [];
  for (const use of referencesOf(decl)) {
    if (use === decl) continue;
    if (!use.within(fn)) return undefined;
    const sel = use.parent;
    if (sel?.type === "binary_expression" && unparen(sel.child(use.field === "left" ? "right" : "left"))?.text === "nil") continue;
    if (sel?.type !== "selector_expression" || use.field !== "operand") return undefined;
    const field = sel.child("field")?.text ?? "";
    if (HEAD_FIELDS.has(field)) continue;
    if (field !== "Body") return undefined;
    // `resp.Body.Close()`, deferred or not; any other use of the body may read it.
    const method = sel.parent;
    const call = method?.parent;
    if (method?.type !== "selector_expression" || method.child("field")?.text !== "Close" || call?.type !== "call_expression") return undefined;
    closes.push(call);
  }
  return closes.length > 0 ? closes : undefined;
}

/**
 * `http.Head(…)`, `c.Head(…)`, a helper given the method (`send(ctx, http.MethodHead, …)`), or
 * `c.Do(req)` with a request made for `HEAD`: no body to read.
 */
function asksForNoBody(call: GoNode): boolean {
  const { name, args } = callParts(call);
  if (name === "Head" || args.slice(0, 2).some(isHeadMethod)) return true;
  if (name !== "Do") return false;
  const req = unparen(args[0]);
  const decl = req?.type === "identifier" ? declarationOf(req) : undefined;
  const made = decl ? unparen(initializerOf(decl)?.value) : undefined;
  if (made?.type !== "call_expression") return false;
  return callParts(made).args.slice(0, 2).some(isHeadMethod);
}

/**
 * `c.Do(req)` after `req.Close = true`, or through a client whose transport in this function sets
 * `DisableKeepAlives: true`: the connection is closed after the response anyway, so there is no
 * reuse for draining to keep.
 */
function reusesNoConnection(call: GoNode): boolean {
  const { receiver, name, args } = callParts(call);
  const fn = enclosingFunction(call);
  if (!fn) return false;
  const req = unparen(args[0]);
  const reqDecl = name === "Do" && req?.type === "identifier" ? declarationOf(req) : undefined;
  if (reqDecl && referencesOf(reqDecl).some((use) => setsTrue(use, "Close"))) return true;
  return !!receiver && fn.descendants("keyed_element").some((e) => e.child("key")?.text === "DisableKeepAlives" && e.child("value")?.text === "true");
}

/** `x.Field = true` with `use` the `x`. */
function setsTrue(use: GoNode, field: string): boolean {
  const sel = use.parent;
  const list = sel?.parent;
  const stmt = list?.parent;
  if (sel?.type !== "selector_expression" || sel.child("field")?.text !== field || list?.type !== "expression_list" || list.field !== "left") return false;
  return stmt?.type === "assignment_statement" && stmt.child("right")?.namedChildren[list.namedChildren.indexOf(sel)]?.text === "true";
}

function isHeadMethod(arg: GoNode | undefined): boolean {
  return /^("HEAD"|http\.MethodHead)$/.test(unparen(arg)?.text ?? "");
}

export default rule;
