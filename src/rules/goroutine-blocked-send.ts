import { channelMake, channelOperation, channelUseKind, doneContextOf, enclosingGoStatement, goStatementOfArgument, goroutineChannelNames, isSelectComm, isUnbuffered, requiresNotDone, sendsInsteadOf, type ChannelMake } from "../analysis/channels.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { type Cfg, cfgOf, type CfgNode } from "../analysis/cfg.js";
import { bindingOfValue, enclosingFunction, enclosingLoops, enclosingStatement, followingStatements, goLiteral, isFunction, rootIdentifier, unparen } from "../analysis/syntax.js";
import { runsOnceAtStartup } from "../analysis/startup.js";
import { hasWord } from "../analysis/text-shapes.js";
import type { RuleContext, Rule, Suggestion } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "goroutine-blocked-send",
    category: "leak-goroutine",
    severity: "error",
    title: "goroutine blocks forever on an unbuffered send",
    rationale:
      "A send on an unbuffered channel completes only when somebody receives. When the receiving function gives up first — its select takes the timeout or cancellation case and returns, it takes only the first of several results, or it returns in the middle of a stream the goroutine keeps sending — the sending goroutine waits forever, and its stack and everything it references are never freed.",
    fix: "Give the channel room for every value that may be sent (`make(chan T, 1)`, or one slot per goroutine), so the senders can finish even when nobody receives; a goroutine that streams values needs a way to stop (a quit channel closed on return, or its context cancelled) in a select around its send.",
    bad: `func fetch(ctx context.Context, url string) (*Result, error) {
	ch := make(chan *Result)
	go func() {
		ch <- download(url) // blocks forever after a timeout
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}`,
    good: `func fetch(ctx context.Context, url string) (*Result, error) {
	ch := make(chan *Result, 1) // the send always completes
	go func() {
		ch <- download(url)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}`,
    suggestion: "yes",
    // In tests: a leaked goroutine outlives its test and can disturb the next ones.
    inTests: "info",
  },
  // It starts from a `make(chan T)` call in the declaration: the `chan` keyword of its channel type is
  // always there (rarer than `make`, and than `go`, which `//go:` directives make common).
  triggers: ["chan"],
  // ...and the goroutine that gets it is started in the same function (a struct's `chan` field, a
  // function that only receives, is not where this starts).
  triggerTest: (text) => hasWord(text, "go") && hasWord(text, "make"),
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const made = channelMake(call);
      if (!made || !isUnbuffered(made)) continue;
      const binding = bindingOfValue(call);
      if (!binding || (binding.statement.type !== "short_var_declaration" && binding.statement.type !== "var_spec")) continue;
      const values = binding.statement.type === "var_spec" ? binding.statement.child("value") : binding.statement.child("right");
      const index = (values?.namedChildren ?? []).findIndex((v) => call.within(v));
      const decl = binding.targets[index];
      if (!decl) continue;
      checkChannel(ctx, made, decl);
    }
  },
};

/**
 * A send in a loop that the goroutine leaves right after (`errc <- err; return` when `Accept`
 * fails): it sends once at most, like a send outside any loop.
 */
function leavesAfterSending(send: GoNode): boolean {
  return followingStatements(send)[0]?.type === "return_statement";
}

/**
 * The goroutine's sends on the channel (through the names it reaches it by), when they are all it
 * does with it (and closing it, with `closes`) and each one can block: undefined otherwise. A send
 * that is a select case can give up (ctx.Done, default): not this pitfall. A send in a loop streams
 * values, unless the goroutine returns right after it; one slot of buffer would not save a stream,
 * and the fix differs.
 */
function blockingSends(reach: { body: GoNode; names: GoNode[] }, closes: boolean, repeated = false): GoNode[] | undefined {
  const sends: GoNode[] = [];
  for (const n of reach.names) {
    for (const u of referencesOf(n)) {
      if (!u.within(reach.body)) continue;
      const kind = channelUseKind(u);
      if (kind === "close" && closes) continue;
      if (kind !== "send") return undefined;
      const send = channelOperation(u)!;
      if (isSelectComm(send) || (!repeated && enclosingLoops(send).length > 0 && !leavesAfterSending(send))) return undefined;
      sends.push(send);
    }
  }
  return sends;
}

/** At most this many goroutines started one by one (`go a(); go b()`) are followed. */
const MAX_SENDERS = 8;

/**
 * Several goroutines started one by one, each sending once on the channel, and fewer receives
 * than senders (`<-quit` after `go copyOut(); go copyIn()`): whoever sends after the last receive
 * blocks forever.
 */
function checkSeveralSenders(ctx: RuleContext, made: ChannelMake, decl: GoNode, fn: GoNode, gos: GoNode[], uses: GoNode[]): void {
  if (gos.length > MAX_SENDERS) return;
  const sends: GoNode[] = [];
  for (const go of gos) {
    if (enclosingFunction(go) !== fn || enclosingLoops(go).some((l) => !made.call.within(l))) return;
    const reach = goroutineChannelNames(go, decl, ctx.file);
    // One send per goroutine (a close by one of several senders is another story): each one then
    // needs a receive of its own.
    const own = reach && blockingSends(reach, false);
    if (own?.length !== 1) return;
    sends.push(own[0]!);
  }
  const receives: GoNode[] = [];
  for (const u of uses) {
    if (gos.some((go) => u.within(go))) continue;
    const kind = channelUseKind(u);
    if (kind === "inspect") continue;
    if (kind !== "receive" || enclosingFunction(u) !== fn || enclosingLoops(u).length > 0) return;
    receives.push(channelOperation(u)!);
  }
  if (receives.length === 0 || receives.length >= sends.length) return;
  const once = runsOnceAtStartup(gos[0]!, ctx.file);
  const name = decl.text;
  ctx.report({
    node: gos[0]!,
    ...(once ? { severity: "info" as const } : {}),
    message: `\`${name}\` is unbuffered and ${sends.length} goroutines send on it once each, but it is received ${receives.length === 1 ? "only once" : `only ${receives.length} times`}: every goroutine that sends after that blocks forever and leaks with what it references${once ? " (once: this code runs once per process)" : ""}.`,
    related: [{ node: made.call, message: "the unbuffered channel" }, ...sends.map((send) => ({ node: send, message: "one of the sends" })), ...receives.map((r) => ({ node: r, message: "a receive" }))],
    ...withSuggestion(ctx, made, String(sends.length)),
  });
}

/** The function defers `x.Close()` on a variable (or field) that the goroutine also uses. */
function closedOnExit(fn: GoNode, go: GoNode): boolean {
  const used = new Set(go.descendants("selector_expression").map((s) => s.child("operand")?.text.replace(/\s+/g, "")));
  return fn.descendants("defer_statement").some((d) => {
    const call = d.namedChildren[0];
    const callee = call?.type === "call_expression" ? unparen(call.child("function")) : undefined;
    return callee?.type === "selector_expression" && callee.child("field")?.text === "Close" && used.has(callee.child("operand")?.text.replace(/\s+/g, ""));
  });
}

function checkChannel(ctx: RuleContext, made: ChannelMake, decl: GoNode): void {
  const fn = enclosingFunction(made.call);
  if (!fn) return;
  const name = decl.text;

  // Exactly one goroutine gets the channel — a literal, or a function of the package it is passed
  // to — and it only sends on it outside any select, or closes it.
  const uses = referencesOf(decl);
  const gos = new Set(uses.map((u) => enclosingGoStatement(u, fn) ?? goStatementOfArgument(u)).filter((g): g is GoNode => !!g));
  if (gos.size > 1) return checkSeveralSenders(ctx, made, decl, fn, [...gos], uses);
  if (gos.size !== 1) return;
  const go = [...gos][0]!;
  if (enclosingFunction(go) !== fn) return;
  const reach = goroutineChannelNames(go, decl, ctx.file);
  const sends = reach && blockingSends(reach, true);
  // A goroutine that keeps sending (its sends in a loop that goes on): only the mid-stream return applies.
  const streaming = reach && !sends?.length ? blockingSends(reach, true, true) : undefined;
  if (!reach || (!sends?.length && !streaming?.length)) return;

  // Outside the goroutine the channel is only received from (or closed / inspected): no escape.
  const receives: GoNode[] = [];
  for (const u of uses) {
    if (u.within(go)) {
      if (channelUseKind(u) === "go-argument" || u.within(reach.body)) continue;
      return;
    }
    const kind = channelUseKind(u);
    if (kind === "close" || kind === "inspect") continue;
    if (kind !== "receive" && kind !== "range") return;
    // A receive in another closure (a deferred drain, another goroutine) may rescue the sender.
    if (enclosingFunction(u) !== fn) return;
    receives.push(channelOperation(u)!);
  }
  if (receives.length === 0) return;
  if (!sends?.length) {
    const cfg = cfgOf(fn);
    const send = streaming![0]!;
    if (cfg) reportMidStream(ctx, { made, name, fn, go, send, sendText: firstLine(send.text), cfg, receives, receiving: new Set(receives.map((r) => cfg.nodeOf(r))) });
    return;
  }

  const send = sends[0]!;
  const sendText = firstLine(send.text);
  const loops = enclosingLoops(go).filter((l) => !made.call.within(l));
  if (loops.length > 0) {
    // Loop variant: one goroutine per iteration, a single receive outside any loop.
    if (receives.length !== 1) return;
    const recv = receives[0]!;
    if (enclosingLoops(recv).length > 0 || recv.start < go.end) return;
    ctx.report({
      node: go,
      message: `\`${name}\` is unbuffered and a goroutine per iteration sends on it (\`${sendText}\`), but it is received only once: every other goroutine blocks on its send forever and leaks.`,
      related: [
        { node: made.call, message: "the unbuffered channel" },
        { node: send, message: "the send that blocks" },
        { node: recv, message: "the only receive" },
      ],
      ...withSuggestion(ctx, made, loopCapacity(loops[loops.length - 1]!, made)),
    });
    return;
  }

  // The function can return after starting the goroutine without ever receiving: a select that
  // takes its timeout or cancellation case, an early return between the go statement and the
  // receive. (A panic or a process exit is not "returning".)
  const cfg = cfgOf(fn);
  const start = cfg?.nodeOf(go);
  if (!cfg || !start) return;
  const receiving = new Set(receives.map((r) => cfg.nodeOf(r)));
  // After a select took `<-ctx.Done()`, a test of `ctx.Err()` goes the done way.
  const doneContexts = cfg.nodes.flatMap((n) => (n.kind === "case" ? [doneContextOf(n.syntax)].filter((c): c is string => !!c) : []));
  const path = cfg.pathFrom(start, { target: (n) => n === cfg.exit, blocks: (n) => receiving.has(n), skips: (e) => doneContexts.some((c) => requiresNotDone(e, c)) });
  const giveUp = path?.find((n) => n.kind === "case" && n.syntax.parent?.type === "select_statement" && selectReceives(n.syntax.parent, receiving, cfg));
  // `case err := <-errc:` where the goroutine sends on errc only on paths that never reach this send.
  const literal = goLiteral(go);
  if (!path || (giveUp && literal && sendsInsteadOf(giveUp.syntax, literal, send))) return;
  const ret = path[path.length - 2]?.syntax;
  // A case that receives too, but not before every return (`case <-timeout: if err := kill(); err != nil { return err }; <-ch`).
  const receivesLater = !!giveUp && receives.some((r) => r.within(giveUp.syntax));
  const how = giveUp
    ? receivesLater && ret?.type === "return_statement"
      ? `when the select takes \`${firstLine(caseHead(giveUp.syntax))}\` and returns at line ${ctx.lineOf(ret)} before that case's receive`
      : `when the select returns through \`${firstLine(caseHead(giveUp.syntax))}\``
    : ret?.type === "return_statement"
      ? `when the function returns at line ${ctx.lineOf(ret)} before receiving`
      : "when the function ends before receiving";
  // Code that runs once per process (a command's action, a Windows service's Execute) leaks one
  // goroutine at most, usually as the process ends: a hint.
  const once = runsOnceAtStartup(go, ctx.file);
  // A send a loop reaches only when what it waits on fails (`Accept` after the listener closed) is
  // sure to come after the return only when the function's exit closes that (`defer l.Close()`).
  const unsure = enclosingLoops(send).length > 0 && !closedOnExit(fn, go);
  ctx.report({
    node: go,
    ...(once || unsure ? { severity: "info" as const } : {}),
    message: `\`${name}\` is unbuffered: ${how}, nobody receives any more and the goroutine blocks on \`${sendText}\` forever, leaking it and what it references${once ? " (once: this code runs once per process)" : ""}.`,
    related: [
      { node: made.call, message: "the unbuffered channel" },
      { node: send, message: "the send that blocks" },
      giveUp ? { node: giveUp.syntax, message: "the case that returns without receiving" } : { node: ret ?? fn, message: "returns without receiving" },
    ],
    ...withSuggestion(ctx, made, "1"),
  });
}

interface MidStream {
  made: ChannelMake;
  name: string;
  fn: GoNode;
  go: GoNode;
  send: GoNode;
  sendText: string;
  cfg: Cfg;
  receives: GoNode[];
  receiving: ReadonlySet<CfgNode | undefined>;
}

/**
 * A producer that keeps sending (its send is in a loop that goes on after it) and a consumer that
 * can return after one of its receives without receiving again: lnd's payment stream reader sent
 * each request on an unbuffered channel while the handler returned on the first request it could
 * not parse, leaving the reader blocked on its next send. Not when the consumer's exit stops the
 * producer (a deferred `Close`, `close` or cancel of something it uses), nor when the return tests
 * what was received (`if !ok`, `if v == nil`: the producer's last message may be what ends it).
 */
function reportMidStream(ctx: RuleContext, m: MidStream): void {
  if (!sendsAgain(m.send, m.go) || stoppedOnExit(m.fn, m.go)) return;
  for (const receive of m.receives) {
    const from = m.cfg.nodeOf(receive);
    if (!from || enclosingLoops(receive).length === 0) continue;
    const path = m.cfg.pathFrom(from, { target: (n) => n === m.cfg.exit, blocks: (n) => n !== from && m.receiving.has(n) });
    const ret = path?.[path.length - 2]?.syntax;
    if (ret?.type !== "return_statement" || testsReceived(ret, receive)) continue;
    ctx.report({
      node: m.go,
      severity: "warning",
      message: `\`${m.name}\` is unbuffered and the goroutine keeps sending on it (\`${m.sendText}\`), but the function can return at line ${ctx.lineOf(ret)} after a receive without receiving again: the goroutine's next send then blocks forever, leaking it and what it references. Stop it on the way out (close a quit channel it selects on, cancel its context) or drain the channel.`,
      related: [
        { node: m.made.call, message: "the unbuffered channel" },
        { node: m.send, message: "the send that blocks" },
        { node: ret, message: "returns while the goroutine may still send" },
      ],
    });
    return;
  }
}

/** The send is in a loop of the goroutine and the loop goes on after it (no return or break right after). */
function sendsAgain(send: GoNode, go: GoNode): boolean {
  const loop = enclosingLoops(send).find((l) => l.within(go));
  if (!loop) return false;
  const stmt = enclosingStatement(send);
  const next = stmt ? followingStatements(stmt)[0] : undefined;
  return next?.type !== "return_statement" && next?.type !== "break_statement";
}

/** The function defers something that stops the goroutine: `x.Close()`, `close(ch)` or a call of something the goroutine uses, or a cancel func. */
function stoppedOnExit(fn: GoNode, go: GoNode): boolean {
  if (closedOnExit(fn, go)) return true;
  const used = new Set(go.descendants("identifier").map((id) => id.text));
  return fn.descendants("defer_statement").some((d) => {
    const call = d.namedChildren[0];
    if (enclosingFunction(d) !== fn || call?.type !== "call_expression") return false;
    const callee = unparen(call.child("function"));
    if (callee?.type === "identifier" && (/^cancel/i.test(callee.text) || callee.text === "close")) return true;
    return call.descendants("identifier").some((id) => (used.has(id.text) && id.text !== "err") || /^cancel/i.test(id.text));
  });
}

/** The return sits under a test of what the receive bound (`v, ok := <-ch; if !ok { return }`). */
function testsReceived(ret: GoNode, receive: GoNode): boolean {
  const stmt = receive.type === "receive_statement" ? receive : receive.parent?.type === "receive_statement" ? receive.parent : enclosingStatement(receive);
  const bound = (stmt?.type === "receive_statement" || stmt?.type === "short_var_declaration" || stmt?.type === "assignment_statement" ? stmt.child("left")?.namedChildren ?? [] : []).map((n) => n.text);
  if (bound.length === 0) return false;
  for (const a of ret.ancestors()) {
    if (a === stmt || isFunction(a)) break;
    if (a.type === "if_statement" && (a.child("condition")?.descendants("identifier") ?? []).some((id) => bound.includes(id.text))) return true;
  }
  return false;
}

/** True when one of the select's cases is a receive from the channel. */
function selectReceives(select: GoNode, receiving: ReadonlySet<CfgNode | undefined>, cfg: Cfg): boolean {
  return select.namedChildren.some((c) => receiving.has(cfg.nodeOf(c)));
}

function caseHead(kase: GoNode): string {
  const colon = kase.children.find((c) => c.text === ":");
  return colon ? kase.text.slice(0, colon.end - kase.start) : kase.text;
}

/** `len(xs)` for `for _, x := range xs` when xs is visible at the make; undefined otherwise. */
function loopCapacity(loop: GoNode, made: ChannelMake): string | undefined {
  const clause = loop.childOfType("range_clause");
  // Two loop variables rule out ranging over an int or a channel, where len() would be wrong.
  if (!clause || (clause.child("left")?.namedChildren.length ?? 0) !== 2) return undefined;
  const right = unparen(clause.child("right"));
  if (!right || (right.type !== "identifier" && right.type !== "selector_expression")) return undefined;
  if (right.descendants("call_expression").length > 0) return undefined;
  const root = rootIdentifier(right);
  if (!root) return undefined;
  const decl = declarationOf(root);
  if (decl && decl.start > made.call.start) return undefined;
  return `len(${right.text})`;
}

function withSuggestion(ctx: RuleContext, made: ChannelMake, capacity: string | undefined): { suggestion?: Suggestion } {
  if (!capacity) return {};
  const line = ctx.lineOf(made.call);
  const lineStart = ctx.source.lastIndexOf("\n", made.call.start - 1) + 1;
  const text = ctx.lineText(line);
  const from = made.call.start - lineStart;
  const to = made.call.end - lineStart;
  if (to > text.length || made.call.text.includes("\n")) return {};
  const replacement = `${text.slice(0, from)}make(${made.type.text}, ${capacity})${text.slice(to)}`;
  return { suggestion: { startLine: line, endLine: line, replacement } };
}

function firstLine(text: string): string {
  const nl = text.indexOf("\n");
  return nl === -1 ? text : `${text.slice(0, nl)} …`;
}

export default rule;
