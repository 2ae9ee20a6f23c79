import type { GoNode } from "../analysis/node.js";
import { accountFor, errorCheckAfter, leakWhere } from "../analysis/resources.js";
import { declarationOf } from "../analysis/scope.js";
import { insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callSummary, enclosingStatement, isInLoop, runsOnceInMain } from "../analysis/syntax.js";
import type { Rule, RuleContext } from "../engine/types.js";

/** Calls that open a file descriptor, with the number of results they return. */
const OPENERS: readonly { path: string; names: readonly string[]; results: number }[] = [
  { path: "os", names: ["Open", "OpenFile", "Create", "CreateTemp"], results: 2 },
  { path: "os", names: ["NewFile"], results: 1 },
  { path: "io/ioutil", names: ["TempFile"], results: 2 },
];

const rule: Rule = {
  meta: {
    id: "file-not-closed",
    category: "leak-resource",
    severity: "warning",
    title: "file never closed",
    rationale:
      "An `*os.File` holds a file descriptor until `Close` is called. The runtime closes forgotten files only when a GC cycle happens to finalize them, so a busy process can hit its descriptor limit (`too many open files`) long before that, and written data may stay unflushed.",
    fix: "Close the file on every path, usually with `defer f.Close()` right after the error check (for files you write, also check the error of `Close`).",
    bad: `f, err := os.Open(path)
if err != nil {
	return nil, err
}
return io.ReadAll(f)`,
    good: `f, err := os.Open(path)
if err != nil {
	return nil, err
}
defer f.Close()
return io.ReadAll(f)`,
    suggestion: "partial",
    skipsTests: false,
  },
  // Only `os.Open(…)`-style qualified calls (any alias; dot imports are not matched) are examined.
  triggers: OPENERS.flatMap((o) => o.names),
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const opener = OPENERS.find((o) => ctx.file.imports.match(call, o.path, o.names));
      if (!opener) continue;
      const label = callSummary(call);
      if (call.parent?.type === "expression_statement") {
        reportDiscarded(ctx, call, label, ctx.file.imports.match(call, "os", ["Open"]) !== undefined);
        continue;
      }
      const binding = bindingOfValue(call);
      const target = binding?.targets[0];
      if (!binding || binding.targets.length !== opener.results || !target) continue;
      if (target.text === "_") {
        reportDiscarded(ctx, call, label, ctx.file.imports.match(call, "os", ["Open"]) !== undefined);
        continue;
      }
      const decl = declarationOf(target);
      if (!decl) continue;
      const account = accountFor(decl, call, ctx.file, { methods: ["Close"] }, { err: opener.results === 2 ? binding.targets[1] : undefined });
      if (account.kind !== "leaks") continue;
      const name = target.text;
      const stmt = enclosingStatement(call);
      const check = stmt === binding.statement && !isInLoop(stmt) && !account.partly ? errorCheckAfter(stmt, binding.targets[1]) : undefined;
      ctx.report({
        node: call,
        ...onceInMain(call),
        message: account.partly
          ? `File \`${name}\` from \`${label}\` is not closed ${leakWhere(account.end, ctx.lineOf)}: on that path its descriptor stays open until a GC finalizer happens to run. Close it there too, or \`defer ${name}.Close()\` once it is open.`
          : `File \`${name}\` from \`${label}\` is never closed: its descriptor stays open until a GC finalizer happens to run, and busy code runs out of descriptors first. Add \`defer ${name}.Close()\`${opener.results === 2 ? " after the error check" : ""}.`,
        related: account.partly ? [{ node: account.end.node, message: `leaves \`${name}\` open` }] : [],
        ...(check && stmt ? { suggestion: insertLineAfter(ctx, check, `defer ${name}.Close()`, stmt) } : {}),
      });
    }
  },
};

function reportDiscarded(ctx: RuleContext, call: GoNode, label: string, isOpen: boolean): void {
  const hint = isOpen ? "Use `os.Stat` to check that a file exists, or keep the file and close it." : "Keep the file and close it.";
  ctx.report({
    node: call,
    ...onceInMain(call),
    message: `The file from \`${label}\` is discarded, so it can never be closed: its descriptor stays open until a GC finalizer happens to run. ${hint}`,
  });
}

/** In `main`, outside loops, one descriptor leaks once for the life of the process: info (precision audit). */
function onceInMain(call: GoNode): { severity?: "info" } {
  return runsOnceInMain(call) ? { severity: "info" } : {};
}

export default rule;
