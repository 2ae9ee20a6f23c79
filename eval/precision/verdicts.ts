/**
 * The hand-judged findings of whole repositories (`verdicts.json`): per repository the commit
 * that was checked, and per finding where it is, its rule, the verdict and a one-line reason
 * (references and our own words, never upstream code). Checked strictly: a typo in a verdict
 * file must not silently count a finding as unjudged.
 */
import { readFileSync } from "node:fs";

export const VERDICTS = ["true", "false", "debatable"] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface JudgedFinding {
  path: string;
  line: number;
  rule: string;
  /** The finding's short id (the first 8 hex digits of its fingerprint) when it was judged. */
  id: string;
  /** The severity it had when it was judged (the table uses today's). */
  severity: "error" | "warning" | "info";
  verdict: Verdict;
  /** One line: why, in our own words. */
  reason: string;
  /** For a false or debatable finding: the kind of false alarm (the patterns of issue 11). */
  pattern?: string;
}

export interface JudgedRepository {
  /** `owner/name` on GitHub. */
  repo: string;
  /** The commit checked (40 hex digits). */
  commit: string;
  findings: JudgedFinding[];
}

export interface VerdictFile {
  repositories: JudgedRepository[];
}

export class VerdictError extends Error {}

export function loadVerdicts(file: string): VerdictFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new VerdictError(`${file}: ${(err as Error).message}`);
  }
  return validateVerdicts(raw, file);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function validateVerdicts(raw: unknown, file: string): VerdictFile {
  const fail = (where: string, what: string): never => {
    throw new VerdictError(`${file}: ${where}: ${what}`);
  };
  if (!isObject(raw) || !Array.isArray(raw.repositories)) return fail("top level", "expected an object with a `repositories` list");
  const seen = new Set<string>();
  for (const [i, repo] of (raw.repositories as unknown[]).entries()) {
    const at = `repositories[${i}]`;
    if (!isObject(repo)) return fail(at, "expected an object");
    if (typeof repo.repo !== "string" || !/^[\w.-]+\/[\w.-]+$/.test(repo.repo)) fail(at, "`repo` must be owner/name");
    if (seen.has(repo.repo as string)) fail(at, `${String(repo.repo)} is listed twice`);
    seen.add(repo.repo as string);
    if (typeof repo.commit !== "string" || !/^[0-9a-f]{40}$/.test(repo.commit)) fail(at, "`commit` must be 40 hex digits");
    if (!Array.isArray(repo.findings)) return fail(at, "`findings` must be a list");
    for (const [j, f] of (repo.findings as unknown[]).entries()) {
      const where = `${at} (${String(repo.repo)}) findings[${j}]`;
      if (!isObject(f)) return fail(where, "expected an object");
      const known = new Set(["path", "line", "rule", "id", "severity", "verdict", "reason", "pattern"]);
      const extra = Object.keys(f).find((k) => !known.has(k));
      if (extra) fail(where, `unknown field \`${extra}\``);
      if (typeof f.path !== "string" || f.path === "") fail(where, "`path` must be a path");
      if (!Number.isInteger(f.line) || (f.line as number) < 1) fail(where, "`line` must be a line number");
      if (typeof f.rule !== "string" || f.rule === "") fail(where, "`rule` must be a rule id");
      if (typeof f.id !== "string" || !/^[0-9a-f]{8}$/.test(f.id)) fail(where, "`id` must be the finding's 8-digit short id");
      if (!["error", "warning", "info"].includes(f.severity as string)) fail(where, "`severity` must be error, warning or info");
      if (!(VERDICTS as readonly string[]).includes(f.verdict as string)) fail(where, `\`verdict\` must be one of ${VERDICTS.join(", ")}`);
      if (typeof f.reason !== "string" || f.reason.trim().length < 10 || f.reason.includes("\n")) fail(where, "`reason` must be one line of at least 10 characters");
      if (f.verdict !== "true" && (typeof f.pattern !== "string" || f.pattern === "")) fail(where, "a false or debatable finding needs a `pattern`");
      if (f.verdict === "true" && f.pattern !== undefined) fail(where, "a true finding has no `pattern`");
    }
  }
  return raw as unknown as VerdictFile;
}
