/**
 * Contract coverage: which parameters of an exported function need a directive in the paths
 * of `contracts.require`, which of them lack one, and the per-function coverage status that
 * the check-run summary reports. The one place both `contract-missing` and the engine's
 * coverage computation ask.
 */
import picomatch from "picomatch";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { isExported, parametersOf } from "../analysis/syntax.js";
import type { Contract } from "../directives/contracts.js";
import { contractOf } from "./calls.js";

export interface CoverageEntry {
  path: string;
  /** The declaration key: `Decode`, `Conn.Write`. */
  function: string;
  /** 1-based line of the function's name. */
  line: number;
  /** covered: every required parameter has a directive; missing: some lack one; waived: its `contract-missing` finding was silenced with a reason. */
  status: "covered" | "missing" | "waived";
  /** The required parameters without a directive. */
  uncovered: string[];
}

/** Methods of the standard single-method interfaces: their signatures are fixed, their contracts well known. */
const STANDARD_METHODS = /^(Read|Write|ServeHTTP|ReadFrom|WriteTo|Unmarshal\w*)$/;

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

/** True when a file is generated (`// Code generated … DO NOT EDIT.` near the top). */
export function isGenerated(source: string): boolean {
  return GENERATED.test(source.slice(0, 4096));
}

/** True when `path` lies in the paths of `contracts.require` (and is not a test file). */
export function requiresContracts(path: string, globs: readonly string[]): boolean {
  if (globs.length === 0 || path.endsWith("_test.go")) return false;
  return picomatch.isMatch(path, [...globs], { dot: true });
}

/** True for an exported function or method that is not one of the standard single-method interfaces. */
export function needsContract(fn: GoNode): boolean {
  if (fn.type !== "function_declaration" && fn.type !== "method_declaration") return false;
  const name = fn.child("name")?.text ?? "";
  if (!isExported(name)) return false;
  return !(fn.type === "method_declaration" && STANDARD_METHODS.test(name));
}

/**
 * The parameters whose ownership a contract must state: named (not `_`) parameters of syntactic
 * type `*T`, `[]T`, `...T`, `map[K]V`, `chan T`, `func(…)` or `unsafe.Pointer`. Receivers need none.
 */
export function requiredParameters(fn: GoNode, file: FileScope): { name: string; type: GoNode | undefined }[] {
  return parametersOf(fn)
    .filter((p) => p.name && p.name.text !== "_" && (p.variadic || isReferenceType(p.type, file)))
    .map((p) => ({ name: p.name!.text, type: p.type }));
}

function isReferenceType(type: GoNode | undefined, file: FileScope): boolean {
  let t = type;
  while (t?.type === "parenthesized_type") t = t.namedChildren[0];
  switch (t?.type) {
    case "pointer_type":
    case "slice_type":
    case "map_type":
    case "channel_type":
    case "function_type":
      return true;
    case "qualified_type":
      return file.imports.pathOf(t.child("package")?.text ?? "") === "unsafe" && t.child("name")?.text === "Pointer";
    default:
      return false;
  }
}

/** True when some directive names the parameter: borrow, lifetime, owned or bounds. */
export function isCovered(name: string, contract: Contract): boolean {
  return contract.scopes.has(name) || contract.owned.has(name) || contract.bounds.some((b) => b.slice === name || b.length === name);
}

/** The required parameters of `fn` that no directive covers (empty when the function needs no contract). */
export function uncoveredParameters(fn: GoNode, file: FileScope, scopes: readonly string[]): { name: string; type: GoNode | undefined }[] {
  if (!needsContract(fn)) return [];
  const contract = contractOf(fn, scopes, file);
  return requiredParameters(fn, file).filter((p) => !isCovered(p.name, contract));
}

export interface CoverageInput {
  path: string;
  source: string;
  file: FileScope;
  /** The analyzed (touched) declarations of the head version. */
  declarations: readonly { key: string; node: GoNode }[];
  scopes: readonly string[];
  lineOf(node: GoNode): number;
  /** Declaration keys whose `contract-missing` finding was suppressed with a reason. */
  waived: ReadonlySet<string>;
}

/**
 * Coverage of the exported functions a change adds or touches in a required path: one entry per
 * function that has at least one parameter needing a contract (functions without such
 * parameters need nothing and are not counted).
 */
export function contractCoverage(input: CoverageInput): CoverageEntry[] {
  if (isGenerated(input.source)) return [];
  const out: CoverageEntry[] = [];
  for (const { key, node } of input.declarations) {
    if (!needsContract(node)) continue;
    const required = requiredParameters(node, input.file);
    if (required.length === 0) continue;
    const uncovered = uncoveredParameters(node, input.file, input.scopes).map((p) => p.name);
    const status = uncovered.length === 0 ? "covered" : input.waived.has(key) ? "waived" : "missing";
    out.push({ path: input.path, function: key, line: input.lineOf(node.child("name") ?? node), status, uncovered });
  }
  return out;
}

export interface CoverageSummary {
  /** Exported functions counted (those with parameters that need a contract). */
  functions: number;
  covered: number;
  waived: number;
  /** The functions with uncovered parameters, in the order given. */
  missing: CoverageEntry[];
}

/** The totals the check-run summary and the CLI report; undefined when nothing was counted. */
export function summarizeCoverage(entries: readonly CoverageEntry[] | undefined): CoverageSummary | undefined {
  if (!entries || entries.length === 0) return undefined;
  return {
    functions: entries.length,
    covered: entries.filter((e) => e.status === "covered").length,
    waived: entries.filter((e) => e.status === "waived").length,
    missing: entries.filter((e) => e.status === "missing"),
  };
}
