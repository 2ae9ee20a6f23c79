/**
 * Forward dataflow over a function's control-flow graph ({@link cfgOf}): a state enters at the
 * entry, each node transforms the state that reaches it, states meet where paths join, and
 * loops are followed round until no state changes.
 *
 * The state that reaches a node only grows (each arrival is joined into it, and a join that
 * adds nothing says so by returning the known state), so with a join whose results cannot grow
 * forever — sets over the function's finite names — the iteration ends, however the transfer
 * treats its input. A flow keeps its states between runs: running it
 * again with a larger entry state only propagates what is new, which lets an analysis re-enter
 * a nested func literal's graph each time the statement holding it is reached without redoing
 * the work (and without cost that multiplies with the nesting).
 */
import type { Cfg, CfgNode } from "./cfg.js";

export interface ForwardAnalysis<S> {
  /** What running `node` does to the state reaching it: `state` is the analysis' own copy, to change and return. */
  transfer(node: CfgNode, state: S): S;
  /**
   * The state where two paths meet: `known` (what reached the node so far) joined with
   * `arriving`. Returns `known` itself when `arriving` adds nothing to it; changes neither.
   */
  join(known: S, arriving: S): S;
  copy(state: S): S;
}

export class ForwardFlow<S> {
  private readonly reaching = new Map<CfgNode, S>();
  private readonly order: readonly CfgNode[];

  constructor(
    readonly cfg: Cfg,
    private readonly analysis: ForwardAnalysis<S>,
  ) {
    this.order = reversePostorder(cfg);
  }

  /** The state that reaches `node` (joined over every run so far); undefined when no path from the entry reaches it. */
  stateAt(node: CfgNode): S | undefined {
    return this.reaching.get(node);
  }

  /** The states reaching every node the entry reaches. */
  states(): IterableIterator<S> {
    return this.reaching.values();
  }

  /** Joins `state` (which the flow then keeps) into the entry's and propagates until every reaching state is stable. */
  run(state: S): void {
    const dirty = new Set<CfgNode>();
    if (this.arrive(this.cfg.entry, state)) dirty.add(this.cfg.entry);
    // Round after round in reverse postorder: each node after its forward predecessors, so a
    // round settles everything but what the back edges carry to the next one.
    while (dirty.size > 0) {
      for (const node of this.order) {
        if (!dirty.delete(node)) continue;
        const out = this.analysis.transfer(node, this.analysis.copy(this.reaching.get(node)!));
        for (const edge of node.succs) if (this.arrive(edge.to, out)) dirty.add(edge.to);
      }
    }
  }

  /** Joins `state` into what reaches `node`; true when that grew. */
  private arrive(node: CfgNode, state: S): boolean {
    const known = this.reaching.get(node);
    if (known === undefined) {
      this.reaching.set(node, state);
      return true;
    }
    const joined = this.analysis.join(known, state);
    if (joined === known) return false;
    this.reaching.set(node, joined);
    return true;
  }
}

const orders = new WeakMap<Cfg, readonly CfgNode[]>();

/** The nodes the entry reaches, each after the nodes that reach it on forward edges (iterative depth-first walk). */
export function reversePostorder(cfg: Cfg): readonly CfgNode[] {
  const known = orders.get(cfg);
  if (known) return known;
  const post: CfgNode[] = [];
  const seen = new Set<CfgNode>([cfg.entry]);
  const stack: { node: CfgNode; next: number }[] = [{ node: cfg.entry, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const edge = top.node.succs[top.next++];
    if (!edge) {
      post.push(top.node);
      stack.pop();
    } else if (!seen.has(edge.to)) {
      seen.add(edge.to);
      stack.push({ node: edge.to, next: 0 });
    }
  }
  const order = post.reverse();
  orders.set(cfg, order);
  return order;
}
