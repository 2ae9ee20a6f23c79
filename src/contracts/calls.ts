/**
 * Call sites: which function of this package a call invokes, and that function's contract.
 *
 * A plain call `f(x)` resolves to the package function `f` (this file or a sibling file). A
 * method call `x.m(…)` resolves only when the declared type of `x` is syntactically known (a
 * parameter, receiver, local or field declared with that type, `&T{}`, `T{}`, `new(T)`) and a
 * method `m` of that type (or of a struct it embeds) exists in the package. Anything else is
 * unknown, and unknown calls carry no contract.
 */
import { packageIntConstant } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf } from "../analysis/scope.js";
import { parametersOf, unparen } from "../analysis/syntax.js";
import { readContract, type Contract } from "../directives/contracts.js";
import { embeddedName, isImportQualifier, namedTypeOf, nodeType, typeOfExpr, underlying } from "./types.js";

/** The declared receiver type name of a method: `func (c *Conn[T]) …` → `Conn`. */
export function receiverTypeName(method: GoNode): string | undefined {
  const type = method.child("receiver")?.namedChildren[0]?.child("type");
  return embeddedName(type);
}

/** The package function or method a call invokes, when memlint can tell. */
export function resolveCallee(call: GoNode, file: FileScope): GoNode | undefined {
  const fn = unparen(call.child("function"));
  if (fn?.type === "identifier") {
    if (declarationOf(fn)) return undefined; // a local func value
    return file.packageFunction(fn.text);
  }
  if (fn?.type !== "selector_expression") return undefined;
  const operand = fn.child("operand");
  const name = fn.child("field")?.text ?? "";
  if (!operand || !name || isImportQualifier(operand, file)) return undefined;
  const candidates = file.packageMethods(name);
  if (candidates.length === 0) return undefined;
  const type = typeOfExpr(operand, file);
  const typeName = namedTypeOf(type);
  if (!typeName) return undefined;
  const direct = candidates.filter((m) => receiverTypeName(m) === typeName);
  if (direct.length === 1) return direct[0];
  if (direct.length > 1) return undefined;
  // A method promoted from an embedded struct field.
  const struct = underlying(type && type.kind === "pointer" ? type.to : type);
  if (struct?.kind !== "node") return undefined;
  const target = struct.node.type === "pointer_type" ? underlying(nodeType(struct.node.namedChildren[0], struct.file)) : struct;
  if (target?.kind !== "node" || target.node.type !== "struct_type") return undefined;
  const promoted = new Set<GoNode>();
  for (const field of target.node.descendants("field_declaration")) {
    if (field.parent?.parent !== target.node || field.childrenOf("name").length > 0) continue;
    const embedded = embeddedName(field.child("type"));
    for (const m of candidates) if (embedded && receiverTypeName(m) === embedded) promoted.add(m);
  }
  return promoted.size === 1 ? [...promoted][0] : undefined;
}

const contracts = new WeakMap<GoNode, { key: string; contract: Contract }>();

/**
 * A function's contract (cached per declaration and configured scopes); `file` declares `fn`
 * (a `bounds` length may name one of its package's integer constants).
 */
export function contractOf(fn: GoNode, scopes: readonly string[], file: FileScope): Contract {
  const key = scopes.join(",");
  const cached = contracts.get(fn);
  if (cached?.key === key) return cached.contract;
  const { contract } = readContract(fn, scopes, (name) => packageIntConstant(name, file));
  contracts.set(fn, { key, contract });
  return contract;
}

/** True when the contract says anything at all. */
export function hasContract(contract: Contract): boolean {
  return contract.scopes.size > 0 || contract.owned.size > 0 || contract.ownedReturn || contract.bounds.length > 0;
}

export interface Callee {
  fn: GoNode;
  contract: Contract;
  /** `Send`, `Writer.Send`. */
  label: string;
  /** The callee is declared in the file under analysis (its directive lines are lines of this file). */
  sameFile: boolean;
  /** The file that declares the callee (for reading its parameter types with that file's imports). */
  file: FileScope;
}

/** The callee of a call and its contract, when the call resolves to a package function with one. */
export function calleeOf(call: GoNode, file: FileScope, scopes: readonly string[]): Callee | undefined {
  const fn = resolveCallee(call, file);
  if (!fn) return undefined;
  const name = fn.child("name")?.text ?? "";
  const declares = (f: FileScope) => (fn.type === "method_declaration" ? f.methodsNamed(name).includes(fn) : f.functionNamed(name) === fn);
  const sameFile = declares(file);
  const home = sameFile ? file : (file.siblingFiles()?.files.find(declares) ?? file);
  const contract = contractOf(fn, scopes, home);
  if (!hasContract(contract)) return undefined;
  const recv = fn.type === "method_declaration" ? receiverTypeName(fn) : undefined;
  return { fn, contract, label: recv ? `${recv}.${name}` : name, sameFile, file: home };
}

/** The callee's parameter that receives argument `index` (the variadic one for trailing arguments). */
export function parameterAt(fn: GoNode, index: number): { name: string; variadic: boolean; type: GoNode | undefined } | undefined {
  const params = parametersOf(fn);
  const last = params[params.length - 1];
  const p = index < params.length ? params[index] : last?.variadic ? last : undefined;
  return p?.name ? { name: p.name.text, variadic: p.variadic, type: p.type } : undefined;
}
