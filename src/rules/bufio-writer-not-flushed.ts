import { cfgAround, type Cfg, type CfgEdge, type CfgNode } from "../analysis/cfg.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, helpersCalledBy, leakWhere, type ReleaseSpec, roleOf } from "../analysis/resources.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { insertLineAfter } from "../analysis/suggest.js";
import { bindingOfValue, callParts, callSummary, enclosingFunction, enclosingStatement, isInLoop, parametersOf, unparen } from "../analysis/syntax.js";
import type { Rule, RuleContext } from "../engine/types.js";

const BUFIO = ["NewWriter", "NewWriterSize"];
/** Writers and encoders that write into the buffered writer without flushing it (path.Name). */
const WRAPPERS = new Set([
  "compress/gzip.NewWriter", "compress/gzip.NewWriterLevel", "compress/zlib.NewWriter", "compress/zlib.NewWriterLevel",
  "compress/flate.NewWriter", "text/tabwriter.NewWriter", "io.MultiWriter", "encoding/base64.NewEncoder",
  "encoding/hex.NewEncoder", "encoding/hex.Dumper", "encoding/pem.Encode",
]);

/** Flushing releases the buffered bytes; an error path may leave them (the write already failed). */
function spec(file: FileScope): ReleaseSpec {
  return {
    methods: ["Flush"],
    nonOwning: (call) => WRAPPERS.has(file.imports.qualifiedName(call) ?? ""),
    settledBy: (edge) => isErrorBranch(edge) || returnsFailure(edge),
  };
}

const rule: Rule = {
  meta: {
    id: "bufio-writer-not-flushed",
    category: "contract",
    severity: "warning",
    title: "bufio.Writer never flushed",
    rationale:
      "A `bufio.Writer` keeps up to its buffer size (4 KiB by default) of what was written in memory and passes it on only when the buffer fills or `Flush` is called. A function that returns normally, or closes the file or connection underneath, without flushing silently loses the tail of its output: a truncated file, a response missing its end.",
    fix: "Call `w.Flush()` (and check its error) before returning or closing the destination; `defer w.Flush()` right after `bufio.NewWriter` when errors are handled elsewhere.",
    bad: `func writeReport(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, r := range rows {
		fmt.Fprintf(w, "%s\\t%d\\n", r.Name, r.Count)
	}
	return nil // the last few KiB never reach the file
}`,
    good: `func writeReport(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, r := range rows {
		fmt.Fprintf(w, "%s\\t%d\\n", r.Name, r.Count)
	}
	return w.Flush()
}`,
    suggestion: "partial",
    // A test that loses its output fails on its own assertions; test helpers write to throwaway buffers.
    inTests: "skip",
  },
  // `bufio.NewWriter…(…)` is a selector call that spells its name.
  triggers: BUFIO,
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      if (!ctx.file.imports.match(call, "bufio", BUFIO)) continue;
      const destination = destinationOf(call);
      const binding = bindingOfValue(call);
      const target = binding?.targets.length === 1 ? binding.targets[0] : undefined;
      if (target?.type === "identifier" && target.text !== "_") {
        const decl = declarationOf(target);
        if (decl) checkBound(ctx, call, decl, destination);
        continue;
      }
      if (!binding) checkInline(ctx, call, destination);
    }
  },
};

/** `w := bufio.NewWriter(f)`: flushed on every path that returns normally, and before `f` is closed. */
function checkBound(ctx: RuleContext, call: GoNode, decl: GoNode, destination: GoNode | undefined): void {
  const cfg = cfgAround(call);
  const fn = enclosingFunction(call);
  const start = cfg?.nodeOf(call);
  if (!cfg || !fn || !start) return;
  const w = decl.text;
  const flushes = new Set<CfgNode>();
  for (const use of referencesOf(decl)) {
    const node = use.within(fn) ? cfg.nodeOf(use) : undefined;
    if (node && roleOf(use, ctx.file, spec(ctx.file), fn, 2) === "release") flushes.add(node);
  }
  const closed = destination ? closeBeforeFlush(cfg, start, destination, flushes) : undefined;
  if (closed) {
    ctx.report({
      node: call,
      message: `\`${destination!.text}\` is ${closedAt(ctx, closed)} while \`${w}\` may still hold buffered bytes for it: they are lost. Call \`${w}.Flush()\` (and check its error) before closing \`${destination!.text}\`.`,
      related: [{ node: closed.node, message: `closed before \`${w}\` is flushed` }],
    });
    return;
  }
  const account = accountFor(decl, call, ctx.file, spec(ctx.file));
  if (account.kind !== "leaks") return;
  const stmt = enclosingStatement(call);
  const suggest = !account.partly && stmt?.type === "short_var_declaration" && !isInLoop(stmt) && !(destination && closesExplicitly(fn, destination));
  ctx.report({
    node: call,
    message: account.partly
      ? `\`${w}\` from \`${callSummary(call)}\` is not flushed ${leakWhere(account.end, ctx.lineOf)}: whatever it still buffers there never reaches the destination. Flush it on that path too (and check the error).`
      : `\`${w}\` from \`${callSummary(call)}\` is never flushed: up to a buffer's worth of what was written to it never reaches the destination. Call \`${w}.Flush()\` before returning and check its error.`,
    related: account.partly ? [{ node: account.end.node, message: `returns without flushing \`${w}\`` }] : [],
    ...(suggest && stmt ? { suggestion: insertLineAfter(ctx, stmt, `defer ${w}.Flush()`) } : {}),
  });
}

/**
 * `json.NewEncoder(bufio.NewWriter(f))`, `Config{Out: bufio.NewWriter(f)}`: the writer has no
 * name here, so nothing in this function can flush it; when the function then closes `f`, what
 * the writer still buffers is lost for sure.
 */
function checkInline(ctx: RuleContext, call: GoNode, destination: GoNode | undefined): void {
  if (!destination || flushedByHelper(call, ctx.file) || flushedThroughField(call, ctx.file)) return;
  const cfg = cfgAround(call);
  const start = cfg?.nodeOf(call);
  if (!cfg || !start) return;
  const closed = closeBeforeFlush(cfg, start, destination, new Set());
  if (!closed) return;
  const name = destination.text;
  ctx.report({
    node: call,
    message: `\`${callSummary(call)}\` is handed over without a name, so nothing here can flush it, and \`${name}\` is ${closedAt(ctx, closed)}: whatever the writer still buffers then is lost. Keep it in a variable and call \`Flush\` before closing \`${name}\`.`,
    related: [{ node: closed.node, message: `closes \`${name}\` under the unflushed writer` }],
  });
}

/** The local variable the writer writes to (`f` in `bufio.NewWriter(f)`), when it is one. */
function destinationOf(call: GoNode): GoNode | undefined {
  const arg = unparen(callParts(call).args[0]);
  return arg?.type === "identifier" && declarationOf(arg) ? arg : undefined;
}

/**
 * The first `dst.Close()` reached from the writer's creation on a path that flushes nothing (an
 * error branch aside): a close that runs now, or a deferred close (which runs at the return).
 */
function closeBeforeFlush(cfg: Cfg, start: CfgNode, destination: GoNode, flushes: ReadonlySet<CfgNode>): { node: GoNode; deferred: boolean } | undefined {
  const decl = declarationOf(destination);
  if (!decl) return undefined;
  const closes = new Map<CfgNode, GoNode>();
  let deferred: GoNode | undefined;
  for (const use of referencesOf(decl)) {
    const sel = use.parent;
    if (sel?.type !== "selector_expression" || use.field !== "operand" || sel.child("field")?.text !== "Close" || !use.within(cfg.fn)) continue;
    const node = cfg.nodeOf(use);
    if (!node) continue;
    if (node.syntax.type === "defer_statement") deferred ??= use;
    else closes.set(node, use);
  }
  const writer = writerOf(start);
  const path = cfg.pathFrom(start, {
    target: (n) => closes.has(n) || (!!deferred && n === cfg.exit),
    blocks: (n) => flushes.has(n),
    skips: (edge) => isErrorBranch(edge) || returnsFailure(edge) || (!!writer && isNilBranch(edge, writer)),
  });
  if (!path) return undefined;
  const last = path[path.length - 1]!;
  const now = closes.get(last);
  return now ? { node: now, deferred: false } : deferred ? { node: deferred, deferred: true } : undefined;
}

/** Where the destination gets closed, for messages. */
function closedAt(ctx: RuleContext, close: { node: GoNode; deferred: boolean }): string {
  return close.deferred ? `closed by the \`defer\` at line ${ctx.lineOf(close.node)} when the function returns` : `closed at line ${ctx.lineOf(close.node)}`;
}

/** `dst.Close()` not deferred somewhere in the function. */
function closesExplicitly(fn: GoNode, destination: GoNode): boolean {
  const decl = declarationOf(destination);
  return (
    !!decl &&
    referencesOf(decl).some((use) => use.within(fn) && use.field === "operand" && use.parent?.child("field")?.text === "Close" && enclosingStatement(use)?.type !== "defer_statement")
  );
}

/**
 * `&Client{writer: bufio.NewWriter(conn)}` in a package that flushes that field somewhere
 * (`c.writer.Flush()`): the struct owns the writer, and its methods flush what they write.
 */
function flushedThroughField(call: GoNode, file: FileScope): boolean {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const keyed = e.parent?.type === "literal_element" && e.parent.field === "value" ? e.parent.parent : undefined;
  const key = keyed?.type === "keyed_element" ? keyed.child("key")?.text : undefined;
  return !!key && /^\w+$/.test(key) && file.packageContains(`.${key}.Flush()`);
}

/** The writer is passed straight to a package function that flushes that parameter. */
function flushedByHelper(call: GoNode, file: FileScope): boolean {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const args = e.parent;
  const consumer = args?.parent;
  if (args?.type !== "argument_list" || consumer?.type !== "call_expression") return false;
  const index = args.namedChildren.indexOf(e);
  return helpersCalledBy(consumer, file).some((helper) => {
    const param = parametersOf(helper)[index]?.name;
    return !!param && referencesOf(param).some((use) => use.parent?.type === "selector_expression" && use.parent.child("field")?.text === "Flush");
  });
}

/** The variable a writer's creation binds (`w` of `w := bufio.NewWriter(f)`), if any. */
function writerOf(start: CfgNode): GoNode | undefined {
  const call = start.syntax.descendants("call_expression").find((c) => callParts(c).name.startsWith("NewWriter"));
  const target = call ? bindingOfValue(call)?.targets[0] : undefined;
  return target ? (declarationOf(target) ?? target) : undefined;
}

/** The branch where the writer is nil (`if w != nil { w.Flush() }` skipped): never taken right after it was created. */
function isNilBranch(edge: CfgEdge, writer: GoNode): boolean {
  const cmp = nilComparison(edge);
  return !!cmp && cmp.subject.type === "identifier" && declarationOf(cmp.subject) === writer && cmp.nonNil !== (edge.kind === "true");
}

/** For the true or false edge of `x != nil` / `x == nil`: x, and whether x is non-nil on that edge's side of true. */
function nilComparison(edge: CfgEdge): { subject: GoNode; nonNil: boolean } | undefined {
  if (edge.from.kind !== "condition" || (edge.kind !== "true" && edge.kind !== "false")) return undefined;
  const cond = unparen(edge.from.syntax);
  if (cond?.type !== "binary_expression") return undefined;
  const op = cond.child("operator")?.text;
  if (op !== "!=" && op !== "==") return undefined;
  const left = unparen(cond.child("left"));
  const right = unparen(cond.child("right"));
  const subject = right?.type === "nil" ? left : left?.type === "nil" ? right : undefined;
  return subject ? { subject, nonNil: op === "!=" } : undefined;
}

/**
 * The edge into a return that reports a failure it makes up on the spot: `return fmt.Errorf(…)`,
 * `return nil, errors.New(…)`, `return errShortWrite`. (A plain `return err` may return nil.)
 */
function returnsFailure(edge: CfgEdge): boolean {
  const ret = edge.to.syntax;
  if (ret.type !== "return_statement" || edge.to.kind !== "statement") return false;
  const values = ret.namedChildren[0];
  const last = unparen(values?.type === "expression_list" ? values.namedChildren[values.namedChildren.length - 1] : values);
  if (last?.type === "identifier") return /^(err|Err)[A-Z0-9_]/.test(last.text);
  if (last?.type === "selector_expression") return /^Err[A-Z0-9_]/.test(last.child("field")?.text ?? "");
  if (last?.type !== "call_expression") return false;
  return /^(Errorf|New|Wrap|Wrapf|WithStack|WithMessage|WithMessagef|Join)$/.test(callParts(last).name) && /^(fmt|errors|pkgerrors|xerrors)$/.test(callParts(last).receiver?.text ?? "");
}

/**
 * The edge into the branch where an error is known: the true edge of `err != nil`, the false
 * edge of `err == nil`. A write failed there, and returning without flushing loses nothing more.
 */
function isErrorBranch(edge: CfgEdge): boolean {
  const cmp = nilComparison(edge);
  return !!cmp && cmp.subject.type === "identifier" && /(^err|Err$|err$)/.test(cmp.subject.text) && cmp.nonNil === (edge.kind === "true");
}

export default rule;
