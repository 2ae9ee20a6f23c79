import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { escapesAt, escapingClosure, isNamedResult } from "../analysis/escape.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { bindingOfValue, enclosingFunction, enclosingLoops, functionName, isFunction, parametersOf, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const HTTP = "net/http";
/** Client methods that send a request. */
const SENDS = ["Do", "Get", "Head", "Post", "PostForm"];

const rule: Rule = {
  meta: {
    id: "http-transport-per-call",
    category: "http",
    severity: "warning",
    title: "http.Transport built per request or per iteration",
    rationale:
      "Every `http.Transport` keeps its own pool of idle keep-alive connections, each with a read and a write goroutine and their buffers, and those goroutines keep the transport reachable. A transport built in a handler or a loop and used once is never reused and never closed, so every request or round leaves its connections behind (forever when `IdleConnTimeout` is unset) until the process runs out of memory or descriptors.",
    fix: "Build the transport (or the client that holds it) once, in a package variable or a constructor, and share it; if it really must be per call, set `DisableKeepAlives: true` or call `CloseIdleConnections()` when done.",
    bad: `func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{
		Transport: &http.Transport{TLSClientConfig: p.tls},
		Timeout:   10 * time.Second,
	}
	resp, err := client.Do(r.Clone(r.Context()))
	// …
}`,
    good: `func NewProxy(tlsConf *tls.Config) *Proxy {
	return &Proxy{client: &http.Client{
		Transport: &http.Transport{TLSClientConfig: tlsConf},
		Timeout:   10 * time.Second,
	}}
}

func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	resp, err := p.client.Do(r.Clone(r.Context()))
	// …
}`,
    suggestion: "none",
    // Tests build a transport per case against throwaway servers that close with the test.
    inTests: "skip",
  },
  // The literal spells `Transport` (`http.Transport{…}`).
  triggers: ["Transport"],
  check(ctx) {
    const file = ctx.file;
    if (!file.imports.has(HTTP)) return;
    for (const lit of ctx.nodes("composite_literal")) {
      if (!file.imports.isType(lit.child("type"), HTTP, "Transport")) continue;
      const fields = new Map((lit.child("body")?.namedChildren ?? []).filter((e) => e.type === "keyed_element").map((e) => [e.child("key")?.text ?? "", e]));
      // No keep-alive, no idle pool.
      if (fields.get("DisableKeepAlives")?.child("value")?.text === "true") continue;
      const fn = enclosingFunction(lit);
      if (!fn) continue;
      if (closesIdle(fn)) continue;
      const where = enclosingLoops(lit).length > 0 ? "on every round of this loop" : handlerOf(fn, file) ? "on every request this handler serves" : undefined;
      const sentOnce = where ? undefined : sentOnceByCaller(lit, fn, file);
      if (!where && !sentOnce) continue;
      if (where && keptBeyondCall(lit, file)) continue;
      const bounded = fields.has("IdleConnTimeout");
      const built = where
        ? `${where} and used only here`
        : `on every call of \`${functionName(fn)}\`, and \`${sentOnce!.text}\` (line ${ctx.lineOf(sentOnce!)}) sends one request with it and drops it`;
      ctx.report({
        node: lit,
        ...(bounded ? { severity: "info" as const } : {}),
        message: `A new \`http.Transport\` is built ${built}: each one keeps its own idle keep-alive connections (with their goroutines and buffers), which nothing reuses or closes${bounded ? " until `IdleConnTimeout` expires" : ""}. Build the transport (or its client) once and share it, or set \`DisableKeepAlives: true\`.`,
        ...(sentOnce ? { related: [{ node: sentOnce, message: "uses a fresh transport for one request" }] } : {}),
      });
    }
  },
};

/**
 * For a transport (or the client holding it) that a named function returns, a call of that
 * function in this file that sends one request with the result and drops it:
 * `c.HTTPClient().Do(req)`. Such a getter builds a transport per request.
 */
function sentOnceByCaller(lit: GoNode, fn: GoNode, file: FileScope): GoNode | undefined {
  let e = lit;
  while (e.parent?.type === "parenthesized_expression" || (e.parent?.type === "unary_expression" && e.parent.child("operator")?.text === "&")) e = e.parent;
  const value = clientHolding(e, file) ?? e;
  let v = value;
  while (v.parent?.type === "parenthesized_expression" || (v.parent?.type === "unary_expression" && v.parent.child("operator")?.text === "&")) v = v.parent;
  const ret = v.parent?.type === "expression_list" ? v.parent.parent : v.parent;
  const name = functionName(fn);
  if (ret?.type !== "return_statement" || fn.type === "func_literal" || !name || /^(New|new|Make|make|Build|build|Default|default)/.test(name)) return undefined;
  for (const { node, file: where } of file.packageDeclarationsMentioning(name)) {
    if (where !== file) continue;
    for (const call of node.descendants("call_expression")) {
      const f = unparen(call.child("function"));
      const called = f?.type === "selector_expression" ? f.child("field")?.text : f?.text;
      const sel = call.parent;
      if (called === name && sel?.type === "selector_expression" && call.field === "operand" && SENDS.includes(sel.child("field")?.text ?? "") && sel.parent?.type === "call_expression") return call;
    }
  }
  return undefined;
}

/** The function, or a function it is nested in, takes an `http.ResponseWriter`: it runs per request. */
function handlerOf(fn: GoNode, file: FileScope): boolean {
  for (let f: GoNode | undefined = fn; f; f = enclosingFunction(f)) {
    if (isFunction(f) && parametersOf(f).some((p) => file.imports.isType(p.type, HTTP, "ResponseWriter"))) return true;
  }
  return false;
}

/** `x.CloseIdleConnections()` somewhere in the function: whoever built the transport cleans up after it. */
function closesIdle(fn: GoNode): boolean {
  return fn.descendants("selector_expression").some((s) => s.child("field")?.text === "CloseIdleConnections");
}

/**
 * The transport outlives this call or round: it (or the `http.Client` literal it is the
 * `Transport` of) is returned, stored in a field, a map, a slice or a struct other than a
 * client, sent, or handed to a function. A transport used in place (a client that sends and is
 * dropped) is not.
 */
function keptBeyondCall(lit: GoNode, file: FileScope, depth = 0): boolean {
  let e = lit;
  while (e.parent?.type === "parenthesized_expression" || (e.parent?.type === "unary_expression" && e.parent.child("operator")?.text === "&")) e = e.parent;
  const client = clientHolding(e, file);
  if (client) return depth >= 2 || keptBeyondCall(client, file, depth + 1);
  const p = e.parent;
  // `(&http.Client{…}).Do(req)`: the value is the operand of a call on it, used once.
  if (p?.type === "selector_expression" && e.field === "operand") return false;
  const binding = bindingOfValue(e);
  const index = e.parent?.namedChildren.indexOf(e) ?? -1;
  const target = binding ? unparen(binding.targets[index]) : undefined;
  if (!binding || target?.type !== "identifier" || target.text === "_") return true;
  const decl = declarationOf(target);
  const fn = enclosingFunction(lit);
  // A package variable or a named result, or a variable declared outside the loop (kept across rounds).
  if (!decl || !fn || !decl.within(fn) || isNamedResult(decl)) return true;
  if (enclosingLoops(lit).some((loop) => !decl.within(loop))) return true;
  return referencesOf(decl).some((use) => {
    const holder = clientHolding(use, file);
    if (holder) return depth >= 2 || keptBeyondCall(holder, file, depth + 1);
    return escapesAt(use, file) || !!escapingClosure(use, decl, file);
  });
}

/** For a value written as the `Transport:` of an `http.Client{…}` literal, that literal. */
function clientHolding(value: GoNode, file: FileScope): GoNode | undefined {
  let e = value;
  while (e.parent?.type === "parenthesized_expression" || (e.parent?.type === "unary_expression" && e.parent.child("operator")?.text === "&")) e = e.parent;
  let keyed = e.parent;
  if (keyed?.type === "literal_element") keyed = keyed.parent;
  if (keyed?.type !== "keyed_element" || keyed.child("key")?.text !== "Transport") return undefined;
  const lit = keyed.parent?.parent;
  return lit?.type === "composite_literal" && file.imports.isType(lit.child("type"), HTTP, "Client") ? lit : undefined;
}

export default rule;
