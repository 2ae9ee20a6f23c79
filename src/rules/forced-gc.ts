import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { qualifierIsLocal } from "../analysis/scope.js";
import { callParts, isFunction, outermostFunction, parametersOf, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "forced-gc",
    category: "gc",
    severity: "warning",
    title: "explicit garbage collection",
    rationale:
      "runtime.GC runs a complete collection and blocks the caller until it is done; debug.FreeOSMemory does the same and then returns freed memory to the operating system. Called per request or per iteration, it burns CPU on marking the whole heap, adds stop-the-world pauses and defeats the pacer, which already collects when the heap grows. It rarely lowers the peak memory it is meant to fix.",
    fix: "Remove the call and let the runtime pace collections; bound memory with GOMEMLIMIT (debug.SetMemoryLimit) or GOGC instead.",
    bad: `func handleExport(w http.ResponseWriter, r *http.Request) {
	writeReport(w, r)
	runtime.GC() // a full collection on every request
}`,
    good: `func handleExport(w http.ResponseWriter, r *http.Request) {
	writeReport(w, r)
}

// main: debug.SetMemoryLimit(2 << 30) or GOMEMLIMIT=2GiB in the environment`,
    suggestion: "none",
    // In tests: tests and benchmarks call runtime.GC on purpose.
    inTests: "skip",
  },
  // Only qualified `runtime.GC()` / `debug.FreeOSMemory()` calls (any alias; dot imports are not matched) are examined.
  triggers: ["GC", "FreeOSMemory"],
  check(ctx) {
    const imports = ctx.file.imports;
    if (!imports.has("runtime") && !imports.has("runtime/debug")) return;
    for (const call of ctx.nodes("call_expression")) {
      const name = imports.match(call, "runtime", ["GC"]) ?? imports.match(call, "runtime/debug", ["FreeOSMemory"]);
      if (!name) continue;
      if (qualifierIsLocal(call)) continue;
      // A collection right before reading heap statistics or writing a heap profile makes the
      // numbers exact: that is what runtime.GC is for (precision audit).
      if (measures(call, ctx.file)) continue;
      const written = `${unparen(call.child("function"))?.text ?? name}()`;
      const what =
        name === "GC"
          ? "runs a full, blocking garbage collection"
          : "runs a full, blocking garbage collection and then returns freed pages to the OS";
      const loop = enclosingLoopAcrossLiterals(call);
      if (loop) {
        ctx.report({
          node: call,
          message: `\`${written}\` inside a loop ${what} on every iteration: each one marks the whole live heap and adds stop-the-world pauses. Remove it and bound memory with GOMEMLIMIT/GOGC instead.`,
          related: [{ node: loop, message: "the loop" }],
        });
      } else if (inHandler(call, ctx.file)) {
        ctx.report({
          node: call,
          message: `\`${written}\` in an HTTP handler ${what} on every request: under load that is a collection per request, with its CPU cost and pauses added to every caller's latency. Remove it and bound memory with GOMEMLIMIT/GOGC instead.`,
        });
      } else {
        ctx.report({
          node: call,
          severity: "info",
          message: `\`${written}\` ${what}; the runtime's pacer already collects as the heap grows, so a forced collection mostly costs CPU and pause time. Prefer GOMEMLIMIT/GOGC to bound memory.`,
        });
      }
    }
  },
};

/** The innermost `for` whose body holds the node, looking through func literals (closures and goroutines run per iteration too). */
function enclosingLoopAcrossLiterals(node: GoNode): GoNode | undefined {
  let prev = node;
  for (const a of node.ancestors()) {
    if (a.type === "for_statement" && prev.field === "body") return a;
    if (a.type === "function_declaration" || a.type === "method_declaration") return undefined;
    prev = a;
  }
  return undefined;
}

/** Calls that read memory statistics or write profiles (and benchmark timers), by qualified or method name. */
const MEASURING = new Set(["runtime.ReadMemStats", "runtime/debug.ReadGCStats", "runtime/debug.WriteHeapDump", "runtime/metrics.Read"]);
const MEASURING_METHODS = /^(ReadMemStats|WriteHeapProfile|WriteProfileTo|ResetTimer|StartTimer|StopTimer)$/;

/** The function around the call measures memory: any runtime/pprof call, ReadMemStats, a heap profile, a benchmark timer. */
function measures(call: GoNode, file: FileScope): boolean {
  const fn = outermostFunction(call);
  if (!fn) return false;
  return fn.descendants("call_expression").some((c) => {
    const name = file.imports.qualifiedName(c);
    if (name && (name.startsWith("runtime/pprof.") || MEASURING.has(name))) return true;
    const { receiver, name: method } = callParts(c);
    return !!receiver && MEASURING_METHODS.test(method);
  });
}

/** Some enclosing function takes an `http.ResponseWriter`. */
function inHandler(node: GoNode, file: FileScope): boolean {
  for (const a of node.ancestors()) {
    if (isFunction(a) && parametersOf(a).some((p) => file.imports.isType(p.type, "net/http", "ResponseWriter"))) return true;
  }
  return false;
}

export default rule;
