import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, leakWhere } from "../analysis/resources.js";
import { assignmentsTo, declarationOf, initializerOf, referencesOf } from "../analysis/scope.js";
import { bindingOfValue, callParts, callSummary, runsOnceInMain, unparen } from "../analysis/syntax.js";
import { builtOnlyFor } from "../engine/build-constraint.js";
import type { Rule } from "../engine/types.js";

const EXEC = "os/exec";
const COMMANDS = ["Command", "CommandContext"];

const rule: Rule = {
  meta: {
    id: "exec-start-without-wait",
    category: "leak-resource",
    severity: "warning",
    title: "process started but never waited for",
    rationale:
      "`cmd.Start` launches the child and returns at once; only `Wait` reaps it and closes the pipes and goroutines `exec.Cmd` set up. Without a Wait, every finished child stays a zombie in the process table and its descriptors stay open, until a long-running service runs out of PIDs or file descriptors.",
    fix: "Call `cmd.Wait()` after `cmd.Start()` on every path, in a goroutine if the child must run in the background.",
    bad: `cmd := exec.Command("convert", src, dst)
if err := cmd.Start(); err != nil {
	return err
}
return nil // nobody reaps the child`,
    good: `cmd := exec.Command("convert", src, dst)
if err := cmd.Start(); err != nil {
	return err
}
go func() {
	if err := cmd.Wait(); err != nil {
		log.Printf("convert: %v", err)
	}
}()
return nil`,
    suggestion: "none",
    // In tests: a child the test never waits for is reaped when the test process exits.
    inTests: "skip",
  },
  // Every finding is anchored at, and starts from, an `X.Start()` selector call.
  triggers: ["Start"],
  check(ctx) {
    const file = ctx.file;
    if (!file.imports.has(EXEC)) return;
    for (const call of ctx.nodes("call_expression")) {
      const { receiver, name } = callParts(call);
      const target = unparen(receiver);
      if (name !== "Start" || !target) continue;
      // A Start in main outside any loop runs once: at most one zombie for the life of the
      // program (and none once it exits), not a growing leak.
      if (runsOnceInMain(call)) continue;
      if (target.type === "call_expression" && file.imports.match(target, EXEC, COMMANDS)) {
        ctx.report({
          node: call,
          message: `\`${callSummary(call)}\` drops the \`*exec.Cmd\`, so nothing can ever Wait for the child: it stays a zombie after it exits and its descriptors stay open. Keep the command and call \`Wait\`, or use \`Run\`.`,
        });
        continue;
      }
      if (target.type !== "identifier") continue;
      const decl = declarationOf(target);
      const command = decl ? commandOf(decl, file) : undefined;
      if (!decl || !command || firstStart(decl) !== call) continue;
      // A failed Start leaves nothing to wait for: `if err := cmd.Start(); err != nil { return err }`.
      // On Windows nothing becomes a zombie: `Process.Release` closes the handle Start opened.
      const methods = builtOnlyFor(ctx.path, ctx.source, "windows") ? ["Wait", "Release"] : ["Wait"];
      const account = accountFor(decl, call, file, { methods, alsoVia: [["Process"]] }, { err: bindingOfValue(call)?.targets[0] });
      if (account.kind !== "leaks") continue;
      const v = target.text;
      ctx.report({
        node: call,
        message: account.partly
          ? `\`${v}.Start()\` launches ${program(command, file)}, but nothing waits for it ${leakWhere(account.end, ctx.lineOf)}: there the child stays a zombie after it exits and its pipe descriptors stay open. Call \`${v}.Wait()\` (or \`${v}.Process.Kill()\` then \`Wait\`) on that path too.`
          : `\`${v}.Start()\` launches ${program(command, file)} but nothing waits for it: without \`${v}.Wait()\` it stays a zombie after it exits and its pipe descriptors stay open. Call \`${v}.Wait()\`, in a goroutine if it must run in the background.`,
        related: account.partly ? [{ node: account.end.node, message: `leaves \`${v}\` unwaited` }] : [],
      });
    }
  },
};

/** The `exec.Command`/`exec.CommandContext` call that makes the variable (when declared or assigned). */
function commandOf(decl: GoNode, file: FileScope): GoNode | undefined {
  const init = initializerOf(decl);
  const values = [init, ...assignmentsTo(decl)].filter((a) => a && a.resultIndex === 0).map((a) => unparen(a?.value));
  return values.find((v) => v?.type === "call_expression" && file.imports.match(v, EXEC, COMMANDS) !== undefined);
}

/** "`convert`" for `exec.Command("convert", …)`, else "the command". */
function program(command: GoNode, file: FileScope): string {
  const args = callParts(command).args;
  const name = args[file.imports.match(command, EXEC, ["CommandContext"]) ? 1 : 0];
  return name?.type === "interpreted_string_literal" || name?.type === "raw_string_literal" ? `\`${name.text.slice(1, -1)}\`` : "the command";
}

/** The first `v.Start()` call on the variable (one finding per command). */
function firstStart(decl: GoNode): GoNode | undefined {
  for (const use of referencesOf(decl)) {
    const sel = use.parent;
    if (sel?.type === "selector_expression" && use.field === "operand" && sel.child("field")?.text === "Start" && sel.parent?.type === "call_expression") {
      return sel.parent;
    }
  }
  return undefined;
}

export default rule;
