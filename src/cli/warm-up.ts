/** Getting the parser ready while a command's own code loads. */
import { setV8Flags } from "./v8-flags.js";

/**
 * On V8 11 (Node 20), whose only optimizing compiler is TurboFan, a short run also sets four times
 * the default budget (66 KB of bytecode run) before a function is considered for optimization.
 * V8 12 (Node 22) and later name that budget differently and optimize with Maglev first.
 */
export const SHORT_RUN_FLAGS = Number(process.versions.v8.split(".")[0]) < 12 ? "--liftoff-only --interrupt-budget=270336" : "--liftoff-only";

/**
 * Starts loading the grammar — its wasm compiles on a background thread — while the command's
 * code loads and reads its files. A failure surfaces where the parser is used.
 *
 * For a short run (a review, files named one by one) V8 is also told to spend less on optimizing:
 * not to re-optimize the grammar's wasm with TurboFan in the background (over a whole repository
 * that pays off, but in a short run it takes more CPU time than the analysis itself: a one-file
 * check ran in 2.3× a bare `node` start without it, 4.0× with it), and on Node 20 to wait longer
 * before optimizing a JavaScript function (a check of `net/http`'s 51 files spent 0.5 s of CPU
 * compiling some 230 functions beside 1.0 s of analysis; waiting four times as long took its
 * CPU time from 1.5 to 1.2 s and its wall time down 8–17 %, the machine's load deciding how much).
 * Node 22 and later optimize with Maglev first, where the same wait gains nothing.
 */
export function warmUpParser(shortRun: boolean): void {
  if (shortRun) setV8Flags(SHORT_RUN_FLAGS);
  import("../engine/parser.js").then((p) => p.initParser()).catch(() => {});
}
