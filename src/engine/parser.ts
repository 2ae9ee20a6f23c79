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

/** Per-grammar lookup tables, so copying a node costs one wasm call per property we need. */
interface Tables {
  types: string[];
  named: boolean[];
  fields: (string | null)[];
}
let tables: Tables | undefined;

function buildTables(language: Language): Tables {
  const types: string[] = [];
  const named: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    types.push(language.nodeTypeForId(id) ?? "");
    named.push(language.nodeTypeIsNamed(id));
  }
  const fields: (string | null)[] = [null];
  for (let id = 1; id <= language.fieldCount; id++) fields.push(language.fieldNameForId(id));
  return { types, named, fields };
}

function loadParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const language = await Language.load(require.resolve("tree-sitter-go/tree-sitter-go.wasm"));
    const parser = new Parser();
    parser.setLanguage(language);
    tables = buildTables(language);
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
 * Included ranges per tree-sitter parse. Its lexer looks ranges up linearly, so one parse of
 * thousands of ranges (a change to every other function of a huge file) takes quadratic time.
 */
const RANGES_PER_PARSE = 64;

/**
 * Parses `source`, or only `ranges` of it. Ranges must start at a line start and end after a
 * newline, so that consecutive declarations stay separated for the grammar. Many ranges are
 * parsed in batches whose top-level nodes are gathered under one root.
 */
export function parseGo(source: string, lines: LineIndex, ranges?: TextRange[]): ParsedSource {
  if (!ranges || ranges.length <= RANGES_PER_PARSE) return parseOnce(source, lines, ranges);
  const parts: ParsedSource[] = [];
  for (let i = 0; i < ranges.length; i += RANGES_PER_PARSE) parts.push(parseOnce(source, lines, ranges.slice(i, i + RANGES_PER_PARSE)));
  const first = parts[0]!.root;
  const root = new GoNode(first.type, null, first.named, first.start, parts[parts.length - 1]!.root.end, source);
  for (const part of parts) for (const child of part.root.children) root.appendChild(child);
  return { root, errors: parts.flatMap((p) => p.errors) };
}

function parseOnce(source: string, lines: LineIndex, ranges?: TextRange[]): ParsedSource {
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
  const t = tables!;
  const cursor = tree.walk();
  const errors: TextRange[] = [];
  const withErrors = tree.rootNode.hasError;
  try {
    const root = copyNode(cursor, t, source, null);
    const stack: GoNode[] = [root];
    // Iterative pre-order walk with the cursor: a few wasm calls per step, no Node objects.
    if (cursor.gotoFirstChild()) {
      for (;;) {
        const node = copyNode(cursor, t, source, stack[stack.length - 1]!);
        if (withErrors && (node.type === "ERROR" || cursor.nodeIsMissing)) errors.push({ start: node.start, end: node.end });
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

function copyNode(cursor: TreeCursor, t: Tables, source: string, parent: GoNode | null): GoNode {
  const typeId = cursor.nodeTypeId;
  const node = new GoNode(
    t.types[typeId] ?? cursor.nodeType,
    t.fields[cursor.currentFieldId] ?? null,
    t.named[typeId] ?? cursor.nodeIsNamed,
    cursor.startIndex,
    cursor.endIndex,
    source,
  );
  parent?.appendChild(node);
  return node;
}
