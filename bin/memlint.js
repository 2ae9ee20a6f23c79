#!/usr/bin/env node
/* global process, console, URL */
// The installed `memlint`: runs the bundled CLI (dist/cli-bundle/, built by `npm run build`, which
// `npm ci` and `npm pack` run). From a source checkout, `npm run memlint -- <args>` runs the
// sources with tsx.
import module from "node:module";
import { readFileSync } from "node:fs";

// Node 22.1+ keeps compiled code between runs (a no-op where unsupported or disabled).
module.enableCompileCache?.();

const args = process.argv.slice(2);
// `--version` needs nothing but package.json: answer it before loading any of memlint.
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  console.log(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version);
  process.exit(0);
}

let cli;
try {
  cli = await import("../dist/cli-bundle/main.js");
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("cli-bundle")) {
    console.error("memlint: not built yet; run `npm run build` (or `npm run memlint -- <args>` to run from source)");
    process.exit(2);
  }
  throw err;
}
await cli.main();
