/** Structural helpers over {@link GoNode}: function boundaries, loops, goroutines, statements, calls. */
import type { GoNode } from "./node.js";

const FUNCTION_TYPES = new Set(["function_declaration", "method_declaration", "func_literal"]);

/** A function boundary: a declaration, a method or a func literal. */
export function isFunction(node: GoNode): boolean {
  return FUNCTION_TYPES.has(node.type);
}

/** The nearest enclosing function boundary (not the node itself). */
export function enclosingFunction(node: GoNode): GoNode | undefined {
  // (Parent loops, not ancestors(): these run for nearly every node a rule looks at.)
  for (let a = node.parent; a; a = a.parent) if (isFunction(a)) return a;
  return undefined;
}

/** The outermost function: the top-level declaration around nested literals. */
export function outermostFunction(node: GoNode): GoNode | undefined {
  let fn: GoNode | undefined;
  for (let a = node.parent; a; a = a.parent) if (isFunction(a)) fn = a;
  return fn;
}

/** The `for` statements between a node and its function boundary whose body holds the node. */
export function enclosingLoops(node: GoNode): GoNode[] {
  const loops: GoNode[] = [];
  let prev = node;
  for (let a = node.parent; a; a = a.parent) {
    if (isFunction(a)) break;
    if (a.type === "for_statement" && prev.field === "body") loops.push(a);
    prev = a;
  }
  return loops;
}

export function isInLoop(node: GoNode): boolean {
  return enclosingLoops(node).length > 0;
}

/** For a func literal, the `go` statement that starts it (`go func(){…}()`), if any. */
export function goStatementOfLiteral(literal: GoNode): GoNode | undefined {
  const call = literal.parent;
  if (call?.type !== "call_expression" || literal.field !== "function") return undefined;
  return call.parent?.type === "go_statement" ? call.parent : undefined;
}

/** The function literal a `go` statement starts, when it starts one. */
export function goLiteral(goStmt: GoNode): GoNode | undefined {
  const call = goStmt.namedChildren[0];
  const fn = call?.type === "call_expression" ? unparen(call.child("function")) : undefined;
  return fn?.type === "func_literal" ? fn : undefined;
}

export function unparen(node: GoNode | undefined): GoNode | undefined {
  while (node?.type === "parenthesized_expression") node = node.namedChildren[0];
  return node;
}

/** The statements of a block (tree-sitter-go wraps them in a `statement_list`). */
export function statementsOf(block: GoNode | undefined): readonly GoNode[] {
  if (!block) return [];
  const list = block.type === "statement_list" ? block : block.childOfType("statement_list");
  return list ? list.namedChildren : [];
}

/** The statement (a direct child of a statement list) that contains the node. */
export function enclosingStatement(node: GoNode): GoNode | undefined {
  for (let n: GoNode | null = node; n; n = n.parent) {
    if (n.parent?.type === "statement_list") return n;
    if (n.parent && isFunction(n.parent)) return undefined;
  }
  return undefined;
}

/** Statements after `stmt` in its own statement list. */
export function followingStatements(stmt: GoNode): GoNode[] {
  const siblings = stmt.parent?.namedChildren ?? [];
  return siblings.slice(siblings.indexOf(stmt) + 1);
}

export interface CallParts {
  /** `a.b` in `a.b.Name(…)`, undefined for a plain call. */
  receiver: GoNode | undefined;
  /** The called name (`Name`), or "" for calls of other expressions. */
  name: string;
  args: readonly GoNode[];
}

export function callParts(call: GoNode): CallParts {
  const fn = unparen(call.child("function"));
  const args = call.child("arguments")?.namedChildren ?? [];
  if (fn?.type === "selector_expression") {
    return { receiver: fn.child("operand"), name: fn.child("field")?.text ?? "", args };
  }
  if (fn?.type === "identifier") return { receiver: undefined, name: fn.text, args };
  return { receiver: undefined, name: "", args };
}

/** The name a call spells for its callee (`F` of `pkg.F(…)`, `x.F(…)`, `F(…)`), or `""`; {@link callParts} without the rest. */
export function calleeName(call: GoNode): string {
  const fn = unparen(call.child("function"));
  if (fn?.type === "selector_expression") return fn.child("field")?.text ?? "";
  return fn?.type === "identifier" ? fn.text : "";
}

/** A plain call of a builtin or local function by name: `close(ch)`, `append(s, x)`. */
export function isPlainCall(node: GoNode, ...names: string[]): boolean {
  if (node.type !== "call_expression") return false;
  const fn = unparen(node.child("function"));
  return fn?.type === "identifier" && names.includes(fn.text);
}

/**
 * Statement kinds that never fall through to the next statement. Iterative (a worklist of the
 * statements that must all terminate), so deeply nested blocks cannot overflow the stack.
 */
export function isTerminating(stmt: GoNode | undefined): boolean {
  const pending: (GoNode | undefined)[] = [stmt];
  while (pending.length > 0) {
    const s = pending.pop();
    if (!s) return false;
    switch (s.type) {
      case "return_statement":
      case "goto_statement":
        continue;
      case "expression_statement": {
        const call = s.namedChildren[0];
        if (call?.type === "call_expression" && isExitCall(call)) continue;
        return false;
      }
      case "block":
        pending.push(lastStatement(s));
        continue;
      case "if_statement": {
        const alt = s.child("alternative");
        if (!alt) return false;
        pending.push(lastStatement(s.child("consequence")), alt.type === "block" ? lastStatement(alt) : alt);
        continue;
      }
      case "labeled_statement":
        pending.push(s.namedChildren[1]);
        continue;
      default:
        return false;
    }
  }
  return true;
}

/** `panic`, `os.Exit`, `log.Fatal*`, `runtime.Goexit` (by name; aliases are rare for these). */
function isExitCall(call: GoNode): boolean {
  const { receiver, name } = callParts(call);
  if (!receiver) return name === "panic";
  const pkg = receiver.text;
  return (
    (pkg === "os" && name === "Exit") ||
    (pkg === "runtime" && name === "Goexit") ||
    ((pkg === "log" || pkg === "klog" || pkg === "t" || pkg === "b") && /^(Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln|FailNow|SkipNow|Skip|Skipf)$/.test(name))
  );
}

/**
 * A call after which the goroutine does not continue: {@link isExitCall}, or a logger's
 * `Fatal*`/`Panic*` method (`logger.Fatalf(…)`, `zap.L().Fatal(…)`).
 */
export function isProcessExit(call: GoNode): boolean {
  if (isExitCall(call)) return true;
  const fn = unparen(call.child("function"));
  return fn?.type === "selector_expression" && /^(Fatal|Fatalf|Fatalln|Fatalw|Panic|Panicf|Panicln|Panicw)$/.test(fn.child("field")?.text ?? "");
}

/** The case clauses of a select or switch statement. */
export function branchesOf(stmt: GoNode): GoNode[] {
  return stmt.namedChildren.filter((c) => c.type === "communication_case" || c.type === "expression_case" || c.type === "type_case" || c.type === "default_case");
}

export function lastStatement(block: GoNode | undefined): GoNode | undefined {
  const stmts = statementsOf(block);
  return stmts[stmts.length - 1];
}

/** The identifiers of an expression list (`a, b` in `a, b := …`), `undefined` for non-identifiers. */
export function leftIdentifiers(list: GoNode | undefined): (GoNode | undefined)[] {
  if (!list) return [];
  const items = list.type === "expression_list" ? list.namedChildren : [list];
  return items.map((n) => (n.type === "identifier" ? n : undefined));
}

/** The value expressions on the right of an assignment or declaration. */
export function rightExpressions(list: GoNode | undefined): readonly GoNode[] {
  if (!list) return [];
  return list.type === "expression_list" ? list.namedChildren : [list];
}

/**
 * For an expression used as a value, the statement that binds it: `x := expr`, `x = expr`,
 * `var x = expr`. Returns the bound identifiers (positionally matched to the call's results).
 */
export function bindingOfValue(expr: GoNode): { statement: GoNode; targets: (GoNode | undefined)[] } | undefined {
  let e = expr;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const list = e.parent;
  if (list?.type !== "expression_list") return undefined;
  const stmt = list.parent;
  if (!stmt) return undefined;
  if ((stmt.type === "short_var_declaration" || stmt.type === "assignment_statement") && list.field === "right") {
    const op = stmt.child("operator")?.text ?? (stmt.type === "short_var_declaration" ? ":=" : "=");
    if (op !== "=" && op !== ":=") return undefined;
    return { statement: stmt, targets: leftIdentifiers(stmt.child("left")) };
  }
  if (stmt.type === "var_spec" && list.field === "value") {
    return { statement: stmt, targets: stmt.childrenOf("name") };
  }
  return undefined;
}

/** `x` in `x` or `&x` or `(x)`; otherwise undefined. */
export function rootIdentifier(expr: GoNode | undefined): GoNode | undefined {
  let e = unparen(expr);
  while (e && (e.type === "selector_expression" || e.type === "index_expression" || e.type === "slice_expression" || (e.type === "unary_expression" && /^[&*]$/.test(e.child("operator")?.text ?? "")))) {
    e = unparen(e.child("operand"));
  }
  return e?.type === "identifier" ? e : undefined;
}

/** The names of a function's parameters in order (variadic included), with their type nodes. */
export function parametersOf(fn: GoNode): { name: GoNode | undefined; type: GoNode | undefined; variadic: boolean }[] {
  const out: { name: GoNode | undefined; type: GoNode | undefined; variadic: boolean }[] = [];
  for (const decl of fn.child("parameters")?.namedChildren ?? []) {
    const variadic = decl.type === "variadic_parameter_declaration";
    const names = decl.childrenOf("name");
    const type = decl.child("type");
    if (names.length === 0) out.push({ name: undefined, type, variadic });
    for (const name of names) out.push({ name, type, variadic });
  }
  return out;
}

/** Whether Go exports a name: it starts with an upper-case letter (of any script). */
export function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

/** The name of a top-level function or method declaration ("" for literals). */
export function functionName(fn: GoNode): string {
  return fn.child("name")?.text ?? "";
}

/** Descendants (and the node itself) of the given types that belong to the node's own function, not to a nested func literal. */
export function ownDescendants(node: GoNode, ...types: string[]): GoNode[] {
  const out: GoNode[] = [];
  node.walk((n) => {
    if (n !== node && n.type === "func_literal") return false;
    if (types.includes(n.type)) out.push(n);
  });
  return out;
}

/** The package name of the file a node belongs to (from its `package` clause), if parsed. */
export function packageName(node: GoNode): string | undefined {
  let root = node;
  while (root.parent) root = root.parent;
  return root.childOfType("package_clause")?.namedChildren[0]?.text;
}

/** True for `func main()` of package main: the process's own lifetime. */
export function isMainMain(fn: GoNode): boolean {
  return fn.type === "function_declaration" && functionName(fn) === "main" && packageName(fn) === "main";
}

/**
 * True when the node runs once per process: in package main's `main` (directly or in a literal
 * it calls or starts) and in no loop. Something leaked there is leaked once, not per call.
 */
export function runsOnceInMain(node: GoNode): boolean {
  const top = outermostFunction(node);
  return !!top && isMainMain(top) && ![...node.ancestors()].some((a) => a.type === "for_statement");
}

/** The value of the keyed field `key` among a composite literal's elements (`Addr: addr` → `addr`). */
export function keyedValue(elements: readonly GoNode[], key: string): GoNode | undefined {
  const value = elements.find((e) => e.type === "keyed_element" && e.child("key")?.text === key)?.child("value");
  return unparen(value?.type === "literal_element" ? value.namedChildren[0] : value);
}

/** A call's text for messages: the whole call when short and on one line, else `fn(…)`. */
export function callSummary(call: GoNode, max = 48): string {
  const text = call.text;
  if (text.length <= max && !text.includes("\n")) return text;
  const fn = call.child("function")?.text ?? "";
  return fn.length <= max && !fn.includes("\n") ? `${fn}(…)` : "the call";
}

/**
 * Code quoted in a message by its first line: a multi-line statement or func literal shows
 * where it starts and ` …` for the rest (a trailing comment after `{` dropped), cut to `max`.
 */
export function firstLineOf(text: string, max = 80): string {
  const lines = text.split("\n");
  let line = lines[0]!.replace(/\{\s*\/\/.*$/, "{");
  if (lines.length > 1) line += " …";
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
