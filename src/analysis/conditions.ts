/**
 * Correlated branches: what the conditions around a statement tell about a later condition on
 * the same variable. `if existing > 0 { f = open() } … if existing == 0 { f = create() }`: where
 * `f` was opened, `existing` is positive, so the second branch cannot be taken on that path
 * unless `existing` changed in between. Only locals compared with literals (`x > 0`,
 * `mode == "append"`, `p != nil`, a bool `x`) are understood; anything else is unknown.
 */
import type { GoNode } from "./node.js";
import { declarationOf, referencesOf, usesOf } from "./scope.js";
import { enclosingFunction, isFunction, unparen } from "./syntax.js";

/** The values a variable may hold: an integer interval, or (for other literals) one value or all but one. */
type Values = { kind: "range"; lo: number; hi: number } | { kind: "is"; value: string } | { kind: "not"; value: string };

/** A fact about one local variable, and the condition it comes from. */
export interface Guard {
  decl: GoNode;
  values: Values;
  condition: GoNode;
}

const MAX_DEPTH = 8;

/**
 * Facts that hold wherever `stmt` runs, from the `if` statements around it (the condition held
 * for a statement in the consequence, failed for one in the else branch), about variables the
 * code between the condition and `stmt` does not write.
 */
export function guardsOf(stmt: GoNode): Guard[] {
  const guards: Guard[] = [];
  let inner = stmt;
  for (const a of stmt.ancestors()) {
    if (isFunction(a)) break;
    if (a.type === "if_statement") {
      const condition = a.child("condition");
      const holds = inner === a.child("consequence") ? true : inner === a.child("alternative") ? false : undefined;
      if (condition && holds !== undefined) {
        for (const fact of factsOf(condition, holds)) {
          if (!writtenBetween(fact.decl, condition.end, stmt.start)) guards.push({ ...fact, condition });
        }
      }
    }
    inner = a;
  }
  return guards;
}

/**
 * The value of `cond` under what `known` says about its variables: true or false when the facts
 * decide it, undefined otherwise. Follows `&&`, `||` and `!`.
 */
export function evaluate(cond: GoNode, known: (decl: GoNode) => Values | undefined, depth = 0): boolean | undefined {
  const e = unparen(cond);
  if (!e || depth > MAX_DEPTH) return undefined;
  if (e.type === "unary_expression" && e.child("operator")?.text === "!") {
    const v = evaluate(e.child("operand")!, known, depth + 1);
    return v === undefined ? undefined : !v;
  }
  if (e.type === "binary_expression" && (e.child("operator")?.text === "&&" || e.child("operator")?.text === "||")) {
    const and = e.child("operator")?.text === "&&";
    const l = evaluate(e.child("left")!, known, depth + 1);
    const r = evaluate(e.child("right")!, known, depth + 1);
    if (l === !and || r === !and) return !and;
    return l === and && r === and ? and : undefined;
  }
  const atom = atomOf(e);
  const fact = atom && known(atom.decl);
  return fact && implies(fact, atom.values);
}

/** Facts that hold when `cond` evaluates to `holds`: each conjunct of a true `&&`, each disjunct of a false `||`. */
function factsOf(cond: GoNode, holds: boolean, depth = 0): { decl: GoNode; values: Values }[] {
  const e = unparen(cond);
  if (!e || depth > MAX_DEPTH) return [];
  if (e.type === "unary_expression" && e.child("operator")?.text === "!") return factsOf(e.child("operand")!, !holds, depth + 1);
  const op = e.type === "binary_expression" ? e.child("operator")?.text : undefined;
  if ((op === "&&" && holds) || (op === "||" && !holds)) return [...factsOf(e.child("left")!, holds, depth + 1), ...factsOf(e.child("right")!, holds, depth + 1)];
  const atom = atomOf(e);
  if (!atom) return [];
  const values = holds ? atom.values : complement(atom.values);
  return values ? [{ decl: atom.decl, values }] : [];
}

/** `x OP literal`, `literal OP x`, or a bare `x` (a bool), for a local variable `x`. */
function atomOf(e: GoNode): { decl: GoNode; values: Values } | undefined {
  if (e.type === "identifier") {
    const decl = trackable(e);
    return decl && { decl, values: { kind: "is", value: "true" } };
  }
  if (e.type !== "binary_expression") return undefined;
  const op = e.child("operator")?.text ?? "";
  const l = unparen(e.child("left"));
  const r = unparen(e.child("right"));
  if (!l || !r) return undefined;
  const [id, literal, flipped] = l.type === "identifier" && literalOf(r) !== undefined ? [l, r, false] : r.type === "identifier" && literalOf(l) !== undefined ? [r, l, true] : [];
  const decl = id && trackable(id);
  const value = literal && literalOf(literal);
  if (!decl || value === undefined) return undefined;
  const values = valuesOf(flipped ? FLIPPED[op] ?? op : op, value);
  return values && { decl, values };
}

const FLIPPED: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function valuesOf(op: string, value: number | string): Values | undefined {
  if (typeof value === "number") {
    switch (op) {
      case "==": return { kind: "range", lo: value, hi: value };
      case "!=": return { kind: "not", value: String(value) };
      case "<": return { kind: "range", lo: -Infinity, hi: value - 1 };
      case "<=": return { kind: "range", lo: -Infinity, hi: value };
      case ">": return { kind: "range", lo: value + 1, hi: Infinity };
      case ">=": return { kind: "range", lo: value, hi: Infinity };
      default: return undefined;
    }
  }
  // A bool has two values: `x != true` is `x == false`.
  const other = value === "true" ? "false" : value === "false" ? "true" : undefined;
  if (op === "==") return { kind: "is", value };
  if (op === "!=") return other ? { kind: "is", value: other } : { kind: "not", value };
  return undefined;
}

/** The values outside `v`, when they can be written as one `Values`. */
function complement(v: Values): Values | undefined {
  switch (v.kind) {
    case "is":
      return v.value === "true" ? { kind: "is", value: "false" } : v.value === "false" ? { kind: "is", value: "true" } : { kind: "not", value: v.value };
    case "not": {
      const n = Number(v.value);
      return Number.isInteger(n) && /^-?\d+$/.test(v.value) ? { kind: "range", lo: n, hi: n } : { kind: "is", value: v.value };
    }
    case "range":
      if (v.lo === v.hi) return { kind: "not", value: String(v.lo) };
      if (v.lo === -Infinity && v.hi !== Infinity) return { kind: "range", lo: v.hi + 1, hi: Infinity };
      if (v.hi === Infinity && v.lo !== -Infinity) return { kind: "range", lo: -Infinity, hi: v.lo - 1 };
      return undefined;
  }
}

/** True when every value of `s` is in `t`, false when none is, undefined when some are. */
function implies(s: Values, t: Values): boolean | undefined {
  const num = (x: string) => (/^-?\d+$/.test(x) ? Number(x) : undefined);
  if (s.kind === "range") {
    if (t.kind === "range") {
      if (t.lo <= s.lo && s.hi <= t.hi) return true;
      return s.hi < t.lo || t.hi < s.lo ? false : undefined;
    }
    const w = num(t.value);
    if (t.kind === "not" && w !== undefined) return w < s.lo || w > s.hi ? true : s.lo === w && s.hi === w ? false : undefined;
    return undefined;
  }
  if (s.kind === "not" && t.kind === "range") {
    const v = num(s.value);
    return v !== undefined && t.lo === v && t.hi === v ? false : undefined;
  }
  if (t.kind === "range") return undefined;
  if (s.kind === "is") return t.kind === "is" ? s.value === t.value : s.value !== t.value;
  // s is "all but one value".
  if (t.kind === "not") return s.value === t.value ? true : undefined;
  return s.value === t.value ? false : undefined;
}

/** An integer literal's value, or the text of `nil`, `true`, `false` or a string literal. */
function literalOf(e: GoNode): number | string | undefined {
  switch (e.type) {
    case "int_literal": {
      const n = Number(e.text.replace(/_/g, ""));
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case "nil":
    case "true":
    case "false":
    case "interpreted_string_literal":
    case "raw_string_literal":
      return e.text;
    default:
      return undefined;
  }
}

/**
 * The declaration of a local variable whose every write is a plain statement of its own function:
 * not one whose address is taken or that a closure captures (either may write it anywhere).
 */
function trackable(id: GoNode): GoNode | undefined {
  const decl = declarationOf(id);
  if (!decl || decl.parent?.type === "source_file") return undefined;
  const fn = enclosingFunction(decl);
  if (!fn) return undefined;
  for (const use of referencesOf(decl)) {
    if (enclosingFunction(use) !== fn) return undefined;
    if (use.parent?.type === "unary_expression" && use.parent.child("operator")?.text === "&") return undefined;
  }
  return decl;
}

/** True when a statement between the two offsets writes the variable (`x = …`, `x += …`, `x++`, `x, err := …`). */
function writtenBetween(decl: GoNode, from: number, to: number): boolean {
  return referencesOf(decl).some((use) => use.start > from && use.start < to && isWrite(use));
}

/** The statements that write the variable: the positions where its facts stop holding. */
export function writesOf(decl: GoNode): GoNode[] {
  return usesOf(decl)
    .filter(isWrite)
    .map((use) => (use.parent!.type === "expression_list" ? use.parent!.parent! : use.parent!));
}

function isWrite(use: GoNode): boolean {
  const list = use.parent;
  const stmt = list?.parent;
  if (list?.type === "inc_statement" || list?.type === "dec_statement") return true;
  return list?.type === "expression_list" && list.field === "left" && (stmt?.type === "assignment_statement" || stmt?.type === "short_var_declaration");
}
