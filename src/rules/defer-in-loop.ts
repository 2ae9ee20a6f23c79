import { leavesLoopAfter } from "../analysis/control.js";
import { enclosingLoops } from "../analysis/syntax.js";
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
      // The "open the first match and return" loop (go-critic#1451): every path from the defer
      // leaves every enclosing loop, so at most one call is ever pending. (A break leaves only
      // the innermost loop; an outer loop still piles up defers.)
      if (loops.every((l) => leavesLoopAfter(defer, l))) continue;
      const call = defer.namedChildren[0]?.text ?? "the call";
      ctx.report({
        node: defer,
        message: `\`defer ${call}\` runs when the function returns, not at the end of each iteration: every iteration adds a pending call and holds what it releases until then.`,
        related: [{ node: loop, message: "the loop" }],
      });
    }
  },
};

export default rule;
