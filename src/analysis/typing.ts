/**
 * Is an expression, by how the package declares it, a value of a given package type? There is
 * no type checker: this follows composite literals (`&http.Client{}`), `new(T)`, declared types
 * of variables, parameters and struct fields, known package-level values and constructor
 * functions, through at most a few local aliases (`c := s.client`), and the types `types.ts`
 * infers. Unknown is false.
 */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf, initializerOf } from "./scope.js";
import { isPlainCall, unparen } from "./syntax.js";
import { embeddedName, isNamedType, typeOfExpr } from "./types.js";

export interface TypeSpec {
  /** Import path of the type's package: `net/http`. */
  path: string;
  /** Type names (pointers to them included): `["Client"]`. */
  names: readonly string[];
  /** Package-level values of the type, as `path.Name`: `net/http.DefaultClient`. */
  values?: readonly string[];
  /** Functions whose first result has the type, as `path.Name`: `database/sql.Open`. */
  constructors?: readonly string[];
}

const ALIAS_DEPTH = 3;

/**
 * True when the package declares `expr` (a variable, field selector or value) as one of the
 * spec's types: by the spec's own values and constructors, or by the types the package facts
 * give it (a package helper's declared result, a standard call's result, a field's type).
 */
export function isDeclaredAs(expr: GoNode | undefined, file: FileScope, spec: TypeSpec): boolean {
  return declaredAs(expr, file, spec, ALIAS_DEPTH) || isNamedType(typeOfExpr(expr, file), spec.path, spec.names);
}

function declaredAs(expr: GoNode | undefined, file: FileScope, spec: TypeSpec, depth: number): boolean {
  const e = unparen(expr);
  if (!e || depth < 0) return false;
  if (e.type === "identifier") {
    const decl = declarationOf(e);
    if (decl) {
      const init = initializerOf(decl);
      if (!init) return false;
      if (init.type) return isTypeNode(init.type, file, spec);
      return !!init.value && valueIs(init.value, init.resultIndex, file, spec, depth);
    }
    const pkg = file.packageLevel(e.text);
    if (pkg?.type !== "var_spec") return false;
    const type = pkg.child("type");
    if (type) return isTypeNode(type, file, spec);
    const names = pkg.childrenOf("name");
    const values = pkg.child("value")?.namedChildren ?? [];
    const index = names.findIndex((n) => n.text === e.text);
    if (values.length === names.length) return valueIs(values[index], 0, file, spec, depth);
    return values.length === 1 && valueIs(values[0], index, file, spec, depth);
  }
  if (e.type === "selector_expression") {
    const qualified = file.imports.qualifiedName(e);
    if (qualified) return spec.values?.includes(qualified) ?? false;
    const field = e.child("field")?.text ?? "";
    // `g.client` with `g` of a same-file struct type: that struct's field decides.
    const struct = localStructOf(e.child("operand"), file);
    if (struct) {
      const decl = fieldsOf(struct).find((f) => f.names.includes(field));
      return !!decl && isTypeNode(decl.type, file, spec);
    }
    return isFieldOfType(field, file, spec);
  }
  return valueIs(e, 0, file, spec, depth);
}

/** True when a type node is one of the spec's types (optionally behind `*`). */
export function isTypeNode(type: GoNode | undefined, file: FileScope, spec: TypeSpec): boolean {
  return spec.names.some((name) => file.imports.isType(type, spec.path, name));
}

/**
 * True when every same-file struct field called `name` (at least one) has one of the spec's
 * types; an embedded `*http.Client` counts as a field `Client`.
 */
export function isFieldOfType(name: string, file: FileScope, spec: TypeSpec): boolean {
  if (!name) return false;
  let found = false;
  for (const decl of file.declarationsMentioning(name, ["type"])) {
    for (const field of fieldsOf(decl)) {
      if (!field.names.includes(name)) continue;
      if (!isTypeNode(field.type, file, spec)) return false;
      found = true;
    }
  }
  return found;
}

/** The struct fields declared under a node: names (an embedded `*http.Client` is `Client`) and type. */
function fieldsOf(node: GoNode): { names: string[]; type: GoNode | undefined }[] {
  return node.descendants("field_declaration").map((field) => {
    const type = field.child("type");
    const names = field.childrenOf("name").map((n) => n.text);
    const embedded = names.length === 0 ? embeddedName(type) : undefined;
    return { names: embedded ? [embedded] : names, type };
  });
}

/** For an identifier of a same-file named struct type (`g *Gateway`, `g := &Gateway{}`), that struct's type node. */
function localStructOf(operand: GoNode | undefined, file: FileScope): GoNode | undefined {
  const id = unparen(operand);
  if (id?.type !== "identifier") return undefined;
  const decl = declarationOf(id);
  const init = decl ? initializerOf(decl) : undefined;
  if (!init) return undefined;
  let type = init.type;
  if (!type && init.resultIndex === 0) {
    let v = unparen(init.value);
    if (v?.type === "unary_expression" && v.child("operator")?.text === "&") v = unparen(v.child("operand"));
    if (v?.type === "composite_literal") type = v.child("type");
  }
  return namedStructOf(type, file);
}


function valueIs(value: GoNode | undefined, resultIndex: number, file: FileScope, spec: TypeSpec, depth: number): boolean {
  let v = unparen(value);
  if (v?.type === "unary_expression" && v.child("operator")?.text === "&") v = unparen(v.child("operand"));
  if (!v) return false;
  if (v.type === "composite_literal") return resultIndex === 0 && isTypeNode(v.child("type"), file, spec);
  if (v.type === "call_expression") {
    if (resultIndex !== 0) return false;
    if (isPlainCall(v, "new")) return isTypeNode(v.child("arguments")?.namedChildren[0], file, spec);
    const name = file.imports.qualifiedName(v);
    return !!name && (spec.constructors?.includes(name) ?? false);
  }
  if (resultIndex === 0 && (v.type === "identifier" || v.type === "selector_expression")) return declaredAs(v, file, spec, depth - 1);
  return false;
}

/** The same-file struct type a type node names (`T`, `*T`, `T[int]`), if it is one: its `struct_type` node. */
export function namedStructOf(type: GoNode | undefined, file: FileScope, depth = ALIAS_DEPTH): GoNode | undefined {
  let t = type;
  while (t?.type === "pointer_type" || t?.type === "parenthesized_type") t = t.namedChildren[0];
  if (t?.type === "generic_type") t = t.child("type");
  if (t?.type !== "type_identifier" || depth < 0) return undefined;
  const spec = file.packageLevel(t.text);
  const under = spec?.type === "type_spec" || spec?.type === "type_alias" ? spec.child("type") : undefined;
  if (under?.type === "struct_type") return under;
  return under?.type === "type_identifier" ? namedStructOf(under, file, depth - 1) : undefined;
}

/** The fields of a `struct_type` node: their names (an embedded `*pkg.T` is `T`) and type nodes. */
export function structFields(struct: GoNode): { names: string[]; type: GoNode | undefined }[] {
  return fieldsOf(struct);
}
