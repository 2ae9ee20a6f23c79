/** Compile-time constants: integer values of constant expressions, constant durations, and whether an identifier names a constant. */
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf, initializerOf, referencesOf } from "./scope.js";
import { unparen } from "./syntax.js";
import { packageSpecOf } from "./types.js";

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
 * How many times a `for` loop's body runs, when the code fixes it: `for range 3`, `for i := 0;
 * i < n; i++` with constant bounds and a counter the body does not assign, a range over a
 * composite literal, or over a variable initialized with one that nothing assigns to or appends
 * to (a local, or a package-level table when memlint knows the whole package). Undefined
 * otherwise (a `break` may end it sooner; this is the most it can run).
 */
export function constantIterations(loop: GoNode, file: FileScope): number | undefined {
  const clause = loop.namedChildren.find((c) => c.type === "for_clause" || c.type === "range_clause");
  if (clause?.type === "range_clause") {
    const over = unparen(clause.child("right"));
    const count = constantInt(over, file);
    if (count !== undefined) return Math.max(0, count);
    return over ? fixedLength(over, file) : undefined;
  }
  if (clause?.type !== "for_clause") return undefined;
  const init = clause.child("initializer");
  const cond = unparen(clause.child("condition"));
  const update = clause.child("update");
  if (init?.type !== "short_var_declaration" || cond?.type !== "binary_expression") return undefined;
  const counter = init.child("left")?.namedChildren;
  const from = init.child("right")?.namedChildren;
  if (counter?.length !== 1 || from?.length !== 1) return undefined;
  const i = counter[0]!;
  const start = constantInt(from[0], file);
  const op = cond.child("operator")?.text;
  const bound = constantInt(cond.child("right"), file);
  if (start === undefined || bound === undefined || unparen(cond.child("left"))?.text !== i.text || (op !== "<" && op !== "<=")) return undefined;
  if (!isIncrement(update, i.text)) return undefined;
  // The body must not move the counter.
  const body = loop.child("body");
  if (body && referencesOf(i).some((use) => use.within(body) && isWritten(use))) return undefined;
  return Math.max(0, bound - start + (op === "<=" ? 1 : 0));
}

/** `i++` or `i += 1`. */
function isIncrement(update: GoNode | undefined, name: string): boolean {
  if (update?.type === "inc_statement") return update.namedChildren[0]?.text === name;
  if (update?.type !== "assignment_statement" || update.child("operator")?.text !== "+=") return false;
  return update.child("left")?.text === name && update.child("right")?.text === "1";
}

/** The number of elements of a composite literal, or of a variable that only ever holds one (see {@link constantIterations}). */
function fixedLength(expr: GoNode, file: FileScope): number | undefined {
  if (expr.type === "composite_literal") return expr.child("body")?.namedChildren.length;
  if (expr.type !== "identifier") return undefined;
  const decl = declarationOf(expr);
  if (decl) {
    const init = initializerOf(decl);
    const value = unparen(init?.value);
    if (value?.type !== "composite_literal" || referencesOf(decl).some(isWritten)) return undefined;
    return value.child("body")?.namedChildren.length;
  }
  const spec = packageSpecOf(expr.text, file)?.spec;
  if (spec?.type !== "var_spec" || file.siblingFiles()?.complete === false) return undefined;
  const names = spec.childrenOf("name");
  const values = spec.child("value")?.namedChildren ?? [];
  const value = values.length === names.length ? unparen(values[names.findIndex((n) => n.text === expr.text)]) : undefined;
  if (value?.type !== "composite_literal") return undefined;
  for (const { node } of file.packageDeclarationsMentioning(expr.text, ["func", "method", "var"])) {
    if (node.descendants("identifier").some((id) => id.text === expr.text && !declarationOf(id) && id.parent?.type !== "var_spec" && isWritten(id))) return undefined;
  }
  return value.child("body")?.namedChildren.length;
}

/** The variable (or an element or field of it) is assigned, incremented, appended to, or has its address taken. */
function isWritten(id: GoNode): boolean {
  let e = id;
  while (e.parent && (e.parent.type === "index_expression" || e.parent.type === "selector_expression" || e.parent.type === "parenthesized_expression") && e.field !== "index") e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === "expression_list" && p.field === "left") return true;
  if (p.type === "inc_statement" || p.type === "dec_statement") return true;
  if (p.type === "unary_expression" && p.child("operator")?.text === "&") return true;
  const call = p.type === "argument_list" ? p.parent : undefined;
  return !!call && call.child("function")?.text === "append" && p.namedChildren[0] === e;
}

/**
 * True when nested `loops` (as `enclosingLoops` lists them) run their innermost body at most `max`
 * times in all, each by {@link constantIterations}: a handful of fixed rounds.
 */
export function runsAtMost(loops: readonly GoNode[], max: number, file: FileScope): boolean {
  if (loops.length === 0) return false;
  let total = 1;
  for (const loop of loops) {
    const n = constantIterations(loop, file);
    if (n === undefined) return false;
    total *= n;
  }
  return total <= max;
}
