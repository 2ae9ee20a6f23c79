import { cfgOf, type CfgNode } from "../analysis/cfg.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { callParts, enclosingFunction, enclosingLoops, enclosingStatement, isFunction, statementsOf, unparen } from "../analysis/syntax.js";
import { isNamedType, typeOfDeclaration } from "../analysis/types.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";

/** Methods that append to a buffer. */
const WRITES = new Set(["Write", "WriteString", "WriteByte", "WriteRune", "ReadFrom"]);
/** Methods that empty a buffer, or consume what it holds (a `bytes.Buffer` read drains it). */
const EMPTIES = new Set(["Reset", "Truncate", "Read", "ReadByte", "ReadRune", "ReadBytes", "ReadString", "Next", "WriteTo"]);
/** Methods that read the contents without consuming them. */
const READS = new Set(["String", "Bytes"]);
/** Methods that neither change nor hand out the contents. */
const NEUTRAL = new Set(["Len", "Cap", "Available", "AvailableBuffer", "Grow", "UnreadByte", "UnreadRune"]);
/** Standard functions that write to their first argument (`fmt.Fprintf(&b, …)`), as `path.Name`. */
const WRITERS = new Set(["fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln", "io.WriteString", "io.Copy", "io.CopyN", "io.CopyBuffer", "encoding/binary.Write"]);
/** Methods that write to their first argument: templates and encoders built on the buffer. */
const WRITER_METHODS = new Set(["Execute", "ExecuteTemplate"]);
/** Calls that only inspect the contents they are given (a check on what has accumulated so far, not an output). */
const INSPECTORS = new Set(["Contains", "ContainsAny", "ContainsRune", "HasPrefix", "HasSuffix", "Index", "IndexByte", "IndexAny", "LastIndex", "LastIndexByte", "Count", "Equal", "EqualFold", "Compare", "Valid", "ValidString", "RuneCount", "RuneCountInString"]);

type Role = "write" | "empty" | "read" | "neutral" | "unknown";

const rule: Rule = {
  meta: {
    id: "buffer-reuse-without-reset",
    category: "retention",
    severity: "warning",
    title: "buffer reused across iterations without a reset",
    rationale:
      "A `bytes.Buffer` or `strings.Builder` keeps everything written to it until it is reset. Declared outside a loop, written in each iteration and read back with `String()` or `Bytes()`, it hands every iteration the output of all the earlier ones too: the result repeats old content, and the buffer (and each copy taken from it) grows with every iteration.",
    fix: "Call `buf.Reset()` at the start of each iteration (or after the contents are used), or declare the buffer inside the loop.",
    bad: `var buf bytes.Buffer
for _, ev := range events {
	fmt.Fprintf(&buf, "%s %s\\n", ev.Time, ev.Msg)
	out.Write(buf.Bytes()) // also writes every earlier event again
}`,
    good: `var buf bytes.Buffer
for _, ev := range events {
	buf.Reset()
	fmt.Fprintf(&buf, "%s %s\\n", ev.Time, ev.Msg)
	out.Write(buf.Bytes())
}`,
    suggestion: "partial",
    // A test that repeats output this way fails its own assertions; no need to report it twice.
    inTests: "skip",
  },
  // The buffer is declared in the function under analysis by its type or constructor, or comes from a package helper.
  triggers: (ctx) => ["Buffer", "Builder", "NewBuffer", "NewBufferString", ...ctx.functionsReturning("Buffer"), ...ctx.functionsReturning("Builder")],
  check(ctx) {
    const file = ctx.file;
    const seen = new Set<GoNode>();
    for (const call of ctx.nodes("call_expression")) {
      const { receiver, name } = callParts(call);
      const buf = unparen(receiver);
      if (!READS.has(name) || buf?.type !== "identifier" || callParts(call).args.length !== 0) continue;
      const decl = declarationOf(buf);
      if (!decl || seen.has(decl)) continue;
      seen.add(decl);
      if (!isBuffer(decl, file)) continue;
      const finding = accumulatingRead(decl, file);
      if (!finding) continue;
      const { read, write, loop } = finding;
      const b = decl.text;
      const suggestion = resetSuggestion(ctx, decl, loop);
      ctx.report({
        node: read,
        message: `\`${read.text}\` reads \`${b}\`, which the loop at line ${ctx.lineOf(loop)} writes to (\`${brief(write)}\`) and never resets: each iteration gets back everything the earlier ones wrote, so the output repeats old content and \`${b}\` grows with every iteration. Call \`${b}.Reset()\` at the start of the iteration.`,
        related: [{ node: write, message: `\`${b}\` is written here, in the loop` }],
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

function isBuffer(decl: GoNode, file: FileScope): boolean {
  const t = typeOfDeclaration(decl, file);
  return isNamedType(t, "bytes", ["Buffer"]) || isNamedType(t, "strings", ["Builder"]);
}

/**
 * A read of the buffer's contents used as this iteration's output, on a cycle of the graph that
 * also writes to the buffer and passes nothing that empties it: the next round reads the old
 * contents again. Undefined when every use is understood and no such cycle exists, or when the
 * buffer is used in a way this rule does not follow (aliased, handed to unknown code).
 */
function accumulatingRead(decl: GoNode, file: FileScope): { read: GoNode; write: GoNode; loop: GoNode } | undefined {
  const fn = enclosingFunction(decl);
  const cfg = fn && cfgOf(fn);
  if (!fn || !cfg) return undefined;
  const empties = new Set<CfgNode>();
  const writes = new Map<CfgNode, GoNode>();
  const reads = new Map<CfgNode, GoNode>();
  const declNode = cfg.nodeOf(decl);
  if (declNode) empties.add(declNode);
  for (const use of referencesOf(decl)) {
    const role = roleOf(use, file);
    if (role === "unknown") return undefined;
    // A deferred or goroutine use does not run where it is written.
    const stmt = enclosingStatement(use);
    if (stmt?.type === "defer_statement" || stmt?.type === "go_statement" || enclosingFunction(use) !== fn) {
      if (role === "write" || role === "read") continue;
      return undefined;
    }
    const node = cfg.nodeOf(use);
    if (!node || role === "neutral") continue;
    if (role === "empty") empties.add(node);
    else if (role === "write" && !writes.has(node)) writes.set(node, enclosingCall(use));
    else if (role === "read" && !reads.has(node) && isOutput(enclosingCall(use), file)) reads.set(node, enclosingCall(use));
  }
  for (const [r, read] of reads) {
    if (empties.has(r)) continue;
    const toWrite = cfg.pathFrom(r, { target: (n) => writes.has(n), blocks: (n) => empties.has(n) });
    const w = toWrite?.[toWrite.length - 1];
    if (!w || cfg.pathFrom(w, { target: (n) => n === r, blocks: (n) => empties.has(n) }) === undefined) continue;
    const loop = enclosingLoops(read).find((l) => !decl.within(l) && w.syntax.within(l));
    // A loop that resets the buffer on some of its paths accumulates on the others on purpose (a tokenizer's current word).
    if (loop && ![...empties].some((n) => n.syntax.within(loop))) return { read, write: writes.get(w)!, loop };
  }
  return undefined;
}

/** What one use of the buffer variable does to its contents. */
function roleOf(use: GoNode, file: FileScope): Role {
  let e: GoNode = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (!p) return "unknown";
  if (p.type === "selector_expression" && e.field === "operand") {
    const method = p.child("field")?.text ?? "";
    if (p.parent?.type !== "call_expression" || p.field !== "function") return "unknown";
    if (WRITES.has(method)) return "write";
    if (EMPTIES.has(method)) return "empty";
    if (READS.has(method)) return "read";
    return NEUTRAL.has(method) ? "neutral" : "unknown";
  }
  // `b = bytes.Buffer{}`, `*b = …`: a fresh buffer.
  if (isAssignedTo(e) || (p.type === "unary_expression" && p.child("operator")?.text === "*" && isAssignedTo(p))) return "empty";
  // `&b` or `b` handed to a writer.
  const arg = p.type === "unary_expression" && p.child("operator")?.text === "&" ? p : e;
  const list = arg.parent;
  if (list?.type === "argument_list") {
    const call = list.parent!;
    const index = list.namedChildren.indexOf(arg);
    const qualified = file.imports.qualifiedName(call);
    if (index === 0 && ((qualified && WRITERS.has(qualified)) || WRITER_METHODS.has(callParts(call).name))) return "write";
    if (index === 0 && file.imports.match(call, "encoding/json", ["NewEncoder"])) return "write";
    // `io.Copy(w, &b)` drains it; anything else may reset it: stay out of the way.
    return "unknown";
  }
  return "unknown";
}

function isAssignedTo(e: GoNode): boolean {
  const list = e.parent;
  return list?.type === "expression_list" && list.field === "left" && list.parent?.type === "assignment_statement" && list.parent.child("operator")?.text === "=";
}

/** The call a use belongs to: `b.WriteString(x)` for `b`, `fmt.Fprintf(&b, …)` for `b`. */
function enclosingCall(use: GoNode): GoNode {
  for (const a of use.ancestors()) if (a.type === "call_expression") return a;
  return use;
}

/**
 * The contents read are this iteration's output: written, sent, stored, appended or passed on —
 * not just inspected (`bytes.HasSuffix(b.Bytes(), sep)` checks what has accumulated, on purpose),
 * compared or measured.
 */
function isOutput(read: GoNode, file: FileScope, depth = 1): boolean {
  let e = read;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === "binary_expression") return p.child("operator")?.text === "+" && isOutput(p, file, depth);
  if (p.type === "argument_list") {
    const call = p.parent!;
    const { name } = callParts(call);
    if (name === "len" || name === "cap" || INSPECTORS.has(name)) return false;
    if (isConversion(call)) return isOutput(call, file, depth);
    return true;
  }
  if (p.type === "expression_list" && p.field === "right") {
    const stmt = p.parent;
    const target = unparen(stmt?.child("left")?.namedChildren[p.namedChildren.indexOf(e)]);
    if (target?.type !== "identifier") return true;
    if (target.text === "_") return false;
    const local = stmt?.type === "short_var_declaration" ? target : declarationOf(target);
    if (!local) return true;
    return depth > 0 && referencesOf(local).some((u) => u !== target && isOutput(u, file, depth - 1));
  }
  return p.type === "send_statement" || p.type === "literal_element" || p.type === "keyed_element" || p.type === "return_statement" || (p.type === "expression_list" && p.parent?.type === "return_statement");
}

/** `string(b.Bytes())`, `[]byte(s)`: a conversion keeps the contents. */
function isConversion(call: GoNode): boolean {
  const fn = unparen(call.child("function"));
  return (fn?.type === "identifier" && (fn.text === "string" || fn.text === "[]byte") && !declarationOf(fn)) || fn?.type === "slice_type";
}

/**
 * Insert `b.Reset()` as the first statement of the loop body, when the loop's `{` is on its first
 * line and nothing is written to the buffer before the loop (so emptying it each round loses nothing).
 */
function resetSuggestion(ctx: RuleContext, decl: GoNode, loop: GoNode): Suggestion | undefined {
  const body = loop.child("body");
  const first = statementsOf(body)[0];
  if (!body || !first || ctx.lineOf(body) !== ctx.lineOf(loop) || ctx.lineOf(first) === ctx.lineOf(loop)) return undefined;
  const before = referencesOf(decl).filter((u) => u.end <= loop.start);
  if (before.some((u) => roleOf(u, ctx.file) !== "neutral") || !ctx.lineText(ctx.lineOf(loop)).trimEnd().endsWith("{")) return undefined;
  if ([...loop.ancestors()].some((a) => isFunction(a) && a !== enclosingFunction(decl))) return undefined;
  const line = ctx.lineOf(loop);
  const indent = /^[ \t]*/.exec(ctx.lineText(ctx.lineOf(first)))?.[0] ?? "";
  return { startLine: line, endLine: line, replacement: `${ctx.lineText(line)}\n${indent}${decl.text}.Reset()` };
}

function brief(node: GoNode): string {
  const text = node.text.replace(/\s*\n\s*/g, " ");
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}

export default rule;
