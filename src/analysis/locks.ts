/**
 * Locks on the control-flow graph: which calls take a lock (`mu.Lock()`, `s.mu.RLock()`, a
 * package's own `logLock()` paired with a `logUnlock()`), which uses release it (the matching
 * unlock, deferred or not, in a literal run in place or a goroutine, or a package helper called
 * on the same receiver or handed the lock that unlocks it), and whether every path from the
 * lock that returns to the caller passes a release.
 */
import { cfgAround, type Cfg, type CfgEdge, type CfgNode } from "./cfg.js";
import type { FileScope } from "./file.js";
import type { GoNode } from "./node.js";
import { declarationOf, referencesOf } from "./scope.js";
import { bindingOfValue, callParts, isFunction, parametersOf, rootIdentifier, statementsOf, unparen } from "./syntax.js";

/** How many calls deep a helper may release a lock for its caller (`s.unlockAndNotify()` → `s.mu.Unlock()`). */
const HELPER_DEPTH = 2;

export interface LockCall {
  /** The call that takes the lock. */
  call: GoNode;
  /** What is locked, as written: `s.mu`, `mu`, `d.mu.versions`. */
  receiver: string;
  /** The method that takes it (`Lock`, `RLock`, `logLock`) and the one that releases it. */
  lock: string;
  unlock: string;
}

/**
 * A call statement that takes a lock: `R.Lock()`, `R.RLock()`, or `R.xLock()`/`R.lockX()` with
 * no arguments when the package also declares the matching `xUnlock`/`unlockX`.
 */
export function lockCallOf(call: GoNode, file: FileScope): LockCall | undefined {
  if (call.type !== "call_expression" || call.parent?.type !== "expression_statement") return undefined;
  const { receiver, name, args } = callParts(call);
  if (!receiver || args.length > 0) return undefined;
  const unlock = unlockName(name);
  if (!unlock) return undefined;
  if (name !== "Lock" && name !== "RLock" && file.packageMethodsIn(unlock).length === 0) return undefined;
  // `pkg.Lock()` is a package function, not a method on a lock.
  if (receiver.type === "identifier" && file.imports.pathOf(receiver.text) && !declarationOf(receiver)) return undefined;
  return { call, receiver: normalize(receiver.text), lock: name, unlock };
}

/** `Lock` → `Unlock`, `RLock` → `RUnlock`, `logLock` → `logUnlock`, `lock` → `unlock`, `lockShard` → `unlockShard`. */
function unlockName(name: string): string | undefined {
  if (name.endsWith("Lock") && !name.endsWith("Unlock") && !/^Try/i.test(name)) return `${name.slice(0, -4)}Unlock`;
  if (name === "lock") return "unlock";
  if (/^lock[A-Z]/.test(name)) return `unlock${name.slice(4)}`;
  return undefined;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, "");
}

export type LockAccount =
  /** Every path from the lock that returns releases it. */
  | { kind: "released"; sites: number }
  /**
   * A path returns (or comes back to the lock) holding it. `sites`: how many releases the
   * function has; `heldByDesign`: the function's ordinary end is reached only with the lock held
   * (see {@link heldByDesign}).
   */
  | { kind: "leaks"; end: { kind: "return" | "end" | "repeat"; node: GoNode }; sites: number; heldByDesign: boolean }
  /**
   * The function unlocks the lock before it ever locks it, then locks it again: it is called
   * with the lock held and gives it back held (`mu.Unlock(); slowIO(); mu.Lock()`).
   */
  | { kind: "held-on-entry" }
  | { kind: "unknown" };

/** Accounts for a lock from its call to every way out of its function. */
export function accountForLock(lock: LockCall, file: FileScope): LockAccount {
  const cfg = cfgAround(lock.call);
  const start = cfg?.nodeOf(lock.call);
  if (!cfg || !start) return { kind: "unknown" };
  const releases = releaseNodes(cfg, lock, file);
  if (heldOnEntry(cfg, lock, start)) return { kind: "held-on-entry" };
  // A deferred release registered before the lock runs at exit, after it.
  const before = cfg.reachableFrom(cfg.entry, { blocks: (n) => n === start });
  for (const node of releases) {
    if (node.syntax.type === "defer_statement" && before.has(node) && cfg.reaches(node, start)) return { kind: "released", sites: releases.size };
  }
  const skips = correlatedBranches(lock.call);
  const path = cfg.pathFrom(start, { target: (n) => n === cfg.exit || n === start, blocks: (n) => releases.has(n), skips });
  if (!path) return { kind: "released", sites: releases.size };
  const held = cfg.reachableFrom(start, { blocks: (n) => releases.has(n), skips });
  return { kind: "leaks", end: leakEnd(cfg, path), sites: releases.size, heldByDesign: heldByDesign(cfg, held, releases) };
}

/** True when an unlock of the lock runs before any lock of it and leads to this lock. */
function heldOnEntry(cfg: Cfg, lock: LockCall, start: CfgNode): boolean {
  const sameLock = (field: string) => (n: CfgNode) =>
    n.syntax.descendants("selector_expression").some((sel) => sel.child("field")?.text === field && normalize(sel.child("operand")?.text ?? "") === lock.receiver);
  const locks = sameLock(lock.lock);
  const unlocks = sameLock(lock.unlock);
  const first = cfg.reachableFrom(cfg.entry, { blocks: locks });
  return [...first].some((n) => unlocks(n) && cfg.reaches(n, start));
}

/**
 * True when the function's last statement (a return or a simple statement) is reached only with
 * the lock held: the function's ordinary end keeps the lock, and it unlocks only on the paths
 * that give up early. That is how functions that hand a held lock to their caller look.
 */
function heldByDesign(cfg: Cfg, held: ReadonlySet<CfgNode>, releases: ReadonlySet<CfgNode>): boolean {
  const last = statementsOf(cfg.fn.child("body")).at(-1);
  if (!last || COMPOUND.has(last.type)) return false;
  const node = cfg.nodeOf(last);
  return !!node && held.has(node) && ![...releases].some((r) => r === node || cfg.reaches(r, node));
}

const COMPOUND = new Set(["if_statement", "for_statement", "expression_switch_statement", "type_switch_statement", "select_statement", "block", "labeled_statement"]);

/** The graph nodes that release the lock: its unlock, and calls of package helpers that unlock it. */
function releaseNodes(cfg: Cfg, lock: LockCall, file: FileScope): Set<CfgNode> {
  const nodes = new Set<CfgNode>();
  const add = (syntax: GoNode) => {
    for (const site of releaseSitesOf(syntax, cfg.fn)) {
      const node = cfg.nodeOf(site);
      if (node) nodes.add(node);
    }
  };
  for (const sel of cfg.fn.descendants("selector_expression")) {
    if (sel.child("field")?.text === lock.unlock && normalize(sel.child("operand")?.text ?? "") === lock.receiver) add(sel);
  }
  for (const call of cfg.fn.descendants("call_expression")) {
    if (call !== lock.call && helperReleases(call, lock.receiver, lock.unlock, file, HELPER_DEPTH)) add(call);
  }
  return nodes;
}

/**
 * Where a release at `syntax` takes effect in `fn`: the release itself, or — inside a func
 * literal bound to a local (`unlock := func() { mu.Unlock() }`) — every use of that local.
 */
function releaseSitesOf(syntax: GoNode, fn: GoNode): GoNode[] {
  const literal = literalAround(syntax, fn);
  if (!literal) return [syntax];
  let e = literal;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  const binding = bindingOfValue(e);
  const target = binding?.targets.length === 1 ? binding.targets[0] : undefined;
  const decl = target && target.text !== "_" ? (declarationOf(target) ?? target) : undefined;
  return decl ? referencesOf(decl) : [syntax];
}

/** The outermost func literal inside `fn` around `node`. */
function literalAround(node: GoNode, fn: GoNode): GoNode | undefined {
  let found: GoNode | undefined;
  for (const a of node.ancestors()) {
    if (a === fn) break;
    if (a.type === "func_literal") found = a;
  }
  return found;
}

/**
 * True when a call releases the lock `receiver` through a package helper: a method called on
 * the lock or on something it belongs to (`s.unlockAll()` for `s.mu`), or a function handed the
 * lock or its owner (`release(&s.mu)`, `finish(s)`), whose body unlocks the matching expression.
 */
function helperReleases(call: GoNode, receiver: string, unlock: string, file: FileScope, depth: number): boolean {
  if (depth <= 0) return false;
  const fn = unparen(call.child("function"));
  const { receiver: callee, name } = callParts(call);
  if (!name) return false;
  const candidates: { file: FileScope; node: GoNode; expr: string }[] = [];
  if (fn?.type === "selector_expression" && callee) {
    const rest = remainder(receiver, normalize(callee.text));
    if (rest !== undefined) {
      for (const m of file.packageMethodsIn(name)) {
        const self = m.node.child("receiver")?.namedChildren[0]?.childrenOf("name")[0]?.text;
        if (self && self !== "_") candidates.push({ ...m, expr: self + rest });
      }
    }
  }
  if (fn?.type === "identifier" && !declarationOf(fn)) {
    const helper = file.packageFunctionIn(name);
    const params = helper ? parametersOf(helper.node) : [];
    callParts(call).args.forEach((arg, i) => {
      let a = unparen(arg);
      if (a?.type === "unary_expression" && a.child("operator")?.text === "&") a = unparen(a.child("operand"));
      const rest = a ? remainder(receiver, normalize(a.text)) : undefined;
      const param = params[i]?.name;
      if (helper && rest !== undefined && param && param.text !== "_") candidates.push({ ...helper, expr: param.text + rest });
    });
  }
  return candidates.some(({ file: home, node, expr }) => {
    for (const sel of node.descendants("selector_expression")) {
      if (sel.child("field")?.text === unlock && normalize(sel.child("operand")?.text ?? "") === expr) return true;
    }
    return node.descendants("call_expression").some((inner) => helperReleases(inner, expr, unlock, home, depth - 1));
  });
}

/** `.mu` for the lock `s.mu` reached from `s`; `""` when the owner is the lock itself; undefined when `owner` does not lead to it. */
function remainder(lock: string, owner: string): string | undefined {
  if (lock === owner) return "";
  return lock.startsWith(`${owner}.`) ? lock.slice(owner.length) : undefined;
}

/**
 * When the lock is taken inside `if cond { … }`, the later false edges of the same condition
 * (`if cond { mu.Unlock() }`): the path that locked takes the true edge there too.
 */
function correlatedBranches(call: GoNode): ((edge: CfgEdge) => boolean) | undefined {
  const conditions = new Set<string>();
  let prev = call;
  for (const a of call.ancestors()) {
    if (isFunction(a)) break;
    if (a.type === "if_statement" && prev.field === "consequence" && !a.child("initializer") && !assignsConditionIn(a, prev)) conditions.add(normalize(a.child("condition")?.text ?? ""));
    prev = a;
  }
  if (conditions.size === 0) return undefined;
  return (edge) => edge.kind === "false" && edge.from.kind === "condition" && edge.from.syntax.parent?.type === "if_statement" && conditions.has(normalize(edge.from.syntax.text));
}

/**
 * The branch assigns a variable its `if`'s condition reads (`if err == nil { lock(); for … { err = … } }`):
 * a later test of the same text may then go the other way.
 */
function assignsConditionIn(ifStmt: GoNode, branch: GoNode): boolean {
  const read = new Set((ifStmt.child("condition")?.descendants("identifier") ?? []).map((id) => id.text));
  if (read.size === 0) return false;
  for (const n of branch.descendants("assignment_statement", "short_var_declaration", "inc_statement", "dec_statement")) {
    const targets = n.type === "inc_statement" || n.type === "dec_statement" ? n.namedChildren : (n.child("left")?.namedChildren ?? []);
    if (targets.some((t) => read.has(rootIdentifier(t)?.text ?? t.text))) return true;
  }
  return false;
}

function leakEnd(cfg: Cfg, path: CfgNode[]): { kind: "return" | "end" | "repeat"; node: GoNode } {
  const last = path[path.length - 1]!;
  const before = path[path.length - 2]?.syntax;
  if (last !== cfg.exit) {
    // Name the statement that sends control back (a `continue`, the body's last statement), not the loop header.
    const inBody = path.slice(0, -1).reverse().find((n) => n.kind === "statement" || n.kind === "jump");
    return { kind: "repeat", node: (inBody ?? last).syntax };
  }
  if (before?.type === "return_statement") return { kind: "return", node: before };
  const body = cfg.fn.child("body");
  return { kind: "end", node: body?.children[body.children.length - 1] ?? cfg.fn };
}
