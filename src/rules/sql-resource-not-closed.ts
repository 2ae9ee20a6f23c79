import type { CfgEdge } from "../analysis/cfg.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, errorCheckAfter, leakWhere, returnsFresh } from "../analysis/resources.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callParts, callSummary, enclosingStatement, isInLoop, unparen } from "../analysis/syntax.js";
import { isDeclaredAs, type TypeSpec } from "../analysis/typing.js";
import { isNamedType, mayReturnNamed, resolveCall, resultTypeOf } from "../analysis/types.js";
import type { FileScope } from "../analysis/file.js";
import { infoOnceAtStartup } from "../analysis/startup.js";
import type { Rule } from "../engine/types.js";

const SQLX = "github.com/jmoiron/sqlx";
const SQL_PACKAGES = ["database/sql", SQLX];
const mayReturnRowsOrStatement = mayReturnNamed(SQL_PACKAGES.map((p) => [p, ["Rows", "Stmt"]] as const));
/** Methods (receiver-agnostic) whose first result is a rows iterator that must be closed. */
const QUERY = ["Query", "QueryContext", "Queryx", "QueryxContext", "NamedQuery", "NamedQueryContext"];
/** Methods whose first result is a prepared statement. */
const PREPARE = ["Prepare", "PrepareContext", "Preparex", "PreparexContext", "PrepareNamed", "PrepareNamedContext"];
/** What a rows value is used for; `Next` alone is enough evidence. */
const ROWS_USE = ["Next", "NextResultSet", "Scan", "StructScan", "MapScan", "SliceScan", "Columns", "ColumnTypes"];
const STMT_USE = ["Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext", "Queryx", "QueryRowx", "QueryxContext", "QueryRowxContext", "MustExec", "MustExecContext", "Get", "Select"];
/** Receivers we know are database handles. */
const HANDLES: readonly TypeSpec[] = [
  { path: "database/sql", names: ["DB", "Tx", "Conn", "Stmt"], constructors: ["database/sql.Open", "database/sql.OpenDB"] },
  {
    path: SQLX,
    names: ["DB", "Tx", "Conn", "Stmt", "NamedStmt"],
    constructors: [`${SQLX}.Open`, `${SQLX}.Connect`, `${SQLX}.ConnectContext`, `${SQLX}.MustOpen`, `${SQLX}.MustConnect`, `${SQLX}.NewDb`],
  },
];

const rule: Rule = {
  meta: {
    id: "sql-resource-not-closed",
    category: "leak-resource",
    severity: "error",
    title: "sql rows or statement never closed",
    rationale:
      "Open `*sql.Rows` pin the connection they were read from: until they are closed (or iterated to the end), that connection cannot go back to the pool. A prepared `*sql.Stmt` keeps server-side statements on every connection that used it. Leaking either drains the pool until queries block or the database refuses new connections.",
    fix: "Close rows and statements on every path, usually with `defer rows.Close()` right after the error check; check `rows.Err()` after the loop.",
    bad: `rows, err := db.QueryContext(ctx, "SELECT id FROM users WHERE team = $1", team)
if err != nil {
	return nil, err
}
for rows.Next() {
	if err := rows.Scan(&id); err != nil {
		return nil, err // rows stay open, the connection is pinned
	}
	ids = append(ids, id)
}`,
    good: `rows, err := db.QueryContext(ctx, "SELECT id FROM users WHERE team = $1", team)
if err != nil {
	return nil, err
}
defer rows.Close()
for rows.Next() {
	if err := rows.Scan(&id); err != nil {
		return nil, err
	}
	ids = append(ids, id)
}
return ids, rows.Err()`,
    suggestion: "partial",
    // In tests: connections a test leaks end with its process.
    inTests: "skip",
    equivalents: { golangci: ["sqlclosecheck"] },
  },
  // `X.Query…(…)`/`X.Prepare…(…)` selector calls, whose method name is written at the call however
  // the receiver's type is resolved, and calls of package helpers whose signature mentions `Rows`
  // or `Stmt`.
  triggers: (ctx) => [...QUERY, ...PREPARE, ...mayReturnRowsOrStatement.standardNames, ...ctx.functionsReturning("Rows"), ...ctx.functionsReturning("Stmt")],
  check(ctx) {
    const file = ctx.file;
    const sqlImported = SQL_PACKAGES.some((p) => file.imports.has(p));
    for (const call of ctx.nodes("call_expression")) {
      const { receiver, name } = callParts(call);
      const declared = declaredResult(call, file);
      const isQuery = declared ? declared === "rows" : QUERY.includes(name);
      if (!declared && (!receiver || (!isQuery && !PREPARE.includes(name)))) continue;
      // Package functions: only sqlx's `sqlx.NamedQuery(db, …)`, `sqlx.Preparex(db, …)`.
      const pkg = receiver?.type === "identifier" ? file.imports.pathOf(receiver.text) : undefined;
      if (pkg && pkg !== SQLX) continue;
      const typed = !!declared || pkg === SQLX || HANDLES.some((spec) => isDeclaredAs(receiver, file, spec));
      const binding = bindingOfValue(call);
      const target = binding?.targets[0];
      if (!binding || binding.targets.length !== 2 || !target) continue;
      const what = isQuery ? "rows" : "statement";
      const label = callSummary(call);
      if (target.text === "_") {
        if (!typed && !sqlImported) continue;
        ctx.report({
          node: call,
          message: `The ${what} from \`${label}\` ${isQuery ? "are" : "is"} discarded, so ${isQuery ? "they" : "it"} can never be closed: ${isQuery ? "their connection never returns to the pool. Use `Exec` for statements without results, or keep the rows and `defer rows.Close()`" : "the prepared statement stays allocated. Keep it and `defer stmt.Close()`"}.`,
        });
        continue;
      }
      const decl = declarationOf(target);
      if (!decl) continue;
      if (!usedAs(decl, isQuery ? ROWS_USE : STMT_USE) && !typed && !(sqlImported && onlyBlankUses(decl))) continue;
      if (!typed && rangedOverNext(decl)) continue;
      const account = accountFor(decl, call, file, { methods: ["Close"], settledBy: (edge, holders) => isQuery && exhausts(edge, holders) }, { err: binding.targets[1] });
      if (account.kind !== "leaks") continue;
      const v = target.text;
      const stmt = enclosingStatement(call);
      const errCheck = stmt === binding.statement && !account.partly ? errorCheckAfter(stmt, binding.targets[1]) : undefined;
      const where = account.partly ? leakWhere(account.end, ctx.lineOf) : undefined;
      ctx.report({
        node: call,
        message: isQuery
          ? `\`${v}\` from \`${label}\` ${where ? `is not closed ${where}` : "is never closed"}: its connection stays pinned and cannot return to the pool. Add \`defer ${v}.Close()\` after the error check.`
          : `Statement \`${v}\` from \`${label}\` ${where ? `is not closed ${where}` : "is never closed"}: it stays prepared on the connections that used it. Add \`defer ${v}.Close()\` after the error check.`,
        related: where ? [{ node: account.end.node, message: `leaves \`${v}\` open` }] : [],
        // Once per process (main outside loops, a command-line action, start-up code), one connection is held once for the life of the process (precision audit).
        ...infoOnceAtStartup(call, ctx.file),
        ...(errCheck && stmt && !isInLoop(stmt) ? { suggestion: insertLineAfter(ctx, errCheck, `defer ${v}.Close()`, stmt) } : {}),
      });
    }
  },
};

/** The edge on which `for rows.Next() { … }` ends by itself: `Next` has closed the rows when it returns false. */
function exhausts(edge: CfgEdge, holders: readonly GoNode[]): boolean {
  if (edge.kind !== "false" || edge.from.kind !== "condition") return false;
  const cond = unparen(edge.from.syntax);
  if (cond?.type !== "call_expression" || edge.from.syntax.parent?.type !== "for_statement") return false;
  const { receiver, name } = callParts(cond);
  const r = unparen(receiver);
  return name === "Next" && r?.type === "identifier" && holders.includes(declarationOf(r)!);
}

/**
 * `rows` or `statement` when the call is declared to return fresh `*sql.Rows`/`*sql.Stmt` (or
 * sqlx's): a package helper that queries (`s.listQuery(ctx)`), a package interface's method, a
 * standard call.
 */
function declaredResult(call: GoNode, file: FileScope): "rows" | "statement" | undefined {
  if (!mayReturnRowsOrStatement(call, file)) return undefined;
  const type = resultTypeOf(call, 0, file);
  if (!type) return undefined;
  const kind = SQL_PACKAGES.some((p) => isNamedType(type, p, ["Rows"])) ? "rows" : SQL_PACKAGES.some((p) => isNamedType(type, p, ["Stmt"])) ? "statement" : undefined;
  if (!kind) return undefined;
  // A helper that hands out rows it keeps (a field, a cache) does not give the caller anything to close.
  return type.kind !== "node" || resolveCall(call, file) === undefined || returnsFresh(call, 0, file, queries) ? kind : undefined;
}

/** A call that queries or prepares outside the package's own functions: `db.QueryContext(…)`, a package interface's `Query`. */
function queries(call: GoNode, file: FileScope): boolean {
  if (resolveCall(call, file)) return false;
  const { name } = callParts(call);
  return QUERY.includes(name) || PREPARE.includes(name) || declaredResult(call, file) !== undefined;
}

/** Some use `v.M(…)` with M in `methods`. */
function usedAs(decl: GoNode, methods: readonly string[]): boolean {
  return referencesOf(decl).some((use) => {
    const sel = use.parent;
    return sel?.type === "selector_expression" && use.field === "operand" && methods.includes(sel.child("field")?.text ?? "") && sel.parent?.type === "call_expression";
  });
}

/**
 * `for r := range res.Next()`: a `Next` that yields a channel (or an iterator) is not
 * `sql.Rows.Next`, which returns a bool — a datastore's or a search index's results.
 */
function rangedOverNext(decl: GoNode): boolean {
  return referencesOf(decl).some((use) => {
    const sel = use.parent;
    const call = sel?.parent;
    return sel?.type === "selector_expression" && use.field === "operand" && sel.child("field")?.text === "Next" && call?.type === "call_expression" && call.field === "right" && call.parent?.type === "range_clause";
  });
}

/** The value is only ever discarded (`_ = rows`): the Query was used for its side effect. */
function onlyBlankUses(decl: GoNode): boolean {
  return referencesOf(decl).every((use) => {
    const stmt = use.parent?.parent;
    return stmt?.type === "assignment_statement" && use.parent?.field === "right" && stmt.child("left")?.text === "_";
  });
}

export default rule;
