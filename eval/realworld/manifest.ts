/**
 * The corpus manifest: one JSON file per repository under `cases/`, holding references to public
 * commits (never their code). Everything that can be checked without the mirrors is checked here,
 * strictly, with the file and the field of each problem; what needs the code (an expected line
 * inside the head file) is checked when the case is replayed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";

export const CASE_KINDS = ["reverse-fix", "clean"] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CATEGORIES = ["leak-resource", "leak-goroutine", "timer", "pool", "http", "gc", "retention", "unsafe-cgo", "contract", "alloc"] as const;
export type CaseCategory = (typeof CATEGORIES)[number];

export const DIFFICULTIES = ["easy", "medium", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/**
 * Rules the team plans to write; a case may expect one before it exists. Empty since every rule
 * of the catalog exists; add an id here to record a case for a rule not written yet.
 */
export const PLANNED_RULES: ReadonlySet<string> = new Set<string>([]);

export type RuleStatus = "existing" | "planned" | "none";

/** Whether an expected rule exists today, is planned, or is null (no rule fits). */
export function ruleStatus(rule: string | null): RuleStatus {
  if (rule === null) return "none";
  return KNOWN_RULE_IDS.has(rule) ? "existing" : "planned";
}

export interface ExpectedFinding {
  path: string;
  /** The head line a reviewer would comment on, or the first and last of equally right lines. */
  line?: number;
  lines?: [number, number];
  category: CaseCategory;
  rule: string | null;
  note: string;
}

export interface Case {
  id: string;
  kind: CaseKind;
  commit: string;
  summary: string;
  paths: string[];
  expected: ExpectedFinding[];
  difficulty: Difficulty;
  /** Filled by the loader: the repository (`owner/name`) and the manifest file. */
  repo: string;
  file: string;
}

export interface Manifest {
  repo: string;
  file: string;
  cases: Case[];
}

/** A manifest problem: the file and the field (`cases[3].expected[0].line`) it concerns. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ""}${problem}`);
  }
}

/** The first and last head line an expected entry accepts. */
export function expectedRange(e: ExpectedFinding): [number, number] {
  return e.lines ?? [e.line!, e.line!];
}

/** The manifest file name of a repository: `owner__name.json`. */
export const manifestFileName = (repo: string) => `${repo.replace("/", "__")}.json`;

const SHA = /^[0-9a-f]{40}$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ID = /^[a-z0-9][a-z0-9.-]*$/;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

/** Validates one parsed manifest; `file` names it in errors. Throws {@link ManifestError}. */
export function validateManifest(raw: unknown, file: string): Manifest {
  const fail = (field: string, problem: string): never => {
    throw new ManifestError(file, field, problem);
  };
  const keys = (obj: Json, field: string, allowed: readonly string[]) => {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(field ? `${field}.${k}` : k, `unknown field (allowed: ${allowed.join(", ")})`);
  };
  const text = (obj: Json, key: string, field: string): string => {
    const v = obj[key];
    if (typeof v !== "string" || v.trim() === "") fail(`${field}.${key}`, "must be a non-empty string");
    return v as string;
  };
  const oneOf = <T extends string>(obj: Json, key: string, field: string, values: readonly T[]): T => {
    const v = obj[key];
    if (typeof v !== "string" || !values.includes(v as T)) fail(`${field}.${key}`, `must be one of ${values.join(", ")} (got ${JSON.stringify(v)})`);
    return v as T;
  };

  if (!isObject(raw)) fail("", "must be a JSON object with `repo` and `cases`");
  const top = raw as Json;
  keys(top, "", ["repo", "cases"]);
  if (typeof top.repo !== "string" || !REPO.test(top.repo)) fail("repo", `must be "owner/name" (got ${JSON.stringify(top.repo)})`);
  const repo = top.repo as string;
  if (basename(file) !== manifestFileName(repo)) fail("repo", `${repo} belongs in ${manifestFileName(repo)}, not ${basename(file)}`);
  if (!Array.isArray(top.cases) || top.cases.length === 0) fail("cases", "must be a non-empty array");

  const cases: Case[] = [];
  (top.cases as unknown[]).forEach((rawCase, i) => {
    const at = `cases[${i}]`;
    if (!isObject(rawCase)) fail(at, "must be an object");
    const c = rawCase as Json;
    keys(c, at, ["id", "kind", "commit", "summary", "paths", "expected", "difficulty"]);
    const id = text(c, "id", at);
    if (!ID.test(id)) fail(`${at}.id`, `must be lower-case letters, digits, dots and dashes (got ${JSON.stringify(id)})`);
    const kind = oneOf(c, "kind", at, CASE_KINDS);
    const commit = text(c, "commit", at);
    if (!SHA.test(commit)) fail(`${at}.commit`, `must be a full 40-character lower-case hex sha (got ${JSON.stringify(commit)})`);
    const summary = text(c, "summary", at);
    const difficulty = oneOf(c, "difficulty", at, DIFFICULTIES);
    if (!Array.isArray(c.paths) || c.paths.length === 0) fail(`${at}.paths`, "must be a non-empty array of paths");
    const paths = (c.paths as unknown[]).map((p, j) => {
      if (typeof p !== "string" || !p.endsWith(".go") || p.startsWith("/") || p.includes("\\")) fail(`${at}.paths[${j}]`, `must be a relative path of a .go file (got ${JSON.stringify(p)})`);
      if ((p as string).endsWith("_test.go")) fail(`${at}.paths[${j}]`, "test files are not replayed; leave them out");
      return p as string;
    });
    if (new Set(paths).size !== paths.length) fail(`${at}.paths`, "lists a path twice");
    if (!Array.isArray(c.expected)) fail(`${at}.expected`, "must be an array");
    const expected = (c.expected as unknown[]).map((rawExp, j) => {
      const ef = `${at}.expected[${j}]`;
      if (!isObject(rawExp)) fail(ef, "must be an object");
      const e = rawExp as Json;
      keys(e, ef, ["path", "line", "lines", "category", "rule", "note"]);
      const path = text(e, "path", ef);
      if (!paths.includes(path)) fail(`${ef}.path`, `${path} is not one of the case's paths`);
      const entry: ExpectedFinding = { path, category: oneOf(e, "category", ef, CATEGORIES), rule: null, note: text(e, "note", ef) };
      if ((e.line === undefined) === (e.lines === undefined)) fail(ef, "needs exactly one of `line` and `lines`");
      if (e.line !== undefined) {
        if (!isPositiveInt(e.line)) fail(`${ef}.line`, "must be a positive integer (a 1-based head line)");
        entry.line = e.line as number;
      } else {
        const l = e.lines;
        if (!Array.isArray(l) || l.length !== 2 || !isPositiveInt(l[0]) || !isPositiveInt(l[1]) || l[0] > l[1]) {
          fail(`${ef}.lines`, "must be [start, end], positive integers with start <= end");
        }
        entry.lines = [(l as number[])[0]!, (l as number[])[1]!];
      }
      if (e.rule === null) entry.rule = null;
      else if (typeof e.rule !== "string") fail(`${ef}.rule`, "must be a rule id or null");
      else if (!KNOWN_RULE_IDS.has(e.rule) && !PLANNED_RULES.has(e.rule)) fail(`${ef}.rule`, `unknown rule ${JSON.stringify(e.rule)}: neither an existing rule (memlint rules) nor a planned one`);
      else entry.rule = e.rule;
      return entry;
    });
    if (kind === "clean" && expected.length > 0) fail(`${at}.expected`, "must be empty for a clean case");
    if (kind === "reverse-fix" && expected.length === 0) fail(`${at}.expected`, "a reverse-fix case needs at least one expected finding");
    cases.push({ id, kind, commit, summary, paths, expected, difficulty, repo, file });
  });
  const seen = new Map<string, number>();
  cases.forEach((c, i) => {
    const first = seen.get(c.id);
    if (first !== undefined) fail(`cases[${i}].id`, `duplicate id ${c.id} (also cases[${first}])`);
    seen.set(c.id, i);
  });
  return { repo, file, cases };
}

/** Reads and validates every `*.json` of a directory; ids must be unique across all files. */
export function loadManifests(dir: string): Manifest[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  const manifests: Manifest[] = [];
  const owners = new Map<string, string>();
  for (const name of files) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new ManifestError(file, "", `not valid JSON: ${(err as Error).message}`);
    }
    const manifest = validateManifest(raw, file);
    manifest.cases.forEach((c, i) => {
      const other = owners.get(c.id);
      if (other) throw new ManifestError(file, `cases[${i}].id`, `duplicate id ${c.id} (also in ${other})`);
      owners.set(c.id, file);
    });
    manifests.push(manifest);
  }
  return manifests;
}
