import { cfgOf } from "../analysis/cfg.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf } from "../analysis/scope.js";
import { callParts, enclosingFunction, enclosingLoops, goLiteral, isFunction, outermostFunction, parametersOf, unparen } from "../analysis/syntax.js";
import { inProcessLifetimeFunction } from "../analysis/channels.js";
import { madeOnlyAtStartup, receivesSignals, runsOnceAtStartup } from "../analysis/startup.js";
import { receiverTypeName } from "../analysis/types.js";
import type { Rule } from "../engine/types.js";
import { mayStartGoroutine } from "../analysis/text-shapes.js";

const rule: Rule = {
  meta: {
    id: "goroutine-no-exit",
    category: "leak-goroutine",
    severity: "warning",
    title: "goroutine loop has no exit",
    rationale:
      "A goroutine whose loop can neither return nor break runs until the process ends. Every time the code that starts it runs — a constructor, a request, a reconnect — another copy stays behind with its stack, its ticker and everything its closure captures.",
    fix: "Give the loop a way out: select on `ctx.Done()` or a quit channel and return, and stop the ticker when the goroutine ends.",
    bad: `func NewCache() *Cache {
	c := &Cache{items: map[string]item{}}
	go func() {
		for range time.Tick(time.Minute) {
			c.evictExpired()
		}
	}()
	return c
}`,
    good: `func NewCache(ctx context.Context) *Cache {
	c := &Cache{items: map[string]item{}}
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				c.evictExpired()
			case <-ctx.Done():
				return
			}
		}
	}()
	return c
}`,
    suggestion: "none",
    // In tests: a goroutine that never ends outlives its test and disturbs the next ones, but ends with the test process.
    inTests: "info",
  },
  // It starts from a go statement in the declaration: the `go` keyword is always there (the loop it
  // runs may be a function declared elsewhere, so nothing else is required).
  triggers: ["go"],
  triggerTest: mayStartGoroutine,
  check(ctx) {
    for (const go of ctx.nodes("go_statement")) {
      // Workers started by main or init live as long as the process: that is their job.
      if (inProcessLifetimeFunction(go)) continue;
      // So do singletons: started under a package-level Once or compare-and-swap flag, by a
      // command's action, or by a function only such code calls (a constructor of a
      // package-level var).
      if (runsOnceAtStartup(go, ctx.file)) continue;
      const started = startedFunction(go, ctx.file);
      if (!started) continue;
      const loop = endlessLoop(started.fn, ctx.file);
      if (!loop) continue;
      // A signal handler serves the process.
      const starter = enclosingFunction(go);
      if (receivesSignals(loop, starter ? [started.fn, starter] : [started.fn], ctx.file)) continue;
      const head = loop.text.slice(0, loop.text.indexOf("{") + 1 || undefined).trim();
      const where = `The goroutine started here${started.name ? ` (\`${started.name}\`)` : ""} runs \`${head} … }\` with no return, break or exit: it never stops`;
      const related = [{ node: loop, message: "the loop without an exit" }];
      // Under `c.once.Do(…)` only the first call starts it: the copies pile up per value, not per call.
      const once = onceOfValue(go);
      // … and when every value is made at start-up (a package-level collector), only once.
      if (once && madeOnlyAtStartup(receiverTypeName(outermostFunction(go) ?? go) ?? "", ctx.file)) continue;
      // Only a start that visibly repeats (per value, in a loop, per request or connection) is sure
      // to pile up copies; anywhere else it may well run once per process, so the finding is a hint.
      ctx.report(
        once || startsRepeatedly(go, ctx.file)
          ? { node: go, message: `${where}, and ${once ? `every value whose \`${once}\` starts it` : "every call that starts it"} leaves another copy running with everything it references.`, related }
          : {
              node: go,
              severity: "info",
              message: `${where}. If the code that starts it runs more than once, each run leaves another copy running with everything it references: give it a way to stop unless it is meant to live as long as the process.`,
              related,
            },
      );
    }
  },
};

/**
 * Whether a `go` statement visibly runs many times: inside a loop, or in a function that serves
 * one request or connection (a parameter of type `http.ResponseWriter`, `*http.Request` or
 * `net.Conn`).
 */
function startsRepeatedly(go: GoNode, file: FileScope): boolean {
  if (enclosingLoops(go).length > 0) return true;
  const fn = outermostFunction(go);
  return !!fn && parametersOf(fn).some(({ type }) => {
    const t = type?.type === "pointer_type" ? type.namedChildren[0] : type;
    return !!t && (file.imports.isType(t, "net/http", "ResponseWriter") || file.imports.isType(t, "net/http", "Request") || file.imports.isType(t, "net", "Conn"));
  });
}

/** `c.once` when the go statement runs inside `c.once.Do(func() { … })` (a Once that is not of package scope). */
function onceOfValue(go: GoNode): string | undefined {
  for (const a of go.ancestors()) {
    if (a.type !== "func_literal") continue;
    let e = a;
    while (e.parent?.type === "parenthesized_expression") e = e.parent;
    const call = e.parent?.type === "argument_list" ? e.parent.parent : undefined;
    const receiver = call?.type === "call_expression" && e.parent!.namedChildren.length === 1 && callParts(call).name === "Do" ? unparen(callParts(call).receiver) : undefined;
    if (receiver?.type === "selector_expression") return receiver.text;
  }
  return undefined;
}

/** The function a `go` statement runs: its literal, or a same-file function or method it names. */
function startedFunction(go: GoNode, file: FileScope): { fn: GoNode; name?: string } | undefined {
  const literal = goLiteral(go);
  if (literal) return { fn: literal };
  const call = go.namedChildren[0];
  if (call?.type !== "call_expression") return undefined;
  const callee = unparen(call.child("function"));
  if (callee?.type === "identifier") {
    // A local func value of the same name is not the top-level function.
    if (declarationOf(callee)) return undefined;
    const fn = file.functionNamed(callee.text);
    return fn ? { fn, name: callee.text } : undefined;
  }
  if (callee?.type === "selector_expression") {
    const operand = callee.child("operand");
    const name = callee.child("field")?.text ?? "";
    if (operand?.type === "identifier" && file.imports.pathOf(operand.text)) return undefined;
    // Several methods of this name on different types: cannot tell which one runs.
    const methods = file.methodsNamed(name);
    return methods.length === 1 ? { fn: methods[0]!, name: callee.text } : undefined;
  }
  return undefined;
}

/** The first `for {}` / `for range t.C` / `for range time.Tick(…)` of `fn` (not of nested literals) that cannot exit. */
function endlessLoop(fn: GoNode, file: FileScope): GoNode | undefined {
  const body = fn.child("body");
  const cfg = cfgOf(fn);
  if (!body || !cfg) return undefined;
  let found: GoNode | undefined;
  body.walk((n) => {
    if (found || isFunction(n)) return false;
    const head = n.type === "for_statement" ? cfg.loopHead(n) : undefined;
    if (head && runsForever(n, file) && !cfg.canLeaveLoop(head)) {
      found = n;
      return false;
    }
    return undefined;
  });
  return found;
}

/** A loop whose header never ends it: no condition, or ranging over a ticker channel. */
function runsForever(loop: GoNode, file: FileScope): boolean {
  const header = loop.namedChildren.find((c) => c.field !== "body");
  if (!header) return true;
  if (header.type === "for_clause") return !header.child("condition");
  if (header.type !== "range_clause") return false;
  const right = unparen(header.child("right"));
  if (!right) return false;
  // `for range t.C` over a ticker (or a ticker field); `time.Tick(d)` never closes either.
  if (right.type === "selector_expression" && right.child("field")?.text === "C") return true;
  return right.type === "call_expression" && !!file.imports.match(right, "time", ["Tick"]);
}

export default rule;
