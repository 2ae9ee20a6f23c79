/**
 * Who can reach a server: whether an address or a listener is on a loopback interface only
 * (this machine's processes), and whether every server a package starts is. Shared by the rules
 * about what untrusted clients can do to a server (slow headers, huge bodies).
 */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { assignmentsTo, declarationOf, initializerOf } from "./scope.js";
import { callParts, enclosingFunction, functionName, keyedValue, parametersOf, unparen } from "./syntax.js";
import { resolveCall } from "./types.js";

/**
 * `"127.0.0.1:8080"`, `fmt.Sprintf("localhost:%d", p)`, `net.JoinHostPort("::1", p)`,
 * `netip.AddrPortFrom(netutil.IPv4Localhost(), p).String()`, `net.Listen("tcp", "127.0.0.1:0")`, or a
 * local bound to one.
 */
export function isLoopback(expr: GoNode, file: FileScope, depth = 0): boolean {
  const e = unparen(expr);
  if (!e || depth > 3) return false;
  if (e.type === "interpreted_string_literal" || e.type === "raw_string_literal") return /^(localhost|127\.[\d.]+|\[::1\]|::1)(:|$)/i.test(e.text.slice(1, -1));
  if (e.type === "identifier") {
    // Every value the local is given: `var ln net.Listener; if dev { ln, err = net.Listen(…) } else { … }`.
    const decl = declarationOf(e);
    if (decl?.parent?.type === "parameter_declaration") return callersPassLoopback(decl, file, depth);
    const init = decl ? initializerOf(decl) : undefined;
    const values = decl ? [...(init?.value ? [init] : []), ...assignmentsTo(decl)] : [];
    return values.length > 0 && values.every((v) => v.value !== undefined && v.resultIndex === 0 && isLoopback(v.value, file, depth + 1));
  }
  if (e.type !== "call_expression") return false;
  const { receiver, name, args } = callParts(e);
  if (file.imports.match(e, "fmt", ["Sprintf"]) || file.imports.match(e, "net", ["JoinHostPort"]) || file.imports.match(e, "net/netip", ["AddrPortFrom"])) return args[0] !== undefined && isLoopback(args[0], file, depth + 1);
  if (file.imports.match(e, "net", ["Listen"])) return args[1] !== undefined && isLoopback(args[1], file, depth + 1);
  if (file.imports.match(e, "net", ["IPv4"])) return args[0]?.text === "127";
  // `netutil.IPv4Localhost()`, `netip.IPv6Loopback()`: a function named for the loopback address.
  if (args.length === 0 && /(Localhost|Loopback)$/.test(name)) return true;
  // `addrPort.String()` of a loopback address.
  if (name === "String" && args.length === 0 && receiver) return isLoopback(receiver, file, depth + 1);
  return false;
}

/**
 * A parameter that every call of its function in the package gives a loopback address:
 * `runner.Run("127.0.0.1", port, mux)` for `func (r *Runner) Run(host, port string, …)`. A call
 * of that name and number of arguments counts unless it resolves to another function; there
 * must be one.
 */
function callersPassLoopback(param: GoNode, file: FileScope, depth: number): boolean {
  const fn = enclosingFunction(param);
  if (fn?.type !== "function_declaration" && fn?.type !== "method_declaration") return false;
  const name = functionName(fn);
  const params = parametersOf(fn);
  const index = params.findIndex((p) => p.name === param);
  if (!name || index === -1 || params.some((p) => p.variadic)) return false;
  let calls = 0;
  for (const { file: where, node } of file.packageDeclarationsMentioning(name)) {
    for (const call of node.descendants("call_expression")) {
      const { name: callee, args } = callParts(call);
      if (callee !== name || args.length !== params.length) continue;
      // The same declaration may be parsed apart for another file's questions: compare where it stands.
      const target = resolveCall(call, where);
      if (target && (target.file.path !== file.path || target.node.start !== fn.start)) continue;
      if (!isLoopback(args[index]!, where, depth + 1)) return false;
      calls++;
    }
  }
  return calls > 0;
}


/** Functions of net/http that serve on an address (`ListenAndServe(addr, h)`) or a listener (`Serve(ln, h)`). */
const SERVE_ON_ADDRESS = ["ListenAndServe", "ListenAndServeTLS"];
const SERVE_ON_LISTENER = ["Serve", "ServeTLS"];

/**
 * Every HTTP server the package starts listens on a loopback address, and it starts at least
 * one: `http.ListenAndServe(addr, h)`, `http.Serve(ln, h)`, `srv.Serve(ln)`, and
 * `srv.ListenAndServe()` of an `http.Server{Addr: …}` made in the same function. A server whose
 * address memlint cannot follow counts as reachable from anywhere.
 */
export function servesOnlyOnLoopback(file: FileScope): boolean {
  let servers = 0;
  for (const word of ["ListenAndServe", "Serve"]) {
    for (const { file: where, node } of file.packageDeclarationsMentioning(word)) {
      for (const call of node.descendants("call_expression")) {
        const address = servedAddress(call, where);
        if (address === undefined) continue;
        if (address === null || !isLoopback(address, where)) return false;
        servers++;
      }
    }
  }
  return servers > 0;
}

/** The address or listener a serving call listens on: undefined for a call that serves nothing, null when it cannot be told. */
function servedAddress(call: GoNode, file: FileScope): GoNode | null | undefined {
  const { receiver, name, args } = callParts(call);
  if (file.imports.match(call, "net/http", SERVE_ON_ADDRESS) || file.imports.match(call, "net/http", SERVE_ON_LISTENER)) return args[0] ?? null;
  if (!receiver || file.imports.pathOf(unparen(receiver)?.text ?? "")) return undefined;
  if (SERVE_ON_LISTENER.includes(name) && args.length >= 1) return args[0]!;
  if (!SERVE_ON_ADDRESS.includes(name) || args.length > 2) return undefined;
  // `srv.ListenAndServe()`: the Addr of the server literal the local was given.
  const id = unparen(receiver);
  const decl = id?.type === "identifier" ? declarationOf(id) : undefined;
  let literal = unparen(decl ? initializerOf(decl)?.value : undefined);
  if (literal?.type === "unary_expression") literal = unparen(literal.child("operand"));
  const body = literal?.type === "composite_literal" ? literal.child("body") : undefined;
  return (body && keyedValue(body.namedChildren, "Addr")) ?? null;
}
