/** Prints the tree-sitter-go syntax tree of a file: `npx tsx scripts/dump-tree.ts file.go`. */
import { readFileSync } from "node:fs";
import type { GoNode } from "../src/analysis/node.js";
import { initParser, parseGo } from "../src/engine/parser.js";
import { LineIndex } from "../src/engine/position.js";

const path = process.argv[2];
if (!path) {
  console.error("usage: tsx scripts/dump-tree.ts <file.go>");
  process.exit(2);
}
const source = readFileSync(path, "utf8");
await initParser();
const { root } = parseGo(source, new LineIndex(source));
const print = (node: GoNode, depth: number) => {
  if (!node.named) return;
  const field = node.field ? `${node.field}: ` : "";
  const leaf = node.namedChildren.length === 0 ? ` ${JSON.stringify(node.text.slice(0, 60))}` : "";
  console.log(`${"  ".repeat(depth)}${field}${node.type}${leaf}`);
  for (const c of node.children) print(c, depth + 1);
};
print(root, 0);
