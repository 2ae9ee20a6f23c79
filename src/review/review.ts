/**
 * Analysis of a whole change (many files) under a configuration: which files are in scope,
 * which rules run (built with the configured settings) at which severity, the per-file
 * differential of the engine, and contract coverage. Used by the CLI, the App and the corpus.
 */
import type { MemlintConfig } from "../config/types.js";
import { contractCoverage, type CoverageEntry, requiresContracts } from "../contracts/coverage.js";
import type { ContractSettings } from "../contracts/settings.js";
import { analyzeFile, type AnalyzeOptions, DEFAULT_MAX_FILE_SIZE, type FileAnalysis, type FileInput, type Note } from "../engine/analyze.js";
import { compareGoVersions, type SuppressedFinding } from "../engine/run-rules.js";
import { dirOf, PackageIndex, type PackageLoader, type SourceFile } from "../engine/source.js";
import { isTestSource } from "../engine/test-code.js";
import type { Finding, Rule, Severity } from "../engine/types.js";
import { buildRules, ENGINE_RULES, KNOWN_RULE_IDS } from "../rules/index.js";
import { unusedIgnore } from "../rules/unused-ignore.js";
import { exclusionReason } from "./exclusion.js";
import { globMatcher } from "./globs.js";
import { requireReasonLength } from "./reasons.js";

export { exclusionReason };

export interface ReviewResult {
  files: FileAnalysis[];
  introduced: Finding[];
  preexisting: Finding[];
  suppressed: SuppressedFinding[];
  notes: Note[];
  /** Files not analyzed, with the reason. */
  skipped: { path: string; reason: string }[];
  /**
   * Contract coverage of the exported functions the change adds or touches in the paths of
   * `contracts.require` (every analyzed file's entries, in file order).
   */
  coverage?: CoverageEntry[];
}

export function analyzeOptionsFor(config: MemlintConfig, goVersion?: string, review: Pick<ReviewOptions, "allVersions"> = {}): AnalyzeOptions {
  const severity: Record<string, Severity> = {};
  for (const [id, setting] of Object.entries(config.rules)) if (setting.severity) severity[id] = setting.severity;
  const enabled = (id: string) => config.rules[id]?.enabled ?? true;
  const version = config.goVersion ?? goVersion;
  // A pitfall the runtime fixed for this module is not worth a word, unless the configuration
  // gives the rule a severity or the caller asks for every version (then the engine says info).
  const relevant = (rule: Rule) =>
    review.allVersions || !rule.meta.fixedInGo || !version || severity[rule.meta.id] !== undefined || compareGoVersions(version, rule.meta.fixedInGo) < 0;
  const contracts: ContractSettings = { scopes: config.contracts.scopes, require: config.contracts.require };
  const nonProduction = globMatcher(config.paths.nonProduction);
  return {
    rules: buildRules(contracts).filter((r) => enabled(r.meta.id) && relevant(r)).map((r) => withTestPolicy(r, config)),
    knownRuleIds: KNOWN_RULE_IDS,
    severity,
    isTestCode: (path, text) => isTestSource(path, text) || nonProduction(path),
    parseAll: (path) => requiresContracts(path, contracts.require),
    ...(version ? { goVersion: version } : {}),
    ...(enabled(unusedIgnore.id) && ENGINE_RULES.includes(unusedIgnore) ? { unusedIgnore } : {}),
  };
}

/** The rule with the test policy the configuration gives it (`rules.<id>.in_tests`), if any. */
function withTestPolicy(rule: Rule, config: MemlintConfig): Rule {
  const inTests = config.rules[rule.meta.id]?.inTests;
  return inTests === undefined || inTests === rule.meta.inTests ? rule : { ...rule, meta: { ...rule.meta, inTests } };
}

export interface ReviewOptions {
  /**
   * Reads the other files of a touched package at the head of the change: from disk in the CLI,
   * from the head commit's trees in the App. Used only with `contracts.scan_package` (default on).
   */
  loadPackage?: PackageLoader;
  /**
   * Also run the rules about pitfalls the module's Go version fixed (reported as `info`):
   * `memlint check --all-versions`. A review of a change never does.
   */
  allVersions?: boolean;
  /** Called each time a package is let go (its last file analyzed): the CLI collects garbage there. */
  onPackageDone?: () => void;
}

/**
 * The package index of one review. It always knows the change's own files (head contents, which
 * win over the loader's copy), so rules and contracts see the other changed files of a package.
 * `contracts.scan_package` decides whether memlint reads anything beyond the change: with it,
 * the loader supplies the rest of each touched package, for contracts and pitfall rules alike
 * (one switch for what memlint reads); without it, packages are known only in part, and the
 * rules that need a whole package (a map declared in another file) stay silent.
 */
export function packageIndexFor(files: readonly FileInput[], config: MemlintConfig, loadPackage?: PackageLoader, maxFileSize = DEFAULT_MAX_FILE_SIZE): PackageIndex {
  return new PackageIndex(config.contracts.scanPackage ? loadPackage : undefined, {
    changed: files.map((f) => [f.path, typeof f.head === "string" ? f.head : null] as const),
    maxFileSize,
  });
}

export function reviewChange(files: FileInput[], config: MemlintConfig, goVersion?: string, review: ReviewOptions = {}): ReviewResult {
  const options = analyzeOptionsFor(config, goVersion, review);
  const packageIndex = packageIndexFor(files, config, review.loadPackage);
  options.packageIndex = packageIndex;
  const result: ReviewResult = { files: [], introduced: [], preexisting: [], suppressed: [], notes: [], skipped: [], coverage: [] };
  const contracts: ContractSettings = { scopes: config.contracts.scopes, require: config.contracts.require };
  options.onAnalyzed = (file, suppressed) => {
    if (requiresContracts(file.path, contracts.require)) result.coverage!.push(...coverageOf(file, suppressed, contracts));
  };
  // A package is let go after the last file in it (a renamed file's base is in its old directory):
  // a whole-repository check then holds the packages it is in the middle of, not all it has seen.
  const lastIn = new Map<string, FileInput>();
  const dirsOf = (file: FileInput) => new Set([dirOf(file.path), dirOf(file.oldPath ?? file.path)]);
  for (const file of files) for (const dir of dirsOf(file)) lastIn.set(dir, file);
  for (const file of files) {
    const reason = exclusionReason(file.path, config, file.head);
    if (reason) {
      if (reason !== "not a Go file") result.skipped.push({ path: file.path, reason });
    } else {
      const analysis = analyzeFile(file, options);
      result.files.push(analysis);
      result.introduced.push(...analysis.introduced);
      result.preexisting.push(...analysis.preexisting);
      result.suppressed.push(...analysis.suppressed);
      result.notes.push(...analysis.notes);
    }
    for (const dir of dirsOf(file)) {
      if (lastIn.get(dir) !== file) continue;
      packageIndex.release(dir);
      review.onPackageDone?.();
    }
  }
  requireReasonLength(result, config.ignore.minReasonLength, (path) => files.find((f) => f.path === path)?.head ?? undefined);
  return result;
}

/** Contract coverage of the analyzed declarations; a `contract-missing` silenced with a reason counts as waived. */
function coverageOf(file: SourceFile, suppressed: readonly SuppressedFinding[], contracts: ContractSettings): CoverageEntry[] {
  const waived = new Set(suppressed.filter((s) => s.finding.ruleId === "contract-missing" && s.reason.trim() !== "").map((s) => s.finding.declaration));
  return contractCoverage({
    path: file.path,
    source: file.text,
    file,
    declarations: file.analyzed.map((d) => ({ key: d.decl.key, node: d.node })),
    scopes: contracts.scopes,
    lineOf: (node) => file.lineOf(node),
    waived,
  });
}
