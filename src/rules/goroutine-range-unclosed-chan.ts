import { channelUseKind, goStatementOfArgument, goroutineChannelNames, inProcessLifetimeFunction, madeChannel } from "../analysis/channels.js";
import { cfgAround } from "../analysis/cfg.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, referencesOf, scopeFunction } from "../analysis/scope.js";
import { callParts, enclosingFunction, goLiteral, goStatementOfLiteral, parametersOf, unparen } from "../analysis/syntax.js";
import { hasWord } from "../analysis/text-shapes.js";
import type { Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "goroutine-range-unclosed-chan",
    category: "leak-goroutine",
    severity: "warning",
    title: "goroutine ranges over a channel that is never closed",
    rationale:
      "`for v := range ch` ends only when `ch` is closed. If nobody ever closes it, the goroutine handles the last value and then waits for the next one forever, keeping its stack, the channel and whatever its closure captures alive.",
    fix: "Close the channel once the last value has been sent (`defer close(ch)` in the producer, or after `wg.Wait()` when several goroutines send).",
    bad: `func process(items []Item) {
	jobs := make(chan Item)
	go func() {
		for it := range jobs { // never ends: jobs is never closed
			handle(it)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}`,
    good: `func process(items []Item) {
	jobs := make(chan Item)
	go func() {
		for it := range jobs {
			handle(it)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	close(jobs) // the consumer's range ends here
}`,
    suggestion: "none",
    // In tests: a leaked goroutine outlives its test and can disturb the next ones.
    inTests: "info",
  },
  // The loop runs in a `go func(){…}()` literal of the declaration and ranges over a local variable
  // of a function around that go statement, made by `make(chan T)` there: `chan` is always there.
  triggers: ["chan"],
  triggerTest: (text) => hasWord(text, "go") && hasWord(text, "range") && hasWord(text, "make"),
  check(ctx) {
    for (const loop of ctx.nodes("for_statement")) {
      const clause = loop.childOfType("range_clause");
      const ranged = unparen(clause?.child("right"));
      if (ranged?.type !== "identifier") continue;
      const literal = enclosingFunction(loop);
      const go = literal?.type === "func_literal" ? goStatementOfLiteral(literal) : undefined;
      if (!go) continue;
      const decl = channelDeclaration(ranged, literal!, go);
      if (!decl || !madeChannel(decl)) continue;
      const fn = scopeFunction(decl);
      if (!fn || !go.within(fn)) continue;
      // Process-lifetime consumers started from main or init end with the process.
      if (inProcessLifetimeFunction(go)) continue;
      // The consumer may stop on a sentinel value or an error: then the range is not its only way out.
      const cfg = cfgAround(loop);
      const loopHead = cfg?.loopHead(loop);
      if (!cfg || !loopHead || cfg.canLeaveLoop(loopHead)) continue;
      if (!neverClosedAndKept(decl, ctx.file)) continue;
      const head = loop.text.slice(0, clause!.end - loop.start);
      ctx.report({
        node: loop,
        message: `\`${decl.text}\` is never closed, so \`${head}\` in this goroutine never ends: after the last value it waits forever and leaks, together with what it references.`,
        related: [{ node: decl, message: `\`${decl.text}\` is made here` }],
      });
    }
  },
};

/** The local variable behind the ranged identifier: captured directly, or passed as the literal's argument. */
function channelDeclaration(ranged: GoNode, literal: GoNode, go: GoNode): GoNode | undefined {
  const d = declarationOf(ranged);
  if (!d) return undefined;
  if (!d.within(literal)) return d;
  const params = parametersOf(literal);
  const index = params.findIndex((p) => p.name === d);
  if (index < 0 || params[index]!.variadic) return undefined;
  const arg = unparen(callParts(go.namedChildren[0]!).args[index]);
  return arg?.type === "identifier" ? declarationOf(arg) : undefined;
}

/**
 * True when no use of the channel (or of a goroutine parameter it is passed as) closes it, and
 * every use only sends, receives, ranges or inspects: passed to any function, stored, returned
 * or assigned, somebody else may close it.
 */
function neverClosedAndKept(decl: GoNode, file: FileScope): boolean {
  for (const use of referencesOf(decl)) {
    const kind = channelUseKind(use);
    switch (kind) {
      case "send":
      case "receive":
      case "range":
      case "inspect":
        continue;
      case "go-argument": {
        // Handed to another goroutine literal: follow its parameter; a named function may close it.
        const go = goStatementOfArgument(use);
        if (!go || !goLiteral(go)) return false;
        const params = goroutineChannelNames(go, decl, file)?.names.filter((n) => n !== decl) ?? [];
        if (params.length === 0 || !params.every((p) => neverClosedAndKept(p, file))) return false;
        continue;
      }
      default:
        return false;
    }
  }
  return true;
}

export default rule;
