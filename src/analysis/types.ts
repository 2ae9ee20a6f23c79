/**
 * Syntactic types: the declared type of an expression as far as the package's own declarations
 * tell (parameters, locals, struct fields, package-level variables, composite literals,
 * conversions, the declared results of the package's functions and methods, and the results of
 * the standard calls in `stdlib.ts`), across the package's files. There is no type checker:
 * whatever cannot be read is `undefined`, and callers treat unknown as "not known".
 */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf, initializerOf } from "./scope.js";
import { stdNamesReturning, stdResult } from "./stdlib.js";
import { calleeName, callParts, isPlainCall, unparen } from "./syntax.js";

/** A type: a type node read in the file that declares it, or a pointer/slice built around one. */
export type TypeRef =
  | { kind: "node"; node: GoNode; file: FileScope }
  | { kind: "pointer"; to: TypeRef }
  | { kind: "slice"; of: TypeRef }
  /** A predeclared basic type that has no node to point at (the bytes of a string). */
  | { kind: "basic"; name: string }
  /** A type of another package known by name (a standard call's result): `net/http.Response`. */
  | { kind: "named"; path: string; name: string };

const MAX_DEPTH = 8;
/** Named types followed through at most this many definitions and aliases when only the shape matters. */
const SHAPE_DEPTH = 3;

const BASIC = new Set([
  "string", "bool", "byte", "rune", "uintptr", "int", "int8", "int16", "int32", "int64",
  "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "complex64", "complex128",
]);

/** Standard-library types known to hold no pointers (`path.Name`). */
const POINTER_FREE_QUALIFIED = new Set([
  "time.Duration", "time.Month", "time.Weekday", "os.FileMode", "io/fs.FileMode", "sync.Mutex", "sync.RWMutex",
  "sync/atomic.Int32", "sync/atomic.Int64", "sync/atomic.Uint32", "sync/atomic.Uint64", "sync/atomic.Bool",
]);

export function nodeType(node: GoNode | undefined, file: FileScope): TypeRef | undefined {
  return node ? { kind: "node", node, file } : undefined;
}

/** True for a predeclared basic type name that the package does not redefine. */
export function isBasicTypeName(name: string, file: FileScope): boolean {
  return BASIC.has(name) && !packageSpecOf(name, file);
}

/** Follows named types of the package (through parentheses and generic instantiation) to their definition. */
export function underlying(t: TypeRef | undefined, depth = 0): TypeRef | undefined {
  if (!t || depth > MAX_DEPTH) return undefined;
  if (t.kind !== "node") return t;
  let n: GoNode | undefined = t.node;
  while (n?.type === "parenthesized_type") n = n.namedChildren[0];
  if (n?.type === "generic_type") n = n.child("type");
  if (!n) return undefined;
  // A conversion `T(x)` names its type with an identifier.
  if (n.type === "type_identifier" || n.type === "identifier") {
    if (isBasicTypeName(n.text, t.file)) return { kind: "node", node: n, file: t.file };
    const found = packageSpecOf(n.text, t.file);
    if (found?.spec.type !== "type_spec" && found?.spec.type !== "type_alias") return undefined;
    return underlying(nodeType(found.spec.child("type"), found.file), depth + 1);
  }
  return { kind: "node", node: n, file: t.file };
}

/** The underlying kind of a type, when known. */
export function shapeOf(t: TypeRef | undefined): TypeShape | undefined {
  const u = underlying(t);
  if (!u) return undefined;
  if (u.kind === "pointer") return "pointer";
  if (u.kind === "slice") return "slice";
  if (u.kind === "basic") return u.name === "string" ? "string" : u.name === "bool" ? "bool" : "number";
  if (u.kind === "named") return undefined;
  const n = u.node;
  if (n.type === "type_identifier" || n.type === "identifier") {
    if (n.text === "string") return "string";
    if (n.text === "bool") return "bool";
    return BASIC.has(n.text) ? "number" : undefined;
  }
  if (n.type === "qualified_type" && u.file.imports.pathOf(n.child("package")?.text ?? "") === "unsafe") return "pointer";
  return typeShape(n, u.file);
}

/** True when a value of the type holds no pointers; false when it does; undefined when unknown. */
export function pointerFree(t: TypeRef | undefined, depth = 0): boolean | undefined {
  if (!t || depth > MAX_DEPTH) return undefined;
  const u = underlying(t);
  if (!u) return undefined;
  if (u.kind === "basic") return true;
  if (u.kind === "named") return undefined;
  if (u.kind !== "node") return false;
  const n = u.node;
  if (n.type === "qualified_type") {
    const path = u.file.imports.pathOf(n.child("package")?.text ?? "");
    if (path && POINTER_FREE_QUALIFIED.has(`${path}.${n.child("name")?.text ?? ""}`)) return true;
  }
  const shape = shapeOf(u);
  switch (shape) {
    case "string":
    case "number":
    case "bool":
      return true;
    case "pointer":
    case "slice":
    case "map":
    case "chan":
    case "func":
    case "interface":
      return false;
    case "array":
      return pointerFree(nodeType(n.child("element"), u.file), depth + 1);
    case "struct": {
      if (n.type !== "struct_type") return undefined;
      let all: boolean | undefined = true;
      for (const field of n.descendants("field_declaration")) {
        if (field.parent?.parent !== n) continue;
        const free = pointerFree(nodeType(field.child("type"), u.file), depth + 1);
        if (free === false) return false;
        if (free === undefined) all = undefined;
      }
      return all;
    }
    default:
      return undefined;
  }
}

const BASIC_LITERALS = new Set(["interpreted_string_literal", "raw_string_literal", "int_literal", "float_literal", "imaginary_literal", "rune_literal", "true", "false"]);

/**
 * True when the value of an expression holds no pointers by its shape alone, when its type is
 * not written down: a basic literal, an arithmetic, comparison or logical expression (Go's
 * binary operators only yield numbers, strings and booleans), or an expression of a type known
 * to be pointer-free. Used for package-level variables declared without a type.
 */
export function pointerFreeValue(expr: GoNode | undefined, file: FileScope, depth = 0): boolean {
  const e = unparen(expr);
  if (!e || depth > MAX_DEPTH) return false;
  if (BASIC_LITERALS.has(e.type) || e.type === "binary_expression") return true;
  if (e.type === "unary_expression" && /^(-|\+|!|\^)$/.test(e.child("operator")?.text ?? "")) return true;
  if (pointerFree(typeOfExpr(e, file)) === true) return true;
  // A conversion to a pointer-free type written as a call: `time.Duration(5)`, `uint32(n)`.
  const args = e.type === "call_expression" ? (e.child("arguments")?.namedChildren ?? []) : [];
  const fn = unparen(e.child("function"));
  if (args.length !== 1 || !fn) return false;
  if (fn.type === "identifier" && !declarationOf(fn)) {
    if (isBasicTypeName(fn.text, file)) return true;
    const found = packageSpecOf(fn.text, file);
    return (found?.spec.type === "type_spec" || found?.spec.type === "type_alias") && pointerFree(nodeType(fn, file)) === true;
  }
  if (fn.type === "selector_expression" && isImportQualifier(fn.child("operand"), file)) {
    const path = file.imports.pathOf(fn.child("operand")?.text ?? "");
    return !!path && POINTER_FREE_QUALIFIED.has(`${path}.${fn.child("field")?.text ?? ""}`);
  }
  return false;
}

/** The pointee of a pointer type. */
export function pointee(t: TypeRef | undefined): TypeRef | undefined {
  const u = underlying(t);
  if (!u) return undefined;
  if (u.kind === "pointer") return u.to;
  if (u.kind === "node" && u.node.type === "pointer_type") return nodeType(u.node.namedChildren[0], u.file);
  return undefined;
}

/** The element type of a slice, array, pointer to array, map (its values), channel or string. */
export function elementOf(t: TypeRef | undefined): TypeRef | undefined {
  let u = underlying(t);
  if (!u) return undefined;
  if (u.kind === "slice") return u.of;
  const target = pointee(u);
  if (target) {
    u = underlying(target);
    if (u?.kind !== "node" || (u.node.type !== "array_type" && u.node.type !== "implicit_length_array_type")) return undefined;
  }
  if (u.kind !== "node") return undefined;
  const n = u.node;
  switch (n.type) {
    case "slice_type":
    case "array_type":
    case "implicit_length_array_type":
      return nodeType(n.child("element"), u.file);
    case "map_type":
      return nodeType(n.child("value"), u.file);
    case "channel_type":
      return nodeType(n.child("value") ?? n.namedChildren[n.namedChildren.length - 1], u.file);
    case "type_identifier":
      return n.text === "string" ? { kind: "basic", name: "byte" } : undefined;
    default:
      return undefined;
  }
}

/** The key type of a map. */
export function keyOf(t: TypeRef | undefined): TypeRef | undefined {
  const u = underlying(t);
  return u?.kind === "node" && u.node.type === "map_type" ? nodeType(u.node.child("key"), u.file) : undefined;
}

/** The type of field `name` of a struct or pointer to struct (promoted fields of embedded structs included). */
export function fieldOf(t: TypeRef | undefined, name: string, depth = 0): TypeRef | undefined {
  if (!t || depth > 3) return undefined;
  const u = underlying(pointee(t) ?? t);
  if (u?.kind !== "node" || u.node.type !== "struct_type") return undefined;
  const embedded: TypeRef[] = [];
  for (const field of u.node.descendants("field_declaration")) {
    if (field.parent?.parent !== u.node) continue;
    const type = field.child("type");
    const names = field.childrenOf("name");
    if (names.some((n) => n.text === name)) return nodeType(type, u.file);
    if (names.length === 0 && type) {
      if (embeddedName(type) === name) return nodeType(type, u.file);
      embedded.push({ kind: "node", node: type, file: u.file });
    }
  }
  for (const e of embedded) {
    const found = fieldOf(e, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The name a type gets as an embedded field: `*pkg.T` and `T[int]` embed as `T`. */
export function embeddedName(type: GoNode | undefined): string | undefined {
  let t = type;
  while (t?.type === "pointer_type" || t?.type === "parenthesized_type") t = t.namedChildren[0];
  if (t?.type === "generic_type") t = t.child("type");
  if (t?.type === "qualified_type") return t.child("name")?.text;
  return t?.type === "type_identifier" ? t.text : undefined;
}

/** The package type a type names, through at most one pointer: `T`, `*T`, `*T[int]` → `T` (undefined for other packages' and literal types). */
export function namedTypeOf(t: TypeRef | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === "pointer") return namedTypeOf(t.to);
  if (t.kind !== "node") return undefined;
  let n: GoNode | undefined = t.node;
  while (n?.type === "parenthesized_type") n = n.namedChildren[0];
  if (n?.type === "pointer_type") n = n.namedChildren[0];
  if (n?.type === "generic_type") n = n.child("type");
  if ((n?.type !== "type_identifier" && n?.type !== "identifier") || BASIC.has(n.text)) return undefined;
  return n.text;
}

/** True when a type node is written as a named type that is not a pointer (`T`, `pkg.T`, `T[int]`). */
export function isNamedValueType(t: TypeRef | undefined): boolean {
  if (t?.kind !== "node") return false;
  let n: GoNode | undefined = t.node;
  while (n?.type === "parenthesized_type") n = n.namedChildren[0];
  return n?.type === "type_identifier" || n?.type === "qualified_type" || n?.type === "generic_type";
}

/** True when `id` is the qualifier of `pkg.Name` (an import not shadowed by a local). */
export function isImportQualifier(id: GoNode | undefined, file: FileScope): boolean {
  const e = unparen(id);
  return e?.type === "identifier" && !!file.imports.pathOf(e.text) && !declarationOf(e);
}

/** The declared type of a variable from its declaring identifier (parameters, receivers, locals, range variables). */
export function typeOfDeclaration(decl: GoNode, file: FileScope, depth = 0): TypeRef | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const parent = decl.parent;
  if (parent?.type === "variadic_parameter_declaration") {
    const inner = nodeType(parent.child("type"), file);
    return inner ? { kind: "slice", of: inner } : undefined;
  }
  // `for k, v := range x`
  if (parent?.type === "expression_list" && parent.field === "left" && parent.parent?.type === "range_clause") {
    const range = parent.parent;
    const over = typeOfExpr(range.child("right"), file, depth + 1);
    const index = parent.namedChildren.indexOf(decl);
    const shape = shapeOf(over);
    if (shape === "chan") return index === 0 ? elementOf(over) : undefined;
    if (index === 0) return shape === "map" ? keyOf(over) : undefined;
    return elementOf(over);
  }
  const init = initializerOf(decl);
  if (!init) return undefined;
  if (init.type) return nodeType(init.type, file);
  if (!init.value) return undefined;
  const value = unparen(init.value);
  if (value?.type === "call_expression") return resultTypeOf(value, init.resultIndex, file, depth + 1);
  // `v, ok := x.(T)`, `v, ok := m[k]`: the first result has the expression's type.
  if (init.resultIndex !== 0) return undefined;
  return value ? typeOfExpr(value, file, depth + 1) : undefined;
}

/**
 * Answers of the questions below by node, depth and file. Each is a pure function of the syntax
 * trees and the package's declarations, and rules ask them again and again of the same calls
 * (every resource rule asks what each call returns): the first answer is kept. The depth is part
 * of the key, since a question asked deeper in a chain may be cut short where a shallower one is not.
 */
class Answers<T> {
  private readonly byNode = new WeakMap<GoNode, { file: FileScope; answers: Map<number, T> }>();

  get(node: GoNode, file: FileScope, key: number, compute: () => T): T {
    let entry = this.byNode.get(node);
    if (entry?.file !== file) {
      entry = { file, answers: new Map() };
      this.byNode.set(node, entry);
    }
    if (entry.answers.has(key)) return entry.answers.get(key)!;
    const answer = compute();
    entry.answers.set(key, answer);
    return answer;
  }
}

const expressionTypes = new Answers<TypeRef | undefined>();
const resultTypes = new Answers<TypeRef | undefined>();
const callees = new Answers<{ node: GoNode; file: FileScope } | undefined>();

/** The type of an expression, as far as declarations tell. */
export function typeOfExpr(expr: GoNode | undefined, file: FileScope, depth = 0): TypeRef | undefined {
  const e = unparen(expr);
  if (!e || depth > MAX_DEPTH) return undefined;
  return expressionTypes.get(e, file, depth, () => computeTypeOfExpr(e, file, depth));
}

function computeTypeOfExpr(e: GoNode, file: FileScope, depth: number): TypeRef | undefined {
  switch (e.type) {
    case "identifier": {
      const decl = declarationOf(e);
      if (decl) return typeOfDeclaration(decl, file, depth + 1);
      const found = packageSpecOf(e.text, file);
      if (found?.spec.type !== "var_spec") return undefined;
      const type = found.spec.child("type");
      if (type) return nodeType(type, found.file);
      const names = found.spec.childrenOf("name");
      const values = found.spec.child("value")?.namedChildren ?? [];
      if (values.length !== names.length) return undefined;
      return typeOfExpr(values[names.findIndex((n) => n.text === e.text)], found.file, depth + 1);
    }
    case "selector_expression": {
      const operand = e.child("operand");
      if (isImportQualifier(operand, file)) return undefined;
      return fieldOf(typeOfExpr(operand, file, depth + 1), e.child("field")?.text ?? "");
    }
    case "index_expression":
      return elementOf(typeOfExpr(e.child("operand"), file, depth + 1));
    case "slice_expression": {
      const t = typeOfExpr(e.child("operand"), file, depth + 1);
      const shape = shapeOf(t);
      if (shape === "array" || (shape === "pointer" && shapeOf(pointee(t)) === "array")) {
        const elem = elementOf(t);
        return elem ? { kind: "slice", of: elem } : undefined;
      }
      return t;
    }
    case "unary_expression": {
      const op = e.child("operator")?.text;
      const t = typeOfExpr(e.child("operand"), file, depth + 1);
      if (op === "&") return t ? { kind: "pointer", to: t } : undefined;
      if (op === "*") return pointee(t);
      if (op === "<-") return elementOf(t);
      return undefined;
    }
    case "composite_literal":
      return nodeType(e.child("type"), file);
    case "type_assertion_expression":
    case "type_conversion_expression":
      return nodeType(e.child("type"), file);
    case "call_expression":
      return resultTypeOf(e, 0, file, depth + 1);
    default:
      return undefined;
  }
}

/**
 * The type of the `index`-th result of a call: builtins and conversions, the declared results of
 * the package function or method it invokes, a standard call's result, or — for a method whose
 * receiver is unknown — the result every package method of that name declares alike.
 */
export function resultTypeOf(call: GoNode, index: number, file: FileScope, depth = 0): TypeRef | undefined {
  if (depth > MAX_DEPTH) return undefined;
  return resultTypes.get(call, file, index * (MAX_DEPTH + 1) + depth, () => computeResultTypeOf(call, index, file, depth));
}

/** Builtins whose result type is that of an argument: `new(T)`, `make(T)`, `append(s, …)`. */
const TYPED_BY_ARGUMENT = new Set(["new", "make", "append"]);

/**
 * A test of whether a call's result may be of one of `types` (package path and type names; behind
 * a pointer or not) for {@link resultTypeOf}, told from the callee's name before any type is
 * asked: a builtin typed by its argument, a standard call of the table that returns one, or a
 * name the package declares near a type name in a package that may import its path (gathered
 * once per file). False is sure; true is for `resultTypeOf` to settle. Rules make one per kind
 * of value they track, and list its `standardNames` (the standard callees, by name) among their
 * trigger words: a declaration that calls one is the rule's to look at.
 */
export function mayReturnNamed(types: readonly (readonly [string, readonly string[]])[]): ((call: GoNode, file: FileScope) => boolean) & { standardNames: readonly string[] } {
  const standardNames = new Set<string>();
  for (const [path, names] of types) for (const name of names) for (const callee of stdNamesReturning(path, name)) standardNames.add(callee);
  const known = new Set([...TYPED_BY_ARGUMENT, ...standardNames]);
  const typeNames = types.flatMap(([, names]) => names);
  const byFile = new WeakMap<FileScope, { names: Set<string>; unread: FileScope[]; answers: Map<string, boolean> }>();
  const test = (call: GoNode, file: FileScope): boolean => {
    const callee = calleeName(call);
    if (callee === "" || known.has(callee)) return callee !== "";
    let entry = byFile.get(file);
    if (!entry) {
      // The names of the package's files at hand, gathered once per file analyzed; a file known
      // only by its summary is kept aside, and read only for a callee it mentions.
      entry = { names: new Set(), unread: [], answers: new Map() };
      for (const f of [file, ...(file.siblingFiles()?.files ?? [])]) {
        let unread = false;
        for (const t of typeNames) {
          const names = f.namesDeclaredWith(t, false);
          if (names) for (const n of names) entry.names.add(n);
          else unread = true;
        }
        if (unread) entry.unread.push(f);
      }
      byFile.set(file, entry);
    }
    let answer = entry.answers.get(callee);
    if (answer === undefined) {
      const declared = entry.names.has(callee) || entry.unread.some((f) => f.mayMention(callee) && typeNames.some((t) => f.namesDeclaredWith(t, true)?.has(callee)));
      // The imports are asked only once a declaration is found.
      answer = declared && types.some(([path]) => file.packageImports(path));
      entry.answers.set(callee, answer);
    }
    return answer;
  };
  return Object.assign(test, { standardNames: [...standardNames] });
}

function computeResultTypeOf(call: GoNode, index: number, file: FileScope, depth: number): TypeRef | undefined {
  const fn = unparen(call.child("function"));
  if (index === 0) {
    const args = call.child("arguments")?.namedChildren ?? [];
    if (isPlainCall(call, "new") && args[0]) return { kind: "pointer", to: { kind: "node", node: args[0], file } };
    if (isPlainCall(call, "make") && args[0]) return nodeType(args[0], file);
    if (isPlainCall(call, "append")) return typeOfExpr(args[0], file, depth + 1);
    if (fn?.type === "identifier" && !declarationOf(fn)) {
      const found = packageSpecOf(fn.text, file);
      if (found?.spec.type === "type_spec" || found?.spec.type === "type_alias") return nodeType(fn, file);
    }
  }
  if (fn?.type === "selector_expression" && isImportQualifier(fn.child("operand"), file)) {
    return stdType(file.imports.qualifiedName(fn), index);
  }
  const callee = resolveCall(call, file, depth + 1);
  if (callee) return declaredResults(callee.node, callee.file)[index];
  if (fn?.type !== "selector_expression") return undefined;
  const { name } = callParts(call);
  const operandType = typeOfExpr(fn.child("operand"), file, depth + 1);
  const receiver = externalNamed(operandType);
  if (receiver) return stdType(`${receiver.path}.${receiver.name}.${name}`, index);
  // A method of a package interface: its declared results.
  const iface = underlying(pointee(operandType) ?? operandType);
  if (iface?.kind === "node" && iface.node.type === "interface_type") {
    const elem = iface.node.namedChildren.find((m) => m.type === "method_elem" && m.child("name")?.text === name);
    return elem ? declaredResults(elem, iface.file)[index] : undefined;
  }
  return agreedResult(file.packageMethodsIn(name), index);
}

function stdType(qualified: string | undefined, index: number): TypeRef | undefined {
  const t = qualified ? stdResult(qualified, index) : undefined;
  if (!t) return undefined;
  const named: TypeRef = { kind: "named", path: t.path, name: t.name };
  return t.pointer ? { kind: "pointer", to: named } : named;
}

/** The result type that all `methods` declare at `index` (same spelling, same packages), if they agree. */
function agreedResult(methods: readonly { file: FileScope; node: GoNode }[], index: number): TypeRef | undefined {
  let agreed: TypeRef | undefined;
  let key: string | undefined;
  for (const m of methods) {
    const t = declaredResults(m.node, m.file)[index];
    if (t?.kind !== "node") return undefined;
    const k = typeKey(t);
    if (key !== undefined && k !== key) return undefined;
    agreed = t;
    key = k;
  }
  return agreed;
}

/** The spelling of a type node with its package qualifiers resolved: `*net/http.Response`. */
function typeKey(t: { node: GoNode; file: FileScope }): string {
  return t.node.text.replace(/\b([\p{L}_][\p{L}\p{N}_]*)\./gu, (_m, q: string) => `${t.file.imports.pathOf(q) ?? q}.`);
}

/** The types of a function's (or an interface method's) declared results in order (named results expanded: `(n int, err error)`). */
export function declaredResults(fn: GoNode, file: FileScope): (TypeRef | undefined)[] {
  const result = fn.child("result");
  if (!result) return [];
  if (result.type !== "parameter_list") return [nodeType(result, file)];
  const out: (TypeRef | undefined)[] = [];
  for (const decl of result.namedChildren) {
    const type = nodeType(decl.child("type"), file);
    const names = decl.childrenOf("name").length;
    for (let i = 0; i < Math.max(1, names); i++) out.push(type);
  }
  return out;
}

/** The named type of another package a type is (through one pointer): `*sql.Rows` → database/sql.Rows. */
export function externalNamed(t: TypeRef | undefined): { path: string; name: string } | undefined {
  let u = t;
  if (u?.kind === "pointer") u = u.to;
  if (u?.kind === "named") return { path: u.path, name: u.name };
  if (u?.kind !== "node") return undefined;
  let n: GoNode | undefined = u.node;
  while (n?.type === "parenthesized_type") n = n.namedChildren[0];
  if (n?.type === "pointer_type") n = n.namedChildren[0];
  if (n?.type !== "qualified_type") return undefined;
  const path = u.file.imports.pathOf(n.child("package")?.text ?? "");
  const name = n.child("name")?.text;
  return path && name ? { path, name } : undefined;
}

/** True when a type is one of `names` of package `path` (optionally behind a pointer). */
export function isNamedType(t: TypeRef | undefined, path: string, names: readonly string[]): boolean {
  const named = externalNamed(t);
  return !!named && named.path === path && names.includes(named.name);
}

/** The declared receiver type name of a method: `func (c *Conn[T]) …` → `Conn`. */
export function receiverTypeName(method: GoNode): string | undefined {
  const type = method.child("receiver")?.namedChildren[0]?.child("type");
  return embeddedName(type);
}

/**
 * The package function or method a call invokes, with the file that declares it, when memlint
 * can tell. A plain call `f(x)` resolves to the package function `f` (this file or a sibling
 * file). A method call `x.m(…)` resolves only when the declared type of `x` is syntactically
 * known and a method `m` of that type (or of a struct it embeds) exists in the package.
 */
export function resolveCall(call: GoNode, file: FileScope, depth = 0): { node: GoNode; file: FileScope } | undefined {
  return callees.get(call, file, depth, () => computeResolveCall(call, file, depth));
}

function computeResolveCall(call: GoNode, file: FileScope, depth: number): { node: GoNode; file: FileScope } | undefined {
  const fn = unparen(call.child("function"));
  if (fn?.type === "identifier") {
    if (declarationOf(fn)) return undefined; // a local func value
    return file.packageFunctionIn(fn.text);
  }
  if (fn?.type !== "selector_expression") return undefined;
  const operand = fn.child("operand");
  const name = fn.child("field")?.text ?? "";
  if (!operand || !name || isImportQualifier(operand, file)) return undefined;
  // No method of that name: nothing to resolve, and the operand's type is not asked.
  if (!file.declaresPackageMethod(name)) return undefined;
  // The receiver's type may itself come from a call (`a.b().c()`): the depth bounds the chain.
  // It is asked first: only the methods that may be declared on it are then parsed.
  const type = typeOfExpr(operand, file, depth + 1);
  const typeName = namedTypeOf(type);
  if (!typeName) return undefined;
  const direct = file.packageMethodsIn(name, [typeName]).filter((m) => receiverTypeName(m.node) === typeName);
  if (direct.length === 1) return direct[0];
  if (direct.length > 1) return undefined;
  // A method promoted from an embedded struct field.
  const struct = underlying(type && type.kind === "pointer" ? type.to : type);
  if (struct?.kind !== "node") return undefined;
  const target = struct.node.type === "pointer_type" ? underlying(nodeType(struct.node.namedChildren[0], struct.file)) : struct;
  if (target?.kind !== "node" || target.node.type !== "struct_type") return undefined;
  const embedded: string[] = [];
  for (const field of target.node.descendants("field_declaration")) {
    if (field.parent?.parent !== target.node || field.childrenOf("name").length > 0) continue;
    const typeName = embeddedName(field.child("type"));
    if (typeName) embedded.push(typeName);
  }
  const candidates = embedded.length > 0 ? file.packageMethodsIn(name, embedded) : [];
  const promoted = new Set<{ node: GoNode; file: FileScope }>();
  for (const m of candidates) if (embedded.includes(receiverTypeName(m.node)!)) promoted.add(m);
  return promoted.size === 1 ? [...promoted][0] : undefined;
}

/** The underlying kind of a type node, as far as this file declares it. */
export type TypeShape = "pointer" | "map" | "chan" | "func" | "interface" | "slice" | "array" | "struct" | "string" | "number" | "bool";

const BASIC_SHAPES: Record<string, TypeShape> = {
  string: "string", bool: "bool", byte: "number", rune: "number", uintptr: "number",
  int: "number", int8: "number", int16: "number", int32: "number", int64: "number",
  uint: "number", uint8: "number", uint16: "number", uint32: "number", uint64: "number",
  float32: "number", float64: "number", complex64: "number", complex128: "number",
  any: "interface", error: "interface",
};

/** Underlying kinds of a few standard-library types, as `path.Name`. */
const KNOWN_SHAPES: Record<string, TypeShape> = {
  "bytes.Buffer": "struct", "bytes.Reader": "struct", "strings.Builder": "struct", "strings.Reader": "struct",
  "time.Time": "struct", "time.Duration": "number", "net.IP": "slice", "encoding/json.RawMessage": "slice",
  "net/http.Header": "map", "net/url.Values": "map", "context.Context": "interface", "io.Reader": "interface",
  "io.Writer": "interface",
};

/**
 * The underlying kind of a type node: type literals, predeclared names, and named types declared
 * at package level in this file (followed through a few definitions and aliases), and a few
 * standard-library types. Undefined for anything else (other packages' types, type parameters,
 * local type declarations).
 */
export function typeShape(type: GoNode | undefined, file: FileScope, depth = SHAPE_DEPTH): TypeShape | undefined {
  let t = type;
  while (t?.type === "parenthesized_type") t = t.namedChildren[0];
  if (!t || depth < 0) return undefined;
  switch (t.type) {
    case "pointer_type": return "pointer";
    case "map_type": return "map";
    case "channel_type": return "chan";
    case "function_type": return "func";
    case "interface_type": return "interface";
    case "slice_type": return "slice";
    case "array_type":
    case "implicit_length_array_type": return "array";
    case "struct_type": return "struct";
    case "type_identifier":
      return shapeOfTypeName(t.text, file, depth);
    case "generic_type":
      return typeShape(t.child("type"), file, depth);
    case "qualified_type": {
      const path = file.imports.pathOf(t.child("package")?.text ?? "");
      return path ? KNOWN_SHAPES[`${path}.${t.child("name")?.text ?? ""}`] : undefined;
    }
    default:
      return undefined;
  }
}

/** The underlying kind of a type named by a bare identifier: predeclared, or declared at package level in this file. */
export function shapeOfTypeName(name: string, file: FileScope, depth = SHAPE_DEPTH): TypeShape | undefined {
  const spec = file.packageLevel(name);
  if (spec?.type === "type_spec" || spec?.type === "type_alias") return typeShape(spec.child("type"), file, depth - 1);
  return spec ? undefined : BASIC_SHAPES[name];
}

/**
 * The package-level `var_spec`/`const_spec`/`type_spec` of a name in this package: this file
 * first, then its sibling files (when memlint knows the package), with the file that declares it.
 */
export function packageSpecOf(name: string, file: FileScope): { spec: GoNode; file: FileScope } | undefined {
  const own = file.packageLevel(name);
  if (own) return { spec: own, file };
  for (const sibling of file.siblingFiles()?.files ?? []) {
    const spec = sibling.packageLevel(name);
    if (spec) return { spec, file: sibling };
  }
  return undefined;
}
