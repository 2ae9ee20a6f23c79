/** Which declaration a directive comment belongs to. */
import type { GoNode } from "../analysis/node.js";
import { parseDirective, type DirectiveParse } from "./parse.js";

/**
 * For a comment in a doc comment (comment lines directly above a declaration, no blank line
 * between), the declaration it documents; otherwise undefined.
 */
export function documentedDeclaration(comment: GoNode): GoNode | undefined {
  const siblings = comment.parent?.children ?? [];
  // A comment after code on the same line is that line's comment, never a doc comment (as in Go).
  if (!startsLine(comment)) return undefined;
  let prev = comment;
  for (let i = siblings.indexOf(comment) + 1; i < siblings.length; i++) {
    const next = siblings[i]!;
    const gap = comment.sourceText(prev.end, next.start);
    if ((gap.match(/\n/g) ?? []).length > 1) return undefined;
    if (next.type !== "comment") return next.type.endsWith("_declaration") ? next : undefined;
    prev = next;
  }
  return undefined;
}

/** Whether only blanks precede the node on its line. */
function startsLine(node: GoNode): boolean {
  for (let i = node.start - 1; i >= 0; i--) {
    const c = node.sourceText(i, i + 1);
    if (c === "\n") return true;
    if (c !== " " && c !== "\t" && c !== "\r") return false;
  }
  return true;
}

export interface FunctionDirective {
  comment: GoNode;
  parse: DirectiveParse;
}

/** The memlint directives in the doc comment of a function or method declaration. */
export function functionDirectives(fn: GoNode): FunctionDirective[] {
  const siblings = fn.parent?.children ?? [];
  const out: FunctionDirective[] = [];
  for (let i = siblings.indexOf(fn) - 1; i >= 0; i--) {
    const c = siblings[i]!;
    if (c.type !== "comment" || documentedDeclaration(c) !== fn) break;
    const parse = parseDirective(c.text);
    if (parse) out.unshift({ comment: c, parse });
  }
  return out;
}
