import { constantSpecOf } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf } from "../analysis/scope.js";
import { functionName, isPlainCall, unparen } from "../analysis/syntax.js";
import { keyOf, receiverTypeName, shapeOf, typeOfExpr } from "../analysis/types.js";
import type { DeclaredNames } from "../engine/package-summary.js";
import type { Rule } from "../engine/types.js";
import { mayWriteIndex } from "../analysis/text-shapes.js";

/** Methods that by convention run while the object is set up or configured, not per event: registries and options filled once. */
const SETUP_METHOD = /^(init|[Rr]egister|[Mm]ust|[Ss]etup|[Cc]onfigure|[Ll]oad|[Ss]et|[Ee]nable|[Dd]isable|[Ww]ith|[Uu]se$|[Hh]andle(Func)?$)/;
/**
 * Methods that take a per-key resource and the methods that give it back. When the type has the
 * giving-back half and it still deletes nothing, the entry outlives its use for sure.
 */
const COUNTERPARTS: readonly (readonly [RegExp, readonly string[]])[] = [
  [/^[Ll]ock/, ["Unlock"]],
  [/^[Rr][Ll]ock/, ["RUnlock"]],
  [/^[Aa]cquire/, ["Release"]],
  [/^[Oo]pen/, ["Close"]],
  [/^[Ss]ubscribe/, ["Unsubscribe"]],
  [/^[Ww]atch/, ["Unwatch", "StopWatch"]],
  [/^[Tt]rack/, ["Untrack", "Forget"]],
  [/^[Aa]dd/, ["Remove", "Delete", "Done"]],
  [/^[Ss]tart/, ["Stop", "Finish", "End", "Done"]],
  [/^[Bb]egin/, ["End", "Commit", "Finish"]],
];
/** The start of a method declaration whose name begins with one of the verbs of {@link COUNTERPARTS}. */
const TAKING_METHOD = new RegExp(`(?:^|\\n)func\\s*\\([^)]*\\)\\s*(?:${COUNTERPARTS.map(([take]) => take.source.slice(1)).join("|")})`);
/** Test doubles outside `_test.go` files: they live for one test. */
const TEST_DOUBLE = /^(mock|fake|stub)|^(Mock|Fake|Stub)[A-Z]/;
/**
 * Types that hold a configuration or a registry (`Config`, `ServerOptions`, `HandlerRegistry`):
 * they are filled while the program is set up, keyed by names the code spells (protocols,
 * routes, plugin names), not by what a service sees at run time.
 */
const CONFIGURATION_TYPE = /(Config|Configuration|Options|Settings|Registry|Builder)$/;
/** Key types with a small, fixed set of values. */
const BOUNDED_KEY_TYPES = new Set(["bool", "byte", "uint8", "int8"]);

const rule: Rule = {
  meta: {
    id: "field-growth-unbounded",
    category: "retention",
    severity: "warning",
    title: "map field of a long-lived object that only grows",
    rationale:
      "An object created once by a constructor (a server, a cache, a lock table) lives as long as the process, and so does every entry of a map it holds. When a method takes something per key (`Lock`, `Acquire`, `AddPeer`) and adds an entry for it, while the method that gives it back (`Unlock`, `Release`, `RemovePeer`) and all other code of the package never delete one, clear the map or check its size, the map grows with every new key the service sees and keeps each value reachable.",
    fix: "Delete the entry when its user is done with it (count holders, or remove it in the matching Unlock/Close/Done method), or bound the map (an LRU or expiry, a size check before adding).",
    bad: `type LockTable struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func (t *LockTable) Lock(key string) {
	t.mu.Lock()
	m, ok := t.locks[key]
	if !ok {
		m = new(sync.Mutex)
		t.locks[key] = m // one mutex per key, forever
	}
	t.mu.Unlock()
	m.Lock()
}`,
    good: `func (t *LockTable) Unlock(key string) {
	t.mu.Lock()
	m := t.locks[key]
	delete(t.locks, key)
	t.mu.Unlock()
	m.Unlock()
}`,
    suggestion: "none",
    // A test's objects die with the test.
    inTests: "skip",
  },
  // Every finding is in a method of a package type, whose receiver names the type: one of the package's type names.
  triggers: (ctx) => [...ctx.packageWords(typeNames)],
  // …in a method named for taking something per key, that writes an element of a field of its receiver.
  triggerTest: (text) => TAKING_METHOD.test(text) && mayWriteIndex(text),
  check(ctx) {
    const file = ctx.file;
    const reported = new Set<string>();
    for (const stmt of ctx.nodes("assignment_statement")) {
      const insert = insertOf(stmt);
      if (!insert) continue;
      const { method, field, key, typeName } = insert;
      const id = `${typeName}.${field.child("field")!.text}`;
      if (reported.has(id) || SETUP_METHOD.test(functionName(method)) || TEST_DOUBLE.test(typeName) || CONFIGURATION_TYPE.test(typeName)) continue;
      const mapType = typeOfExpr(field, file);
      if (shapeOf(mapType) !== "map" || !varies(key, file)) continue;
      const keyType = keyOf(mapType);
      if ((keyType?.kind === "basic" && BOUNDED_KEY_TYPES.has(keyType.name)) || (keyType?.kind === "node" && BOUNDED_KEY_TYPES.has(keyType.node.text))) continue;
      const name = field.child("field")!.text;
      if (!constructed(typeName, file) || bounded(typeName, name, file)) continue;
      // Without a release method that forgets the entry, the object may be short-lived or its keys few: silent.
      const release = counterpart(functionName(method), name, typeName, file);
      if (!release) continue;
      reported.add(id);
      ctx.report({
        node: stmt.child("left")!,
        message: `\`${firstLine(stmt.text)}\` adds an entry to \`${id}\` on every call of \`${functionName(method)}\` with a new key, and nothing in the package deletes from \`${name}\` (not even \`${typeName}.${release}\`), clears it or checks its size: a \`${typeName}\` made by its constructor lives as long as its owner, and the map keeps every key and value it was ever given. Delete the entry in \`${release}\` once its last user is done, or bound the map.`,
      });
    }
  },
};

/**
 * The method of the type that gives back what `name` takes (`Unlock` for `Lock`, `RemovePeer` for
 * `AddPeer`), when the package declares one and it does not write the field's entries either (a
 * release that shrinks an entry in place manages the map its own way).
 */
function counterpart(name: string, field: string, typeName: string, file: FileScope): string | undefined {
  const wanted = COUNTERPARTS.flatMap(([take, give]) => {
    const verb = take.exec(name)?.[0];
    if (!verb) return [];
    const rest = name.slice(verb.length);
    const exported = /^[A-Z]/.test(name);
    return give.map((g) => (exported ? g : g[0]!.toLowerCase() + g.slice(1)) + rest);
  });
  if (wanted.length === 0) return undefined;
  for (const { node } of file.packageDeclarationsMentioning(typeName, ["method"])) {
    if (receiverTypeName(node) !== typeName || !wanted.includes(functionName(node))) continue;
    const writes = node.descendants("assignment_statement").some((a) => (a.child("left")?.namedChildren ?? []).some((l) => /\.(\w+)\s*\[/.exec(l.text)?.[1] === field));
    return writes ? undefined : functionName(node);
  }
  return undefined;
}

/** `recv.f[k] = v` in a method of a package type, written through the receiver. */
function insertOf(stmt: GoNode): { method: GoNode; field: GoNode; key: GoNode; typeName: string } | undefined {
  if (stmt.child("operator")?.text !== "=") return undefined;
  const left = stmt.child("left")?.namedChildren ?? [];
  const target = unparen(left[0]);
  if (left.length !== 1 || target?.type !== "index_expression") return undefined;
  const field = unparen(target.child("operand"));
  const key = target.child("index");
  const recv = unparen(field?.child("operand"));
  if (field?.type !== "selector_expression" || recv?.type !== "identifier" || !key) return undefined;
  const decl = declarationOf(recv);
  const method = decl?.parent?.parent?.parent;
  if (method?.type !== "method_declaration" || decl?.parent?.parent !== method.child("receiver")) return undefined;
  const typeName = receiverTypeName(method);
  return typeName ? { method, field, key, typeName } : undefined;
}

/** A key that changes from call to call: made from something local (a parameter, a variable), not a constant. */
function varies(key: GoNode, file: FileScope): boolean {
  const k = unparen(key);
  if (!k) return false;
  const ids = k.type === "identifier" ? [k] : k.descendants("identifier");
  return ids.some((id) => !!declarationOf(id) && !constantSpecOf(id, file));
}

/** A package function (not a method) returns the type or a pointer to it: objects of it are made to be kept. */
function constructed(typeName: string, file: FileScope): boolean {
  for (const { node } of file.packageDeclarationsMentioning(typeName, ["func"])) {
    const result = node.child("result");
    const types = result?.type === "parameter_list" ? result.namedChildren.map((p) => p.child("type")) : [result];
    if (types.some((t) => t && t.text.replace(/^\*/, "").replace(/\[.*\]$/, "") === typeName)) return true;
  }
  return false;
}

/**
 * Anything in the package that may remove entries of field `name` or bound its size: `delete` or
 * `clear` of it, a size check, a fresh map assigned to it outside a constructor's or a nil check's
 * initialization, a method called on it (a named map type), or the map handed to other code.
 * Reading and writing by key and ranging over it do none of these.
 */
function bounded(typeName: string, name: string, file: FileScope): boolean {
  for (const { node } of file.packageDeclarationsMentioning(name)) {
    let found = false;
    node.walk((n) => {
      if (found) return false;
      if (n.type === "field_identifier" && n.text === name && n.parent?.type === "selector_expression" && n.field === "field") {
        if (mayShrink(n.parent, node)) found = true;
      }
      return undefined;
    });
    if (found) return true;
  }
  // Keyed literals `T{name: …}` outside constructors (a whole object reset) are rare; a `*x = T{}` resets everything.
  for (const { node } of file.packageDeclarationsMentioning(typeName, ["method"])) {
    if (node.descendants("assignment_statement").some((a) => unparen(a.child("left")?.namedChildren[0])?.type === "unary_expression")) return true;
  }
  return false;
}

function mayShrink(sel: GoNode, decl: GoNode): boolean {
  let e = sel;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === "index_expression" && e.field === "operand") return false;
  if (p.type === "range_clause") return false;
  if (p.type === "argument_list") {
    const call = p.parent!;
    if (isPlainCall(call, "delete", "clear")) return p.namedChildren[0] === e;
    if (isPlainCall(call, "len")) return isCompared(call);
    return true;
  }
  if (p.type === "expression_list" && p.field === "left" && p.parent?.type === "assignment_statement") {
    return decl.type === "method_declaration" && !underNilCheck(p.parent, sel.text);
  }
  // Compared with nil, or the operand of a selector on a named map type's method.
  if (p.type === "binary_expression") return false;
  return true;
}

/** `if x.f == nil { x.f = make(…) }`: lazy initialization, not a reset. */
function underNilCheck(stmt: GoNode, text: string): boolean {
  for (const a of stmt.ancestors()) {
    if (a.type !== "if_statement") continue;
    const cond = a.child("condition")?.text.replace(/\s+/g, " ") ?? "";
    return cond.includes(`${text} == nil`);
  }
  return false;
}

/** `len(m) < max` and similar: the writer checks the size. */
function isCompared(call: GoNode): boolean {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  return e.parent?.type === "binary_expression" && /^(<|<=|>|>=|==)$/.test(e.parent.child("operator")?.text ?? "");
}

function firstLine(text: string): string {
  const line = text.split("\n")[0]!.replace(/\s*\/\/.*$/, "");
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/** The type names of a file's declarations. */
function typeNames(decls: readonly DeclaredNames[]): string[] {
  const names: string[] = [];
  for (const d of decls) if (d.kind === "type") names.push(...d.names);
  return names;
}

export default rule;
