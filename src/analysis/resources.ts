/**
 * What happens to an acquired resource (a response, rows, a file, a ticker, a process):
 * is it released somewhere in its function, handed off (escaped), or neither?
 *
 * Shared by every acquire/release rule so that all of them honour the same guards: a release
 * in a deferred or nested func literal counts, a same-file helper that releases its parameter
 * counts, and an escaping value is never reported.
 */
import { findEscape, isConversionCall } from "./escape.js";
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf, referencesOf, sameVariable } from "./scope.js";
import { callParts, followingStatements, isTerminating, parametersOf, unparen } from "./syntax.js";

export interface ReleaseSpec {
  /** Methods that release: `Close`, `Stop`, `Wait`. */
  methods: readonly string[];
  /** Field path from the variable to the thing released: `["Body"]` for `resp.Body.Close()`. */
  via?: readonly string[];
  /** Further field paths whose release also counts: `[["Process"]]` for `cmd.Process.Wait()` beside `cmd.Wait()`. */
  alsoVia?: readonly (readonly string[])[];
  /** Other calls that release the value, e.g. `C.free(unsafe.Pointer(p))`. */
  isReleasingCall?: (call: GoNode, use: GoNode) => boolean;
  /** Calls that use the value without taking it over (see {@link EscapeOptions.nonOwning}). */
  nonOwning?: (call: GoNode) => boolean;
}

export type Fate =
  | { kind: "released"; at: GoNode }
  | { kind: "escaped"; at: GoNode }
  | { kind: "unreleased" };

const HELPER_DEPTH = 2;

export function fateOf(decl: GoNode, file: FileScope, spec: ReleaseSpec, depth = HELPER_DEPTH): Fate {
  const release = findRelease(decl, file, spec, depth);
  if (release) return { kind: "released", at: release };
  const through = [spec.via ?? [], ...(spec.alsoVia ?? [])].flatMap((path) => path.slice(0, 1));
  const escape = findEscape(decl, file, { through, ...(spec.nonOwning ? { nonOwning: spec.nonOwning } : {}) });
  if (escape) return { kind: "escaped", at: escape };
  return { kind: "unreleased" };
}

/** The first use of `decl` that releases it, directly or through a same-file helper. */
export function findRelease(decl: GoNode, file: FileScope, spec: ReleaseSpec, depth = HELPER_DEPTH): GoNode | undefined {
  const alternatives = (spec.alsoVia ?? []).map((via) => ({ ...spec, via, alsoVia: [] }));
  for (const use of referencesOf(decl)) {
    if (releasesAt(use, file, spec, depth) || alternatives.some((alt) => releasesAt(use, file, alt, depth))) return use;
  }
  return undefined;
}

function releasesAt(use: GoNode, file: FileScope, spec: ReleaseSpec, depth: number): boolean {
  const via = spec.via ?? [];
  // Walk `v.Body` … to the releasable expression.
  let target: GoNode = use;
  for (const field of via) {
    const sel = target.parent;
    if (sel?.type !== "selector_expression" || sel.child("field")?.text !== field) {
      return viaPassedToHelper(target, via.slice(via.indexOf(field)), file, spec, depth);
    }
    target = sel;
  }
  const sel = target.parent;
  if (sel?.type === "selector_expression" && target.field === "operand" && spec.methods.includes(sel.child("field")?.text ?? "")) {
    // Called, deferred, or handed over as a method value to be called later: `t.Cleanup(f.Close)`, `g.Go(cmd.Wait)`.
    return true;
  }
  for (let a: GoNode | null = target.parent; a; a = a.parent) {
    if (a.type === "call_expression") {
      if (isConversionCall(a, file)) continue;
      if (spec.isReleasingCall?.(a, use)) return true;
      break;
    }
    if (a.type !== "parenthesized_expression" && a.type !== "argument_list" && a.type !== "type_conversion_expression" && a.type !== "unary_expression") break;
  }
  return passedToReleasingHelper(target, file, { ...spec, via: [] }, depth);
}

/** `closeBody(resp)` where the helper closes `resp.Body`: the remaining via-path applies to the parameter. */
function viaPassedToHelper(target: GoNode, remainingVia: readonly string[], file: FileScope, spec: ReleaseSpec, depth: number): boolean {
  return passedToReleasingHelper(target, file, { ...spec, via: remainingVia }, depth);
}

/** `helper(x)` where a same-file function or method releases the matching parameter. */
function passedToReleasingHelper(value: GoNode, file: FileScope, spec: ReleaseSpec, depth: number): boolean {
  if (depth <= 0) return false;
  let e = value;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const args = e.parent;
  const call = args?.parent;
  if (args?.type !== "argument_list" || call?.type !== "call_expression") return false;
  const index = args.namedChildren.indexOf(e);
  if (index < 0) return false;
  for (const helper of helpersCalledBy(call, file)) {
    const params = parametersOf(helper);
    const param = params[Math.min(index, params.length - 1)];
    if (!param?.name || (index >= params.length && !param.variadic)) continue;
    if (findRelease(param.name, file, spec, depth - 1)) return true;
  }
  return false;
}

/** Same-file functions a call may invoke: `f(…)` by name, `x.m(…)` any method named m. */
export function helpersCalledBy(call: GoNode, file: FileScope): GoNode[] {
  const fn = unparen(call.child("function"));
  const { receiver, name } = callParts(call);
  if (!name) return [];
  if (fn?.type === "identifier") {
    const f = file.functionNamed(name);
    return f ? [f] : [];
  }
  if (receiver?.type === "identifier" && file.imports.pathOf(receiver.text)) return [];
  return file.methodsNamed(name);
}

/**
 * The `if err != nil { … }` right after an acquiring statement that checks its error variable and
 * leaves (return, panic, …) — where a `defer x.Close()` belongs. Undefined for any other shape.
 */
export function errorCheckAfter(stmt: GoNode, err: GoNode | undefined): GoNode | undefined {
  if (!err || err.text === "_") return undefined;
  const next = followingStatements(stmt)[0];
  if (next?.type !== "if_statement" || next.child("initializer") || next.child("alternative")) return undefined;
  const cond = unparen(next.child("condition"));
  if (cond?.type !== "binary_expression" || cond.child("operator")?.text !== "!=") return undefined;
  const left = unparen(cond.child("left"));
  const right = unparen(cond.child("right"));
  const checked = right?.type === "nil" ? left : left?.type === "nil" ? right : undefined;
  if (checked?.type !== "identifier" || !(checked.text === err.text && (sameVariable(checked, err) || declarationOf(checked) === err))) return undefined;
  return isTerminating(next.child("consequence")) ? next : undefined;
}
