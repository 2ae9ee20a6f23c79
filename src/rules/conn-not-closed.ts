import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, errorCheckAfter, isStandardAcquisition, leakWhere, ownedResults } from "../analysis/resources.js";
import { declarationOf } from "../analysis/scope.js";
import { infoOnceAtStartup } from "../analysis/startup.js";
import { insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callSummary, enclosingStatement, isInLoop } from "../analysis/syntax.js";
import { mayReturnNamed } from "../analysis/types.js";
import type { Rule, RuleContext } from "../engine/types.js";

/** Standard (and gRPC) calls that open a connection or a listener, by package path. */
const OPENERS: Readonly<Record<string, readonly string[]>> = {
  net: ["Dial", "DialTimeout", "DialTCP", "DialUDP", "DialUnix", "DialIP", "Listen", "ListenPacket", "ListenTCP", "ListenUDP", "ListenUnix", "ListenUnixgram", "ListenMulticastUDP"],
  "crypto/tls": ["Dial", "DialWithDialer", "Listen"],
  "google.golang.org/grpc": ["Dial", "DialContext", "NewClient"],
};

/** The types whose values hold a socket until `Close`. */
const CONN_TYPES: readonly (readonly [string, readonly string[]])[] = [
  ["net", ["Conn", "Listener", "PacketConn", "TCPConn", "UDPConn", "UnixConn", "IPConn", "TCPListener", "UnixListener"]],
  ["crypto/tls", ["Conn"]],
  ["google.golang.org/grpc", ["ClientConn"]],
];
const mayReturnConn = mayReturnNamed(CONN_TYPES);
const TRIGGERS = [...new Set([...Object.values(OPENERS).flat(), ...mayReturnConn.standardNames])];
const TYPE_NAMES = [...new Set(CONN_TYPES.flatMap(([, names]) => names))];
const PACKAGES = CONN_TYPES.map(([path]) => path);

const rule: Rule = {
  meta: {
    id: "conn-not-closed",
    category: "leak-resource",
    severity: "warning",
    title: "connection or listener never closed",
    rationale:
      "A `net.Conn`, `net.Listener` or gRPC client connection holds a socket — and for TLS and gRPC, buffers and background goroutines — until `Close` is called. One left open on an error path leaks on every failure: descriptors run out (`too many open files`), a listener keeps its port bound, and a gRPC connection keeps reconnecting in the background.",
    fix: "Close it on every path that does not hand it on, usually with `defer c.Close()` right after the error check (or close it before each early return when it must outlive the function on success).",
    bad: `conn, err := net.Dial("tcp", addr)
if err != nil {
	return err
}
if err := handshake(conn); err != nil {
	return err // conn stays open
}
return serve(conn)`,
    good: `conn, err := net.Dial("tcp", addr)
if err != nil {
	return err
}
defer conn.Close()
if err := handshake(conn); err != nil {
	return err
}
return serve(conn)`,
    suggestion: "partial",
    // In tests: sockets a test leaks are closed when its process exits.
    inTests: "skip",
  },
  // Standard openers spell their names at the call (`net.Dial`, `ln.Accept()`); package helpers
  // that return a connection mention its type in their signature, and the call spells their name.
  // A connection's type is known only where its package is imported (by this file, or by the
  // sibling that declares a helper returning one): elsewhere the rule has nothing to start from.
  triggers: (ctx) => (importsConnPackage(ctx) ? [...TRIGGERS, ...TYPE_NAMES.flatMap((name) => ctx.functionsReturning(name))] : []),
  check(ctx) {
    if (!importsConnPackage(ctx.file)) return;
    for (const call of ctx.nodes("call_expression")) {
      const discarded = call.parent?.type === "expression_statement";
      const binding = discarded ? undefined : bindingOfValue(call);
      if (!discarded && !binding) continue;
      const opened = ownedResults(call, ctx.file, CONN_TYPES, mayReturnConn, isStandardOpener);
      if (!opened) continue;
      const label = callSummary(call);
      if (!binding) {
        if (isStandardOpener(call, ctx.file)) reportDiscarded(ctx, call, label);
        continue;
      }
      if (binding.targets.length !== opened.results) continue;
      const err = opened.results > opened.owned.length ? binding.targets[opened.results - 1] : undefined;
      for (const index of opened.owned) {
        const target = binding.targets[index];
        if (!target) continue;
        if (target.text === "_") {
          reportDiscarded(ctx, call, label);
          continue;
        }
        const decl = declarationOf(target);
        if (!decl) continue;
        const account = accountFor(decl, call, ctx.file, { methods: ["Close"] }, { err });
        if (account.kind !== "leaks") continue;
        const name = target.text;
        const stmt = enclosingStatement(call);
        const check = err && stmt === binding.statement && !isInLoop(stmt) && !account.partly ? errorCheckAfter(stmt, err) : undefined;
        ctx.report({
          node: call,
          ...(leavesOnAcceptError(account.end.node, name) ? { severity: "info" as const } : infoOnceAtStartup(call, ctx.file)),
          message: account.partly
            ? `\`${name}\` from \`${label}\` is not closed ${leakWhere(account.end, ctx.lineOf)}: on that path its socket (and whatever runs behind it) stays open until a GC finalizer happens to run. Close it there too, or \`defer ${name}.Close()\` once it is open.`
            : `\`${name}\` from \`${label}\` is never closed: its socket (and whatever runs behind it) stays open until a GC finalizer happens to run, so each call leaks one. Add \`defer ${name}.Close()\`${err ? " after the error check" : ""}.`,
          related: account.partly ? [{ node: account.end.node, message: `leaves \`${name}\` open` }] : [],
          ...(check && stmt ? { suggestion: insertLineAfter(ctx, check, `defer ${name}.Close()`, stmt) } : {}),
        });
      }
    }
  },
};

/** Whether this file's package (this file or another of its files) imports net, crypto/tls or gRPC. */
function importsConnPackage(scope: { packageImports(path: string): boolean }): boolean {
  return PACKAGES.some((path) => scope.packageImports(path));
}

/** A standard call that opens a connection or listener: a qualified opener, or a method of a standard type that does (`d.DialContext(…)`, `ln.Accept()`). */
function isStandardOpener(call: GoNode, file: FileScope): boolean {
  return isStandardAcquisition(call, file, OPENERS);
}

/**
 * The leaking return is the one a serve loop takes when the listener's own `Accept` fails
 * (`c, err := ln.Accept(); if err != nil { return err }`): mostly because something else closed
 * the listener to stop the loop. Whether it is still open there, memlint cannot tell: info.
 */
function leavesOnAcceptError(end: GoNode, name: string): boolean {
  if (end.type !== "return_statement") return false;
  let ifStmt = end.parent;
  while (ifStmt && (ifStmt.type === "block" || ifStmt.type === "statement_list")) ifStmt = ifStmt.parent;
  if (ifStmt?.type !== "if_statement") return false;
  const tested = new Set(ifStmt.child("condition")?.descendants("identifier").map((id) => id.text) ?? []);
  const siblings = ifStmt.parent?.namedChildren ?? [];
  const previous = siblings[siblings.indexOf(ifStmt) - 1];
  const accept = previous?.descendants("call_expression").find((c) => callSummary(c).startsWith(`${name}.Accept`));
  const bound = accept ? bindingOfValue(accept)?.targets ?? [] : [];
  return bound.some((t) => !!t && tested.has(t.text));
}

function reportDiscarded(ctx: RuleContext, call: GoNode, label: string): void {
  ctx.report({
    node: call,
    ...infoOnceAtStartup(call, ctx.file),
    message: `The connection from \`${label}\` is discarded, so it can never be closed: its socket stays open until a GC finalizer happens to run. Keep it and close it.`,
  });
}

export default rule;
