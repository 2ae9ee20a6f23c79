/**
 * Call sites: which function of this package a call invokes (`resolveCall` in
 * analysis/types.ts), and that function's contract. Unknown calls carry no contract.
 */
import { packageIntConstant } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { parametersOf } from "../analysis/syntax.js";
import { readContract, type Contract } from "../directives/contracts.js";
import { receiverTypeName, resolveCall } from "../analysis/types.js";

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
  const resolved = resolveCall(call, file);
  if (!resolved) return undefined;
  const { node: fn, file: home } = resolved;
  const name = fn.child("name")?.text ?? "";
  const sameFile = home === file;
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
