import type { GoNode } from "../analysis/node.js";
import { isLoopback } from "../analysis/exposure.js";
import type { FileScope } from "../analysis/file.js";
import { declarationOf, qualifierIsLocal } from "../analysis/scope.js";
import { insertKeyedField } from "../analysis/suggest.js";
import { callParts, callSummary, enclosingFunction, keyedValue, unparen } from "../analysis/syntax.js";
import type { RuleContext } from "../engine/types.js";
import type { Rule } from "../engine/types.js";

/** Either field bounds how long a client may take to send its request headers. */
const READ_TIMEOUTS = ["ReadHeaderTimeout", "ReadTimeout"];
/** Package-level helpers that serve with a zero-value `http.Server`: no timeouts at all. */
const SERVE_FUNCS = ["ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"];
const FIELD_LINE = "ReadHeaderTimeout: 10 * time.Second";

const rule: Rule = {
  meta: {
    id: "http-server-no-timeouts",
    category: "http",
    severity: "warning",
    title: "http server without read timeouts",
    rationale:
      "An http.Server without ReadHeaderTimeout or ReadTimeout waits forever for a client to finish sending its request headers. A slow or malicious client (slowloris) can open many connections and trickle bytes, and each one pins a connection, a goroutine and its read buffers until the process runs out of memory or file descriptors. The package-level http.ListenAndServe and http.Serve use a zero http.Server, so they have no timeouts at all.",
    fix: "Build an http.Server with at least ReadHeaderTimeout (and ReadTimeout/IdleTimeout as the handlers allow) and call its ListenAndServe method.",
    bad: `func main() {
	mux := http.NewServeMux()
	log.Fatal(http.ListenAndServe(":8080", mux))
}`,
    good: `func main() {
	srv := &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Fatal(srv.ListenAndServe())
}`,
    suggestion: "yes",
    // In tests: test servers face no slow clients.
    inTests: "skip",
    equivalents: { gosec: ["G112", "G114"] },
  },
  // Findings start from a qualified `http.ListenAndServe…`/`http.Serve…` call or an `http.Server{…}` literal
  // (`Imports.match`/`isType` need the selector or qualified type as written; no aliases of other declarations).
  triggers: [...SERVE_FUNCS, "Server"],
  check(ctx) {
    const imports = ctx.file.imports;
    if (!imports.has("net/http")) return;
    let configuredInFile: boolean | undefined;
    for (const node of ctx.nodes("call_expression", "composite_literal")) {
      if (node.type === "call_expression") {
        const name = imports.match(node, "net/http", SERVE_FUNCS);
        if (!name || qualifierIsLocal(node)) continue;
        const args = callParts(node).args;
        const handler = name.startsWith("Listen") ? args.at(-1) : args[1];
        const exposure = limitedExposure(args[0], handler, ctx.file);
        ctx.report({
          node,
          message: `\`${callSummary(node, 80)}\` serves with a zero-value http.Server, which has no timeouts: a client that sends its headers slowly keeps a connection, a goroutine and their buffers alive indefinitely.${exposure ? ` ${EXPOSURE[exposure]}` : ""} Create an \`http.Server\` with \`ReadHeaderTimeout\` set and call its \`${name}\` method instead.`,
          ...(exposure ? { severity: "info" as const } : {}),
        });
        continue;
      }
      if (!imports.isType(node.child("type"), "net/http", "Server")) continue;
      // The configuration of an `httptest.Server`: a test server on loopback.
      if (isTestServerConfig(node, ctx)) continue;
      const elements = node.child("body")?.namedChildren ?? [];
      // Positional fields: we cannot tell which is which.
      if (elements.some((e) => e.type !== "keyed_element")) continue;
      if (elements.some((e) => READ_TIMEOUTS.includes(e.child("key")?.text ?? ""))) continue;
      // `srv.ReadHeaderTimeout = …` anywhere in the file (later in this function, in a helper that configures it).
      configuredInFile ??= READ_TIMEOUTS.some((field) => ctx.file.declarationsMentioning(field).some((d) => assignsField(d, field)));
      if (configuredInFile) continue;
      const exposure = limitedExposure(keyedValue(elements, "Addr") ?? servedListener(node), keyedValue(elements, "Handler") ?? NO_HANDLER, ctx.file);
      const target = boundTo(node);
      const subject = target ? `The \`http.Server\` assigned to \`${target}\`` : "This `http.Server`";
      const suggestion = imports.pathOf("time") === "time" ? insertKeyedField(ctx, node, FIELD_LINE) : undefined;
      ctx.report({
        node,
        message: `${subject} sets neither \`ReadHeaderTimeout\` nor \`ReadTimeout\`: a client that trickles its request headers (slowloris) keeps a connection, a goroutine and their buffers alive for as long as it likes.${exposure ? ` ${EXPOSURE[exposure]}` : ""} Set \`ReadHeaderTimeout\` (a missing WriteTimeout alone is fine for streaming handlers).`,
        ...(suggestion ? { suggestion } : {}),
        ...(exposure ? { severity: "info" as const } : {}),
      });
    }
  },
};

/**
 * Servers few untrusted clients reach, where a slow client is unlikely: one listening on a
 * loopback address (other processes of the machine, or a local proxy whose own timeouts apply),
 * and a debug endpoint that serves only debug routes (the profiling handlers of `net/http/pprof`,
 * `expvar`, paths under `/debug`).
 */
type Exposure = "loopback" | "debug";
const EXPOSURE: Record<Exposure, string> = {
  loopback: "It listens on a loopback address only, so just this machine's processes reach it; if a local proxy forwards outside clients to it, the proxy's timeouts apply.",
  debug: "It serves debug routes only (`net/http/pprof`, `expvar`, paths under `/debug`), an endpoint operators enable on purpose.",
};
const DEBUG_PACKAGES = ["net/http/pprof", "expvar"];
/** Marks an `http.Server` literal without a Handler field (it serves `http.DefaultServeMux`). */
const NO_HANDLER = "default mux";

function limitedExposure(address: GoNode | undefined, handler: GoNode | typeof NO_HANDLER | undefined, file: FileScope): Exposure | undefined {
  if (address && isLoopback(address, file)) return "loopback";
  const defaultMux = handler === NO_HANDLER || (handler !== undefined && unparen(handler)?.text === "nil");
  if (defaultMux) return DEBUG_PACKAGES.some((p) => file.imports.links(p)) ? "debug" : undefined;
  return handler && servesOnlyDebugHandlers(handler, file) ? "debug" : undefined;
}

/** For a server without `Addr` kept in a local: the listener its one `srv.Serve(ln)` in the function is given. */
function servedListener(literal: GoNode): GoNode | undefined {
  const name = boundTo(literal);
  const fn = enclosingFunction(literal);
  if (!name || !fn) return undefined;
  const serves = fn.descendants("call_expression").filter((c) => {
    const { receiver, name: method } = callParts(c);
    return (method === "Serve" || method === "ServeTLS") && receiver?.text === name;
  });
  return serves.length === 1 ? callParts(serves[0]!).args[0] : undefined;
}

/**
 * A local mux (`mux := http.NewServeMux()`, `r := chi.NewMux()`) on which every route is a debug
 * route: a handler of `net/http/pprof` or `expvar`, a path under `/debug`, or a helper named for
 * pprof that is given the mux (`httputil.RoutePprof(mux)`). A route is a call on the mux whose
 * first argument is a path (`Handle`, `HandleFunc`, chi's `Get`/`Route`/`Mount`, …).
 */
function servesOnlyDebugHandlers(handler: GoNode, file: FileScope): boolean {
  const id = unparen(handler);
  const decl = id?.type === "identifier" ? declarationOf(id) : undefined;
  const fn = decl && id ? enclosingFunction(id)?.child("body") : undefined;
  if (!decl || !fn) return false;
  const isMux = (e: GoNode | undefined) => e?.type === "identifier" && declarationOf(e) === decl;
  const routes: GoNode[] = [];
  let pprofHelpers = 0;
  for (const c of fn.descendants("call_expression")) {
    const { receiver, name, args } = callParts(c);
    if (isMux(receiver) && /^"\//.test(args[0]?.text ?? "")) routes.push(c);
    else if (/pprof/i.test(name) && args.some((a) => isMux(unparen(a)))) pprofHelpers++;
  }
  if (routes.length + pprofHelpers === 0) return false;
  return routes.every((c) => {
    const [path, target] = callParts(c).args;
    if (/^"\/debug(\/|")/.test(path!.text)) return true;
    return target !== undefined && DEBUG_PACKAGES.some((p) => file.imports.match(target, p) !== undefined || target.descendants("call_expression").some((inner) => file.imports.match(inner, p) !== undefined));
  });
}

/** `httptest.Server{Config: &http.Server{…}}`. */
function isTestServerConfig(literal: GoNode, ctx: RuleContext): boolean {
  let e = literal;
  while (e.parent && (e.parent.type === "parenthesized_expression" || (e.parent.type === "unary_expression" && e.parent.child("operator")?.text === "&"))) e = e.parent;
  const element = e.parent?.type === "literal_element" ? e.parent.parent : undefined;
  if (element?.type !== "keyed_element" || element.child("key")?.text !== "Config") return false;
  const outer = element.parent?.parent;
  return outer?.type === "composite_literal" && ctx.file.imports.isType(outer.child("type"), "net/http/httptest", "Server");
}

/** True when the declaration assigns `<expr>.<field> = …`. */
function assignsField(decl: GoNode, field: string): boolean {
  return decl.descendants("assignment_statement").some((a) =>
    (a.child("left")?.namedChildren ?? []).some((l) => l.type === "selector_expression" && l.child("field")?.text === field),
  );
}

/** The variable or field a literal is assigned to (`srv`, `s.server`), if any. */
function boundTo(literal: GoNode): string | undefined {
  let e = literal;
  while (e.parent && (e.parent.type === "parenthesized_expression" || (e.parent.type === "unary_expression" && e.parent.child("operator")?.text === "&"))) e = e.parent;
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || !stmt) return undefined;
  if ((stmt.type === "short_var_declaration" || stmt.type === "assignment_statement") && list.field === "right") {
    const left = stmt.child("left")?.namedChildren ?? [];
    return left.length === list.namedChildren.length ? left[list.namedChildren.indexOf(e)]?.text : undefined;
  }
  if (stmt.type === "var_spec" && list.field === "value") return stmt.childrenOf("name")[list.namedChildren.indexOf(e)]?.text;
  return undefined;
}

export default rule;
