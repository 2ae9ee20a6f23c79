/**
 * Organization locks. The organization's `.github` repository may list, in its
 * `.github/memlint.yml`, settings that repositories may tighten but not loosen:
 *
 * ```yaml
 * locked:
 *   - environments.production.block_on
 *   - environments.production.waivers
 *   - rules
 * ```
 *
 * Probot's `_extends` lets a repository's file override anything, so memlint reads the
 * organization's file itself and, for every locked setting, keeps the repository's value only when
 * it is at least as strict as the organization's; otherwise the organization's value applies and
 * the check run's summary says which value was refused.
 *
 * "At least as strict", per kind of setting:
 * - `block_on`: a lower severity blocks more (`info` < `warning` < `error` < `none`);
 * - `conclusion`: `failure` ≥ `action_required` ≥ `neutral`;
 * - `waivers.allowed`, `waivers.author_may_waive`: `false` is stricter;
 * - `waivers.min_permission`: a higher permission is stricter (`admin` strictest);
 * - `waivers.approvers`: the same approvers or fewer;
 * - `branches` of an environment: the same branches or more;
 * - a rule: enabled (when the organization enables it) with the same severity or a higher one,
 *   and in test code reported at least as much (`report` > `info` > `skip`);
 * - `paths.include`: the same globs or more; `paths.exclude`, `paths.non_production`: the same
 *   or fewer;
 * - `comments.min_severity`: the same severity or a lower one (more inline comments);
 * - `tests`, `generated`, `contracts.scan_package`: `true` is stricter; `drafts`: `analyze`;
 * - `ignore.min_reason_length`: the same or longer; `contracts.require`: the same globs or more;
 * - anything else (`go_version`, `max_comments`, `contracts.scopes`): only the same value.
 */
import { type Severity, severityRank, TEST_POLICIES, type TestPolicy } from "../engine/types.js";
import { ALL_RULE_METAS, KNOWN_RULE_IDS } from "../rules/index.js";
import type { EnvironmentPolicy, MemlintConfig, Permission, RuleSetting } from "./types.js";

const ENV_LEAVES = [
  "branches",
  "block_on",
  "conclusion",
  "waivers.allowed",
  "waivers.min_permission",
  "waivers.author_may_waive",
  "waivers.approvers",
] as const;
type EnvLeaf = (typeof ENV_LEAVES)[number];

const TOP_LEAVES = [
  "paths.include",
  "paths.exclude",
  "paths.non_production",
  "tests",
  "generated",
  "go_version",
  "max_comments",
  "comments.min_severity",
  "drafts",
  "ignore.min_reason_length",
  "contracts.scopes",
  "contracts.require",
  "contracts.scan_package",
] as const;
type TopLeaf = (typeof TOP_LEAVES)[number];

const GROUPS: Record<string, readonly TopLeaf[]> = {
  paths: ["paths.include", "paths.exclude", "paths.non_production"],
  comments: ["comments.min_severity"],
  ignore: ["ignore.min_reason_length"],
  contracts: ["contracts.scopes", "contracts.require", "contracts.scan_package"],
};

/** Why a `locked` entry names no lockable setting, or undefined when it does. */
export function lockKeyProblem(key: string): string | undefined {
  if ((TOP_LEAVES as readonly string[]).includes(key) || key in GROUPS) return undefined;
  if (key === "rules" || key === "rules.*") return undefined;
  if (key.startsWith("rules.")) {
    const id = key.slice("rules.".length);
    return KNOWN_RULE_IDS.has(id) ? undefined : `\`${id}\` is not a memlint rule`;
  }
  if (key === "environments" || key === "environments.*") return undefined;
  const m = /^environments\.([^.]+)(?:\.(.+))?$/.exec(key);
  if (m) {
    const leaf = m[2];
    if (leaf === undefined || leaf === "waivers" || (ENV_LEAVES as readonly string[]).includes(leaf)) return undefined;
    return `environments have no lockable setting \`${leaf}\` (lockable: ${ENV_LEAVES.join(", ")}, waivers)`;
  }
  return "it names no lockable setting (see docs/operations.md: environments.*, rules, paths, tests, generated, drafts, …)";
}

export interface LockRefusal {
  /** The setting, as written in YAML: `environments.production.block_on`. */
  key: string;
  /** The repository's value and the organization's, as YAML-like text. */
  repository: string;
  organization: string;
}

export interface LockResult {
  config: MemlintConfig;
  refused: LockRefusal[];
  /** Settings that were locked and checked (the repository's value kept or not). */
  checked: string[];
}

const BLOCK_ORDER: Record<EnvironmentPolicy["blockOn"], number> = { info: 0, warning: 1, error: 2, none: 3 };
const CONCLUSION_ORDER: Record<EnvironmentPolicy["conclusion"], number> = { failure: 2, action_required: 1, neutral: 0 };
const PERMISSION_ORDER: Record<Permission, number> = { read: 0, triage: 1, write: 2, maintain: 3, admin: 4 };

const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.replace(/^@/, "").toLowerCase()));
const subset = (a: readonly string[], b: readonly string[]) => {
  const B = lower(b);
  return [...lower(a)].every((x) => B.has(x));
};

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.join(", ")}]`;
  if (value === undefined) return "(not set)";
  return String(value);
}

function envValue(env: EnvironmentPolicy, leaf: EnvLeaf): unknown {
  switch (leaf) {
    case "branches":
      return env.branches;
    case "block_on":
      return env.blockOn;
    case "conclusion":
      return env.conclusion;
    case "waivers.allowed":
      return env.waivers.allowed;
    case "waivers.min_permission":
      return env.waivers.minPermission;
    case "waivers.author_may_waive":
      return env.waivers.authorMayWaive;
    case "waivers.approvers":
      return env.waivers.approvers;
  }
}

/** Whether the repository's value of an environment setting is at least as strict as the organization's. */
function envAtLeastAsStrict(leaf: EnvLeaf, repo: EnvironmentPolicy, org: EnvironmentPolicy): boolean {
  switch (leaf) {
    case "branches":
      return subset(org.branches, repo.branches);
    case "block_on":
      return BLOCK_ORDER[repo.blockOn] <= BLOCK_ORDER[org.blockOn];
    case "conclusion":
      return CONCLUSION_ORDER[repo.conclusion] >= CONCLUSION_ORDER[org.conclusion];
    case "waivers.allowed":
      return !repo.waivers.allowed || org.waivers.allowed;
    case "waivers.min_permission":
      return PERMISSION_ORDER[repo.waivers.minPermission] >= PERMISSION_ORDER[org.waivers.minPermission];
    case "waivers.author_may_waive":
      return !repo.waivers.authorMayWaive || org.waivers.authorMayWaive;
    case "waivers.approvers":
      return subset(repo.waivers.approvers, org.waivers.approvers);
  }
}

function setEnv(target: EnvironmentPolicy, leaf: EnvLeaf, from: EnvironmentPolicy): void {
  switch (leaf) {
    case "branches":
      target.branches = [...from.branches];
      break;
    case "block_on":
      target.blockOn = from.blockOn;
      break;
    case "conclusion":
      target.conclusion = from.conclusion;
      break;
    case "waivers.allowed":
      target.waivers.allowed = from.waivers.allowed;
      break;
    case "waivers.min_permission":
      target.waivers.minPermission = from.waivers.minPermission;
      break;
    case "waivers.author_may_waive":
      target.waivers.authorMayWaive = from.waivers.authorMayWaive;
      break;
    case "waivers.approvers":
      target.waivers.approvers = [...from.waivers.approvers];
      break;
  }
}

const DEFAULT_SEVERITY = new Map<string, Severity>(ALL_RULE_METAS.map((m) => [m.id, m.severity]));
const DEFAULT_IN_TESTS = new Map<string, TestPolicy>(ALL_RULE_METAS.map((m) => [m.id, m.inTests]));

interface EffectiveRule {
  enabled: boolean;
  severity: Severity;
  inTests: TestPolicy;
}

function effectiveRule(config: MemlintConfig, id: string): EffectiveRule {
  const setting: RuleSetting | undefined = config.rules[id];
  return {
    enabled: setting?.enabled ?? true,
    severity: setting?.severity ?? DEFAULT_SEVERITY.get(id) ?? "warning",
    inTests: setting?.inTests ?? DEFAULT_IN_TESTS.get(id) ?? "report",
  };
}

function showRule(id: string, rule: EffectiveRule): string {
  if (!rule.enabled) return "off";
  return rule.inTests === DEFAULT_IN_TESTS.get(id) ? rule.severity : `${rule.severity} (in tests: ${rule.inTests})`;
}

function topValue(config: MemlintConfig, leaf: TopLeaf): unknown {
  switch (leaf) {
    case "paths.include":
      return config.paths.include;
    case "paths.exclude":
      return config.paths.exclude;
    case "paths.non_production":
      return config.paths.nonProduction;
    case "tests":
      return config.tests;
    case "generated":
      return config.generated;
    case "go_version":
      return config.goVersion;
    case "max_comments":
      return config.maxComments;
    case "comments.min_severity":
      return config.comments.minSeverity;
    case "drafts":
      return config.drafts;
    case "ignore.min_reason_length":
      return config.ignore.minReasonLength;
    case "contracts.scopes":
      return config.contracts.scopes;
    case "contracts.require":
      return config.contracts.require;
    case "contracts.scan_package":
      return config.contracts.scanPackage;
  }
}

function topAtLeastAsStrict(leaf: TopLeaf, repo: MemlintConfig, org: MemlintConfig): boolean {
  switch (leaf) {
    case "paths.include":
      return subset(org.paths.include, repo.paths.include);
    case "paths.exclude":
      return subset(repo.paths.exclude, org.paths.exclude);
    case "paths.non_production":
      return subset(repo.paths.nonProduction, org.paths.nonProduction);
    case "comments.min_severity":
      return severityRank(repo.comments.minSeverity) <= severityRank(org.comments.minSeverity);
    case "tests":
      return repo.tests || !org.tests;
    case "generated":
      return repo.generated || !org.generated;
    case "drafts":
      return repo.drafts === "analyze" || org.drafts === "skip";
    case "ignore.min_reason_length":
      return repo.ignore.minReasonLength >= org.ignore.minReasonLength;
    case "contracts.require":
      return subset(org.contracts.require, repo.contracts.require);
    case "contracts.scan_package":
      return repo.contracts.scanPackage || !org.contracts.scanPackage;
    case "go_version":
      return repo.goVersion === org.goVersion;
    case "max_comments":
      return repo.maxComments === org.maxComments;
    case "contracts.scopes":
      return repo.contracts.scopes.length === org.contracts.scopes.length && repo.contracts.scopes.every((s, i) => s === org.contracts.scopes[i]);
  }
}

function setTop(target: MemlintConfig, leaf: TopLeaf, from: MemlintConfig): void {
  switch (leaf) {
    case "paths.include":
      target.paths.include = [...from.paths.include];
      break;
    case "paths.exclude":
      target.paths.exclude = [...from.paths.exclude];
      break;
    case "paths.non_production":
      target.paths.nonProduction = [...from.paths.nonProduction];
      break;
    case "comments.min_severity":
      target.comments.minSeverity = from.comments.minSeverity;
      break;
    case "tests":
      target.tests = from.tests;
      break;
    case "generated":
      target.generated = from.generated;
      break;
    case "go_version":
      if (from.goVersion === undefined) delete target.goVersion;
      else target.goVersion = from.goVersion;
      break;
    case "max_comments":
      target.maxComments = from.maxComments;
      break;
    case "drafts":
      target.drafts = from.drafts;
      break;
    case "ignore.min_reason_length":
      target.ignore.minReasonLength = from.ignore.minReasonLength;
      break;
    case "contracts.scopes":
      target.contracts.scopes = [...from.contracts.scopes];
      break;
    case "contracts.require":
      target.contracts.require = [...from.contracts.require];
      break;
    case "contracts.scan_package":
      target.contracts.scanPackage = from.contracts.scanPackage;
      break;
  }
}

type Leaf = { kind: "top"; leaf: TopLeaf } | { kind: "env"; env: string; leaf: EnvLeaf } | { kind: "rule"; id: string };

/** The concrete settings a list of `locked` entries covers, given both configurations. */
function expand(locked: readonly string[], org: MemlintConfig, repo: MemlintConfig): Leaf[] {
  const out = new Map<string, Leaf>();
  const add = (key: string, leaf: Leaf) => out.set(key, leaf);
  const envNames = [...new Set([...org.environments.map((e) => e.name), ...repo.environments.map((e) => e.name)])];
  for (const key of locked) {
    if (lockKeyProblem(key) !== undefined) continue;
    if ((TOP_LEAVES as readonly string[]).includes(key)) add(key, { kind: "top", leaf: key as TopLeaf });
    else if (key in GROUPS) for (const leaf of GROUPS[key]!) add(leaf, { kind: "top", leaf });
    else if (key === "rules" || key === "rules.*") for (const id of KNOWN_RULE_IDS) add(`rules.${id}`, { kind: "rule", id });
    else if (key.startsWith("rules.")) add(key, { kind: "rule", id: key.slice(6) });
    else {
      const m = /^environments(?:\.([^.]+)(?:\.(.+))?)?$/.exec(key)!;
      const names = m[1] === undefined || m[1] === "*" ? envNames : [m[1]];
      const leaves = m[2] === undefined ? ENV_LEAVES : m[2] === "waivers" ? ENV_LEAVES.filter((l) => l.startsWith("waivers.")) : [m[2] as EnvLeaf];
      for (const env of names) for (const leaf of leaves) add(`environments.${env}.${leaf}`, { kind: "env", env, leaf });
    }
  }
  return [...out.entries()].map(([, leaf]) => leaf);
}

function keyOf(leaf: Leaf): string {
  return leaf.kind === "top" ? leaf.leaf : leaf.kind === "rule" ? `rules.${leaf.id}` : `environments.${leaf.env}.${leaf.leaf}`;
}

/**
 * The repository's configuration with the organization's locks applied: every locked setting
 * where the repository's value is looser than the organization's takes the organization's value.
 */
export function applyLocks(org: MemlintConfig, repo: MemlintConfig, locked: readonly string[]): LockResult {
  const config = structuredClone(repo);
  const refused: LockRefusal[] = [];
  const checked: string[] = [];
  const inserted = new Set<string>();
  for (const leaf of expand(locked, org, repo)) {
    const key = keyOf(leaf);
    if (leaf.kind === "env" && inserted.has(leaf.env)) continue;
    if (leaf.kind === "top") {
      checked.push(key);
      if (topAtLeastAsStrict(leaf.leaf, repo, org)) continue;
      refused.push({ key, repository: show(topValue(repo, leaf.leaf)), organization: show(topValue(org, leaf.leaf)) });
      setTop(config, leaf.leaf, org);
    } else if (leaf.kind === "rule") {
      checked.push(key);
      const o = effectiveRule(org, leaf.id);
      const r = effectiveRule(repo, leaf.id);
      const ok =
        !o.enabled ||
        (r.enabled && severityRank(r.severity) >= severityRank(o.severity) && TEST_POLICIES.indexOf(r.inTests) >= TEST_POLICIES.indexOf(o.inTests));
      if (ok) continue;
      refused.push({ key, repository: showRule(leaf.id, r), organization: showRule(leaf.id, o) });
      config.rules[leaf.id] = { ...(org.rules[leaf.id] ?? { enabled: true }) };
    } else {
      const orgEnv = org.environments.find((e) => e.name === leaf.env);
      if (!orgEnv) continue;
      checked.push(key);
      let target = config.environments.find((e) => e.name === leaf.env);
      const repoEnv = repo.environments.find((e) => e.name === leaf.env);
      if (!target || !repoEnv) {
        // An environment only the organization has: it applies as the organization defines it.
        inserted.add(leaf.env);
        target = structuredClone(orgEnv);
        const catchAll = config.environments.findIndex((e) => e.name === "development");
        config.environments.splice(catchAll === -1 ? config.environments.length : catchAll, 0, target);
        refused.push({ key, repository: "(no such environment)", organization: show(envValue(orgEnv, leaf.leaf)) });
        continue;
      }
      if (envAtLeastAsStrict(leaf.leaf, repoEnv, orgEnv)) continue;
      refused.push({ key, repository: show(envValue(repoEnv, leaf.leaf)), organization: show(envValue(orgEnv, leaf.leaf)) });
      setEnv(target, leaf.leaf, orgEnv);
    }
  }
  // One refusal per environment that was missing (not one per setting of it).
  const seenEnv = new Set<string>();
  const deduped = refused.filter((r) => {
    if (r.repository !== "(no such environment)") return true;
    const env = r.key.split(".")[1]!;
    if (seenEnv.has(env)) return false;
    seenEnv.add(env);
    r.key = `environments.${env}`;
    r.organization = "(defined by the organization)";
    return true;
  });
  return { config, refused: deduped, checked };
}
