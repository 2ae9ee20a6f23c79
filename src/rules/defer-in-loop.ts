import { type Cfg, cfgAround, type CfgEdge, type CfgNode } from "../analysis/cfg.js";
import { constantSpecOf, runsAtMost } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, initializerOf, referencesOf, usesOf } from "../analysis/scope.js";
import { callParts, enclosingLoops, firstLineOf, isPlainCall, ownDescendants, rootIdentifier, statementsOf, unparen } from "../analysis/syntax.js";
import { runsOnceAtStartup } from "../analysis/startup.js";
import type { Rule } from "../engine/types.js";
import { hasWord } from "../analysis/text-shapes.js";
import { isImportQualifier, shapeOf, typeOfExpr } from "../analysis/types.js";
import { isConversionCall } from "../analysis/escape.js";

const rule: Rule = {
  meta: {
    id: "defer-in-loop",
    category: "leak-resource",
    severity: "warning",
    title: "defer inside a loop",
    rationale:
      "A deferred call runs when the surrounding function returns, not at the end of the iteration. Every iteration adds another pending call and keeps whatever it would release — a file, a connection, a lock — alive until the whole loop and function finish.",
    fix: "Move the loop body into a function (or a func literal called per iteration) so the defer runs each time, or release the resource explicitly at the end of the iteration.",
    bad: `for _, name := range names {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close() // every file stays open until the function returns
	process(f)
}`,
    good: `for _, name := range names {
	if err := func() error {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close() // runs at the end of this iteration
		return process(f)
	}(); err != nil {
		return err
	}
}`,
    suggestion: "none",
    // In tests: a test's loops are short and its process ends.
    inTests: "skip",
    equivalents: { golangci: ["gocritic", "revive"], staticcheck: ["SA9001"] },
  },
  // It starts from a defer statement in the declaration: the `defer` keyword is always there.
  triggers: ["defer"],
  // …inside a `for` loop.
  triggerTest: (text) => hasWord(text, "for"),
  check(ctx) {
    for (const defer of ctx.nodes("defer_statement")) {
      const loops = enclosingLoops(defer);
      const loop = loops[0];
      const cfg = loop && cfgAround(defer);
      const node = cfg?.nodeOf(defer);
      // The "open the first match and return" loop (go-critic#1451): no path from the defer comes
      // back to it, so at most one call is ever pending. (A break leaves only the innermost loop;
      // an outer loop that comes round again still piles up defers.)
      if (!loop || !cfg || !node || !cfg.canRepeat(node)) continue;
      // Deliberate "release everything at return" shapes (precision audit): a loop that only
      // registers defers, a defer that runs on one iteration only, a value the function keeps
      // using after the loop, a cleanup that runs only on failure, a call that releases nothing,
      // a release the iteration also makes itself, a semaphore whose every slot is taken, a loop
      // over a handful of fixed items.
      const outer = loops[loops.length - 1]!;
      if (onlyDefers(statementsOf(outer.child("body"))) || runsOnce(defer, loop) || keptAfterIteration(defer, outer, ctx.file) || releasesRangedElements(defer, loop, ctx.file) || reservesAddresses(defer)) continue;
      if (!releasesSomething(defer) || conditionalCleanup(defer, outer) || releasedEachRound(cfg, node, defer) || holdsEverySlot(defer, loop)) continue;
      if (runsAtMost(loops, FEW_ITERATIONS, ctx.file)) continue;
      const call = defer.namedChildren[0];
      // Once per process (a command's action, start-up code), a range over a list holds one
      // item's resources per element until that one run ends: a hint, not a growing leak. So
      // does a range whose elements get to the defer only when they match a constant (one
      // layer of a manifest by its media type: precision audit).
      const collection = loops.every(rangesOverCollection);
      const once = collection && runsOnceAtStartup(outer, ctx.file);
      const selected = collection && !once ? constantSelection(defer, loop, ctx.file) : undefined;
      const note = once ? " (this code runs once per process, so that is one per element of the list)" : selected ? ` (only the elements that pass \`${firstLineOf(selected.text)}\` get here, usually few)` : "";
      ctx.report({
        node: defer,
        message: `\`defer ${call ? firstLineOf(call.text) : "the call"}\` runs when the function returns, not at the end of each iteration: every iteration adds a pending call and holds what it releases until then${note}.`,
        related: [{ node: loop, message: "the loop" }],
        ...(once || selected ? { severity: "info" as const } : {}),
      });
    }
  },
};

/**
 * The test that lets only elements matching a constant reach the defer, if there is one: a
 * `case` of constants around it, an `if x == constant` around it, or an `if x != constant {
 * continue }` before it at the top of the loop's body.
 */
function constantSelection(defer: GoNode, loop: GoNode, file: FileScope): GoNode | undefined {
  for (let n = defer.parent; n && n !== loop; n = n.parent) {
    if (n.type === "expression_case") {
      const values = n.child("value")?.namedChildren ?? [];
      if (values.length > 0 && values.every((v) => isConstant(v, file))) return n.child("value");
    }
    const test = n.parent?.type === "if_statement" && n.field === "consequence" ? n.parent.child("condition") : undefined;
    if (test && comparesWithConstant(test, "==", file)) return test;
  }
  for (const s of statementsOf(loop.child("body"))) {
    if (defer.within(s)) break;
    const test = s.type === "if_statement" && !s.child("alternative") ? s.child("condition") : undefined;
    if (test && comparesWithConstant(test, "!=", file) && statementsOf(s.child("consequence")).some((t) => t.type === "continue_statement")) return test;
  }
  return undefined;
}

/** `x == "literal"`, `x != pkg.Constant` (either side). */
function comparesWithConstant(test: GoNode, operator: "==" | "!=", file: FileScope): boolean {
  const e = unparen(test);
  if (e?.type !== "binary_expression" || e.child("operator")?.text !== operator) return false;
  return isConstant(e.child("left"), file) || isConstant(e.child("right"), file);
}

/** A literal, a constant of the package, or a qualified name of another package (its constants: media types, kinds). */
function isConstant(e: GoNode | undefined, file: FileScope): boolean {
  const v = unparen(e);
  if (!v) return false;
  if (["interpreted_string_literal", "raw_string_literal", "int_literal", "rune_literal"].includes(v.type)) return true;
  if (v.type === "identifier") return !!constantSpecOf(v, file);
  return v.type === "selector_expression" && isImportQualifier(v.child("operand"), file);
}

/** `for … range xs` over a slice, map, string or number: not a channel, a ticker or an iterator that may never end. */
function rangesOverCollection(loop: GoNode): boolean {
  const over = unparen(loop.childOfType("range_clause")?.child("right"));
  if (!over || over.type === "call_expression" || over.type === "unary_expression") return false;
  if (over.type === "selector_expression") return over.child("field")?.text !== "C";
  if (over.type !== "identifier") return over.type === "composite_literal" || over.type === "int_literal";
  const decl = declarationOf(over);
  const init = decl ? initializerOf(decl) : undefined;
  if (!init) return false;
  const value = unparen(init.value);
  return init.type?.type !== "channel_type" && !(value && isPlainCall(value, "make") && value.child("arguments")?.namedChildren[0]?.type === "channel_type");
}

/** Names of calls that give something back: close, unlock, stop, release, cancel, free, remove, … (methods, functions, func values). */
const RELEASE_NAME = /^(close|unlock|runlock|stop|release|free|cancel|done|put|remove|rollback|unsubscribe|shutdown|disconnect|finish|end|flush|destroy|dispose|unmap|munmap|unref|decref|cleanup|clean|kill|wait|discard|unpin|unregister|commit|detach|teardown|unmount|umount|abort|recycle|drop)/i;
/** Loops of at most this many iterations hold a handful of deferred calls: not worth a finding. */
const FEW_ITERATIONS = 10;

/**
 * The deferred call releases something: a call named like a release (`f.Close()`, `mu.Unlock()`,
 * `cancel()`, `os.RemoveAll(dir)`, `close(ch)`), or a literal that makes one or frees a semaphore
 * slot (`<-sem`). An action postponed on purpose (`defer cfg.apply(opt)`, `defer log.Printf(…)`,
 * `defer trace(name)()`) holds nothing that the loop piles up.
 */
function releasesSomething(defer: GoNode): boolean {
  const call = defer.namedChildren[0];
  if (call?.type !== "call_expression") return true;
  const literal = deferredLiteral(defer);
  if (!literal) return isReleaseCall(call);
  const body = literal.child("body");
  if (!body) return false;
  if (ownDescendants(body, "unary_expression").some((u) => u.child("operator")?.text === "<-")) return true;
  return ownDescendants(body, "call_expression").some(isReleaseCall);
}

function isReleaseCall(call: GoNode): boolean {
  const fn = unparen(call.child("function"));
  const name = fn?.type === "selector_expression" ? fn.child("field")?.text : fn?.type === "identifier" ? fn.text : fn?.type === "index_expression" ? rootIdentifier(fn)?.text : undefined;
  return !!name && RELEASE_NAME.test(name);
}

/**
 * `defer func() { if failed { cleanup() } }()` whose condition reads only variables from outside
 * the loop that the cleanup does not release (a named error, a success flag): it runs when the
 * function ends, depending on how it ends, not per iteration.
 */
function conditionalCleanup(defer: GoNode, loop: GoNode): boolean {
  const stmts = statementsOf(deferredLiteral(defer)?.child("body"));
  const first = stmts[0];
  if (stmts.length !== 1 || first?.type !== "if_statement" || first.child("initializer")) return false;
  const cond = first.child("condition");
  const ids = cond ? (cond.type === "identifier" ? [cond] : cond.descendants("identifier")) : [];
  const released = new Set(first.descendants("call_expression").filter(isReleaseCall).flatMap((c) => releasedRoots(c)));
  return (
    ids.length > 0 &&
    ids.every((id) => {
      if (id.text === "nil" || id.text === "true" || id.text === "false") return true;
      const decl = declarationOf(id);
      return !!decl && !decl.within(loop) && !released.has(decl);
    })
  );
}

/** The local variables a call's receiver and arguments are rooted at. */
function releasedRoots(call: GoNode): GoNode[] {
  const { receiver, args } = callParts(call);
  const out: GoNode[] = [];
  for (const e of [receiver, ...args]) {
    const root = rootIdentifier(unparen(e));
    const decl = root && declarationOf(root);
    if (decl) out.push(decl);
  }
  return out;
}

/**
 * The iteration releases the value itself (`_ = me.dst.Close()` at its end, `for rows.Next()`
 * running out): on every way back round to a new value, the same release is made or the value
 * is nil, so the defer only covers an early return (precision audit).
 */
function releasedEachRound(cfg: Cfg, node: CfgNode, defer: GoNode): boolean {
  const call = defer.namedChildren[0];
  if (call?.type !== "call_expression" || deferredLiteral(defer)) return false;
  const callee = unparen(call.child("function"));
  if (!callee) return false;
  const { receiver } = callParts(call);
  const value = unparen(receiver)?.text;
  const releases = new Set(cfg.nodes.filter((n) => (n.kind === "statement" || n.kind === "condition") && n.syntax.type !== "defer_statement" && ownDescendants(n.syntax, "call_expression").some((c) => unparen(c.child("function"))?.text === callee.text)));
  // Edges on which nothing is left: `for rows.Next()` ending (Next has closed the rows), the value tested nil.
  const settled = new Set<CfgEdge>();
  for (const n of cfg.nodes) {
    if (n.kind !== "condition" || !value) continue;
    for (const edge of n.succs) if (drains(edge, value, callee) || isNilOn(edge, value)) settled.add(edge);
  }
  if (releases.size === 0 && settled.size === 0) return false;
  const renewed = new Set(releasedVariables(defer).flatMap((decl) => usesOf(decl).filter((use) => use === decl || isAssigned(use))).map((use) => cfg.nodeOf(use)));
  return !cfg.pathFrom(node, { target: (n) => n === node || renewed.has(n), blocks: (n) => releases.has(n), skips: (edge) => settled.has(edge) });
}

/** The `false` edge of `for v.Next()` when the deferred call is `v.Close()`: Next closes the rows when it returns false. */
function drains(edge: CfgEdge, value: string, callee: GoNode): boolean {
  if (edge.kind !== "false" || edge.from.syntax.parent?.type !== "for_statement" || callee.type !== "selector_expression" || callee.child("field")?.text !== "Close") return false;
  const cond = unparen(edge.from.syntax);
  if (cond?.type !== "call_expression") return false;
  const { receiver, name } = callParts(cond);
  return name === "Next" && unparen(receiver)?.text === value;
}

/** The edge taken when `value` is nil: the true edge of `value == nil`, the false edge of `value != nil`. */
function isNilOn(edge: CfgEdge, value: string): boolean {
  const cond = unparen(edge.from.syntax);
  if (cond?.type !== "binary_expression") return false;
  const op = cond.child("operator")?.text;
  const sides = [unparen(cond.child("left")), unparen(cond.child("right"))];
  if (!sides.some((s) => s?.type === "nil") || !sides.some((s) => s?.text === value)) return false;
  return (op === "==" && edge.kind === "true") || (op === "!=" && edge.kind === "false");
}

/** The identifier is written: `x = …`, `x, err := …`. */
function isAssigned(id: GoNode): boolean {
  const list = id.parent;
  return list?.type === "expression_list" && list.field === "left" && (list.parent?.type === "assignment_statement" || list.parent?.type === "short_var_declaration");
}

/**
 * A loop that takes every slot of one semaphore and gives them all back when the function
 * returns (`sem <- struct{}{}; defer func() { <-sem }()`, `sem.Acquire(ctx, 1); defer
 * sem.Release(1)`): holding them all until then is the point.
 */
function holdsEverySlot(defer: GoNode, loop: GoNode): boolean {
  const call = defer.namedChildren[0];
  const literal = deferredLiteral(defer);
  let target: GoNode | undefined;
  if (literal) {
    const stmts = statementsOf(literal.child("body"));
    const only = stmts.length === 1 && stmts[0]?.type === "expression_statement" ? unparen(stmts[0].namedChildren[0]) : undefined;
    if (only?.type === "unary_expression" && only.child("operator")?.text === "<-") target = unparen(only.child("operand"));
  } else if (call?.type === "call_expression") {
    const { receiver, name } = callParts(call);
    if (name === "Release") target = unparen(receiver);
  }
  if (!target) return false;
  // One semaphore for the whole loop, not one per iteration.
  const root = rootIdentifier(target);
  const decl = root && declarationOf(root);
  if (decl?.within(loop) || target.descendants("identifier").some((id) => declarationOf(id)?.within(loop))) return false;
  const text = target.text;
  const body = loop.child("body");
  if (!body) return false;
  return (
    body.descendants("send_statement").some((s) => unparen(s.child("channel"))?.text === text) ||
    body.descendants("call_expression").some((c) => {
      const { receiver, name } = callParts(c);
      return /^(Acquire|TryAcquire)$/.test(name) && unparen(receiver)?.text === text;
    })
  );
}

/**
 * A loop body that does nothing but register defers (`for _, c := range closers { defer c.Close() }`):
 * all of them are pending anyway, nothing is held longer because of the loop.
 */
function onlyDefers(stmts: readonly GoNode[]): boolean {
  return (
    stmts.length > 0 &&
    stmts.every((s) => {
      switch (s.type) {
        case "defer_statement":
        case "continue_statement":
        case "empty_statement":
          return true;
        case "if_statement": {
          const alt = s.child("alternative");
          return onlyDefers(statementsOf(s.child("consequence"))) && (!alt || onlyDefers(alt.type === "block" ? statementsOf(alt) : [alt]));
        }
        case "for_statement":
          return onlyDefers(statementsOf(s.child("body")));
        case "short_var_declaration":
          // `c := c` and other copies, but no calls.
          return s.descendants("call_expression").length === 0;
        default:
          return false;
      }
    })
  );
}

/**
 * The defer sits in an `if` that can be taken on one iteration only: a lazy initialisation
 * (`if tmp == "" { tmp, err = os.MkdirTemp(…); defer os.RemoveAll(tmp) }`, `if first { first = false; defer … }`)
 * whose body sets the tested variable, or a test of the loop counter against a constant (`if i == 0`).
 */
function runsOnce(defer: GoNode, loop: GoNode): boolean {
  let prev = defer;
  for (const a of defer.ancestors()) {
    if (a === loop) return false;
    if (a.type === "if_statement" && prev.field === "consequence") {
      const consequence = a.child("consequence")!;
      if (conjuncts(unparen(a.child("condition"))).some((c) => onceCondition(c, consequence, loop))) return true;
    }
    prev = a;
  }
  return false;
}

function conjuncts(cond: GoNode | undefined): GoNode[] {
  if (!cond) return [];
  if (cond.type === "binary_expression" && cond.child("operator")?.text === "&&") {
    return [...conjuncts(unparen(cond.child("left"))), ...conjuncts(unparen(cond.child("right")))];
  }
  return [cond];
}

const ZERO_VALUES = new Set(["nil", "false", "interpreted_string_literal", "raw_string_literal", "int_literal"]);

function onceCondition(cond: GoNode, consequence: GoNode, loop: GoNode): boolean {
  let tested: GoNode | undefined;
  if (cond.type === "unary_expression" && cond.child("operator")?.text === "!") tested = unparen(cond.child("operand"));
  else if (cond.type === "identifier" || cond.type === "selector_expression") tested = cond;
  else if (cond.type === "binary_expression" && cond.child("operator")?.text === "==") {
    const left = unparen(cond.child("left"));
    const right = unparen(cond.child("right"));
    if (right && left && ZERO_VALUES.has(right.type)) tested = left;
    else if (left && right && ZERO_VALUES.has(left.type)) tested = right;
    // `if i == 0` on the loop's own counter.
    if (tested?.type === "identifier" && (right?.type === "int_literal" || left?.type === "int_literal") && isLoopVariable(tested, loop)) return true;
  }
  if (!tested || (tested.type !== "identifier" && tested.type !== "selector_expression")) return false;
  const root = rootIdentifier(tested);
  const decl = root ? declarationOf(root) : undefined;
  // A variable of the iteration is fresh every time round.
  if (decl?.within(loop)) return false;
  return assignsTo(consequence, tested);
}

/**
 * `x = …` (or `x, err = …`, `x++`-free) somewhere in the block, nested statements and
 * if-initialisers included, or in a local func literal the block calls (`sub := subscribe()`
 * with `subscribe := func() … { notify = make(…) … }`).
 */
function assignsTo(block: GoNode, target: GoNode): boolean {
  return (
    writes(block, target) ||
    block.descendants("call_expression").some((call) => {
      const fn = unparen(call.child("function"));
      const decl = fn?.type === "identifier" ? declarationOf(fn) : undefined;
      const literal = decl ? unparen(initializerOf(decl)?.value) : undefined;
      return literal?.type === "func_literal" && writes(literal, target);
    })
  );
}

function writes(block: GoNode, target: GoNode): boolean {
  return block.descendants("assignment_statement").some((a) =>
    (a.child("left")?.namedChildren ?? []).some((l) => {
      const left = unparen(l);
      if (!left || left.text !== target.text) return false;
      return target.type !== "identifier" || declarationOf(left) === declarationOf(target);
    }),
  );
}

function isLoopVariable(id: GoNode, loop: GoNode): boolean {
  const decl = declarationOf(id);
  if (!decl) return false;
  const header = loop.namedChildren.find((c) => c.type === "for_clause" || c.type === "range_clause");
  return !!header && decl.within(header);
}

/**
 * The deferred call releases only elements of a slice or map the loop ranges over (`for _, f :=
 * range files { fds = append(fds, f.Fd()); defer f.Close() }`): they were acquired before the
 * loop, which acquires none of its own, so the pending calls hold nothing the loop added; the
 * function releases what it was handed when it returns (mosn passes inherited listener files to
 * its successor and closes them all at the end).
 */
function releasesRangedElements(defer: GoNode, loop: GoNode, file: FileScope): boolean {
  const clause = loop.childOfType("range_clause");
  const over = unparen(clause?.child("right"));
  const shape = over ? shapeOf(typeOfExpr(over, file)) : undefined;
  if (!clause || (shape !== "slice" && shape !== "map")) return false;
  const elements = clause.child("left")?.namedChildren ?? [];
  const released = releasedVariables(defer);
  return released.length > 0 && released.every((decl) => elements.includes(decl) && !referencesOf(decl).some((use) => isAssigned(use) || (!use.within(defer) && acquiredThrough(use))));
}

/**
 * Listeners opened in the loop only to read their address (`ln, _ := net.Listen("tcp", ":0");
 * defer ln.Close(); ports = append(ports, ln.Addr())`): holding every one until the function
 * returns is what keeps the ports distinct (dubbo-go's random ports).
 */
function reservesAddresses(defer: GoNode): boolean {
  const released = releasedVariables(defer);
  const readsAddr = (use: GoNode) => use.parent?.type === "selector_expression" && use.field === "operand" && use.parent.child("field")?.text === "Addr" && use.parent.parent?.type === "call_expression";
  return (
    released.length > 0 &&
    released.every((decl) => {
      const uses = referencesOf(decl).filter((use) => use !== decl && !use.within(defer) && !isAssigned(use));
      return uses.length > 0 && uses.every(readsAddr);
    })
  );
}

/** Names of calls that take something the deferred release gives back: `mu.Lock()`, `sem.Acquire(…)`, `wg.Add(1)`, `tx.Begin()`, … */
const ACQUIRE_NAME = /^(lock|rlock|trylock|acquire|tryacquire|add|begin|start|open|connect|dial|reserve|retain|ref|incref|pin|enter|subscribe|register)/i;

/** The use is the receiver of an acquiring call (`mu.Lock()`): the iteration takes something of its own. */
function acquiredThrough(use: GoNode): boolean {
  const sel = use.parent;
  return sel?.type === "selector_expression" && use.field === "operand" && sel.parent?.type === "call_expression" && ACQUIRE_NAME.test(sel.child("field")?.text ?? "");
}

/**
 * The deferred call releases a value of this iteration that the function keeps using after it:
 * stored into a field, element or pointee (`*opt.field = f`, `cPaths[i] = p`), or appended to /
 * assigned to a variable from outside the loop (`readers = append(readers, f)`), directly, in a
 * wrapper (`bufio.NewReader(f)`) or through a local of the iteration (`r := bufio.NewReader(f)`).
 * Releasing it at the end of the iteration would break the code: the defer is the point.
 */
function keptAfterIteration(defer: GoNode, loop: GoNode, file: FileScope): boolean {
  // Variables of the iteration: declared in the body or by the loop's own clause (`for _, r := range rs`).
  return releasedVariables(defer).some((decl) => decl.within(loop) && keptThrough(decl, defer, loop, file, 1));
}

function keptThrough(decl: GoNode, defer: GoNode, loop: GoNode, file: FileScope, depth: number): boolean {
  return referencesOf(decl).some((use) => {
    if (use.within(defer)) return false;
    if (storedOutside(use, loop, file)) return true;
    const copy = depth > 0 ? localCarrier(use, loop, file) : undefined;
    return !!copy && keptThrough(copy, defer, loop, file, depth - 1);
  });
}

/** Calls whose result carries their argument: constructors and wrappers (`bufio.NewReader(f)`, `io.LimitReader(f, n)`). */
const WRAPPER = /^(New|new|Wrap|wrap)|^(LimitReader|TeeReader|MultiReader|MultiWriter|NopCloser)$/;

function isWrapper(call: GoNode, file: FileScope): boolean {
  if (isConversionCall(call, file)) return true;
  const fn = unparen(call.child("function"));
  const name = fn?.type === "selector_expression" ? fn.child("field")?.text : fn?.type === "identifier" ? fn.text : undefined;
  return !!name && WRAPPER.test(name);
}

/** The value climbs through parentheses, `&`, composite literals, wrappers and appends to the expression that is stored. */
function carried(use: GoNode, file: FileScope): GoNode {
  let e = use;
  for (;;) {
    const p = e.parent;
    if (!p) return e;
    if (p.type === "parenthesized_expression" || (p.type === "unary_expression" && p.child("operator")?.text === "&")) e = p;
    // A field of the value (`v.path`), not a method call on it.
    else if (p.type === "selector_expression" && e.field === "operand" && !(p.parent?.type === "call_expression" && p.field === "function")) e = p;
    else if (p.type === "literal_element" || p.type === "keyed_element" || p.type === "literal_value" || p.type === "composite_literal") e = p;
    else if (p.type === "argument_list" && p.parent && isPlainCall(p.parent, "append") && p.namedChildren.indexOf(e) > 0) e = p.parent;
    else if (p.type === "argument_list" && p.parent && isWrapper(p.parent, file)) e = p.parent;
    else return e;
  }
}

/** `r := bufio.NewReader(f)` in the loop body: the local that now carries the value. */
function localCarrier(use: GoNode, loop: GoNode, file: FileScope): GoNode | undefined {
  const e = carried(use, file);
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "right" || stmt?.type !== "short_var_declaration" || e === use) return undefined;
  const target = stmt.child("left")?.namedChildren[list.namedChildren.indexOf(e)];
  return target?.type === "identifier" && target.text !== "_" && target.within(loop) ? target : undefined;
}

/**
 * Local variables the deferred call releases: its receiver's root and the roots of its arguments;
 * for a deferred literal, those of the release calls in its body that it captures.
 */
function releasedVariables(defer: GoNode): GoNode[] {
  const call = defer.namedChildren[0];
  if (call?.type !== "call_expression") return [];
  const literal = deferredLiteral(defer);
  const releases = literal ? ownDescendants(literal.child("body") ?? literal, "call_expression").filter(isReleaseCall) : [call];
  const out: GoNode[] = [];
  for (const release of releases) {
    const { receiver, args } = callParts(release);
    for (const e of [receiver, ...args]) {
      if (!e) continue;
      for (const id of e.type === "identifier" ? [e] : e.descendants("identifier")) {
        const decl = declarationOf(id);
        if (decl && !out.includes(decl) && !(literal && decl.within(literal))) out.push(decl);
      }
    }
  }
  return out;
}

function storedOutside(use: GoNode, loop: GoNode, file: FileScope): boolean {
  const e = carried(use, file);
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "right" || stmt?.type !== "assignment_statement" || stmt.child("operator")?.text !== "=") return false;
  const target = unparen(stmt.child("left")?.namedChildren[list.namedChildren.indexOf(e)]);
  if (!target) return false;
  // Through a pointer: storage somewhere else.
  if (target.type === "unary_expression") return true;
  if (target.type === "identifier" && target.text === "_") return false;
  // A variable, or a field or element of one, that lives beyond the iteration: not one declared in the loop body.
  const root = rootIdentifier(target);
  if (!root) return target.type === "selector_expression" || target.type === "index_expression";
  const decl = declarationOf(root);
  return !decl || !decl.within(loop.child("body") ?? loop);
}

function deferredLiteral(defer: GoNode): GoNode | undefined {
  const call = defer.namedChildren[0];
  const fn = call?.type === "call_expression" ? unparen(call.child("function")) : undefined;
  return fn?.type === "func_literal" ? fn : undefined;
}

export default rule;
