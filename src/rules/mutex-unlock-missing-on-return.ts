import { accountForLock, lockCallOf } from "../analysis/locks.js";
import type { DeclaredNames } from "../engine/package-summary.js";
import type { Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "mutex-unlock-missing-on-return",
    category: "contract",
    severity: "warning",
    title: "lock not released on a return path",
    rationale:
      "A function that locks and unlocks by hand, with an early return between the two, leaves the lock held on that path. Every goroutine that later asks for the lock blocks forever, and everything those goroutines hold (requests, buffers, connections) stays in memory with them: one rare error path freezes the whole component.",
    fix: "Unlock right after locking with `defer mu.Unlock()`, or unlock before every return that leaves the critical section.",
    bad: `func (s *Store) Put(k string, v []byte) error {
	s.mu.Lock()
	if s.closed {
		return errClosed // s.mu stays locked
	}
	s.items[k] = v
	s.mu.Unlock()
	return nil
}`,
    good: `func (s *Store) Put(k string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	s.items[k] = v
	return nil
}`,
    suggestion: "none",
    // Tests take locks and leave them held on purpose to exercise blocking paths.
    inTests: "skip",
  },
  // A lock is taken by a method whose name ends in `Lock` or starts with `lock` (`Lock`, `RLock`,
  // `logLock`, `lockShard`), written at the call.
  triggers: (ctx) => ["Lock", "RLock", ...ctx.packageWords(lockWords)],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const lock = lockCallOf(call, ctx.file);
      if (!lock) continue;
      const account = accountForLock(lock, ctx.file);
      // A function that never unlocks hands the lock to its caller (a `lock()` helper); one whose
      // ordinary end is reached only holding it returns it held on purpose and unlocks only when it gives up.
      if (account.kind !== "leaks" || account.sites === 0 || account.heldByDesign) continue;
      const line = ctx.lineOf(account.end.node);
      const where = account.end.kind === "repeat" ? `on the path that comes back to it (line ${line}), so the next round deadlocks on it` : account.end.kind === "return" ? `on the path that returns at line ${line}` : `before the function ends at line ${line}`;
      const readers = lock.lock === "RLock" ? " (a writer's `Lock` waits for this reader forever, and every new reader queues behind the writer)" : "";
      ctx.report({
        node: call,
        message: `\`${lock.receiver}\` is locked here but not unlocked ${where}: every later \`${lock.receiver}.${lock.lock}()\` blocks forever${readers}, and the blocked goroutines keep everything they hold. Unlock before that return, or \`defer ${lock.receiver}.${lock.unlock}()\` right after locking.`,
        related: [{ node: account.end.node, message: `leaves \`${lock.receiver}\` locked` }],
      });
    }
  },
};

/** The lock methods among a file's declarations (`logLock`, `lockShard`): their names spell the acquisition. */
function lockWords(decls: readonly DeclaredNames[]): string[] {
  const out = new Set<string>();
  for (const d of decls) {
    if (d.kind !== "func" && d.kind !== "method") continue;
    // (String tests, not regexes: this runs over every function of the package.)
    for (const name of d.names) if ((name.endsWith("Lock") || name.startsWith("lock")) && !name.endsWith("Unlock") && !name.startsWith("unlock")) out.add(name);
  }
  return [...out];
}

export default rule;
