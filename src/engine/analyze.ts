/**
 * The engine's entry point: what does a change to one Go file introduce?
 *
 * The declarations a change touches are analyzed in the head and in the base version; a finding
 * is *introduced* when the head has it and the base has no finding with the same fingerprint.
 * That reports a leak caused by a deleted `defer resp.Body.Close()` on the unchanged acquire
 * line, and never blames a change for what was already there (those are *pre-existing*).
 */
import { type Declaration, scanDeclarations } from "./declarations.js";
import { allLinesChanged, type ChangedLines, changedLinesBetween } from "./diff.js";
import { runRules, type RunOptions, type SuppressedFinding } from "./run-rules.js";
import { type PackageIndex, SourceFile } from "./source.js";
import type { Finding, Rule, RuleMeta, Severity } from "./types.js";

export interface AnalyzeOptions {
  rules: readonly Rule[];
  knownRuleIds: ReadonlySet<string>;
  severity?: Readonly<Record<string, Severity>>;
  goVersion?: string;
  unusedIgnore?: RuleMeta;
  contractScopes?: readonly string[];
  /** The other files of each package, for contracts of functions declared there. */
  packageIndex?: PackageIndex;
  /** Files larger than this (in characters) are skipped with a note. */
  maxFileSize?: number;
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

  const changed = input.changed ?? (base === null ? allLinesChanged(lineCount(head)) : changedLinesBetween(base, head));
  const headDecls = scanDeclarations(head);
  const baseUsable = base !== null && base.length <= limit && !base.includes("\u0000");
  const baseDecls = baseUsable ? scanDeclarations(base) : [];
  const touched = new Set<string>();
  for (const d of overlapping(headDecls, changed.added)) touched.add(d.key);
  for (const d of overlapping(baseDecls, changed.deleted)) touched.add(d.key);
  for (const key of ["package", "import"]) touched.delete(key);
  if (touched.size === 0) return empty([], changed);

  const notes: Note[] = [];
  const runOptions: RunOptions = { ...options, path };
  const headFile = new SourceFile(path, head, touched, headDecls, options.packageIndex);
  for (const s of headFile.skipped) {
    notes.push({
      path,
      line: s.errorLine,
      message: `skipped \`${s.decl.key}\` (lines ${s.decl.startLine}–${s.decl.endLine}): syntax error at line ${s.errorLine}`,
    });
  }
  const headRun = runRules(headFile, runOptions);
  const blamesTouched = new Set(options.rules.filter((r) => r.meta.blameTouched).map((r) => r.meta.id));
  let baseFingerprints = new Set<string>();
  if (baseUsable) {
    const baseFile = new SourceFile(input.oldPath ?? path, base, touched, baseDecls, options.packageIndex);
    baseFingerprints = new Set(runRules(baseFile, runOptions).findings.map((f) => f.fingerprint));
  }
  return {
    path,
    introduced: headRun.findings.filter((f) => !baseFingerprints.has(f.fingerprint) || blamesTouched.has(f.ruleId)),
    preexisting: headRun.findings.filter((f) => baseFingerprints.has(f.fingerprint) && !blamesTouched.has(f.ruleId)),
    suppressed: headRun.suppressed,
    notes,
    changed,
    analyzed: headFile.analyzed.map((d) => d.decl.key),
  };
}

function overlapping(decls: Declaration[], lines: ReadonlySet<number>): Declaration[] {
  if (lines.size === 0) return [];
  return decls.filter((d) => {
    for (let l = d.startLine; l <= d.endLine; l++) if (lines.has(l)) return true;
    return false;
  });
}

function lineCount(text: string): number {
  if (text === "") return 0;
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < text.length - 1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}
