/**
 * Channels and goroutines, syntactically: how a channel is made, how each use of a channel
 * variable touches it (send, receive, range, close, hand-off), which names a goroutine literal
 * uses for a channel of its starter, and whether the starter waits after a `go` statement.
 *
 * Shared by the goroutine-leak rules and by lifetime contracts ("a go statement is waited for").
 */
import type { GoNode } from "./node.js";
import { cfgOf, type CfgEdge, type CfgNode } from "./cfg.js";
import type { FileScope } from "./file.js";
import { declarationOf, referencesOf } from "./scope.js";
import { resolveCall } from "./types.js";
import { callParts, enclosingFunction, functionName, goLiteral, goStatementOfLiteral, isMainMain, isPlainCall, outermostFunction, ownDescendants, parametersOf, unparen } from "./syntax.js";

export interface ChannelMake {
  call: GoNode;
  /** The `chan T` type node. */
  type: GoNode;
  /** The capacity argument, when given. */
  capacity: GoNode | undefined;
}

/** `make(chan T)` / `make(chan T, n)` (any direction), else undefined. */
export function channelMake(call: GoNode | undefined): ChannelMake | undefined {
  if (!call || !isPlainCall(call, "make")) return undefined;
  const args = call.child("arguments")?.namedChildren ?? [];
  const type = args[0];
  if (type?.type !== "channel_type") return undefined;
  return { call, type, capacity: args[1] };
}

/** True for a channel made without capacity or with a literal capacity of 0. */
export function isUnbuffered(made: ChannelMake): boolean {
  const cap = unparen(made.capacity);
  return !cap || (cap.type === "int_literal" && /^0+$/.test(cap.text.replace(/_/g, "")));
}

/** A unary receive `<-x`. */
export function isReceiveExpression(node: GoNode): boolean {
  return node.type === "unary_expression" && node.child("operator")?.text === "<-";
}

/** True when a send or receive is the communication of a `select` case. */
export function isSelectComm(node: GoNode): boolean {
  let n = node;
  // `case v := <-ch:` wraps the receive expression in a receive_statement.
  if (isReceiveExpression(n) && n.parent?.type === "receive_statement" && n.field === "right") n = n.parent;
  return n.field === "communication" && n.parent?.type === "communication_case";
}

export type ChannelUseKind =
  /** `ch <- v` (the channel side). */
  | "send"
  /** `<-ch`, as an expression, a statement or a select case. */
  | "receive"
  /** `for … range ch`. */
  | "range"
  /** `close(ch)`. */
  | "close"
  /** `len(ch)`, `cap(ch)`: reads the state, keeps nothing. */
  | "inspect"
  /** Passed as an argument to the call of a `go` statement: `go worker(ch)`, `go func(c chan T){…}(ch)`. */
  | "go-argument"
  /** Anything else: assigned, returned, stored, sent as a value, passed to a call. */
  | "other";

/** The node that operates on a channel use: the send statement, the `<-` expression, the range clause, the call. */
export function channelOperation(use: GoNode): GoNode | undefined {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  return e.parent?.type === "argument_list" ? e.parent.parent ?? undefined : e.parent ?? undefined;
}

/** What an identifier referring to a channel does with it at this position. */
export function channelUseKind(use: GoNode): ChannelUseKind {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (!p) return "other";
  if (p.type === "send_statement") return e.field === "channel" ? "send" : "other";
  if (isReceiveExpression(p)) return "receive";
  if (p.type === "range_clause" && e.field === "right") return "range";
  if (p.type === "argument_list") {
    const call = p.parent!;
    if (isPlainCall(call, "close")) return "close";
    if (isPlainCall(call, "len", "cap")) return "inspect";
    if (call.parent?.type === "go_statement") return "go-argument";
  }
  return "other";
}

/**
 * The function a `go` statement runs and the declarations through which it reaches the channel
 * declared at `decl`: for a literal, `decl` itself when captured and each literal parameter bound
 * to an argument that is `decl` (`go func(out chan<- T){…}(ch)`); for a function or method of
 * the package (`go worker(ch)`, `go s.pump(ctx, ch)`), its parameters bound to `decl`. Undefined
 * when the goroutine runs something else or does not get the channel.
 */
export function goroutineChannelNames(goStmt: GoNode, decl: GoNode, file: FileScope): { body: GoNode; names: GoNode[] } | undefined {
  const call = goStmt.namedChildren[0];
  if (call?.type !== "call_expression") return undefined;
  const literal = goLiteral(goStmt);
  const callee = literal ? undefined : resolveCall(call, file)?.node;
  const body = literal ?? callee;
  if (!body) return undefined;
  const names: GoNode[] = [];
  if (literal && referencesOf(decl).some((u) => u.within(literal))) names.push(decl);
  const params = parametersOf(body);
  callParts(call).args.forEach((arg, i) => {
    const id = unparen(arg);
    if (id?.type !== "identifier" || declarationOf(id) !== decl) return;
    const param = params[Math.min(i, params.length - 1)];
    if (param?.name && !param.variadic) names.push(param.name);
  });
  return names.length > 0 ? { body, names } : undefined;
}

/** The `go` statement whose call receives this use as an argument (`go worker(ch)`). */
export function goStatementOfArgument(use: GoNode): GoNode | undefined {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const call = e.parent?.type === "argument_list" ? e.parent.parent : undefined;
  return call?.parent?.type === "go_statement" ? call.parent : undefined;
}

/** The `go` statement whose literal contains `node` (the innermost one, inside `boundary` if given), if any. */
export function enclosingGoStatement(node: GoNode, boundary?: GoNode): GoNode | undefined {
  for (const a of node.ancestors()) {
    if (a === boundary) return undefined;
    if (a.type === "func_literal") {
      const go = goStatementOfLiteral(a);
      if (go) return go;
    }
  }
  return undefined;
}

/**
 * True when the function waits after starting the goroutine of `goStmt`: every path from the go
 * statement that returns passes a wait in code that runs in `fn` itself (not in goroutines or
 * stored closures) — a `.Wait(…)` call (`sync.WaitGroup`, errgroup), a receive (`<-done`,
 * `v := <-ch`, `for range ch` over a channel made here) or a `select` — or a deferred wait runs at
 * return. Literals run in place count.
 */
export function waitFollows(goStmt: GoNode, fn: GoNode | undefined = enclosingFunction(goStmt)): boolean {
  const cfg = fn ? cfgOf(fn) : undefined;
  const start = cfg?.nodeOf(goStmt);
  if (!cfg || !start) return false;
  const waiting = new Set<CfgNode>();
  for (const node of cfg.nodes) {
    const own = ownSyntax(node);
    if (!own) continue;
    const waits = own.descendants(...WAIT_TYPES).some((d) => isWait(d) && !d.within(goStmt) && (d === own || runsOnCaller(d, own)));
    if (!waits) continue;
    // A deferred wait runs at return, wherever it is written.
    if (own.type === "defer_statement") return true;
    waiting.add(node);
  }
  return !cfg.pathFrom(start, { target: (n) => n === cfg.exit, blocks: (n) => waiting.has(n) });
}

/** What a node itself evaluates: its statement or condition, a case's communication, a select head (itself a wait); not the bodies of other nodes. */
function ownSyntax(node: CfgNode): GoNode | undefined {
  switch (node.kind) {
    case "entry":
    case "exit":
    case "abort":
    case "loop":
    case "jump":
      return undefined;
    case "branch":
      return node.syntax.type === "select_statement" ? node.syntax : node.syntax.child("value");
    case "case":
      return node.syntax.child("communication") ?? node.syntax.child("value");
    default:
      return node.syntax;
  }
}

/**
 * True when `fn` hands its caller the way to wait for the goroutine `goStmt` starts: a return
 * after the go statement of a func literal that waits (`return func() error { wg.Wait(); return
 * err }`), or of a local the goroutine signals on (a channel it closes or sends to, a WaitGroup
 * it marks Done, or one passed to the function it runs), directly or inside a composite literal.
 * Waiting is then the caller's part.
 */
export function handsOutWait(goStmt: GoNode, fn: GoNode): boolean {
  const signals = goroutineSignals(goStmt);
  const body = fn.child("body");
  if (!body) return false;
  return ownDescendants(body, "return_statement").some(
    (ret) =>
      ret.start > goStmt.end &&
      (ret.descendants("identifier").some((id) => signals.has(declarationOf(id)!)) || ret.descendants("func_literal").some((l) => l.descendants(...WAIT_TYPES).some(isWait))),
  );
}

/** Locals a goroutine signals its end on: closed or sent to, marked Done, or handed to the function it runs. */
function goroutineSignals(goStmt: GoNode): Set<GoNode> {
  const out = new Set<GoNode>();
  const add = (e: GoNode | undefined) => {
    const root = unparen(e);
    const decl = root?.type === "identifier" ? declarationOf(root) : undefined;
    if (decl && !decl.within(goStmt)) out.add(decl);
  };
  const literal = goLiteral(goStmt);
  if (!literal) {
    const call = goStmt.namedChildren[0];
    if (call?.type === "call_expression") for (const arg of callParts(call).args) add(arg);
    return out;
  }
  for (const call of literal.descendants("call_expression")) {
    const { receiver, name, args } = callParts(call);
    if (isPlainCall(call, "close")) add(args[0]);
    else if (name === "Done" && receiver) add(receiver);
  }
  for (const send of literal.descendants("send_statement")) add(send.child("channel"));
  return out;
}

/** True when every func literal between `node` and `outer` runs in place (deferred or called), not as a goroutine or stored closure. */
function runsOnCaller(node: GoNode, outer: GoNode): boolean {
  for (const a of node.ancestors()) {
    if (a === outer) return true;
    if (a.type === "func_literal" && !runsInline(a)) return false;
  }
  return true;
}

const WAIT_TYPES = ["select_statement", "unary_expression", "call_expression", "range_clause"];

function isWait(n: GoNode): boolean {
  if (n.type === "select_statement" || isReceiveExpression(n)) return true;
  if (n.type === "call_expression") {
    const fn = unparen(n.child("function"));
    return fn?.type === "selector_expression" && fn.child("field")?.text === "Wait";
  }
  // `for v := range results` over a channel made in this function.
  if (n.type === "range_clause") {
    const right = unparen(n.child("right"));
    const decl = right?.type === "identifier" ? declarationOf(right) : undefined;
    return !!decl && !!madeChannel(decl);
  }
  return false;
}

/** The `make(chan …)` a variable is initialised with at its declaration (`ch := make(chan T)`, `var ch = make(…)`). */
export function madeChannel(decl: GoNode): ChannelMake | undefined {
  const stmt = decl.parent?.type === "expression_list" ? decl.parent.parent : decl.parent;
  if (!stmt) return undefined;
  if (stmt.type === "short_var_declaration") {
    const left = stmt.child("left")?.namedChildren ?? [];
    const right = stmt.child("right")?.namedChildren ?? [];
    const i = left.indexOf(decl);
    return i >= 0 && left.length === right.length ? channelMake(unparen(right[i])) : undefined;
  }
  if (stmt.type === "var_spec") {
    const names = stmt.childrenOf("name");
    const values = stmt.child("value")?.namedChildren ?? [];
    const i = names.indexOf(decl);
    return i >= 0 && names.length === values.length ? channelMake(unparen(values[i])) : undefined;
  }
  return undefined;
}

/** A func literal that runs on the current goroutine before the function returns: deferred or called in place. */
export function runsInline(literal: GoNode): boolean {
  let e = literal;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const call = e.parent;
  if (call?.type !== "call_expression" || e.field !== "function") return false;
  return call.parent?.type !== "go_statement";
}

/** True when `node` runs under `init` or package main's `main`: goroutines started there live as long as the process by design. */
export function inProcessLifetimeFunction(node: GoNode): boolean {
  const top = outermostFunction(node);
  if (!top || top.type !== "function_declaration") return false;
  return functionName(top) === "init" || isMainMain(top);
}

/**
 * True when `node` runs at most once per process: inside `once.Do(func() { … })` on a
 * package-level `sync.Once` (or one in a field of a package-level variable), or inside an `if` guarded by a compare-and-swap of a package-level
 * flag (`if atomic.CompareAndSwapInt32(&started, 0, 1) { … }`). A goroutine started there is a
 * singleton by design, like one started from main or init. (A `Once` in a field runs once per
 * object, which can still be once per call.)
 */
export function runsOncePerProcess(node: GoNode, file: FileScope): boolean {
  let prev = node;
  for (const a of node.ancestors()) {
    if (a.type === "func_literal") {
      let e = a;
      while (e.parent?.type === "parenthesized_expression") e = e.parent;
      const args = e.parent;
      const call = args?.parent;
      if (args?.type === "argument_list" && call?.type === "call_expression" && args.namedChildren.length === 1) {
        const { receiver, name } = callParts(call);
        if (name === "Do" && isPackageLevelVariable(unparen(receiver), file)) return true;
      }
    }
    if (a.type === "if_statement" && prev.field === "consequence") {
      const cond = a.child("condition");
      const cas = cond ? [cond, ...cond.descendants("call_expression")].filter((c) => c.type === "call_expression") : [];
      if (cas.some((c) => /^(CompareAndSwap\w*|Cas\w*)$/.test(callParts(c).name) && isPackageLevelVariable(flagOf(c), file))) return true;
    }
    prev = a;
  }
  return false;
}

/** `x` for `atomic.CompareAndSwapInt32(&x, …)` or `x.CompareAndSwap(…)`. */
function flagOf(cas: GoNode): GoNode | undefined {
  const { receiver, args } = callParts(cas);
  const first = unparen(args[0]);
  if (first?.type === "unary_expression" && first.child("operator")?.text === "&") return unparen(first.child("operand"));
  return unparen(receiver);
}

/** A package-level variable, or a field of one (`arbiter.once`): one per process. */
function isPackageLevelVariable(e: GoNode | undefined, file: FileScope): boolean {
  while (e?.type === "selector_expression") e = unparen(e.child("operand"));
  return e?.type === "identifier" && !declarationOf(e) && file.packageLevel(e.text)?.type === "var_spec";
}

/** `ctx` for a select case `case <-ctx.Done():` (the text of the context expression). */
export function doneContextOf(branch: GoNode): string | undefined {
  if (branch.type !== "communication_case") return undefined;
  let comm = branch.child("communication");
  if (comm?.type === "receive_statement") comm = comm.child("right");
  comm = unparen(comm);
  if (!comm || !isReceiveExpression(comm)) return undefined;
  const operand = unparen(comm.child("operand"));
  if (operand?.type !== "call_expression") return undefined;
  const { receiver, name } = callParts(operand);
  return name === "Done" && receiver ? receiver.text : undefined;
}

/**
 * True when an edge can be taken only while the context `ctxText` is not done: the true edge of
 * `ctx.Err() == nil`, the false edge of `ctx.Err() != nil`. Once a select took `<-ctx.Done()`,
 * `Err` stays non-nil, so after that such an edge is never taken.
 */
export function requiresNotDone(edge: CfgEdge, ctxText: string): boolean {
  if (edge.from.kind !== "condition" || (edge.kind !== "true" && edge.kind !== "false")) return false;
  const e = unparen(edge.from.syntax);
  const op = e?.type === "binary_expression" ? e.child("operator")?.text : undefined;
  if (!e || (op !== "==" && op !== "!=")) return false;
  const left = unparen(e.child("left"));
  const right = unparen(e.child("right"));
  const call = right?.type === "nil" ? left : left?.type === "nil" ? right : undefined;
  if (call?.type !== "call_expression" || callParts(call).name !== "Err" || callParts(call).receiver?.text !== ctxText) return false;
  return (op === "==") === (edge.kind === "true");
}

/**
 * For the receive of a select case (`case err := <-errc:`), whether the goroutine `literal`
 * (the only sender on that channel) can no longer reach `send` once it has sent there: then the
 * case is taken only after the goroutine gave up `send`, and nothing is left blocked on it.
 */
export function sendsInsteadOf(kase: GoNode, literal: GoNode, send: GoNode): boolean {
  const comm = kase.child("communication");
  const receive = comm?.type === "receive_statement" ? unparen(comm.child("right")) : comm?.type === "expression_statement" ? unparen(comm.namedChildren[0]) : unparen(comm);
  if (!receive || !isReceiveExpression(receive)) return false;
  const channel = unparen(receive.child("operand"));
  const decl = channel?.type === "identifier" ? declarationOf(channel) : undefined;
  const cfg = cfgOf(literal);
  const target = cfg?.nodeOf(send);
  if (!decl || !cfg || !target) return false;
  const sends = referencesOf(decl).filter((u) => channelUseKind(u) === "send");
  if (sends.length === 0 || !sends.every((u) => u.within(literal))) return false;
  return sends.every((u) => {
    const node = cfg.nodeOf(channelOperation(u)!);
    return !!node && node !== target && !cfg.reaches(node, target);
  });
}
