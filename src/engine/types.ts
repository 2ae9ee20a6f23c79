/** The engine's vocabulary: severities, rules, findings. Nothing here knows about GitHub. */
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import type { DeclaredNames } from "./package-summary.js";

export const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is more severe. */
export function severityRank(s: Severity): number {
  return s === "error" ? 3 : s === "warning" ? 2 : 1;
}

export type Category =
  | "leak-resource"
  | "leak-goroutine"
  | "timer"
  | "pool"
  | "http"
  | "gc"
  | "retention"
  | "unsafe-cgo"
  | "contract"
  | "alloc"
  | "meta";

export interface RuleMeta {
  id: string;
  category: Category;
  severity: Severity;
  title: string;
  /** What happens at run time and why: two or three sentences. */
  rationale: string;
  /** How to fix it, one or two sentences. */
  fix: string;
  /** Go code that triggers the rule. */
  bad: string;
  /** The same code, fixed. */
  good: string;
  /** Whether a finding can carry a mechanical suggestion: always, for the common shape, or never. */
  suggestion: "yes" | "partial" | "none";
  /**
   * What a finding in test code gets (see {@link TestPolicy}): most leaks in tests end with the
   * test process, so resource and timer rules skip it; rules about correctness report there.
   */
  inTests: TestPolicy;
  /**
   * Report findings in every declaration the change touches, even when the base version has
   * them too (for requirements on changed code, such as `contract-missing`).
   */
  blameTouched?: boolean;
  /**
   * The Go version from which the runtime fixed this pitfall: a review of code whose module
   * requires it or later does not run the rule (`memlint check --all-versions` reports its
   * findings as `info`).
   */
  fixedInGo?: string;
  /**
   * Checks of other tools that report the same pitfall. A suppression of one of them for a line
   * (`//nolint:bodyclose`, `//lint:ignore SA1015 …`, `#nosec G114`) silences this rule there too.
   */
  equivalents?: Equivalents;
}

/**
 * Where a rule's findings go in test code: `_test.go` files, `Test*`/`Benchmark*`/`Fuzz*`/
 * `Example*` functions, files built only on request (`//go:build ignore`) and the paths the
 * configuration names as not production (`paths.non_production`).
 * - `skip`: the rule does not report there;
 * - `info`: it reports at `info` (no inline comment by default, never blocks a default policy);
 * - `report`: as anywhere else.
 */
export const TEST_POLICIES = ["skip", "info", "report"] as const;
export type TestPolicy = (typeof TEST_POLICIES)[number];

/**
 * Checks of other linters equivalent to a rule, by the names their suppressions use. A linter
 * that bundles checks (staticcheck, gosec, go vet) is silenced as a whole by golangci-lint's
 * `//nolint:<linter>`, so naming one of its checks makes that `//nolint` count too.
 */
export interface Equivalents {
  /** golangci-lint linters that are this check (`bodyclose`, `gocritic`): `//nolint:bodyclose`. */
  golangci?: readonly string[];
  /** staticcheck checks (`SA1015`): `//lint:ignore SA1015 reason`, `//nolint:staticcheck`. */
  staticcheck?: readonly string[];
  /** gosec rules (`G114`): `#nosec G114`, bare `#nosec`, `//nolint:gosec`. */
  gosec?: readonly string[];
  /** go vet analyzers (`lostcancel`): `//nolint:govet`. */
  govet?: readonly string[];
}

/** A replacement of whole lines of the head file, for a GitHub ```suggestion block. */
export interface Suggestion {
  startLine: number;
  endLine: number;
  /** The new text of those lines, without a trailing newline. */
  replacement: string;
}

export interface RelatedLocation {
  line: number;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  title: string;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Key of the enclosing top-level declaration (`Handler`, `Server.Run`, `var cache`). */
  declaration: string;
  /** Full fingerprint (hex) and the short id shown to people. */
  fingerprint: string;
  id: string;
  related: RelatedLocation[];
  suggestion?: Suggestion;
  /**
   * For an introduced finding whose anchor is not a line the change touched: the line of the
   * change a review comment belongs on (the return that now leaks, where a release was removed).
   */
  commentLine?: number;
  /**
   * The names the anchor's value is bound to (`f,err` for `f, err := os.Open(p)`), when it is
   * bound: findings of one rule about the same variables of one declaration share a review comment.
   */
  subject?: string;
}

/** What a rule reports; the engine turns it into a {@link Finding}. */
export interface Report {
  /** The anchor: the finding's position and the text its fingerprint is built from. */
  node: GoNode;
  message: string;
  severity?: Severity;
  related?: { node: GoNode; message: string }[];
  suggestion?: Suggestion;
  /**
   * Overrides the rule's {@link RuleMeta.fixedInGo} for this finding: `null` when the runtime
   * never fixed this case of the rule's pitfall (an `AfterFunc` timer stays in the timer heap
   * until it fires, while channel timers are collectable from Go 1.23).
   */
  fixedInGo?: string | null;
}

export interface RuleContext {
  readonly file: FileScope;
  readonly path: string;
  readonly source: string;
  /** The top-level declarations under analysis (those the change touches). */
  readonly declarations: readonly GoNode[];
  /** Every comment in the declarations under analysis (doc comments included), in source order. */
  readonly comments: readonly GoNode[];
  /** Whether a rule id exists (for directives that name rules). */
  isKnownRule(id: string): boolean;
  /** Nodes of the given types inside the declarations under analysis, in source order. */
  nodes(...types: string[]): GoNode[];
  /** 1-based line of a node. */
  lineOf(node: GoNode): number;
  /** The text of a 1-based source line. */
  lineText(line: number): string;
  report(report: Report): void;
}

/** What a rule's {@link Rule.triggers} function may consult: the file version, unparsed. */
export interface TriggerContext {
  readonly path: string;
  /**
   * The words `wordsOf` finds in the top-level declarations of this file version and of the
   * package's other known files (their summaries when not read), together. Each file's words are
   * kept with its declarations for as long as `wordsOf` is the same function (a module-level one),
   * so that the files of a package of n files do not each go through all n files' declarations again.
   */
  packageWords(wordsOf: (declarations: readonly DeclaredNames[]) => Iterable<string>): ReadonlySet<string>;
  /** Whether the text of this file version or of another known file of the package contains `text`. */
  packageContains(text: string): boolean;
  /**
   * Names of the package's functions and methods whose signature mentions `word` (`Response`
   * for a helper returning `*http.Response`): calls of them can yield what a rule tracks.
   */
  functionsReturning(word: string): readonly string[];
  /** Whether this file version may import the package at `path` (its import declarations mention it). */
  imports(path: string): boolean;
  /** Whether this file version or another known file of the package may import the package at `path`. */
  packageImports(path: string): boolean;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * Words (identifiers or keywords), at least one of which a declaration's text must contain for
   * the rule to report from that declaration's nodes. The engine parses a touched declaration
   * only when it holds a trigger of some enabled rule: one that holds none cannot have findings.
   * A function computes triggers that depend on the file version (package-level names) and
   * returns undefined when the rule may report from any declaration. Absent: from any.
   */
  triggers?: readonly string[] | ((ctx: TriggerContext) => readonly string[] | undefined);
  /**
   * With triggers: a test the text of a declaration that mentions one must also pass for the
   * rule to report from it (what words cannot say: the `+` of a concatenation). Asked only of
   * declarations that no other rule has a word in, with the rule's trigger words of this file
   * version (to tell which name a shape is written on). It may say yes wrongly, never no wrongly.
   */
  triggerTest?: (declarationText: string, words: { has(word: string): boolean }) => boolean;
  /** Reports from the declarations under analysis of one file version. */
  check?(ctx: RuleContext): void;
  /**
   * Reports what a change did to one declaration it touches, comparing its base and head
   * versions (a release or a safeguard the head lost). Runs only when both exist; everything it
   * reports is introduced by the change. A rule with `checkChange` must list its triggers as
   * words (not a function): a declaration is parsed in both versions when either mentions one.
   */
  checkChange?(ctx: ChangeContext): void;
}

/** One declaration before and after a change (see {@link Rule.checkChange}). */
export interface ChangeContext {
  readonly path: string;
  /** The declaration in the head version, with the file that holds it. */
  readonly head: { readonly file: FileScope; readonly node: GoNode };
  /** The same declaration in the base version. */
  readonly base: { readonly file: FileScope; readonly node: GoNode };
  /** 1-based line of a node of the head version. */
  lineOf(node: GoNode): number;
  /** 1-based line of a node of the base version. */
  baseLineOf(node: GoNode): number;
  /** Reports on a node of the head version. */
  report(report: Report): void;
}
