/**
 * `--fix`: the mechanical suggestions of the reported findings applied to the files, and
 * `--fix --dry-run`: the same changes printed as a unified diff. A suggestion replaces whole
 * lines (the lines a GitHub suggestion block would replace); suggestions that overlap one applied
 * before are left for the next run, and one whose result does not parse is not applied at all.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { byCodeUnits } from "../engine/order.js";
import { createTwoFilesPatch } from "diff";
import { parseGo } from "../engine/parser.js";
import { LineIndex } from "../engine/position.js";
import type { Finding, Suggestion } from "../engine/types.js";
import type { Analysis } from "./collect.js";
import type { CliIO } from "./io.js";
import { displayPath, plural } from "./report.js";

export interface FileFix {
  path: string;
  before: string;
  after: string;
  /** The findings whose suggestions were applied. */
  fixed: Finding[];
  /** Findings whose suggestion was left out, with the reason. */
  left: { finding: Finding; reason: string }[];
}

/** The fixes for every file with suggestions, from the contents the analysis saw. */
export function planFixes(analysis: Analysis): FileFix[] {
  const byPath = new Map<string, Finding[]>();
  for (const f of analysis.result.introduced) {
    if (!f.suggestion) continue;
    const list = byPath.get(f.path);
    if (list) list.push(f);
    else byPath.set(f.path, [f]);
  }
  const fixes: FileFix[] = [];
  for (const [path, findings] of byPath) {
    const before = analysis.contents.get(path);
    if (before !== undefined) fixes.push(fixFile(path, before, findings));
  }
  return fixes.sort((a, b) => byCodeUnits(a.path, b.path));
}

/**
 * Applies the suggestions bottom-up, so earlier line numbers stay valid: each one only when it
 * overlaps none applied so far and the file still parses with it (no more syntax errors than
 * before it).
 */
export function fixFile(path: string, before: string, findings: readonly Finding[]): FileFix {
  const fix: FileFix = { path, before, after: before, fixed: [], left: [] };
  const ordered = [...findings].sort((a, b) => b.suggestion!.startLine - a.suggestion!.startLine || b.suggestion!.endLine - a.suggestion!.endLine);
  let lowestApplied = Number.POSITIVE_INFINITY;
  let errors = syntaxErrors(before);
  for (const finding of ordered) {
    const s = finding.suggestion!;
    if (s.endLine >= lowestApplied) {
      fix.left.push({ finding, reason: "its lines overlap another suggestion (run --fix again)" });
      continue;
    }
    const next = replaceLines(fix.after, s);
    if (next === undefined) {
      fix.left.push({ finding, reason: `lines ${s.startLine}–${s.endLine} are not in the file` });
      continue;
    }
    const nextErrors = syntaxErrors(next);
    if (nextErrors > errors) {
      fix.left.push({ finding, reason: "the file would not parse with it" });
      continue;
    }
    fix.after = next;
    errors = nextErrors;
    lowestApplied = s.startLine;
    fix.fixed.push(finding);
  }
  return fix;
}

/** The text with lines `startLine`–`endLine` replaced, keeping the file's line endings. */
function replaceLines(text: string, s: Suggestion): string | undefined {
  const lines = text.split("\n");
  if (s.startLine < 1 || s.endLine < s.startLine || s.endLine > lines.length) return undefined;
  const crlf = lines[s.startLine - 1]!.endsWith("\r");
  const replacement = s.replacement.split("\n").map((l) => (crlf ? `${l.replace(/\r$/, "")}\r` : l));
  return [...lines.slice(0, s.startLine - 1), ...replacement, ...lines.slice(s.endLine)].join("\n");
}

function syntaxErrors(text: string): number {
  return parseGo(text, new LineIndex(text)).errors.length;
}

export interface FixOutcome {
  fixes: FileFix[];
  /** The findings whose suggestions were applied (or, in a dry run, would be). */
  fixed: Finding[];
}

/**
 * Writes the fixes (or, with `dryRun`, prints them as a diff on stdout) and says on stderr what
 * was fixed and what was left. A file changed on disk since it was analyzed is left alone.
 */
export function applyFixes(analysis: Analysis, options: { dryRun: boolean; cwd: string; io: CliIO }): FixOutcome {
  const { io, cwd } = options;
  const fixes = planFixes(analysis).filter((f) => f.fixed.length > 0 || f.left.length > 0);
  const applied: FileFix[] = [];
  for (const fix of fixes) {
    const shown = displayPath(analysis, fix.path, cwd);
    for (const { finding, reason } of fix.left) io.stderr.write(`memlint: ${shown}:${finding.line}: not fixed (${finding.ruleId}): ${reason}\n`);
    if (fix.fixed.length === 0) continue;
    const file = isAbsolute(fix.path) ? fix.path : join(analysis.root, fix.path);
    if (options.dryRun) {
      io.stdout.write(createTwoFilesPatch(`a/${shown}`, `b/${shown}`, fix.before, fix.after, "", "", { context: 3 }).replace(/^=+\n/, ""));
      applied.push(fix);
      continue;
    }
    let current: string | undefined;
    try {
      current = readFileSync(file, "utf8");
    } catch {
      current = undefined;
    }
    if (current !== fix.before) {
      io.stderr.write(`memlint: ${shown}: not fixed: the file changed since memlint read it\n`);
      continue;
    }
    writeFileSync(file, fix.after);
    applied.push(fix);
  }
  const fixed = applied.flatMap((f) => f.fixed);
  const verb = options.dryRun ? "would fix" : "fixed";
  io.stderr.write(`memlint: ${verb} ${plural(fixed.length, "finding")} in ${plural(applied.length, "file")}\n`);
  return { fixes: applied, fixed };
}
