/**
 * Go parsing with web-tree-sitter and the grammar wasm shipped by `tree-sitter-go`.
 *
 * Why wasm and not the native binding: native trees are freed only after a V8 GC, so a server
 * parsing in a loop grows without bound; wasm trees are deleted explicitly the moment they
 * have been copied into {@link GoNode}s, which keeps memory flat. It also needs no compiler.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Language, Parser, type Tree, type TreeCursor } from "web-tree-sitter";
import { GoNode } from "../analysis/node.js";
import type { LineIndex } from "./position.js";

const require = createRequire(import.meta.url);

let parserPromise: Promise<Parser> | undefined;

/**
 * The cursor functions of the wasm module, as web-tree-sitter 0.25 exposes them on the module
 * object that `Parser.init` fills in. Every public `TreeCursor` getter copies the cursor's state
 * from JS into wasm memory and back around one call; tree-sitter's own functions keep that state
 * in its transfer buffer, where the next call finds it. Copying a tree with direct calls avoids
 * some thirty memory accesses per node (the copy was two thirds of an analysis). When a build
 * lacks any of them, the public API is used.
 */
interface CursorCalls {
  typeId(tree: number): number;
  fieldId(tree: number): number;
  startIndex(tree: number): number;
  endIndex(tree: number): number;
  isMissing(tree: number): number;
  firstChild(tree: number): number;
  nextSibling(tree: number): number;
  parent(tree: number): number;
  /** Where the cursor's four words are: tree-sitter's transfer buffer. */
  transferBuffer: number;
  heap(): Int32Array;
}
let cursorCalls: CursorCalls | undefined;

function bindCursorCalls(module: Record<string, unknown>): CursorCalls | undefined {
  const fn = (name: string) => (typeof module[name] === "function" ? (module[name] as (...args: number[]) => number) : undefined);
  const names = [
    "_ts_tree_cursor_current_node_type_id_wasm",
    "_ts_tree_cursor_current_field_id_wasm",
    "_ts_tree_cursor_start_index_wasm",
    "_ts_tree_cursor_end_index_wasm",
    "_ts_tree_cursor_current_node_is_missing_wasm",
    "_ts_tree_cursor_goto_first_child_wasm",
    "_ts_tree_cursor_goto_next_sibling_wasm",
    "_ts_tree_cursor_goto_parent_wasm",
    "_ts_init",
  ];
  const calls = names.map(fn);
  if (calls.some((c) => c === undefined) || !(module.HEAP32 instanceof Int32Array)) return undefined;
  const [typeId, fieldId, startIndex, endIndex, isMissing, firstChild, nextSibling, parent, init] = calls as ((...args: number[]) => number)[];
  // ts_init only writes the language versions into the transfer buffer and returns its address.
  return {
    typeId: typeId!,
    fieldId: fieldId!,
    startIndex: startIndex!,
    endIndex: endIndex!,
    isMissing: isMissing!,
    firstChild: firstChild!,
    nextSibling: nextSibling!,
    parent: parent!,
    transferBuffer: init!(),
    // The view is replaced when wasm memory grows.
    heap: () => module.HEAP32 as Int32Array,
  };
}

/**
 * Leaves no analysis reads: delimiters and keywords say nothing that their parent's type and
 * fields do not, and with the parts of string literals they are a third of a Go tree's nodes, so
 * the copy leaves them out (a missing one is still a syntax error). `}` stays, as where a block
 * ends; operators stay (the `operator` of an expression, `:=` or `=` of a statement, a case's `:`).
 */
const UNCOPIED = new Set([
  ...[".", ",", "(", ")", "[", "]", "{", ";", '"', "`"],
  ...["break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func", "go", "goto", "if"],
  ...["import", "interface", "map", "package", "range", "return", "select", "struct", "switch", "type", "var"],
  // The parts of a string literal: rules read the literal's text.
  ...["interpreted_string_literal_content", "raw_string_literal_content", "escape_sequence"],
]);

/** Per-grammar lookup tables, so copying a node costs one wasm call per property we need. */
interface Tables {
  types: string[];
  named: boolean[];
  /** By type id: whether nodes of the type are copied (see {@link UNCOPIED}). */
  copied: boolean[];
  fields: (string | null)[];
}
let tables: Tables | undefined;

function buildTables(language: Language): Tables {
  const types: string[] = [];
  const named: boolean[] = [];
  const copied: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const type = language.nodeTypeForId(id) ?? "";
    types.push(type);
    named.push(language.nodeTypeIsNamed(id));
    copied.push(!UNCOPIED.has(type));
  }
  const fields: (string | null)[] = [null];
  for (let id = 1; id <= language.fieldCount; id++) fields.push(language.fieldNameForId(id));
  return { types, named, copied, fields };
}

function loadParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    // The grammar's bytes are read while the runtime's wasm instantiates.
    const grammar = readFile(require.resolve("tree-sitter-go/tree-sitter-go.wasm"));
    grammar.catch(() => {}); // awaited below, after Parser.init, which may fail first
    const module: Record<string, unknown> = {};
    await Parser.init(module);
    cursorCalls = bindCursorCalls(module);
    const language = await Language.load(await grammar);
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

/**
 * Parses `source` with the engine's parser and frees the tree without copying it: the baseline
 * of `npm run bench`. It must share the engine's wasm module, since every `Parser.init` makes a
 * new one and web-tree-sitter's wrappers call whichever was made last.
 */
export function parseAndDiscard(source: string): void {
  if (!parser) throw new Error("initParser() must be awaited before parsing");
  parser.parse(source)?.delete();
}

/** A half-open range of source offsets, `[start, end)`. */
export interface TextRange {
  start: number;
  end: number;
}

export interface ParsedSource {
  root: GoNode;
  /** Ranges (of what was parsed) that contain syntax errors. */
  errors: TextRange[];
  /** How many levels deep the tree goes below `root` (known from the copy, so nobody walks it again to ask). */
  depth: number;
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
  return { root, errors: parts.flatMap((p) => p.errors), depth: Math.max(...parts.map((p) => p.depth)) };
}

function parseOnce(source: string, lines: LineIndex, ranges?: TextRange[]): ParsedSource {
  if (!parser) throw new Error("initParser() must be awaited before parsing");
  const includedRanges = ranges?.map((r) => ({
    startIndex: r.start,
    endIndex: r.end,
    startPosition: lines.point(r.start),
    endPosition: lines.point(r.end),
  }));
  const tree = ranges ? parser.parse(rangeReader(source, ranges), null, { includedRanges }) : parser.parse(source);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return cursorCalls ? copyTreeDirect(tree, source, cursorCalls) : copyTree(tree, source);
  } finally {
    tree.delete();
  }
}

/**
 * The parser's input when it reads only `ranges` (sorted, disjoint) of `source`: each read ends
 * where its range does. Given the whole text, web-tree-sitter copies up to 5,119 characters into
 * wasm memory at each range's start, whatever the range's length.
 */
function rangeReader(source: string, ranges: readonly TextRange[]): (index: number) => string {
  let at = 0;
  return (index) => {
    // Reads move forward through the ranges; a read before the current range starts over.
    if (at > 0 && index < ranges[at - 1]!.end) at = 0;
    while (at < ranges.length && ranges[at]!.end <= index) at++;
    const end = at < ranges.length ? ranges[at]!.end : source.length;
    return source.slice(index, Math.min(end, index + READ_SIZE));
  };
}

/** Characters per read: what fits web-tree-sitter's input buffer. */
const READ_SIZE = 5 * 1024 - 1;

/**
 * {@link copyTree} with direct calls into the wasm module (see {@link CursorCalls}). Children are
 * gathered on one scratch stack and each node gets an array of exactly its children when the walk
 * leaves it: arrays grown by `push` take room for 17 children after the second, and the copied
 * trees of a file live until its analysis is over, so their size is what the garbage collector
 * copies and promotes.
 */
function copyTreeDirect(tree: Tree, source: string, c: CursorCalls): ParsedSource {
  const t = tables!;
  const withErrors = tree.rootNode.hasError;
  const id = (tree as unknown as Record<number, number>)[0]!;
  // walk() leaves the new cursor's state in the transfer buffer; nothing else may use the buffer
  // until the walk is over.
  const cursor = tree.walk();
  const errors: TextRange[] = [];
  const copy = (typeId: number) =>
    new GoNode(t.types[typeId] ?? "ERROR", t.fields[c.fieldId(id)] ?? null, t.named[typeId] ?? true, c.startIndex(id), c.endIndex(id), source);
  try {
    const root = copy(c.typeId(id));
    let depth = 0;
    // The nodes being walked into, and where each one's children start on the scratch stack.
    const open: GoNode[] = [root];
    const firstChild: number[] = [0];
    const scratch: GoNode[] = [];
    const close = () => {
      const node = open.pop()!;
      const from = firstChild.pop()!;
      if (scratch.length > from) {
        const children = scratch.slice(from);
        scratch.length = from;
        for (const child of children) child.parent = node;
        node.children = children;
      }
    };
    if (c.firstChild(id) === 1) {
      depth = 1;
      walk: for (;;) {
        const typeId = c.typeId(id);
        if (t.copied[typeId] === false) {
          // A leaf left out (see UNCOPIED): the walk goes on with its next sibling.
          if (withErrors && c.isMissing(id) === 1) errors.push({ start: c.startIndex(id), end: c.endIndex(id) });
        } else {
          const node = copy(typeId);
          scratch.push(node);
          if (withErrors && (node.type === "ERROR" || c.isMissing(id) === 1)) errors.push({ start: node.start, end: node.end });
          if (c.firstChild(id) === 1) {
            open.push(node);
            firstChild.push(scratch.length);
            if (open.length > depth) depth = open.length;
            continue;
          }
        }
        while (c.nextSibling(id) !== 1) {
          if (c.parent(id) !== 1) break walk;
          close();
          if (open.length === 0) break walk;
        }
      }
    }
    while (open.length > 0) close();
    return { root, errors, depth };
  } finally {
    // The cursor's stack may have been reallocated while walking: hand the JS object the state
    // the wasm functions left behind, so that delete() frees the right memory.
    const heap = c.heap();
    const handle = cursor as unknown as Record<number, number>;
    for (let i = 0; i < 4; i++) handle[i] = heap[(c.transferBuffer >> 2) + i]!;
    cursor.delete();
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
    let depth = 0;
    // Iterative pre-order walk with the cursor: a few wasm calls per step, no Node objects.
    if (cursor.gotoFirstChild()) {
      depth = 1;
      for (;;) {
        if (t.copied[cursor.nodeTypeId] === false) {
          if (withErrors && cursor.nodeIsMissing) errors.push({ start: cursor.startIndex, end: cursor.endIndex });
        } else {
          const node = copyNode(cursor, t, source, stack[stack.length - 1]!);
          if (withErrors && (node.type === "ERROR" || cursor.nodeIsMissing)) errors.push({ start: node.start, end: node.end });
          if (cursor.gotoFirstChild()) {
            stack.push(node);
            if (stack.length > depth) depth = stack.length;
            continue;
          }
        }
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return { root, errors, depth };
          stack.pop();
          if (stack.length === 0) return { root, errors, depth };
        }
      }
    }
    return { root, errors, depth };
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
