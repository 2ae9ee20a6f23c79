/**
 * Bounds contracts: `//memlint:bounds s n` promises that the function checks `len(s)` against
 * `n` before it indexes or slices `s`. An access `s[i]` / `s[i:j]` is guarded when
 *
 * - every path to it passes one side of a condition that compares `len(s)` or `cap(s)` with
 *   an expression that mentions `n`: after `if len(s) < n { return … }` (a body that returns,
 *   panics, exits, continues a loop or jumps elsewhere), or after `for len(s) < n { … }`;
 * - the access lies inside an `if` (either branch), a loop or a switch case whose condition has
 *   such a comparison, or to the right of one in a `&&`/`||` chain;
 * - `n` was clamped to the slice's length before (`n = min(n, len(s))`, `if n > len(s) { n = len(s) }`);
 * - it cannot panic: `s[:]`, `s[0:]`, `s[:0]`, `s[:len(s)]`, `s[len(s):]`, or an index that is a
 *   loop variable bounded by `s`.
 */
import { constantInt } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, initializerOf } from "../analysis/scope.js";
import { cfgAround } from "../analysis/cfg.js";
import { isPlainCall, parametersOf, unparen } from "../analysis/syntax.js";
import type { BoundsContract, Contract } from "../directives/contracts.js";

export interface UncheckedAccess {
  access: GoNode;
  bounds: BoundsContract;
}

const COMPARISON = /^(<|<=|>|>=|==|!=)$/;

/** The first access (in source order) that a bounds contract of `fn` does not guard. */
export function firstUncheckedAccess(fn: GoNode, contract: Contract, file: FileScope): UncheckedAccess | undefined {
  let first: UncheckedAccess | undefined;
  for (const bounds of contract.bounds) {
    const slice = parameterDecl(fn, bounds.slice);
    if (!slice) continue;
    const length = bounds.value ?? parameterDecl(fn, bounds.length);
    if (length === undefined) continue;
    const guard = new Guards(fn, slice, length, file);
    for (const access of fn.descendants("index_expression", "slice_expression")) {
      if (first && access.start >= first.access.start) break;
      const operand = unparen(access.child("operand"));
      if (operand?.type !== "identifier" || declarationOf(operand) !== slice) continue;
      if (cannotPanic(access, slice) || guard.guards(access)) continue;
      first = { access, bounds };
      break;
    }
  }
  return first;
}

function parameterDecl(fn: GoNode, name: string): GoNode | undefined {
  const receiver = fn.child("receiver")?.namedChildren[0]?.child("name");
  if (receiver?.text === name) return receiver;
  return parametersOf(fn).find((p) => p.name?.text === name)?.name;
}

/** `s[:]`, `s[0:]`, `s[:0]`, `s[0:0]`, `s[:len(s)]`, `s[len(s):]`: bounds that hold for any length. */
function cannotPanic(access: GoNode, slice: GoNode): boolean {
  if (access.type !== "slice_expression" || access.child("capacity")) return false;
  const start = access.child("start");
  const end = access.child("end");
  const zero = (n: GoNode | undefined) => !n || /^0+$/.test(unparen(n)?.text ?? "");
  const lenOfSlice = (n: GoNode | undefined) => {
    const call = unparen(n);
    const arg = call?.type === "call_expression" && isPlainCall(call, "len") ? unparen(call.child("arguments")?.namedChildren[0]) : undefined;
    return arg?.type === "identifier" && declarationOf(arg) === slice;
  };
  if (!end) return zero(start) || lenOfSlice(start);
  return zero(start) && (zero(end) || lenOfSlice(end));
}

class Guards {
  constructor(
    private readonly fn: GoNode,
    private readonly slice: GoNode,
    /** The length parameter's declaration, or the constant. */
    private readonly length: GoNode | number,
    private readonly file: FileScope,
  ) {}

  guards(access: GoNode): boolean {
    return this.dominatingExit(access) || this.enclosingCheck(access) || this.loopIndex(access) || this.clamped(access);
  }

  /**
   * Every path to the access leaves one side of a condition that checks the length: after
   * `if len(s) < n { return … }` (or `continue`, or a `goto` elsewhere), or after a loop
   * `for len(s) < n { … }`. In a func literal, the checks of the functions around it count too.
   */
  private dominatingExit(access: GoNode): boolean {
    for (let at = access; ; ) {
      const cfg = cfgAround(at);
      const node = cfg?.nodeOf(at);
      if (!cfg || !node) return false;
      for (const c of cfg.nodes) {
        if (c.kind !== "condition" || c === node || !this.checks(c.syntax)) continue;
        if (c.succs.some((side) => !cfg.pathFrom(cfg.entry, { target: (n) => n === node, skips: (e) => e === side }))) return true;
      }
      if (cfg.fn === this.fn) return false;
      at = cfg.fn;
    }
  }

  /** The access sits under a check: an if's branches, a loop body, a switch case, or after it in `&&`/`||`. */
  private enclosingCheck(access: GoNode): boolean {
    let prev: GoNode = access;
    for (const a of access.ancestors()) {
      if (a === this.fn) return false;
      switch (a.type) {
        case "if_statement":
          if ((prev.field === "consequence" || prev.field === "alternative") && this.checks(a.child("condition"))) return true;
          break;
        case "for_statement":
          if (prev.field === "body" && a.namedChildren.some((c) => c.field !== "body" && this.checks(c))) return true;
          break;
        case "expression_case":
          if (this.checks(a.child("value"))) return true;
          break;
        case "binary_expression":
          if (/^(&&|\|\|)$/.test(a.child("operator")?.text ?? "") && prev.field === "right" && this.checks(a.child("left"))) return true;
          break;
      }
      prev = a;
    }
    return false;
  }

  /** `s[i]` with `i` from `for i := range s` or `for i := …; i < len(s); …`. */
  private loopIndex(access: GoNode): boolean {
    if (access.type !== "index_expression") return false;
    const index = unparen(access.child("index"));
    const decl = index?.type === "identifier" ? declarationOf(index) : undefined;
    const header = decl?.parent?.parent;
    if (!decl || !header) return false;
    if (header.type === "range_clause") {
      const over = unparen(header.child("right"));
      return over?.type === "identifier" && declarationOf(over) === this.slice && header.child("left")?.namedChildren[0] === decl;
    }
    const clause = header.type === "short_var_declaration" ? header.parent : undefined;
    return clause?.type === "for_clause" && this.mentionsLen(clause.child("condition"));
  }

  /** `n = min(n, len(s))` or `n = len(s)` before the access. */
  private clamped(access: GoNode): boolean {
    if (typeof this.length === "number") return false;
    for (const stmt of this.fn.descendants("assignment_statement")) {
      if (stmt.start > access.start) break;
      if (stmt.end > access.start) continue;
      const lefts = stmt.child("left")?.namedChildren ?? [];
      const rights = stmt.child("right")?.namedChildren ?? [];
      const i = lefts.findIndex((l) => unparen(l)?.type === "identifier" && declarationOf(unparen(l)!) === this.length);
      if (i >= 0 && this.mentionsLen(rights[i] ?? rights[0])) return true;
    }
    return false;
  }

  /** A comparison in `cond` between `len(s)`/`cap(s)` and an expression that mentions `n`. */
  private checks(cond: GoNode | undefined): boolean {
    if (!cond) return false;
    return cond.descendants("binary_expression").some((b) => COMPARISON.test(b.child("operator")?.text ?? "") && this.mentionsLen(b) && this.mentionsLength(b));
  }

  /** `len(s)` or `cap(s)` (or a local initialised with one) appears in `node`. */
  private mentionsLen(node: GoNode | undefined): boolean {
    if (!node) return false;
    return node.descendants("call_expression", "identifier").some((n) => {
      if (n.type === "call_expression") return this.isLenCall(n);
      const decl = declarationOf(n);
      const init = decl && decl !== this.slice ? initializerOf(decl) : undefined;
      const value = unparen(init?.value);
      return value?.type === "call_expression" && this.isLenCall(value);
    });
  }

  private isLenCall(call: GoNode): boolean {
    if (!isPlainCall(call, "len", "cap")) return false;
    const arg = unparen(call.child("arguments")?.namedChildren[0]);
    return arg?.type === "identifier" && declarationOf(arg) === this.slice;
  }

  /** `n` (the parameter), or for a constant length an expression with that value, appears in `node` outside `len(…)`. */
  private mentionsLength(node: GoNode): boolean {
    const length = this.length;
    if (typeof length === "number") {
      return node.descendants("int_literal", "identifier", "binary_expression").some((n) => !this.inLen(n) && constantInt(n, this.file) === length);
    }
    return node.descendants("identifier").some((n) => declarationOf(n) === length);
  }

  private inLen(n: GoNode): boolean {
    for (const a of n.ancestors()) {
      if (a.type === "call_expression") return this.isLenCall(a);
      if (a.type === "binary_expression") return false;
    }
    return false;
  }
}
