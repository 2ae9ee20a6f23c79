import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { assignmentsTo, declarationOf, initializerOf, qualifierIsLocal, referencesOf } from "../analysis/scope.js";
import { insertKeyedField } from "../analysis/suggest.js";
import { bindingOfValue, callParts, callSummary, enclosingFunction, keyedValue, packageName, unparen } from "../analysis/syntax.js";
import type { Rule, RuleContext } from "../engine/types.js";

const HTTP = "net/http";
/** Package functions that send with `http.DefaultClient`. */
const DEFAULT_CLIENT_FUNCS = ["Get", "Head", "Post", "PostForm"];
const FIELD_LINE = "Timeout: 30 * time.Second";
/** Client methods that send a request. */
const SENDS = ["Do", "Get", "Head", "Post", "PostForm"];
/** Words of code that sends requests with a context that may have a deadline. */
const DEADLINE_WORDS = ["NewRequestWithContext", "WithContext", "WithTimeout", "WithDeadline"];

const rule: Rule = {
  meta: {
    id: "http-client-no-timeout",
    category: "http",
    severity: "warning",
    title: "http client without a timeout",
    rationale:
      "An `http.Client` without `Timeout` (and `http.DefaultClient`, which `http.Get` and friends use) waits for an answer forever. A server that accepts the connection and then stalls keeps the calling goroutine, the connection and its buffers alive indefinitely, and a service that calls it per request piles them up until it runs out of memory or descriptors. The finding is a warning for a client the function itself sends with in a package that uses no contexts; elsewhere (requests with contexts that may carry deadlines, clients kept for streams) it is `info`.",
    fix: "Set `Timeout` on the client (or, for streaming, at least `ResponseHeaderTimeout` and dial timeouts on its transport), or send every request with a context that has a deadline.",
    bad: `var client = &http.Client{
	Transport: &http.Transport{MaxIdleConnsPerHost: 16},
}`,
    good: `var client = &http.Client{
	Timeout:   30 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 16},
}`,
    suggestion: "partial",
    // Test clients talk to httptest servers on loopback.
    inTests: "skip",
  },
  // A client literal spells `Client` (`http.Client{…}`); the default client's calls spell `DefaultClient` or the package function's name.
  triggers: ["Client", "DefaultClient", ...DEFAULT_CLIENT_FUNCS],
  check(ctx) {
    const imports = ctx.file.imports;
    if (!imports.has(HTTP)) return;
    let timeoutTargets: Set<string> | undefined;
    let deadlines: boolean | undefined;
    for (const node of ctx.nodes("composite_literal", "call_expression")) {
      if (node.type === "call_expression") {
        reportDefaultClient(ctx, node);
        continue;
      }
      if (!imports.isType(node.child("type"), HTTP, "Client")) continue;
      const elements = node.child("body")?.namedChildren ?? [];
      if (elements.some((e) => e.type !== "keyed_element")) continue;
      if (elements.some((e) => keyOf(e) === "Timeout")) continue;
      const transport = keyedValue(elements, "Transport");
      if (transport && boundsResponseHeaders(transport, ctx.file)) continue;
      // `c.Timeout = …` in the package (a constructor option, a setter) on the name the client is kept under, or on anything for a client with no name here.
      const name = nameOf(node);
      timeoutTargets ??= timeoutAssignments(ctx.file);
      if (name ? timeoutTargets.has(name) : timeoutTargets.size > 0) continue;
      if ((elements.length === 0 && returnedWithError(node)) || handedOn(node)) continue;
      const suggestion = imports.pathOf("time") === "time" ? insertKeyedField(ctx, node, FIELD_LINE) : undefined;
      // Requests sent with a context may carry their own deadline, and a client kept for later may
      // be meant for streams: only a client this function sends with, in a package without
      // contexts, says enough for a warning.
      deadlines ??= DEADLINE_WORDS.some((w) => ctx.file.packageContains(w));
      ctx.report({
        node,
        ...(deadlines || !sendsHere(node) ? { severity: "info" as const } : {}),
        message: `This \`http.Client\` has no \`Timeout\`: a server that accepts the connection and never answers (or stalls mid-body) keeps the calling goroutine, the connection and its buffers alive forever. Set \`Timeout\`, or for a streaming client at least the transport's \`ResponseHeaderTimeout\`.`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

/** `http.Get(url)`, `http.DefaultClient.Do(req)`: info outside package main (a CLI's one-off request is its own business). */
function reportDefaultClient(ctx: RuleContext, call: GoNode): void {
  const imports = ctx.file.imports;
  const fn = unparen(call.child("function"));
  const direct = imports.match(call, HTTP, DEFAULT_CLIENT_FUNCS) !== undefined && !qualifierIsLocal(call);
  const viaDefault = fn?.type === "selector_expression" && imports.match(fn.child("operand"), HTTP, ["DefaultClient"]) !== undefined && !qualifierIsLocal(fn.child("operand")!);
  if ((!direct && !viaDefault) || packageName(call) === "main") return;
  const context = viaDefault ? requestContext(call, ctx.file) : undefined;
  ctx.report({
    node: call,
    severity: "info",
    message: context
      ? `\`${callSummary(call)}\` sends with \`http.DefaultClient\`, which has no timeout of its own: only a deadline on the request's context \`${context}\` bounds it. If no caller gives \`${context}\` one, a server that stalls keeps this goroutine, its connection and buffers alive forever; a client with \`Timeout\` set bounds it either way.`
      : `\`${callSummary(call)}\` sends with \`http.DefaultClient\`, which has no timeout: a server that stalls keeps this goroutine, its connection and buffers alive forever. Use a client with \`Timeout\` set, or a request context with a deadline.`,
  });
}

/**
 * For `http.DefaultClient.Do(req)` with `req` made by `http.NewRequestWithContext(ctx, …)` (or
 * given a context by `req.WithContext(ctx)`) from a context other than `context.Background()` or
 * `TODO()`: that context, as written. Whoever owns it may bound the request with a deadline.
 */
function requestContext(call: GoNode, file: FileScope): string | undefined {
  const { name, args } = callParts(call);
  const req = unparen(args[0]);
  const decl = name === "Do" && req?.type === "identifier" ? declarationOf(req) : undefined;
  if (!decl) return undefined;
  for (const a of [initializerOf(decl), ...assignmentsTo(decl)]) {
    const v = unparen(a?.value);
    if (v?.type !== "call_expression") continue;
    const c = unparen(file.imports.match(v, HTTP, ["NewRequestWithContext"]) || callParts(v).name === "WithContext" ? callParts(v).args[0] : undefined);
    if (c && !(c.type === "call_expression" && file.imports.match(c, "context", ["Background", "TODO"]))) return c.text;
  }
  return undefined;
}

/** The literal is bound to a local that this function sends a request with (`c.Do(req)`, `c.Get(url)`). */
function sendsHere(literal: GoNode): boolean {
  let e = literal;
  while (e.parent?.type === "parenthesized_expression" || e.parent?.type === "unary_expression") e = e.parent;
  const binding = bindingOfValue(e);
  const target = binding?.targets.length === 1 ? binding.targets[0] : undefined;
  const decl = target?.type === "identifier" && binding?.statement.type === "short_var_declaration" ? declarationOf(target) : undefined;
  const fn = enclosingFunction(literal);
  if (!decl || !fn) return false;
  return referencesOf(decl).some((use) => use.within(fn) && use.field === "operand" && SENDS.includes(use.parent?.child("field")?.text ?? "") && use.parent?.parent?.type === "call_expression");
}

/**
 * The client is handed to a function (`NewAPIWithClient(url, c)`, `oauth2.NewClient(ctx, …)`),
 * directly or through the local it is bound to: that code decides how requests are bounded.
 */
function handedOn(literal: GoNode): boolean {
  let e = literal;
  while (e.parent?.type === "parenthesized_expression" || e.parent?.type === "unary_expression") e = e.parent;
  if (e.parent?.type === "argument_list") return true;
  const binding = bindingOfValue(e);
  const target = binding?.targets.length === 1 ? binding.targets[0] : undefined;
  const decl = target?.type === "identifier" && binding?.statement.type === "short_var_declaration" ? declarationOf(target) : undefined;
  return !!decl && referencesOf(decl).some((use) => use !== decl && use.parent?.type === "argument_list");
}

/** `return http.Client{}, err`: the zero value beside an error, never used. */
function returnedWithError(literal: GoNode): boolean {
  let e = literal;
  while (e.parent?.type === "parenthesized_expression" || e.parent?.type === "unary_expression") e = e.parent;
  const list = e.parent;
  if (list?.type !== "expression_list" || list.parent?.type !== "return_statement") return false;
  const last = list.namedChildren[list.namedChildren.length - 1];
  return last !== e && last?.type !== "nil";
}

function keyOf(element: GoNode): string | undefined {
  return element.child("key")?.text;
}

/**
 * The client's transport bounds the wait for an answer: a `&http.Transport{…}` literal (inline
 * or in a local it is read from) that sets `ResponseHeaderTimeout`.
 */
function boundsResponseHeaders(value: GoNode | undefined, file: FileScope): boolean {
  let v = unparen(value);
  if (v?.type === "identifier") {
    const decl = declarationOf(v);
    const init = decl ? initializerOf(decl) : undefined;
    v = init?.resultIndex === 0 ? unparen(init.value) : undefined;
  }
  if (v?.type === "unary_expression" && v.child("operator")?.text === "&") v = unparen(v.child("operand"));
  if (v?.type !== "composite_literal" || !file.imports.isType(v.child("type"), HTTP, "Transport")) return false;
  return (v.child("body")?.namedChildren ?? []).some((e) => keyOf(e) === "ResponseHeaderTimeout");
}

/**
 * The names whose `Timeout` some declaration of the package assigns: `c` for `c.Timeout = …`,
 * `client` for `s.client.Timeout = …`.
 */
function timeoutAssignments(file: FileScope): Set<string> {
  const names = new Set<string>();
  for (const { node } of file.packageDeclarationsMentioning("Timeout")) {
    for (const a of node.descendants("assignment_statement")) {
      for (const l of a.child("left")?.namedChildren ?? []) {
        if (l.type !== "selector_expression" || l.child("field")?.text !== "Timeout") continue;
        const owner = unparen(l.child("operand"));
        const name = owner?.type === "selector_expression" ? owner.child("field")?.text : owner?.text;
        if (name) names.add(name);
      }
    }
  }
  return names;
}

/**
 * The name a client literal is kept under: the variable of `c := &http.Client{…}` or `var c = …`,
 * the field of `s.client = …` or of a keyed element `client: &http.Client{…}`. Undefined when
 * the literal is returned or passed on.
 */
function nameOf(literal: GoNode): string | undefined {
  let e = literal;
  while (e.parent?.type === "parenthesized_expression" || (e.parent?.type === "unary_expression" && e.parent.child("operator")?.text === "&")) e = e.parent;
  const parent = e.parent;
  if (parent?.type === "literal_element" && parent.parent?.type === "keyed_element" && parent.field === "value") return parent.parent.child("key")?.text;
  if (parent?.type === "keyed_element" && e.field === "value") return parent.child("key")?.text;
  if (parent?.type !== "expression_list") return undefined;
  const i = parent.namedChildren.indexOf(e);
  const holder = parent.parent;
  if (!holder || parent.field !== (holder.type === "var_spec" ? "value" : "right")) return undefined;
  const target = holder.type === "var_spec" ? holder.namedChildren.filter((c) => c.field === "name")[i] : holder.child("left")?.namedChildren[i];
  const t = unparen(target);
  return t?.type === "selector_expression" ? t.child("field")?.text : t?.type === "identifier" ? t.text : undefined;
}

export default rule;
