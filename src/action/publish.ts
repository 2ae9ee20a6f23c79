/**
 * How the Action reports, the way the App does and with the App's code: with a token that can
 * write, one review with the new inline comments (never a fingerprint twice across pushes; the
 * App's `publishReview`), the thread lifecycle (fixed findings resolved, returning ones reopened;
 * the App's `planThreadChanges` and `publishThreadChanges`) and a `memlint` check run with the
 * summary and the annotations. With a read-only token (a pull request from a fork) — or when a
 * write is refused — it reports through annotations (GitHub shows 10 per step: the most severe)
 * and the job summary, which lists every finding and says why. (`/memlint` commands are the App's:
 * the Action reads no comment commands.)
 */
import type { Logger, ProbotOctokit } from "probot";
import { annotation } from "../cli/format/github.js";
import { toAnnotations } from "../comments/annotations.js";
import { compareFindings, placeFindings, type Placement } from "../comments/placement.js";
import { appendToSummary, renderCheckOutput, type CheckOutput } from "../comments/summary.js";
import type { Decision, EnvironmentChoice } from "../config/policy.js";
import type { MemlintConfig } from "../config/types.js";
import type { ChangedLines } from "../engine/diff.js";
import type { ReviewResult } from "../review/review.js";
import type { Finding } from "../engine/types.js";
import { CheckRun, formatHandle } from "../github/check-run.js";
import { describeRequestError } from "../github/errors.js";
import type { PullFile } from "../github/files.js";
import { publishReview, publishThreadChanges, type PublishDeps } from "../github/publish.js";
import { type AppIdentity, readReviewThreads } from "../github/threads.js";
import { reviewBody, reviewFailedNote, threadsFailedNote } from "../plan/messages.js";
import { inlineComment } from "../plan/plan.js";
import { planThreadChanges } from "../plan/threads.js";
import type { PullRequestEvent } from "./event.js";

/** GitHub shows at most this many annotations of a step (of each kind; memlint stays under it in all). */
export const ANNOTATIONS_PER_STEP = 10;

/** Who writes with a workflow's token: the GitHub Actions app, whose bot user is `github-actions[bot]`. */
export const ACTIONS_IDENTITY: AppIdentity = { id: 15368, slug: "github-actions" };

export interface PublishInput {
  octokit: ProbotOctokit;
  event: PullRequestEvent;
  result: ReviewResult;
  changedByPath: ReadonlyMap<string, ChangedLines>;
  statusByPath: Map<string, PullFile["status"]>;
  config: MemlintConfig;
  sources: Record<string, string>;
  choice: EnvironmentChoice;
  decision: Decision;
  comments: boolean;
  started: number;
  log: (line: string) => void;
}

export interface Report {
  /** The check run's output (also the job summary). */
  output: CheckOutput;
  /** Workflow commands to print: the annotations of a read-only report. */
  commands: string[];
  /** How the report reached the pull request. */
  mode: "pull request" | "read-only" | "superseded";
}

/** A write GitHub refused for lack of permission (a read-only token), not for a rate limit. */
function refused(err: unknown): boolean {
  const e = err as { status?: number; message?: string };
  return e?.status === 403 && !/rate limit/i.test(e.message ?? "");
}

/** The same, from publish.ts's description of a failed request (`POST /… → 403 (…)`). */
function refusedRequest(what: string): boolean {
  return /→ 403\b/.test(what) && !/rate limit|retry-after/i.test(what);
}

export async function publish(input: PublishInput): Promise<Report> {
  const { event } = input;
  if (event.fromFork) {
    return readOnly(
      input,
      "This pull request comes from a fork, and GitHub gives the workflow of a fork's pull request a read-only token, so memlint posts no review comments and no check run here.",
    );
  }
  const { octokit, result } = input;
  const ref = { owner: event.owner, repo: event.repo, pullNumber: event.number };
  const snapshot = await readReviewThreads(octokit, ref, ACTIONS_IDENTITY);
  if (snapshot.headSha && snapshot.headSha !== event.headSha) {
    return {
      mode: "superseded",
      commands: [],
      output: {
        title: `Superseded by ${snapshot.headSha.slice(0, 7)}`,
        summary: `Pull request #${event.number} moved on to \`${snapshot.headSha.slice(0, 7)}\` while memlint was analyzing \`${event.headSha.slice(0, 7)}\`, so nothing was published; the workflow run for the new head reports on it.`,
      },
    };
  }

  const notes: string[] = [];
  const fresh = result.introduced.filter((f) => !snapshot.byFingerprint.has(f.fingerprint));
  const commented = result.introduced.filter((f) => snapshot.byFingerprint.has(f.fingerprint));
  const placement = placeFindings(fresh, input.changedByPath, input.comments ? input.config.maxComments : 0, { minSeverity: input.config.comments.minSeverity });
  const deps: PublishDeps = {
    octokit,
    log: checkRunLog(input.log),
    botLogin: `${ACTIONS_IDENTITY.slug}[bot]`,
    verifyMs: 0,
    postedFingerprints: async () => new Set((await readReviewThreads(octokit, ref, ACTIONS_IDENTITY)).byFingerprint.keys()),
  };
  let posted: Finding[] = [];
  let unposted: Finding[] = [];
  const reviewError = await publishReview(deps, { ...ref, headSha: event.headSha }, { inlineComments: placement.inline.map(inlineComment), reviewBody: reviewBody(placement.inline.length, event.headSha) });
  if (reviewError && refusedRequest(reviewError)) {
    return readOnly(input, `GitHub refused the review (${reviewError}): the workflow's token cannot write pull requests (\`permissions: pull-requests: write\`).`);
  }
  if (reviewError) {
    unposted = placement.inline;
    notes.push(reviewFailedNote(placement.inline.length, reviewError));
  } else if (placement.inline.length > 0) {
    posted = placement.inline;
    input.log(`memlint: posted a review with ${placement.inline.length} inline ${placement.inline.length === 1 ? "comment" : "comments"}`);
  }

  const threadChanges = planThreadChanges(snapshot, result, { statusByPath: input.statusByPath, capped: false }, new Map(), event.headSha);
  const threads = await publishThreadChanges(deps, { threadChanges });
  if (threads.failures) notes.push(threadsFailedNote(threads.failures.count, threads.failures.error));

  const shown: Placement = { inline: [...posted, ...commented], annotations: [...unposted, ...placement.annotations], summaryOnly: placement.summaryOnly, demoted: placement.demoted, belowThreshold: placement.belowThreshold };
  const output = render(input, shown, notes);
  const check = new CheckRun(octokit, { owner: event.owner, repo: event.repo }, event.headSha, formatHandle(ref), checkRunLog(input.log));
  try {
    await check.complete({ conclusion: input.decision.conclusion, output, annotations: toAnnotations(shown.annotations) });
  } catch (err) {
    if (!refused(err)) throw err;
    return readOnly(
      input,
      `GitHub refused the check run (${describeRequestError(err)}): the workflow's token cannot write checks (\`permissions: checks: write\`).`,
      posted,
    );
  }
  return { mode: "pull request", commands: [], output };
}

/**
 * The report without writes: the most severe findings (not already posted inline) as annotations,
 * up to GitHub's limit for a step, and every finding in the summary, which says why.
 */
function readOnly(input: PublishInput, why: string, inline: Finding[] = []): Report {
  const posted = new Set(inline.map((f) => f.fingerprint));
  const listed = input.result.introduced.filter((f) => !posted.has(f.fingerprint)).sort(compareFindings);
  const annotated = listed.slice(0, ANNOTATIONS_PER_STEP);
  const placement: Placement = { inline, annotations: annotated, summaryOnly: listed.slice(ANNOTATIONS_PER_STEP), demoted: 0, belowThreshold: 0 };
  const rest = listed.length - annotated.length;
  const how =
    listed.length === 0
      ? "memlint reports in this summary."
      : `memlint reports in this summary and as annotations${rest > 0 ? `: the ${annotated.length} most severe findings (GitHub shows ${ANNOTATIONS_PER_STEP} annotations per step); the other ${rest} are in the table above` : ""}.`;
  input.log(`memlint: ${why.replace(/`/g, "")} ${how}`);
  return { mode: "read-only", commands: annotated.map((f) => annotation(f)), output: render(input, placement, [`> [!NOTE]\n> ${why} ${how}`]) };
}

function render(input: PublishInput, placement: Placement, notes: readonly string[]): CheckOutput {
  const output = renderCheckOutput({
    result: input.result,
    decision: input.decision,
    choice: input.choice,
    configSources: input.sources,
    placement,
    ignored: [],
    partial: [],
    durationMs: Date.now() - input.started,
    headSha: input.event.headSha,
    maxComments: input.config.maxComments,
    minSeverity: input.config.comments.minSeverity,
  });
  return { ...output, summary: appendToSummary(output.summary, notes) };
}

/** The check run's logger: its warnings and errors as lines of the step's log. */
function checkRunLog(log: (line: string) => void): Logger {
  const line = (level: string) => (obj: unknown, msg?: string) => log(`memlint: ${level}: ${typeof obj === "string" ? obj : (msg ?? "")}`);
  const logger = { warn: line("warning"), error: line("error"), info: () => {}, debug: () => {}, child: () => logger };
  // CheckRun logs through these methods only; the rest of pino's Logger is never called.
  return logger as unknown as Logger;
}
