/**
 * One control-flow graph per function (a declaration, a method or a func literal), built from
 * the copied syntax and memoized per function node: rules ask {@link cfgOf} for it instead of
 * walking statements themselves, the way go/analysis passes ask for the `ctrlflow` fact.
 *
 * Nodes are the function's simple statements plus the points where control splits: an `if` or
 * `for` condition, a `range` header, a loop head without condition, the head of a switch or
 * select and each of its cases. Nested func literals are other functions: their bodies belong
 * to their own graphs, and a literal is part of the statement that contains it.
 *
 * Every function has one `exit` (a return, or falling off the end: the registered defers run
 * there) and one `abort` (panic, `os.Exit`, `log.Fatal*`, `t.FailNow`, a logger's `Fatal*`):
 * a path that ends in `abort` does not return to the caller.
 */
import type { GoNode } from "./node.js";
import { branchesOf, isFunction, isProcessExit, statementsOf } from "./syntax.js";

export type CfgNodeKind =
  | "entry"
  | "exit"
  | "abort"
  /** A simple statement: expression, assignment, declaration, send, inc/dec, go, defer, return. */
  | "statement"
  /** The condition of an `if` or a `for`: leaves on `true` and `false` edges. */
  | "condition"
  /** The header of a `for … range`: `more` into the body, `done` after the loop. */
  | "range"
  /** The head of a `for {}` without condition. */
  | "loop"
  /** The head of a switch, type switch or select: `case` edges to each case. */
  | "branch"
  /** One case clause of a switch or select (for a select, the communication happens here). */
  | "case"
  /** `break`, `continue`, `goto`, `fallthrough`, or a label. */
  | "jump";

export type CfgEdgeKind = "next" | "true" | "false" | "more" | "done" | "case" | "nomatch";

export interface CfgEdge {
  readonly from: CfgNode;
  readonly to: CfgNode;
  readonly kind: CfgEdgeKind;
  /** The edge closes a cycle (it goes back to a node that is still open in a depth-first walk from the entry): a loop's back edge. */
  back: boolean;
}

export interface CfgNode {
  readonly id: number;
  readonly kind: CfgNodeKind;
  /** What runs here: the statement, the condition expression, the range clause, the case clause; the function for entry/exit/abort. */
  readonly syntax: GoNode;
  readonly succs: CfgEdge[];
  readonly preds: CfgEdge[];
}

/** Statements nested deeper than this are not modelled: the function gets no graph (no real code nests so deep). */
export const MAX_NESTING = 100;

const cache = new WeakMap<GoNode, Cfg | null>();

/** The control-flow graph of a function boundary, built once; undefined for hostile nesting or a node that is not a function. */
export function cfgOf(fn: GoNode): Cfg | undefined {
  const known = cache.get(fn);
  if (known !== undefined) return known ?? undefined;
  let cfg: Cfg | undefined;
  if (isFunction(fn)) {
    try {
      cfg = new Builder(fn).build();
    } catch (err) {
      if (!(err instanceof TooDeep)) throw err;
    }
  }
  cache.set(fn, cfg ?? null);
  return cfg;
}

/** The graph of the function that contains `node` (its nearest function boundary). */
export function cfgAround(node: GoNode): Cfg | undefined {
  for (const a of node.ancestors()) if (isFunction(a)) return cfgOf(a);
  return undefined;
}

export interface PathQuery {
  /** Where a path ends successfully. */
  target: (node: CfgNode) => boolean;
  /** Nodes a path may not enter (checked before `target`). */
  blocks?: (node: CfgNode) => boolean;
  /** Edges a path may not take. */
  skips?: (edge: CfgEdge) => boolean;
}

export class Cfg {
  constructor(
    readonly fn: GoNode,
    readonly entry: CfgNode,
    readonly exit: CfgNode,
    readonly abort: CfgNode,
    readonly nodes: readonly CfgNode[],
    private readonly bySyntax: ReadonlyMap<GoNode, CfgNode>,
  ) {}

  /**
   * The node that evaluates `syntax`: the innermost node whose statement, condition or clause
   * holds it. Inside a nested func literal, that is the node of the statement holding the literal.
   */
  nodeOf(syntax: GoNode): CfgNode | undefined {
    for (let n: GoNode | null = syntax; n; n = n.parent) {
      const node = this.bySyntax.get(n);
      if (node) return node;
      if (n === this.fn) return undefined;
    }
    return undefined;
  }

  /**
   * A shortest path from `start` (excluded) to a node that satisfies `query.target`, entering
   * no blocked node and taking no skipped edge; undefined when there is none. The path ends
   * with the target; `start` itself counts as a target only when reached again through a cycle.
   */
  pathFrom(start: CfgNode, query: PathQuery): CfgNode[] | undefined {
    const parent = new Map<CfgNode, CfgNode>();
    const queue: CfgNode[] = [];
    const seen = new Set<CfgNode>();
    const visit = (from: CfgNode) => {
      for (const edge of from.succs) {
        if (seen.has(edge.to) || query.skips?.(edge)) continue;
        seen.add(edge.to);
        if (query.blocks?.(edge.to)) continue;
        parent.set(edge.to, from);
        queue.push(edge.to);
      }
    };
    visit(start);
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i]!;
      if (query.target(node)) {
        const path = [node];
        for (let p = parent.get(node); p && p !== start; p = parent.get(p)) path.push(p);
        return path.reverse();
      }
      visit(node);
    }
    return undefined;
  }

  /** Every node reachable from `start` (excluded unless on a cycle) without entering a blocked node or taking a skipped edge. */
  reachableFrom(start: CfgNode, query: Omit<PathQuery, "target"> = {}): Set<CfgNode> {
    const seen = new Set<CfgNode>();
    const stack = [start];
    while (stack.length > 0) {
      for (const edge of stack.pop()!.succs) {
        if (seen.has(edge.to) || query.skips?.(edge) || query.blocks?.(edge.to)) continue;
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
    return seen;
  }

  /** True when every path from the entry that returns to the caller passes `node` (panics and exits aside). */
  onEveryPath(node: CfgNode): boolean {
    return node === this.entry || !this.pathFrom(this.entry, { target: (n) => n === this.exit, blocks: (n) => n === node });
  }

  /** True when `node` can run again after it ran: it lies on a cycle. */
  canRepeat(node: CfgNode): boolean {
    return this.pathFrom(node, { target: (n) => n === node }) !== undefined;
  }

  /** True when the function can return to its caller at all (some path from the entry reaches the exit). */
  canReturn(): boolean {
    return this.pathFrom(this.entry, { target: (n) => n === this.exit }) !== undefined;
  }

  /**
   * The first nodes after `start` that satisfy `isUse`, on every path that reaches one without
   * entering a node that `kills` (a new value): forward, at most one per path.
   */
  firstUsesAfter(start: CfgNode, isUse: (node: CfgNode) => boolean, kills?: (node: CfgNode) => boolean): CfgNode[] {
    const out: CfgNode[] = [];
    const seen = new Set<CfgNode>();
    const stack = [start];
    while (stack.length > 0) {
      for (const edge of stack.pop()!.succs) {
        const n = edge.to;
        if (seen.has(n)) continue;
        seen.add(n);
        if (isUse(n)) out.push(n);
        else if (!kills?.(n)) stack.push(n);
      }
    }
    return out.sort((a, b) => a.syntax.start - b.syntax.start);
  }

  /** The loop heads (condition, range or loop nodes with an incoming back edge) whose cycle contains `node`. */
  loopsAround(node: CfgNode): CfgNode[] {
    return this.nodes.filter((h) => h.preds.some((e) => e.back) && (h === node || (this.reaches(h, node) && this.reaches(node, h))));
  }

  /** The head of a `for` statement: its condition, range header or loop node. */
  loopHead(loop: GoNode): CfgNode | undefined {
    return this.nodes.find(
      (n) =>
        (n.kind === "loop" && n.syntax === loop) ||
        ((n.kind === "range" || n.kind === "condition") && (n.syntax.parent === loop || (n.syntax.parent?.type === "for_clause" && n.syntax.parent.parent === loop))),
    );
  }

  /**
   * True when control can get out of the loop whose head is `head` other than by the header
   * ending it (a condition turning false, a range running out): a return, a break, a goto, or —
   * with `exitCalls` (the default) — a panic or a process exit.
   */
  canLeaveLoop(head: CfgNode, options: { exitCalls?: boolean } = {}): boolean {
    const back = new Set<CfgNode>([head]);
    const stack = [head];
    while (stack.length > 0) {
      for (const edge of stack.pop()!.preds) {
        if (back.has(edge.from)) continue;
        back.add(edge.from);
        stack.push(edge.from);
      }
    }
    const natural = (e: CfgEdge) => e.from === head && (e.kind === "false" || e.kind === "done");
    return !!this.pathFrom(head, {
      target: (n) => !back.has(n) && (n !== this.abort || options.exitCalls !== false),
      skips: natural,
    });
  }

  /** True when some path leads from `a` to `b` (`b` may equal `a` only through a cycle). */
  reaches(a: CfgNode, b: CfgNode): boolean {
    return this.pathFrom(a, { target: (n) => n === b }) !== undefined;
  }
}

class TooDeep extends Error {}

interface JumpTarget {
  stmt: GoNode;
  label: string | undefined;
  breakTo: CfgNode;
  continueTo: CfgNode | undefined;
}

class Builder {
  private readonly nodes: CfgNode[] = [];
  private readonly bySyntax = new Map<GoNode, CfgNode>();
  private readonly labels = new Map<string, CfgNode>();
  private readonly targets: JumpTarget[] = [];
  /** While a case body is built: where its `fallthrough` goes (the next case's body). */
  private fallthroughTo: CfgNode | undefined;
  private readonly entry: CfgNode;
  private readonly exit: CfgNode;
  private readonly abort: CfgNode;

  constructor(private readonly fn: GoNode) {
    this.entry = this.node("entry", fn);
    this.exit = this.node("exit", fn);
    this.abort = this.node("abort", fn);
  }

  build(): Cfg {
    const body = this.fn.child("body");
    // Labels are function-wide: a backward goto needs its label before the label's statement is built.
    if (body) {
      body.walk((n) => {
        if (n !== body && isFunction(n)) return false;
        if (n.type === "labeled_statement") {
          const name = n.child("label")?.text ?? "";
          if (!this.labels.has(name)) this.labels.set(name, this.node("jump", n, false));
        }
      });
    }
    const first = body ? this.sequence(statementsOf(body), this.exit, 0) : this.exit;
    this.edge(this.entry, first);
    markBackEdges(this.entry);
    return new Cfg(this.fn, this.entry, this.exit, this.abort, this.nodes, this.bySyntax);
  }

  private node(kind: CfgNodeKind, syntax: GoNode, mapped = true): CfgNode {
    const node: CfgNode = { id: this.nodes.length, kind, syntax, succs: [], preds: [] };
    this.nodes.push(node);
    if (mapped && kind !== "entry" && kind !== "exit" && kind !== "abort" && !this.bySyntax.has(syntax)) this.bySyntax.set(syntax, node);
    return node;
  }

  private edge(from: CfgNode, to: CfgNode, kind: CfgEdgeKind = "next"): void {
    const edge: CfgEdge = { from, to, kind, back: false };
    from.succs.push(edge);
    to.preds.push(edge);
  }

  /** Builds `stmts` so that control continues at `next` after them; returns where they start. */
  private sequence(stmts: readonly GoNode[], next: CfgNode, depth: number): CfgNode {
    let cur = next;
    for (let i = stmts.length - 1; i >= 0; i--) cur = this.statement(stmts[i]!, cur, depth, undefined);
    return cur;
  }

  private statement(s: GoNode, next: CfgNode, depth: number, label: string | undefined): CfgNode {
    if (depth > MAX_NESTING) throw new TooDeep();
    switch (s.type) {
      case "block":
        return this.sequence(statementsOf(s), next, depth + 1);
      case "empty_statement":
        return next;
      case "labeled_statement": {
        const name = s.child("label")?.text ?? "";
        const labelNode = this.labels.get(name)!;
        const inner = s.namedChildren.find((c) => c.field !== "label");
        this.edge(labelNode, inner ? this.statement(inner, next, depth + 1, name) : next);
        return labelNode;
      }
      case "return_statement":
        return this.simple(s, this.exit);
      case "goto_statement": {
        const target = this.labels.get(s.namedChildren[0]?.text ?? "");
        return this.simple(s, target ?? this.abort, "jump");
      }
      case "break_statement":
      case "continue_statement": {
        const target = this.jumpTarget(s);
        const to = s.type === "break_statement" ? target?.breakTo : target?.continueTo;
        return this.simple(s, to ?? this.abort, "jump");
      }
      case "fallthrough_statement":
        return this.simple(s, this.fallthroughTo ?? next, "jump");
      case "expression_statement": {
        const call = s.namedChildren[0];
        return this.simple(s, call?.type === "call_expression" && isProcessExit(call) ? this.abort : next);
      }
      case "if_statement":
        return this.ifStatement(s, next, depth);
      case "for_statement":
        return this.forStatement(s, next, depth, label);
      case "expression_switch_statement":
      case "type_switch_statement":
        return this.switchStatement(s, next, depth, label);
      case "select_statement":
        return this.selectStatement(s, next, depth, label);
      default:
        return this.simple(s, next);
    }
  }

  private simple(s: GoNode, next: CfgNode, kind: CfgNodeKind = "statement"): CfgNode {
    const node = this.node(kind, s);
    this.edge(node, next);
    return node;
  }

  private withInitializer(s: GoNode, head: CfgNode): CfgNode {
    const init = s.child("initializer");
    if (!init) return head;
    return this.simple(init, head);
  }

  private ifStatement(s: GoNode, next: CfgNode, depth: number): CfgNode {
    const alternative = s.child("alternative");
    const otherwise = alternative ? this.statement(alternative, next, depth + 1, undefined) : next;
    const consequence = s.child("consequence");
    const then = consequence ? this.statement(consequence, next, depth + 1, undefined) : next;
    const cond = this.node("condition", s.child("condition") ?? s);
    this.edge(cond, then, "true");
    this.edge(cond, otherwise, "false");
    this.bySyntax.set(s, cond);
    return this.withInitializer(s, cond);
  }

  private forStatement(s: GoNode, next: CfgNode, depth: number, label: string | undefined): CfgNode {
    const clause = s.children.find((c) => c.type === "for_clause" || c.type === "range_clause");
    const bare = s.namedChildren.find((c) => c.field !== "body" && c !== clause && c.type !== "comment");
    let head: CfgNode;
    let continueTo: CfgNode;
    let init: GoNode | undefined;
    if (clause?.type === "range_clause") {
      head = continueTo = this.node("range", clause);
    } else {
      const cond = clause ? clause.child("condition") : bare;
      head = cond ? this.node("condition", cond) : this.node("loop", s, false);
      const update = clause?.child("update");
      continueTo = update ? this.simple(update, head) : head;
      init = clause?.child("initializer");
    }
    this.targets.push({ stmt: s, label, breakTo: next, continueTo });
    const body = s.child("body");
    const bodyEntry = body ? this.statement(body, continueTo, depth + 1, undefined) : continueTo;
    this.targets.pop();
    if (head.kind === "range") {
      this.edge(head, bodyEntry, "more");
      this.edge(head, next, "done");
    } else if (head.kind === "condition") {
      this.edge(head, bodyEntry, "true");
      this.edge(head, next, "false");
    } else {
      this.edge(head, bodyEntry);
    }
    const start = init ? this.simple(init, head) : head;
    this.bySyntax.set(s, start);
    return start;
  }

  private switchStatement(s: GoNode, next: CfgNode, depth: number, label: string | undefined): CfgNode {
    const head = this.node("branch", s);
    this.targets.push({ stmt: s, label, breakTo: next, continueTo: undefined });
    const cases = branchesOf(s);
    const caseNodes: CfgNode[] = [];
    let following: CfgNode | undefined;
    for (let i = cases.length - 1; i >= 0; i--) {
      const clause = cases[i]!;
      const saved = this.fallthroughTo;
      this.fallthroughTo = following ?? next;
      const bodyEntry = this.sequence(statementsOf(clause), next, depth + 1);
      this.fallthroughTo = saved;
      const caseNode = this.node("case", clause);
      this.edge(caseNode, bodyEntry);
      caseNodes.unshift(caseNode);
      following = bodyEntry;
    }
    this.targets.pop();
    for (const c of caseNodes) this.edge(head, c, "case");
    if (!cases.some((c) => c.type === "default_case")) this.edge(head, next, "nomatch");
    return this.withInitializer(s, head);
  }

  private selectStatement(s: GoNode, next: CfgNode, depth: number, label: string | undefined): CfgNode {
    const head = this.node("branch", s);
    this.targets.push({ stmt: s, label, breakTo: next, continueTo: undefined });
    const cases = branchesOf(s);
    const caseNodes = cases.map((clause) => {
      const bodyEntry = this.sequence(statementsOf(clause), next, depth + 1);
      const caseNode = this.node("case", clause);
      const comm = clause.child("communication");
      if (comm) this.bySyntax.set(comm, caseNode);
      this.edge(caseNode, bodyEntry);
      return caseNode;
    });
    this.targets.pop();
    // `select {}` has no case: it blocks forever, so nothing follows it.
    for (const c of caseNodes) this.edge(head, c, "case");
    return head;
  }

  /** The loop, switch or select a `break`/`continue` leaves or repeats. */
  private jumpTarget(jump: GoNode): JumpTarget | undefined {
    const label = jump.namedChildren.find((c) => c.type === "label_name")?.text;
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const t = this.targets[i]!;
      if (label !== undefined ? t.label === label : jump.type === "break_statement" || t.continueTo !== undefined) return t;
    }
    return undefined;
  }
}

/** Marks the edges that close a cycle in a depth-first walk from the entry (iterative: deep graphs cannot overflow the stack). */
function markBackEdges(entry: CfgNode): void {
  const state = new Map<CfgNode, "open" | "done">();
  const stack: { node: CfgNode; next: number }[] = [{ node: entry, next: 0 }];
  state.set(entry, "open");
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const edge = top.node.succs[top.next++];
    if (!edge) {
      state.set(top.node, "done");
      stack.pop();
      continue;
    }
    const s = state.get(edge.to);
    if (s === "open") edge.back = true;
    else if (s === undefined) {
      state.set(edge.to, "open");
      stack.push({ node: edge.to, next: 0 });
    }
  }
}
