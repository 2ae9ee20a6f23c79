/**
 * The `memlint` check run of one head commit: created `in_progress` the moment an event arrives
 * and always completed — when completing with the full report fails, again with a short report
 * that says what failed, and when the run could not even be created, created completed.
 *
 * Annotations go 50 per request: the first batch with the completing update, the rest in
 * further updates (GitHub accumulates them).
 */
import type { Logger, ProbotOctokit } from "probot";
import { ANNOTATIONS_PER_REQUEST, type CheckAnnotation } from "../comments/annotations.js";
import { describeRequestError } from "./errors.js";

export const CHECK_NAME = "memlint";

/** GitHub's limit for `output.summary` and `output.text`. */
export const MAX_OUTPUT = 65_535;

export type CheckConclusion = "success" | "neutral" | "failure" | "action_required" | "skipped" | "cancelled";

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckAction {
  label: string;
  identifier: string;
  description: string;
}

export interface Completion {
  conclusion: CheckConclusion;
  output: CheckOutput;
  annotations?: readonly CheckAnnotation[];
  actions?: readonly CheckAction[];
}

export interface CompletionReport {
  /** Annotations GitHub accepted. */
  annotations: number;
  /** What went wrong on the way (already reported in the check run where possible). */
  problems: string[];
  /** Whether the full report was replaced by the short fallback. */
  fallback: boolean;
}

/** A handle memlint keeps in the check run (`external_id`): the pull request it belongs to. */
export interface PullHandle {
  owner: string;
  repo: string;
  pullNumber: number;
}

export function formatHandle(h: PullHandle): string {
  return `${h.owner}/${h.repo}#${h.pullNumber}`;
}

export function parseHandle(text: string | null | undefined): PullHandle | undefined {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})#([1-9][0-9]{0,9})$/.exec(text ?? "");
  if (!m) return undefined;
  return { owner: m[1]!, repo: m[2]!, pullNumber: Number(m[3]) };
}

/** Truncates a markdown text to GitHub's output limit, saying so at the end. */
export function fitOutput(text: string, max: number = MAX_OUTPUT): string {
  if (text.length <= max) return text;
  const note = "\n\n_(truncated: GitHub allows 65,535 characters)_";
  let cut = max - note.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut) + note;
}

/** Appends paragraphs to a summary within GitHub's limit (the notes are kept, the summary cut). */
export function appendToSummary(summary: string, notes: readonly string[]): string {
  if (notes.length === 0) return fitOutput(summary);
  const tail = `\n\n${notes.join("\n\n")}`;
  const room = MAX_OUTPUT - Math.min(tail.length, MAX_OUTPUT / 2);
  return fitOutput(fitOutput(summary, room) + tail);
}

function cleanOutput(output: CheckOutput): CheckOutput {
  return {
    title: output.title.length > 255 ? `${output.title.slice(0, 254)}…` : output.title,
    summary: fitOutput(output.summary),
    ...(output.text ? { text: fitOutput(output.text) } : {}),
  };
}

export class CheckRun {
  id: number | undefined;
  private completedOnce = false;

  constructor(
    private readonly octokit: ProbotOctokit,
    private readonly repo: { owner: string; repo: string },
    readonly headSha: string,
    private readonly externalId: string,
    private readonly log: Logger,
  ) {}

  /** A handle on a run that already exists (re-completed by the "Waive" button). */
  static existing(
    octokit: ProbotOctokit,
    repo: { owner: string; repo: string },
    id: number,
    headSha: string,
    externalId: string,
    log: Logger,
  ): CheckRun {
    const run = new CheckRun(octokit, repo, headSha, externalId, log);
    run.id = id;
    return run;
  }

  get completed(): boolean {
    return this.completedOnce;
  }

  /** Creates the run `in_progress`. A failure is logged, not thrown: {@link complete} then creates it completed. */
  async start(output: CheckOutput): Promise<boolean> {
    try {
      const { data } = await this.octokit.rest.checks.create({
        ...this.repo,
        name: CHECK_NAME,
        head_sha: this.headSha,
        status: "in_progress",
        started_at: new Date().toISOString(),
        external_id: this.externalId,
        output: cleanOutput(output),
      });
      this.id = data.id;
      return true;
    } catch (err) {
      this.log.error({ err, request: describeRequestError(err) }, "could not create the check run; it will be created when the run completes");
      return false;
    }
  }

  /**
   * Completes the run. When the full report is rejected, completes it with a short report that
   * keeps the conclusion and says what failed; throws only when GitHub accepts neither.
   */
  async complete(completion: Completion): Promise<CompletionReport> {
    const report: CompletionReport = { annotations: 0, problems: [], fallback: false };
    const output = cleanOutput(completion.output);
    const annotations = completion.annotations ?? [];
    const first = annotations.slice(0, ANNOTATIONS_PER_REQUEST);
    try {
      await this.write({
        status: "completed",
        conclusion: completion.conclusion,
        completed_at: new Date().toISOString(),
        output: { ...output, ...(first.length > 0 ? { annotations: [...first] } : {}) },
        ...(completion.actions && completion.actions.length > 0 ? { actions: [...completion.actions] } : {}),
      });
      this.completedOnce = true;
      report.annotations += first.length;
    } catch (err) {
      const problem = `completing the check run with the full report failed: ${describeRequestError(err)}`;
      report.problems.push(problem);
      report.fallback = true;
      this.log.error({ err, request: describeRequestError(err) }, "completing the check run failed; retrying with a short report");
      await this.completeShort(completion, output, problem);
      return report;
    }
    for (let start = ANNOTATIONS_PER_REQUEST; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) {
      const batch = annotations.slice(start, start + ANNOTATIONS_PER_REQUEST);
      try {
        await this.write({ output: { title: output.title, summary: output.summary, annotations: [...batch] } });
        report.annotations += batch.length;
      } catch (err) {
        const missing = annotations.length - start;
        const problem = `${missing} of ${annotations.length} annotations could not be attached: ${describeRequestError(err)}`;
        report.problems.push(problem);
        this.log.error({ err, request: describeRequestError(err) }, "attaching annotations failed");
        try {
          await this.write({ output: { title: output.title, summary: appendToSummary(output.summary, [`> ⚠️ ${problem}`]) } });
        } catch (err2) {
          this.log.error({ err: err2 }, "could not note the missing annotations in the check run");
        }
        break;
      }
    }
    return report;
  }

  private async completeShort(completion: Completion, output: CheckOutput, problem: string): Promise<void> {
    const short: CheckOutput = {
      title: output.title,
      summary: fitOutput(
        `> ⚠️ memlint could not upload its full report: ${problem}.\n\n` +
          `The conclusion (\`${completion.conclusion}\`) is that of the analysis; re-run the check to get the full report.\n\n` +
          output.summary.slice(0, 4000),
      ),
    };
    try {
      await this.write({ status: "completed", conclusion: completion.conclusion, completed_at: new Date().toISOString(), output: short });
      this.completedOnce = true;
    } catch (err) {
      this.log.error({ err, request: describeRequestError(err) }, "the short report was rejected too; the check run may stay in progress");
      throw err;
    }
  }

  /** Updates the run, or creates it (completed) when {@link start} could not. */
  private async write(params: Record<string, unknown>): Promise<void> {
    if (this.id === undefined) {
      const { data } = await this.octokit.rest.checks.create({
        ...this.repo,
        name: CHECK_NAME,
        head_sha: this.headSha,
        external_id: this.externalId,
        ...params,
      } as Parameters<ProbotOctokit["rest"]["checks"]["create"]>[0]);
      this.id = data.id;
      return;
    }
    await this.octokit.rest.checks.update({
      ...this.repo,
      check_run_id: this.id,
      ...params,
    } as Parameters<ProbotOctokit["rest"]["checks"]["update"]>[0]);
  }
}
