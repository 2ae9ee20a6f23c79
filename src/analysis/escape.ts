/**
 * Escape of a tracked local value: does ownership of it leave the function?
 *
 * An escaping value is never reported by the resource rules; this is what keeps them quiet on
 * constructors, hand-offs and wrappers where other analyzers raise false alarms.
 */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { referencesOf } from "./scope.js";
import { callParts, unparen } from "./syntax.js";

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
]);

export interface EscapeOptions {
  /**
   * Fields through which the tracked resource is reached: with `["Body"]`, passing `resp.Body`
   * to a function counts like passing `resp`. Other fields (`resp.StatusCode`) never escape.
   */
  through?: readonly string[];
}

/** The first use of the variable declared at `decl` through which its value escapes. */
export function findEscape(decl: GoNode, file: FileScope, options: EscapeOptions = {}): GoNode | undefined {
  for (const use of referencesOf(decl)) {
    const value = trackedExpression(use, options.through ?? []);
    if (value && escapesAt(value, file)) return use;
  }
  return undefined;
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
export function escapesAt(value: GoNode, file: FileScope): boolean {
  let e = value;
  for (;;) {
    const p = e.parent;
    if (!p) return false;
    if (p.type === "parenthesized_expression" || (p.type === "unary_expression" && p.child("operator")?.text === "&")) {
      e = p;
      continue;
    }
    // A conversion or assertion to another type still carries the value: `io.Closer(f)`, `x.(T)`.
    if (p.type === "type_conversion_expression" || p.type === "type_assertion_expression") {
      e = p;
      continue;
    }
    break;
  }
  const p = e.parent!;
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
      return !isNonOwningCall(call, file);
    }
    default:
      return false;
  }
}

function assignedOnlyToBlank(stmt: GoNode): boolean {
  const left = stmt.child("left");
  return !!left && left.namedChildren.every((n) => n.text === "_");
}

function isNonOwningCall(call: GoNode, file: FileScope): boolean {
  const name = file.imports.qualifiedName(call);
  if (name && NON_OWNING.has(name)) return true;
  // Conversions written as calls (`string(b)`, `len(x)`) and other builtins don't keep the value.
  const fn = unparen(call.child("function"));
  if (fn?.type === "identifier" && ["len", "cap", "string", "print", "println"].includes(fn.text)) return true;
  return false;
}

/** The argument index at which `value` is passed to `call`, or -1. */
export function argumentIndex(call: GoNode, value: GoNode): number {
  return callParts(call).args.findIndex((a) => value.within(a));
}
