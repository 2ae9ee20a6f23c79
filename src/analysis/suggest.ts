/** Building blocks for mechanical suggestions (whole-line replacements of the head file). */
import type { GoNode } from "./node.js";

/** What a suggestion needs from the rule context. */
export interface LineAccess {
  lineOf(node: GoNode): number;
  lineText(line: number): string;
}

/** The line a node ends on (the start line of its last token). */
export function endLineOf(node: GoNode, lines: LineAccess): number {
  let last = node;
  while (last.children.length > 0) last = last.children[last.children.length - 1]!;
  return lines.lineOf(last);
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
