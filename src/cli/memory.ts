/**
 * Keeping a whole-repository `check` small. Node's default heap limit is a quarter of the
 * machine's memory, and V8 lets garbage lie until it nears it: a check of the Go standard
 * library peaked over 500 MB, most of it the syntax trees of packages long done. A heap limit is
 * a command-line flag (a second process to set it); instead, when a package is done and the heap
 * holds more than {@link HEAP_BUDGET}, a full collection is asked for. V8 only exposes that
 * function with `--expose-gc`, which can be set at run time and unset once the function is had.
 */
import { getHeapStatistics } from "node:v8";
import { runInNewContext } from "node:vm";
import { setV8Flags } from "./v8-flags.js";

/**
 * A check's peak RSS has been this plus 105–110 MB (Node, the grammar's wasm memory, code): 136 MB
 * kept the standard library's at 238–244 MB, beside 268–289 MB with 160 MB, for 1–2 % more time.
 */
const HEAP_BUDGET = 136 * 1024 * 1024;

let collect: (() => void) | undefined;

/** A full garbage collection when the heap is over budget (cheap to call when it is not). */
export function collectOverBudget(): void {
  if (getHeapStatistics().used_heap_size < HEAP_BUDGET) return;
  if (!collect) {
    setV8Flags("--expose-gc");
    collect = runInNewContext("gc") as () => void;
    setV8Flags("--no-expose-gc");
  }
  collect();
}
