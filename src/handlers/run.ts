/**
 * One memlint run for one head commit of a pull request:
 *
 *   check run `in_progress` → configuration → environment → files and contents → analysis →
 *   decision → review threads + current head (one GraphQL request) → if still current: one
 *   review with the new inline comments, thread lifecycle (resolve / reopen / mark fixed) →
 *   check run completed with summary, annotations and, when blocking in an environment with
 *   waivers, a "Waive" button.
 *
 * The check run is completed whatever happens (try/catch/finally): with the analysis' conclusion,
 * with a configuration error, as superseded when the pull request moved on, or with an internal
 * error that says which request failed. A check left in progress would block merges forever.
 *
 * Ignores: the threads query also brings the pull request's comments, from which every run
 * rebuilds the ignore ledger (`/memlint ignore` commands of people allowed to waive, and the
 * records of "Waive" presses); ignored findings leave the decision, are listed in the summary,
 * and their threads are resolved. Commands memlint has not answered yet are answered after the
 * check run is completed (so the answer can state the new conclusion).
 */
import type { Logger, ProbotOctokit } from "probot";
import { toAnnotations } from "../comments/annotations.js";
import { placeFindings, type Placement } from "../comments/placement.js";
import type { IgnoreNote } from "../comments/review-comment.js";
import { type IgnoredFinding, renderCheckOutput, renderErrorOutput } from "../comments/summary.js";
import { type CommandsPhase, type CommentTrigger, prepareCommands } from "../commands/apply.js";
import { CATEGORY_LABEL, type IgnoreCategory } from "../commands/parse.js";
import type { Verdict } from "../commands/reply.js";
import {
  ConfigurationError,
  decide,
  type Decision,
  type EnvironmentChoice,
  internalErrorConclusion,
  offersWaiveButton,
  selectEnvironment,
  WAIVE_ACTION,
} from "../config/policy.js";
import type { EnvironmentPolicy } from "../config/types.js";
import { type ReviewResult, reviewChange } from "../engine/review.js";
import type { Finding } from "../engine/types.js";
import { type ChangeSet, collectChangeSet, packageLoader } from "../github/change-set.js";
import {
  appendToSummary,
  type CheckConclusion,
  CheckRun,
  type Completion,
  findLatestCheckRun,
  formatHandle,
  interruptedCompletion,
} from "../github/check-run.js";
import { describeRequestError, GitHubStepError, step } from "../github/errors.js";
import type { IdentityLoader } from "../github/identity.js";
import { packageContextNote } from "../github/package-files.js";
import { postReview } from "../github/review.js";
import { planThreadChanges } from "../github/thread-lifecycle.js";
import { applyThreadChanges, readReviewThreads, type ThreadSnapshot } from "../github/threads.js";
import { countRequests, emptyStats, type RunStats } from "../log.js";
import type { TrackedRun } from "../runtime/inflight.js";
import { type LoadedConfig, lockNote, loadRepositoryConfiguration, type RepositoryConfig } from "./config.js";
import { handOffWithoutCheckRun, trackCheckRun } from "./shared.js";

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

export interface RunRequest {
  /** The base repository, pull request and head commit, known when the event arrives. */
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  /** The pull request's state: from the webhook payload, or read from GitHub. */
  resolve: () => Promise<PullTarget>;
  /** Re-complete this check run instead of creating one (the "Waive" button). */
  existingCheckRunId?: number;
  /**
   * `"latest"`: re-complete the newest memlint check run of the head commit (comment commands),
   * creating one only when there is none.
   */
  checkRun?: "latest";
  /** Waive every blocking finding on behalf of this approver (recorded on the pull request). */
  waiver?: { by: string; at: string; teams?: readonly string[] };
  /** The comment event that started the run (`/memlint …`). */
  trigger?: CommentTrigger;
  /** The configuration, when the caller already loaded it. */
  config?: LoadedConfig;
}

export interface RunDeps {
  octokit: ProbotOctokit;
  log: Logger;
  identity: IdentityLoader;
  /**
   * Unused: runs read the configuration themselves (default branch, organization fallback and
   * locks, in one GraphQL request; see handlers/config.ts `loadRepositoryConfiguration`).
   */
  readConfig?: () => Promise<unknown>;
  /** `MEMLINT_ENVIRONMENT`: forces an environment for the whole deployment. */
  environmentOverride?: string;
  now?: () => number;
}

export interface RunOutcome {
  stats: RunStats;
  completed: boolean;
  /** The run failed (GitHub or internal error): a redelivery should run it again. */
  failed: boolean;
}

interface RunState {
  deps: RunDeps;
  req: RunRequest;
  stats: RunStats;
  environment?: EnvironmentPolicy;
  started: number;
  /** Publishing steps that failed (the run still completes its check). */
  problems: string[];
  /** Answers to commands, sent once the check run is completed. */
  publish?: () => Promise<{ answered: number; problems: string[] }>;
  /** The run's in-flight record (crash recovery, graceful stop). */
  tracked?: TrackedRun;
  /** Notes about the configuration for every completion (refused locked settings). */
  configNotes: string[];
}

const sha7 = (sha: string) => sha.slice(0, 7);

/**
 * The conclusion of a run that could not finish. With a known environment: neutral in
 * development, failure elsewhere (fail closed). Without one (a broken configuration): failure,
 * unless the deployment says it is development.
 */
export function errorConclusion(environment: EnvironmentPolicy | undefined, override: string | undefined): CheckConclusion {
  if (environment) return internalErrorConclusion(environment);
  return override?.trim() === "development" ? "neutral" : "failure";
}

export async function runReview(deps: RunDeps, req: RunRequest): Promise<RunOutcome> {
  const now = deps.now ?? Date.now;
  const state: RunState = { deps, req, stats: emptyStats(), started: now(), problems: [], configNotes: [] };
  const requests = countRequests(deps.octokit);
  const repo = { owner: req.owner, repo: req.repo };
  const handle = formatHandle({ owner: req.owner, repo: req.repo, pullNumber: req.pullNumber });
  let existingId = req.existingCheckRunId;
  if (existingId === undefined && req.checkRun === "latest") {
    try {
      const identity = await deps.identity();
      existingId = (await findLatestCheckRun(deps.octokit, repo, req.headSha, identity.id))?.id;
    } catch (err) {
      deps.log.warn({ err, request: describeRequestError(err) }, "could not look up the latest check run; creating a new one");
    }
  }
  const check =
    existingId !== undefined
      ? CheckRun.existing(deps.octokit, repo, existingId, req.headSha, handle, deps.log)
      : new CheckRun(deps.octokit, repo, req.headSha, handle, deps.log);
  if (existingId === undefined) {
    await check.start({ title: "Analyzing…", summary: analyzingSummary(req.headSha, req.pullNumber) });
  }
  // From here on the check run stands for the delivery: record it until it is completed.
  if (check.id !== undefined) {
    state.tracked = trackCheckRun(
      { owner: req.owner, repo: req.repo, pullNumber: req.pullNumber, headSha: req.headSha, checkRunId: check.id, conclusion: errorConclusion(undefined, deps.environmentOverride) },
      async (entry, why) => void (await check.complete(interruptedCompletion(entry.conclusion, req.headSha, why, entry.environment))),
    );
  } else handOffWithoutCheckRun();

  let completion: Completion | undefined;
  let failed = false;
  try {
    completion = await execute(state);
  } catch (err) {
    failed = true;
    completion = failure(state, err);
  } finally {
    completion ??= failure(state, new Error("the run ended without a result"));
    if (state.configNotes.length > 0) completion.output.summary = appendToSummary(completion.output.summary, state.configNotes);
    state.stats.conclusion = completion.conclusion;
    state.stats.durationMs = now() - state.started;
    try {
      const report = await check.complete(completion);
      state.stats.annotations = report.annotations;
      if (report.problems.length > 0) failed = true;
    } catch (err) {
      failed = true;
      state.stats.error = `${state.stats.error ? `${state.stats.error}; ` : ""}completing the check run: ${describeRequestError(err)}`;
    }
    if (check.completed) state.tracked?.done();
    if (check.completed && state.publish) {
      try {
        const published = await state.publish();
        state.stats.commandsAnswered = published.answered;
        state.problems.push(...published.problems);
      } catch (err) {
        state.problems.push(`answering commands: ${describeRequestError(err)}`);
      }
    }
    if (state.problems.length > 0) {
      failed = true;
      state.stats.error ??= state.problems.join("; ");
    }
    state.stats.requests = requests();
    const level = failed ? "error" : "info";
    deps.log[level]({ stats: state.stats, checkRunId: check.id }, `memlint run ${check.completed ? "completed" : "could not complete its check run"}: ${state.stats.conclusion}`);
  }
  return { stats: state.stats, completed: check.completed, failed };
}

function failure(state: RunState, err: unknown): Completion {
  const kind = err instanceof GitHubStepError ? "github" : "internal";
  const message = err instanceof Error ? err.message : String(err);
  state.stats.error = message;
  state.deps.log.error({ err }, `memlint run failed: ${message}`);
  return {
    conclusion: errorConclusion(state.environment, state.deps.environmentOverride),
    output: renderErrorOutput(kind, message),
  };
}

function superseded(state: RunState, current: string): Completion {
  const { headSha, pullNumber } = state.req;
  state.stats.superseded = current;
  // `skipped`: the run belongs to a commit that is no longer the head, so it gates nothing; GitHub
  // shows it as "skipped" (not evaluated), which is what happened — unlike `neutral`, which reads as
  // "evaluated, no opinion". Should the head ever return to this commit, the synchronize event for it
  // starts a new run, and the newest run of a commit is the one GitHub uses.
  return {
    conclusion: "skipped",
    output: {
      title: `Superseded by ${sha7(current)}`,
      summary:
        `Pull request #${pullNumber} moved on to \`${sha7(current)}\` while memlint was analyzing \`${sha7(headSha)}\`, ` +
        `so nothing was published for \`${sha7(headSha)}\`. The run for \`${sha7(current)}\` reports on the current head.`,
    },
  };
}

async function execute(state: RunState): Promise<Completion> {
  const { deps, req, stats } = state;
  const target = await req.resolve();
  if (target.headSha !== req.headSha) return superseded(state, target.headSha);

  // The default branch's configuration (never the pull request's), with the organization's locks.
  const loaded: RepositoryConfig = req.config ?? (await loadRepositoryConfiguration(deps.octokit, target));
  const locks = lockNote(loaded);
  if (locks) state.configNotes.push(locks);
  if (!loaded.ok) {
    stats.error = "invalid configuration";
    return { conclusion: errorConclusion(undefined, deps.environmentOverride), output: renderErrorOutput("config", loaded.message) };
  }
  const { config, sources } = loaded;
  let choice: EnvironmentChoice;
  try {
    choice = selectEnvironment(config, { baseBranch: target.baseRef, defaultBranch: target.defaultBranch }, deps.environmentOverride);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    stats.error = "invalid environment";
    return { conclusion: errorConclusion(undefined, deps.environmentOverride), output: renderErrorOutput("config", err.message) };
  }
  state.environment = choice.environment;
  state.tracked?.update({ conclusion: errorConclusion(choice.environment, deps.environmentOverride), environment: choice.environment.name });

  if (target.draft && config.drafts === "skip") {
    return answerWithoutFindings(state, target, choice, config.ignore.minReasonLength, {
      conclusion: "skipped",
      output: {
        title: "Draft pull request: not analyzed",
        summary: "This repository's configuration says `drafts: skip`. memlint analyzes the pull request when it is marked ready for review.",
      },
    });
  }

  const changes = await collectChangeSet(deps.octokit, target, config, "goMod" in loaded ? { goMod: loaded.goMod } : {});
  stats.files = changes.listed;
  stats.goFiles = changes.goFiles;
  stats.partial = changes.partial.length > 0;
  if (changes.goFiles === 0 && changes.partial.length === 0) {
    return answerWithoutFindings(state, target, choice, config.ignore.minReasonLength, {
      conclusion: "success",
      output: {
        title: "No Go files changed",
        summary: `Pull request #${target.pullNumber} changes no Go files at \`${sha7(target.headSha)}\` (${changes.listed} ${changes.listed === 1 ? "file" : "files"} listed), so there is nothing for memlint to analyze.`,
      },
    });
  }

  const result = reviewChange(changes.files, config, changes.goVersion, { loadPackage: packageLoader(changes) });
  result.skipped.unshift(...changes.skipped);
  stats.analyzedFiles = result.files.length;
  stats.findings = result.introduced.length;
  stats.preexisting = result.preexisting.length;

  // One GraphQL request gives the threads memlint already wrote, the pull request's comments
  // (where the ignores are) and the current head.
  const identity = await step("reading the App's identity (GET /app)", () => deps.identity());
  const ref = { owner: target.owner, repo: target.repo, pullNumber: target.pullNumber };
  const snapshot = await step("reading the pull request's review threads", () => readReviewThreads(deps.octokit, ref, identity));
  if (snapshot.headSha && snapshot.headSha !== target.headSha) return superseded(state, snapshot.headSha);

  // The ignore ledger, rebuilt from the comments; the "Waive" button adds a durable waiver record.
  const conclusionOf = (findings: readonly Finding[]) => decide(choice.environment, [...findings], { draft: target.draft }).conclusion;
  const commands = await prepareCommands({
    octokit: deps.octokit,
    log: deps.log,
    repo: { owner: target.owner, repo: target.repo },
    pullNumber: target.pullNumber,
    headSha: target.headSha,
    ...(target.author ? { author: target.author } : {}),
    identity,
    snapshot,
    environment: choice.environment,
    parse: { minReasonLength: config.ignore.minReasonLength },
    findings: result.introduced,
    preexisting: result.preexisting,
    suppressed: result.suppressed.map((s) => s.finding),
    conclusionOf,
    ...(req.trigger ? { trigger: req.trigger } : {}),
    ...(req.waiver ? { waiver: req.waiver } : {}),
  });
  const ignored: IgnoredFinding[] = commands.ignored;
  const ignoredPrints = new Set(ignored.map((i) => i.finding.fingerprint));
  const active = result.introduced.filter((f) => !ignoredPrints.has(f.fingerprint));
  const decision = withIgnores(decide(choice.environment, active, { draft: target.draft }), ignored.length);
  stats.blocking = decision.blocking.length;
  stats.ignored = ignored.length;
  state.problems.push(...commands.problems);

  const packageNote = packageContextNote(changes.packageNotes);
  const notes: string[] = [...commands.notes, ...(packageNote ? [packageNote] : [])];
  const fresh = active.filter((f) => !snapshot.byFingerprint.has(f.fingerprint));
  const commented = active.filter((f) => snapshot.byFingerprint.has(f.fingerprint));
  const placement = placeFindings(fresh, changes.changedByPath, config.maxComments);

  let posted: Finding[] = [];
  let unposted: Finding[] = [];
  if (placement.inline.length > 0) {
    try {
      await postReview(deps.octokit, target, placement.inline, async () => new Set((await readReviewThreads(deps.octokit, ref, identity)).byFingerprint.keys()));
      posted = placement.inline;
    } catch (err) {
      unposted = placement.inline;
      const what = describeRequestError(err);
      deps.log.error({ err, request: what }, "posting the review failed; its comments become annotations");
      notes.push(
        `> [!WARNING]\n> The review with ${placement.inline.length} inline ${placement.inline.length === 1 ? "comment" : "comments"} could not be posted ` +
          `(${escapeNote(what)}). ${placement.inline.length === 1 ? "That finding is" : "Those findings are"} attached to this check run as annotations instead; re-run the check to post them.`,
      );
      state.problems.push(`posting the review: ${what}`);
    }
  }
  stats.commentsPosted = posted.length;

  const lifecycle = await updateThreads(state, snapshot, result, changes, notes, new Map(ignored.map((i) => [i.finding.fingerprint, i])));
  stats.threadsResolved = lifecycle.resolved;
  stats.threadsReopened = lifecycle.reopened;
  stats.commentsEdited = lifecycle.edited;

  // The findings that have (or just got) an inline comment count as "inline" in the summary.
  const summaryPlacement: Placement = {
    inline: [...posted, ...commented],
    annotations: [...unposted, ...placement.annotations],
    summaryOnly: placement.summaryOnly,
    demoted: placement.demoted,
  };
  const output = renderCheckOutput({
    result,
    decision,
    choice,
    configSources: sources,
    placement: summaryPlacement,
    ignored,
    partial: changes.partial,
    durationMs: (deps.now ?? Date.now)() - state.started,
    headSha: target.headSha,
    maxComments: config.maxComments,
  });
  output.summary = appendToSummary(output.summary, notes);
  state.publish = () => commands.publish({ conclusion: decision.conclusion, title: output.title, headSha: target.headSha });
  return {
    conclusion: decision.conclusion,
    output,
    annotations: toAnnotations(summaryPlacement.annotations),
    ...(offersWaiveButton(choice.environment, decision) ? { actions: [{ ...WAIVE_ACTION }] } : {}),
  };
}

/** The decision's title and explanation, saying how many findings are ignored. */
export function withIgnores(decision: Decision, ignored: number): Decision {
  if (ignored === 0) return decision;
  const some = `${ignored} ${ignored === 1 ? "finding is" : "findings are"} ignored (see “Ignored findings”)`;
  if (decision.title === "No memory-management findings") {
    return {
      ...decision,
      title: `No findings left: ${ignored} ignored`,
      explanation: decision.explanation.replace(/^No new findings/, `Every finding is ignored: ${ignored}`),
    };
  }
  return { ...decision, title: `${decision.title}, ${ignored} ignored`, explanation: `${decision.explanation} ${some}.` };
}

/**
 * A run that ends before the analysis (no Go files, a skipped draft) still answers the commands
 * of the comment that started it, against no findings.
 */
async function answerWithoutFindings(
  state: RunState,
  target: PullTarget,
  choice: EnvironmentChoice,
  minReasonLength: number,
  completion: Completion,
): Promise<Completion> {
  const { deps, req } = state;
  if (!req.trigger) return completion;
  const identity = await step("reading the App's identity (GET /app)", () => deps.identity());
  const ref = { owner: target.owner, repo: target.repo, pullNumber: target.pullNumber };
  const snapshot = await step("reading the pull request's review threads", () => readReviewThreads(deps.octokit, ref, identity));
  if (snapshot.headSha && snapshot.headSha !== target.headSha) return superseded(state, snapshot.headSha);
  const commands: CommandsPhase = await prepareCommands({
    octokit: deps.octokit,
    log: deps.log,
    repo: { owner: target.owner, repo: target.repo },
    pullNumber: target.pullNumber,
    headSha: target.headSha,
    ...(target.author ? { author: target.author } : {}),
    identity,
    snapshot,
    environment: choice.environment,
    parse: { minReasonLength },
    findings: [],
    preexisting: [],
    suppressed: [],
    conclusionOf: () => completion.conclusion as Decision["conclusion"],
    trigger: req.trigger,
  });
  const verdict: Verdict = { conclusion: completion.conclusion, title: completion.output.title, headSha: target.headSha };
  state.publish = () => commands.publish(verdict);
  return completion;
}

/** What an ignored finding's inline comment says about the ignore. */
function ignoreNote(entry: IgnoredFinding): IgnoreNote {
  if (entry.via === "waive-button") return { by: entry.by, label: "waiver", reason: entry.reason, how: "" };
  const label = CATEGORY_LABEL[entry.category as IgnoreCategory] ?? entry.category;
  return { by: entry.by, label, reason: entry.reason, how: "with `/memlint ignore`" };
}

/** Request text in a blockquote: no line breaks, no markdown surprises. */
function escapeNote(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[<>`*_[\]]/g, (c) => `\\${c}`);
}

/** The in-progress summary: what is going on, and what to do if it never ends. */
function analyzingSummary(headSha: string, pullNumber: number): string {
  return (
    `memlint is analyzing ${sha7(headSha)} of pull request #${pullNumber}.\n\n` +
    "If this check is still in progress after a few minutes, memlint was interrupted: comment `/memlint recheck` on the pull request to analyze the commit again."
  );
}

/** Thread lifecycle (see github/thread-lifecycle.ts), applied; failures become a note. */
async function updateThreads(
  state: RunState,
  snapshot: ThreadSnapshot,
  result: ReviewResult,
  changes: ChangeSet,
  notes: string[],
  ignored: ReadonlyMap<string, IgnoredFinding>,
): Promise<{ resolved: number; reopened: number; edited: number }> {
  const { deps, req } = state;
  const updates = planThreadChanges({
    existing: snapshot.byFingerprint.values(),
    result,
    statusByPath: changes.statusByPath,
    capped: changes.capped,
    ignored: new Map([...ignored].map(([fingerprint, entry]) => [fingerprint, ignoreNote(entry)])),
    headSha: req.headSha,
  });
  const counts = { resolved: 0, reopened: 0, edited: 0 };
  if (updates.length === 0) return counts;

  const outcome = await applyThreadChanges(deps.octokit, updates, describeRequestError);
  for (const change of outcome.applied) {
    if (change.kind === "resolve") counts.resolved++;
    else if (change.kind === "unresolve") counts.reopened++;
    else counts.edited++;
  }
  if (outcome.failed.length > 0) {
    const what = outcome.failed[0]!.error;
    deps.log.error({ failed: outcome.failed.length, request: what }, "updating review threads failed");
    state.problems.push(`updating review threads: ${what}`);
    notes.push(
      `> [!NOTE]\n> ${outcome.failed.length} review-thread ${outcome.failed.length === 1 ? "update" : "updates"} (resolving fixed findings, reopening returned ones) failed (${escapeNote(what)}); the next run retries.`,
    );
  }
  return counts;
}

