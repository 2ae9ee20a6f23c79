/**
 * One version of one Go file, parsed only where needed: the package clause, the imports and
 * the declarations under analysis up front; any other declaration when a rule asks for it.
 */
import type { FileScope, PackageSiblings } from "../analysis/file.js";
import { Imports } from "../analysis/imports.js";
import type { GoNode } from "../analysis/node.js";
import { type Declaration, type DeclarationKind, scanDeclarations } from "./declarations.js";
import {
  type DeclaredNames,
  type FileSummary,
  importedPaths,
  isWholeWordAt,
  packageNameOf,
  receiverKeyIsType,
  signatureMentions,
  summarize,
  SummaryLookup,
} from "./package-summary.js";
import { byCodeUnits } from "./order.js";
import { parseGo, type TextRange } from "./parser.js";
import type { TriggerWords } from "./prefilter.js";
import type { UnchangedRegions } from "./regions.js";
import { LineIndex } from "./position.js";
import { containsText, firstIndex } from "./search.js";
import type { Rule } from "./types.js";

export interface ParsedDeclaration {
  decl: Declaration;
  node: GoNode;
  /** Every comment of the declaration, its doc comment included, in source order (gathered when first asked for). */
  readonly comments: readonly GoNode[];
}

export interface SkippedDeclaration {
  decl: Declaration;
  /** 1-based line of the first syntax error, or of the first node nested too deep. */
  errorLine: number;
  /** A syntax error, or nesting deeper than {@link MAX_NESTING} levels of the syntax tree. */
  reason: "syntax" | "nesting";
}

/**
 * Declarations whose syntax tree nests deeper than this are not analyzed (with a note). Real
 * code stays far below (the Go standard library's functions below 100; only generated string
 * tables reach hundreds); hostile input (10,000 nested blocks or func literals) would make the
 * rules' recursion overflow the stack and their walks up the tree take quadratic time.
 */
export const MAX_NESTING = 1000;

/** A Go identifier or keyword. */
const WORD = /[\p{L}_][\p{L}\p{N}_]*/gu;

interface DeclarationLookup {
  funcs: Map<string, Declaration>;
  methods: Map<string, Declaration[]>;
  specs: Map<string, Declaration[]>;
  /** Declarations that mention a word, by word, filled as words are asked for. */
  words: Map<string, Declaration[]>;
}

/** {@link PackageSiblings} as a {@link SourceFile} knows them. */
interface SourceSiblings extends PackageSiblings {
  files: readonly PackageFile[];
}

/** How a {@link SourceFile} is built; everything is optional. */
export interface SourceFileOptions {
  /** The text's declarations and line index, when the caller has them. */
  declarations?: Declaration[];
  lines?: LineIndex;
  /** What {@link SourceFile.textContains} found, shared by the SourceFiles of the same contents. */
  searches?: Map<string, boolean>;
  /** Its declarations parsed so far, shared by the SourceFiles of the same contents and declarations (see {@link ScannedText.parsed}). */
  parsed?: Map<Declaration, GoNode | null>;
  /** The other files of each package (for the package-wide lookups). */
  packageIndex?: PackageIndex;
  /** Another path of this very file, never its own sibling: the head path of a renamed base version. */
  samePath?: string;
  /** For a base version: its head version and the regions the two share (text searches then read only the change). */
  headVersion?: { file: SourceFile; regions: UnchangedRegions };
  /**
   * The trigger words of the rules that will run, owned by their rules (see `prefilter.ts`):
   * selected declarations that mention none are not parsed, and each rule looks only at the
   * declarations that mention its words. Undefined, or a function that returns undefined: all
   * are parsed, and every rule looks at all of them.
   */
  triggers?: (file: SourceFile) => TriggerWords<Rule> | undefined;
  /** Keys parsed whatever the triggers say (rules that compare versions need both parsed). */
  mustParse?: ReadonlySet<string> | undefined;
}

export class SourceFile implements FileScope {
  readonly lines: LineIndex;
  readonly declarations: Declaration[];
  /** Its imports, from the parse of the declarations under analysis (see {@link imports}). */
  private importsRead: Imports | undefined;
  /** Declarations under analysis that parsed cleanly. */
  readonly analyzed: ParsedDeclaration[] = [];
  /** Declarations under analysis that contain syntax errors. */
  readonly skipped: SkippedDeclaration[] = [];
  /** Declarations under analysis that mention no trigger word: no rule can report from them, so they were not parsed. */
  readonly cleared: Declaration[] = [];
  /** Per declaration under analysis, the rules whose trigger words it mentions; undefined when every rule looks at every one. */
  private readonly ruleScope: Map<Declaration, readonly Rule[]> | undefined;
  /**
   * Declarations parsed so far (null: not analyzable, too deeply nested or without a node), by
   * the analysis or on demand; see {@link SourceFileOptions.parsed}.
   */
  readonly parsed: Map<Declaration, GoNode | null>;
  /** See {@link packageClauseRange}. */
  private clauseRange: TextRange[] | undefined;
  private readonly packageIndex: PackageIndex | undefined;
  private readonly samePath: string | undefined;
  private siblingCache: SourceSiblings | undefined;
  private lookupCache: DeclarationLookup | undefined;
  /** Texts that {@link packageContains} found nowhere in the package. */
  private readonly absentTexts: string[] = [];
  /** See {@link SourceFileOptions.searches}. */
  readonly searches: Map<string, boolean>;
  private packageNameRead: string | undefined;
  private readonly signatureWords = new Map<string, string[]>();
  private importedPathSet: ReadonlySet<string> | undefined;
  private readonly packageMethodCache = new Map<string, { file: FileScope; node: GoNode }[]>();
  private readonly namesWithWord = new Map<string, Set<string>>();
  private readonly headVersion: { file: SourceFile; regions: UnchangedRegions } | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    selectedKeys: ReadonlySet<string> | "all",
    options: SourceFileOptions = {},
  ) {
    this.lines = options.lines ?? new LineIndex(text);
    this.searches = options.searches ?? new Map();
    this.parsed = options.parsed ?? new Map();
    this.declarations = options.declarations ?? scanDeclarations(text, this.lines);
    this.packageIndex = options.packageIndex;
    this.samePath = options.samePath;
    this.headVersion = options.headVersion;
    const header = headerOf(this.declarations);
    let selected = this.declarations.filter(
      (d) => d.kind !== "package" && d.kind !== "import" && (selectedKeys === "all" || selectedKeys.has(d.key)),
    );
    const triggers = selected.length > 0 ? options.triggers?.(this) : undefined;
    if (triggers) {
      this.ruleScope = new Map();
      const worthParsing = new Set<string>();
      for (const d of selected) {
        const { mentioned, owners } = triggers.ownersIn(text, d.start, d.end);
        if (mentioned) worthParsing.add(d.key);
        if (owners.length > 0) this.ruleScope.set(d, owners);
      }
      for (const key of options.mustParse ?? []) worthParsing.add(key);
      this.cleared.push(...selected.filter((d) => !worthParsing.has(d.key)));
      selected = selected.filter((d) => worthParsing.has(d.key));
    }
    // Nothing to analyze (a file of the package beside the one under analysis, or one whose
    // declarations mention nothing a rule looks for): the package clause and imports are parsed
    // when first asked for, if ever.
    if (selected.length === 0) return;
    // A declaration parsed cleanly already (on demand, when another file's analysis asked about
    // it) is not parsed again.
    const fresh = selected.filter((d) => !this.parsed.get(d));
    const batch = fresh.length > 0 ? parseGo(text, this.lines, ranges([...header, ...fresh])) : undefined;
    if (batch) this.importsRead = new Imports(batch.root);
    const tops = batch?.root.children ?? [];
    // Binary searches over sorted nodes and errors: a file of 50,000 functions must not take
    // quadratic time (nor overflow `Math.min(...)` with its errors).
    const errors = [...(batch?.errors ?? [])].sort((a, b) => a.start - b.start);
    const maxEnd: number[] = [];
    for (const e of errors) maxEnd.push(Math.max(e.end, maxEnd[maxEnd.length - 1] ?? 0));
    for (const decl of selected) {
      const known = this.parsed.get(decl);
      if (known) {
        const { doc, trailing } = declarationIn(known.parent!.children, decl);
        this.analyzed.push(parsedDeclaration(decl, known, doc, trailing));
        continue;
      }
      // The first error (by start) that overlaps the declaration: the first whose end, and so
      // the running maximum of ends, passes the declaration's start, if it starts before its end.
      const first = errors[firstIndex(maxEnd.length, (i) => maxEnd[i]! > decl.start)];
      if (first && first.start < decl.end) {
        this.skipped.push({ decl, errorLine: this.lines.lineOf(first.start), reason: "syntax" });
        continue;
      }
      const { node, doc, trailing } = declarationIn(tops, decl);
      const deep = node && batch!.depth > MAX_NESTING ? nestedTooDeep(node) : undefined;
      if (deep) {
        this.skipped.push({ decl, errorLine: this.lines.lineOf(deep.start), reason: "nesting" });
        this.parsed.set(decl, null);
        continue;
      }
      if (node) this.analyzed.push(parsedDeclaration(decl, node, doc, trailing));
      this.parsed.set(decl, node ?? null);
    }
  }

  get imports(): Imports {
    this.importsRead ??= new Imports(parseGo(this.text, this.lines, ranges(headerOf(this.declarations))).root);
    return this.importsRead;
  }

  lineOf(node: GoNode): number {
    return this.lines.lineOf(node.start);
  }

  /** The rules that look at an analyzed declaration (those whose trigger words it mentions), or undefined for every rule. */
  rulesFor(decl: Declaration): readonly Rule[] | undefined {
    return this.ruleScope && (this.ruleScope.get(decl) ?? []);
  }

  /** The declaration (under analysis or not) that contains an offset. */
  declarationAt(offset: number): Declaration | undefined {
    // Declarations are sorted and disjoint: the last one starting at or before the offset.
    const d = this.declarations[firstIndex(this.declarations.length, (i) => this.declarations[i]!.start > offset) - 1];
    return d && offset < d.end ? d : undefined;
  }

  functionNamed(name: string): GoNode | undefined {
    const decl = this.lookup.funcs.get(name);
    return decl ? this.parsedNode(decl) : undefined;
  }

  methodsNamed(name: string): GoNode[] {
    return this.methodsOn(name, undefined);
  }

  /** Methods named `name` that may be declared on one of `receivers` (all of them when undefined), parsed on demand. */
  methodsOn(name: string, receivers: readonly string[] | undefined): GoNode[] {
    const out: GoNode[] = [];
    for (const d of this.lookup.methods.get(name) ?? []) {
      if (receivers && !this.mayBeDeclaredOn(d, name, receivers)) continue;
      const node = this.parsedNode(d);
      if (node) out.push(node);
    }
    return out;
  }

  /**
   * Whether a method's receiver type may be one of `receivers`, told from its key (`Recv.Name`):
   * the key names the last word of the receiver, which is its type unless a comment follows it
   * or the receiver lists more than one parameter (which does not compile, but parses).
   */
  private mayBeDeclaredOn(method: Declaration, name: string, receivers: readonly string[]): boolean {
    return receivers.includes(method.key.slice(0, method.key.length - name.length - 1)) || !receiverKeyIsType(this.text, method);
  }

  /**
   * Declarations by function name, method name and declared name, built once: rules look names
   * up per call and selector, which must not scan every declaration of a file of 50,000 each time.
   */
  private get lookup(): DeclarationLookup {
    if (!this.lookupCache) {
      const lookup: DeclarationLookup = { funcs: new Map(), methods: new Map(), specs: new Map(), words: new Map() };
      const add = (map: Map<string, Declaration[]>, key: string, d: Declaration) => {
        const list = map.get(key);
        if (!list) map.set(key, [d]);
        else if (list[list.length - 1] !== d) list.push(d);
      };
      for (const d of this.declarations) {
        if (d.kind === "func" && !lookup.funcs.has(d.key)) lookup.funcs.set(d.key, d);
        else if (d.kind === "method" && d.names[0] !== undefined) add(lookup.methods, d.names[0], d);
        else if (d.kind === "var" || d.kind === "const" || d.kind === "type") for (const n of d.names) add(lookup.specs, n, d);
      }
      this.lookupCache = lookup;
    }
    return this.lookupCache;
  }

  /** The name in the package clause (`""` when there is none). */
  get packageName(): string {
    // Asked of every file of a package by each of its files (siblingFiles): read once.
    this.packageNameRead ??= packageNameOf(this.text, this.declarations);
    return this.packageNameRead;
  }

  siblingFiles(): SourceSiblings | undefined {
    if (!this.packageIndex) return undefined;
    if (!this.siblingCache) {
      const dir = this.packageIndex.packageOf(this.path);
      const name = this.packageName;
      // Files of another package in the same directory (`//go:build ignore` generators, `package
      // main` tools) are not part of this package.
      const files = dir.files.filter((f) => f.path !== this.path && f.path !== this.samePath && (name === "" || f.packageName === name));
      this.siblingCache = { files, complete: dir.complete };
    }
    return this.siblingCache;
  }

  packageContains(text: string): boolean {
    // Rules and their triggers ask for a handful of strings, often sharing a part that the
    // package lacks (`memlint:`): a string that holds an absent one is absent without a search.
    if (this.absentTexts.some((absent) => text.includes(absent))) return false;
    const found = this.textContains(text) || (this.siblingFiles()?.files ?? []).some((f) => f.textContains(text));
    if (!found) this.absentTexts.push(text);
    return found;
  }

  /** Whether an import declaration of this file or of a sibling names `path` (see {@link importedPaths}). */
  packageImports(path: string): boolean {
    return this.importsPath(path) || (this.siblingFiles()?.files ?? []).some((f) => f.importsPath(path));
  }

  /** Whether an import declaration of this file names `path`, read from the text (nothing is parsed). */
  importsPath(path: string): boolean {
    this.importedPathSet ??= new Set(importedPaths(this.text, this.declarations));
    return this.importedPathSet.has(path);
  }

  /**
   * Whether this file's own text contains `text`, searched once. For a base version whose head
   * version lacks it, only the changed middle (and `text`'s length around it) can hold it.
   */
  textContains(text: string): boolean {
    let found = this.searches.get(text);
    if (found === undefined) {
      const head = this.headVersion;
      if (head && !head.file.textContains(text)) {
        const from = Math.max(0, head.regions.prefix - text.length + 1);
        found = containsText(this.text, text, from, Math.min(this.text.length, head.regions.baseTail + text.length - 1));
      } else {
        found = containsText(this.text, text);
      }
      this.searches.set(text, found);
    }
    return found;
  }

  /** See {@link TriggerContext.functionsReturning}: this file's and its siblings' functions, unparsed. */
  packageFunctionsReturning(word: string): string[] {
    const names = new Set(this.functionsReturning(word));
    for (const sibling of this.siblingFiles()?.files ?? []) for (const n of sibling.functionsReturning(word)) names.add(n);
    return [...names];
  }

  /**
   * Functions and methods of this file whose signature (keyword to the body's `{`) mentions
   * `word`, cached. The declarations and the occurrences of `word` are both in text order: one
   * walk goes through the two, and only a function with an occurrence has its signature read.
   */
  functionsReturning(word: string): string[] {
    let names = this.signatureWords.get(word);
    if (!names) {
      names = [];
      let at = word !== "" && this.textContains(word) ? this.text.indexOf(word) : -1;
      for (const d of this.declarations) {
        if (at === -1) break;
        if (d.kind !== "func" && d.kind !== "method") continue;
        if (at < d.keywordStart) at = this.text.indexOf(word, d.keywordStart);
        if (at !== -1 && at < d.end && signatureMentions(this.text, d, word, at)) names.push(d.kind === "method" ? d.names[0]! : d.key);
      }
      this.signatureWords.set(word, names);
    }
    return names;
  }

  mayMention(word: string): boolean {
    return this.textContains(word);
  }

  /** See {@link FileScope.namesDeclaredWith}, cached per word. */
  namesDeclaredWith(word: string): ReadonlySet<string> {
    let names = this.namesWithWord.get(word);
    if (!names) {
      names = new Set();
      for (const d of word !== "" && this.textContains(word) ? this.declarationsWithWord(word) : []) {
        if (d.kind === "func") names.add(d.key);
        else if (d.kind === "method" && d.names[0] !== undefined) names.add(d.names[0]);
        if (this.mentions(d, "interface")) for (const m of this.text.slice(d.start, d.end).matchAll(WORD)) names.add(m[0]);
      }
      this.namesWithWord.set(word, names);
    }
    return names;
  }

  packageFunction(name: string): GoNode | undefined {
    return this.packageFunctionIn(name)?.node;
  }

  packageMethods(name: string): GoNode[] {
    return this.packageMethodsIn(name).map((m) => m.node);
  }

  packageFunctionIn(name: string): { file: FileScope; node: GoNode } | undefined {
    const own = this.functionNamed(name);
    if (own) return { file: this, node: own };
    for (const sibling of this.siblingFiles()?.files ?? []) {
      const found = sibling.functionNamed(name);
      if (found) return { file: sibling, node: found };
    }
    return undefined;
  }

  packageMethodsIn(name: string, receivers?: readonly string[]): { file: FileScope; node: GoNode }[] {
    if (receivers) {
      const out = this.methodsOn(name, receivers).map((node) => ({ file: this as FileScope, node }));
      for (const sibling of this.siblingFiles()?.files ?? []) for (const node of sibling.methodsOn(name, receivers)) out.push({ file: sibling, node });
      return out;
    }
    // Asked for every method call the rules look at: the package's methods of a name are found once.
    let found = this.packageMethodCache.get(name);
    if (!found) {
      found = this.methodsNamed(name).map((node) => ({ file: this as FileScope, node }));
      for (const sibling of this.siblingFiles()?.files ?? []) for (const node of sibling.methodsNamed(name)) found.push({ file: sibling, node });
      this.packageMethodCache.set(name, found);
    }
    return found.map((m) => ({ ...m }));
  }

  declaresMethod(name: string): boolean {
    return this.lookup.methods.has(name);
  }

  declaresPackageMethod(name: string): boolean {
    return this.declaresMethod(name) || (this.siblingFiles()?.files ?? []).some((f) => f.declaresMethod(name));
  }

  packageLevel(name: string): GoNode | undefined {
    for (const decl of this.lookup.specs.get(name) ?? []) {
      const node = this.parsedNode(decl);
      const spec = node
        ?.descendants("var_spec", "const_spec", "type_spec", "type_alias")
        .find((s) => s.childrenOf("name").some((n) => n.text === name));
      if (spec) return spec;
    }
    return undefined;
  }

  declarationsMentioning(word: string, kinds?: readonly DeclarationKind[]): GoNode[] {
    let decls = this.lookup.words.get(word);
    if (!decls && kinds) {
      // A few declarations of the kinds asked for (the types of a file of functions): search
      // their texts rather than the whole file.
      const key = `${kinds.join(",")}:${word}`;
      decls = this.lookup.words.get(key);
      if (!decls) {
        decls = this.declarations.filter((d) => kinds.includes(d.kind) && this.mentions(d, word));
        this.lookup.words.set(key, decls);
      }
    }
    if (!decls) {
      decls = this.declarationsWithWord(word);
      this.lookup.words.set(word, decls);
    }
    if (kinds) decls = decls.filter((d) => kinds.includes(d.kind));
    return decls.map((d) => this.parsedNode(d)).filter((n): n is GoNode => n !== undefined);
  }

  /**
   * The declarations (not the package clause or imports) whose text has `word` as a whole word:
   * a native search for its occurrences, each mapped to its declaration by binary search, so the
   * cost is one pass over the text per distinct word asked for, not a tokenization of the file.
   */
  private declarationsWithWord(word: string): Declaration[] {
    const out: Declaration[] = [];
    if (word === "") return out;
    for (let at = this.text.indexOf(word); at !== -1; at = this.text.indexOf(word, at + 1)) {
      if (!this.isWholeWord(at, word.length)) continue;
      const d = this.declarationAt(at);
      if (!d || at + word.length > d.end || d.kind === "package" || d.kind === "import") continue;
      if (out[out.length - 1] !== d) out.push(d);
      // The rest of this declaration cannot add it again.
      at = d.end - 1;
    }
    return out;
  }

  /** Whether a declaration's text has `word` as a whole word. */
  private mentions(decl: Declaration, word: string): boolean {
    if (word === "") return false;
    // (A slice shares the file's characters and keeps each search inside the declaration.)
    const text = this.text.slice(decl.start, decl.end);
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      if (this.isWholeWord(decl.start + at, word.length)) return true;
    }
    return false;
  }

  private isWholeWord(at: number, length: number): boolean {
    return isWholeWordAt(this.text, at, length);
  }

  *packageDeclarationsMentioning(word: string, kinds?: readonly DeclarationKind[]): Generator<{ file: FileScope; node: GoNode }> {
    for (const node of this.declarationsMentioning(word, kinds)) yield { file: this, node };
    for (const sibling of this.siblingFiles()?.files ?? []) {
      for (const node of sibling.declarationsMentioning(word, kinds)) yield { file: sibling, node };
    }
  }

  /** Parses a declaration on its own (with the package clause) the first time it is needed. */
  private parsedNode(decl: Declaration): GoNode | undefined {
    const cached = this.parsed.get(decl);
    if (cached !== undefined) return cached ?? undefined;
    this.clauseRange ??= packageClauseRange(this.text, this.lines, this.declarations);
    const parsed = parseGo(this.text, this.lines, ranges([...this.clauseRange, decl]));
    const clean = !parsed.errors.some((e) => e.start < decl.end && e.end > decl.start);
    let node = clean ? declarationIn(parsed.root.children, decl).node : undefined;
    // A declaration is one level below the root: only a tree deeper than the limit needs the walk.
    if (node && parsed.depth > MAX_NESTING && nestedTooDeep(node)) node = undefined;
    this.parsed.set(decl, node ?? null);
    return node;
  }
}

/**
 * The range of the package clause that on-demand parses include (rules read the package's name
 * from the tree): from its own line, without the file's leading comments (a licence, the
 * package's documentation), which every parse of a declaration would otherwise read again.
 */
function packageClauseRange(text: string, lines: LineIndex, declarations: readonly Declaration[]): TextRange[] {
  const clause = declarations.find((d) => d.kind === "package");
  if (!clause) return [];
  const lineStart = lines.lineStart(lines.lineOf(clause.keywordStart));
  // Something before the keyword on its line (the end of a block comment): the whole declaration.
  const start = lineStart >= clause.start && text.slice(lineStart, clause.keywordStart).trim() === "" ? lineStart : clause.start;
  return [{ start, end: clause.end }];
}

/**
 * An analyzed declaration. Its comments are gathered when first asked for: only suppressions and
 * directives are read from them, and most declarations mention neither.
 */
function parsedDeclaration(decl: Declaration, node: GoNode, doc: readonly GoNode[], trailing: readonly GoNode[]): ParsedDeclaration {
  let comments: readonly GoNode[] | undefined;
  return {
    decl,
    node,
    get comments() {
      return (comments ??= [...doc, ...node.descendants("comment"), ...trailing]);
    },
  };
}

/**
 * A declaration's node among the top-level nodes of a parse (sorted), with its doc comments and
 * the comments after it on its last line (`var x = 1 // …`), which sit beside it in the tree.
 */
function declarationIn(tops: readonly GoNode[], decl: Declaration): { node: GoNode | undefined; doc: GoNode[]; trailing: GoNode[] } {
  const doc: GoNode[] = [];
  const trailing: GoNode[] = [];
  let node: GoNode | undefined;
  for (let i = firstIndex(tops.length, (j) => tops[j]!.start >= decl.start); i < tops.length && tops[i]!.start < decl.end; i++) {
    const n = tops[i]!;
    if (node) {
      if (n.type === "comment") trailing.push(n);
      else break;
    } else if (n.start < decl.keywordStart) {
      if (n.type === "comment") doc.push(n);
    } else if (n.type !== "comment") {
      node = n;
    }
  }
  return { node, doc, trailing };
}

/** The first node nested more than {@link MAX_NESTING} levels below `root`, if any (an iterative walk). */
function nestedTooDeep(root: GoNode): GoNode | undefined {
  const nodes: GoNode[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > MAX_NESTING) return node;
    for (let i = node.children.length - 1; i >= 0; i--) {
      nodes.push(node.children[i]!);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

/** A file's package clause and import declarations. */
function headerOf(declarations: readonly Declaration[]): Declaration[] {
  return declarations.filter((d) => d.kind === "package" || d.kind === "import");
}

/** Sorted, merged parse ranges for declarations (each already spans whole lines). */
function ranges(decls: readonly TextRange[]): TextRange[] {
  const sorted = decls.map((d) => ({ start: d.start, end: d.end })).sort((a, b) => a.start - b.start);
  const out: TextRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/**
 * A file of the package beside the one under analysis, as the package index knows it: its text
 * (a file of the change, or one just read), or only its summary and a way to read it. A file
 * known by its summary is read the first time a question is one its summary cannot say no to.
 */
const NO_NAMES: ReadonlySet<string> = new Set();

export class PackageFile implements FileScope {
  private source: SourceFile | undefined;
  private readonly known: SummaryLookup | undefined;

  constructor(
    readonly path: string,
    private readonly packageIndex: PackageIndex,
    from: { text: string } | { summary: FileSummary; read: () => string | undefined },
  ) {
    if ("text" in from) this.source = new SourceFile(path, from.text, new Set(), { packageIndex });
    else {
      this.known = new SummaryLookup(from.summary);
      this.read = from.read;
    }
  }

  private readonly read: (() => string | undefined) | undefined;

  /** Its line index, declarations and text searches, when its text is here and is `text` (the same contents under analysis). */
  scanned(text: string): ScannedText | undefined {
    const source = this.source;
    return source?.text === text ? { lines: source.lines, declarations: source.declarations, searches: source.searches, parsed: source.parsed } : undefined;
  }

  /** The file as a {@link SourceFile}, read now if it was not. */
  private get file(): SourceFile {
    // A file gone since its summary was made reads as empty: it declares nothing.
    this.source ??= new SourceFile(this.path, this.read?.() ?? "", new Set(), { packageIndex: this.packageIndex });
    return this.source;
  }

  /** The summary's answers while the file is unread; undefined once its text is here. */
  private get summary(): SummaryLookup | undefined {
    return this.source ? undefined : this.known;
  }

  get packageName(): string {
    return this.summary?.summary.packageName ?? this.file.packageName;
  }

  /** Its top-level declarations (for triggers: names and kinds), the package clause and imports included when read. */
  get declared(): readonly DeclaredNames[] {
    return this.summary?.summary.declarations ?? this.file.declarations;
  }

  get text(): string {
    return this.file.text;
  }

  get imports(): Imports {
    return this.file.imports;
  }

  functionNamed(name: string): GoNode | undefined {
    return this.summary?.declaresFunction(name) === false ? undefined : this.file.functionNamed(name);
  }

  methodsNamed(name: string): GoNode[] {
    return this.summary?.declaresMethod(name) === false ? [] : this.file.methodsNamed(name);
  }

  methodsOn(name: string, receivers: readonly string[]): GoNode[] {
    return this.summary?.mayDeclareMethodOn(name, receivers) === false ? [] : this.file.methodsOn(name, receivers);
  }

  declaresMethod(name: string): boolean {
    return this.summary?.declaresMethod(name) ?? this.file.declaresMethod(name);
  }

  packageLevel(name: string): GoNode | undefined {
    return this.summary?.declaresSpec(name) === false ? undefined : this.file.packageLevel(name);
  }

  declarationsMentioning(word: string, kinds?: readonly DeclarationKind[]): GoNode[] {
    return this.summary?.mayMention(word, kinds) === false ? [] : this.file.declarationsMentioning(word, kinds);
  }

  textContains(text: string): boolean {
    return this.summary?.contains(text) ?? this.file.textContains(text);
  }

  importsPath(path: string): boolean {
    return this.summary?.importsPath(path) ?? this.file.importsPath(path);
  }

  functionsReturning(word: string): string[] {
    return this.summary?.functionsReturning(word) ?? this.file.functionsReturning(word);
  }

  /** See {@link SourceFile.namesDeclaredWith}: nothing when the summary says the word is not in the file. */
  namesDeclaredWith(word: string, read: boolean): ReadonlySet<string> | undefined {
    const summary = this.summary;
    if (summary?.mayContain(word) === false) return NO_NAMES;
    return summary && !read ? undefined : this.file.namesDeclaredWith(word);
  }

  // Package-wide questions asked of a sibling (about a declaration found in it) are its source's.
  packageFunction(name: string): GoNode | undefined {
    return this.file.packageFunction(name);
  }

  packageMethods(name: string): GoNode[] {
    return this.file.packageMethods(name);
  }

  mayMention(word: string): boolean {
    return this.summary ? this.summary.mayContain(word) : this.file.textContains(word);
  }

  packageFunctionIn(name: string): { file: FileScope; node: GoNode } | undefined {
    return this.file.packageFunctionIn(name);
  }

  packageMethodsIn(name: string, receivers?: readonly string[]): { file: FileScope; node: GoNode }[] {
    return this.file.packageMethodsIn(name, receivers);
  }

  declaresPackageMethod(name: string): boolean {
    return this.file.declaresPackageMethod(name);
  }

  siblingFiles(): PackageSiblings | undefined {
    return this.file.siblingFiles();
  }

  packageDeclarationsMentioning(word: string, kinds?: readonly DeclarationKind[]): Iterable<{ file: FileScope; node: GoNode }> {
    return this.file.packageDeclarationsMentioning(word, kinds);
  }

  packageContains(text: string): boolean {
    return this.file.packageContains(text);
  }

  packageImports(path: string): boolean {
    return this.file.packageImports(path);
  }
}

/** What is known of a text without parsing it (see {@link PackageIndex.scanned}). */
export interface ScannedText {
  lines: LineIndex;
  declarations: Declaration[];
  searches: Map<string, boolean>;
  /**
   * Its declarations parsed so far: the analysis of the file takes those the package index parsed
   * for another file's questions, and the index then answers with the analysis' nodes.
   */
  parsed: Map<Declaration, GoNode | null>;
}

/** A Go file of a package, as a {@link PackageLoader} returns it. */
export interface PackageFileText {
  path: string;
  text: string;
}

/** A Go file of a package that the loader has not read, with the summary it kept of this very version. */
export interface SummarizedPackageFile {
  path: string;
  summary: FileSummary;
  /** Reads the file (undefined when it cannot); the index calls it at most once. */
  read: () => string | undefined;
}

/** What a loader knows of one directory. */
export interface PackageListing {
  /** Its Go files (test files may be included; they are dropped here). */
  files: readonly (PackageFileText | SummarizedPackageFile)[];
  /** False when some files were left out (size limits, unreadable); true when absent. */
  complete?: boolean;
  /**
   * For a loader that keeps summaries between runs: given, once per directory, the summaries of
   * the files it handed over as text (not those of the change), so that the next run need not read them.
   */
  keepSummaries?: (summaries: ReadonlyMap<string, FileSummary>) => void;
}

/**
 * Reads the files of one directory (`""` is the repository root) at the head of the change,
 * or says undefined when it cannot (then only the change's own files of that package are known).
 */
export type PackageLoader = (dir: string) => readonly PackageFileText[] | PackageListing | undefined;

export interface PackageIndexOptions {
  /**
   * The files of the change: head contents by path (null for a deleted file). They win over the
   * loader's copy, and are the package's only known files where there is no loader.
   */
  changed?: Iterable<readonly [string, string | null]>;
  /** Files larger than this (in characters), or with NUL bytes, are left out. */
  maxFileSize?: number;
}

/** The directory of a slash-separated path (`""` for a file at the root). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

const isPackageFile = (path: string) => path.endsWith(".go") && !path.endsWith("_test.go");

/**
 * The non-test Go files of each package (directory): the change's own files (head contents)
 * and whatever the loader knows of the rest (their texts, or summaries of files read only when
 * asked about what they declare or mention), listed once per directory when a rule first asks
 * and parsed only where a declaration is asked for.
 */
export class PackageIndex {
  private readonly byDir = new Map<string, PackageSiblings & { files: PackageFile[] }>();
  /** The change's files by directory (a whole-repository check changes every file: looked up per directory, not scanned). */
  private readonly changed = new Map<string, Map<string, string | null>>();
  private readonly maxFileSize: number;

  constructor(
    private readonly load?: PackageLoader,
    options: PackageIndexOptions = {},
  ) {
    for (const [path, text] of options.changed ?? []) {
      const dir = dirOf(path);
      const files = this.changed.get(dir) ?? new Map<string, string | null>();
      files.set(path, text);
      this.changed.set(dir, files);
    }
    this.maxFileSize = options.maxFileSize ?? Number.POSITIVE_INFINITY;
  }

  /** Every known non-test Go file of the directory of `path` (that file included), and whether that is all of them. */
  packageOf(path: string): { files: readonly PackageFile[]; complete: boolean } {
    const dir = dirOf(path);
    let entry = this.byDir.get(dir);
    if (!entry) {
      const loaded = this.load?.(dir);
      const listing: PackageListing | undefined = loaded === undefined ? undefined : Array.isArray(loaded) ? { files: loaded } : (loaded as PackageListing);
      let complete = listing !== undefined && listing.complete !== false;
      const known = new Map<string, PackageFileText | SummarizedPackageFile>();
      for (const f of listing?.files ?? []) if (dirOf(f.path) === dir && isPackageFile(f.path)) known.set(f.path, f);
      const changed = this.changed.get(dir);
      for (const [p, text] of changed ?? []) {
        if (!isPackageFile(p)) continue;
        if (text === null) known.delete(p);
        else known.set(p, { path: p, text });
      }
      const kept = new Map<string, FileSummary>();
      const files: PackageFile[] = [];
      for (const [p, f] of [...known].sort((a, b) => byCodeUnits(a[0], b[0]))) {
        const { length, binary } = "text" in f ? { length: f.text.length, binary: f.text.includes("\u0000") } : f.summary;
        if ("text" in f && listing?.keepSummaries && !changed?.has(p)) kept.set(p, summarize(f.text));
        if (length > this.maxFileSize || binary) complete = false;
        else files.push(new PackageFile(p, this, f));
      }
      if (kept.size > 0) listing?.keepSummaries?.(kept);
      entry = { files, complete };
      this.byDir.set(dir, entry);
    }
    return entry;
  }

  /**
   * Lets go of the package of `dir` (its texts and parsed declarations) once no file left to
   * analyze is in it; asked again, it is read again.
   */
  release(dir: string): void {
    this.byDir.delete(dir);
  }

  /**
   * The line index and declarations of `path` with contents `text`, when its package is loaded
   * already and holds those contents: `check` analyzes each file after its siblings asked for it,
   * and need not scan it again.
   */
  scanned(path: string, text: string): ScannedText | undefined {
    const files: readonly PackageFile[] = this.byDir.get(dirOf(path))?.files ?? [];
    return files.find((f) => f.path === path)?.scanned(text);
  }

  /** The other known non-test Go files of the directory of `path`. */
  siblingsOf(path: string): PackageFile[] {
    return this.packageOf(path).files.filter((f) => f.path !== path);
  }
}
