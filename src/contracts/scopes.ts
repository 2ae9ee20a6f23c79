/**
 * Lifetime scopes, ordered shortest first as configured (`call` … `process`), and the scope
 * that a parameter, the receiver or package state has under a function's contract.
 */
import type { Contract } from "../directives/contracts.js";

export const CALL = "call";
export const PROCESS = "process";

/** Position of a scope in the configured order; unknown scopes count as `process`. */
export function scopeRank(scope: string, scopes: readonly string[]): number {
  const i = scopes.indexOf(scope);
  return i === -1 ? scopes.length : i;
}

/** True when `a` lives strictly longer than `b`. */
export function outlives(a: string, b: string, scopes: readonly string[]): boolean {
  return scopeRank(a, scopes) > scopeRank(b, scopes);
}

/** The longest configured scope (`process`). */
export function longestScope(scopes: readonly string[]): string {
  return scopes[scopes.length - 1] ?? PROCESS;
}

/**
 * How long a parameter or the receiver lives by the contract: its declared scope, or the longest
 * scope when it has none (a value stored in it may live as long as the process).
 */
export function declaredScope(name: string, contract: Contract, scopes: readonly string[]): { scope: string; declared: boolean } {
  const scope = contract.scopes.get(name);
  return scope ? { scope, declared: true } : { scope: longestScope(scopes), declared: false };
}
