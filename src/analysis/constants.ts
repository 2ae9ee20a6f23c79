/** Compile-time constants: integer values of constant expressions, constant durations, and whether an identifier names a constant. */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf } from "./scope.js";
import { unparen } from "./syntax.js";

const MAX_DEPTH = 8;

/**
 * The integer value of a constant expression: literals (`64<<10`, `0x1000`, `1_000`), `+ - * / % << >> | &`,
 * parentheses, and constants declared in this function or at package level in this file. Undefined otherwise.
 */
export function constantInt(expr: GoNode | undefined, file: FileScope, depth = 0): number | undefined {
  const e = unparen(expr);
  if (!e || depth > MAX_DEPTH) return undefined;
  switch (e.type) {
    case "int_literal":
      return parseIntLiteral(e.text);
    case "binary_expression": {
      const l = constantInt(e.child("left"), file, depth + 1);
      const r = constantInt(e.child("right"), file, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      switch (e.child("operator")?.text) {
        case "+": return l + r;
        case "-": return l - r;
        case "*": return l * r;
        case "/": return r === 0 ? undefined : Math.trunc(l / r);
        case "%": return r === 0 ? undefined : l % r;
        case "<<": return r > 52 ? undefined : l * 2 ** r;
        case ">>": return Math.floor(l / 2 ** r);
        case "|": return l <= 0x7fffffff && r <= 0x7fffffff ? l | r : undefined;
        case "&": return l <= 0x7fffffff && r <= 0x7fffffff ? l & r : undefined;
        default: return undefined;
      }
    }
    case "unary_expression": {
      const v = constantInt(e.child("operand"), file, depth + 1);
      const op = e.child("operator")?.text;
      return v === undefined ? undefined : op === "-" ? -v : op === "+" ? v : undefined;
    }
    case "identifier": {
      const spec = constantSpecOf(e, file);
      return spec && constantInt(constantValueOf(spec.spec, spec.name.text), file, depth + 1);
    }
    default:
      return undefined;
  }
}

/**
 * The value of a package-level integer constant named `name`: declared in this file or, when
 * memlint knows the package, in a sibling file (evaluated there). Undefined when there is no such
 * constant or its value is not a constant integer expression memlint can fold.
 */
export function packageIntConstant(name: string, file: FileScope): number | undefined {
  for (const scope of [file, ...(file.siblingFiles()?.files ?? [])]) {
    const spec = scope.packageLevel(name);
    if (!spec) continue;
    return spec.type === "const_spec" ? constantInt(constantValueOf(spec, name), scope) : undefined;
  }
  return undefined;
}

/** The expression a `const_spec` gives `name`; none for an implicit repetition (`iota` lists), whose value is unknown here. */
function constantValueOf(spec: GoNode, name: string): GoNode | undefined {
  const names = spec.childrenOf("name");
  const values = spec.child("value")?.namedChildren ?? [];
  return values.length === names.length ? values[names.findIndex((n) => n.text === name)] : undefined;
}

/** For an identifier that names a constant (local `const`, or package-level in this file), its `const_spec` and declaring name. */
export function constantSpecOf(id: GoNode, file: FileScope): { spec: GoNode; name: GoNode } | undefined {
  if (id.type !== "identifier") return undefined;
  const decl = declarationOf(id);
  if (decl) return decl.parent?.type === "const_spec" ? { spec: decl.parent, name: decl } : undefined;
  const spec = file.packageLevel(id.text);
  if (spec?.type !== "const_spec") return undefined;
  const name = spec.childrenOf("name").find((n) => n.text === id.text);
  return name ? { spec, name } : undefined;
}

function parseIntLiteral(text: string): number | undefined {
  const t = text.replace(/_/g, "").toLowerCase();
  let v: number;
  if (t.startsWith("0x")) v = Number.parseInt(t.slice(2), 16);
  else if (t.startsWith("0b")) v = Number.parseInt(t.slice(2), 2);
  else if (t.startsWith("0o")) v = Number.parseInt(t.slice(2), 8);
  else if (t.length > 1 && t.startsWith("0")) v = Number.parseInt(t.slice(1), 8);
  else v = Number.parseInt(t, 10);
  return Number.isFinite(v) ? v : undefined;
}

/** Nanoseconds per unit of the `time` package's duration constants. */
const TIME_UNITS: Record<string, number> = {
  Nanosecond: 1,
  Microsecond: 1e3,
  Millisecond: 1e6,
  Second: 1e9,
  Minute: 60e9,
  Hour: 3600e9,
};

/**
 * The value in nanoseconds of a constant `time.Duration` expression: `10 * time.Millisecond`,
 * `time.Second / 2`, `1.5 * time.Second` (alias-resolved `time` units, numeric literals and
 * constants of this file, `+ - * /`). Undefined for anything computed at run time.
 */
export function constantDuration(expr: GoNode | undefined, file: FileScope, depth = 0): number | undefined {
  const e = unparen(expr);
  if (!e || depth > MAX_DEPTH) return undefined;
  switch (e.type) {
    case "int_literal":
      return parseIntLiteral(e.text);
    case "float_literal": {
      const v = Number.parseFloat(e.text.replace(/_/g, ""));
      return Number.isFinite(v) ? v : undefined;
    }
    case "selector_expression": {
      const unit = file.imports.match(e, "time", Object.keys(TIME_UNITS));
      return unit ? TIME_UNITS[unit] : undefined;
    }
    case "call_expression": {
      // `time.Duration(5) * time.Second`
      const args = e.child("arguments")?.namedChildren ?? [];
      return file.imports.match(e, "time", ["Duration"]) && args.length === 1 ? constantDuration(args[0], file, depth + 1) : undefined;
    }
    case "binary_expression": {
      const l = constantDuration(e.child("left"), file, depth + 1);
      const r = constantDuration(e.child("right"), file, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      switch (e.child("operator")?.text) {
        case "+": return l + r;
        case "-": return l - r;
        case "*": return l * r;
        case "/": return r === 0 ? undefined : l / r;
        default: return undefined;
      }
    }
    case "identifier": {
      const spec = constantSpecOf(e, file);
      return spec && constantDuration(constantValueOf(spec.spec, spec.name.text), file, depth + 1);
    }
    default:
      return undefined;
  }
}

/**
 * How many times a `for` statement's body runs, when the loop says so with constants:
 * `for i := A; i < B; i++` (or `<=`, `i += 1`), `for … range N` over an integer constant, over a
 * slice or array literal, over a package-level variable of this file initialised with one, or
 * over a value of an array type of constant length. Undefined for anything else (the body may
 * still leave early; this is the most it can run).
 */
export function constantTripCount(loop: GoNode, file: FileScope): number | undefined {
  const clause = loop.children.find((c) => c.type === "for_clause" || c.type === "range_clause");
  if (clause?.type === "range_clause") return rangeLength(clause.child("right"), file, 0);
  if (clause?.type !== "for_clause") return undefined;
  const init = clause.child("initializer");
  const cond = unparen(clause.child("condition"));
  const update = clause.child("update");
  if (init?.type !== "short_var_declaration" || cond?.type !== "binary_expression" || !update) return undefined;
  const left = init.child("left")?.namedChildren ?? [];
  const right = init.child("right")?.namedChildren ?? [];
  const counter = left[0];
  if (left.length !== 1 || right.length !== 1 || counter?.type !== "identifier") return undefined;
  const from = constantInt(right[0], file);
  const incremented =
    (update.type === "inc_statement" && update.namedChildren[0]?.text === counter.text) ||
    (update.type === "assignment_statement" && update.child("operator")?.text === "+=" && update.child("left")?.text === counter.text && constantInt(update.child("right")?.namedChildren[0], file) === 1);
  if (from === undefined || !incremented) return undefined;
  const op = cond.child("operator")?.text;
  const l = unparen(cond.child("left"));
  const r = unparen(cond.child("right"));
  const bound = l?.text === counter.text ? constantInt(r, file) : r?.text === counter.text ? constantInt(l, file) : undefined;
  if (bound === undefined) return undefined;
  const counterLeft = l?.text === counter.text;
  if ((counterLeft && op === "<") || (!counterLeft && op === ">")) return Math.max(0, bound - from);
  if ((counterLeft && op === "<=") || (!counterLeft && op === ">=")) return Math.max(0, bound - from + 1);
  return undefined;
}

/** The number of elements a range expression yields when it is a constant: an integer, a literal, a fixed package list, an array. */
function rangeLength(expr: GoNode | undefined, file: FileScope, depth: number): number | undefined {
  const e = unparen(expr);
  if (!e || depth > 2) return undefined;
  const n = constantInt(e, file);
  if (n !== undefined) return Math.max(0, n);
  if (e.type === "composite_literal") {
    const type = e.child("type");
    if (type?.type !== "slice_type" && type?.type !== "array_type" && type?.type !== "implicit_length_array_type") return undefined;
    return e.child("body")?.namedChildren.filter((c) => c.type === "literal_element" || c.type === "keyed_element").length;
  }
  if (e.type === "identifier" && !declarationOf(e)) {
    const spec = file.packageLevel(e.text);
    if (spec?.type !== "var_spec") return undefined;
    const names = spec.childrenOf("name");
    const values = spec.child("value")?.namedChildren ?? [];
    const type = spec.child("type");
    if (type?.type === "array_type") return constantInt(type.child("length"), file);
    return values.length === names.length ? rangeLength(values[names.findIndex((name) => name.text === e.text)], file, depth + 1) : undefined;
  }
  if (e.type === "identifier") {
    const decl = declarationOf(e);
    const type = decl?.parent?.type === "var_spec" || decl?.parent?.type === "parameter_declaration" ? decl.parent.child("type") : undefined;
    return type?.type === "array_type" ? constantInt(type.child("length"), file) : undefined;
  }
  return undefined;
}
