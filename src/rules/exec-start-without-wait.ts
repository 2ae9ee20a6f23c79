import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, leakWhere } from "../analysis/resources.js";
import { assignmentsTo, declarationOf, initializerOf, referencesOf } from "../analysis/scope.js";
import { bindingOfValue, callParts, callSummary, unparen } from "../analysis/syntax.js";
import { builtOnlyFor } from "../engine/build-constraint.js";
import { runsOnceAtStartup } from "../analysis/startup.js";
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
      // A Start that runs once per process (main outside loops, a command-line action, start-up
      // code): at most one zombie for the life of the program, not a growing leak.
      if (runsOnceAtStartup(call, file)) continue;
      if (target.type === "call_expression" && file.imports.match(target, EXEC, COMMANDS)) {
        const opener = desktopOpener(target, file);
        if (opener === "windows") continue;
        ctx.report({
          node: call,
          message: opener
            ? openerMessage(callSummary(call))
            : startsItself(target, file)
              ? successorMessage(callSummary(call))
              : `\`${callSummary(call)}\` drops the \`*exec.Cmd\`, so nothing can ever Wait for the child: it stays a zombie after it exits and its descriptors stay open. Keep the command and call \`Wait\`, or use \`Run\`.`,
          ...(opener || startsItself(target, file) ? { severity: "info" as const } : {}),
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
      const opener = desktopOpener(command, file);
      if (opener === "windows") continue;
      const v = target.text;
      if (opener || startsItself(command, file)) {
        ctx.report({ node: call, message: opener ? openerMessage(`${v}.Start()`) : successorMessage(`${v}.Start()`), severity: "info" });
        continue;
      }
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

/**
 * Programs that hand a URL or file to the desktop and exit at once. On Windows a finished child
 * is no zombie (its handle goes with the `os.Process` finalizer); elsewhere it is one zombie per
 * call, reaped when this process exits: nothing in a command-line tool, a slow leak only in a
 * long-running program, which memlint cannot tell from here.
 */
const WINDOWS_OPENERS = new Set(["rundll32", "rundll32.exe", "explorer", "explorer.exe"]);
const UNIX_OPENERS = new Set(["open", "xdg-open", "gio", "gnome-open", "kde-open", "wslview", "sensible-browser", "x-www-browser"]);

/** Whether the command is a desktop opener, and of which platform; undefined for any other program. */
function desktopOpener(command: GoNode, file: FileScope): "windows" | "unix" | undefined {
  const args = callParts(command).args.slice(file.imports.match(command, EXEC, ["CommandContext"]) ? 1 : 0);
  const [path, ...rest] = args.map(literalText);
  // `c:\Windows\system32\cmd.exe` is `cmd.exe`.
  const name = path?.split(/[\\/]/).pop();
  if (name === undefined) return undefined;
  if (WINDOWS_OPENERS.has(name.toLowerCase())) return "windows";
  // `cmd /c start <url>`
  if (/^cmd(\.exe)?$/i.test(name) && rest.some((a) => a?.toLowerCase() === "start")) return "windows";
  return UNIX_OPENERS.has(name) ? "unix" : undefined;
}

function openerMessage(start: string): string {
  return `\`${start}\` hands its argument to the desktop and nothing waits for the opener: it exits at once and stays a zombie until this process exits — nothing in a command-line tool, one more per call in a long-running program. There, reap it: \`go cmd.Wait()\`.`;
}

/**
 * The command runs this very program again (`os.Args[0]`, `os.Executable()`): a graceful restart
 * or a daemon handing over to its successor, which this process starts so that it can exit.
 */
function startsItself(command: GoNode, file: FileScope): boolean {
  const path = unparen(callParts(command).args[file.imports.match(command, EXEC, ["CommandContext"]) ? 1 : 0]);
  return !!path && isOwnExecutable(path, file, 0);
}

function isOwnExecutable(e: GoNode, file: FileScope, depth: number): boolean {
  if (e.type === "index_expression") {
    const operand = unparen(e.child("operand"));
    return e.child("index")?.text === "0" && operand?.type === "selector_expression" && operand.child("field")?.text === "Args" && file.imports.pathOf(operand.child("operand")?.text ?? "") === "os";
  }
  if (e.type === "call_expression") return !!file.imports.match(e, "os", ["Executable"]);
  if (e.type !== "identifier" || depth > 2) return false;
  const decl = declarationOf(e);
  const init = decl && assignmentsTo(decl).length === 0 ? initializerOf(decl) : undefined;
  const value = unparen(init?.value);
  return init?.resultIndex === 0 && !!value && isOwnExecutable(value, file, depth + 1);
}

function successorMessage(start: string): string {
  return `\`${start}\` starts this program again (a restart or a daemon's successor) and nothing waits for it: that is the point when this process then hands over and exits. If it stays, the child becomes a zombie once it exits; call \`Wait\` in a goroutine.`;
}

/** A string literal's text (unquoted as written), also through a local set once to one. */
function literalText(node: GoNode | undefined): string | undefined {
  if (node?.type === "identifier") {
    const decl = declarationOf(node);
    const init = decl && assignmentsTo(decl).length === 0 ? initializerOf(decl) : undefined;
    return init?.resultIndex === 0 ? literalText(unparen(init.value)) : undefined;
  }
  if (node?.type === "raw_string_literal") return node.text.slice(1, -1);
  return node?.type === "interpreted_string_literal" ? node.text.slice(1, -1).replace(/\\\\/g, "\\") : undefined;
}

/** "`convert`" for `exec.Command("convert", …)`, else "the command". */
function program(command: GoNode, file: FileScope): string {
  const name = literalText(callParts(command).args[file.imports.match(command, EXEC, ["CommandContext"]) ? 1 : 0]);
  return name === undefined ? "the command" : `\`${name}\``;
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
