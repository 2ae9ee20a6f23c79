import { constantInt } from "../analysis/constants.js";
import type { GoNode } from "../analysis/node.js";
import { qualifierIsLocal } from "../analysis/scope.js";
import { bindingOfValue, enclosingFunction, packageName, unparen } from "../analysis/syntax.js";
import type { Report, Rule, RuleContext } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "gc-tuning-in-code",
    category: "gc",
    severity: "warning",
    title: "garbage collector switched off or runtime knob set in code",
    rationale:
      "`debug.SetGCPercent(-1)` turns the collector off for the whole process: without a memory limit the heap then only grows until the process is killed, and a library that does it imposes that on every program that imports it. GOMAXPROCS pinned in code overrides what the operator chose in the environment.",
    fix: "Leave the collector on and tune it from the environment (`GOGC`, `GOMEMLIMIT`); if GC must be off, set a limit with `debug.SetMemoryLimit` and restore the old percentage when done.",
    bad: `func (s *Store) Compact() {
	debug.SetGCPercent(-1) // off for the whole process, for good
	s.rewrite()
}`,
    good: `func (s *Store) Compact() {
	s.rewrite()
}

// deployment: GOGC=200 GOMEMLIMIT=4GiB`,
    suggestion: "none",
    // Tests and benchmarks switch the collector and profilers on purpose to measure.
    inTests: "skip",
  },
  // Only qualified calls of runtime, runtime/debug and os are examined.
  triggers: ["SetGCPercent", "Setenv", "GOMAXPROCS"],
  check(ctx) {
    const imports = ctx.file.imports;
    for (const call of ctx.nodes("call_expression")) {
      const gcPercent = imports.match(call, "runtime/debug", ["SetGCPercent"]);
      const setenv = !gcPercent && imports.match(call, "os", ["Setenv"]);
      const maxProcs = !gcPercent && !setenv && imports.match(call, "runtime", ["GOMAXPROCS"]);
      // (The qualifier is resolved only for the few calls that spell a knob.)
      if ((!gcPercent && !setenv && !maxProcs) || qualifierIsLocal(call)) continue;
      const args = call.child("arguments")?.namedChildren ?? [];
      const report = gcPercent ? gcOff(ctx, call, args[0]) : setenv ? environment(call, args) : runtimeKnob(ctx, call, args[0]);
      if (report) ctx.report(report);
    }
  },
};

/** `debug.SetGCPercent(<negative>)`: the collector off; silent when a memory limit bounds the heap. */
function gcOff(ctx: RuleContext, call: GoNode, arg: GoNode | undefined): Report | undefined {
  const percent = constantInt(arg, ctx.file);
  if (percent === undefined || percent >= 0) return undefined;
  // GOGC=off with a memory limit is the documented way to collect only near the limit.
  if (ctx.file.packageContains("SetMemoryLimit")) return undefined;
  if (restores(ctx, call)) {
    return {
      node: call,
      severity: "info",
      message: `\`${call.text}\` switches the collector off for the whole process until the old percentage is restored: everything allocated meanwhile, by any goroutine, stays on the heap. Bound it with \`debug.SetMemoryLimit\`, or keep the collector on.`,
    };
  }
  // A command decides for its own process (a one-shot tool may run without GC on purpose); a library decides for every importer.
  if (packageName(call) === "main") {
    return {
      node: call,
      severity: "info",
      message: `\`${call.text}\` switches the garbage collector off for this program, with no memory limit: fine for a short one-shot run, but its heap only grows for as long as it runs. Prefer \`GOGC=off\` with \`GOMEMLIMIT\` in the environment.`,
    };
  }
  return {
    node: call,
    message: `\`${call.text}\` switches the garbage collector off for the whole process and nothing here turns it back on or sets a memory limit: from now on the heap only grows. Leave GC tuning to \`GOGC\`/\`GOMEMLIMIT\` in the environment, or pair it with \`debug.SetMemoryLimit\`.`,
  };
}

/** The old percentage bound (`old := debug.SetGCPercent(-1)`) and passed to another SetGCPercent in the same function. */
function restores(ctx: RuleContext, call: GoNode): boolean {
  const target = bindingOfValue(call)?.targets[0];
  const fn = enclosingFunction(call);
  if (!target || target.text === "_" || !fn) return false;
  return ctx
    .nodes("call_expression")
    .some((other) => other !== call && other.within(fn) && !!ctx.file.imports.match(other, "runtime/debug", ["SetGCPercent"]) && unparen(other.child("arguments")?.namedChildren[0])?.text === target.text);
}

/** `os.Setenv("GOGC", "off")` and `os.Setenv("GODEBUG", "…gctrace…")`. */
function environment(call: GoNode, args: readonly GoNode[]): Report | undefined {
  const name = stringConstant(args[0]);
  const value = stringConstant(args[1]);
  if (name === "GOGC" && value !== undefined && (value === "off" || Number(value) < 0)) {
    return {
      node: call,
      severity: "info",
      message: `\`${call.text}\` does not change this process (the runtime read \`GOGC\` at startup), but every child process it starts runs with the collector off and a heap that only grows.`,
    };
  }
  if (name === "GODEBUG" && value !== undefined && /\bgctrace=[1-9]/.test(value)) {
    return {
      node: call,
      severity: "info",
      message: `\`${call.text}\` makes the runtime print a trace line to standard error on every collection. Leave \`GODEBUG\` to the environment of a debugging session.`,
    };
  }
  return undefined;
}

/** GOMAXPROCS pinned to a constant. (Profiling rates, MemProfileRate included, are left alone: code sets them to profile, usually on request.) */
function runtimeKnob(ctx: RuleContext, call: GoNode, arg: GoNode | undefined): Report | undefined {
  const value = constantInt(arg, ctx.file);
  if (value === undefined || value <= 0) return undefined;
  return {
    node: call,
    severity: "info",
    message: `\`${call.text}\` pins the number of threads running Go code in code, overriding \`GOMAXPROCS\` from the environment and the container's CPU quota. Leave it to the environment.`,
  };
}

function stringConstant(expr: GoNode | undefined): string | undefined {
  const e = unparen(expr);
  if (e?.type === "interpreted_string_literal" || e?.type === "raw_string_literal") return e.text.slice(1, -1);
  return undefined;
}

export default rule;
