/**
 * Code that runs once per process: `init`, package main's `main`, package-level variable
 * initializers, a `Once` of package scope (`once.Do`, `sync.OnceFunc/OnceValue/OnceValues`
 * kept in a package-level variable), the action of a command-line command (urfave/cli,
 * cobra) and the functions it hands the command to, a Windows service's `Execute`, and package
 * functions that only such code calls. A goroutine started there, or a
 * map filled there, is a process singleton: "every call leaves another copy" cannot happen.
 */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf } from "./scope.js";
import { functionName, goStatementOfLiteral, isExported, isMainMain, packageName, parametersOf, unparen } from "./syntax.js";
import { runsInline, runsOncePerProcess } from "./channels.js";

/** How many callers up a "called only from start-up code" question looks (constructor of a constructor of a var initializer). */
const MAX_CALLER_DEPTH = 3;

/** Packages whose `Command` type runs one action per process: the command line's own. */
const CLI_PACKAGES = ["github.com/urfave/cli", "github.com/urfave/cli/v2", "github.com/urfave/cli/v3", "gopkg.in/urfave/cli.v1", "gopkg.in/urfave/cli.v2", "github.com/spf13/cobra"];
/** The fields of a command that hold the functions it runs when invoked. */
const CLI_ACTION_FIELDS = /^(Action|Before|After|(Persistent)?(Pre|Post)?RunE?)$/;
/** `sync` constructors of a function that runs its argument at most once. */
const ONCE_CONSTRUCTORS = ["OnceFunc", "OnceValue", "OnceValues"];

/**
 * True when `node` runs at most once per process. Walking out from `node`: a `for` loop means
 * it can run again; a func literal must run in place, be started by a `go` statement, be the
 * function of a package-scope `Once` or a command-line command's action; the enclosing
 * top-level function must be `init`, package main's `main`, or a function that every caller
 * in the package calls only from such code (it must not be exported outside package main, and
 * all its uses must be calls, or a command's action). Without the package's other files, the
 * file memlint has stands for the package; when memlint knows only some of them, it cannot
 * tell and says no.
 */
export function runsOnceAtStartup(node: GoNode, file: FileScope): boolean {
  return onceAt(node, file, { ranges: false, depth: 0, visiting: new Set() });
}

/**
 * Like {@link runsOnceAtStartup}, but `for … range` loops are allowed on the way: the code runs
 * only while the program sets itself up, perhaps once per item of a list (a registry filled by
 * a helper that init calls for each built-in). Other loops (`for {}`, a condition) still mean
 * it can run any number of times.
 */
/**
 * `info` for a finding at code that runs once per process (main or `init` outside loops, a
 * command-line action, start-up code): what it leaks, it leaks once, for the life of the process.
 */
export function infoOnceAtStartup(node: GoNode, file: FileScope): { severity?: "info" } {
  return runsOnceAtStartup(node, file) ? { severity: "info" } : {};
}

export function runsAtStartup(node: GoNode, file: FileScope): boolean {
  return onceAt(node, file, { ranges: true, depth: 0, visiting: new Set() });
}

interface Walk {
  /** Whether `for … range` loops keep the answer (start-up, not once). */
  ranges: boolean;
  depth: number;
  visiting: Set<string>;
}

function onceAt(node: GoNode, file: FileScope, walk: Walk): boolean {
  if (runsOncePerProcess(node, file)) return true;
  let prev = node;
  for (const a of node.ancestors()) {
    if (a.type === "for_statement" && prev.field === "body" && !(walk.ranges && a.namedChildren.some((c) => c.type === "range_clause"))) return false;
    if (a.type === "func_literal") {
      if (onceFunctionOf(a, file) || isCommandAction(a, file)) return true;
      if (!runsInline(a) && !goStatementOfLiteral(a) && !startedByGoMethod(a)) return false;
    } else if (a.type === "method_declaration") {
      return isServiceEntry(a, file);
    } else if (a.type === "function_declaration") {
      if (functionName(a) === "init" || isMainMain(a) || takesCommand(a, file)) return true;
      return walk.depth < MAX_CALLER_DEPTH && calledOnlyAtStartup(a, file, { ...walk, depth: walk.depth + 1 });
    } else if (a.type === "var_spec" && isPackageLevel(a)) {
      return true;
    }
    prev = a;
  }
  return false;
}

/**
 * Every use of the top-level function `fn` in the package is a call that runs once at start-up
 * (or names it as a command's action), and there is at least one.
 */
function calledOnlyAtStartup(fn: GoNode, file: FileScope, walk: Walk): boolean {
  const name = functionName(fn);
  if (!name || name === "_" || (isExported(name) && packageName(fn) !== "main")) return false;
  const key = `${file.path}:${name}`;
  if (walk.visiting.has(key)) return false;
  const siblings = file.siblingFiles();
  if (siblings && !siblings.complete) return false;
  walk.visiting.add(key);
  try {
    let uses = 0;
    for (const { file: where, node: decl } of file.packageDeclarationsMentioning(name)) {
      for (const id of decl.descendants("identifier")) {
        if (id.text !== name || declarationOf(id)) continue;
        if (id.field === "name" && id.parent?.type === "function_declaration") continue;
        // `{run: …}` names a field, not the function.
        if (id.parent?.type === "literal_element" && id.parent.field === "key") continue;
        uses++;
        if (isCommandActionReference(id, where)) continue;
        const call = id.parent;
        if (call?.type !== "call_expression" || id.field !== "function" || !onceAt(call, where, walk)) return false;
      }
    }
    return uses > 0;
  } finally {
    walk.visiting.delete(key);
  }
}

/**
 * The `Execute` method of a Windows service handler (`golang.org/x/sys/windows/svc`): `svc.Run`
 * calls it once, for the life of the service process.
 */
function isServiceEntry(method: GoNode, file: FileScope): boolean {
  if (functionName(method) !== "Execute" || !file.imports.has(WINDOWS_SVC)) return false;
  return parametersOf(method).some(({ type }) => type?.type === "channel_type" && file.imports.isType(type.namedChildren.at(-1), WINDOWS_SVC, "ChangeRequest"));
}

const WINDOWS_SVC = "golang.org/x/sys/windows/svc";

/** A `var_spec` at the top level of a file (not one in a function body). */
function isPackageLevel(spec: GoNode): boolean {
  for (const a of spec.ancestors()) {
    if (a.type === "source_file") return true;
    if (a.type === "block" || a.type === "func_literal") return false;
  }
  return true;
}

/** `var f = sync.OnceFunc(func() { … })` and its kin: the literal runs once when kept in a package-level variable. */
function onceFunctionOf(literal: GoNode, file: FileScope): boolean {
  let e = literal;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const args = e.parent;
  const call = args?.parent;
  if (args?.type !== "argument_list" || call?.type !== "call_expression" || !file.imports.match(call, "sync", ONCE_CONSTRUCTORS)) return false;
  let value = call;
  while (value.parent?.type === "parenthesized_expression") value = value.parent;
  const list = value.parent;
  if (list?.type === "expression_list" && list.parent?.type === "var_spec") return isPackageLevel(list.parent);
  if (list?.type === "expression_list" && list.field === "right" && list.parent?.type === "assignment_statement") {
    const target = unparen(list.parent.child("left")?.namedChildren[list.namedChildren.indexOf(value)]);
    return target?.type === "identifier" && !declarationOf(target) && file.packageLevel(target.text)?.type === "var_spec";
  }
  return false;
}

/** A func literal that is the `Action`/`RunE`/… of a command-line command: run once, when the command is invoked. */
function isCommandAction(literal: GoNode, file: FileScope): boolean {
  let e = literal;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  return isCommandActionReference(e, file);
}

/** `Action: run` (or a literal) in a composite literal of a CLI package's `Command`. */
function isCommandActionReference(value: GoNode, file: FileScope): boolean {
  const element = value.parent;
  const keyed = element?.type === "literal_element" ? element.parent : undefined;
  if (keyed?.type !== "keyed_element" || keyed.child("value") !== element) return false;
  if (!CLI_ACTION_FIELDS.test(keyed.child("key")?.text ?? "")) return false;
  return isCommandLiteral(keyed.parent ?? undefined, file);
}

/** A `literal_value` of a `Command` of a CLI package: `&cli.Command{…}`, or an element of `[]*cli.Command{{…}}`. */
function isCommandLiteral(value: GoNode | undefined, file: FileScope): boolean {
  const owner = value?.parent;
  if (owner?.type === "composite_literal") return isCommandType(owner.child("type"), file);
  // An element of a slice or map literal: `[]*cli.Command{{Name: …, Action: …}}`.
  const outer = owner?.type === "literal_element" ? owner.parent : undefined;
  const composite = outer?.type === "literal_value" ? outer.parent : undefined;
  const type = composite?.type === "composite_literal" ? composite.child("type") : undefined;
  return (type?.type === "slice_type" || type?.type === "array_type") && isCommandType(type.child("element"), file);
}

/**
 * A func literal handed to a `Go` method (`g.Go(func() error {…})` of an errgroup, a
 * `sync.WaitGroup` or a pool): it runs once, in a goroutine of its own, like `go func(){…}()`.
 */
function startedByGoMethod(literal: GoNode): boolean {
  const args = literal.parent;
  const call = args?.type === "argument_list" ? args.parent : undefined;
  const fn = call?.type === "call_expression" ? unparen(call.child("function")) : undefined;
  return fn?.type === "selector_expression" && fn.child("field")?.text === "Go" && args!.namedChildren.length === 1;
}

/**
 * A function given the command being run (`c *cli.Command`, `c *cli.Context`, `cmd
 * *cobra.Command`): part of one invocation of a command-line tool, however it is reached (an
 * action may hand it to a helper of another package, `RunPipelineFunc(ctx, c, execFile)`).
 */
function takesCommand(fn: GoNode, file: FileScope): boolean {
  return parametersOf(fn).some(({ type }) => {
    const t = type?.type === "pointer_type" ? type.namedChildren[0] : undefined;
    return CLI_PACKAGES.some((path) => file.imports.isType(t, path, "Command") || (path.includes("urfave") && file.imports.isType(t, path, "Context")));
  });
}

function isCommandType(type: GoNode | undefined, file: FileScope): boolean {
  return CLI_PACKAGES.some((path) => file.imports.isType(type, path, "Command"));
}

/** The channels (as written) that `signal.Notify` registers in `functions`. */
export function signalChannels(functions: readonly GoNode[], file: FileScope): Set<string> {
  const registered = new Set<string>();
  if (!file.imports.has("os/signal")) return registered;
  for (const fn of functions) {
    for (const call of fn.descendants("call_expression")) {
      const channel = file.imports.match(call, "os/signal", ["Notify"]) ? unparen(call.child("arguments")?.namedChildren[0]) : undefined;
      if (channel) registered.add(channel.text);
    }
  }
  return registered;
}

/**
 * True when every value of the package's type `typeName` is made by start-up code (a package-level
 * variable's initializer, `init`, a constructor only such code calls): then something each value
 * starts once (`c.once.Do(func() { go c.loop() })`) runs once per process. A `new(T)` or a
 * variable of type T elsewhere counts as a value made elsewhere.
 */
export function madeOnlyAtStartup(typeName: string, file: FileScope): boolean {
  const siblings = file.siblingFiles();
  if (siblings && !siblings.complete) return false;
  let made = 0;
  for (const { file: where, node: decl } of file.packageDeclarationsMentioning(typeName)) {
    if (decl.type === "type_declaration") continue;
    for (const id of decl.descendants("type_identifier")) {
      if (id.text !== typeName) continue;
      let type: GoNode = id;
      while (type.parent?.type === "pointer_type") type = type.parent;
      const owner = type.parent;
      const makes =
        (owner?.type === "composite_literal" && type.field === "type") ||
        (owner?.type === "var_spec" && type.field === "type" && type === id) ||
        (owner?.type === "argument_list" && owner.parent?.type === "call_expression" && owner.parent.child("function")?.text === "new");
      if (!makes) continue;
      // `var _ I = &T{}` checks an interface at compile time; it makes one value, at start-up.
      if (!runsOnceAtStartup(owner!, where)) return false;
      made++;
    }
  }
  return made > 0;
}

/**
 * True when `loop` waits for process signals: it receives from a channel that `signal.Notify`
 * registers in one of `functions` (the goroutine, the function that starts it). A signal
 * handler serves the process, not a call: that it never returns is its job.
 */
export function receivesSignals(loop: GoNode, functions: readonly GoNode[], file: FileScope): boolean {
  const registered = signalChannels(functions, file);
  if (registered.size === 0) return false;
  return loop.descendants("unary_expression").some((u) => u.child("operator")?.text === "<-" && registered.has(unparen(u.child("operand"))?.text ?? ""));
}
