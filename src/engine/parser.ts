/**
 * Go parsing with web-tree-sitter and the grammar wasm shipped by `tree-sitter-go`.
 *
 * Why wasm and not the native binding: native trees are freed only after a V8 GC, so a server
 * parsing in a loop grows without bound; wasm trees are deleted explicitly the moment they
 * have been copied into {@link GoNode}s, which keeps memory flat. It also needs no compiler.
 */
import { createRequire } from "node:module";
import { Language, Parser, type Tree, type TreeCursor } from "web-tree-sitter";
import { GoNode } from "../analysis/node.js";
import type { LineIndex } from "./position.js";

const require = createRequire(import.meta.url);

let parserPromise: Promise<Parser> | undefined;

function loadParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const language = await Language.load(require.resolve("tree-sitter-go/tree-sitter-go.wasm"));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

/** Resolves once the grammar is loaded; every parse after that is synchronous. */
export async function initParser(): Promise<void> {
  parser = await loadParser();
}

let parser: Parser | undefined;

/** A half-open range of source offsets, `[start, end)`. */
export interface TextRange {
  start: number;
  end: number;
}

export interface ParsedSource {
  root: GoNode;
  /** Ranges (of what was parsed) that contain syntax errors. */
  errors: TextRange[];
}

/**
 * Parses `source`, or only `ranges` of it. Ranges must start at a line start and end after a
 * newline, so that consecutive declarations stay separated for the grammar.
 */
export function parseGo(source: string, lines: LineIndex, ranges?: TextRange[]): ParsedSource {
  if (!parser) throw new Error("initParser() must be awaited before parsing");
  const includedRanges = ranges?.map((r) => ({
    startIndex: r.start,
    endIndex: r.end,
    startPosition: lines.point(r.start),
    endPosition: lines.point(r.end),
  }));
  const tree = parser.parse(source, null, includedRanges ? { includedRanges } : undefined);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return copyTree(tree, source);
  } finally {
    tree.delete();
  }
}

function copyTree(tree: Tree, source: string): ParsedSource {
  const cursor = tree.walk();
  const errors: TextRange[] = [];
  try {
    const root = copyNode(cursor, source, null);
    const stack: GoNode[] = [root];
    // Iterative pre-order walk with the cursor: one wasm call per step, no Node objects.
    if (cursor.gotoFirstChild()) {
      for (;;) {
        const node = copyNode(cursor, source, stack[stack.length - 1]!);
        if (node.type === "ERROR" || cursor.nodeIsMissing) errors.push({ start: node.start, end: node.end });
        if (cursor.gotoFirstChild()) {
          stack.push(node);
          continue;
        }
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return { root, errors };
          stack.pop();
          if (stack.length === 0) return { root, errors };
        }
      }
    }
    return { root, errors };
  } finally {
    cursor.delete();
  }
}

function copyNode(cursor: TreeCursor, source: string, parent: GoNode | null): GoNode {
  const node = new GoNode(
    cursor.nodeType,
    cursor.currentFieldName,
    cursor.nodeIsNamed,
    cursor.startIndex,
    cursor.endIndex,
    source,
  );
  if (parent) {
    node.parent = parent;
    parent.children.push(node);
  }
  return node;
}
