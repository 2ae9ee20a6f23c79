/**
 * The engine's entry point: what does a change to one Go file introduce?
 *
 * The declarations a change touches are analyzed in the head and in the base version; a finding
 * is *introduced* when the head has it and the base has no finding with the same fingerprint.
 * That reports a leak caused by a deleted `defer resp.Body.Close()` on the unchanged acquire
 * line, and never blames a change for what was already there (those are *pre-existing*).
 */
import { baseDeclarations, type Declaration, scanDeclarations } from "./declarations.js";
import { allLinesChanged, type ChangedLines, changedLinesBetween } from "./diff.js";
import { runRules, type RunOptions, type RunResult, type SuppressedFinding } from "./run-rules.js";
import { LineIndex } from "./position.js";
import { unchangedRegions, type UnchangedRegions } from "./regions.js";
import { signatureEnd } from "./package-summary.js";
import { withCommentLine } from "./comment-line.js";
import { keysMentioning, triggerWords, TriggerWords } from "./prefilter.js";
import type { DeclaredNames } from "./package-summary.js";
import { firstIndex } from "./search.js";
import { MAX_NESTING, type PackageIndex, SourceFile } from "./source.js";
import { isTestSource } from "./test-code.js";
import type { Finding, Rule, RuleMeta, Severity } from "./types.js";

export interface AnalyzeOptions {
  rules: readonly Rule[];
  knownRuleIds: ReadonlySet<string>;
  severity?: Readonly<Record<string, Severity>>;
  goVersion?: string;
  unusedIgnore?: RuleMeta;
  /**
   * Paths whose touched declarations are all parsed whatever the prefilter says (contracts
   * required there: every exported function must be looked at).
   */
  parseAll?: (path: string) => boolean;
  /**
   * Called with each group of analyzed head declarations of a file, and the findings suppressed
   * in them, while their syntax trees exist (contract coverage is computed here).
   */
  onAnalyzed?: (file: SourceFile, suppressed: readonly SuppressedFinding[]) => void;
  /**
   * The other files of each package at the head of the change, for contracts of functions
   * declared there and for rules that look across files (removals from a package-level map).
   */
  packageIndex?: PackageIndex;
  /**
   * Whether a file is test code, where each rule's `inTests` policy applies (default:
   * {@link isTestSource}: `_test.go` files and `//go:build ignore` files). Given the head path and
   * contents; the base version of the file is judged the same.
   */
  isTestCode?: (path: string, text: string) => boolean;
  /** Files larger than this (in characters) are skipped with a note. */
  maxFileSize?: number;
  /**
   * Characters of touched declarations analyzed at a time (default {@link DEFAULT_GROUP_SIZE}):
   * bounds the memory the syntax trees of a huge change take. Does not change the results.
   */
  groupSize?: number;
  /**
   * Parse only the touched declarations that mention a trigger word of some rule (default true;
   * see `prefilter.ts`). False parses all of them: the findings are the same, only slower.
   */
  prefilter?: boolean;
}

export interface FileInput {
  path: string;
  /** The base path when the file was renamed. */
  oldPath?: string;
  /** Head contents; null or undefined for a deleted file. */
  head?: string | null;
  /** Base contents; null or undefined for an added file. */
  base?: string | null;
  /** Changed lines from a patch; computed from the contents when absent. */
  changed?: ChangedLines;
}

export interface Note {
  path: string;
  line?: number;
  message: string;
}

export interface FileAnalysis {
  path: string;
  introduced: Finding[];
  preexisting: Finding[];
  suppressed: SuppressedFinding[];
  notes: Note[];
  changed: ChangedLines;
  /** Keys of the declarations that were analyzed. */
  analyzed: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

export function analyzeFile(input: FileInput, options: AnalyzeOptions): FileAnalysis {
  const { path } = input;
  const head = input.head ?? null;
  const base = input.base ?? null;
  const empty = (notes: Note[] = [], changed: ChangedLines = { added: new Set(), deleted: new Set(), hunks: [] }): FileAnalysis => ({
    path, introduced: [], preexisting: [], suppressed: [], notes, changed, analyzed: [],
  });
  if (head === null) return empty();
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (head.length > limit) {
    return empty([{ path, message: `skipped: ${formatSize(head.length)} is over the ${formatSize(limit)} limit for one file` }]);
  }
  if (head.includes("\u0000")) return empty([{ path, message: "skipped: the file looks binary (it contains NUL bytes)" }]);

  const notes: Note[] = [];
  const scanned = options.packageIndex?.scanned(path, head);
  const headLines = scanned?.lines ?? new LineIndex(head);
  const baseUsable = base !== null && base.length <= limit && !base.includes("\u0000");
  // What the head's line index and declarations say holds for the base where the two are the same.
  let regions = baseUsable && input.changed ? unchangedRegions(base, head, headLines, input.changed) : undefined;
  const baseLines = baseUsable ? (regions ? headLines.forBase(base, regions) : new LineIndex(base)) : undefined;
  // A patch that names lines the contents do not have belongs to other contents (a stale patch,
  // a truncated file): say so and diff the contents here rather than analyze nothing.
  const mismatch = input.changed && patchMismatch(input.changed, headLines.lineCount, base === null ? undefined : (baseLines?.lineCount ?? new LineIndex(base).lineCount));
  if (mismatch) notes.push({ path, message: `the patch does not match the file's contents (${mismatch}); changed lines were computed from the contents instead` });
  const changed = (!mismatch && input.changed) || (base === null ? allLinesChanged(headLines.lineCount) : changedLinesBetween(base, head));
  if (baseUsable && changed !== input.changed) regions = unchangedRegions(base, head, headLines, changed);
  const headDecls = scanned?.declarations ?? scanDeclarations(head, headLines);
  // A big file is analyzed in groups of declarations: one search of its text serves them all.
  const searches = scanned?.searches ?? new Map<string, boolean>();
  const baseDecls = baseUsable ? baseDeclarations(base, baseLines!, headDecls, regions) : [];
  const touched = new Set<string>();
  for (const d of overlapping(headDecls, changed.added, headLines.lineCount)) touched.add(d.key);
  for (const d of overlapping(baseDecls, changed.deleted, baseLines?.lineCount ?? 0)) touched.add(d.key);
  for (const key of ["package", "import"]) touched.delete(key);
  if (touched.size === 0) return empty(notes, changed);

  const testCode = (options.isTestCode ?? isTestSource)(path, head);
  const runOptions: RunOptions = { ...options, path, testCode };
  // The base version asks the same questions as the head it follows; where the change stays
  // inside one function's body and every text the head was asked about is as present or absent
  // in the base, the answers (and so the trigger words) are the head's.
  let headAnswers: { words: TriggerWords<Rule> | undefined; contains: Map<string, boolean> } | undefined;
  const bodyOnly = baseUsable && regions !== undefined && bodyOnlyChange(head, headDecls, base, baseDecls, regions);
  const triggers =
    options.prefilter === false
      ? undefined
      : (file: SourceFile) => {
          const shared = bodyOnly && file.text === base ? headAnswers : undefined;
          if (shared && [...shared.contains].every(([text, found]) => file.packageContains(text) === found)) return shared.words;
          const contains = new Map<string, boolean>();
          const words = triggersOf(file, path, options, testCode, contains);
          if (file.text === head) headAnswers = { words, contains };
          return words;
        };
  const blamesTouched = new Set(options.rules.filter((r) => r.meta.blameTouched).map((r) => r.meta.id));
  const comparing = new Set(options.rules.filter((r) => r.checkChange).map((r) => r.meta.id));
  const result: FileAnalysis = { path, introduced: [], preexisting: [], suppressed: [], notes, changed, analyzed: [] };
  // Huge changes are analyzed a group of declarations at a time, so that the syntax trees of one
  // group are garbage before the next is parsed. Findings are keyed by declaration, and rules see
  // other declarations through the file's lookups, so the groups change nothing but the memory.
  // Rules that compare versions need a declaration parsed in both when either mentions a trigger.
  const bothVersions = baseUsable && options.prefilter !== false ? comparedKeys(options.rules, head, headDecls, base, baseDecls, touched) : undefined;
  const headFindings: { finding: Finding; anchor: string | undefined }[] = [];
  const baseFindings: { fingerprint: string; anchor: string | undefined }[] = [];
  const groups = groupKeys(headDecls, touched, options.groupSize ?? DEFAULT_GROUP_SIZE);
  // The package index keeps the declarations it shares with the analysis for as long as the
  // package: a file analyzed in several groups keeps its trees to itself, or the groups would not bound memory.
  const parsed = groups.length === 1 ? scanned?.parsed : undefined;
  for (const keys of groups) {
    const headFile = new SourceFile(path, head, keys, { declarations: headDecls, lines: headLines, searches, parsed, packageIndex: options.packageIndex, triggers, mustParse: bothVersions });
    for (const s of headFile.skipped) {
      notes.push({
        path,
        line: s.errorLine,
        message: `skipped \`${s.decl.key}\` (lines ${s.decl.startLine}–${s.decl.endLine}): ${s.reason === "nesting" ? `nested more than ${MAX_NESTING} levels deep at line ${s.errorLine}` : `syntax error at line ${s.errorLine}`}`,
      });
    }
    // The base version's siblings are the head versions of the other files (a renamed file's
    // head version is not a sibling of its own base).
    const baseFile = baseUsable
      ? new SourceFile(input.oldPath ?? path, base, keys, {
          declarations: baseDecls,
          lines: baseLines,
          packageIndex: options.packageIndex,
          samePath: path,
          triggers,
          mustParse: bothVersions,
          ...(regions ? { headVersion: { file: headFile, regions } } : {}),
        })
      : undefined;
    const headRun = runRules(headFile, runOptions, baseFile);
    // One group: whatever the base finds elsewhere cannot be a head finding of another group that moved there.
    const baseOptions = groups.length === 1 ? baseRunOptions(runOptions, headRun) : runOptions;
    if (baseFile && baseOptions) {
      const baseRun = runRules(baseFile, baseOptions);
      for (const f of baseRun.findings) baseFindings.push({ fingerprint: f.fingerprint, anchor: baseRun.anchors.get(f.fingerprint) });
    }
    // A finding of a rule that compares versions says nothing new where another rule reports the
    // same anchor, or names its line as part of its own finding (the send of a blocked goroutine).
    const direct = new Set(headRun.findings.filter((f) => !comparing.has(f.ruleId)).flatMap((f) => [`${f.line}:${f.column}`, ...f.related.map((r) => `${r.line}`)]));
    for (const f of headRun.findings) {
      if (comparing.has(f.ruleId) && (direct.has(`${f.line}:${f.column}`) || direct.has(`${f.line}`))) continue;
      headFindings.push({ finding: f, anchor: headRun.anchors.get(f.fingerprint) });
    }
    result.suppressed.push(...headRun.suppressed);
    const analyzed = new Set([...headFile.analyzed.map((d) => d.decl), ...headFile.cleared]);
    result.analyzed.push(...headDecls.filter((d) => analyzed.has(d)).map((d) => d.key));
    options.onAnalyzed?.(headFile, headRun.suppressed);
  }
  // Pre-existing or introduced, once every group is done: code may move between declarations of different groups.
  const baseFingerprints = new Set(baseFindings.map((b) => b.fingerprint));
  const moved = movedAnchors(headFindings, baseFindings);
  const declarationOf = (line: number) => headDecls[firstIndex(headDecls.length, (i) => headDecls[i]!.startLine > line) - 1];
  for (const { finding: f, anchor } of headFindings) {
    if ((baseFingerprints.has(f.fingerprint) || moved.take(anchor)) && !blamesTouched.has(f.ruleId)) result.preexisting.push(f);
    else result.introduced.push(withCommentLine(f, changed, declarationOf(f.line)));
  }
  return result;
}

/**
 * What the base version's run needs, or undefined when nothing: its findings only tell whether a
 * head finding was there before (by fingerprint, or by anchor where code moved), and both are
 * made per rule, so the rules that found something in the head are enough — most often none. A
 * head that reports an unused suppression needs them all: whether the base used that suppression
 * depends on every rule's findings.
 */
function baseRunOptions(options: RunOptions, head: RunResult): RunOptions | undefined {
  const found = new Set(head.findings.map((f) => f.ruleId));
  if (options.unusedIgnore && found.has(options.unusedIgnore.id)) return options;
  const rules = options.rules.filter((r) => found.has(r.meta.id));
  return rules.length === 0 ? undefined : { ...options, rules, unusedIgnore: undefined };
}

/**
 * The base findings that the head has under no fingerprint, by rule and anchor (with the anchor's
 * whole statement): code moved to another function, unchanged, brings its findings along, and
 * they are not new. `take` uses one up per head finding.
 */
function movedAnchors(head: readonly { finding: Finding }[], base: readonly { fingerprint: string; anchor: string | undefined }[]): { take(anchor: string | undefined): boolean } {
  const left = new Map<string, number>();
  const headFingerprints = new Set(head.map((h) => h.finding.fingerprint));
  for (const b of base) {
    if (b.anchor === undefined || headFingerprints.has(b.fingerprint)) continue;
    left.set(b.anchor, (left.get(b.anchor) ?? 0) + 1);
  }
  return {
    take(anchor) {
      const n = anchor === undefined ? 0 : (left.get(anchor) ?? 0);
      if (n > 0) left.set(anchor!, n - 1);
      return n > 0;
    },
  };
}

/** The touched keys whose head or base text mentions a trigger of a rule that compares versions. */
function comparedKeys(rules: readonly Rule[], head: string, headDecls: readonly Declaration[], base: string, baseDecls: readonly Declaration[], touched: ReadonlySet<string>): Set<string> | undefined {
  const words = changeTriggers(rules);
  if (!words) return undefined;
  const pick = (decls: readonly Declaration[]) => decls.filter((d) => touched.has(d.key));
  return new Set([...keysMentioning(head, pick(headDecls), words), ...keysMentioning(base, pick(baseDecls), words)]);
}

const changeTriggerCache = new WeakMap<readonly Rule[], TriggerWords | null>();

/** The trigger words of the rules that compare versions, once per rule set; undefined when there are none. */
function changeTriggers(rules: readonly Rule[]): TriggerWords | undefined {
  let words = changeTriggerCache.get(rules);
  if (words === undefined) {
    const comparing = rules.filter((r) => r.checkChange);
    words = comparing.length === 0 ? null : new TriggerWords(comparing.flatMap((r) => (Array.isArray(r.triggers) ? r.triggers : [])));
    changeTriggerCache.set(rules, words);
  }
  return words ?? undefined;
}

/**
 * The change lies inside the body of one function or method, the same in both versions: every
 * name, signature, import and other declaration is shared, and so is every answer about them.
 */
function bodyOnlyChange(head: string, headDecls: readonly Declaration[], base: string, baseDecls: readonly Declaration[], regions: UnchangedRegions): boolean {
  const around = (text: string, decls: readonly Declaration[], end: number) => {
    const d = decls[firstIndex(decls.length, (i) => decls[i]!.start > regions.prefix) - 1];
    return d && (d.kind === "func" || d.kind === "method") && end <= d.end && signatureEnd(text, d) < regions.prefix ? d : undefined;
  };
  const h = around(head, headDecls, regions.headTail);
  const b = around(base, baseDecls, regions.baseTail);
  return !!h && !!b && h.key === b.key;
}

/** Characters of declarations analyzed together (see {@link AnalyzeOptions.groupSize}). */
export const DEFAULT_GROUP_SIZE = 256 * 1024;

/**
 * The touched keys in groups of about `size` characters of head declarations, in file order.
 * Declarations that share a key (`init`) stay together (their findings share occurrence
 * indices); keys only the base has go with the last group.
 */
function groupKeys(decls: readonly Declaration[], touched: ReadonlySet<string>, size: number): Set<string>[] {
  const groups: Set<string>[] = [new Set()];
  const sizes = new Map<string, number>();
  for (const d of decls) if (touched.has(d.key)) sizes.set(d.key, (sizes.get(d.key) ?? 0) + d.end - d.start);
  let used = 0;
  for (const [key, chars] of sizes) {
    if (used > 0 && used + chars > size) {
      groups.push(new Set());
      used = 0;
    }
    groups[groups.length - 1]!.add(key);
    used += chars;
  }
  for (const key of touched) if (!sizes.has(key)) groups[groups.length - 1]!.add(key);
  return groups;
}

/**
 * The trigger words of the rules that will run on this file version, or undefined when every
 * touched declaration must be parsed: some rule may report anywhere, or the path is one whose
 * declarations are all looked at.
 */
function triggersOf(file: SourceFile, path: string, options: AnalyzeOptions, testCode: boolean, contains: Map<string, boolean>): TriggerWords<Rule> | undefined {
  if (options.parseAll?.(path)) return undefined;
  // Rules that only compare versions get the declarations they need parsed through `mustParse`.
  const rules = options.rules.filter((r) => r.check && (!testCode || r.meta.inTests !== "skip"));
  let lists: DeclarationLists | undefined;
  return triggerWords(rules, {
    path,
    packageWords: (wordsOf) => packageWords(wordsOf, (lists ??= declarationLists(file))),
    packageContains: (text) => {
      const found = file.packageContains(text);
      contains.set(text, found);
      return found;
    },
    functionsReturning: (word) => file.packageFunctionsReturning(word),
    imports: (importPath) => file.importsPath(importPath),
    packageImports: (importPath) => file.packageImports(importPath),
  });
}

type WordsOf = (declarations: readonly DeclaredNames[]) => Iterable<string>;

/** The top-level declarations of a file version and of its package's other files, with a key that names them whatever their order. */
interface DeclarationLists {
  lists: readonly (readonly DeclaredNames[])[];
  key: string;
}

const listIds = new WeakMap<readonly DeclaredNames[], number>();
let listCount = 0;

function declarationLists(file: SourceFile): DeclarationLists {
  const lists = [file.declarations, ...(file.siblingFiles()?.files ?? []).map((f) => f.declared)];
  const ids: number[] = [];
  for (const list of lists) {
    let id = listIds.get(list);
    if (id === undefined) listIds.set(list, (id = listCount++));
    ids.push(id);
  }
  return { lists, key: ids.sort((a, b) => a - b).join(",") };
}

/** The last union {@link packageWords} made per `wordsOf`, by the key of its lists. */
const lastUnion = new WeakMap<WordsOf, { key: string; words: ReadonlySet<string> }>();

/**
 * The words `wordsOf` finds in the declaration lists of a package's files. Its files ask in turn,
 * each with its own list first: the same lists make the same union, made once.
 */
function packageWords(wordsOf: WordsOf, { lists, key }: DeclarationLists): ReadonlySet<string> {
  const last = lastUnion.get(wordsOf);
  if (last?.key === key) return last.words;
  const words = new Set<string>();
  for (const list of lists) for (const word of fileWords(wordsOf, list)) words.add(word);
  lastUnion.set(wordsOf, { key, words });
  return words;
}

const wordsByFunction = new WeakMap<WordsOf, WeakMap<readonly DeclaredNames[], readonly string[]>>();

/** `wordsOf(decls)`, kept while both live (see `TriggerContext.packageWords`). */
function fileWords(wordsOf: WordsOf, decls: readonly DeclaredNames[]): readonly string[] {
  let byDecls = wordsByFunction.get(wordsOf);
  if (!byDecls) wordsByFunction.set(wordsOf, (byDecls = new WeakMap()));
  let words = byDecls.get(decls);
  if (!words) byDecls.set(decls, (words = [...wordsOf(decls)]));
  return words;
}

/**
 * The declarations that contain one of `lines`: a binary search per line (declarations are
 * sorted and disjoint), or, when most lines are changed (a new file), a look at each
 * declaration's lines until one is changed.
 */
function overlapping(decls: Declaration[], lines: ReadonlySet<number>, lineCount: number): Declaration[] {
  if (lines.size * Math.log2(decls.length + 1) > lineCount) {
    return decls.filter((d) => {
      for (let line = d.startLine; line <= d.endLine; line++) if (lines.has(line)) return true;
      return false;
    });
  }
  const hit = new Set<Declaration>();
  for (const line of lines) {
    const d = decls[firstIndex(decls.length, (i) => decls[i]!.startLine > line) - 1];
    if (d && line <= d.endLine) hit.add(d);
  }
  return decls.filter((d) => hit.has(d));
}

/** Why changed lines cannot belong to these contents (a line past the end of either version), if they cannot. */
function patchMismatch(changed: ChangedLines, headLines: number, baseLines: number | undefined): string | undefined {
  const beyond = (lines: ReadonlySet<number>, count: number) => {
    for (const l of lines) if (!Number.isInteger(l) || l < 1 || l > count) return l;
    return undefined;
  };
  const added = beyond(changed.added, headLines);
  if (added !== undefined) return `it adds line ${added}, the head version has ${headLines} lines`;
  if (baseLines === undefined) return undefined;
  const deleted = beyond(changed.deleted, baseLines);
  return deleted === undefined ? undefined : `it deletes line ${deleted}, the base version has ${baseLines} lines`;
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}
