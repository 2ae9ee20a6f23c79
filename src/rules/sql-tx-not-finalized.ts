import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, errorCheckAfter, leakWhere, returnsFresh } from "../analysis/resources.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callParts, callSummary, enclosingStatement, isInLoop } from "../analysis/syntax.js";
import { isDeclaredAs, type TypeSpec } from "../analysis/typing.js";
import { isNamedType, mayReturnNamed, resolveCall, resultTypeOf } from "../analysis/types.js";
import { infoOnceAtStartup } from "../analysis/startup.js";
import type { Rule } from "../engine/types.js";

const SQLX = "github.com/jmoiron/sqlx";
/** Methods that start a transaction (database/sql, sqlx, and the same names elsewhere: pgx, bbolt). */
const BEGIN = ["Begin", "BeginTx", "Beginx", "BeginTxx", "MustBegin", "MustBeginTx"];
/** Either ends the transaction and gives its connection back to the pool (beego's ORM adds one that does both). */
const FINALIZE = ["Commit", "Rollback", "RollbackUnlessCommit"];
/** Handles whose `Begin…` starts a database transaction. */
const HANDLES: readonly TypeSpec[] = [
  { path: "database/sql", names: ["DB", "Conn"], constructors: ["database/sql.Open", "database/sql.OpenDB"] },
  { path: SQLX, names: ["DB", "Conn"], constructors: [`${SQLX}.Open`, `${SQLX}.Connect`, `${SQLX}.ConnectContext`, `${SQLX}.MustOpen`, `${SQLX}.MustConnect`, `${SQLX}.NewDb`] },
];

const rule: Rule = {
  meta: {
    id: "sql-tx-not-finalized",
    category: "leak-resource",
    severity: "warning",
    title: "transaction neither committed nor rolled back",
    rationale:
      "A transaction holds one connection of the pool, and the database holds its locks, until `Commit` or `Rollback` ends it. A return path that does neither leaves the connection checked out (until the context passed to `BeginTx` ends, if ever) and the rows it touched locked; a few such paths drain the pool and every later query waits.",
    fix: "Add `defer tx.Rollback()` right after the error check of `Begin`: it ends the transaction on every early return and is a no-op after a successful `Commit`.",
    bad: `tx, err := db.BeginTx(ctx, nil)
if err != nil {
	return err
}
if _, err := tx.ExecContext(ctx, debit, from, amount); err != nil {
	return err // the transaction stays open
}
return tx.Commit()`,
    good: `tx, err := db.BeginTx(ctx, nil)
if err != nil {
	return err
}
defer tx.Rollback()
if _, err := tx.ExecContext(ctx, debit, from, amount); err != nil {
	return err
}
return tx.Commit()`,
    suggestion: "partial",
    // Tests leave transactions open on purpose (to exercise isolation, locks, mocks), and their pool dies with the test binary.
    inTests: "skip",
  },
  // `X.Begin…(…)` spells its method name at the call; package helpers that start one mention `Tx` in their signature.
  triggers: (ctx) => [...BEGIN, ...mayBeTxType.standardNames, ...ctx.functionsReturning("Tx")],
  check(ctx) {
    const file = ctx.file;
    for (const call of ctx.nodes("call_expression")) {
      if (!startsTransaction(call, file)) continue;
      const binding = bindingOfValue(call);
      const target = binding?.targets[0];
      // `tx, err := …`, or sqlx's `MustBegin` that panics instead (gorm's single-result `Begin` reports its error on the value).
      const arity = /^Must/.test(callParts(call).name) ? 1 : 2;
      if (!binding || !target || target.text === "_" || binding.targets.length !== arity) continue;
      const decl = declarationOf(target);
      if (!decl) continue;
      const err = binding.targets.length === 2 ? binding.targets[1] : undefined;
      // Untyped receivers: the value must be used as a transaction.
      if (!typedTransaction(call, file) && !usedAs(decl, FINALIZE)) continue;
      const account = accountFor(decl, call, file, { methods: FINALIZE }, { err });
      if (account.kind !== "leaks") continue;
      const v = target.text;
      const label = callSummary(call);
      const stmt = enclosingStatement(call);
      const check = stmt === binding.statement && !isInLoop(stmt) ? errorCheckAfter(stmt, err) : undefined;
      ctx.report({
        node: call,
        ...infoOnceAtStartup(call, ctx.file),
        message: account.partly
          ? `Transaction \`${v}\` from \`${label}\` is neither committed nor rolled back ${leakWhere(account.end, ctx.lineOf)}: on that path it keeps its pooled connection and its locks. Add \`defer ${v}.Rollback()\` after the error check (a no-op once \`Commit\` has succeeded).`
          : `Transaction \`${v}\` from \`${label}\` is never committed or rolled back: it keeps its pooled connection and its locks. Commit it, and add \`defer ${v}.Rollback()\` after the error check.`,
        related: account.partly ? [{ node: account.end.node, message: `leaves \`${v}\` open` }] : [],
        ...(check && stmt ? { suggestion: insertLineAfter(ctx, check, `defer ${v}.Rollback()`, stmt) } : {}),
      });
    }
  },
};

/** `X.Begin…(…)` on something other than an imported package, or a package helper declared to return a fresh `*sql.Tx`. */
function startsTransaction(call: GoNode, file: FileScope): boolean {
  const { receiver, name } = callParts(call);
  if (receiver && BEGIN.includes(name)) {
    if (receiver.type === "identifier" && file.imports.pathOf(receiver.text) && !declarationOf(receiver)) return false;
    return !resolveCall(call, file) || returnsFresh(call, 0, file, isStandardBegin);
  }
  return mayBeTxType(call, file) && isTxType(resultTypeOf(call, 0, file)) && !!resolveCall(call, file) && returnsFresh(call, 0, file, isStandardBegin);
}

/** The transaction's type is known: a `Begin` on a database handle, or a result declared as a `*sql.Tx`. */
function typedTransaction(call: GoNode, file: FileScope): boolean {
  const { receiver } = callParts(call);
  return isTxType(resultTypeOf(call, 0, file)) || HANDLES.some((spec) => isDeclaredAs(receiver, file, spec));
}

function isTxType(type: ReturnType<typeof resultTypeOf>): boolean {
  return isNamedType(type, "database/sql", ["Tx"]) || isNamedType(type, SQLX, ["Tx"]);
}

/** Whether {@link isTxType} may hold of the call's result, told from its name. */
const mayBeTxType = mayReturnNamed([
  ["database/sql", ["Tx"]],
  [SQLX, ["Tx"]],
]);

/** A standard `Begin` (for package helpers that return what it gave them): a `Begin…` the package does not declare. */
function isStandardBegin(call: GoNode, file: FileScope): boolean {
  const { receiver, name } = callParts(call);
  return !!receiver && BEGIN.includes(name) && !resolveCall(call, file);
}

/** Some use `v.M(…)` (or `defer v.M()`) with M in `methods`. */
function usedAs(decl: GoNode, methods: readonly string[]): boolean {
  return referencesOf(decl).some((use) => {
    const sel = use.parent;
    return sel?.type === "selector_expression" && use.field === "operand" && methods.includes(sel.child("field")?.text ?? "");
  });
}

export default rule;
