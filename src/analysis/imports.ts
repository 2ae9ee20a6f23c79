/** Import resolution: which local name refers to which package path. Calls are matched by path, never by bare name. */
import type { GoNode } from "./node.js";
import { unparen } from "./syntax.js";

export class Imports {
  private readonly byAlias = new Map<string, string>();
  /** Paths imported with `.`: their exported names are used unqualified (`NewTicker(d)`). */
  private readonly dotted: string[] = [];
  /** Paths imported only for their side effects (`_`): `net/http/pprof` registers its handlers so. */
  private readonly blank = new Set<string>();

  constructor(root: GoNode) {
    for (const spec of root.descendants("import_spec")) {
      const pathNode = spec.child("path");
      if (!pathNode) continue;
      const path = canonicalPath(pathNode.text.slice(1, -1));
      const name = spec.child("name")?.text ?? defaultName(path);
      if (name === ".") this.dotted.push(path);
      if (name === "_") this.blank.add(path);
      if (name === "_" || name === ".") continue;
      this.byAlias.set(name, path);
    }
  }

  has(path: string): boolean {
    if (this.dotted.includes(path)) return true;
    for (const p of this.byAlias.values()) if (p === path) return true;
    return false;
  }

  /** Whether the file imports the package in any form, for its side effects (`_`) included. */
  links(path: string): boolean {
    return this.blank.has(path) || this.has(path);
  }

  pathOf(alias: string): string | undefined {
    return this.byAlias.get(alias);
  }

  /**
   * When `call` is `alias.Name(…)` with `alias` bound to `path` and Name in `names`, returns Name.
   * (`call` may also be a selector, for references such as `http.DefaultClient`.)
   */
  match(node: GoNode | undefined, path: string, names?: readonly string[]): string | undefined {
    const sel = node?.type === "call_expression" ? unparen(node.child("function")) : node;
    if (sel?.type === "identifier" && this.dotted.includes(path)) return !names || names.includes(sel.text) ? sel.text : undefined;
    if (sel?.type !== "selector_expression") return undefined;
    const operand = sel.child("operand");
    if (operand?.type !== "identifier" || this.byAlias.get(operand.text) !== path) return undefined;
    const name = sel.child("field")?.text ?? "";
    return !names || names.includes(name) ? name : undefined;
  }

  /** `pkg.Name` of a call or selector, resolved to `path.Name`, e.g. `net/http.Get`. */
  qualifiedName(node: GoNode | undefined): string | undefined {
    const sel = node?.type === "call_expression" ? unparen(node.child("function")) : node;
    // With one dot import, an exported bare name may be its (`Get(url)` under `import . "net/http"`).
    if (sel?.type === "identifier" && this.dotted.length === 1 && /^\p{Lu}/u.test(sel.text)) return `${this.dotted[0]}.${sel.text}`;
    if (sel?.type !== "selector_expression") return undefined;
    const operand = sel.child("operand");
    if (operand?.type !== "identifier") return undefined;
    const path = this.byAlias.get(operand.text);
    return path ? `${path}.${sel.child("field")?.text ?? ""}` : undefined;
  }

  /** True when a type node is `alias.Name` (optionally behind `*`) for the given package and name. */
  isType(typeNode: GoNode | undefined, path: string, name: string): boolean {
    let t = typeNode;
    while (t?.type === "pointer_type" || t?.type === "parenthesized_type") t = t.namedChildren[0];
    if (t?.type === "type_identifier" && this.dotted.includes(path)) return t.text === name;
    if (t?.type !== "qualified_type") return false;
    return this.byAlias.get(t.child("package")?.text ?? "") === path && t.child("name")?.text === name;
  }
}

/**
 * Packages that are the same package under another path: `golang.org/x/net/context` has been
 * aliases of `context` since Go 1.7, so its `WithCancel` is `context.WithCancel`.
 */
const SAME_PACKAGE: Record<string, string> = { "golang.org/x/net/context": "context" };

function canonicalPath(path: string): string {
  return SAME_PACKAGE[path] ?? path;
}

/** The package name Go assumes for an import path without an explicit name. */
function defaultName(path: string): string {
  const parts = path.split("/");
  let last = parts[parts.length - 1] ?? path;
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  last = last.replace(/\.v[0-9]+$/, "");
  return last.replace(/^go-/, "").replace(/[-.]/g, "_");
}
