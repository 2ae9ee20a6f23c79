/**
 * Blocking policy: which environment a pull request targets, and what conclusion its findings
 * give the check run there.
 *
 * An environment is chosen by the pull request's base branch (globs; `$default` stands for the
 * repository's default branch), matched in the order of `config.environments`, or for a whole
 * deployment by `MEMLINT_ENVIRONMENT`. Each environment sets the lowest severity that blocks,
 * the conclusion of a block, and who may waive.
 */
import picomatch from "picomatch";
import { type Finding, type Severity, severityRank } from "../engine/types.js";
import { DEFAULT_ENVIRONMENTS, type EnvironmentPolicy, type MemlintConfig, type Permission } from "./types.js";

/** A configuration (or deployment setting) that cannot be used; the message says why and how to fix it. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

export interface EnvironmentChoice {
  environment: EnvironmentPolicy;
  /** Why this environment, e.g. "base branch `release/2.1` matches `release/*`" or "MEMLINT_ENVIRONMENT=production". */
  reason: string;
}

export const DEFAULT_BRANCH_TOKEN = "$default";

/** Whether a base branch matches one of an environment's patterns, and which. */
export function matchingPattern(patterns: readonly string[], baseBranch: string, defaultBranch: string): string | undefined {
  for (const pattern of patterns) {
    if (pattern === DEFAULT_BRANCH_TOKEN) {
      if (defaultBranch !== "" && baseBranch === defaultBranch) return pattern;
      continue;
    }
    if (picomatch.isMatch(baseBranch, pattern, { dot: true })) return pattern;
  }
  return undefined;
}

export function selectEnvironment(
  config: MemlintConfig,
  target: { baseBranch: string; defaultBranch: string },
  override?: string,
): EnvironmentChoice {
  const name = override?.trim();
  if (name) {
    const environment = config.environments.find((e) => e.name === name);
    if (!environment) {
      const known = config.environments.map((e) => e.name).join(", ") || "(none)";
      throw new ConfigurationError(
        `MEMLINT_ENVIRONMENT=${name} names no environment. Known environments: ${known}. ` +
          "Set MEMLINT_ENVIRONMENT to one of them, or unset it to choose by base branch.",
      );
    }
    return { environment, reason: `MEMLINT_ENVIRONMENT=${name}` };
  }
  for (const environment of config.environments) {
    const pattern = matchingPattern(environment.branches, target.baseBranch, target.defaultBranch);
    if (pattern === undefined) continue;
    const reason =
      pattern === DEFAULT_BRANCH_TOKEN
        ? `base branch \`${target.baseBranch}\` is the default branch (\`${DEFAULT_BRANCH_TOKEN}\`)`
        : `base branch \`${target.baseBranch}\` matches \`${pattern}\``;
    return { environment, reason };
  }
  // No catch-all in a custom configuration: nothing blocks on branches nobody configured.
  const fallback = DEFAULT_ENVIRONMENTS.find((e) => e.name === "development")!;
  return {
    environment: fallback,
    reason: `base branch \`${target.baseBranch}\` matches no configured environment; using the built-in \`development\` policy`,
  };
}

export type Conclusion = "success" | "neutral" | "failure" | "action_required";

export interface Decision {
  conclusion: Conclusion;
  /** The findings at or above the environment's `blockOn` (also for drafts, which do not block). */
  blocking: Finding[];
  /** Check-run title. */
  title: string;
  /** One or two sentences: why this conclusion. Markdown (backticks), no repository content. */
  explanation: string;
}

export function blocksOn(environment: EnvironmentPolicy, severity: Severity): boolean {
  return environment.blockOn !== "none" && severityRank(severity) >= severityRank(environment.blockOn);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function describeThreshold(environment: EnvironmentPolicy): string {
  switch (environment.blockOn) {
    case "none":
      return "blocks on nothing";
    case "error":
      return "blocks on errors";
    case "warning":
      return "blocks on warnings and errors";
    case "info":
      return "blocks on every finding";
  }
}

function blockingShare(blocking: number, total: number): string {
  if (blocking === total) return total === 1 ? "the finding blocks" : `all ${total} findings block`;
  return `${blocking} of ${total} findings ${blocking === 1 ? "blocks" : "block"}`;
}

export function decide(environment: EnvironmentPolicy, findings: Finding[], options: { draft: boolean }): Decision {
  const blocking = findings.filter((f) => blocksOn(environment, f.severity));
  const env = `\`${environment.name}\``;
  const rule = `${env} ${describeThreshold(environment)}`;
  if (findings.length === 0) {
    return { conclusion: "success", blocking, title: "No memory-management findings", explanation: `No new findings; ${rule}.` };
  }
  const found = plural(findings.length, "finding");
  if (blocking.length > 0 && options.draft) {
    return {
      conclusion: "neutral",
      blocking,
      title: `Draft: ${plural(blocking.length, "finding")} would block in ${environment.name}`,
      explanation: `${rule}, but draft pull requests never block: ${plural(blocking.length, "finding")} will block once it is marked ready for review.`,
    };
  }
  if (blocking.length > 0) {
    const how =
      environment.conclusion === "action_required"
        ? environment.waivers.allowed && environment.waivers.approvers.length > 0
          ? " An approver can waive them with the “Waive” button."
          : " They must be fixed or waived."
        : environment.conclusion === "neutral"
          ? " The check is reported as neutral, so the merge is not held."
          : "";
    return {
      conclusion: environment.conclusion,
      blocking,
      title: `${plural(blocking.length, "blocking finding")} (${environment.name})`,
      explanation: `${rule}: ${blockingShare(blocking.length, findings.length)}.${how}`,
    };
  }
  return {
    conclusion: "neutral",
    blocking,
    title: `${found}, none blocking (${environment.name})`,
    explanation: `${rule}; ${findings.length === 1 ? "it is" : "they are"} reported as hints.`,
  };
}

/**
 * The conclusion of a run that failed internally: neutral where nothing would block anyway
 * (development), failure elsewhere and when the environment is unknown (fail closed).
 */
export function internalErrorConclusion(environment: EnvironmentPolicy | undefined): Conclusion {
  return environment?.blockOn === "none" ? "neutral" : "failure";
}

/** The check run's "Waive" button (at most 3 actions per run; identifier ≤ 20 characters). */
export const WAIVE_ACTION = {
  label: "Waive",
  identifier: "waive",
  description: "Waive the blocking memlint findings",
} as const;

/** Whether the check run gets the "Waive" button: action_required with listed approvers. */
export function offersWaiveButton(environment: EnvironmentPolicy, decision: Decision): boolean {
  return decision.conclusion === "action_required" && environment.waivers.allowed && environment.waivers.approvers.length > 0;
}

const PERMISSION_ORDER: readonly Permission[] = ["read", "triage", "write", "maintain", "admin"];

export interface Waiver {
  login: string;
  /** The collaborator's repository permission (`none` when not a collaborator). */
  permission: Permission | "none";
  /** Whether the login authored the pull request. */
  isAuthor: boolean;
  /** `@org/team` slugs the login belongs to, when known (for approvers given as teams). */
  teams?: readonly string[];
}

/**
 * Whether someone may waive findings in an environment (`/memlint ignore` or the button):
 * listed approvers always (the author only where `authorMayWaive`), others with at least
 * `minPermission`.
 */
export function mayWaive(environment: EnvironmentPolicy, who: Waiver): { allowed: boolean; reason: string } {
  const w = environment.waivers;
  const env = `\`${environment.name}\``;
  if (!w.allowed) return { allowed: false, reason: `findings cannot be waived in ${env}` };
  if (who.isAuthor && !w.authorMayWaive) return { allowed: false, reason: `the pull request's author cannot waive its findings in ${env}` };
  const login = who.login.toLowerCase();
  const approvers = w.approvers.map((a) => a.replace(/^@/, "").toLowerCase());
  if (approvers.includes(login) || (who.teams ?? []).some((t) => approvers.includes(t.replace(/^@/, "").toLowerCase()))) {
    return { allowed: true, reason: `an approver in ${env}` };
  }
  if (who.permission !== "none" && PERMISSION_ORDER.indexOf(who.permission) >= PERMISSION_ORDER.indexOf(w.minPermission)) {
    return { allowed: true, reason: `has ${who.permission} permission (${env} requires ${w.minPermission})` };
  }
  return { allowed: false, reason: `${env} requires ${w.minPermission} permission or being an approver` };
}
