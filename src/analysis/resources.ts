/**
 * Per-path accounting of an acquired resource (a response, rows, a file, a ticker, a cancel
 * func, a process, C memory): from the acquisition, does every path that returns to the caller
 * release the value or hand it off on the way?
 *
 * Shared by every acquire/release rule so that all of them honour the same guards. Each use of
 * the variable has a role: a *release* (`v.Close()`, a deferred or nested release, a package
 * helper that releases its parameter), a *hand-off* (returned, stored somewhere that outlives the
 * call, sent, captured by a goroutine or an escaping closure, passed to a callee that keeps or
 * may keep it), or a *read* (everything else: a stdlib reader, a package function that only
 * reads its parameter, a method call). The path search runs on the function's control-flow
 * graph: the branch where the acquisition's error is non-nil (or the value itself is nil) has
 * nothing to release, and a release deferred before the acquisition covers every path.
 */
import { cfgOf, type Cfg, type CfgEdge, type CfgNode } from "./cfg.js";
import { evaluate, guardsOf, writesOf } from "./conditions.js";
import { carrierOf, escapingClosure, isConversionCall, isNamedResult, isNonOwningCall, outlivesCall } from "./escape.js";
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { assignmentsTo, declarationOf, initializerOf, referencesOf, sameVariable } from "./scope.js";
import { bindingOfValue, callParts, enclosingFunction, followingStatements, goStatementOfLiteral, isTerminating, ownDescendants, parametersOf, rightExpressions, unparen } from "./syntax.js";
import { isNamedType, resolveCall, resultTypeOf } from "./types.js";

export interface ReleaseSpec {
  /** Methods that release: `Close`, `Stop`, `Wait`. */
  methods: readonly string[];
  /** Field path from the variable to the thing released: `["Body"]` for `resp.Body.Close()`. */
  via?: readonly string[];
  /** Further field paths whose release also counts: `[["Process"]]` for `cmd.Process.Wait()` beside `cmd.Wait()`. */
  alsoVia?: readonly (readonly string[])[];
  /** Other calls that release the value, e.g. `C.free(unsafe.Pointer(p))`, or `cancel()` for a func value. */
  isReleasingCall?: (call: GoNode, use: GoNode) => boolean;
  /** Calls that use the value without taking it over (beside the stdlib readers every rule shares). */
  nonOwning?: (call: GoNode) => boolean;
  /**
   * Edges after which nothing is left to release, or that cannot be taken: the `false` edge of
   * `for rows.Next()` (Next closes the rows when it returns false), the `done` edge of a range
   * over a ticker's channel (it never ends). `holders` are the variable's declaration and the
   * locals it was copied into.
   */
  settledBy?: (edge: CfgEdge, holders: readonly GoNode[]) => boolean;
}

/** What one use of a tracked variable does with its value. */
export type UseRole = "release" | "handoff" | "read";

/** Where a leaking path leaves the value behind. */
export interface LeakEnd {
  /** `return`: at a return statement; `end`: falling off the end of the body; `repeat`: the loop comes back to the acquisition; `overwrite`: the variable gets a new value. */
  kind: "return" | "end" | "repeat" | "overwrite";
  /** The return statement, the body's closing brace, the last statement before the loop repeats, or the assignment. */
  node: GoNode;
}

export type Account =
  /** Every path that returns to the caller releases the value or hands it off. */
  | { kind: "released" }
  /** A path leaves the value behind; `partly`: some other path does release or hand it off. */
  | { kind: "leaks"; end: LeakEnd; partly: boolean }
  /** The function has no graph (hostile nesting) or the acquisition is not a statement of it: say nothing. */
  | { kind: "unknown" };

export interface AccountOptions {
  /** The error variable bound together with the value: its non-nil branch has nothing to release. */
  err?: GoNode | undefined;
  /**
   * A callee that receives the value and returns an error takes it over only when it succeeds:
   * `if err := s.Register(conn); err != nil { conn.Close(); return err }`. The hand-off then
   * settles the branch where that error is nil, and the value is still held where it is not.
   */
  handoffOnSuccess?: boolean;
}

const HELPER_DEPTH = 2;
/** Local copies of a tracked value followed (`rs = r`, `f := file`). */
const MAX_COPIES = 3;

/**
 * Accounts for the value of the variable declared at `decl` from `acquisition` (the call, or the
 * statement, that gives it its value) to every way out of the function.
 */
export function accountFor(decl: GoNode, acquisition: GoNode, file: FileScope, spec: ReleaseSpec, options: AccountOptions = {}): Account {
  const fn = enclosingFunction(acquisition);
  const cfg = fn ? cfgOf(fn) : undefined;
  const start = cfg?.nodeOf(acquisition);
  if (!fn || !cfg || !start) return { kind: "unknown" };
  // A named result leaves with every return; a variable of an enclosing function (a closure
  // assigning a captured variable: `restart := func() { ctx, cancel = context.WithCancel(base) }`)
  // keeps the value after this function returns, for the code around it to release.
  if (isNamedResult(decl) || !decl.within(fn)) return { kind: "released" };
  const settled = new Map<CfgNode, UseRole>();
  const overwrites = new Set<CfgNode>();
  /** Defers whose release reads the variable when it runs (in a closure), not when it is deferred. */
  const lateDefers = new Set<CfgNode>();
  /** Hand-offs to callees that take the value only when they succeed (see {@link AccountOptions.handoffOnSuccess}). */
  const handedUntilFailure: { err: GoNode; node: CfgNode }[] = [];
  let partly = false;
  // The variable and the locals it is copied into (`rs = r`): a release through any of them counts.
  const holders = [decl];
  for (let h = 0; h < holders.length; h++) {
    for (const use of referencesOf(holders[h]!)) {
      const inside = use.within(fn);
      const copy = inside ? localCopyTarget(use, fn, file) : undefined;
      if (copy) {
        if (holders.length <= MAX_COPIES && !holders.includes(copy)) holders.push(copy);
        continue;
      }
      const role = roleOf(use, file, spec, fn, HELPER_DEPTH);
      if (role !== "read") {
        partly = true;
        // A release or hand-off in a function around this one (the variable is captured): trust it.
        if (!inside) return { kind: "released" };
        const node = cfg.nodeOf(use);
        const failed = role === "handoff" && options.handoffOnSuccess ? errorOfCallee(use) : undefined;
        if (failed && node) handedUntilFailure.push({ err: failed, node });
        else if (node && settled.get(node) !== "release") settled.set(node, role);
        if (node?.syntax.type === "defer_statement" && isInClosure(use, node.syntax)) lateDefers.add(node);
      } else if (inside && h === 0 && isAssigned(use) && !wrapsItself(use)) {
        const node = cfg.nodeOf(use);
        if (node && node !== start) overwrites.add(node);
      }
    }
  }
  // Settled before the acquisition: a deferred closure releases at exit whatever the variable
  // holds then (`defer func() { if resp != nil { resp.Body.Close() } }()`), and a value handed
  // off before it (`s.cmd = cmd; cmd.Start()`) belongs to its new owner. A plain release before
  // it, or `defer f.Close()` (whose receiver is evaluated when deferred), releases a previous value.
  const before = cfg.reachableFrom(cfg.entry, { blocks: (n) => n === start });
  for (const [node, role] of settled) {
    if (node === start || !before.has(node) || !cfg.reaches(node, start)) continue;
    if (role === "handoff" || lateDefers.has(node)) return { kind: "released" };
  }
  for (const node of settled.keys()) {
    if (node.syntax.type === "defer_statement" && !lateDefers.has(node) && before.has(node) && cfg.reaches(node, start)) settled.delete(node);
  }
  const skips = deadEdges(cfg, start, decl, options.err, spec, holders, handedUntilFailure);
  const path = cfg.pathFrom(start, {
    target: (n) => n === cfg.exit || n === start || overwrites.has(n),
    blocks: (n) => settled.has(n),
    skips,
  });
  if (!path) return { kind: "released" };
  // A path that settles the value by an edge (`for rows.Next()` running out) releases it too.
  const settledBy = spec.settledBy;
  partly ||= !!settledBy && [start, ...cfg.reachableFrom(start, { blocks: (n) => settled.has(n) })].some((n) => n.succs.some((e) => settledBy(e, holders)));
  return { kind: "leaks", end: leakEnd(cfg, path, start), partly };
}

/** Describes where a leaking path ends, for messages: "on the path that returns at line 42". */
export function leakWhere(end: LeakEnd, lineOf: (node: GoNode) => number): string {
  const line = lineOf(end.node);
  switch (end.kind) {
    case "return":
      return `on the path that returns at line ${line}`;
    case "end":
      return `before the function ends at line ${line}`;
    case "repeat":
      return `on the path that goes around the loop at line ${line}`;
    case "overwrite":
      return `before it is overwritten at line ${line}`;
  }
}

function leakEnd(cfg: Cfg, path: CfgNode[], start: CfgNode): LeakEnd {
  const last = path[path.length - 1]!;
  const before = path[path.length - 2]?.syntax ?? start.syntax;
  if (last === cfg.exit) {
    if (before.type === "return_statement") return { kind: "return", node: before };
    const body = cfg.fn.child("body");
    return { kind: "end", node: body?.children[body.children.length - 1] ?? cfg.fn };
  }
  if (last === start) {
    // Name the statement that sends control back (a `continue`, the body's last statement), not the loop header.
    const inBody = path.slice(0, -1).reverse().find((n) => !isLoopHeader(n));
    return { kind: "repeat", node: (inBody ?? path[path.length - 2] ?? start).syntax };
  }
  return { kind: "overwrite", node: last.syntax };
}

/** A for loop's condition, range clause, head or post statement. */
function isLoopHeader(node: CfgNode): boolean {
  const parent = node.syntax.parent;
  return node.kind === "range" || node.kind === "loop" || parent?.type === "for_clause" || (parent?.type === "for_statement" && node.syntax.field !== "body");
}

/**
 * Edges on which nothing is left to release: the branch where the acquisition's error is
 * non-nil (until the error variable gets another value), the branch where the value itself is
 * nil, and what the spec settles.
 */
function deadEdges(
  cfg: Cfg,
  start: CfgNode,
  decl: GoNode,
  err: GoNode | undefined,
  spec: ReleaseSpec,
  holders: readonly GoNode[],
  handed: readonly { err: GoNode; node: CfgNode }[],
): (edge: CfgEdge) => boolean {
  /** An error variable from `at` on, until it gets another value. */
  const errorFrom = (e: GoNode | undefined, at: CfgNode) => {
    const d = e && e.text !== "_" ? (declarationOf(e) ?? e) : undefined;
    if (!d) return undefined;
    const reassigned = new Set(assignmentsTo(d).map((a) => cfg.nodeOf(a.statement)).filter((n): n is CfgNode => !!n && n !== at));
    return { decl: d, fresh: cfg.reachableFrom(at, { blocks: (n) => reassigned.has(n) }) };
  };
  const acquired = errorFrom(err, start);
  const callees = handed.map((h) => errorFrom(h.err, h.node)).filter((h) => h !== undefined);
  const is = (e: GoNode, d: GoNode) => e.type === "identifier" && (e === d || declarationOf(e) === d);
  const isVariable = (e: GoNode) => e.type === "identifier" && (e === decl || declarationOf(e) === decl || sameVariable(e, decl));
  // What the release goes through stands for the value: `if resp.Body != nil { resp.Body.Close() }`,
  // `if cmd.Process != nil { cmd.Process.Release() }`.
  const throughPaths = [spec.via ?? [], ...(spec.alsoVia ?? [])].filter((p) => p.length > 0);
  const isThrough = (e: GoNode, path: readonly string[]) => {
    let x: GoNode | undefined = e;
    for (const field of [...path].reverse()) {
      if (x?.type !== "selector_expression" || x.child("field")?.text !== field) return false;
      x = unparen(x.child("operand"));
    }
    return !!x && isVariable(x);
  };
  const isValue = (e: GoNode) => isVariable(e) || throughPaths.some((p) => isThrough(e, p));
  const subject = (e: GoNode, from: CfgNode): Subject | undefined => {
    if (acquired?.fresh.has(from) && is(e, acquired.decl)) return "err";
    if (callees.some((c) => c.fresh.has(from) && is(e, c.decl))) return "handed";
    return isValue(e) ? "value" : undefined;
  };
  const correlated = correlatedGuards(cfg, start);
  const known = (from: CfgNode) => (d: GoNode) => correlated.find((g) => g.decl === d && g.fresh.has(from))?.values;
  return (edge) => {
    if (spec.settledBy?.(edge, holders)) return true;
    const from = edge.from;
    if (from.kind === "condition" && (edge.kind === "true" || edge.kind === "false")) {
      if (nothingHeld(from.syntax, edge.kind === "true", (e) => subject(e, from))) return true;
      // A branch the conditions around the acquisition rule out: `if n > 0 { f = open() } … if n == 0 { … }`.
      const value = correlated.length > 0 ? evaluate(from.syntax, known(from)) : undefined;
      return value !== undefined && value !== (edge.kind === "true");
    }
    // `switch { case err != nil: … }`
    if (edge.kind === "case" && from.kind === "branch" && !from.syntax.child("value") && edge.to.syntax.type === "expression_case") {
      const values = edge.to.syntax.child("value")?.namedChildren ?? [];
      return values.length === 1 && nothingHeld(values[0]!, true, (e) => subject(e, from));
    }
    return false;
  };
}

/**
 * The facts that hold at the acquisition (from the conditions around it), each with the nodes
 * reached from there before the variable is written again, where it still holds.
 */
function correlatedGuards(cfg: Cfg, start: CfgNode) {
  return guardsOf(start.syntax).flatMap((g) => {
    const writes = new Set(writesOf(g.decl).map((w) => cfg.nodeOf(w)));
    if (writes.has(start)) return [];
    return [{ ...g, fresh: cfg.reachableFrom(start, { blocks: (n) => writes.has(n) }) }];
  });
}

/** What a nil test is about: the acquisition's error, the value itself, or the error of a callee the value was handed to. */
type Subject = "err" | "value" | "handed";

/**
 * True when `cond` evaluating to `holds` means nothing needs releasing: the error is non-nil or
 * the value is nil. Follows `&&`, `||` and `!`: the true branch of `err != nil || resp == nil`
 * holds nothing, nor does the false branch of `err == nil && resp != nil`.
 */
function nothingHeld(cond: GoNode, holds: boolean, subject: (e: GoNode) => Subject | undefined, depth = 0): boolean {
  const e = unparen(cond);
  if (!e || depth > 16) return false;
  if (e.type === "unary_expression" && e.child("operator")?.text === "!") return nothingHeld(e.child("operand")!, !holds, subject, depth + 1);
  if (e.type === "call_expression") return holds && testsNonNilError(e, subject);
  if (e.type !== "binary_expression") return false;
  const op = e.child("operator")?.text;
  const left = e.child("left")!;
  const right = e.child("right")!;
  if (op === "&&" || op === "||") {
    const a = nothingHeld(left, holds, subject, depth + 1);
    const b = nothingHeld(right, holds, subject, depth + 1);
    // Both operands are known on the true edge of `&&` and the false edge of `||`; only one on the others.
    return (op === "&&") === holds ? a || b : a && b;
  }
  if (op !== "!=" && op !== "==") return false;
  const l = unparen(left);
  const r = unparen(right);
  const other = r?.type === "nil" ? l : l?.type === "nil" ? r : undefined;
  const what = other ? subject(other) : undefined;
  if (!what) return false;
  const nonNil = (op === "!=") === holds;
  // The acquisition failed, or the callee succeeded and took the value: nothing left to release.
  return what === "err" ? nonNil : !nonNil;
}

/**
 * A test of the acquisition's error that holds only for a non-nil error, so the value is not held
 * there: `errors.Is(err, fs.ErrNotExist)` and `errors.As(err, &target)` (any package's `Is`/`As`),
 * and predicates named `IsX`/`isX` given the error (`os.IsNotExist(err)`,
 * `netutil.IsTemporaryError(err)`, `apierrors.IsNotFound(err)`), which by convention say false of
 * nil — except those whose name says they hold for success (`isNil`, `IsOK`, …).
 */
function testsNonNilError(call: GoNode, subject: (e: GoNode) => Subject | undefined): boolean {
  const fn = unparen(call.child("function"));
  const name = fn?.type === "selector_expression" ? fn.child("field")?.text : fn?.type === "identifier" ? fn.text : undefined;
  const args = call.child("arguments")?.namedChildren ?? [];
  const first = unparen(args[0]);
  if (!name || !first || subject(first) !== "err") return false;
  // `errors.Is(err, nil)` holds for a nil error.
  if (name === "Is" || name === "As") return !(name === "Is" && unparen(args[1])?.type === "nil");
  return ERROR_PREDICATE.test(name) && !SUCCESS_PREDICATE.test(name);
}

const ERROR_PREDICATE = /^[iI]s[A-Z]/;
const SUCCESS_PREDICATE = /Nil|OK|Ok|Success|Valid|Empty|Zero/;

/**
 * For `x = v` / `x := v` (the value, possibly converted, copied into a plain local variable of
 * `fn`), and `x, ok := v.(T)`, that variable's declaration: the value is then held by both names.
 */
function localCopyTarget(use: GoNode, fn: GoNode, file: FileScope): GoNode | undefined {
  const e = carrierOf(use, file);
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "right") return undefined;
  if (stmt?.type !== "assignment_statement" && stmt?.type !== "short_var_declaration") return undefined;
  if (stmt.type === "assignment_statement" && stmt.child("operator")?.text !== "=") return undefined;
  const left = stmt.child("left")?.namedChildren ?? [];
  const commaOk = e.type === "type_assertion_expression" && list.namedChildren.length === 1 && left.length === 2;
  if (left.length !== list.namedChildren.length && !commaOk) return undefined;
  const target = left[list.namedChildren.indexOf(e)];
  if (target?.type !== "identifier" || target.text === "_") return undefined;
  const copy = declarationOf(target) ?? (stmt.type === "short_var_declaration" ? target : undefined);
  if (!copy || !copy.within(fn) || isNamedResult(copy)) return undefined;
  // A variable a func literal captures may be read by code that runs at another time.
  return enclosingFunction(copy) === fn ? copy : undefined;
}

/** True when `use` sits in a func literal inside `stmt`: it is read when the literal runs. */
function isInClosure(use: GoNode, stmt: GoNode): boolean {
  for (const a of use.ancestors()) {
    if (a === stmt) return false;
    if (a.type === "func_literal") return true;
  }
  return false;
}

/**
 * For a value passed to a call whose error result is bound (`err := f(v)`, `x, err := f(v)`,
 * `if err := f(v); …`), that error variable.
 */
function errorOfCallee(use: GoNode): GoNode | undefined {
  let e = use;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const call = e.parent?.type === "argument_list" ? e.parent.parent : undefined;
  const targets = call ? bindingOfValue(call)?.targets : undefined;
  const last = targets?.[targets.length - 1];
  return last?.type === "identifier" && /^err/i.test(last.text) ? last : undefined;
}

/**
 * `r = io.TeeReader(r, w)`: the new value wraps the old one, so the variable still holds it (and
 * handing the wrapper on hands it on).
 */
function wrapsItself(use: GoNode): boolean {
  const stmt = use.parent?.parent;
  const right = stmt?.child("right")?.namedChildren;
  if (use.parent?.namedChildren.length !== 1 || right?.length !== 1) return false;
  const call = unparen(right[0]);
  const target = declarationOf(use) ?? use;
  const args = call?.type === "call_expression" ? (call.child("arguments")?.namedChildren ?? []) : [];
  return args.some((a) => a.type === "identifier" && declarationOf(a) === target);
}

/** `v` on the left of `v = …` / `v, err := …`. */
function isAssigned(use: GoNode): boolean {
  const list = use.parent;
  const stmt = list?.parent;
  return list?.type === "expression_list" && list.field === "left" && (stmt?.type === "assignment_statement" || stmt?.type === "short_var_declaration");
}

/** What a use of the tracked variable does with its value, seen from the function `fn` that acquired it. */
export function roleOf(use: GoNode, file: FileScope, spec: ReleaseSpec, fn: GoNode, depth: number): UseRole {
  // A goroutine that uses the value takes it over: it settles the value when it releases or
  // hands it off on every path, or never returns; otherwise the value leaks when it ends.
  const goroutine = outermostGoroutine(use, fn);
  if (goroutine) return goroutineSettles(goroutine, use, file, spec, depth) ? "handoff" : "read";
  if (releasesAt(use, file, spec, depth)) return "release";
  for (const via of spec.alsoVia ?? []) if (releasesAt(use, file, { ...spec, via, alsoVia: [] }, depth)) return "release";
  const decl = declarationOf(use);
  if (decl && escapingClosure(use, decl, file)) return "handoff";
  const through = [spec.via ?? [], ...(spec.alsoVia ?? [])].flatMap((path) => path.slice(0, 1));
  const value = trackedExpression(use, through);
  return value ? positionRole(value, file, spec, depth) : "read";
}

/** The outermost `go func(){…}()` literal inside `fn` around `use`, if any. */
function outermostGoroutine(use: GoNode, fn: GoNode): GoNode | undefined {
  let found: GoNode | undefined;
  for (const a of use.ancestors()) {
    if (a === fn) break;
    if (a.type === "func_literal" && goStatementOfLiteral(a)) found = a;
  }
  return found;
}

/** True when the goroutine `literal` releases or hands off the variable used at `use` on every path that ends, or never ends. */
function goroutineSettles(literal: GoNode, use: GoNode, file: FileScope, spec: ReleaseSpec, depth: number): boolean {
  const decl = declarationOf(use);
  const cfg = cfgOf(literal);
  if (!decl || !cfg) return true;
  const settled = new Set<CfgNode>();
  for (const u of referencesOf(decl)) {
    if (!u.within(literal)) continue;
    const node = cfg.nodeOf(u);
    if (node && roleOf(u, file, spec, literal, depth) !== "read") settled.add(node);
  }
  const settledBy = spec.settledBy;
  return !cfg.pathFrom(cfg.entry, { target: (n) => n === cfg.exit, blocks: (n) => settled.has(n), ...(settledBy ? { skips: (e) => settledBy(e, [decl]) } : {}) });
}

/** The expression that carries the tracked value at this use: `v`, or `v.Body` for through-fields; undefined for other fields. */
function trackedExpression(use: GoNode, through: readonly string[]): GoNode | undefined {
  const parent = use.parent;
  if (parent?.type === "selector_expression" && use.field === "operand") {
    const field = parent.child("field")?.text ?? "";
    return through.includes(field) ? parent : undefined;
  }
  return use;
}

/** What the position of a value expression does with it: returned, stored, sent, passed to a callee. */
function positionRole(value: GoNode, file: FileScope, spec: ReleaseSpec, depth: number): UseRole {
  let e = carrierOf(value, file);
  while (e.parent?.type === "unary_expression" && e.parent.child("operator")?.text === "&") e = carrierOf(e.parent, file);
  const p = e.parent;
  if (!p) return "read";
  switch (p.type) {
    case "return_statement":
    case "literal_element":
    case "keyed_element":
      return "handoff";
    case "send_statement":
      return e.field === "value" ? "handoff" : "read";
    case "expression_list": {
      const stmt = p.parent;
      if (stmt?.type === "return_statement") return "handoff";
      if ((stmt?.type === "assignment_statement" || stmt?.type === "short_var_declaration") && p.field === "right") {
        return (stmt.child("left")?.namedChildren ?? []).every((n) => n.text === "_") ? "read" : "handoff";
      }
      return stmt?.type === "var_spec" && p.field === "value" ? "handoff" : "read";
    }
    case "argument_list": {
      const call = p.parent!;
      if (isNonOwningCall(call, file) || spec.nonOwning?.(call)) return "read";
      return argumentRole(call, p.namedChildren.indexOf(e), file, spec, depth);
    }
    default:
      return "read";
  }
}

/**
 * What a callee does with the argument at `index`: a package function or method that releases
 * the parameter releases it; one that lets it escape keeps it; one that only reads it reads it.
 * A callee memlint cannot see may keep it.
 */
function argumentRole(call: GoNode, index: number, file: FileScope, spec: ReleaseSpec, depth: number): UseRole {
  const helpers = packageCallees(call, file);
  if (helpers.length === 0 || index < 0 || depth <= 0) return "handoff";
  let role: UseRole = "read";
  for (const helper of helpers) {
    const param = parameterFor(helper.node, index);
    if (!param) return "handoff";
    const paramRole = parameterRole(param, helper.node, helper.file, spec, depth - 1);
    if (paramRole === "release") return "release";
    if (paramRole === "handoff") role = "handoff";
  }
  return role;
}

/**
 * What a function does with its parameter: releases it on some path, lets it escape, or only
 * reads it. A copy into a local of the function (`p, ok := ln.(configProvider)`) does what that
 * local's uses do.
 */
function parameterRole(param: GoNode, fn: GoNode, file: FileScope, spec: ReleaseSpec, depth: number): UseRole {
  let role: UseRole = "read";
  for (const use of referencesOf(param)) {
    if (use === param) continue;
    let r = roleOf(use, file, spec, fn, depth);
    const local = r === "handoff" && depth > 0 ? localCopyTarget(use, fn, file) : undefined;
    if (local) r = parameterRole(local, fn, file, spec, depth - 1);
    if (r === "release") return "release";
    if (r === "handoff") role = "handoff";
  }
  return role;
}

/** The parameter of `fn` that receives argument `index` (the variadic one for trailing arguments). */
function parameterFor(fn: GoNode, index: number): GoNode | undefined {
  const params = parametersOf(fn);
  const p = index < params.length ? params[index] : params[params.length - 1];
  if (!p?.name || (index >= params.length && !p.variadic) || p.name.text === "_") return undefined;
  return p.name;
}

/** Package functions a call may invoke: `f(…)` by name, `x.m(…)` any method named m; none for imported packages and local func values. */
function packageCallees(call: GoNode, file: FileScope): { file: FileScope; node: GoNode }[] {
  const fn = unparen(call.child("function"));
  const { receiver, name } = callParts(call);
  if (!name) return [];
  if (fn?.type === "identifier") {
    if (declarationOf(fn)) return [];
    const f = file.packageFunctionIn(name);
    return f ? [f] : [];
  }
  if (receiver?.type === "identifier" && file.imports.pathOf(receiver.text) && !declarationOf(receiver)) return [];
  return file.packageMethodsIn(name);
}

/** True when this use releases the value: `v.Close()`, `v.Body.Close()`, a releasing call, a package helper that releases it. */
function releasesAt(use: GoNode, file: FileScope, spec: ReleaseSpec, depth: number): boolean {
  const via = spec.via ?? [];
  // Walk `v.Body` … to the releasable expression; a helper may take the value part way.
  let target: GoNode = use;
  for (let i = 0; i < via.length; i++) {
    const sel = target.parent;
    if (sel?.type !== "selector_expression" || sel.child("field")?.text !== via[i]) {
      return passedToReleasingHelper(target, file, { ...spec, via: via.slice(i), alsoVia: [] }, depth);
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
  return passedToReleasingHelper(target, file, { ...spec, via: [], alsoVia: [] }, depth);
}

/** `closeBody(resp)` where a package helper releases the matching parameter (with the rest of the via-path). */
function passedToReleasingHelper(value: GoNode, file: FileScope, spec: ReleaseSpec, depth: number): boolean {
  if (depth <= 0) return false;
  let e = value;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const args = e.parent;
  const call = args?.parent;
  if (args?.type !== "argument_list" || call?.type !== "call_expression") return false;
  const index = args.namedChildren.indexOf(e);
  if (index < 0) return false;
  return packageCallees(call, file).some((helper) => {
    const param = parameterFor(helper.node, index);
    return !!param && referencesOf(param).some((use) => releasesAt(use, helper.file, spec, depth - 1));
  });
}

/**
 * The results of a call that are resources of one of `types` the caller owns, and how many
 * results the call has: a standard acquisition (`isStdAcquisition`: `os.Open`, `net.Dial`), or a
 * package helper whose declared result is one it acquired (not one it keeps). `mayReturn` is the
 * cheap test of the callee's name first.
 */
export function ownedResults(
  call: GoNode,
  file: FileScope,
  types: readonly (readonly [string, readonly string[]])[],
  mayReturn: (call: GoNode, file: FileScope) => boolean,
  isStdAcquisition: (call: GoNode, file: FileScope) => boolean,
): { owned: number[]; results: number } | undefined {
  if (!mayReturn(call, file)) return undefined;
  const owned: number[] = [];
  let results = 0;
  for (let i = 0; i < 4; i++) {
    const type = resultTypeOf(call, i, file);
    if (!type) break;
    results = i + 1;
    if (types.some(([path, names]) => isNamedType(type, path, names)) && returnsFresh(call, i, file, isStdAcquisition)) owned.push(i);
  }
  return owned.length > 0 ? { owned, results } : undefined;
}

/** A call of one of `openers` (function names by package path, under any import alias). */
export function callsOpener(call: GoNode, file: FileScope, openers: Readonly<Record<string, readonly string[]>>): boolean {
  return Object.entries(openers).some(([path, names]) => file.imports.match(call, path, names) !== undefined);
}

/**
 * A standard acquisition: a call of one of `openers`, or a method of a standard type whose result
 * the standard table knows (`fh.Open()` of a multipart header, `ln.Accept()`, `d.DialContext(…)`).
 */
export function isStandardAcquisition(call: GoNode, file: FileScope, openers: Readonly<Record<string, readonly string[]>>): boolean {
  if (callsOpener(call, file, openers)) return true;
  return call.child("function")?.type === "selector_expression" && !resolveCall(call, file) && resultTypeOf(call, 0, file)?.kind !== "node";
}

/**
 * True when the `index`-th result of `call` is a value the caller owns: a standard opener's
 * (`isStdAcquisition`), or a package function's that returns, on some path, what such an
 * acquisition gave it (directly or through a local), not a field, a parameter or a package
 * variable it keeps (`func (s *Store) file() *os.File { return s.f }` hands out a shared file, and
 * so does a cache that stores what it opened before returning it).
 */
export function returnsFresh(call: GoNode, index: number, file: FileScope, isStdAcquisition: (call: GoNode, file: FileScope) => boolean, depth = HELPER_DEPTH): boolean {
  if (isStdAcquisition(call, file)) return true;
  if (depth <= 0) return false;
  return packageCallees(call, file).some(({ node, file: home }) =>
    ownDescendants(node, "return_statement").some((ret) => {
      const values = rightExpressions(ret.namedChildren[0]);
      // `return open(p)` forwards all results of one call.
      const forwarded = values.length === 1 && index > 0;
      const value = unparen(forwarded ? values[0] : values[index]);
      if (value?.type === "call_expression") return returnsFresh(value, forwarded ? index : 0, home, isStdAcquisition, depth - 1);
      if (value?.type !== "identifier") return false;
      const decl = declarationOf(value);
      if (!decl || isNamedResult(decl) || keptByHelper(decl, home)) return false;
      const sources = [initializerOf(decl), ...assignmentsTo(decl)].filter((a) => a?.value?.type === "call_expression");
      return sources.some((a) => returnsFresh(a!.value!, a!.resultIndex, home, isStdAcquisition, depth - 1));
    }),
  );
}

/**
 * The helper also stores the value where it outlives the call (`f.cache[name] = file`, a package
 * variable): it keeps the value and hands the caller a shared one, as a cache does.
 */
function keptByHelper(decl: GoNode, file: FileScope): boolean {
  return referencesOf(decl).some((use) => {
    const list = use.parent;
    const stmt = list?.parent;
    if (list?.type !== "expression_list" || list.field !== "right" || stmt?.type !== "assignment_statement") return false;
    const target = stmt.child("left")?.namedChildren[list.namedChildren.indexOf(use)];
    return !!target && outlivesCall(target, file);
  });
}

/** Same-package functions a call may invoke: `f(…)` by name, `x.m(…)` any method named m. */
export function helpersCalledBy(call: GoNode, file: FileScope): GoNode[] {
  return packageCallees(call, file).map((c) => c.node);
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
