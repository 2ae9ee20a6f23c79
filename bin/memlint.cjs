#!/usr/bin/env node
// The installed `memlint`: runs the bundled CLI (dist/cli-bundle/, built by `npm run build`, which
// `npm ci` and `npm pack` run). From a source checkout, `npm run memlint -- <args>` runs the
// sources with tsx. CommonJS, like the bundle: Node then never starts its ES module loader.
"use strict";
const { enableCompileCache } = require("node:module");
const { join } = require("node:path");

// Node 22.1+ keeps compiled code between runs (a no-op where unsupported or disabled); before
// that, memlint keeps its own bundle's (dist/cli-bundle/code-cache.cjs, below).
enableCompileCache?.();

const args = process.argv.slice(2);
// `--version` needs nothing but package.json: answer it before loading any of memlint.
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  console.log(require("../package.json").version);
  process.exit(0);
}

let cli;
try {
  if (!enableCompileCache) require("../dist/cli-bundle/code-cache.cjs").enableCodeCache(join(__dirname, "..", "dist", "cli-bundle"));
  cli = require("../dist/cli-bundle/main.cjs");
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && String(err.message).includes("cli-bundle")) {
    console.error("memlint: not built yet; run `npm run build` (or `npm run memlint -- <args>` to run from source)");
    process.exit(2);
  }
  throw err;
}
cli.main();
