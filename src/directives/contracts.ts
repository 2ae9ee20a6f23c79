/**
 * A function's lifetime contract, read from the directives in its doc comment.
 *
 * Invalid directives establish nothing: they are left out of the contract and returned as
 * problems (which the `contract-invalid` rule reports).
 */
import type { GoNode } from "../analysis/node.js";
import { parametersOf } from "../analysis/syntax.js";
import type { Directive } from "./parse.js";
import { functionDirectives } from "./placement.js";

export interface BoundsContract {
  slice: string;
  /** A parameter name, an integer literal, or the name of a package-level integer constant. */
  length: string;
  /** The value when `length` is a literal or a named constant; undefined for a parameter. */
  value?: number;
  comment: GoNode;
}

export interface Contract {
  /** Parameter (or receiver) name → scope (`call` for `borrow`). */
  scopes: Map<string, string>;
  /** Parameters whose ownership moves to the callee. */
  owned: Set<string>;
  ownedReturn: boolean;
  bounds: BoundsContract[];
  /** The directive line that established each name's meaning (for messages). */
  origin: Map<string, GoNode>;
}

export interface ContractProblem {
  comment: GoNode;
  message: string;
}

export interface ContractReading {
  contract: Contract;
  problems: ContractProblem[];
}

/**
 * Reads a function's contract; `scopes` are the configured lifetime scopes. `constant` gives the
 * value of a package-level integer constant by name (for `//memlint:bounds s headerLen`); without
 * it only parameters and integer literals are lengths.
 */
export function readContract(fn: GoNode, scopes: readonly string[], constant?: (name: string) => number | undefined): ContractReading {
  const contract: Contract = { scopes: new Map(), owned: new Set(), ownedReturn: false, bounds: [], origin: new Map() };
  const problems: ContractProblem[] = [];
  const names = new Set(parametersOf(fn).flatMap((p) => (p.name ? [p.name.text] : [])));
  const receiver = fn.child("receiver")?.namedChildren[0]?.child("name")?.text;
  if (receiver) names.add(receiver);
  const fnName = fn.child("name")?.text ?? "this function";
  const meaning = new Map<string, string>();

  for (const { comment, parse } of functionDirectives(fn)) {
    if (!parse.ok) continue; // Syntax errors are reported where the comment is parsed.
    const d: Directive = parse.directive;
    if (d.kind === "ignore" || d.kind === "nolint") continue;
    if (d.kind === "lifetime" && !scopes.includes(d.scope)) {
      problems.push({ comment, message: `unknown scope \`${d.scope}\` (configured scopes: ${scopes.join(", ")}); the directive establishes nothing.` });
      continue;
    }
    // A bounds length that is not a parameter may be an integer literal or a named constant.
    const value = d.kind !== "bounds" || names.has(d.length) ? undefined : /^[0-9]+$/.test(d.length) ? Number.parseInt(d.length, 10) : constant?.(d.length);
    const named = d.kind === "bounds" ? [d.slice] : d.names;
    const missing = named.filter((n) => !names.has(n) && !(d.kind === "owned" && n === "return"));
    if (missing.length > 0) {
      const list = missing.map((m) => `\`${m}\``).join(", ");
      problems.push({ comment, message: `\`//memlint:${d.kind}\` names ${list}, which ${missing.length === 1 ? "is not a parameter" : "are not parameters"} of \`${fnName}\`; the directive establishes nothing.` });
      continue;
    }
    if (d.kind === "bounds" && value === undefined && !names.has(d.length)) {
      problems.push({
        comment,
        message: `the length \`${d.length}\` of \`//memlint:bounds\` is neither a parameter of \`${fnName}\` nor an integer constant of its package that memlint can read; the directive establishes nothing.`,
      });
      continue;
    }
    if (d.kind === "bounds") {
      contract.bounds.push({ slice: d.slice, length: d.length, ...(value === undefined ? {} : { value }), comment });
      continue;
    }
    const label = d.kind === "lifetime" ? `lifetime ${d.scope}` : d.kind === "borrow" ? "lifetime call" : "owned";
    const conflicts = named.filter((n) => n !== "return" && meaning.has(n) && meaning.get(n) !== label);
    if (conflicts.length > 0) {
      for (const n of conflicts) problems.push({ comment, message: `\`${n}\` is declared both \`${meaning.get(n)}\` and \`${label}\`; conflicting contracts establish nothing.` });
      // A conflict voids every meaning of the name.
      for (const n of conflicts) {
        contract.scopes.delete(n);
        contract.owned.delete(n);
      }
      continue;
    }
    for (const n of named) {
      if (d.kind === "owned") {
        if (n === "return") contract.ownedReturn = true;
        else contract.owned.add(n);
      } else {
        contract.scopes.set(n, d.kind === "lifetime" ? d.scope : "call");
      }
      meaning.set(n, label);
      contract.origin.set(n, comment);
    }
  }
  return { contract, problems };
}
