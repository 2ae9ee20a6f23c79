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
import { contractCoverage, type CoverageEntry, requiresContracts } from "../contracts/coverage.js";
import { DEFAULT_SCOPES, runRules, type RunOptions, type SuppressedFinding } from "./run-rules.js";
import { MAX_NESTING, type PackageIndex, SourceFile } from "./source.js";
import type { Finding, Rule, RuleMeta, Severity } from "./types.js";

export interface AnalyzeOptions {
  rules: readonly Rule[];
  knownRuleIds: ReadonlySet<string>;
  severity?: Readonly<Record<string, Severity>>;
  goVersion?: string;
  unusedIgnore?: RuleMeta;
  contractScopes?: readonly string[];
  /** Globs of `contracts.require`: where exported functions need contracts (and coverage is computed). */
  contractRequire?: readonly string[];
  /**
   * The other files of each package at the head of the change, for contracts of functions
   * declared there and for rules that look across files (removals from a package-level map).
   */
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
  /** Contract coverage of the exported functions the change adds or touches, for files in `contracts.require`. */
  coverage?: CoverageEntry[];
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
  // A patch that names lines the contents do not have belongs to other contents (a stale patch,
  // a truncated file): say so and diff the contents here rather than analyze nothing.
  const mismatch = input.changed && patchMismatch(input.changed, head, base);
  if (mismatch) notes.push({ path, message: `the patch does not match the file's contents (${mismatch}); changed lines were computed from the contents instead` });
  const changed = (!mismatch && input.changed) || (base === null ? allLinesChanged(lineCount(head)) : changedLinesBetween(base, head));
  const headDecls = scanDeclarations(head);
  const baseUsable = base !== null && base.length <= limit && !base.includes("\u0000");
  const baseDecls = baseUsable ? scanDeclarations(base) : [];
  const touched = new Set<string>();
  for (const d of overlapping(headDecls, changed.added)) touched.add(d.key);
  for (const d of overlapping(baseDecls, changed.deleted)) touched.add(d.key);
  for (const key of ["package", "import"]) touched.delete(key);
  if (touched.size === 0) return empty(notes, changed);

  const runOptions: RunOptions = { ...options, path };
  const headFile = new SourceFile(path, head, touched, headDecls, options.packageIndex);
  for (const s of headFile.skipped) {
    notes.push({
      path,
      line: s.errorLine,
      message: `skipped \`${s.decl.key}\` (lines ${s.decl.startLine}–${s.decl.endLine}): ${s.reason === "nesting" ? `nested more than ${MAX_NESTING} levels deep at line ${s.errorLine}` : `syntax error at line ${s.errorLine}`}`,
    });
  }
  const headRun = runRules(headFile, runOptions);
  const blamesTouched = new Set(options.rules.filter((r) => r.meta.blameTouched).map((r) => r.meta.id));
  let baseFingerprints = new Set<string>();
  if (baseUsable) {
    // The base version's siblings are the head versions of the other files (a renamed file's
    // head version is not a sibling of its own base).
    const baseFile = new SourceFile(input.oldPath ?? path, base, touched, baseDecls, options.packageIndex, path);
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
    ...(requiresContracts(path, options.contractRequire ?? []) ? { coverage: coverageOf(headFile, headRun.suppressed, options) } : {}),
  };
}

/** Contract coverage of the analyzed declarations; a `contract-missing` silenced with a reason counts as waived. */
function coverageOf(file: SourceFile, suppressed: SuppressedFinding[], options: AnalyzeOptions): CoverageEntry[] {
  const waived = new Set(suppressed.filter((s) => s.finding.ruleId === "contract-missing" && s.reason.trim() !== "").map((s) => s.finding.declaration));
  return contractCoverage({
    path: file.path,
    source: file.text,
    file,
    declarations: file.analyzed.map((d) => ({ key: d.decl.key, node: d.node })),
    scopes: options.contractScopes ?? DEFAULT_SCOPES,
    lineOf: (node) => file.lineOf(node),
    waived,
  });
}

function overlapping(decls: Declaration[], lines: ReadonlySet<number>): Declaration[] {
  if (lines.size === 0) return [];
  return decls.filter((d) => {
    for (let l = d.startLine; l <= d.endLine; l++) if (lines.has(l)) return true;
    return false;
  });
}

/** Why changed lines cannot belong to these contents (a line past the end of either version), if they cannot. */
function patchMismatch(changed: ChangedLines, head: string, base: string | null): string | undefined {
  const beyond = (lines: ReadonlySet<number>, count: number) => {
    for (const l of lines) if (!Number.isInteger(l) || l < 1 || l > count) return l;
    return undefined;
  };
  const headLines = lineCount(head);
  const added = beyond(changed.added, headLines);
  if (added !== undefined) return `it adds line ${added}, the head version has ${headLines} lines`;
  if (base === null) return undefined;
  const baseLines = lineCount(base);
  const deleted = beyond(changed.deleted, baseLines);
  return deleted === undefined ? undefined : `it deletes line ${deleted}, the base version has ${baseLines} lines`;
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
