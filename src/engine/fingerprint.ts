/**
 * Fingerprints identify a finding across pushes, rebases and unrelated edits: rule, path,
 * enclosing declaration, what stays put about the anchor (for a call: the callee and the names
 * its results are bound to, not its argument text) and its occurrence index — never a line.
 */
import { createHash } from "node:crypto";
import type { GoNode } from "../analysis/node.js";
import { bindingOfValue, unparen } from "../analysis/syntax.js";

export interface FingerprintInput {
  ruleId: string;
  path: string;
  declaration: string;
  anchorText: string;
}

export function normalizeAnchor(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The part of an anchor that identifies it when the code around it is edited: for a call (or a
 * statement, a select case, a receive around one), its callee and the names its results are
 * bound to — `resp,err=c.Get` — so that `http.Get(url)` becoming `http.Get(u)` is the same
 * finding; for anything else, its first line.
 */
export function anchorKey(node: GoNode): string {
  const call = principalCall(node);
  if (!call) return normalizeAnchor(firstLine(node.text));
  const fn = unparen(call.child("function"));
  const callee = fn?.type === "func_literal" ? "func(…)" : normalizeAnchor(firstLine(fn?.text ?? ""));
  const bound = bindingOfValue(call)?.targets.map((t) => t?.text ?? "?").join(",");
  const prefix = node === call ? "" : `${node.type}:`;
  return `${prefix}${bound ? `${bound}=` : ""}${callee}`;
}

/** The names an anchor's call is bound to (`f,err`), if it is a bound call. */
export function boundNames(node: GoNode): string | undefined {
  const call = principalCall(node);
  return call ? bindingOfValue(call)?.targets.map((t) => t?.text ?? "?").join(",") || undefined : undefined;
}

/** The call an anchor is about: itself, a statement's call (`defer f.Close()`, `go run()`), the call received from (`case <-time.After(d):`). */
function principalCall(node: GoNode): GoNode | undefined {
  let n: GoNode | undefined = node;
  if (n.type === "receive_statement") n = n.child("right");
  if (n?.type === "expression_statement" || n?.type === "defer_statement" || n?.type === "go_statement") n = n.namedChildren[0];
  n = unparen(n);
  if (n?.type === "unary_expression" && n.child("operator")?.text === "<-") n = unparen(n.child("operand"));
  while (n?.type === "selector_expression") n = unparen(n.child("operand"));
  return n?.type === "call_expression" ? n : undefined;
}

function firstLine(text: string): string {
  const nl = text.indexOf("\n");
  return (nl === -1 ? text : text.slice(0, nl)).slice(0, 200);
}

/** Assigns occurrence indices in order of appearance and returns full fingerprints. */
export class Fingerprinter {
  private readonly seen = new Map<string, number>();

  next(input: FingerprintInput): string {
    const base = [input.ruleId, input.path, input.declaration, normalizeAnchor(input.anchorText)].join("\u0000");
    const occurrence = this.seen.get(base) ?? 0;
    this.seen.set(base, occurrence + 1);
    return createHash("sha256").update(`${base}\u0000${occurrence}`).digest("hex");
  }
}

/** The short id people type in `/memlint ignore <id>`. */
export function shortId(fingerprint: string): string {
  return fingerprint.slice(0, 8);
}
