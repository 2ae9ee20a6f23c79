import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { callParts, isPlainCall, unparen } from "../analysis/syntax.js";
import { resolveCall } from "../analysis/types.js";
import type { ChangeContext, Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "cleanup-removed",
    category: "retention",
    severity: "warning",
    title: "a cleanup that bounded memory is gone",
    rationale:
      "The base version of this function kept memory in check: it deleted entries from a map it adds to, or copied a small piece out of a large buffer (`bytes.Clone`, `strings.Clone`) before keeping it. The head still adds to the map, or still keeps the piece, without that step: the map now only grows, or the piece pins the whole buffer it was cut from.",
    fix: "Restore the `delete`, or the copy before the value is stored or returned.",
    bad: `func (c *Cache) Evict(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Remove(key) // the base also did delete(c.items, key)
}`,
    good: `func (c *Cache) Evict(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Remove(key)
	delete(c.items, key)
}`,
    suggestion: "none",
    inTests: "skip",
  },
  // The base version spells the cleanup.
  triggers: ["delete", "Clone"],
  checkChange(ctx) {
    deletesDropped(ctx);
    copiesDropped(ctx);
  },
};

/** A map the base deleted from and the head no longer does, while the head (or the package) still writes it. */
function deletesDropped(ctx: ChangeContext): void {
  const before = new Set(deletesIn(ctx.base.node));
  if (before.size === 0) return;
  for (const map of before) {
    // Moved, not dropped: the head deletes from it through a function of the package it calls
    // (or starts), or the file deletes from it as often as before, somewhere else now.
    if (!map || deletesVia(ctx.head.node, ctx.head.file, map) || deletions(ctx.head.file.text, map) >= deletions(ctx.base.file.text, map)) continue;
    // Still written somewhere: in this function, or (a field or package map) elsewhere in the package.
    const write = mapWrites(ctx.head.node, map)[0];
    if (!write && !writtenInPackage(ctx.head.file, map)) continue;
    ctx.report({
      node: write ?? ctx.head.node.child("name") ?? ctx.head.node,
      message: `The base version deleted entries from \`${map}\` here; without that \`delete\`, nothing removes what is added to \`${map}\`, and it grows for as long as the process runs.`,
    });
  }
}

/** `m[k] = v` (and `m[k] op= v`) on the map spelled `map`. */
function mapWrites(root: GoNode, map: string): GoNode[] {
  return root.descendants("assignment_statement").flatMap((a) =>
    (a.child("left")?.namedChildren ?? []).filter((l) => {
      const e = unparen(l);
      return e?.type === "index_expression" && unparen(e.child("operand"))?.text === map;
    }),
  );
}

/** The maps a declaration deletes from: the first arguments of its `delete` calls. */
function deletesIn(root: GoNode): string[] {
  return root.descendants("call_expression").flatMap((c) => (isPlainCall(c, "delete") ? [callParts(c).args[0]?.text ?? ""] : []));
}

/** The declaration deletes from `map` itself or through a function of the package it calls; a field matches by its name. */
function deletesVia(root: GoNode, file: FileScope, map: string): boolean {
  const field = map.slice(map.lastIndexOf(".") + 1);
  const same = (target: string) => target === map || (map.includes(".") && target.endsWith(`.${field}`));
  if (deletesIn(root).some(same)) return true;
  return root.descendants("call_expression").some((call) => {
    const callee = resolveCall(call, file);
    return !!callee && callee.node !== root && deletesIn(callee.node).some(same);
  });
}

/** How many `delete(map, …)` calls a file's text has. */
function deletions(text: string, map: string): number {
  const escaped = map.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.match(new RegExp(`\\bdelete\\(\\s*${escaped}\\s*,`, "g"))?.length ?? 0;
}

/** A field or package-level map (`c.items`, `sessions`) written by another declaration of the package. */
function writtenInPackage(file: FileScope, map: string): boolean {
  const field = map.includes(".") ? map.slice(map.lastIndexOf(".") + 1) : map;
  for (const { node } of file.packageDeclarationsMentioning(field)) {
    if (node.descendants("index_expression").some((e) => unparen(e.child("operand"))?.text.endsWith(field) && e.parent?.parent?.type === "assignment_statement" && e.parent.field === "left")) return true;
  }
  return false;
}

/** A value the base copied with `bytes.Clone`/`strings.Clone` before keeping it, which the head keeps uncopied. */
function copiesDropped(ctx: ChangeContext): void {
  const cloned = new Set<string>();
  for (const call of ctx.base.node.descendants("call_expression")) {
    const name = ctx.base.file.imports.match(call, "bytes", ["Clone"]) ?? ctx.base.file.imports.match(call, "strings", ["Clone"]);
    const arg = name ? callParts(call).args[0] : undefined;
    if (arg) cloned.add(arg.text);
  }
  if (cloned.size === 0) return;
  const stillCloned = new Set<string>();
  for (const call of ctx.head.node.descendants("call_expression")) {
    const name = ctx.head.file.imports.match(call, "bytes", ["Clone"]) ?? ctx.head.file.imports.match(call, "strings", ["Clone"]);
    const arg = name ? callParts(call).args[0] : undefined;
    if (arg) stillCloned.add(arg.text);
  }
  for (const expr of ctx.head.node.descendants("slice_expression", "call_expression", "identifier", "selector_expression", "index_expression")) {
    if (!cloned.has(expr.text) || stillCloned.has(expr.text) || !isKept(expr)) continue;
    ctx.report({
      node: expr,
      message: `The base version copied \`${expr.text}\` (\`Clone\`) before keeping it; kept as it is, it shares the backing array of the buffer it was cut from and keeps all of it alive.`,
    });
    stillCloned.add(expr.text);
  }
}

/** The value is stored or handed out: assigned to a field, element or package name, returned, sent, put in a literal or appended. */
function isKept(expr: GoNode): boolean {
  let e = expr;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === "return_statement" || p.type === "keyed_element" || p.type === "literal_element" || (p.type === "send_statement" && e.field === "value")) return true;
  if (p.type === "argument_list" && p.parent && isPlainCall(p.parent, "append") && p.namedChildren.indexOf(e) > 0) return true;
  if (p.type === "expression_list") {
    const stmt = p.parent;
    if (stmt?.type === "return_statement") return true;
    if (stmt?.type === "assignment_statement" && p.field === "right") {
      const target = unparen(stmt.child("left")?.namedChildren[p.namedChildren.indexOf(e)]);
      return target?.type === "selector_expression" || target?.type === "index_expression";
    }
  }
  return false;
}

export default rule;
