/** What the analysis helpers may ask about the rest of the file being analyzed. */
import type { Imports } from "./imports.js";
import type { GoNode } from "./node.js";

export interface FileScope {
  readonly path: string;
  readonly imports: Imports;
  /** A top-level function of this file by name, parsed on demand. */
  functionNamed(name: string): GoNode | undefined;
  /** Methods of this file with this name (any receiver), parsed on demand. */
  methodsNamed(name: string): GoNode[];
  /** A function of this package by name: this file first, then its sibling files (contracts of callees). */
  packageFunction(name: string): GoNode | undefined;
  /** Methods of this package with this name, from this file and its siblings. */
  packageMethods(name: string): GoNode[];
  /** The `var_spec`/`const_spec`/`type_spec` that declares a package-level name in this file. */
  packageLevel(name: string): GoNode | undefined;
  /** Top-level declarations of this file whose text mentions `word`, parsed on demand. */
  declarationsMentioning(word: string): GoNode[];
}
