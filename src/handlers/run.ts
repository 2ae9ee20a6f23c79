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
 */
import type { Logger, ProbotOctokit } from "probot";
import { toAnnotations } from "../comments/annotations.js";
import { placeFindings, type Placement } from "../comments/placement.js";
import { commentRange, renderFixedNote, renderReviewComment } from "../comments/review-comment.js";
import { type IgnoredFinding, renderCheckOutput, renderErrorOutput } from "../comments/summary.js";
import {
  ConfigurationError,
  decide,
  type EnvironmentChoice,
  internalErrorConclusion,
  offersWaiveButton,
  selectEnvironment,
  WAIVE_ACTION,
} from "../config/policy.js";
import type { EnvironmentPolicy } from "../config/types.js";
import { type ReviewResult, reviewChange } from "../engine/review.js";
import type { Finding } from "../engine/types.js";
import { type ChangeSet, collectChangeSet } from "../github/change-set.js";
import { appendToSummary, type CheckConclusion, CheckRun, type Completion, formatHandle } from "../github/check-run.js";
import { describeRequestError, GitHubStepError, step } from "../github/errors.js";
import type { IdentityLoader } from "../github/identity.js";
import { applyThreadChanges, type ExistingComment, readReviewThreads, type ThreadChange, type ThreadSnapshot } from "../github/threads.js";
import { countRequests, emptyStats, type RunStats } from "../log.js";
import { type LoadedConfig, loadConfiguration } from "./config.js";

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
  /** Waive every blocking finding on behalf of this approver. */
  waiver?: { by: string; at: string };
  /** The configuration, when the caller already loaded it. */
  config?: LoadedConfig;
}

export interface RunDeps {
  octokit: ProbotOctokit;
  log: Logger;
  identity: IdentityLoader;
  /** `context.config("memlint.yml")`. */
  readConfig: () => Promise<unknown>;
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
  const state: RunState = { deps, req, stats: emptyStats(), started: now(), problems: [] };
  const requests = countRequests(deps.octokit);
  const repo = { owner: req.owner, repo: req.repo };
  const handle = formatHandle({ owner: req.owner, repo: req.repo, pullNumber: req.pullNumber });
  const check =
    req.existingCheckRunId !== undefined
      ? CheckRun.existing(deps.octokit, repo, req.existingCheckRunId, req.headSha, handle, deps.log)
      : new CheckRun(deps.octokit, repo, req.headSha, handle, deps.log);
  if (req.existingCheckRunId === undefined) {
    await check.start({ title: "Analyzing…", summary: `memlint is analyzing ${sha7(req.headSha)} of pull request #${req.pullNumber}.` });
  }

  let completion: Completion | undefined;
  let failed = false;
  try {
    completion = await execute(state);
  } catch (err) {
    failed = true;
    completion = failure(state, err);
  } finally {
    completion ??= failure(state, new Error("the run ended without a result"));
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

  const loaded = req.config ?? (await loadConfiguration(deps.readConfig));
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

  if (target.draft && config.drafts === "skip") {
    return {
      conclusion: "skipped",
      output: {
        title: "Draft pull request: not analyzed",
        summary: "This repository's configuration says `drafts: skip`. memlint analyzes the pull request when it is marked ready for review.",
      },
    };
  }

  const changes = await collectChangeSet(deps.octokit, target, config);
  stats.files = changes.listed;
  stats.goFiles = changes.goFiles;
  stats.partial = changes.partial.length > 0;
  if (changes.goFiles === 0 && changes.partial.length === 0) {
    return {
      conclusion: "success",
      output: {
        title: "No Go files changed",
        summary: `Pull request #${target.pullNumber} changes no Go files at \`${sha7(target.headSha)}\` (${changes.listed} ${changes.listed === 1 ? "file" : "files"} listed), so there is nothing for memlint to analyze.`,
      },
    };
  }

  const result = reviewChange(changes.files, config, changes.goVersion);
  result.skipped.unshift(...changes.skipped);
  stats.analyzedFiles = result.files.length;
  stats.findings = result.introduced.length;
  stats.preexisting = result.preexisting.length;

  // Ignores arrive with the comment commands; the "Waive" button waives what blocks now.
  let ignored: IgnoredFinding[] = [];
  let decision = decide(choice.environment, result.introduced, { draft: target.draft });
  if (req.waiver && decision.blocking.length > 0) {
    const waived = new Set(decision.blocking.map((f) => f.fingerprint));
    ignored = decision.blocking.map((finding) => ({
      finding,
      by: req.waiver!.by,
      at: req.waiver!.at,
      category: "waiver",
      reason: `waived for ${choice.environment.name} with the check run's “Waive” button`,
      via: "waive-button" as const,
    }));
    decision = decide(
      choice.environment,
      result.introduced.filter((f) => !waived.has(f.fingerprint)),
      { draft: target.draft },
    );
  }
  stats.blocking = decision.blocking.length;
  const ignoredPrints = new Set(ignored.map((i) => i.finding.fingerprint));
  const active = result.introduced.filter((f) => !ignoredPrints.has(f.fingerprint));

  // Publishing. One GraphQL request gives the threads memlint already wrote and the current head.
  const identity = await step("reading the App's identity (GET /app)", () => deps.identity());
  const ref = { owner: target.owner, repo: target.repo, pullNumber: target.pullNumber };
  const snapshot = await step("reading the pull request's review threads", () => readReviewThreads(deps.octokit, ref, identity));
  if (snapshot.headSha && snapshot.headSha !== target.headSha) return superseded(state, snapshot.headSha);

  const notes: string[] = [];
  const fresh = active.filter((f) => !snapshot.byFingerprint.has(f.fingerprint));
  const commented = active.filter((f) => snapshot.byFingerprint.has(f.fingerprint));
  const placement = placeFindings(fresh, changes.changedByPath, config.maxComments);

  let posted: Finding[] = [];
  let unposted: Finding[] = [];
  if (placement.inline.length > 0) {
    try {
      await postReview(deps.octokit, target, placement.inline);
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

  const lifecycle = await updateThreads(state, snapshot, result, changes, notes);
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
  return {
    conclusion: decision.conclusion,
    output,
    annotations: toAnnotations(summaryPlacement.annotations),
    ...(offersWaiveButton(choice.environment, decision) ? { actions: [{ ...WAIVE_ACTION }] } : {}),
  };
}

/** Request text in a blockquote: no line breaks, no markdown surprises. */
function escapeNote(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[<>`*_[\]]/g, (c) => `\\${c}`);
}

async function postReview(octokit: ProbotOctokit, target: PullTarget, findings: readonly Finding[]): Promise<void> {
  const comments = findings.map((f) => {
    const range = commentRange(f);
    return {
      path: f.path,
      body: renderReviewComment(f),
      line: range.line,
      side: "RIGHT" as const,
      ...(range.start_line !== undefined ? { start_line: range.start_line, start_side: "RIGHT" as const } : {}),
    };
  });
  const n = comments.length;
  await octokit.rest.pulls.createReview({
    owner: target.owner,
    repo: target.repo,
    pull_number: target.pullNumber,
    commit_id: target.headSha,
    event: "COMMENT",
    body: `memlint found ${n} new memory-management ${n === 1 ? "issue" : "issues"} in \`${sha7(target.headSha)}\`. The \`memlint\` check run has the full report.`,
    comments,
  });
}

/**
 * Thread lifecycle. A finding memlint commented on that is gone from a file analyzed in full (or
 * from a pull request whose file list no longer has the file) was fixed: the comment says so and
 * the thread is resolved — unless people replied in it, then it stays open for them. A finding
 * that comes back after being marked fixed gets its comment restored and its thread reopened.
 * Findings suppressed in code get their thread resolved without the "fixed" note. Threads
 * people resolved themselves are left alone.
 */
async function updateThreads(
  state: RunState,
  snapshot: ThreadSnapshot,
  result: ReviewResult,
  changes: ChangeSet,
  notes: string[],
): Promise<{ resolved: number; reopened: number; edited: number }> {
  const { deps, req } = state;
  const present = new Map<string, Finding>();
  for (const f of [...result.introduced, ...result.preexisting]) present.set(f.fingerprint, f);
  const suppressed = new Set(result.suppressed.map((s) => s.finding.fingerprint));
  // Files whose findings are known completely: analyzed without a skipped declaration.
  const withNotes = new Set(result.notes.map((n) => n.path));
  const complete = new Set(result.files.map((f) => f.path).filter((p) => !withNotes.has(p)));
  const updates: ThreadChange[] = [];
  const counts = { resolved: 0, reopened: 0, edited: 0 };
  const isFixedNote = (c: ExistingComment) => renderFixedNote(c.body) === c.body;
  for (const c of snapshot.byFingerprint.values()) {
    const finding = present.get(c.fingerprint);
    if (finding) {
      if (!isFixedNote(c)) continue;
      // It came back: restore the comment (without a suggestion, which would apply to the lines
      // the comment was first posted on) and reopen the thread if memlint had resolved it.
      const { suggestion: _s, ...plain } = finding;
      updates.push({ kind: "edit", commentNodeId: c.commentNodeId, body: renderReviewComment(plain), fingerprint: c.fingerprint });
      if (c.isResolved) updates.push({ kind: "unresolve", threadId: c.threadId, fingerprint: c.fingerprint });
      continue;
    }
    // Known to be gone: the file was analyzed in full, deleted, or is no longer part of the pull request.
    const status = changes.statusByPath.get(c.path);
    const known = complete.has(c.path) || status === "removed" || (status === undefined && !changes.capped);
    if (!known) continue;
    if (suppressed.has(c.fingerprint)) {
      if (!c.isResolved && !c.humanReplied) updates.push({ kind: "resolve", threadId: c.threadId, fingerprint: c.fingerprint });
      continue;
    }
    // (A note already there with the thread still open: an earlier resolve failed, retry it.)
    if (!isFixedNote(c)) updates.push({ kind: "edit", commentNodeId: c.commentNodeId, body: renderFixedNote(c.body, req.headSha), fingerprint: c.fingerprint });
    if (!c.isResolved && !c.humanReplied) updates.push({ kind: "resolve", threadId: c.threadId, fingerprint: c.fingerprint });
  }
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

