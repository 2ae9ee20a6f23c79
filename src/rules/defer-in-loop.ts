import { continuesLoop, leavesLoop } from "../analysis/control.js";
import type { GoNode } from "../analysis/node.js";
import { enclosingLoops, followingStatements } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "defer-in-loop",
    category: "leak-resource",
    severity: "warning",
    title: "defer inside a loop",
    rationale:
      "A deferred call runs when the surrounding function returns, not at the end of the iteration. Every iteration adds another pending call and keeps whatever it would release — a file, a connection, a lock — alive until the whole loop and function finish.",
    fix: "Move the loop body into a function (or a func literal called per iteration) so the defer runs each time, or release the resource explicitly at the end of the iteration.",
    bad: `for _, name := range names {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close() // every file stays open until the function returns
	process(f)
}`,
    good: `for _, name := range names {
	if err := func() error {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close() // runs at the end of this iteration
		return process(f)
	}(); err != nil {
		return err
	}
}`,
    suggestion: "none",
    skipsTests: true,
  },
  check(ctx) {
    for (const defer of ctx.nodes("defer_statement")) {
      const loops = enclosingLoops(defer);
      const loop = loops[0];
      if (!loop) continue;
      // A break leaves only the innermost loop; with an outer loop the defers still pile up.
      if (leavesAfter(defer, loop, loops.length === 1)) continue;
      const call = defer.namedChildren[0]?.text ?? "the call";
      ctx.report({
        node: defer,
        message: `\`defer ${call}\` runs when the function returns, not at the end of each iteration: every iteration adds a pending call and holds what it releases until then.`,
        related: [{ node: loop, message: "the loop" }],
      });
    }
  },
};

/**
 * True when every path from the defer leaves the loop before reaching the next iteration: the
 * "open the first match and return" loop (go-critic#1451). Walks outwards from the defer's
 * block to the loop body, looking for a leaving statement with no `continue` on the way.
 */
function leavesAfter(defer: GoNode, loop: GoNode, breakCounts: boolean): boolean {
  const loopBody = loop.child("body");
  let stmt: GoNode = defer;
  for (;;) {
    const rest = followingStatements(stmt);
    if (continuesLoop(rest, loop)) return false;
    const last = rest[rest.length - 1];
    if (last && leavesLoop(last, loop) && (breakCounts || !containsBreakOf(last, loop))) return true;
    // Fall out of this block into the statement that contains it.
    const list = stmt.parent;
    const block = list?.parent;
    if (!block || block === loopBody) return false;
    let container: GoNode | null = block;
    while (container && container.parent?.type !== "statement_list") container = container.parent;
    if (!container || !container.within(loopBody ?? loop)) return false;
    stmt = container;
  }
}

function containsBreakOf(stmt: GoNode, loop: GoNode): boolean {
  return stmt.type === "break_statement" || stmt.descendants("break_statement").some((b) => leavesLoop(b, loop));
}

export default rule;
