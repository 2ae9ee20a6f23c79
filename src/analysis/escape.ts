/**
 * Escape of a tracked local value: does ownership of it leave the function?
 *
 * An escaping value is never reported by the resource rules; this is what keeps them quiet on
 * constructors, hand-offs and wrappers where other analyzers raise false alarms.
 */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf, packageLevelSpec, referencesOf } from "./scope.js";
import { callParts, rootIdentifier, unparen } from "./syntax.js";

/** Calls that read from or wrap a value without taking ownership of it (path.Name). */
const NON_OWNING = new Set([
  "io.ReadAll", "io/ioutil.ReadAll", "io.Copy", "io.CopyN", "io.CopyBuffer", "io.ReadFull", "io.ReadAtLeast",
  "io.LimitReader", "io.TeeReader", "io.MultiReader",
  "encoding/json.NewDecoder", "encoding/xml.NewDecoder", "encoding/csv.NewReader", "encoding/gob.NewDecoder",
  "bufio.NewReader", "bufio.NewReaderSize", "bufio.NewScanner",
  "fmt.Print", "fmt.Printf", "fmt.Println", "fmt.Sprint", "fmt.Sprintf", "fmt.Sprintln", "fmt.Errorf",
  "fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln", "fmt.Fscan", "fmt.Fscanf", "fmt.Fscanln",
  "log.Print", "log.Printf", "log.Println", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf",
  "net/http/httputil.DumpResponse", "mime/multipart.NewReader", "compress/gzip.NewReader", "errors.Is", "errors.As",
  // Writers and encoders wrap the value without closing it (the catalog's `bufio.New*`).
  "bufio.NewWriter", "bufio.NewWriterSize", "bufio.NewReadWriter", "io.WriteString",
  "encoding/json.NewEncoder", "encoding/xml.NewEncoder", "encoding/csv.NewWriter", "encoding/gob.NewEncoder",
  // Duplicators: the result has its own descriptor, the argument still needs closing.
  "net.FileListener", "net.FileConn", "net.FilePacketConn",
  "io.NopCloser", "io/ioutil.NopCloser",
  // Inspection: a helper that looks at a value's dynamic type or fields does not take it over.
  "reflect.TypeOf", "reflect.ValueOf",
]);

export interface EscapeOptions {
  /**
   * Fields through which the tracked resource is reached: with `["Body"]`, passing `resp.Body`
   * to a function counts like passing `resp`. Other fields (`resp.StatusCode`) never escape.
   */
  through?: readonly string[];
  /** Further calls that use a value without taking ownership of it (e.g. any `C.` call for cgo memory). */
  nonOwning?: (call: GoNode) => boolean;
}

/** The first use of the variable declared at `decl` through which its value escapes. */
export function findEscape(decl: GoNode, file: FileScope, options: EscapeOptions = {}): GoNode | undefined {
  // A named result leaves with every bare `return`.
  if (isNamedResult(decl)) return decl;
  for (const use of referencesOf(decl)) {
    const value = trackedExpression(use, options.through ?? []);
    if (value && escapesAt(value, file, options.nonOwning)) return use;
    if (escapingClosure(use, decl, file)) return use;
  }
  return undefined;
}

/** True when `decl` names a result parameter: `func open() (f *os.File, err error)`. */
export function isNamedResult(decl: GoNode): boolean {
  const list = decl.parent?.parent;
  return decl.parent?.type === "parameter_declaration" && list?.type === "parameter_list" && list.field === "result";
}

/**
 * The func literal around `use` (inside the variable's function) that leaves the function with
 * what it captures: returned, stored, sent, or bound to a local that is. A literal passed as a
 * callback argument or called in place does not count.
 */
export function escapingClosure(use: GoNode, decl: GoNode, file: FileScope): GoNode | undefined {
  for (const a of use.ancestors()) {
    if (decl.within(a)) return undefined;
    if (a.type === "func_literal" && closureLeaves(a, file, 1)) return a;
  }
  return undefined;
}

function closureLeaves(value: GoNode, file: FileScope, depth: number): boolean {
  let e = value;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const p = e.parent;
  if (!p || p.field === "left" || p.type === "argument_list" || (p.type === "call_expression" && e.field === "function")) return false;
  if (p.type === "expression_list" && (p.parent?.type === "short_var_declaration" || p.parent?.type === "var_spec" || p.parent?.type === "assignment_statement")) {
    const stmt = p.parent;
    const targets = stmt.type === "var_spec" ? stmt.childrenOf("name") : (stmt.child("left")?.namedChildren ?? []);
    const target = targets[p.namedChildren.indexOf(e)];
    if (target?.type !== "identifier") return target !== undefined;
    if (target.text === "_") return false;
    const local = stmt.type === "assignment_statement" ? declarationOf(target) : target;
    if (!local) return true; // a package-level variable
    if (depth <= 0) return false;
    return referencesOf(local).some((r) => closureLeaves(r, file, depth - 1));
  }
  return escapesAt(e, file);
}

/** The expression that carries the tracked value at this use: `v`, or `v.Body` for through-fields. */
function trackedExpression(use: GoNode, through: readonly string[]): GoNode | undefined {
  const parent = use.parent;
  if (parent?.type === "selector_expression" && use.field === "operand") {
    const field = parent.child("field")?.text ?? "";
    return through.includes(field) ? parent : undefined;
  }
  return use;
}

/** Whether a value expression, in its position, hands the value to somebody else. */
export function escapesAt(value: GoNode, file: FileScope, nonOwning?: (call: GoNode) => boolean): boolean {
  let e = carrierOf(value, file);
  while (e.parent?.type === "unary_expression" && e.parent.child("operator")?.text === "&") e = carrierOf(e.parent, file);
  const p = e.parent;
  if (!p) return false;
  switch (p.type) {
    case "return_statement":
    case "literal_element":
    case "keyed_element":
    case "send_statement":
      return p.type !== "send_statement" || e.field === "value";
    case "expression_list": {
      const stmt = p.parent;
      if (!stmt) return false;
      if (stmt.type === "return_statement") return true;
      if ((stmt.type === "assignment_statement" || stmt.type === "short_var_declaration") && p.field === "right") {
        return !assignedOnlyToBlank(stmt);
      }
      if (stmt.type === "var_spec" && p.field === "value") return true;
      return false;
    }
    case "argument_list": {
      const call = p.parent!;
      return !isNonOwningCall(call, file) && !nonOwning?.(call);
    }
    default:
      return false;
  }
}

function assignedOnlyToBlank(stmt: GoNode): boolean {
  const left = stmt.child("left");
  return !!left && left.namedChildren.every((n) => n.text === "_");
}

/** A stdlib reader, writer, formatter or duplicator, or a builtin that reads: the value stays with the caller. */
export function isNonOwningCall(call: GoNode, file: FileScope): boolean {
  const name = file.imports.qualifiedName(call);
  if (name && NON_OWNING.has(name)) return true;
  // Conversions written as calls (`string(b)`, `len(x)`) and other builtins don't keep the value.
  const fn = unparen(call.child("function"));
  if (fn?.type === "identifier" && ["len", "cap", "string", "print", "println"].includes(fn.text)) return true;
  return false;
}

/**
 * The outermost expression that still carries a value through parentheses, conversions and
 * assertions: `io.Closer(f)`, `x.(T)`, and conversions written as calls, `unsafe.Pointer(p)`, `(*C.char)(p)`.
 */
export function carrierOf(value: GoNode, file: FileScope): GoNode {
  let e = value;
  for (;;) {
    const p = e.parent;
    if (p?.type === "parenthesized_expression" || p?.type === "type_conversion_expression" || p?.type === "type_assertion_expression") e = p;
    else if (p?.type === "argument_list" && p.parent && isConversionCall(p.parent, file)) e = p.parent;
    else return e;
  }
}

/** Standard interfaces a value is converted to and kept as (`conn = net.Conn(tlsConn)`, `io.Closer(f)`). */
const INTERFACES: Readonly<Record<string, readonly string[]>> = {
  net: ["Conn", "Listener", "PacketConn"],
  io: ["Closer", "ReadCloser", "WriteCloser", "ReadWriteCloser", "Reader", "Writer", "ReadWriter"],
};

/** A call that is a conversion carrying its single argument: `unsafe.Pointer(p)`, `(*T)(p)`, `net.Conn(c)`. */
export function isConversionCall(call: GoNode, file: FileScope): boolean {
  if (call.type !== "call_expression" || (call.child("arguments")?.namedChildren.length ?? 0) !== 1) return false;
  if (file.imports.match(call, "unsafe", ["Pointer"])) return true;
  if (Object.entries(INTERFACES).some(([path, names]) => file.imports.match(call, path, names) !== undefined)) return true;
  const fn = call.child("function");
  const inner = fn?.type === "parenthesized_expression" ? fn.namedChildren[0] : undefined;
  return (inner?.type === "unary_expression" && inner.child("operator")?.text === "*") || inner?.type === "pointer_type";
}

/** The argument index at which `value` is passed to `call`, or -1. */
export function argumentIndex(call: GoNode, value: GoNode): number {
  return callParts(call).args.findIndex((a) => value.within(a));
}

/**
 * Whether an assignment target outlives the call: a package-level variable, or a field, element
 * or pointee of a parameter, receiver or package-level variable.
 */
export function outlivesCall(target: GoNode, file: FileScope): boolean {
  const t = unparen(target);
  if (!t) return false;
  if (t.type === "identifier") return packageLevelSpec(t, file)?.type === "var_spec";
  const root = rootIdentifier(t);
  if (!root || root === t) return false;
  const decl = declarationOf(root);
  if (decl) return decl.parent?.type === "parameter_declaration" || decl.parent?.type === "variadic_parameter_declaration";
  return packageLevelSpec(root, file)?.type === "var_spec";
}
