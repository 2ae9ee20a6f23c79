/**
 * Reading `.github/memlint.yml`: YAML → schema validation (schema/memlint.schema.json) → checks
 * the schema cannot express (known rule ids, the order of contract scopes, new environments) →
 * a {@link MemlintConfig} over the defaults. Shared by the CLI and the App; every problem is
 * reported with the key it concerns and, when the YAML text is at hand, its line.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { KNOWN_RULE_IDS } from "../rules/index.js";
import type { Severity, TestPolicy } from "../engine/types.js";
import { closestMatch } from "./closest.js";
import { lockKeyProblem } from "./locks.js";
import { configValidator, type SchemaError } from "./schema.js";
import {
  DEFAULT_CONFIG,
  type BlockingConclusion,
  type EnvironmentPolicy,
  type MemlintConfig,
  type Permission,
  type RuleSetting,
} from "./types.js";

/** Where the App and the CLI read the configuration, relative to the repository root. */
export const CONFIG_PATH = ".github/memlint.yml";

export interface ConfigProblem {
  /** The file (or other origin) the problem is in, e.g. `.github/memlint.yml`. */
  source: string;
  /** The setting concerned, as written in YAML: `environments.staging.block_on`, `paths.include[0]`; "" for the whole file. */
  key: string;
  /** A sentence a person understands, naming the key. */
  message: string;
  /** 1-based position in the file, when the problem was found in YAML text. */
  line?: number;
  column?: number;
}

export type ConfigResult =
  | {
      ok: true;
      config: MemlintConfig;
      /** Per setting the file set (`max_comments`, `environments.production.block_on`, `rules.defer-in-loop`): where it came from. Settings not listed are defaults. */
      sources: Record<string, string>;
    }
  | { ok: false; problems: ConfigProblem[] };

type Path = (string | number)[];

interface Problem {
  path: Path;
  message: string;
  /** Whether the problem is the key itself (unknown, misspelled) rather than its value. */
  at: "key" | "value";
}

/** The defaults, as a fresh copy callers may modify. */
export function defaultConfig(): MemlintConfig {
  return structuredClone(DEFAULT_CONFIG);
}

/** Validates a parsed configuration (e.g. what Probot's `context.config` returned) and applies the defaults. */
export function validateConfig(raw: unknown, source: string): ConfigResult {
  const checked = check(raw);
  if (checked.problems.length > 0) {
    return { ok: false, problems: checked.problems.map((p) => ({ source, key: formatPath(p.path), message: p.message })) };
  }
  return build(checked.value, source);
}

/** Parses and validates the text of a configuration file; YAML and schema problems carry line and column. */
export function parseConfigText(text: string, source: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((err) => {
        const { line, col } = lineCounter.linePos(err.pos[0]);
        return { source, key: "", message: `YAML syntax error: ${firstLine(err.message)}`, line, column: col };
      }),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, problems: [{ source, key: "", message: `YAML error: ${firstLine((err as Error).message)}` }] };
  }
  const checked = check(raw);
  if (checked.problems.length === 0) return build(checked.value, source);
  const problems = checked.problems.map((p): ConfigProblem => {
    const offset = locate(doc.contents, p.path, p.at);
    const problem: ConfigProblem = { source, key: formatPath(p.path), message: p.message };
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      problem.line = line;
      problem.column = col;
    }
    return problem;
  });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, problems };
}

/** Reads `<repoRoot>/.github/memlint.yml`; a missing file means the defaults. */
export function loadConfigFile(repoRoot: string): ConfigResult {
  const file = join(repoRoot, CONFIG_PATH);
  if (!existsSync(file)) {
    if (existsSync(`${file.slice(0, -4)}.yaml`)) {
      return {
        ok: false,
        problems: [{ source: ".github/memlint.yaml", key: "", message: `memlint reads ${CONFIG_PATH}; rename .github/memlint.yaml to ${CONFIG_PATH}` }],
      };
    }
    return { ok: true, config: defaultConfig(), sources: {} };
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    return { ok: false, problems: [{ source: CONFIG_PATH, key: "", message: `cannot read the file: ${(err as Error).message}` }] };
  }
  return parseConfigText(text, CONFIG_PATH);
}

export { closestMatch } from "./closest.js";

/** One line per problem: `file:line:column: message` (or `file: message` without a position). */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems
    .map((p) => `${p.source}${p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ""}` : ""}: ${p.message}`)
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Validation

interface RawEnvironment {
  branches?: string[];
  block_on?: Severity | "none";
  conclusion?: BlockingConclusion;
  waivers?: { allowed?: boolean; min_permission?: Permission; author_may_waive?: boolean; approvers?: string[] };
}

/** The file after the schema accepted it (and with `null` values removed). */
interface RawConfig {
  _extends?: string;
  rules?: Record<string, "off" | Severity | { enabled?: boolean; severity?: Severity; in_tests?: TestPolicy }>;
  paths?: { include?: string[]; exclude?: string[]; non_production?: string[] };
  tests?: boolean;
  generated?: boolean;
  go_version?: string;
  max_comments?: number;
  comments?: { min_severity?: Severity };
  drafts?: "analyze" | "skip";
  environments?: Record<string, RawEnvironment>;
  ignore?: { min_reason_length?: number };
  contracts?: { scopes?: string[]; require?: string[]; scan_package?: boolean };
  locked?: string[];
}

function check(raw: unknown): { value: RawConfig; problems: Problem[] } {
  // An empty file, or a key left empty (`rules:` with everything below commented out), means "not set".
  const value = (withoutNulls(raw) ?? {}) as RawConfig;
  const validate = configValidator();
  const problems = validate(value) ? [] : schemaProblems(validate.errors ?? [], value);
  problems.push(...semanticProblems(value, problems));
  return { value, problems };
}

function withoutNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v) ?? null);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const w = withoutNulls(v);
      if (w !== undefined) out[k] = w;
    }
    return out;
  }
  return value;
}

function schemaProblems(errors: SchemaError[], data: unknown): Problem[] {
  // `anyOf` (a rule is a string or a mapping): keep only the errors of the branch whose type fits
  // the value, so `severity: fatal` is not also told that it "must be a string".
  const chosen = new Map<string, number | undefined>();
  for (const e of errors) {
    if (e.keyword !== "anyOf") continue;
    const value = valueAt(data, e.instancePath);
    const branches = (e.schema as { type?: string }[]) ?? [];
    const index = branches.findIndex((b) => b.type !== undefined && typeMatches(b.type, value));
    chosen.set(e.instancePath, index === -1 ? undefined : index);
  }
  const inOtherBranch = (e: SchemaError) => {
    for (const [path, index] of chosen) {
      if (e.instancePath !== path && !e.instancePath.startsWith(`${path}/`)) continue;
      const m = /(?:^|\/)anyOf\/(\d+)\//.exec(e.schemaPath);
      if (m && Number(m[1]) !== index) return true;
    }
    return false;
  };
  const relevant = errors.filter((e) => !inOtherBranch(e) && !(e.keyword === "anyOf" && chosen.get(e.instancePath) !== undefined));
  const typeFailed = new Set(relevant.filter((e) => e.keyword === "type").map((e) => e.instancePath));

  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of relevant) {
    if (e.keyword !== "type" && e.keyword !== "anyOf" && typeFailed.has(e.instancePath)) continue;
    if (e.keyword === "propertyNames" || e.keyword === "if") continue;
    const path = pointerToPath(e.instancePath);
    // Rule ids are checked against the registry below, with a "did you mean".
    if (e.propertyName !== undefined && path.length === 1 && path[0] === "rules") continue;
    const problem = describeError(e, path, valueAt(data, e.instancePath));
    const id = `${formatPath(problem.path)}\u0000${problem.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push(problem);
    }
  }
  return problems;
}

function describeError(e: SchemaError, path: Path, value: unknown): Problem {
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const key = formatPath(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      const known = Object.keys((parent.properties as Record<string, unknown> | undefined) ?? {});
      const full = [...path, name];
      const guess = closestMatch(name, known);
      const where = key === "" ? "" : ` (\`${key}\` takes ${known.join(", ")})`;
      return {
        path: full,
        at: "key",
        message: guess
          ? `\`${formatPath(full)}\` is not a memlint setting; did you mean \`${formatPath([...path, guess])}\`?`
          : `\`${formatPath(full)}\` is not a memlint setting${where}`,
      };
    }
    case "type": {
      if (key === "go_version" && typeof value === "number") {
        return {
          path,
          at: "value",
          message: `\`go_version\` must be a quoted string such as "1.22" (got the number ${value}; YAML reads an unquoted 1.20 as 1.2)`,
        };
      }
      const subject = key === "" ? "the configuration" : `\`${key}\``;
      const what = key === "" ? "a mapping of settings" : typeName(String(params.type));
      return { path, at: "value", message: `${subject} must be ${what} (got ${describe(value)})` };
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof value === "string" ? closestMatch(value, allowed) : undefined;
      return {
        path,
        at: "value",
        message: `\`${key}\` must be one of ${allowed.join(", ")} (got ${describe(value)})${guess ? `; did you mean ${guess}?` : ""}`,
      };
    }
    case "anyOf": {
      // No branch has the value's type: describe every branch.
      const options = (e.schema as Record<string, unknown>[]).map((b) =>
        Array.isArray(b.enum)
          ? `one of ${(b.enum as unknown[]).join(", ")}`
          : b.type === "object"
            ? `a mapping with ${listing(Object.keys((b.properties as object | undefined) ?? {}))}`
            : typeName(String(b.type)),
      );
      return { path, at: "value", message: `\`${key}\` must be ${options.join(", or ")} (got ${describe(value)})` };
    }
    case "minimum":
    case "maximum": {
      const { minimum, maximum } = parent as { minimum?: number; maximum?: number };
      const range =
        minimum !== undefined && maximum !== undefined
          ? `between ${minimum} and ${maximum}`
          : minimum !== undefined
            ? `at least ${minimum}`
            : `at most ${maximum}`;
      return { path, at: "value", message: `\`${key}\` must be ${range} (got ${describe(value)})` };
    }
    case "pattern": {
      const full = e.propertyName !== undefined ? [...path, e.propertyName] : path;
      const subject = e.propertyName !== undefined ? `the name \`${e.propertyName}\` in \`${key}\`` : `\`${key}\``;
      const hint = typeof parent.patternErrorMessage === "string" ? parent.patternErrorMessage : `it must match ${String(params.pattern)}`;
      return {
        path: full,
        at: e.propertyName !== undefined ? "key" : "value",
        message: `${subject} is not valid${e.propertyName !== undefined ? "" : ` (got ${describe(value)})`}: ${hint}`,
      };
    }
    case "minLength":
      return { path, at: "value", message: `\`${key}\` must not be empty` };
    case "minItems":
      return { path, at: "value", message: `\`${key}\` must list at least ${String(params.limit)} items` };
    default:
      return { path, at: "value", message: `\`${key}\` ${e.message ?? "is not valid"}` };
  }
}

const ENV_DEFAULT_NAMES = new Set(DEFAULT_CONFIG.environments.map((e) => e.name));

/** What the schema cannot say. Skips values the schema already rejected. */
function semanticProblems(raw: RawConfig, schema: Problem[]): Problem[] {
  const problems: Problem[] = [];
  const rejected = (path: Path) => schema.some((p) => formatPath(p.path) === formatPath(path));

  if (isPlainObject(raw.rules)) {
    for (const id of Object.keys(raw.rules)) {
      if (KNOWN_RULE_IDS.has(id)) continue;
      const guess = closestMatch(id, KNOWN_RULE_IDS);
      problems.push({
        path: ["rules", id],
        at: "key",
        message: `unknown rule \`${id}\`${guess ? `; did you mean \`${guess}\`?` : ""} (\`memlint rules\` lists the rules)`,
      });
    }
  }

  if (isPlainObject(raw.environments)) {
    for (const [name, env] of Object.entries(raw.environments)) {
      if (ENV_DEFAULT_NAMES.has(name) || !isPlainObject(env) || env.branches !== undefined) continue;
      problems.push({
        path: ["environments", name],
        at: "key",
        message: `\`environments.${name}\` is a new environment and needs \`branches\` (only ${[...ENV_DEFAULT_NAMES].join(", ")} have defaults)`,
      });
    }
  }

  if (Array.isArray(raw.locked)) {
    raw.locked.forEach((key, i) => {
      if (typeof key !== "string" || rejected(["locked", i])) return;
      const why = lockKeyProblem(key);
      if (why) problems.push({ path: ["locked", i], at: "value", message: `\`locked\` lists \`${key}\`, which cannot be locked: ${why}` });
    });
  }

  const scopes = raw.contracts?.scopes;
  const scopesPath: Path = ["contracts", "scopes"];
  if (Array.isArray(scopes) && scopes.every((s) => typeof s === "string") && !rejected(scopesPath)) {
    if (scopes[0] !== "call") {
      problems.push({ path: scopesPath, at: "value", message: `\`contracts.scopes\` must start with \`call\`, the shortest scope (got \`${scopes[0]}\`)` });
    }
    if (scopes[scopes.length - 1] !== "process") {
      problems.push({
        path: scopesPath,
        at: "value",
        message: `\`contracts.scopes\` must end with \`process\`, the longest scope (got \`${scopes[scopes.length - 1]}\`)`,
      });
    }
    const counted = new Set<string>();
    for (const [i, s] of scopes.entries()) {
      if (counted.has(s)) problems.push({ path: [...scopesPath, i], at: "value", message: `\`contracts.scopes\` lists \`${s}\` more than once; scopes must be unique` });
      counted.add(s);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Building the configuration

function build(raw: RawConfig, source: string): ConfigResult {
  const config = defaultConfig();
  const sources: Record<string, string> = {};
  const set = (key: string) => {
    sources[key] = source;
  };

  for (const [id, value] of Object.entries(raw.rules ?? {})) {
    const setting: RuleSetting =
      value === "off"
        ? { enabled: false }
        : typeof value === "string"
          ? { enabled: true, severity: value }
          : {
              enabled: value.enabled ?? true,
              ...(value.severity ? { severity: value.severity } : {}),
              ...(value.in_tests ? { inTests: value.in_tests } : {}),
            };
    config.rules[id] = setting;
    set(`rules.${id}`);
  }
  if (raw.paths?.include !== undefined) {
    config.paths.include = raw.paths.include;
    set("paths.include");
  }
  if (raw.paths?.exclude !== undefined) {
    config.paths.exclude = raw.paths.exclude;
    set("paths.exclude");
  }
  if (raw.paths?.non_production !== undefined) {
    config.paths.nonProduction = raw.paths.non_production;
    set("paths.non_production");
  }
  if (raw.tests !== undefined) {
    config.tests = raw.tests;
    set("tests");
  }
  if (raw.generated !== undefined) {
    config.generated = raw.generated;
    set("generated");
  }
  if (raw.go_version !== undefined) {
    config.goVersion = raw.go_version.replace(/^go/, "");
    set("go_version");
  }
  if (raw.max_comments !== undefined) {
    config.maxComments = raw.max_comments;
    set("max_comments");
  }
  if (raw.comments?.min_severity !== undefined) {
    config.comments.minSeverity = raw.comments.min_severity;
    set("comments.min_severity");
  }
  if (raw.drafts !== undefined) {
    config.drafts = raw.drafts;
    set("drafts");
  }
  if (raw.environments !== undefined) config.environments = mergeEnvironments(config.environments, raw.environments, set);
  if (raw.ignore?.min_reason_length !== undefined) {
    config.ignore.minReasonLength = raw.ignore.min_reason_length;
    set("ignore.min_reason_length");
  }
  if (raw.contracts?.scopes !== undefined) {
    config.contracts.scopes = raw.contracts.scopes;
    set("contracts.scopes");
  }
  if (raw.contracts?.require !== undefined) {
    config.contracts.require = raw.contracts.require;
    set("contracts.require");
  }
  if (raw.contracts?.scan_package !== undefined) {
    config.contracts.scanPackage = raw.contracts.scan_package;
    set("contracts.scan_package");
  }
  if (raw.locked !== undefined) {
    config.locked = [...new Set(raw.locked)];
    set("locked");
  }
  return { ok: true, config, sources };
}

/** Defaults of an environment the file adds (it must give `branches`). */
const NEW_ENVIRONMENT: Omit<EnvironmentPolicy, "name" | "branches"> = {
  blockOn: "error",
  conclusion: "failure",
  waivers: { allowed: true, minPermission: "write", authorMayWaive: false, approvers: [] },
};

/**
 * The file's environments merged key by key over the defaults. Precedence: the defaults in their
 * order, with environments the file adds (in file order) before the catch-all `development`.
 */
function mergeEnvironments(
  defaults: EnvironmentPolicy[],
  raw: Record<string, RawEnvironment>,
  set: (key: string) => void,
): EnvironmentPolicy[] {
  const merged = defaults.map((d) => ({ ...d, branches: [...d.branches], waivers: { ...d.waivers, approvers: [...d.waivers.approvers] } }));
  const added: EnvironmentPolicy[] = [];
  for (const [name, env] of Object.entries(raw)) {
    let target = merged.find((e) => e.name === name);
    if (!target) {
      target = { name, branches: [], ...NEW_ENVIRONMENT, waivers: { ...NEW_ENVIRONMENT.waivers, approvers: [] } };
      added.push(target);
    }
    const key = `environments.${name}`;
    if (env.branches !== undefined) {
      target.branches = env.branches;
      set(`${key}.branches`);
    }
    if (env.block_on !== undefined) {
      target.blockOn = env.block_on;
      set(`${key}.block_on`);
    }
    if (env.conclusion !== undefined) {
      target.conclusion = env.conclusion;
      set(`${key}.conclusion`);
    }
    const w = env.waivers ?? {};
    if (w.allowed !== undefined) {
      target.waivers.allowed = w.allowed;
      set(`${key}.waivers.allowed`);
    }
    if (w.min_permission !== undefined) {
      target.waivers.minPermission = w.min_permission;
      set(`${key}.waivers.min_permission`);
    }
    if (w.author_may_waive !== undefined) {
      target.waivers.authorMayWaive = w.author_may_waive;
      set(`${key}.waivers.author_may_waive`);
    }
    if (w.approvers !== undefined) {
      target.waivers.approvers = w.approvers;
      set(`${key}.waivers.approvers`);
    }
  }
  const catchAll = merged.findIndex((e) => e.name === "development");
  const at = catchAll === -1 ? merged.length : catchAll;
  return [...merged.slice(0, at), ...added, ...merged.slice(at)];
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return isPlainObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

function typeName(type: string): string {
  return (
    { boolean: "true or false", integer: "a whole number", number: "a number", string: "a string", array: "a list", object: "a mapping" }[type] ??
    `of type ${type}`
  );
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

function pointerToPath(pointer: string): Path {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(data: unknown, pointer: string): unknown {
  let v = data;
  for (const seg of pointerToPath(pointer)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function formatPath(path: Path): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out;
}

/** Offset in the YAML text of a key (or its value), as far down the path as the document goes. */
function locate(node: unknown, path: Path, at: "key" | "value"): number | undefined {
  let current = node as YamlNode | null | undefined;
  let offset = current?.range?.[0];
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(current)) {
      const pair = current.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return offset;
      const key = pair.key as YamlNode;
      const value = pair.value as YamlNode | null;
      if (last && at === "key") return key.range?.[0] ?? offset;
      offset = value?.range?.[0] ?? key.range?.[0] ?? offset;
      current = value;
    } else if (current && "items" in current && Array.isArray(current.items) && typeof seg === "number") {
      const item = current.items[seg] as YamlNode | undefined;
      offset = item?.range?.[0] ?? offset;
      current = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/** `a`, `a and b`, `a, b and c`. */
function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function firstLine(s: string): string {
  const nl = s.indexOf("\n");
  return nl === -1 ? s : s.slice(0, nl);
}
