import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, type Account, callsOpener, errorCheckAfter, isStandardAcquisition, leakWhere, ownedResults } from "../analysis/resources.js";
import { declarationOf } from "../analysis/scope.js";
import { insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callSummary, enclosingStatement, isInLoop } from "../analysis/syntax.js";
import { mayReturnNamed } from "../analysis/types.js";
import { infoOnceAtStartup } from "../analysis/startup.js";
import type { Rule, RuleContext } from "../engine/types.js";

/** Standard openers, by `path.Name` (any alias): their results are listed in analysis/stdlib.ts. */
const OPENERS: Readonly<Record<string, readonly string[]>> = {
  os: ["Open", "OpenFile", "Create", "CreateTemp", "NewFile", "Pipe"],
  "io/ioutil": ["TempFile"],
  "debug/elf": ["Open"],
  "debug/macho": ["Open"],
  "debug/pe": ["Open"],
};

/** Types whose values hold a descriptor (or may): `*os.File`, and the interfaces real files hide behind. */
const FILE_TYPES: readonly (readonly [string, readonly string[]])[] = [
  ["os", ["File"]],
  ["mime/multipart", ["File"]],
  ["net/http", ["File"]],
  ["io/fs", ["File"]],
  ["debug/elf", ["File"]],
  ["debug/macho", ["File"]],
  ["debug/pe", ["File"]],
];
const mayReturnFile = mayReturnNamed(FILE_TYPES);
const OPENER_NAMES = [...new Set([...Object.values(OPENERS).flat(), "FormFile", ...mayReturnFile.standardNames])];

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
    // In tests: descriptors a test leaks are closed when its process exits.
    inTests: "skip",
  },
  // Standard openers spell their names at the call (`os.Open`, `fh.Open()`); package helpers that
  // return a file mention `File` in their signature, and the call spells their name.
  triggers: (ctx) => [...OPENER_NAMES, ...ctx.functionsReturning("File")],
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const opened = openedFiles(call, ctx.file);
      if (!opened) continue;
      const label = callSummary(call);
      const isOsOpen = ctx.file.imports.match(call, "os", ["Open"]) !== undefined;
      if (call.parent?.type === "expression_statement") {
        if (callsOpener(call, ctx.file, OPENERS)) reportDiscarded(ctx, call, label, isOsOpen);
        continue;
      }
      const binding = bindingOfValue(call);
      if (!binding || binding.targets.length !== opened.results) continue;
      for (const index of opened.files) {
        const target = binding.targets[index];
        if (!target) continue;
        if (target.text === "_") {
          reportDiscarded(ctx, call, label, isOsOpen);
          continue;
        }
        const decl = declarationOf(target);
        if (!decl) continue;
        const err = opened.results > opened.files.length ? binding.targets[opened.results - 1] : undefined;
        const account = accountFor(decl, call, ctx.file, { methods: ["Close"] }, { err });
        if (account.kind !== "leaks") continue;
        reportLeak(ctx, call, label, binding, target, account, err !== undefined);
      }
    }
  },
};

function reportLeak(ctx: RuleContext, call: GoNode, label: string, binding: { statement: GoNode }, target: GoNode, account: Extract<Account, { kind: "leaks" }>, checked: boolean): void {
  const name = target.text;
  const stmt = enclosingStatement(call);
  const errCheck = checked && stmt === binding.statement && !isInLoop(stmt) && !account.partly ? errorCheckAfter(stmt, bindingOfValue(call)?.targets.at(-1)) : undefined;
  ctx.report({
    node: call,
    ...infoOnceAtStartup(call, ctx.file),
    message: account.partly
      ? `File \`${name}\` from \`${label}\` is not closed ${leakWhere(account.end, ctx.lineOf)}: on that path its descriptor stays open until a GC finalizer happens to run. Close it there too, or \`defer ${name}.Close()\` once it is open.`
      : `File \`${name}\` from \`${label}\` is never closed: its descriptor stays open until a GC finalizer happens to run, and busy code runs out of descriptors first. Add \`defer ${name}.Close()\`${checked ? " after the error check" : ""}.`,
    related: account.partly ? [{ node: account.end.node, message: `leaves \`${name}\` open` }] : [],
    ...(errCheck && stmt ? { suggestion: insertLineAfter(ctx, errCheck, `defer ${name}.Close()`, stmt) } : {}),
  });
}

/**
 * The results of a call that are files the caller owns: a standard opener, a method of a standard
 * type that opens (`fh.Open()` of a multipart header), or a package helper that opened it.
 */
function openedFiles(call: GoNode, file: FileScope): { files: number[]; results: number } | undefined {
  const found = ownedResults(call, file, FILE_TYPES, mayReturnFile, isStandardOpen);
  return found && { files: found.owned, results: found.results };
}

/** A standard call that opens a file: a qualified opener, or a method of a standard type that does (`fh.Open()`, `r.FormFile(name)`). */
function isStandardOpen(call: GoNode, file: FileScope): boolean {
  return isStandardAcquisition(call, file, OPENERS);
}

function reportDiscarded(ctx: RuleContext, call: GoNode, label: string, isOpen: boolean): void {
  const hint = isOpen ? "Use `os.Stat` to check that a file exists, or keep the file and close it." : "Keep the file and close it.";
  ctx.report({
    node: call,
    ...infoOnceAtStartup(call, ctx.file),
    message: `The file from \`${label}\` is discarded, so it can never be closed: its descriptor stays open until a GC finalizer happens to run. ${hint}`,
  });
}

export default rule;
