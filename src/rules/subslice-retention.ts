import { constantInt } from "../analysis/constants.js";
import { outlivesCall } from "../analysis/escape.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { assignmentsTo, declarationOf, initializerOf, referencesOf } from "../analysis/scope.js";
import { callParts, callSummary, isPlainCall, outermostFunction, unparen } from "../analysis/syntax.js";
import { isDeclaredAs, type TypeSpec } from "../analysis/typing.js";
import type { RuleContext, Suggestion } from "../engine/types.js";
import type { Rule } from "../engine/types.js";
import { hasWord, maySlice } from "../analysis/text-shapes.js";

/** Calls that return a whole input or file in one freshly allocated slice. */
const WHOLE_READS = new Set(["io.ReadAll", "io/ioutil.ReadAll", "os.ReadFile", "io/ioutil.ReadFile"]);
/** The trigger words that name a big source by themselves (`make` needs its `[]byte`). */
const WHOLE_WORDS = ["ReadAll", "ReadFile", "Bytes"];
const MAKE_BYTES = /make\s*\(\s*\[\s*\]\s*(?:byte|uint8)(?![\p{L}\p{N}_])/u;
/** `make([]byte, N)` counts as big from 64 KiB on. */
const BIG_MAKE = 64 << 10;
/** How many local variables a sub-slice is followed through (`body := data[4:]`, `line := body[:i]`, …). */
const HOPS = 3;
const BYTES_BUFFER: TypeSpec = { path: "bytes", names: ["Buffer"], constructors: ["bytes.NewBuffer", "bytes.NewBufferString"] };

type Kind = "bytes" | "string";

/** A big buffer: its kind and the expression that allocated it. */
interface Big {
  kind: Kind;
  source: GoNode;
  /** The local variable that holds the whole buffer, when there is one. */
  holder?: GoNode;
}

const rule: Rule = {
  meta: {
    id: "subslice-retention",
    category: "retention",
    severity: "warning",
    title: "small sub-slice pins a large buffer",
    rationale:
      "Slicing a []byte or a string does not copy: the result points into the original backing array. When a few bytes cut from a large buffer (a whole request body, a file, a 64 KiB read buffer) are kept in a struct field, a package-level variable or a channel, the GC must keep the entire buffer alive for as long as that small piece is reachable. Many such pieces multiply the heap by the ratio of buffer size to piece size.",
    fix: "Copy the piece before storing it: bytes.Clone(b[i:j]) or strings.Clone(s[i:j]) (or string(b[i:j]), which copies), so the large buffer can be collected.",
    bad: `func (c *Cache) load(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	c.header = data[:64] // keeps the whole file in memory
	return nil
}`,
    good: `func (c *Cache) load(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	c.header = bytes.Clone(data[:64])
	return nil
}`,
    suggestion: "yes",
    // In tests: what a test retains is freed when its process exits.
    inTests: "skip",
  },
  // A finding needs a big source in its own function (locals only): `io.ReadAll`/`os.ReadFile` (any alias),
  // `make([]byte, N)`, `buf.Bytes()`, or `string(…)` of one of these.
  triggers: ["ReadAll", "ReadFile", "make", "Bytes"],
  // Every finding stores a slice expression (or a variable assigned one, in the same function);
  // `make` counts only as `make([]byte, …)`.
  triggerTest: (text) => maySlice(text) && (WHOLE_WORDS.some((w) => hasWord(text, w)) || MAKE_BYTES.test(text)),
  check(ctx) {
    const file = ctx.file;
    for (const stmt of ctx.nodes("assignment_statement", "send_statement")) {
      if (stmt.type === "send_statement") {
        const value = stmt.child("value");
        const channel = stmt.child("channel")?.text ?? "the channel";
        if (value) checkStore(ctx, stmt, value, `whoever receives from \`${channel}\` keeps`, undefined);
        continue;
      }
      if ((stmt.child("operator")?.text ?? "=") !== "=") continue;
      const lefts = stmt.child("left")?.namedChildren ?? [];
      const rights = stmt.child("right")?.namedChildren ?? [];
      if (lefts.length !== rights.length) continue;
      lefts.forEach((left, i) => {
        // Only a value that may hold a sub-slice makes the target worth resolving.
        if (storedValues(rights[i]!).length === 0 || !outlivesCall(left, file)) return;
        checkStore(ctx, stmt, rights[i]!, `\`${left.text}\` keeps`, left);
      });
    }
  },
};

/** Reports the first sub-slice of a big buffer among the values a store keeps. */
function checkStore(ctx: RuleContext, stmt: GoNode, value: GoNode, holder: string, left: GoNode | undefined): void {
  for (const candidate of storedValues(value)) {
    // `x = x[:n]`: the value already lived there.
    if (left && candidate.type === "slice_expression" && unparen(candidate.child("operand"))?.text === left.text) continue;
    const big = subslice(candidate, ctx.file, HOPS);
    if (!big) continue;
    // `msg.Body = data; msg.Header = data[:n]`: the whole buffer is kept anyway.
    if (big.holder && keptWhole(big.holder, ctx.file)) continue;
    const piece = `\`${candidate.text}\` ${candidate.type === "identifier" ? "holds" : "is"} a sub-slice of`;
    const clone = big.kind === "bytes" ? "bytes.Clone" : "strings.Clone";
    const suggestion = wrapSuggestion(ctx, candidate, big.kind);
    ctx.report({
      node: stmt,
      message: `${piece} the ${big.kind === "string" ? "large string" : "whole buffer"} from \`${callSummary(big.source, 60)}\`, sharing its backing array: ${holder} the entire ${big.kind === "string" ? "string" : "buffer"} alive, not just the piece. Store a copy (\`${clone}(…)\`).`,
      related: [{ node: big.source, message: "the large buffer is allocated here" }],
      ...(suggestion ? { suggestion } : {}),
    });
    return;
  }
}

/**
 * The expressions a store keeps: the value itself, the elements appended by `append(dst, v…)`
 * (a spread `v...` copies and is skipped), and the fields of a composite literal, one level deep.
 */
function storedValues(value: GoNode): GoNode[] {
  const out: GoNode[] = [];
  const add = (e: GoNode | undefined, literalLevel: boolean) => {
    let v = unparen(e);
    if (!v) return;
    if (v.type === "unary_expression" && v.child("operator")?.text === "&") v = unparen(v.child("operand"));
    if (!v) return;
    if (v.type === "composite_literal" && literalLevel) {
      for (const el of v.child("body")?.namedChildren ?? []) {
        const inner = el.type === "keyed_element" ? el.child("value") : el;
        add(inner?.namedChildren[0], false);
      }
      return;
    }
    if (v.type === "slice_expression" || v.type === "identifier") out.push(v);
  };
  const v = unparen(value);
  if (v?.type === "call_expression" && isPlainCall(v, "append")) {
    for (const arg of callParts(v).args.slice(1)) if (arg.type !== "variadic_argument") add(arg, true);
  } else {
    add(value, true);
  }
  return out;
}

/** A sub-slice of a big buffer: `big[i:j]`, or a local variable that always holds one (through up to `hops` variables). */
function subslice(e: GoNode, file: FileScope, hops: number): Big | undefined {
  const v = unparen(e);
  if (!v) return undefined;
  if (v.type === "identifier") return sliceVariable(v, file, hops);
  if (v.type !== "slice_expression") return undefined;
  // `b[:]` is the whole buffer, not a piece of it.
  if (!v.child("start") && !v.child("end")) return undefined;
  const operand = unparen(v.child("operand"));
  if (!operand) return undefined;
  return wholeBuffer(operand, file, hops) ?? (operand.type === "identifier" ? sliceVariable(operand, file, hops) : undefined);
}

/** A local variable every assignment of which is a sub-slice of a big buffer (self-reslices `x = x[:n]` allowed). */
function sliceVariable(id: GoNode, file: FileScope, hops: number): Big | undefined {
  if (hops <= 0) return undefined;
  const decl = declarationOf(id);
  const values = decl ? valuesOf(decl) : undefined;
  if (!decl || !values) return undefined;
  let big: Big | undefined;
  for (const value of values) {
    if (isSelfReslice(value, decl)) continue;
    const b = subslice(value, file, hops - 1);
    if (!b) return undefined;
    big ??= b;
  }
  return big;
}

/** An expression that is a whole big buffer: a big source, or a local variable that always holds one. */
function wholeBuffer(e: GoNode, file: FileScope, depth: number): Big | undefined {
  const v = unparen(e);
  if (!v) return undefined;
  if (v.type !== "identifier") return bigSource(v, file, depth);
  const decl = declarationOf(v);
  const values = decl ? valuesOf(decl) : undefined;
  if (!decl || !values || depth < 0) return undefined;
  let big: Big | undefined;
  for (const value of values) {
    if (isSelfReslice(value, decl)) continue;
    const b = bigSource(value, file, depth - 1);
    if (!b) return undefined;
    big ??= { ...b, holder: decl };
  }
  return big;
}

/** The whole buffer itself is also stored in a long-lived place (a field, a package-level var, a channel): the piece adds nothing. */
function keptWhole(holder: GoNode, file: FileScope): boolean {
  return referencesOf(holder).some((use) => {
    let e = use;
    for (let p = e.parent; p; p = e.parent) {
      const wraps =
        p.type === "parenthesized_expression" || p.type === "literal_element" || p.type === "keyed_element" || p.type === "literal_value" ||
        p.type === "composite_literal" || (p.type === "unary_expression" && p.child("operator")?.text === "&") ||
        (p.type === "argument_list" && isPlainCall(p.parent!, "append") && p.namedChildren.indexOf(e) > 0);
      if (!wraps) break;
      e = p.type === "argument_list" ? p.parent! : p;
    }
    const p = e.parent;
    if (p?.type === "send_statement") return e.field === "value";
    const stmt = p?.parent;
    if (p?.type !== "expression_list" || p.field !== "right" || stmt?.type !== "assignment_statement") return false;
    const left = stmt.child("left")?.namedChildren[p.namedChildren.indexOf(e)];
    return !!left && outlivesCall(left, file);
  });
}

/** `io.ReadAll(r)`, `os.ReadFile(p)`, `buf.Bytes()` of a bytes.Buffer, `make([]byte, ≥64K)`, `string(<one of these>)`. */
function bigSource(e: GoNode, file: FileScope, depth: number): Big | undefined {
  const v = unparen(e);
  if (v?.type !== "call_expression") return undefined;
  const qualified = file.imports.qualifiedName(v);
  if (qualified && WHOLE_READS.has(qualified)) return qualified.endsWith("ReadFile") && namesSmallFile(callParts(v).args[0]) ? undefined : { kind: "bytes", source: v };
  const { receiver, name, args } = callParts(v);
  if (isPlainCall(v, "make") && isByteSlice(args[0])) {
    const size = Math.max(constantInt(args[1], file) ?? 0, constantInt(args[2], file) ?? 0);
    return size >= BIG_MAKE ? { kind: "bytes", source: v } : undefined;
  }
  if (isPlainCall(v, "string") && args.length === 1 && depth >= 0) {
    const inner = wholeBuffer(args[0]!, file, depth - 1);
    return inner?.kind === "bytes" ? { kind: "string", source: v } : undefined;
  }
  if (name === "Bytes" && args.length === 0 && isDeclaredAs(receiver, file, BYTES_BUFFER)) {
    return { kind: "bytes", source: v };
  }
  return undefined;
}

/**
 * Words in a path (its variables, fields, constants and literals) that name a file of a few bytes:
 * a key, token, secret or certificate, a pid file, a pseudo-file under /proc or /sys. Pinning one
 * of those costs nothing.
 */
const SMALL_FILE_WORDS = new Set(["key", "privkey", "pubkey", "apikey", "token", "secret", "password", "passwd", "cert", "pem", "crt", "pid", "pidfile", "hostname", "proc", "sys"]);

function namesSmallFile(path: GoNode | undefined): boolean {
  if (!path) return false;
  const texts = [path, ...path.descendants("identifier", "field_identifier", "interpreted_string_literal", "raw_string_literal")].filter((n) => n.type !== "call_expression" && n.type !== "binary_expression").map((n) => n.text);
  return texts.some((t) => wordsOf(t).some((w) => SMALL_FILE_WORDS.has(w)));
}

/** `privKeyFile` → priv, key, file; `"/run/app.pid"` → run, app, pid. */
function wordsOf(text: string): string[] {
  return text.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((w) => w.toLowerCase());
}

/** The values a local variable is given: its initializer and later plain assignments; undefined if any is not a plain first result. */
function valuesOf(decl: GoNode): GoNode[] | undefined {
  const init = initializerOf(decl);
  if (!init || init.statement.type.startsWith("parameter") || init.statement.type === "variadic_parameter_declaration") return undefined;
  const all = [{ value: init.value, resultIndex: init.resultIndex, declared: true }, ...assignmentsTo(decl).map((a) => ({ ...a, declared: false }))];
  const out: GoNode[] = [];
  for (const a of all) {
    // `var data []byte` starts out nil: no buffer yet.
    if (a.declared && !a.value && init.statement.type === "var_spec") continue;
    if (!a.value || a.resultIndex !== 0) return undefined;
    out.push(a.value);
  }
  return out.length > 0 ? out : undefined;
}

function isSelfReslice(value: GoNode, decl: GoNode): boolean {
  const v = unparen(value);
  const operand = v?.type === "slice_expression" ? unparen(v.child("operand")) : undefined;
  return operand?.type === "identifier" && declarationOf(operand) === decl;
}

function isByteSlice(type: GoNode | undefined): boolean {
  const element = type?.type === "slice_type" ? type.child("element") : undefined;
  return element?.type === "type_identifier" && (element.text === "byte" || element.text === "uint8");
}

/** Wraps the stored piece in a copy: `bytes.Clone(x)` (or `append([]byte(nil), x...)` without a `bytes` import), `strings.Clone(x)`. */
function wrapSuggestion(ctx: RuleContext, piece: GoNode, kind: Kind): Suggestion | undefined {
  if (piece.text.includes("\n")) return undefined;
  const pkg = kind === "bytes" ? "bytes" : "strings";
  let wrapped: string;
  if (canUsePackage(ctx, piece, pkg)) wrapped = `${pkg}.Clone(${piece.text})`;
  else if (kind === "bytes") wrapped = `append([]byte(nil), ${piece.text}...)`;
  else return undefined;
  const line = ctx.lineOf(piece);
  const text = ctx.lineText(line);
  const col = piece.start - (ctx.source.lastIndexOf("\n", piece.start - 1) + 1);
  return { startLine: line, endLine: line, replacement: text.slice(0, col) + wrapped + text.slice(col + piece.text.length) };
}

/** The package is imported under its own name and no local variable of the function shadows it. */
function canUsePackage(ctx: RuleContext, node: GoNode, pkg: string): boolean {
  if (ctx.file.imports.pathOf(pkg) !== pkg) return false;
  const fn = outermostFunction(node);
  return !fn || !fn.descendants("identifier").some((id) => id.text === pkg && declarationOf(id) !== undefined);
}

export default rule;
