/**
 * Derivation: which parameters (or package-level variables) a value may share memory with.
 *
 * A value is described by two sets of roots. `alias` roots are those whose memory the value may
 * *be* or point into (`p`, `p[i:j]`, `&p[i]`, `*p`, a pointer-typed `p.f`, `append(p, …)`,
 * `bytes.TrimSpace(p)`, `unsafe.Slice(&p[0], n)`). `held` roots are those a fresh container
 * holds (`Frame{Buf: p}`, `[]any{p}`, a map that was given `p`, a func literal that captures
 * `p`). Both count as "derived"; the distinction matters for stores: writing into an alias of
 * `p` writes into `p`'s memory, writing into a fresh container does not.
 *
 * Roots are named by the parameter or receiver name, and `var:NAME` for package-level variables.
 * Copies end derivation (`string(b)`, `[]byte(s)`, `append(dst, p...)`, `bytes.Clone`, …): only
 * the calls listed here derive; every other call result is fresh. Element and field reads
 * derive only when the declared element or field type is known to hold pointers.
 */
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { capturedVariables, declarationOf } from "../analysis/scope.js";
import { callParts, isPlainCall, parametersOf, unparen } from "../analysis/syntax.js";
import { packageSpecOf } from "../analysis/types.js";
import { elementOf, fieldOf, isBasicTypeName, isImportQualifier, nodeType, pointerFree, pointerFreeValue, shapeOf, type TypeRef, typeOfDeclaration, typeOfExpr } from "../analysis/types.js";

export interface Val {
  readonly alias: ReadonlySet<string>;
  readonly held: ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();
export const NONE: Val = { alias: EMPTY, held: EMPTY };

/** Every root a value is derived from. */
export function rootsOf(v: Val): Set<string> {
  return new Set([...v.alias, ...v.held]);
}

export function isNone(v: Val): boolean {
  return v.alias.size === 0 && v.held.size === 0;
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  return new Set([...a, ...b]);
}

export function join(a: Val, b: Val): Val {
  if (isNone(b)) return a;
  if (isNone(a)) return b;
  return { alias: union(a.alias, b.alias), held: union(a.held, b.held) };
}

/** The value as held by a container it is stored into. */
export function heldBy(v: Val): Val {
  return { alias: EMPTY, held: rootsOf(v) };
}

/** A value that aliases the given roots. */
export function aliasOf(roots: Iterable<string>): Val {
  const set = new Set(roots);
  return set.size === 0 ? NONE : { alias: set, held: EMPTY };
}

/** The state of the local variables at one point: declaring identifier → value. */
export type State = Map<GoNode, Val>;

export interface Root {
  name: string;
  kind: "parameter" | "receiver" | "package";
  /** The declaring identifier (parameter or receiver name, or the package-level variable's name). */
  decl: GoNode;
}

const PACKAGE_PREFIX = "var:";

/** True for the root of a package-level variable. */
export function isPackageRoot(name: string): boolean {
  return name.startsWith(PACKAGE_PREFIX);
}

/** The variable name of a package root (`var:cache` → `cache`). */
export function packageRootName(name: string): string {
  return name.slice(PACKAGE_PREFIX.length);
}

/** `bytes` functions whose results share the first argument's memory, and which results do. */
const BYTES_DERIVING = /^(Trim\w*|Fields\w*|Split\w*|Cut|CutPrefix|CutSuffix|NewBuffer|NewReader)$/;
const UNSAFE_DERIVING = new Set(["Slice", "String", "SliceData", "StringData", "Add"]);

const MAX_DEPTH = 40;

/**
 * Evaluates derivation for one function: its parameters and receiver are roots (unless their
 * declared type holds no pointers: a string, an int, a struct of those), and so are the
 * package-level variables it reads.
 */
export class Derivation {
  readonly roots = new Map<string, Root>();
  private readonly rootByDecl = new Map<GoNode, Root>();
  /** Package-level variables whose type holds no pointers: reading one copies it (slicing or taking its address does not). */
  private readonly copiedOnRead = new Set<string>();
  /**
   * Roots that already reached a sink inside a func literal's body: the literal itself then no
   * longer carries them (one finding for one flow).
   */
  readonly reportedInside = new Map<GoNode, Set<string>>();

  constructor(
    readonly fn: GoNode,
    readonly file: FileScope,
  ) {
    const receiver = fn.child("receiver")?.namedChildren[0];
    const receiverName = receiver?.child("name");
    if (receiverName) this.addParameterRoot(receiverName, "receiver");
    for (const p of parametersOf(fn)) if (p.name) this.addParameterRoot(p.name, "parameter");
  }

  private addParameterRoot(decl: GoNode, kind: "parameter" | "receiver"): void {
    if (decl.text === "_") return;
    if (pointerFree(typeOfDeclaration(decl, this.file)) === true) return;
    const root: Root = { name: decl.text, kind, decl };
    this.roots.set(root.name, root);
    this.rootByDecl.set(decl, root);
  }

  /** The root a declaring identifier is, if it is one of the function's parameters or its receiver. */
  rootOfDeclaration(decl: GoNode): Root | undefined {
    return this.rootByDecl.get(decl);
  }

  /** The root for a package-level variable named by an identifier that no local declares. */
  packageRoot(id: GoNode): Root | undefined {
    if (id.type !== "identifier" || declarationOf(id) || isImportQualifier(id, this.file)) return undefined;
    const name = PACKAGE_PREFIX + id.text;
    const known = this.roots.get(name);
    if (known) return known;
    const found = packageSpecOf(id.text, this.file);
    if (found?.spec.type !== "var_spec") return undefined;
    const decl = found.spec.childrenOf("name").find((n) => n.text === id.text) ?? id;
    const root: Root = { name, kind: "package", decl };
    this.roots.set(name, root);
    if (this.pointerFreeVariable(found.spec, id.text, found.file)) this.copiedOnRead.add(name);
    return root;
  }

  /** A package-level variable of a declared pointer-free type, or without a type and with a pointer-free initializer. */
  private pointerFreeVariable(spec: GoNode, name: string, file: FileScope): boolean {
    const type = spec.child("type");
    if (type) return pointerFree(nodeType(type, file)) === true;
    const names = spec.childrenOf("name");
    const values = spec.child("value")?.namedChildren ?? [];
    if (values.length !== names.length) return false;
    return pointerFreeValue(values[names.findIndex((n) => n.text === name)], file);
  }

  /** The value a variable holds in `st` (its initial value for a parameter). */
  variable(decl: GoNode, st: State): Val {
    const v = st.get(decl);
    if (v) return v;
    const root = this.rootByDecl.get(decl);
    return root ? aliasOf([root.name]) : NONE;
  }

  /** The derivation of an expression evaluated in state `st`. */
  eval(expr: GoNode | undefined, st: State, depth = 0): Val {
    const e = unparen(expr);
    if (!e || depth > MAX_DEPTH) return NONE;
    switch (e.type) {
      case "identifier": {
        const decl = declarationOf(e);
        if (decl) return this.variable(decl, st);
        const root = this.packageRoot(e);
        if (!root || (this.copiedOnRead.has(root.name) && !addressed(e))) return NONE;
        return aliasOf([root.name]);
      }
      case "slice_expression":
        return this.eval(e.child("operand"), st, depth + 1);
      case "index_expression": {
        const operand = e.child("operand");
        const base = this.eval(operand, st, depth + 1);
        return isNone(base) ? NONE : this.element(base, elementOf(typeOfExpr(operand, this.file)));
      }
      case "selector_expression": {
        const operand = e.child("operand");
        if (isImportQualifier(operand, this.file)) return NONE;
        const base = this.eval(operand, st, depth + 1);
        return isNone(base) ? NONE : this.element(base, fieldOf(typeOfExpr(operand, this.file), e.child("field")?.text ?? ""));
      }
      case "unary_expression": {
        const op = e.child("operator")?.text;
        const operand = e.child("operand");
        if (op === "&") return this.address(operand, st, depth + 1);
        if (op === "*") return this.eval(operand, st, depth + 1);
        // A receive gives what was sent on a local channel (held by it).
        if (op === "<-") return aliasOf(this.eval(operand, st, depth + 1).held);
        return NONE;
      }
      case "type_assertion_expression":
        return this.eval(e.child("operand"), st, depth + 1);
      case "type_conversion_expression":
        return this.conversion(nodeType(e.child("type"), this.file), e.child("operand"), st, depth);
      case "composite_literal":
        return this.literal(e, st, depth);
      case "func_literal":
        return this.closure(e, st);
      case "call_expression":
        return this.call(e, 0, st, depth);
      default:
        return NONE;
    }
  }

  /**
   * The derivation of result `index` of an expression bound to `count` variables:
   * `v, ok := x.(T)`, `v, ok := m[k]`, `v, ok := <-ch`, `before, after, found := bytes.Cut(p, sep)`.
   */
  evalResult(expr: GoNode | undefined, index: number, count: number, st: State): Val {
    const e = unparen(expr);
    if (!e) return NONE;
    if (count === 1) return this.eval(e, st);
    if (e.type === "call_expression") return this.call(e, index, st, 0);
    return index === 0 ? this.eval(e, st) : NONE;
  }

  /** A read of an element or field of `base` whose declared type is `type`. */
  element(base: Val, type: TypeRef | undefined): Val {
    const free = pointerFree(type);
    if (free === true) return NONE;
    if (free === false) return aliasOf([...base.alias, ...base.held]);
    // Unknown type: only what a local container was given is known to come back out.
    return aliasOf(base.held);
  }

  /** `&x`: the address of a place lies in the memory of the place's base. */
  private address(place: GoNode | undefined, st: State, depth: number): Val {
    const p = unparen(place);
    if (!p) return NONE;
    if (p.type === "index_expression" || (p.type === "selector_expression" && !isImportQualifier(p.child("operand"), this.file))) {
      return this.eval(p.child("operand"), st, depth + 1);
    }
    return this.eval(p, st, depth + 1);
  }

  private literal(lit: GoNode, st: State, depth: number): Val {
    const held = new Set<string>();
    const visit = (body: GoNode | undefined, d: number) => {
      if (!body || d > MAX_DEPTH) return;
      for (const el of body.namedChildren) {
        const value = el.type === "keyed_element" ? el.child("value") : el;
        const inner = value?.type === "literal_element" ? value.namedChildren[0] : value;
        if (!inner) continue;
        if (inner.type === "literal_value") visit(inner, d + 1);
        else for (const r of rootsOf(this.eval(inner, st, depth + 1))) held.add(r);
      }
    };
    visit(lit.child("body"), 0);
    return held.size === 0 ? NONE : { alias: EMPTY, held };
  }

  /** A func literal holds what it captures. */
  private closure(lit: GoNode, st: State): Val {
    const held = new Set<string>();
    const skip = this.reportedInside.get(lit);
    for (const decl of capturedVariables(lit)) {
      for (const r of rootsOf(this.variable(decl, st))) if (!skip?.has(r)) held.add(r);
    }
    return held.size === 0 ? NONE : { alias: EMPTY, held };
  }

  /** A conversion to `type` of `operand`: derived, except the copying ones and conversions to pointer-free types. */
  private conversion(type: TypeRef | undefined, operand: GoNode | undefined, st: State, depth: number): Val {
    const target = shapeOf(type);
    if (target === "string") return NONE; // string(b) copies
    if (target === "slice") {
      // `[]byte(s)`, `[]rune(s)` copy a string; a conversion between slice types does not.
      const from = shapeOf(typeOfExpr(operand, this.file));
      if (from !== "slice") return NONE;
    }
    if (pointerFree(type) === true) return NONE;
    return this.eval(operand, st, depth + 1);
  }

  private call(call: GoNode, index: number, st: State, depth: number): Val {
    const fn = unparen(call.child("function"));
    const args = call.child("arguments")?.namedChildren ?? [];
    const first = () => aliasOf(rootsOf(this.eval(args[0], st, depth + 1)));
    // Conversions written as calls: `unsafe.Pointer(p)`, `(*T)(p)`, `T(p)`, `string(b)`.
    if (args.length === 1 && index === 0) {
      if (this.file.imports.match(call, "unsafe", ["Pointer"])) return this.eval(args[0], st, depth + 1);
      if (fn?.type === "parenthesized_expression") {
        const inner = unparen(fn);
        if (inner?.type === "unary_expression" && inner.child("operator")?.text === "*") return this.eval(args[0], st, depth + 1);
      }
      if (fn?.type === "parenthesized_type" || fn?.type === "pointer_type") return this.eval(args[0], st, depth + 1);
      if (fn?.type === "identifier" && !declarationOf(fn)) {
        if (isBasicTypeName(fn.text, this.file)) return NONE;
        if (fn.text === "any") return this.eval(args[0], st, depth + 1);
        const found = packageSpecOf(fn.text, this.file);
        if (found?.spec.type === "type_spec" || found?.spec.type === "type_alias") {
          return this.conversion({ kind: "node", node: fn, file: this.file }, args[0], st, depth);
        }
      }
    }
    if (isPlainCall(call, "append") && fn && !declarationOf(fn)) {
      if (index !== 0) return NONE;
      const base = this.eval(args[0], st, depth + 1);
      const held = new Set(base.held);
      // `append(dst, p...)` copies p's elements; `append(dst, p)` keeps p itself.
      for (const arg of args.slice(1)) if (arg.type !== "variadic_argument") for (const r of rootsOf(this.eval(arg, st, depth + 1))) held.add(r);
      return { alias: base.alias, held };
    }
    const bytesFn = this.file.imports.match(call, "bytes");
    if (bytesFn && BYTES_DERIVING.test(bytesFn)) {
      if (bytesFn === "Cut" ? index > 1 : index > 0) return NONE;
      return first();
    }
    const unsafeFn = this.file.imports.match(call, "unsafe");
    if (unsafeFn && UNSAFE_DERIVING.has(unsafeFn) && index === 0) return first();
    return NONE;
  }
}

/** True when a variable is sliced or has its address taken (`v[:]`, `&v`, `&v.f`, `&v[i]`, `v.a[i:j]`) rather than read. */
function addressed(id: GoNode): boolean {
  let e: GoNode = id;
  for (;;) {
    const p = e.parent;
    if (!p) return false;
    if (p.type === "parenthesized_expression") e = p;
    else if ((p.type === "selector_expression" || p.type === "index_expression") && e.field === "operand") e = p;
    else if (p.type === "slice_expression" && e.field === "operand") return true;
    else return p.type === "unary_expression" && p.child("operator")?.text === "&";
  }
}

/** The name of what a call invokes, for messages: `Send`, `w.Send`. */
export function calledName(call: GoNode): string {
  const { receiver, name } = callParts(call);
  return receiver ? `${receiver.text}.${name}` : name;
}
