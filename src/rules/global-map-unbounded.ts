import { constantSpecOf } from "../analysis/constants.js";
import { escapesAt } from "../analysis/escape.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { type CfgEdge, cfgOf } from "../analysis/cfg.js";
import { capturedVariables, declarationOf, initializerOf, scopeFunction } from "../analysis/scope.js";
import { runsAtStartup } from "../analysis/startup.js";
import { callParts, enclosingFunction, firstLineOf, functionName, isExported, isPlainCall, outermostFunction, rootIdentifier, unparen } from "../analysis/syntax.js";
import { externalNamed, packageSpecOf, typeOfExpr } from "../analysis/types.js";
import type { DeclaredNames } from "../engine/package-summary.js";
import type { Rule } from "../engine/types.js";
import { hasWord, mayWriteIndexOf } from "../analysis/text-shapes.js";

/** sync.Map methods that add an entry. */
const SYNC_INSERTS = ["Store", "LoadOrStore", "Swap"];
/** Methods that remove entries (sync.Map, and Clear for wrappers). */
const REMOVALS = ["Delete", "LoadAndDelete", "CompareAndDelete", "Clear"];
/** Functions that only run at start-up by convention: registries filled once. */
const STARTUP_WRITER = /^(init$|[Rr]egister|[Mm]ust)/;
/** Key types with a small, fixed set of values. */
const BOUNDED_KEY_TYPES = new Set(["bool", "byte", "uint8", "int8"]);

interface Insert {
  /** The assignment/inc statement or the Store call. */
  node: GoNode;
  /**
   * The finding's anchor, which keys its fingerprint: the `m[k]` written to, or `m.Store` — not
   * the stored value, so a change to the value alone does not make an old finding look new.
   */
  anchor: GoNode;
  map: GoNode;
  key: GoNode | undefined;
  value: GoNode | undefined;
  sync: boolean;
}

type MapKind = { sync: false; keyType: GoNode | undefined } | { sync: true };

const rule: Rule = {
  meta: {
    id: "global-map-unbounded",
    category: "retention",
    severity: "warning",
    title: "package-level map that only grows",
    rationale:
      "A package-level map is a GC root: every entry, and everything the entry points to, stays reachable until the process exits. When entries are added under run-time keys (request ids, user names, URLs) and nothing ever deletes them, the map grows with traffic, and each GC cycle has to mark all of it. Closures stored in such a map keep every variable they capture alive as well.",
    fix: "Delete entries when they are no longer needed, or use a bounded cache (LRU, TTL expiry) or a map owned by an object with a shorter lifetime.",
    bad: `var sessions = map[string]*Session{}

func login(id string, s *Session) {
	mu.Lock()
	sessions[id] = s // never deleted: grows with every login
	mu.Unlock()
}`,
    good: `var sessions = map[string]*Session{}

func login(id string, s *Session) {
	mu.Lock()
	sessions[id] = s
	mu.Unlock()
}

func logout(id string) {
	mu.Lock()
	delete(sessions, id)
	mu.Unlock()
}`,
    suggestion: "none",
    // In tests: a test process is short-lived.
    inTests: "skip",
  },
  // A finding writes to a lowercase package-level `var` (this file or a sibling) by its bare name: one of those names.
  triggers: (ctx) => [...ctx.packageWords(unexportedVariables)],
  // …through an element written or a sync.Map insert.
  triggerTest: (text, names) => mayWriteIndexOf(text, names) || SYNC_INSERTS.some((name) => hasWord(text, name)),
  check(ctx) {
    const file = ctx.file;
    const removed = new Map<string, boolean>();
    // The inserts of each map that pass every guard, in source order: one finding per map.
    const candidates = new Map<string, { insert: Insert; source: ClientSource | undefined; spec: GoNode; declaredIn: FileScope; elsewhere: boolean }[]>();
    for (const node of ctx.nodes("assignment_statement", "inc_statement", "dec_statement", "call_expression")) {
      for (const insert of insertsOf(node)) {
        const name = insert.map.text;
        // Exported maps can be cleaned up by other packages.
        if (isExported(name) || name === "_") continue;
        if (declarationOf(insert.map)) continue;
        const declared = packageSpecOf(name, file);
        if (declared?.spec.type !== "var_spec") continue;
        // A map of another file is reported only when the whole package is known: a file memlint
        // did not read may delete from it.
        const elsewhere = declared.file !== file;
        if (elsewhere && !file.siblingFiles()?.complete) continue;
        const { spec } = declared;
        const kind = mapKind(spec, name, declared.file);
        if (!kind || kind.sync !== insert.sync) continue;
        const writer = outermostFunction(insert.node);
        if (writer?.type !== "function_declaration" && writer?.type !== "method_declaration") continue;
        if (!insert.key || !isVaryingKey(insert.key, file)) continue;
        const source = clientSource(insert.key, file);
        // Without keys from clients, recognise the bounded shapes of the precision audit: start-up
        // registries, registration APIs, keys from a fixed domain or a static table.
        if (!source && (STARTUP_WRITER.test(functionName(writer)) || inOnceDo(insert.node) || runsAtStartup(insert.node, file) || registrationApi(writer, insert.key))) continue;
        if (!source && (boundedKey(insert.key, kind, file) || keyFromStaticTable(insert, file))) continue;
        if (!removed.has(name)) removed.set(name, hasRemoval(name, kind.sync, file));
        if (removed.get(name)) continue;
        const list = candidates.get(name) ?? [];
        if (!list.some((c) => outermostFunction(c.insert.node) === writer)) list.push({ insert, source, spec, declaredIn: declared.file, elsewhere });
        candidates.set(name, list);
      }
    }
    for (const [name, list] of candidates) {
      // The insert under keys from clients, if any, is the one a reviewer should see.
      const chosen = list.find((c) => c.source) ?? list[0]!;
      const { insert, source, spec, declaredIn, elsewhere } = chosen;
      const others = list.filter((c) => c !== chosen).map((c) => ({ node: c.insert.anchor, message: `also adds entries to \`${name}\`` }));
      ctx.report({
        node: insert.anchor,
        // Without a sign that the keys come from requests or connections, the map may as well be a
        // cache over a fixed domain (types, names from code): info (precision audit).
        ...(source ? {} : { severity: "info" as const }),
        message: messageFor(insert, name, file, elsewhere ? declaredIn.path : undefined, source),
        // Related locations are lines of this file.
        related: [...(elsewhere ? [] : [{ node: spec, message: `\`${name}\` is declared here` }]), ...others],
      });
    }
  },
};

function messageFor(insert: Insert, name: string, file: FileScope, declaredIn: string | undefined, source: ClientSource | undefined): string {
  const kind = insert.sync ? "sync.Map" : "map";
  const what = `package-level ${kind} \`${name}\`${declaredIn ? ` (declared in \`${declaredIn.slice(declaredIn.lastIndexOf("/") + 1)}\`)` : ""}`;
  const pkg = file.siblingFiles();
  // Where memlint looked for removals.
  const where = pkg?.complete ? "in this package" : pkg && pkg.files.length > 0 ? "in the files of this package that memlint read" : "in this file";
  const text = firstLineOf(insert.node.text);
  let message = source
    ? `\`${text}\` adds entries to ${what} under keys taken from ${source.what}, and nothing ${where} ever deletes from it: it grows with every new client value for the life of the process, and the GC marks every entry on each cycle.`
    : `\`${text}\` adds entries to ${what}, and nothing ${where} ever deletes from it. memlint cannot tell where its keys come from: if they can take new values from requests, connections or other input, it grows for the life of the process and the GC marks every entry on each cycle; if they are a small fixed set, this is fine.`;
  const literal = unparen(insert.value);
  if (literal?.type === "func_literal") {
    const captured = capturedVariables(literal).map((d) => `\`${d.text}\``);
    message +=
      captured.length > 0
        ? ` The stored closure captures ${captured.join(", ")}, which stay reachable for as long as the entry exists.`
        : " Each stored closure stays reachable for as long as its entry exists.";
  }
  return source ? `${message} Delete entries when done, or use a bounded cache.` : message;
}

/** Parameter types that carry what clients send: requests, responses, connections, with how a message names them. */
const EXTERNAL_TYPES: readonly (readonly [string, string, string])[] = [
  ["net/http", "ResponseWriter", "the response writer"],
  ["net/http", "Request", "the request"],
  ["net", "Conn", "the connection"],
  ["net", "Addr", "a remote address"],
  ["net", "UDPAddr", "a remote address"],
  ["net", "TCPConn", "the connection"],
  ["net", "UDPConn", "the connection"],
  ["github.com/gin-gonic/gin", "Context", "the request"],
  ["github.com/labstack/echo", "Context", "the request"],
  ["github.com/labstack/echo/v4", "Context", "the request"],
  ["github.com/gofiber/fiber/v2", "Ctx", "the request"],
  ["github.com/gofiber/fiber/v3", "Ctx", "the request"],
  ["github.com/valyala/fasthttp", "RequestCtx", "the request"],
];

/** Where a key comes from a client: how the message words it. */
interface ClientSource {
  what: string;
}

/**
 * Evidence that the keys come from clients at run time: the key reads a remote address, or a
 * parameter that is a request, a ResponseWriter or a connection (directly or through a local
 * assigned from one: `ip := r.RemoteAddr; m[ip] = …`). Other keys may come from a fixed domain
 * (types, names from code) that this analysis cannot see.
 */
function clientSource(expr: GoNode, file: FileScope, depth = 2): ClientSource | undefined {
  if (expr.descendants("field_identifier").some((f) => f.text === "RemoteAddr")) return { what: "a remote address" };
  for (const id of expr.type === "identifier" ? [expr] : expr.descendants("identifier")) {
    const decl = declarationOf(id);
    const init = decl && initializerOf(decl);
    if (!init) continue;
    if (init.statement.type === "parameter_declaration") {
      const external = EXTERNAL_TYPES.find(([path, type]) => file.imports.isType(init.type, path, type));
      if (external) return { what: `\`${id.text}\` (${external[2]})` };
    } else if (depth > 0 && init.value && init.value !== expr) {
      const found = clientSource(init.value, file, depth - 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Exported functions whose name says they register something: called by the program's set-up code, with keys from its code or configuration. */
const REGISTRATION_VERB = /^(Add|Set|Register|Use|Install|Define|Declare|Enable|Disable|Configure|Override|Replace)(\p{Lu}|_|\d|$)/u;

/**
 * A registration API: an exported function named for registering (`AddTemplateEngine`,
 * `SetDefault`) that writes under one of its own parameters. Its keys are what the calling
 * program registers — names and types from its code or configuration — not per-request data.
 */
function registrationApi(writer: GoNode, key: GoNode): boolean {
  if (writer.type !== "function_declaration" || !REGISTRATION_VERB.test(functionName(writer))) return false;
  const root = rootIdentifier(unparen(key));
  const decl = root && declarationOf(root);
  return !!decl && decl.parent?.type === "parameter_declaration" && scopeFunction(decl) === writer;
}

/**
 * A "seen" set for keys of a static table: every path to the insert has found the same key in
 * another package-level map first (`if _, ok := known[k]; ok { seen[k] = … }`, or the miss
 * returns or continues). The table bounds the keys.
 */
function keyFromStaticTable(insert: Insert, file: FileScope): boolean {
  const fn = enclosingFunction(insert.node);
  const cfg = fn && cfgOf(fn);
  const at = cfg?.nodeOf(insert.node);
  if (!cfg || !at || !insert.key) return false;
  const key = insert.key.text;
  // The condition edges taken when the table holds the key.
  const found = new Set<CfgEdge>();
  for (const node of cfg.nodes) {
    if (node.kind !== "condition") continue;
    const cond = unparen(node.syntax);
    const negated = cond?.type === "unary_expression" && cond.child("operator")?.text === "!";
    const ok = negated ? unparen(cond.child("operand")) : cond;
    if (ok?.type !== "identifier" || !looksUpIn(ok, key, insert.map.text, file)) continue;
    for (const edge of node.succs) if (edge.kind === (negated ? "false" : "true")) found.add(edge);
  }
  return found.size > 0 && !cfg.pathFrom(cfg.entry, { target: (n) => n === at, skips: (edge) => found.has(edge) });
}

/** `ok` bound by `_, ok := table[key]` (or `v, ok = …`) on a package-level map other than `written`. */
function looksUpIn(ok: GoNode, key: string, written: string, file: FileScope): boolean {
  const decl = declarationOf(ok);
  const init = decl && initializerOf(decl);
  const lookup = init?.resultIndex === 1 ? unparen(init.value) : undefined;
  const table = unparen(lookup?.child("operand"));
  if (lookup?.type !== "index_expression" || table?.type !== "identifier" || table.text === written || declarationOf(table)) return false;
  return lookup.child("index")?.text === key && packageSpecOf(table.text, file)?.spec.type === "var_spec";
}

/** `m[k] = v`, `m[k] += v`, `m[k]++`, `m.Store(k, v)`, `m.LoadOrStore(k, v)`, `m.Swap(k, v)`. */
function insertsOf(node: GoNode): Insert[] {
  if (node.type === "call_expression") {
    const fn = unparen(node.child("function"));
    const { receiver, name, args } = callParts(node);
    const map = unparen(receiver);
    if (fn?.type !== "selector_expression" || map?.type !== "identifier" || !SYNC_INSERTS.includes(name)) return [];
    return [{ node, anchor: fn, map, key: args[0], value: args[1], sync: true }];
  }
  const targets = node.type === "assignment_statement" ? (node.child("left")?.namedChildren ?? []) : node.namedChildren.slice(0, 1);
  const values = node.type === "assignment_statement" ? (node.child("right")?.namedChildren ?? []) : [];
  const out: Insert[] = [];
  targets.forEach((target, i) => {
    const t = unparen(target);
    const map = unparen(t?.child("operand"));
    if (t?.type !== "index_expression" || map?.type !== "identifier") return;
    out.push({ node, anchor: t, map, key: t.child("index"), value: values.length === targets.length ? values[i] : undefined, sync: false });
  });
  return out;
}

/** Whether a package-level var is a map (`make`, literal, `map[…]…` type, a named map type) or a sync.Map. */
function mapKind(spec: GoNode, name: string, file: FileScope): MapKind | undefined {
  const type = spec.child("type");
  if (type) return kindOfType(type, file);
  const names = spec.childrenOf("name");
  const values = spec.child("value")?.namedChildren ?? [];
  if (values.length !== names.length) return undefined;
  let v = unparen(values[names.findIndex((n) => n.text === name)]);
  if (v?.type === "unary_expression" && v.child("operator")?.text === "&") v = unparen(v.child("operand"));
  if (v?.type === "composite_literal") return kindOfType(v.child("type"), file);
  if (v?.type === "call_expression" && isPlainCall(v, "make", "new")) {
    return kindOfType(v.child("arguments")?.namedChildren[0], file);
  }
  return undefined;
}

function kindOfType(type: GoNode | undefined, file: FileScope, depth = 0): MapKind | undefined {
  if (!type || depth > 2) return undefined;
  if (type.type === "map_type") return { sync: false, keyType: type.child("key") };
  if (file.imports.isType(type, "sync", "Map")) return { sync: true };
  if (type.type === "type_identifier") {
    // A named map type of this package: `type registry map[string]Handler`.
    const declared = packageSpecOf(type.text, file);
    if (declared?.spec.type === "type_spec") return kindOfType(declared.spec.child("type"), declared.file, depth + 1);
  }
  return undefined;
}

/** Inside `once.Do(func() { … })`: runs a single time. */
function inOnceDo(node: GoNode): boolean {
  for (const a of node.ancestors()) {
    if (a.type !== "func_literal") continue;
    const args = a.parent;
    const call = args?.parent;
    if (args?.type === "argument_list" && call?.type === "call_expression" && args.namedChildren.length === 1 && callParts(call).name === "Do") return true;
  }
  return false;
}

/**
 * A key that takes new values at run time: it reads a local variable (parameter, loop variable,
 * computed value) or calls a generator with no arguments (`uuid.New()`, `time.Now()`).
 * Literals, constants, package-level names and variables ranging over a fixed collection
 * (`for _, name := range defaultNames`) are a fixed set of keys.
 */
function isVaryingKey(key: GoNode, file: FileScope, depth = 0): boolean {
  let varying = false;
  key.walk((n) => {
    if (varying) return false;
    if (n.type === "identifier") {
      if (n.parent?.type === "literal_element" && n.field === null && n.parent.field === "key") return;
      const decl = declarationOf(n);
      if (decl && !constantSpecOf(n, file) && !rangesOverFixed(decl, file, depth)) varying = true;
    } else if (n.type === "call_expression" && (n.child("arguments")?.namedChildren.length ?? 0) === 0) {
      varying = true;
    }
    return undefined;
  });
  return varying;
}

/** A `range` variable over a collection that is itself fixed (a package-level list, a literal). */
function rangesOverFixed(decl: GoNode, file: FileScope, depth: number): boolean {
  const clause = decl.parent?.type === "expression_list" ? decl.parent.parent : undefined;
  if (clause?.type !== "range_clause" || decl.parent?.field !== "left" || depth > 2) return false;
  const over = clause.child("right");
  return !!over && !isVaryingKey(over, file, depth + 1);
}

/**
 * Keys with a small domain: the map's key type is bool/byte, an enumeration of the package (a
 * named type with constants declared of it), a type that identifies code rather than data
 * (commands and flags of a command line, program types), or the key is a `reflect.Type` (a
 * cache per program type, as in encoding/json, is bounded by the number of types).
 */
function boundedKey(key: GoNode, kind: MapKind, file: FileScope): boolean {
  if (!kind.sync && kind.keyType) {
    if (kind.keyType.type === "type_identifier" && BOUNDED_KEY_TYPES.has(kind.keyType.text)) return true;
    if (file.imports.isType(kind.keyType, "reflect", "Type")) return true;
    if (isEnumeration(kind.keyType, file) || CODE_TYPES.some(([path, name]) => file.imports.isType(kind.keyType, path, name))) return true;
  }
  const type = typeOfExpr(key, file);
  if (type?.kind === "node" && isEnumeration(type.node, type.file)) return true;
  const named = externalNamed(type);
  if (named && CODE_TYPES.some(([path, name]) => named.path === path && named.name === name)) return true;
  return isReflectType(unparen(key), file);
}

/** Types whose values stand for pieces of the program: commands, flags, functions, syntax. */
const CODE_TYPES: readonly (readonly [string, string])[] = [
  ["github.com/urfave/cli", "Command"],
  ["github.com/urfave/cli/v2", "Command"],
  ["github.com/urfave/cli/v3", "Command"],
  ["github.com/spf13/cobra", "Command"],
  ["flag", "Flag"],
  ["github.com/spf13/pflag", "Flag"],
  ["runtime", "Func"],
];

/** A named type of the package with an integer or string underlying type and constants declared of it: `type Kind int` + `const (A Kind = iota …)`. */
function isEnumeration(type: GoNode, file: FileScope): boolean {
  if (type.type !== "type_identifier") return false;
  const declared = packageSpecOf(type.text, file);
  const underlyingType = declared?.spec.type === "type_spec" ? declared.spec.child("type") : undefined;
  if (underlyingType?.type !== "type_identifier" || !/^(u?int(8|16|32|64)?|byte|rune|string)$/.test(underlyingType.text)) return false;
  for (const { node } of file.packageDeclarationsMentioning(type.text, ["const"])) {
    if (node.descendants("const_spec").some((c) => c.child("type")?.text === type.text)) return true;
  }
  return false;
}

function isReflectType(e: GoNode | undefined, file: FileScope): boolean {
  if (!e) return false;
  if (e.type === "call_expression") {
    if (file.imports.match(e, "reflect", ["TypeOf"])) return true;
    const { receiver, name } = callParts(e);
    return !!receiver && (name === "Type" || name === "Elem" || name === "TypeOf") && mentionsReflect(e, file);
  }
  if (e.type !== "identifier") return false;
  const decl = declarationOf(e);
  const init = decl ? initializerOf(decl) : undefined;
  if (!init) return false;
  if (init.type && file.imports.isType(init.type, "reflect", "Type")) return true;
  return init.resultIndex === 0 && !!init.value && init.value !== e && isReflectType(unparen(init.value), file);
}

/** True when the enclosing function mentions the reflect package at all (for `v.Type()` keys). */
function mentionsReflect(node: GoNode, file: FileScope): boolean {
  const fn = outermostFunction(node);
  return !!fn && fn.descendants("selector_expression").some((s) => file.imports.match(s, "reflect") !== undefined);
}

/**
 * Anything in the package (this file first, then the sibling files memlint knows) that may remove
 * entries or bound the map: `delete(m, …)`, `clear(m)`, `m.Delete(…)` and friends, `m = …` (swap
 * in a fresh map), a `len(m)` check, a method of a named map type, or `m` handed to other code
 * (returned, passed, aliased), which may delete from it.
 */
function hasRemoval(name: string, sync: boolean, file: FileScope): boolean {
  for (const { file: where, node: decl } of file.packageDeclarationsMentioning(name)) {
    let found = false;
    decl.walk((n) => {
      if (found) return false;
      if (n.type !== "identifier" || n.text !== name || declarationOf(n)) return undefined;
      if (removesAt(n, sync, where)) found = true;
      return undefined;
    });
    if (found) return true;
  }
  return false;
}

function removesAt(id: GoNode, sync: boolean, file: FileScope): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (parent.type === "var_spec") return false;
  // A method on a plain map means a named map type whose methods we do not see: assume it may delete.
  if (parent.type === "selector_expression" && id.field === "operand") return !sync || REMOVALS.includes(parent.child("field")?.text ?? "");
  if (parent.type === "argument_list") {
    const call = parent.parent!;
    if (isPlainCall(call, "delete", "clear")) return parent.namedChildren[0] === id;
    if (isPlainCall(call, "len")) return isCompared(call);
  }
  if (parent.type === "expression_list" && parent.field === "left") {
    const stmt = parent.parent;
    if (stmt?.type === "assignment_statement") return true;
  }
  return escapesAt(id, file);
}

/** `len(m) < max` and similar: the writer checks the size. */
function isCompared(call: GoNode): boolean {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  return p?.type === "binary_expression" && /^(<|<=|>|>=|==|!=)$/.test(p.child("operator")?.text ?? "");
}

/** The lowercase package-level variables of a file's declarations. */
function unexportedVariables(decls: readonly DeclaredNames[]): string[] {
  const names: string[] = [];
  for (const d of decls) if (d.kind === "var") for (const name of d.names) if (!isExported(name) && name !== "_") names.push(name);
  return names;
}

export default rule;
