/**
 * A plain JavaScript copy of the tree-sitter syntax tree.
 *
 * The wasm tree is converted once, right after parsing, and freed at once; every rule then
 * walks ordinary objects. This keeps memory flat (nothing waits for V8's GC to release wasm
 * memory) and makes node access cheap (no call across the wasm boundary per property). The copy
 * has no delimiters, keywords or string-literal parts (see `UNCOPIED` in engine/parser.ts): ask
 * for node types and fields, and read positions from nodes and the source.
 */
const NO_CHILDREN: readonly GoNode[] = Object.freeze([]);

export class GoNode {
  /** Leaves share one frozen empty array: most nodes are leaves, and memory stays lower. */
  children: readonly GoNode[] = NO_CHILDREN;
  parent: GoNode | null = null;

  constructor(
    readonly type: string,
    /** The field this node fills in its parent (`name`, `body`, `left`, …), if any. */
    readonly field: string | null,
    readonly named: boolean,
    readonly start: number,
    readonly end: number,
    private readonly source: string,
  ) {}

  get text(): string {
    return this.source.slice(this.start, this.end);
  }

  /** Appends a child while the tree is being copied from tree-sitter. */
  appendChild(child: GoNode): void {
    if (this.children === NO_CHILDREN) this.children = [child];
    else (this.children as GoNode[]).push(child);
    child.parent = this;
  }

  /** Source text between two offsets of the file this node belongs to. */
  sourceText(start: number, end: number): string {
    return this.source.slice(start, end);
  }

  // (The lookups below are the hottest code of an analysis: indexed loops, which allocate no
  // iterators where V8 has not optimized the caller, and no callbacks.)

  /** The children but comments and tokens: the children array itself (no copy) when they all are. */
  get namedChildren(): readonly GoNode[] {
    const children = this.children;
    let i = 0;
    while (i < children.length && children[i]!.named && children[i]!.type !== "comment") i++;
    if (i === children.length) return children;
    const out = children.slice(0, i);
    for (i++; i < children.length; i++) {
      const c = children[i]!;
      if (c.named && c.type !== "comment") out.push(c);
    }
    return out;
  }

  /** The first child in the given field. */
  child(field: string): GoNode | undefined {
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.field === field) return children[i];
    return undefined;
  }

  /** All children in the given field. */
  childrenOf(field: string): GoNode[] {
    const out: GoNode[] = [];
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.field === field) out.push(children[i]!);
    return out;
  }

  /** The first named child of the given type. */
  childOfType(type: string): GoNode | undefined {
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.type === type) return children[i];
    return undefined;
  }

  contains(other: GoNode): boolean {
    return this.start <= other.start && other.end <= this.end && this !== other;
  }

  /** True when this node lies inside `other` (or is it). */
  within(other: GoNode): boolean {
    return other.start <= this.start && this.end <= other.end;
  }

  *ancestors(): Generator<GoNode> {
    for (let n = this.parent; n; n = n.parent) yield n;
  }

  /** Pre-order walk over this node and its descendants. Return false from `visit` to skip a subtree. */
  walk(visit: (node: GoNode) => boolean | void): void {
    const stack: GoNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (visit(node) === false) continue;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }

  /** Descendants (and this node) of the given types, in source order. */
  descendants(...types: string[]): GoNode[] {
    const out: GoNode[] = [];
    this.walk((n) => {
      if (types.includes(n.type)) out.push(n);
    });
    return out;
  }

  toString(): string {
    return `${this.type}@${this.start}:${JSON.stringify(this.text.slice(0, 40))}`;
  }
}
