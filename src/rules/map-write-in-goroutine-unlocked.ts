import { cfgOf } from "../analysis/cfg.js";
import type { GoNode } from "../analysis/node.js";
import { assignmentsTo, declarationOf } from "../analysis/scope.js";
import { callParts, enclosingFunction, goStatementOfLiteral, unparen } from "../analysis/syntax.js";
import { shapeOf, typeOfExpr } from "../analysis/types.js";
import type { Rule, RuleContext } from "../engine/types.js";
import { hasWord, mayStartGoroutine, mayWriteIndex } from "../analysis/text-shapes.js";

const rule: Rule = {
  meta: {
    id: "map-write-in-goroutine-unlocked",
    category: "contract",
    severity: "warning",
    title: "map written by concurrent goroutines without a lock",
    rationale:
      "Go maps are not safe for concurrent writes: two goroutines assigning to the same map at once corrupt it, and the runtime stops the whole process with `fatal error: concurrent map writes` when it notices. A goroutine started once per loop iteration that writes a shared map with no lock does exactly that as soon as two of them overlap.",
    fix: "Guard the map with a `sync.Mutex` held around every access, use `sync.Map`, or have each goroutine send its result on a channel and write the map in one goroutine.",
    bad: `results := make(map[string]int)
var wg sync.WaitGroup
for _, url := range urls {
	wg.Add(1)
	go func(url string) {
		defer wg.Done()
		results[url] = fetch(url) // concurrent map writes
	}(url)
}
wg.Wait()`,
    good: `results := make(map[string]int)
var mu sync.Mutex
var wg sync.WaitGroup
for _, url := range urls {
	wg.Add(1)
	go func(url string) {
		defer wg.Done()
		n := fetch(url)
		mu.Lock()
		results[url] = n
		mu.Unlock()
	}(url)
}
wg.Wait()`,
    suggestion: "none",
    // A data race crashes a test run as surely as a server.
    inTests: "report",
  },
  // Every finding is a write in a literal started by `go` or by a `Go` method (errgroup and the like).
  triggers: ["go", "Go"],
  // A goroutine (a `go` statement or an errgroup-style `Go(func…)`) that writes an element or deletes one.
  triggerTest: (text) => (mayStartGoroutine(text) || text.includes("Go")) && (mayWriteIndex(text) || hasWord(text, "delete")),
  check(ctx) {
    for (const literal of ctx.nodes("func_literal")) {
      const start = launchOf(literal);
      if (!start || locks(literal)) continue;
      const fn = enclosingFunction(start);
      const cfg = fn ? cfgOf(fn) : undefined;
      const node = cfg?.nodeOf(start);
      // One goroutine writing while its starter waits is safe; several started by a loop are not.
      if (!cfg || !node || !cfg.canRepeat(node)) continue;
      const reported = new Set<GoNode>();
      for (const write of mapWrites(ctx, literal)) {
        if (reported.has(write.map)) continue;
        reported.add(write.map);
        // A map made afresh in each iteration (or reassigned before the next start) belongs to one goroutine;
        // a loop that waits (`wg.Wait()`) before the next start runs its goroutines one at a time.
        const fresh = new Set([write.map, ...assignmentsTo(write.map).map((a) => a.statement)].map((s) => cfg.nodeOf(s)));
        if (!cfg.pathFrom(node, { target: (n) => n === node, blocks: (n) => fresh.has(n) || (n !== node && waits(n.syntax)) })) continue;
        ctx.report({
          node: write.node,
          message: `\`${write.map.text}\` is a map shared by every goroutine this loop starts, and this one writes it with no lock held: when two of them write at once the runtime stops the process with \`fatal error: concurrent map writes\`. Hold a mutex around the write, or collect the results over a channel.`,
          related: [{ node: start, message: "started once per iteration" }],
        });
      }
    }
  },
};

/** The `go` statement or `x.Go(…)` call that starts a func literal in a new goroutine. */
function launchOf(literal: GoNode): GoNode | undefined {
  const go = goStatementOfLiteral(literal);
  if (go) return go;
  let e = literal;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const args = e.parent;
  const call = args?.parent;
  if (args?.type !== "argument_list" || call?.type !== "call_expression" || args.namedChildren.length !== 1) return undefined;
  const { receiver, name } = callParts(call);
  return receiver && name === "Go" ? call : undefined;
}

/** True when the literal takes any lock (`x.Lock()`, `x.RLock()`), or hands work to a helper that might. */
function locks(literal: GoNode): boolean {
  let found = false;
  literal.walk((n) => {
    if (found) return false;
    if (n.type === "call_expression" && /^(R?Lock|TryLock)$/.test(callParts(n).name ?? "")) found = true;
    return undefined;
  });
  return found;
}

/** A statement that calls a `Wait` method (a WaitGroup, an errgroup), not counting func literals it starts. */
function waits(stmt: GoNode): boolean {
  let found = false;
  stmt.walk((n) => {
    if (found || (n !== stmt && n.type === "func_literal")) return false;
    if (n.type === "call_expression" && callParts(n).name === "Wait") found = true;
    return undefined;
  });
  return found;
}

/** Writes `m[k] = v` (also `m[k] += v`, `m[k]++`) and `delete(m, k)` to a map declared outside the literal. */
function mapWrites(ctx: RuleContext, literal: GoNode): { node: GoNode; map: GoNode }[] {
  const out: { node: GoNode; map: GoNode }[] = [];
  literal.walk((n) => {
    let target: GoNode | undefined;
    if (n.type === "assignment_statement") target = n.child("left")?.namedChildren.map((t) => unparen(t)).find((t) => t?.type === "index_expression");
    else if (n.type === "inc_statement" || n.type === "dec_statement") target = unparen(n.namedChildren[0]);
    else if (n.type === "call_expression" && unparen(n.child("function"))?.text === "delete") {
      const m = unparen(n.child("arguments")?.namedChildren[0]);
      const decl = m?.type === "identifier" ? sharedMap(ctx, m, literal) : undefined;
      if (decl) out.push({ node: n, map: decl });
      return undefined;
    }
    if (target?.type !== "index_expression") return undefined;
    const m = unparen(target.child("operand"));
    const decl = m?.type === "identifier" ? sharedMap(ctx, m, literal) : undefined;
    if (decl) out.push({ node: n, map: decl });
    return undefined;
  });
  return out;
}

/** The declaration of a local map variable declared outside the literal (captured, so shared by its goroutines). */
function sharedMap(ctx: RuleContext, id: GoNode, literal: GoNode): GoNode | undefined {
  const decl = declarationOf(id);
  if (!decl || decl.within(literal)) return undefined;
  return shapeOf(typeOfExpr(id, ctx.file)) === "map" ? decl : undefined;
}

export default rule;
