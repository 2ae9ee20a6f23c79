/**
 * The package index's entry for one version of a file: what the rules' package-wide questions
 * need to know about a file that is not part of the change, without its text. A summary answers
 * "no" for certain (this file declares no method `Close`, never mentions `registry`); when it
 * says "maybe", the index reads the file and asks the text, so answers are those of the text.
 * Loaders may keep summaries between runs (by blob id or file stat): a review then reads only
 * the files its touched declarations refer to.
 */
import { type Declaration, type DeclarationKind, scanDeclarations } from "./declarations.js";
import { LineIndex } from "./position.js";
import { isAsciiWordChar } from "./prefilter.js";

/** A declaration as a summary keeps it: what it declares, not where. */
export type DeclaredNames = Pick<Declaration, "kind" | "key" | "names">;

export interface FileSummary {
  /** The name in the package clause (`""` when there is none). */
  packageName: string;
  /** Length of the text in characters, and whether it has NUL bytes (the index leaves such files out). */
  length: number;
  binary: boolean;
  /** Top-level declarations other than the package clause and imports, in file order. */
  declarations: DeclaredNames[];
  /**
   * Every distinct word (maximal run of ASCII letters, digits and `_`) of the text, comments and
   * strings included, except those of digits only (numbers: nobody asks for them).
   */
  words: string[];
  /**
   * Optionally, a string that has every one of `words` between line breaks (`\nword\n`), made
   * for the summaries of several files together: a word it does not hold is in none of them,
   * found with one search where a file's own words would be looked through one by one.
   */
  sharedWords?: string;
  /**
   * Per function or method (by the name `functionsReturning` reports), the exported words (type
   * names: what rules ask about) its signature mentions as {@link signatureMentions} counts them.
   */
  signatures: [name: string, words: string[]][];
  /** Keys of the methods whose key may not name the receiver's type (see {@link receiverKeyIsType}). */
  looseReceivers: string[];
  /** The paths its import declarations name (see {@link importedPaths}). */
  imports: string[];
}

const ASCII_WORD_RUN = /\w+/g;
const isNumber = (word: string) => /^\d+$/.test(word);
/** A run of ASCII word characters that starts with an upper-case letter (and not in the middle of a word). */
const EXPORTED_WORD_RUN = /(?<!\w)[A-Z]\w*/g;

/** The package clause's name of a Go file's text. */
export function packageNameOf(text: string, declarations: readonly Declaration[]): string {
  const decl = declarations.find((d) => d.kind === "package");
  return (decl && /^package\s+([\p{L}_][\p{L}\p{N}_]*)/u.exec(text.slice(decl.keywordStart, decl.end))?.[1]) ?? "";
}

/** A string literal: interpreted (`"net/http"`) or raw (`` `net/http` ``). */
const STRING_LITERAL = /"([^"\n]*)"|`([^`]*)`/g;

/**
 * The strings of a file's import declarations: the paths it may import, found as a text search
 * finds them (a quoted path in a comment of an import block counts too), so that a file known by
 * its summary answers as its text does.
 */
export function importedPaths(text: string, declarations: readonly Declaration[]): string[] {
  const paths = new Set<string>();
  for (const d of declarations) {
    if (d.kind !== "import") continue;
    for (const m of text.slice(d.keywordStart, d.end).matchAll(STRING_LITERAL)) paths.add(m[1] ?? m[2]!);
  }
  return [...paths];
}

/** Whether `text[at, at + length)` is not preceded nor followed by an ASCII word character. */
export function isWholeWordAt(text: string, at: number, length: number): boolean {
  return !isAsciiWordChar(text, at - 1) && !isAsciiWordChar(text, at + length);
}

/**
 * The end of a function's signature: the body's `{` (at a line end), or the declaration's end
 * when it has no body.
 */
export function signatureEnd(text: string, decl: Declaration): number {
  const open = text.indexOf("{\n", decl.keywordStart);
  return open === -1 || open + 2 > decl.end ? decl.end : open;
}

/**
 * Whether a function's signature mentions `word` as a whole word (`File` in `(*os.File, error)`,
 * not only inside a longer name such as `CreateFakeFile`). `first` is the first occurrence of
 * `word` from the declaration's keyword on, when the caller has found it.
 */
export function signatureMentions(text: string, decl: Declaration, word: string, first = text.indexOf(word, decl.keywordStart)): boolean {
  const end = Math.min(decl.end, signatureEnd(text, decl));
  for (let at = first; at !== -1 && at < end; at = text.indexOf(word, at + 1)) {
    if (isWholeWordAt(text, at, word.length)) return true;
  }
  return false;
}

/**
 * Whether a method's key (`Recv.Name`) names its receiver's type: the key has the last word of
 * the receiver, which is its type unless a comment follows it or the receiver lists more than one
 * parameter (which does not compile, but parses).
 */
export function receiverKeyIsType(text: string, method: Declaration): boolean {
  const open = text.indexOf("(", method.keywordStart);
  const close = text.indexOf(")", open);
  return open !== -1 && close !== -1 && !/[/,]/.test(text.slice(open, close));
}

export function summarize(text: string, declarations: readonly Declaration[] = scanDeclarations(text, new LineIndex(text))): FileSummary {
  const signatures: [string, string[]][] = [];
  for (const d of declarations) {
    if (d.kind !== "func" && d.kind !== "method") continue;
    const words = new Set(text.slice(d.keywordStart, signatureEnd(text, d)).match(EXPORTED_WORD_RUN) ?? []);
    const mentioned = [...words].filter((w) => signatureMentions(text, d, w));
    if (mentioned.length > 0) signatures.push([d.kind === "method" ? d.names[0]! : d.key, mentioned]);
  }
  return {
    packageName: packageNameOf(text, declarations),
    length: text.length,
    binary: text.includes("\u0000"),
    declarations: declarations.filter((d) => d.kind !== "package" && d.kind !== "import").map((d) => ({ kind: d.kind, key: d.key, names: d.names })),
    words: [...new Set(text.match(ASCII_WORD_RUN) ?? [])].filter((w) => !isNumber(w)),
    signatures,
    looseReceivers: declarations.filter((d) => d.kind === "method" && !receiverKeyIsType(text, d)).map((d) => d.key),
    imports: importedPaths(text, declarations),
  };
}

/** Questions to a summary, with the lookups they need built once. */
export class SummaryLookup {
  private wordSet: Set<string> | undefined;
  private readonly funcs = new Set<string>();
  private readonly methods = new Set<string>();
  private readonly specs = new Set<string>();
  private readonly kinds = new Set<DeclarationKind>();
  /** Method keys (`Recv.Name`). */
  private readonly methodKeys = new Set<string>();

  constructor(readonly summary: FileSummary) {
    for (const d of summary.declarations) {
      this.kinds.add(d.kind);
      if (d.kind === "func") this.funcs.add(d.key);
      else if (d.kind === "method" && d.names[0] !== undefined) {
        this.methods.add(d.names[0]);
        this.methodKeys.add(d.key);
      }
      else if (d.kind === "var" || d.kind === "const" || d.kind === "type") for (const n of d.names) this.specs.add(n);
    }
  }

  /** The text's words as a set, made when first asked (most files of a package are asked nothing about their words). */
  private get words(): Set<string> {
    this.wordSet ??= new Set(this.summary.words);
    return this.wordSet;
  }

  declaresFunction(name: string): boolean {
    return this.funcs.has(name);
  }

  declaresMethod(name: string): boolean {
    return this.methods.has(name);
  }

  /** Whether a method `name` may be declared on one of `receivers` (type names), as `SourceFile.methodsOn` tells it. */
  mayDeclareMethodOn(name: string, receivers: readonly string[]): boolean {
    if (!this.methods.has(name)) return false;
    return receivers.some((r) => this.methodKeys.has(`${r}.${name}`)) || this.summary.looseReceivers.some((key) => key.endsWith(`.${name}`));
  }

  /** Whether a `var`, `const` or `type` declaration of the file declares `name`. */
  declaresSpec(name: string): boolean {
    return this.specs.has(name);
  }

  /**
   * Whether some declaration (of one of `kinds`) may have `word` as a whole word: certain for a
   * word of ASCII word characters, which is then one of the text's words; any other word may be.
   */
  mayMention(word: string, kinds?: readonly DeclarationKind[]): boolean {
    if (word === "") return false;
    if (kinds && !kinds.some((k) => this.kinds.has(k))) return false;
    if (!/^\w+$/.test(word) || isNumber(word)) return true;
    return this.summary.sharedWords?.includes(`\n${word}\n`) !== false && this.words.has(word);
  }

  /**
   * Whether the text may contain `text`: where it does, each run of word characters of `text`
   * lies in one of the text's words, whole where `text` has a non-word character on its side.
   */
  mayContain(text: string): boolean {
    for (const run of text.matchAll(ASCII_WORD_RUN)) {
      const open = { left: run.index === 0, right: run.index + run[0].length === text.length };
      const r = run[0];
      // Numbers are not in the words: a run of digits may be in one, a run with a letter may not.
      // The shared words (see FileSummary.sharedWords) hold what can be there: a word where `text`
      // closes the run, any word with that end (or start, or part) where it does not.
      const shared = this.summary.sharedWords;
      if (shared !== undefined && !isNumber(r) && !shared.includes(`${open.left ? "" : "\n"}${r}${open.right ? "" : "\n"}`)) return false;
      if (this.words.has(r) || isNumber(r)) continue;
      if (!open.left && !open.right) return false;
      const fits = (w: string) => (open.left && open.right ? w.includes(r) : open.left ? w.endsWith(r) : w.startsWith(r));
      if (!this.summary.words.some(fits)) return false;
    }
    return true;
  }

  /**
   * Whether the text contains `text`, where the words tell for sure: not when {@link mayContain}
   * says no, and yes for a run of word characters (not only digits), which then lies in a word.
   * Undefined where only the text can tell.
   */
  contains(text: string): boolean | undefined {
    if (!this.mayContain(text)) return false;
    return /^\w+$/.test(text) && !isNumber(text) ? true : undefined;
  }

  /** Whether an import declaration names `path` (see {@link importedPaths}). */
  importsPath(path: string): boolean {
    return this.summary.imports.includes(path);
  }

  /**
   * The functions and methods whose signature mentions `word` (see {@link signatureMentions}),
   * or undefined when the summary cannot tell (a word that does not start with an upper-case letter).
   */
  functionsReturning(word: string): string[] | undefined {
    if (!/^[A-Z]\w*$/.test(word)) return undefined;
    return this.summary.signatures.filter(([, words]) => words.includes(word)).map(([name]) => name);
  }
}

/** Bumped whenever what a summary holds, or how it is made, changes: saved summaries of another format are not used. */
export const SUMMARY_FORMAT = 4;
