/**
 * The reads of a run (gather → plan → publish): everything a pure plan needs, read from GitHub
 * and nothing written. In order: the pull request's current state, the default branch's
 * configuration (with the organization's locks), the environment, the changed Go files with their
 * packages, memlint's review threads with the pull request's comments and current head (one
 * GraphQL request), and the permissions and team memberships the commands in those comments need.
 *
 * A run that cannot go on stops reading early: the head moved on (superseded), the configuration
 * is broken, a draft is skipped, or no Go file changed (threads and comments are then read only
 * when a comment command started the run, which still gets its answer).
 */
import type { Logger, ProbotOctokit } from "probot";
import { type CommentTrigger, withTrigger } from "../commands/comment.js";
import { collectEvents, loginsToCheck, teamChecks } from "../commands/ledger.js";
import { ConfigurationError, type EnvironmentChoice, selectEnvironment } from "../config/policy.js";
import type { Permission } from "../config/types.js";
import { type ChangeSet, collectChangeSet } from "./change-set.js";
import { activeTeams, repositoryPermission } from "./comments.js";
import { describeRequestError, step } from "./errors.js";
import type { IdentityLoader } from "./identity.js";
import { loadRepositoryConfiguration, type RepositoryConfig } from "./repository-config.js";
import { type AppIdentity, readReviewThreads, type ThreadSnapshot } from "./threads.js";

/** The state of the pull request a run analyzes. */
export interface PullTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  defaultBranch: string;
  draft: boolean;
  /** `changed_files`, to tell when GitHub's file list was capped. */
  changedFiles?: number;
  author?: string;
}

/** A press of the "Waive" button by an approver (already authorized). */
export interface WaivePress {
  by: string;
  at: string;
  teams?: readonly string[];
}

/** What a run is asked to analyze. */
export interface RunTarget {
  /** The base repository, pull request and head commit, known when the event arrives. */
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  /** The pull request's state: from the webhook payload, or read from GitHub. */
  resolve: () => Promise<PullTarget>;
  /** The comment event that started the run (`/memlint …`). */
  trigger?: CommentTrigger;
  /** Waive every blocking finding on behalf of this approver (recorded on the pull request). */
  waiver?: WaivePress;
  /** The configuration, when the caller already loaded it. */
  config?: RepositoryConfig;
}

/** Who may do what among the commenters (lowercase logins). */
export interface Access {
  permissions: Map<string, Permission | "none">;
  /** Commenters whose permission could not be read: their ignores do not apply in this run. */
  unavailable: Set<string>;
  teams: Map<string, readonly string[]>;
  /** Failed lookups, worth a redelivery. */
  problems: string[];
}

export interface RunInput {
  /** The head commit the run was asked for. */
  requestedSha: string;
  target: PullTarget;
  /** A newer head than the requested one, seen while reading: nothing is published. */
  supersededBy?: string;
  config?: RepositoryConfig;
  /** The environment, or why it cannot be chosen. */
  environment?: EnvironmentChoice | { error: string };
  /** `MEMLINT_ENVIRONMENT`, when the deployment forces one. */
  environmentOverride?: string;
  /** The changed files (absent: not read — a broken configuration, a skipped draft). */
  changes?: ChangeSet;
  identity?: AppIdentity;
  /** memlint's threads and the pull request's comments (absent: not needed). */
  snapshot?: ThreadSnapshot;
  access: Access;
  trigger?: CommentTrigger;
  waiver?: WaivePress;
  /** The waiver could not be recorded on the pull request (set by the run after a failed post). */
  waiverFailed?: string;
  /** Time the run has taken so far (shown in the summary). */
  elapsedMs: number;
}

export interface GatherDeps {
  octokit: ProbotOctokit;
  log: Logger;
  identity: IdentityLoader;
  environmentOverride?: string;
  /** Called as soon as the environment is known (an interruption then fails closed per environment). */
  onEnvironment?: (choice: EnvironmentChoice) => void;
}

function emptyAccess(): Access {
  return { permissions: new Map(), unavailable: new Set(), teams: new Map(), problems: [] };
}

export async function gather(deps: GatherDeps, run: RunTarget): Promise<RunInput> {
  const { octokit } = deps;
  const target = await run.resolve();
  const input: RunInput = {
    requestedSha: run.headSha,
    target,
    access: emptyAccess(),
    elapsedMs: 0,
    ...(deps.environmentOverride !== undefined ? { environmentOverride: deps.environmentOverride } : {}),
    ...(run.trigger ? { trigger: run.trigger } : {}),
    ...(run.waiver ? { waiver: run.waiver } : {}),
  };
  if (target.headSha !== run.headSha) return { ...input, supersededBy: target.headSha };

  // The default branch's configuration (never the pull request's), with the organization's locks.
  const config = run.config ?? (await loadRepositoryConfiguration(octokit, target));
  input.config = config;
  if (!config.ok) return input;
  let choice: EnvironmentChoice;
  try {
    choice = selectEnvironment(config.config, { baseBranch: target.baseRef, defaultBranch: target.defaultBranch }, deps.environmentOverride);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    input.environment = { error: err.message };
    return input;
  }
  input.environment = choice;
  deps.onEnvironment?.(choice);

  const skipped = target.draft && config.config.drafts === "skip";
  if (!skipped) {
    input.changes = await collectChangeSet(octokit, target, config.config, "goMod" in config ? { goMod: config.goMod } : {});
    if (input.changes.goFiles === 0 && input.changes.partial.length === 0 && !run.trigger) return input;
  } else if (!run.trigger) return input;

  // One GraphQL request gives the threads memlint already wrote, the pull request's comments
  // (where the ignores are) and the current head.
  const identity = await step("reading the App's identity (GET /app)", () => deps.identity());
  input.identity = identity;
  const ref = { owner: target.owner, repo: target.repo, pullNumber: target.pullNumber };
  const snapshot = await step("reading the pull request's review threads", () => readReviewThreads(octokit, ref, identity));
  input.snapshot = snapshot;
  if (snapshot.headSha && snapshot.headSha !== target.headSha) return { ...input, supersededBy: snapshot.headSha };
  input.access = await readAccess(deps, input, choice, config.config.ignore.minReasonLength);
  return input;
}

/**
 * The permissions the ledger needs: one lookup per commenter whose commands depend on it, and
 * team memberships of recorded "Waive" presses by team approvers. A failed lookup fails closed
 * for that commenter only.
 */
async function readAccess(deps: GatherDeps, input: RunInput, choice: EnvironmentChoice, minReasonLength: number): Promise<Access> {
  const access = emptyAccess();
  const { target, snapshot } = input;
  const comments = withTrigger(snapshot!.comments, input.trigger, snapshot!.byFingerprint.values());
  const events = collectEvents(comments, { minReasonLength });
  const repo = { owner: target.owner, repo: target.repo };
  for (const login of loginsToCheck(events, target.author, choice.environment)) {
    try {
      access.permissions.set(login, await repositoryPermission(deps.octokit, repo, login));
    } catch (err) {
      const what = describeRequestError(err);
      deps.log.error({ err, request: what, login }, "could not read a commenter's permission");
      access.unavailable.add(login);
      access.problems.push(`reading @${login}'s permission: ${what}`);
    }
  }
  if (input.waiver?.teams) access.teams.set(input.waiver.by.toLowerCase(), input.waiver.teams);
  const byLogin = new Map<string, string[]>();
  for (const [login, team] of teamChecks(events, choice.environment)) {
    if (!access.teams.has(login)) byLogin.set(login, [...(byLogin.get(login) ?? []), team]);
  }
  for (const [login, teams] of byLogin) access.teams.set(login, await activeTeams(deps.octokit, login, teams, deps.log));
  return access;
}
