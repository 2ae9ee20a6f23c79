/** What the analysis helpers may ask about the rest of the file being analyzed. */
import type { DeclarationKind } from "../engine/declarations.js";
import type { Imports } from "./imports.js";
import type { GoNode } from "./node.js";

/** The other files of a package, as far as memlint knows them. */
export interface PackageSiblings {
  /** The other non-test Go files of the package (same directory and package clause), this file excluded. */
  files: readonly FileScope[];
  /**
   * Whether that is every file of the package. False when only some are known: the package's
   * other files were not read (`contracts.scan_package: false`, a limit of the App) and only
   * the change's own files are here, or some were too large.
   */
  complete: boolean;
}

export interface FileScope {
  readonly path: string;
  /** The file's text. */
  readonly text: string;
  readonly imports: Imports;
  /** A top-level function of this file by name, parsed on demand. */
  functionNamed(name: string): GoNode | undefined;
  /** Methods of this file with this name (any receiver), parsed on demand. */
  methodsNamed(name: string): GoNode[];
  /** A function of this package by name: this file first, then its sibling files (contracts of callees). */
  packageFunction(name: string): GoNode | undefined;
  /** Methods of this package with this name, from this file and its siblings. */
  packageMethods(name: string): GoNode[];
  /** {@link packageFunction} with the file that declares it (for its imports and further lookups). */
  packageFunctionIn(name: string): { file: FileScope; node: GoNode } | undefined;
  /**
   * {@link packageMethods}, each with the file that declares it. With `receivers`, at least the
   * methods declared on one of those type names (maybe others: filter by the receiver), and
   * only those are parsed.
   */
  packageMethodsIn(name: string, receivers?: readonly string[]): { file: FileScope; node: GoNode }[];
  /** Whether the package declares a method of that name (told from its declarations; nothing is parsed). */
  declaresPackageMethod(name: string): boolean;
  /** The `var_spec`/`const_spec`/`type_spec` that declares a package-level name in this file. */
  packageLevel(name: string): GoNode | undefined;
  /**
   * Top-level declarations of this file whose text mentions `word`, parsed on demand; with
   * `kinds`, only declarations of those kinds (known without parsing, so the rest cost nothing).
   */
  declarationsMentioning(word: string, kinds?: readonly DeclarationKind[]): GoNode[];
  /**
   * The other files of this package, parsed on demand; undefined when memlint does not know the
   * package (a file analyzed on its own, without a package index).
   */
  siblingFiles(): PackageSiblings | undefined;
  /**
   * Top-level declarations whose text mentions `word`: this file's, then its sibling files' (each
   * with the file it is in, for imports and further lookups), parsed only as far as iterated.
   */
  packageDeclarationsMentioning(word: string, kinds?: readonly DeclarationKind[]): Iterable<{ file: FileScope; node: GoNode }>;
  /**
   * Names this file may declare with `word` in their declaration, told from the text alone
   * (nothing is parsed): the functions and methods whose declaration mentions `word` as a whole
   * word, and every word of a declaration that mentions both `word` and `interface` (its
   * interface methods). It may hold more names than those, never fewer. Undefined when the file
   * is known only by its summary, may hold `word`, and `read` is false (it is not read for this).
   */
  namesDeclaredWith(word: string, read: boolean): ReadonlySet<string> | undefined;
  /** Whether this file may contain `word`: false is sure; a file known by its summary answers without being read. */
  mayMention(word: string): boolean;
  /**
   * Whether the text of this file or of a sibling file memlint knows contains `text`: a native
   * search, for rules that can skip a file when what they look for appears nowhere.
   */
  packageContains(text: string): boolean;
  /**
   * Whether an import declaration of this file or of a sibling file memlint knows names `path`
   * (`"net/http"`, or raw): what a package may use, answered without parsing, from a summary too.
   */
  packageImports(path: string): boolean;
}
