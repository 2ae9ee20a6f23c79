#!/usr/bin/env node
/* global process, console */
// Runs the compiled CLI (dist/cli/main.js, built by `npm run build`, which `npm ci` runs through
// the "prepare" script). From a source checkout, `npm run memlint -- <args>` runs it with tsx.
let cli;
try {
  cli = await import("../dist/cli/main.js");
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist")) {
    console.error("memlint: not built yet; run `npm run build` (or `npm run memlint -- <args>` to run from source)");
    process.exit(2);
  }
  throw err;
}
await cli.main();
