/** Building blocks for mechanical suggestions (whole-line replacements of the head file). */
import type { GoNode } from "./node.js";

/** What a suggestion needs from the rule context. */
export interface LineAccess {
  lineOf(node: GoNode): number;
  lineText(line: number): string;
}

/** The line a node ends on (that of its last character). */
export function endLineOf(node: GoNode, lines: LineAccess): number {
  const inner = node.sourceText(node.start, Math.max(node.start, node.end - 1));
  return lines.lineOf(node) + (inner.match(/\n/g)?.length ?? 0);
}

/** The leading whitespace of the line a node starts on. */
export function indentOf(node: GoNode, lines: LineAccess): string {
  return /^[ \t]*/.exec(lines.lineText(lines.lineOf(node)))?.[0] ?? "";
}

/**
 * A suggestion that inserts `text` as a new line after the last line of `after`, indented like
 * the line of `like` (by default `after` itself): `insertLineAfter(ctx, errCheck, "defer f.Close()", stmt)`.
 */
export function insertLineAfter(
  lines: LineAccess,
  after: GoNode,
  text: string,
  like: GoNode = after,
): { startLine: number; endLine: number; replacement: string } {
  const line = endLineOf(after, lines);
  return { startLine: line, endLine: line, replacement: `${lines.lineText(line)}\n${indentOf(like, lines)}${text}` };
}

/** A suggestion that inserts `text` as a new line before the first line of `before`, indented like it. */
export function insertLineBefore(lines: LineAccess, before: GoNode, text: string): { startLine: number; endLine: number; replacement: string } {
  const line = lines.lineOf(before);
  return { startLine: line, endLine: line, replacement: `${indentOf(before, lines)}${text}\n${lines.lineText(line)}` };
}

/**
 * A suggestion that adds a keyed field (`ReadHeaderTimeout: 10 * time.Second`) to a composite
 * literal: on a new line after `{` (indented like the first field), or inline in a one-line
 * literal. Undefined when code follows the `{` on its line.
 */
export function insertKeyedField(
  lines: LineAccess & { readonly source: string },
  literal: GoNode,
  field: string,
): { startLine: number; endLine: number; replacement: string } | undefined {
  const body = literal.child("body");
  if (!body) return undefined;
  const line = lines.lineOf(body);
  const text = lines.lineText(line);
  const lineStart = lines.source.lastIndexOf("\n", body.start - 1) + 1;
  const braceCol = body.start - lineStart;
  if (!body.text.includes("\n")) {
    const closeCol = body.end - 1 - lineStart;
    const inner = text.slice(braceCol + 1, closeCol).trim();
    const insert = inner === "" ? field : inner.endsWith(",") ? ` ${field}` : `, ${field}`;
    return { startLine: line, endLine: line, replacement: text.slice(0, closeCol).trimEnd() + insert + text.slice(closeCol) };
  }
  const rest = text.slice(braceCol + 1).trim();
  if (rest !== "" && !rest.startsWith("//")) return undefined;
  const first = body.namedChildren[0];
  const indent = first && lines.lineOf(first) > line ? indentOf(first, lines) : `${indentOf(body, lines)}\t`;
  return { startLine: line, endLine: line, replacement: `${text}\n${indent}${field},` };
}
