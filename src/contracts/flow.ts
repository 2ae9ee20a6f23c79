/**
 * The flow of derived values through one function, a forward dataflow over its control-flow
 * graph: local variables take the derivation of their most recent assignment on each path (the
 * paths' states are joined where they meet, loops are followed round until nothing changes, so
 * values carried to the next iteration are seen), local containers accumulate what they are
 * given, and every place a derived value reaches a sink is recorded. A func literal's graph is
 * followed where the literal is written; what it assigns to captured variables joins the state.
 *
 * The events are what the contract rules check: `contract-borrow-escapes` and
 * `contract-lifetime-exceeded` compare the value's scope with the sink's,
 * `contract-owned-return-aliases` looks at returns. One analysis per function is shared by them.
 */
import { waitFollows } from "../analysis/channels.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf } from "../analysis/scope.js";
import { cfgOf, type CfgNode } from "../analysis/cfg.js";
import { ForwardFlow } from "../analysis/dataflow.js";
import { parametersOf, unparen } from "../analysis/syntax.js";
import type { Contract } from "../directives/contracts.js";
import { calleeOf, contractOf, parameterAt } from "./calls.js";
import { Derivation, heldBy, isNone, isPackageRoot, join, NONE, packageRootName, rootsOf, type State, type Val } from "./derivation.js";
import { declaredScope, longestScope, outlives, scopeRank } from "./scopes.js";
import { callbackArgument, containerStore, isLocalChannel, ownerOfMemory, ownerOfPlace, type Owner, type Sink } from "./sinks.js";
import { elementOf, keyOf, shapeOf, typeOfExpr } from "../analysis/types.js";

export interface FlowEvent {
  /** Where the value reaches the sink: the assignment, send, `go` statement, call or return (the finding's anchor). */
  anchor: GoNode;
  /** The expression that carries the value there. */
  value: GoNode;
  /** The roots (parameter or receiver names, `var:NAME` for package state) the value is derived from. */
  roots: Set<string>;
  sink: Sink;
}

export interface FunctionFlow {
  fn: GoNode;
  contract: Contract;
  derivation: Derivation;
  events: FlowEvent[];
}

const cache = new WeakMap<GoNode, { key: string; flow: FunctionFlow }>();

/** The flow events of a function or method declaration under its contract (cached). */
export function functionFlow(fn: GoNode, file: FileScope, scopes: readonly string[]): FunctionFlow {
  const key = scopes.join(",");
  const cached = cache.get(fn);
  if (cached?.key === key) return cached.flow;
  const contract = contractOf(fn, scopes, file);
  const derivation = new Derivation(fn, file);
  const walker = new Walker(fn, file, scopes, contract, derivation);
  walker.run();
  const flow: FunctionFlow = { fn, contract, derivation, events: [...walker.events.values()] };
  cache.set(fn, { key, flow });
  return flow;
}

const clone = (st: State): State => new Map(st);

/** `a` already holds every root of `b`: joining `b` into it changes nothing. */
function covers(a: Val, b: Val): boolean {
  for (const r of b.alias) if (!a.alias.has(r)) return false;
  for (const r of b.held) if (!a.held.has(r)) return false;
  return true;
}

class Walker {
  readonly events = new Map<string, FlowEvent>();
  private readonly literals: GoNode[] = [];
  /** Each func literal's flow, kept across the visits of the statement that holds it. */
  private readonly literalFlows = new Map<GoNode, ForwardFlow<State> | null>();

  constructor(
    private readonly fn: GoNode,
    private readonly file: FileScope,
    private readonly scopes: readonly string[],
    private readonly contract: Contract,
    private readonly d: Derivation,
  ) {}

  run(): void {
    this.flowOf(this.fn)?.run(new Map());
  }

  /** The forward flow over a function's graph; undefined when it has none (hostile nesting). */
  private flowOf(fn: GoNode): ForwardFlow<State> | undefined {
    const cfg = cfgOf(fn);
    if (!cfg) return undefined;
    return new ForwardFlow<State>(cfg, {
      transfer: (node, st) => this.node(node, st),
      join: (known, arriving) => this.merge(known, arriving),
      copy: clone,
    });
  }

  /**
   * Joins the state arriving at a node into the one known there (`known` itself when that
   * holds it already); a variable a state has not assigned still holds its initial value there.
   */
  private merge(known: State, arriving: State): State {
    let out: State | undefined;
    const grow = (k: GoNode, mine: Val, theirs: Val) => {
      if (!covers(mine, theirs)) (out ??= clone(known)).set(k, join(mine, theirs));
    };
    for (const [k, v] of arriving) grow(k, this.d.variable(k, known), v);
    for (const [k, v] of known) if (!arriving.has(k)) grow(k, v, this.d.variable(k, arriving));
    return out ?? known;
  }

  // --- events -------------------------------------------------------------------------------

  private emit(anchor: GoNode, value: GoNode, val: Val, sink: Sink): void {
    const roots = rootsOf(val);
    if (roots.size === 0) return;
    const key = `${anchor.start}:${anchor.end}:${value.start}:${sink.kind}:${sink.where}:${sink.result ?? ""}`;
    const known = this.events.get(key);
    if (known) for (const r of roots) known.roots.add(r);
    else this.events.set(key, { anchor, value, roots, sink });
    for (const lit of this.literals) {
      const inside = this.d.reportedInside.get(lit) ?? new Set<string>();
      for (const r of roots) inside.add(r);
      this.d.reportedInside.set(lit, inside);
    }
  }

  /** The sink for memory owned by some roots: package state wins, else the longest-lived owner. */
  private rootsSink(roots: ReadonlySet<string>): Sink {
    const pkg = [...roots].find(isPackageRoot);
    if (pkg) return { kind: "package", scope: longestScope(this.scopes), declared: true, where: `the package-level variable \`${packageRootName(pkg)}\`` };
    let best: { name: string; scope: string; declared: boolean } | undefined;
    for (const name of roots) {
      const s = declaredScope(name, this.contract, this.scopes);
      if (!best || scopeRank(s.scope, this.scopes) > scopeRank(best.scope, this.scopes)) best = { name, ...s };
    }
    const name = best?.name ?? "";
    const receiver = this.d.roots.get(name)?.kind === "receiver";
    return {
      kind: receiver ? "receiver" : "parameter",
      scope: best?.scope ?? longestScope(this.scopes),
      declared: best?.declared ?? false,
      where: receiver ? `the receiver \`${name}\`` : `the parameter \`${name}\``,
    };
  }

  private processSink(kind: Sink["kind"], where: string): Sink {
    return { kind, scope: longestScope(this.scopes), declared: false, where };
  }

  /** A store of `val` into a place owned by `owner`. */
  private storeInto(owner: Owner, val: Val, anchor: GoNode, value: GoNode, st: State): void {
    switch (owner.kind) {
      case "local":
        st.set(owner.decl, join(this.d.variable(owner.decl, st), heldBy(val)));
        return;
      case "roots":
        this.emit(anchor, value, val, this.rootsSink(owner.roots));
        return;
      case "package":
        this.emit(anchor, value, val, this.processSink("package", `\`${owner.name}\`, state of another package`));
        return;
      default:
        return;
    }
  }

  // --- nodes ------------------------------------------------------------------------------

  /** What running a node of the graph does to the state reaching it. */
  private node(node: CfgNode, st: State): State {
    const s = node.syntax;
    switch (node.kind) {
      case "statement":
        this.stmt(s, st);
        break;
      case "condition":
        this.expr(s, st);
        break;
      case "range":
        this.expr(s.child("right"), st);
        this.bindRange(s, st, s.parent ?? s);
        break;
      case "branch":
        this.expr(s.child("value"), st);
        break;
      case "case":
        this.caseClause(s, st);
        break;
      default:
        break;
    }
    return st;
  }

  /** A simple statement (compound statements are nodes and edges of the graph). */
  private stmt(s: GoNode, st: State): void {
    switch (s.type) {
      case "short_var_declaration":
      case "assignment_statement":
        return this.assign(s, st);
      case "var_declaration":
        for (const spec of s.descendants("var_spec")) this.varSpec(spec, st);
        return;
      case "send_statement":
        return this.send(s, st);
      case "go_statement":
        return this.go(s, st);
      case "return_statement":
        return this.ret(s, st);
      case "inc_statement":
      case "dec_statement":
      case "const_declaration":
      case "type_declaration":
        return;
      default:
        // An expression statement, or a defer: what the deferred call stores happens in any case.
        return this.expr(s.type === "expression_statement" || s.type === "defer_statement" ? s.namedChildren[0] : s, st);
    }
  }

  private assign(s: GoNode, st: State): void {
    const short = s.type === "short_var_declaration";
    const op = s.child("operator")?.text ?? (short ? ":=" : "=");
    const lefts = s.child("left")?.namedChildren ?? [];
    const rights = s.child("right")?.namedChildren ?? [];
    for (const r of rights) this.expr(r, st);
    for (const l of lefts) if (unparen(l)?.type !== "identifier") this.expr(l, st);
    if (op !== "=" && op !== ":=") return; // `+=` and friends: numbers and string concatenation copy
    const values = this.values(lefts.length, rights, st);
    lefts.forEach((left, i) => this.storeTo(left, values[i] ?? NONE, rights[i] ?? rights[0] ?? left, s, st));
  }

  /** The values bound to `count` targets: pairwise, or the results of one multi-value expression. */
  private values(count: number, rights: readonly GoNode[], st: State): Val[] {
    if (rights.length === count) return rights.map((r) => this.d.eval(r, st));
    if (rights.length === 1) return Array.from({ length: count }, (_, i) => this.d.evalResult(rights[0], i, count, st));
    return [];
  }

  /** Assigns `val` to a target: a local (strong update), package state or a field/element (a sink or a local container). */
  private storeTo(target: GoNode, val: Val, value: GoNode, anchor: GoNode, st: State): void {
    const t = unparen(target);
    if (!t) return;
    if (t.type === "identifier") {
      if (t.text === "_") return;
      const decl = declarationOf(t);
      if (decl) {
        st.set(decl, val);
        return;
      }
      const root = this.d.packageRoot(t);
      if (root) this.emit(anchor, value, val, this.rootsSink(new Set([root.name])));
      return;
    }
    if (isNone(val)) return;
    this.storeInto(ownerOfPlace(t, st, this.d), val, anchor, value, st);
  }

  private varSpec(spec: GoNode, st: State): void {
    const names = spec.childrenOf("name");
    const rights = spec.child("value")?.namedChildren ?? [];
    for (const r of rights) this.expr(r, st);
    const values = rights.length > 0 ? this.values(names.length, rights, st) : [];
    names.forEach((name, i) => st.set(name, values[i] ?? NONE));
  }

  private send(s: GoNode, st: State): void {
    const channel = s.child("channel");
    const value = s.child("value");
    this.expr(channel, st);
    this.expr(value, st);
    if (!value) return;
    const val = this.d.eval(value, st);
    if (isNone(val)) return;
    const ch = unparen(channel);
    const decl = ch?.type === "identifier" ? declarationOf(ch) : undefined;
    if (decl && isLocalChannel(decl, this.file)) {
      st.set(decl, join(this.d.variable(decl, st), heldBy(val)));
      return;
    }
    const owner = ownerOfMemory(channel, st, this.d);
    const where = `the channel \`${channel?.text ?? "?"}\``;
    if (owner.kind === "roots" && ![...owner.roots].some(isPackageRoot)) {
      const sink = this.rootsSink(owner.roots);
      this.emit(s, value, val, { ...sink, kind: "send", where: `${where} (owned by ${sink.where.replace(/^the /, "")})` });
      return;
    }
    this.emit(s, value, val, this.processSink("send", where));
  }

  private go(s: GoNode, st: State): void {
    const call = s.namedChildren[0];
    if (call?.type !== "call_expression") return;
    const fnExpr = unparen(call.child("function"));
    const args = call.child("arguments")?.namedChildren ?? [];
    for (const a of args) this.expr(a, st);
    if (fnExpr?.type === "func_literal") this.literal(fnExpr, st, args);
    else this.expr(call.child("function"), st);
    if (waitFollows(s)) return;
    const sink = this.processSink("go", "a goroutine that the function does not wait for");
    for (const a of args) this.emit(s, a, this.d.eval(a, st), sink);
    if (fnExpr?.type === "func_literal") this.emit(s, fnExpr, this.d.eval(fnExpr, st), sink);
    else if (fnExpr?.type === "selector_expression") {
      const receiver = fnExpr.child("operand");
      if (receiver) this.emit(s, receiver, this.d.eval(receiver, st), sink);
    }
  }

  private ret(s: GoNode, st: State): void {
    const list = s.namedChildren[0];
    const values = list ? (list.type === "expression_list" ? list.namedChildren : [list]) : [];
    for (const v of values) this.expr(v, st);
    if (this.literals.length > 0) return; // a func literal's return, not the function's
    const sink = (result: number): Sink => ({ kind: "return", scope: "", declared: false, where: "the caller", result });
    if (values.length === 0) {
      // A bare return returns the named results.
      const named = (this.fn.child("result")?.namedChildren ?? []).flatMap((p) => p.childrenOf("name"));
      named.forEach((decl, i) => this.emit(s, decl, this.d.variable(decl, st), sink(i)));
      return;
    }
    if (values.length === 1) {
      this.emit(s, values[0]!, this.d.eval(values[0], st), sink(0));
      return;
    }
    values.forEach((v, i) => this.emit(s, v, this.d.eval(v, st), sink(i)));
  }

  /** `for k, v := range x` (or `=`): the key and element derive from `x` when their types hold pointers. */
  private bindRange(range: GoNode, st: State, anchor: GoNode): void {
    const right = range.child("right");
    const lefts = range.child("left")?.namedChildren ?? [];
    if (lefts.length === 0 || !right) return;
    const over = this.d.eval(right, st);
    const type = typeOfExpr(right, this.file);
    const shape = shapeOf(type);
    const values: Val[] =
      shape === "chan" ? [this.d.element(over, elementOf(type))] :
      shape === "map" ? [this.d.element(over, keyOf(type)), this.d.element(over, elementOf(type))] :
      [NONE, this.d.element(over, elementOf(type))];
    lefts.forEach((left, i) => this.storeTo(left, values[i] ?? NONE, right, anchor, st));
  }

  /** A case clause: an expression case's values, a select case's communication, a type switch's alias. */
  private caseClause(c: GoNode, st: State): void {
    const s = c.parent;
    const alias = s?.type === "type_switch_statement" ? s.child("alias")?.namedChildren[0] : undefined;
    if (alias) st.set(alias, this.d.eval(s?.child("value"), st));
    if (c.type === "expression_case") this.expr(c.child("value"), st);
    if (c.type === "communication_case") this.comm(c.child("communication"), st);
  }

  /** A select case's communication: a send, or a receive that may bind variables. */
  private comm(comm: GoNode | undefined, st: State): void {
    if (!comm) return;
    if (comm.type === "send_statement") return this.send(comm, st);
    if (comm.type === "receive_statement") {
      const right = comm.child("right");
      this.expr(right, st);
      const lefts = comm.child("left")?.namedChildren ?? [];
      lefts.forEach((left, i) => this.storeTo(left, this.d.evalResult(right, i, lefts.length, st), right ?? left, comm, st));
      return;
    }
    this.expr(comm, st);
  }

  // --- expressions --------------------------------------------------------------------------

  /**
   * Visits an expression for what happens inside it: func literals (their bodies are walked),
   * calls that register callbacks, store into a pool or sync.Map, or pass a value to a callee's
   * contracted parameter.
   */
  private expr(e: GoNode | undefined, st: State): void {
    if (!e) return;
    if (e.type === "func_literal") {
      this.literal(e, st, undefined);
      return;
    }
    if (e.type === "call_expression") {
      const fnExpr = unparen(e.child("function"));
      const args = e.child("arguments")?.namedChildren ?? [];
      for (const a of args) this.expr(a, st);
      if (fnExpr?.type === "func_literal") this.literal(fnExpr, st, args);
      else this.expr(e.child("function"), st);
      this.callSinks(e, args, st);
      return;
    }
    for (const c of e.namedChildren) this.expr(c, st);
  }

  /**
   * Follows a func literal's graph where the literal is written (called in place, deferred,
   * started as a goroutine or kept for later: the stores inside it happen in any case). With
   * `args`, its parameters take the arguments' values. Whatever it assigns to captured variables,
   * at any point of its body, joins the state.
   */
  private literal(lit: GoNode, st: State, args: readonly GoNode[] | undefined): void {
    let flow = this.literalFlows.get(lit);
    if (flow === undefined) this.literalFlows.set(lit, (flow = this.flowOf(lit) ?? null));
    if (!flow) return;
    const inner = clone(st);
    if (args) {
      parametersOf(lit).forEach((p, i) => {
        if (p.name && !p.variadic) inner.set(p.name, this.d.eval(args[i], st));
      });
    }
    this.literals.push(lit);
    flow.run(inner);
    this.literals.pop();
    for (const reached of flow.states()) {
      for (const [k, v] of reached) {
        if (!st.has(k) && k.within(lit)) continue;
        const mine = this.d.variable(k, st);
        if (!covers(mine, v)) st.set(k, join(mine, v));
      }
    }
  }

  private callSinks(call: GoNode, args: readonly GoNode[], st: State): void {
    const callback = callbackArgument(call, this.file);
    if (callback) {
      this.emit(call, callback, this.d.eval(callback, st), this.processSink("callback", "a callback that may run after the call"));
    }
    const store = containerStore(call, this.file);
    // A sync.Map keeps its keys as well as its values.
    for (const stored of store ? [store.value, store.key] : []) {
      if (!store || !stored) continue;
      const val = this.d.eval(stored, st);
      if (!isNone(val)) {
        const owner = ownerOfPlace(store.container, st, this.d);
        const kind = store.kind === "pool" ? "sync.Pool" : "sync.Map";
        if (owner.kind === "local") {
          st.set(owner.decl, join(this.d.variable(owner.decl, st), heldBy(val)));
        } else if (owner.kind === "roots") {
          const sink = this.rootsSink(owner.roots);
          this.emit(call, stored, val, { ...sink, kind: "container", where: `the ${kind} \`${store.container.text}\` (${sink.where.replace(/^the /, "")})` });
        } else if (owner.kind === "package") {
          this.emit(call, stored, val, this.processSink("container", `the ${kind} \`${store.container.text}\` of another package`));
        }
      }
    }
    const callee = calleeOf(call, this.file, this.scopes);
    if (!callee || callee.fn === this.fn) return;
    args.forEach((arg, i) => {
      const param = parameterAt(callee.fn, i);
      if (!param) return;
      const owned = callee.contract.owned.has(param.name);
      const scope = callee.contract.scopes.get(param.name);
      if (!owned && (!scope || !outlives(scope, this.scopes[0] ?? "call", this.scopes))) return;
      const val = this.d.eval(arg, st);
      if (isNone(val)) return;
      const sinkScope = owned ? longestScope(this.scopes) : scope!;
      const how = owned ? `takes ownership of it (\`//memlint:owned ${param.name}\`)` : `keeps it for \`${scope}\` (\`//memlint:lifetime ${scope} ${param.name}\`)`;
      this.emit(call, arg, val, { kind: "callee", scope: sinkScope, declared: true, where: `\`${callee.label}\`, which ${how}` });
    });
  }
}
