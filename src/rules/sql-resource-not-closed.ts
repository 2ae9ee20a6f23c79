import { loopCanExit } from "../analysis/control.js";
import type { GoNode } from "../analysis/node.js";
import { errorCheckAfter, fateOf } from "../analysis/resources.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callParts, callSummary, enclosingStatement, followingStatements, isFunction, isInLoop, runsOnceInMain } from "../analysis/syntax.js";
import { isDeclaredAs, type TypeSpec } from "../analysis/typing.js";
import type { Rule } from "../engine/types.js";

const SQLX = "github.com/jmoiron/sqlx";
const SQL_PACKAGES = ["database/sql", SQLX];
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
    skipsTests: false,
  },
  // Only `X.Query…(…)`/`X.Prepare…(…)` selector calls are examined: the method name is written at
  // the call, however the receiver's type is resolved (fields, package vars, constructors).
  triggers: [...QUERY, ...PREPARE],
  check(ctx) {
    const file = ctx.file;
    const sqlImported = SQL_PACKAGES.some((p) => file.imports.has(p));
    for (const call of ctx.nodes("call_expression")) {
      const { receiver, name } = callParts(call);
      const isQuery = QUERY.includes(name);
      if (!receiver || (!isQuery && !PREPARE.includes(name))) continue;
      // Package functions: only sqlx's `sqlx.NamedQuery(db, …)`, `sqlx.Preparex(db, …)`.
      const pkg = receiver.type === "identifier" ? file.imports.pathOf(receiver.text) : undefined;
      if (pkg && pkg !== SQLX) continue;
      const typed = pkg === SQLX || HANDLES.some((spec) => isDeclaredAs(receiver, file, spec));
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
      if (fateOf(decl, file, { methods: ["Close"] }).kind !== "unreleased") continue;
      const v = target.text;
      const stmt = enclosingStatement(call);
      const errCheck = stmt === binding.statement ? errorCheckAfter(stmt, binding.targets[1]) : undefined;
      const drained = isQuery && stmt === binding.statement && closesAtEnd(decl, stmt, errCheck);
      ctx.report({
        node: call,
        message: isQuery
          ? `\`${v}\` from \`${label}\` ${drained ? `is closed only because the \`for ${v}.Next()\` loop runs to the end; an early return or break added inside the loop would leave it open with its connection pinned` : "is never closed: its connection stays pinned and cannot return to the pool"}. Add \`defer ${v}.Close()\` after the error check.`
          : `Statement \`${v}\` from \`${label}\` is never closed: it stays prepared on the connections that used it. Add \`defer ${v}.Close()\` after the error check.`,
        // In `main`, outside loops, one connection is held once for the life of the process (precision audit).
        ...(runsOnceInMain(call) ? { severity: "info" as const } : drained ? { severity: "warning" as const } : {}),
        ...(errCheck && stmt && !isInLoop(stmt) ? { suggestion: insertLineAfter(ctx, errCheck, `defer ${v}.Close()`, stmt) } : {}),
      });
    }
  },
};

/** Some use `v.M(…)` with M in `methods`. */
function usedAs(decl: GoNode, methods: readonly string[]): boolean {
  return referencesOf(decl).some((use) => {
    const sel = use.parent;
    return sel?.type === "selector_expression" && use.field === "operand" && methods.includes(sel.child("field")?.text ?? "") && sel.parent?.type === "call_expression";
  });
}

/** The value is only ever discarded (`_ = rows`): the Query was used for its side effect. */
function onlyBlankUses(decl: GoNode): boolean {
  return referencesOf(decl).every((use) => {
    const stmt = use.parent?.parent;
    return stmt?.type === "assignment_statement" && use.parent?.field === "right" && stmt.child("left")?.text === "_";
  });
}

/**
 * True when the only way on from the query is one `for rows.Next()` loop in the same block that
 * nothing inside can leave early (no return, break or goto; exit calls end the goroutine anyway):
 * `Next` closes the rows when it returns false. Between the query and the loop only the error
 * check may leave.
 */
function closesAtEnd(decl: GoNode, stmt: GoNode, errCheck: GoNode | undefined): boolean {
  const loops = referencesOf(decl).flatMap((use) => {
    const sel = use.parent;
    const call = sel?.parent;
    if (sel?.type !== "selector_expression" || sel.child("field")?.text !== "Next" || call?.type !== "call_expression") return [];
    return call.parent?.type === "for_statement" && call.field === null ? [call.parent] : [];
  });
  const loop = loops[0];
  if (loops.length !== 1 || !loop || loop.parent !== stmt.parent) return false;
  const rest = followingStatements(stmt);
  const between = rest.slice(0, rest.indexOf(loop));
  return between.every((s) => s === errCheck || !canLeave(s)) && !loopCanExit(loop, { exitCalls: false });
}

/** A return or goto anywhere in the statement (nested func literals aside). */
function canLeave(stmt: GoNode): boolean {
  let leaves = false;
  stmt.walk((n) => {
    if (leaves || (n !== stmt && isFunction(n))) return false;
    if (n.type === "return_statement" || n.type === "goto_statement") leaves = true;
    return undefined;
  });
  return leaves;
}

export default rule;
