/**
 * Analysis of a whole change (many files) under a configuration: which files are in scope,
 * which rules run at which severity, and the per-file differential. Used by the CLI and the App.
 */
import picomatch from "picomatch";
import type { MemlintConfig } from "../config/types.js";
import { ENGINE_RULES, KNOWN_RULE_IDS, RULES } from "../rules/index.js";
import { unusedIgnore } from "../rules/unused-ignore.js";
import { analyzeFile, type AnalyzeOptions, type FileAnalysis, type FileInput, type Note } from "./analyze.js";
import type { Finding, Severity } from "./types.js";
import type { SuppressedFinding } from "./run-rules.js";

export interface ReviewResult {
  files: FileAnalysis[];
  introduced: Finding[];
  preexisting: Finding[];
  suppressed: SuppressedFinding[];
  notes: Note[];
  /** Files not analyzed, with the reason. */
  skipped: { path: string; reason: string }[];
}

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

/** Why a path is out of scope under the configuration, or undefined when it is analyzed. */
export function exclusionReason(path: string, config: MemlintConfig, contents?: string | null): string | undefined {
  if (!path.endsWith(".go")) return "not a Go file";
  if (!config.tests && path.endsWith("_test.go")) return "test file (tests: false)";
  if (!picomatch.isMatch(path, config.paths.include, { dot: true })) return "not matched by paths.include";
  if (picomatch.isMatch(path, config.paths.exclude, { dot: true })) return "matched by paths.exclude";
  if (!config.generated && contents && GENERATED.test(contents.slice(0, 4096))) return "generated file";
  return undefined;
}

export function analyzeOptionsFor(config: MemlintConfig, goVersion?: string): AnalyzeOptions {
  const severity: Record<string, Severity> = {};
  for (const [id, setting] of Object.entries(config.rules)) if (setting.severity) severity[id] = setting.severity;
  const enabled = (id: string) => config.rules[id]?.enabled ?? true;
  const version = config.goVersion ?? goVersion;
  return {
    rules: RULES.filter((r) => enabled(r.meta.id)),
    knownRuleIds: KNOWN_RULE_IDS,
    severity,
    contractScopes: config.contracts.scopes,
    ...(version ? { goVersion: version } : {}),
    ...(enabled(unusedIgnore.id) && ENGINE_RULES.includes(unusedIgnore) ? { unusedIgnore } : {}),
  };
}

export function reviewChange(files: FileInput[], config: MemlintConfig, goVersion?: string): ReviewResult {
  const options = analyzeOptionsFor(config, goVersion);
  const result: ReviewResult = { files: [], introduced: [], preexisting: [], suppressed: [], notes: [], skipped: [] };
  for (const file of files) {
    const reason = exclusionReason(file.path, config, file.head);
    if (reason) {
      if (reason !== "not a Go file") result.skipped.push({ path: file.path, reason });
      continue;
    }
    const analysis = analyzeFile(file, options);
    result.files.push(analysis);
    result.introduced.push(...analysis.introduced);
    result.preexisting.push(...analysis.preexisting);
    result.suppressed.push(...analysis.suppressed);
    result.notes.push(...analysis.notes);
  }
  return result;
}
