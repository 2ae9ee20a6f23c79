/**
 * The tree copy (src/engine/parser.ts) against web-tree-sitter's public Node API on the same
 * sources: every node's type, field, named flag and range, in order, and the syntax errors.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Language, type Node, Parser } from "web-tree-sitter";
import { beforeAll, describe, expect, it } from "vitest";
import type { GoNode } from "../../src/analysis/node.js";
import { initParser, parseGo } from "../../src/engine/parser.js";
import { LineIndex } from "../../src/engine/position.js";
import { FIXTURES } from "../helpers/fixtures.js";

let reference: Parser;

beforeAll(async () => {
  await initParser();
  reference = new Parser();
  reference.setLanguage(await Language.load(createRequire(import.meta.url).resolve("tree-sitter-go/tree-sitter-go.wasm")));
});

/** The leaves the copy leaves out: delimiters, keywords and the parts of string literals, which no analysis reads. */
const DELIMITERS = new Set([".", ",", "(", ")", "[", "]", "{", ";", '"', "`"]);
const LITERAL_PARTS = new Set(["interpreted_string_literal_content", "raw_string_literal_content", "escape_sequence"]);
const KEYWORDS = new Set("break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var".split(" "));

/** `type field named start-end` per node, pre-order, from the public API (delimiters left out). */
function publicShape(node: Node, field: string | null, out: string[] = []): string[] {
  if ((!node.isNamed && (DELIMITERS.has(node.type) || KEYWORDS.has(node.type))) || LITERAL_PARTS.has(node.type)) return out;
  out.push(`${node.type} ${field ?? "-"} ${node.isNamed} ${node.startIndex}-${node.endIndex}`);
  node.children.forEach((child, i) => {
    if (child) publicShape(child, node.fieldNameForChild(i), out);
  });
  return out;
}

function copiedShape(node: GoNode, out: string[] = []): string[] {
  out.push(`${node.type} ${node.field ?? "-"} ${node.named} ${node.start}-${node.end}`);
  for (const child of node.children) copiedShape(child, out);
  return out;
}

const sources: [string, string][] = [];
for (const dir of readdirSync(join(FIXTURES, "rules")).sort().slice(0, 12)) {
  const name = readdirSync(join(FIXTURES, "rules", dir)).find((n) => n.endsWith(".go"));
  if (name) sources.push([`${dir}/${name}`, readFileSync(join(FIXTURES, "rules", dir, name), "utf8")]);
}
sources.push(["broken", "package p\n\nfunc F() {\n\tx := [\n}\n\nfunc G() { return }\n"]);
// A missing `)`: an error, though the copy has no node for it.
sources.push(["missing delimiter", "package p\n\nfunc F() {\n\tg(1\n}\n"]);
sources.push(["unicode", 'package p\n\n// Grüße, 世界 🌍\nvar s = "é\\u00e9"\n\nfunc F() rune { return \'🌍\' }\n']);

describe("tree copy", () => {
  it.each(sources)("%s: the same nodes as the public API", (_name, source) => {
    const tree = reference.parse(source)!;
    try {
      const parsed = parseGo(source, new LineIndex(source));
      expect(copiedShape(parsed.root)).toEqual(publicShape(tree.rootNode, null));
      expect(parsed.errors.length > 0).toBe(tree.rootNode.hasError);
    } finally {
      tree.delete();
    }
  });

  // Declarations longer than one read of the parser's input (5,119 characters), and ranges that end mid-read.
  const long = `package p\n\n${Array.from({ length: 6 }, (_, f) => `func F${f}() {\n${Array.from({ length: 300 }, (_, i) => `\tx${i} := ${i} // é\n\t_ = x${i}\n`).join("")}}\n`).join("\n")}`;
  it.each([...sources.slice(0, 6), ["long", long] as [string, string]])("%s, every other declaration: the same nodes as the public API given the same ranges", (_name, source) => {
    const lines = new LineIndex(source);
    // Declarations start at column 0 after a blank line; each range runs to the next one's start.
    const starts = [0, ...[...source.matchAll(/\n\n(?=\S)/g)].map((m) => m.index + 2), source.length];
    const ranges = starts.slice(0, -1).map((start, i) => ({ start, end: starts[i + 1]! })).filter((_, i) => i % 2 === 0);
    const tree = reference.parse(source, null, { includedRanges: ranges.map((r) => ({ startIndex: r.start, endIndex: r.end, startPosition: lines.point(r.start), endPosition: lines.point(r.end) })) })!;
    try {
      expect(copiedShape(parseGo(source, lines, ranges).root)).toEqual(publicShape(tree.rootNode, null));
    } finally {
      tree.delete();
    }
  });
});
