import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { qualifierIsLocal } from "../analysis/scope.js";
import { runsOnceAtStartup, signalChannels } from "../analysis/startup.js";
import { constantDuration } from "../analysis/constants.js";
import { bindingOfValue, callParts, enclosingFunction, followingStatements, functionName, isFunction, outermostFunction, parametersOf, statementsOf, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

/** A qualified call `x.GC(` or `x.FreeOSMemory(`. */
const FORCED_GC_CALL = /\.\s*(?:GC|FreeOSMemory)\s*\(/;

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
  triggerTest: (text) => FORCED_GC_CALL.test(text),
  check(ctx) {
    const imports = ctx.file.imports;
    if (!imports.has("runtime") && !imports.has("runtime/debug")) return;
    // One finding per function: the calls after the first (`runtime.GC(); debug.FreeOSMemory()`) are related lines.
    const byFunction = new Map<GoNode | undefined, { call: GoNode; name: string; written: string }[]>();
    for (const call of ctx.nodes("call_expression")) {
      const name = imports.match(call, "runtime", ["GC"]) ?? imports.match(call, "runtime/debug", ["FreeOSMemory"]);
      if (!name) continue;
      if (qualifierIsLocal(call)) continue;
      // A collection right before reading heap statistics or writing a heap profile makes the
      // numbers exact: that is what runtime.GC is for (precision audit).
      if (measures(call, ctx.file)) continue;
      // Deliberate collections (precision audit): an endpoint or method whose job is to collect
      // (`/debug/gc`, `FreeOSMemory`, an interpreter's `gc` builtin), a release loop on a long period.
      if (collectingFunction(call) || periodicRelease(call, ctx.file) || onSignal(call, ctx.file)) continue;
      // Once per process (after loading the configuration at start-up): one pause, on purpose.
      if (runsOnceAtStartup(call, ctx.file)) continue;
      const fn = enclosingFunction(call);
      const calls = byFunction.get(fn) ?? [];
      calls.push({ call, name, written: `${unparen(call.child("function"))?.text ?? name}()` });
      byFunction.set(fn, calls);
    }
    for (const [first, ...more] of byFunction.values()) {
      const { call, name, written } = first!;
      const also = more.map((m) => ({ node: m.call, message: `\`${m.written}\` here too` }));
      const what =
        name === "GC"
          ? "runs a full, blocking garbage collection"
          : "runs a full, blocking garbage collection and then returns freed pages to the OS";
      const loop = enclosingLoopAcrossLiterals(call);
      if (loop) {
        ctx.report({
          node: call,
          message: `\`${written}\` inside a loop ${what} on every iteration: each one marks the whole live heap and adds stop-the-world pauses. Remove it and bound memory with GOMEMLIMIT/GOGC instead.`,
          related: [{ node: loop, message: "the loop" }, ...also],
        });
      } else if (inHandler(call, ctx.file)) {
        ctx.report({
          node: call,
          message: `\`${written}\` in an HTTP handler ${what} on every request: under load that is a collection per request, with its CPU cost and pauses added to every caller's latency. Remove it and bound memory with GOMEMLIMIT/GOGC instead.`,
          related: also,
        });
      } else {
        ctx.report({
          node: call,
          severity: "info",
          message: `\`${written}\` ${what}; the runtime's pacer already collects as the heap grows, so a forced collection mostly costs CPU and pause time. Prefer GOMEMLIMIT/GOGC to bound memory.`,
          related: also,
        });
      }
    }
  },
};

/**
 * The collection answers a signal an operator sends (`kill -USR2`, a `SIGHUP` reload): the call
 * runs in the loop that ranges over, or receives from, a channel `signal.Notify` feeds in the same
 * function, or in a loop that cannot go around before such a receive (see {@link waitsForSignal}).
 */
function onSignal(call: GoNode, file: FileScope): boolean {
  const top = outermostFunction(call);
  const notified = top ? signalChannels([top], file) : new Set<string>();
  if (!top || notified.size === 0) return false;
  const fromSignals = (ch: GoNode | undefined) => notified.has(unparen(ch)?.text ?? "");
  for (const a of call.ancestors()) {
    if (a === top) break;
    if (a.type === "for_statement" && fromSignals(a.childOfType("range_clause")?.child("right"))) return true;
    if (a.type === "communication_case") {
      const communication = a.child("communication");
      const received = communication && [communication, ...communication.descendants("unary_expression")].find((u) => u.type === "unary_expression" && u.child("operator")?.text === "<-");
      if (received && fromSignals(received.child("operand"))) return true;
    }
  }
  return waitsForSignal(call, fromSignals);
}

/**
 * The loop around the call goes around only after a signal: a statement after the call in the
 * loop's body receives from a signal channel (`<-sig`, `s := <-sig`), or is an endless `for` whose
 * first statement does, so that each of its exits comes after a signal. sing-box reloads its
 * configuration on `SIGHUP` this way and releases memory once after each load.
 */
function waitsForSignal(call: GoNode, fromSignals: (ch: GoNode | undefined) => boolean): boolean {
  const loop = enclosingLoopAcrossLiterals(call);
  const stmt = loop && statementsOf(loop.child("body")).find((s) => call.within(s));
  if (!stmt) return false;
  const receives = (s: GoNode | undefined): boolean => {
    const value = s?.type === "short_var_declaration" || s?.type === "assignment_statement" ? s.child("right")?.namedChildren[0] : s?.type === "expression_statement" ? s.namedChildren[0] : undefined;
    const u = unparen(value);
    return u?.type === "unary_expression" && u.child("operator")?.text === "<-" && fromSignals(u.child("operand"));
  };
  return followingStatements(stmt).some((s) => receives(s) || (s.type === "for_statement" && s.namedChildren.length === 1 && receives(statementsOf(s.child("body"))[0])));
}

/** A period this long between forced collections costs little: a deliberate release loop. */
const LONG_PERIOD_NS = 60e9;

/**
 * The function around the call exists to collect: a named function or method whose name has the
 * word GC or FreeOSMemory (`handleGC`, `FreeOSMemory` on a debug API, an interpreter's `builtinGC`),
 * or a literal registered on a route naming it (`mux.HandleFunc("/debug/gc", …)`).
 */
function collectingFunction(call: GoNode): boolean {
  for (const a of call.ancestors()) {
    if (a.type === "function_declaration" || a.type === "method_declaration") return COLLECTING_NAME.test(splitWords(functionName(a)));
    if (a.type === "func_literal") {
      const args = a.parent;
      const route = args?.type === "argument_list" ? args.namedChildren.find((n) => n.type === "interpreted_string_literal" || n.type === "raw_string_literal") : undefined;
      if (route && /(^|[/_.-])(gc|freeosmemory|free-?memory)([/_.-]|$)/i.test(route.text.slice(1, -1))) return true;
    }
  }
  return false;
}

const COLLECTING_NAME = /(^| )(gc|free os memory|free memory|collect garbage)( |$)/;

/** `handleGC` → "handle gc", `FreeOSMemory` → "free os memory". */
function splitWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
}

/**
 * The loop around the call waits a long time every round before collecting again: a ticker, a
 * `time.Tick` or a `time.Sleep` of at least a minute, or of a period set at run time
 * (configuration). A periodic release of memory to the OS is a deliberate trade-off.
 */
function periodicRelease(call: GoNode, file: FileScope): boolean {
  const loop = enclosingLoopAcrossLiterals(call);
  if (!loop) return false;
  const fn = enclosingFunction(loop);
  const header = loop.namedChildren.find((c) => c.type === "range_clause");
  const over = unparen(header?.child("right"));
  const periods: (GoNode | undefined)[] = [];
  if (over?.type === "call_expression" && file.imports.match(over, "time", ["Tick"])) periods.push(callParts(over).args[0]);
  for (const c of loop.descendants("call_expression")) {
    if (file.imports.match(c, "time", ["Sleep", "After"])) periods.push(callParts(c).args[0]);
  }
  // `case <-t.C:` of a ticker made in the function: its period.
  let setElsewhere = false;
  for (const recv of loop.descendants("selector_expression")) {
    if (recv.child("field")?.text !== "C" || recv.parent?.type !== "unary_expression") continue;
    const ticker = unparen(recv.child("operand"));
    const made = fn?.descendants("call_expression").find((c) => file.imports.match(c, "time", ["NewTicker", "NewTimer"]) && bindingOfValue(c)?.targets[0]?.text === ticker?.text);
    if (made) periods.push(callParts(made).args[0]);
    else if (ticker?.type === "selector_expression") {
      // A ticker of the object's (`<-s.updateTicker.C`): its period is the one the package makes it with.
      const field = ticker.child("field")!.text;
      const period = fieldTickerPeriod(field, file);
      if (period) periods.push(period);
      else setElsewhere = true;
    }
  }
  return (
    setElsewhere ||
    periods.some((p) => {
      if (!p) return false;
      const ns = constantDuration(p, file);
      return ns === undefined || ns >= LONG_PERIOD_NS;
    })
  );
}

/**
 * The period a ticker field is made with somewhere in the package (`s.t = time.NewTicker(p)`,
 * `T{t: time.NewTicker(p)}`); undefined when the package makes it no such way (handed in, or
 * made by a helper), which leaves the period to whoever configures the object.
 */
function fieldTickerPeriod(field: string, file: FileScope): GoNode | undefined {
  for (const { node } of file.packageDeclarationsMentioning(field)) {
    for (const c of node.descendants("call_expression")) {
      if (!file.imports.match(c, "time", ["NewTicker", "NewTimer"])) continue;
      const target = unparen(bindingOfValue(c)?.targets[0]);
      const keyed = c.parent?.type === "literal_element" ? c.parent.parent : c.parent;
      if ((target?.type === "selector_expression" && target.child("field")?.text === field) || (keyed?.type === "keyed_element" && keyed.child("key")?.text === field)) return callParts(c).args[0];
    }
  }
  return undefined;
}

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
