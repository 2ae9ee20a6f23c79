// The floor of `npm run bench`'s whole-repository row: a process that reads the files listed in
// its argument (one absolute path a line) and parses each with the engine's grammar, then frees
// the tree; nothing else. Plain JavaScript, so that no transpiler's start-up is counted.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import process from "node:process";
import { Language, Parser } from "web-tree-sitter";

const require = createRequire(import.meta.url);
await Parser.init();
const parser = new Parser();
parser.setLanguage(await Language.load(require.resolve("tree-sitter-go/tree-sitter-go.wasm")));
for (const path of readFileSync(process.argv[2], "utf8").split("\n")) {
  if (path !== "") parser.parse(readFileSync(path, "utf8"))?.delete();
}
