/**
 * Sinks: places where a stored value outlives the call, and how long they live.
 *
 * - package-level variables (and anything reached through them): `process`;
 * - fields and elements of the receiver or of a parameter (through pointers, slices and maps):
 *   the declared scope of that receiver or parameter, or `process` without one;
 * - a channel send (unless the channel is local and never leaves the function): the channel's
 *   owner's scope, or `process`;
 * - a `go` statement's arguments and captures, unless the function waits for it: `process`;
 * - a func value registered to run later (`time.AfterFunc`, `context.AfterFunc`,
 *   `runtime.SetFinalizer`, `http.HandleFunc`, `Handle`/`HandleFunc` methods): `process`;
 * - `Put`/`Store`/`Swap` on a sync.Pool or sync.Map the package declares: its owner's scope;
 * - a parameter of a callee whose contract says `owned` or a longer `lifetime`;
 * - a return (which only `call`-scoped values may not reach).
 * Writes into a local variable or a fresh local container are not sinks: they make the local
 * hold the value (see derivation).
 */
import { channelUseKind, goStatementOfArgument, madeChannel, runsInline, waitFollows } from "../analysis/channels.js";
import { escapesAt } from "../analysis/escape.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { storeCall, type StoreCall } from "../analysis/pools.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { callParts, goStatementOfLiteral, rootIdentifier, unparen } from "../analysis/syntax.js";
import type { Derivation, State } from "./derivation.js";
import { isImportQualifier, isNamedValueType, shapeOf, typeOfExpr } from "../analysis/types.js";

export type SinkKind = "package" | "parameter" | "receiver" | "send" | "go" | "callback" | "container" | "callee" | "return";

export interface Sink {
  kind: SinkKind;
  /** How long the sink keeps the value (for a return: the caller decides; `call`-scoped values may not reach it). */
  scope: string;
  /** Whether that scope is stated: by a directive, or by being package state (false: a parameter or receiver without a directive). */
  declared: boolean;
  /** Where the value ends up, for messages: "the receiver `c`", "the package-level variable `cache`". */
  where: string;
  /** For a return: which result. */
  result?: number;
}

/** Who owns the memory a store writes into. */
export type Owner =
  | { kind: "local"; decl: GoNode }
  | { kind: "roots"; roots: ReadonlySet<string> }
  | { kind: "package"; name: string }
  | { kind: "unknown" };

/**
 * The owner of an assignment target (`c.last`, `m[k]`, `*p`, `x`): a local variable (the value
 * becomes part of it), the roots whose memory it lies in, other packages' state, or unknown.
 * A field of a struct value, or an element of an array value, lies in the variable itself.
 */
export function ownerOfPlace(place: GoNode | undefined, st: State, d: Derivation, depth = 0): Owner {
  const p = unparen(place);
  if (!p || depth > 20) return { kind: "unknown" };
  switch (p.type) {
    case "identifier": {
      const decl = declarationOf(p);
      if (decl) return { kind: "local", decl };
      const root = d.packageRoot(p);
      return root ? { kind: "roots", roots: new Set([root.name]) } : { kind: "unknown" };
    }
    case "selector_expression":
    case "index_expression": {
      const base = p.child("operand");
      if (p.type === "selector_expression" && isImportQualifier(base, d.file)) return { kind: "package", name: p.text };
      const type = typeOfExpr(base, d.file);
      const shape = shapeOf(type);
      if ((p.type === "selector_expression" && shape === "struct") || (p.type === "index_expression" && shape === "array")) {
        return ownerOfPlace(base, st, d, depth + 1);
      }
      // A named type memlint cannot see may be a struct or array value: the write may stay local.
      if (shape === undefined && isNamedValueType(type)) return { kind: "unknown" };
      return ownerOfMemory(base, st, d);
    }
    case "unary_expression":
      return p.child("operator")?.text === "*" ? ownerOfMemory(p.child("operand"), st, d) : { kind: "unknown" };
    default:
      return { kind: "unknown" };
  }
}

/** The owner of the memory that a pointer, slice or map value refers to. */
export function ownerOfMemory(expr: GoNode | undefined, st: State, d: Derivation): Owner {
  const value = d.eval(expr, st);
  if (value.alias.size > 0) return { kind: "roots", roots: value.alias };
  const root = rootIdentifier(expr);
  if (!root) {
    const e = unparen(expr);
    if (e?.type === "selector_expression" && isImportQualifier(e.child("operand"), d.file)) return { kind: "package", name: e.text };
    return { kind: "unknown" };
  }
  const decl = declarationOf(root);
  if (!decl) {
    const pkg = d.packageRoot(root);
    return pkg ? { kind: "roots", roots: new Set([pkg.name]) } : { kind: "unknown" };
  }
  // Types along the path are unknown, but it starts at a parameter: its memory.
  const param = d.rootOfDeclaration(decl);
  if (param) return { kind: "roots", roots: new Set([param.name]) };
  // A local that aliases nothing: a fresh container, or something memlint cannot see into.
  return { kind: "local", decl };
}

/**
 * True when a channel made in this function never leaves it: every use sends, receives, ranges,
 * closes or inspects it, or hands it to a goroutine the function waits for. Values sent on such
 * a channel stay in the function.
 */
export function isLocalChannel(decl: GoNode, file: FileScope): boolean {
  if (!madeChannel(decl)) return false;
  for (const use of referencesOf(decl)) {
    // Captured by a func literal that is not run in place and not a waited goroutine.
    for (const a of use.ancestors()) {
      if (decl.within(a)) break;
      if (a.type !== "func_literal" || runsInline(a)) continue;
      const go = goStatementOfLiteral(a);
      if (!go || !waitFollows(go)) return false;
    }
    const kind = channelUseKind(use);
    if (kind === "go-argument") {
      const go = goStatementOfArgument(use);
      if (!go || !waitFollows(go)) return false;
      continue;
    }
    if (kind === "other" && escapesAt(use, file)) return false;
  }
  return true;
}

/** Registration calls whose func argument runs later, maybe long after the call: `[path.Name, argument index]`. */
const CALLBACK_FUNCTIONS = new Map<string, number>([
  ["time.AfterFunc", 1],
  ["context.AfterFunc", 1],
  ["runtime.SetFinalizer", 1],
  ["net/http.HandleFunc", 1],
  ["net/http.Handle", 1],
]);

/** For a call that registers a func value to run later, that argument. */
export function callbackArgument(call: GoNode, file: FileScope): GoNode | undefined {
  const qualified = file.imports.qualifiedName(call);
  const { receiver, name, args } = callParts(call);
  if (qualified) {
    const index = CALLBACK_FUNCTIONS.get(qualified);
    return index === undefined ? undefined : args[index];
  }
  // `mux.Handle(pattern, h)`, `r.HandleFunc(pattern, f)` on any router.
  if (receiver && (name === "Handle" || name === "HandleFunc") && args.length >= 2) return args[args.length - 1];
  return undefined;
}

/** `P.Put(v)`, `M.Store(k, v)`, `M.Swap(k, v)`, … on a sync.Pool or sync.Map the package declares. */
export function containerStore(call: GoNode, file: FileScope): StoreCall | undefined {
  const store = storeCall(call, file);
  return store?.value || store?.key ? store : undefined;
}

/** A description of a root for messages. */
export function describeRoot(name: string, d: Derivation): string {
  const root = d.roots.get(name);
  if (root?.kind === "package") return `the package-level variable \`${name.slice(4)}\``;
  if (root?.kind === "receiver") return `the receiver \`${name}\``;
  return `the parameter \`${name}\``;
}
