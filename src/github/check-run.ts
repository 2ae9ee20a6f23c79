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
import { appendToSummary, fitOutput } from "../comments/summary.js";
import { describeRequestError, gotNoAnswer, mayHaveLanded } from "./errors.js";

export const CHECK_NAME = "memlint";

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

/** A pull request a check run or suite lists (`base.repo` is missing from some payloads). */
export interface ListedPull {
  number: number;
  url?: string;
  base?: { repo?: { id: number } | null } | null;
}

/**
 * The pull request of a check run: memlint's handle in `external_id` (the only one for pull
 * requests from forks, whose runs list none), else the listed pull request of this repository.
 * A listed pull request without `base.repo` counts when its API URL is this repository's.
 */
export function pullOfCheck(
  externalId: string | null | undefined,
  listed: readonly ListedPull[] | null | undefined,
  repository: { id: number; name: string; owner: { login: string } },
): PullHandle | undefined {
  const owner = repository.owner.login;
  const repo = repository.name;
  const handle = parseHandle(externalId);
  if (handle && handle.owner.toLowerCase() === owner.toLowerCase() && handle.repo.toLowerCase() === repo.toLowerCase()) return { owner, repo, pullNumber: handle.pullNumber };
  const path = `/repos/${owner}/${repo}/pulls/`.toLowerCase();
  const pr = listed?.find((p) => (p.base?.repo ? p.base.repo.id === repository.id : (p.url ?? "").toLowerCase().includes(path)));
  return pr ? { owner, repo, pullNumber: pr.number } : undefined;
}

/** The pull request of memlint's earlier run in a check suite (fork pull requests list none on the suite). */
export async function pullOfSuite(octokit: ProbotOctokit, repository: { id: number; name: string; owner: { login: string } }, suiteId: number): Promise<PullHandle | undefined> {
  const { data } = await octokit.rest.checks.listForSuite({ owner: repository.owner.login, repo: repository.name, check_suite_id: suiteId, check_name: CHECK_NAME, per_page: 1 });
  const previous = data.check_runs[0];
  return previous ? pullOfCheck(previous.external_id, previous.pull_requests, repository) : undefined;
}

/**
 * The open pull request whose head is `headSha` (`GET /repos/{o}/{r}/commits/{sha}/pulls`): the
 * last way to find the pull request of a re-run when neither the payload nor a memlint run names it.
 */
export async function pullOfCommit(octokit: ProbotOctokit, repository: { name: string; owner: { login: string } }, headSha: string): Promise<PullHandle | undefined> {
  const owner = repository.owner.login;
  const repo = repository.name;
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: headSha, per_page: 100 });
  const pr = data.find((p) => p.state === "open" && p.head.sha === headSha);
  return pr ? { owner, repo, pullNumber: pr.number } : undefined;
}

/** Adds a note to a check run's summary, leaving its conclusion as it is (a refused waiver). */
export async function noteOnCheckRun(octokit: ProbotOctokit, repo: { owner: string; repo: string }, run: { id: number; output?: { title?: string | null; summary?: string | null } | null }, note: string): Promise<void> {
  const title = run.output?.title ?? CHECK_NAME;
  await octokit.rest.checks.update({ ...repo, check_run_id: run.id, output: { title, summary: appendToSummary(run.output?.summary ?? "", [note]) } });
}

/**
 * The newest `memlint` check run this App made for a commit (what a comment command re-completes),
 * or undefined when there is none. One request.
 */
export async function findLatestCheckRun(
  octokit: ProbotOctokit,
  repo: { owner: string; repo: string },
  headSha: string,
  appId: number,
): Promise<{ id: number; status: string } | undefined> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: headSha,
    check_name: CHECK_NAME,
    filter: "latest",
    app_id: appId,
    per_page: 1,
  });
  const run = data.check_runs.find((r) => r.name === CHECK_NAME && (r.app?.id === undefined || r.app.id === appId) && r.head_sha === headSha);
  return run ? { id: run.id, status: run.status } : undefined;
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
    run.existingRun = true;
    return run;
  }

  get completed(): boolean {
    return this.completedOnce;
  }

  /** When a create request got no answer (it may still be applied, making another run). */
  private uncertainSince: number | undefined;

  /** A create request of this run got no answer and its run never appeared: it may appear later. */
  get uncertain(): boolean {
    return this.uncertainSince !== undefined;
  }

  /**
   * Creates the run `in_progress`. A failure is logged, not thrown: {@link complete} then creates
   * it completed. Creating is not idempotent, so Octokit does not retry it: when a try failed in a
   * way that may have landed (a 5xx, no answer), memlint looks for the run on GitHub first and
   * creates it again only when it is not there.
   */
  async start(output: CheckOutput): Promise<boolean> {
    const params = {
      ...this.repo,
      name: CHECK_NAME,
      head_sha: this.headSha,
      status: "in_progress" as const,
      started_at: new Date().toISOString(),
      external_id: this.externalId,
      output: cleanOutput(output),
    };
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const { data } = await this.octokit.rest.checks.create({ ...params, request: { retries: 0 } });
        this.adopt(data.id);
        return true;
      } catch (err) {
        const landed = mayHaveLanded(err) ? await this.findOwn(Date.parse(params.started_at)) : null;
        if (landed) {
          this.log.warn({ request: describeRequestError(err), checkRunId: landed }, "creating the check run failed, but it was created; using it");
          this.adopt(landed);
          return true;
        }
        if (gotNoAnswer(err)) {
          // GitHub may still apply the request: the completion looks for that run again before
          // it creates one, and whatever run it makes later is completed too (see `uncertain`).
          this.uncertainSince ??= Date.parse(params.started_at);
          this.log.warn({ request: describeRequestError(err) }, "creating the check run got no answer; the completion adopts or creates it");
          return false;
        }
        if (attempt === 2 || landed === undefined) {
          this.log.error({ err, request: describeRequestError(err) }, "could not create the check run; it will be created when the run completes");
          return false;
        }
      }
    }
    return false;
  }

  /** Check runs this process created or adopted (never adopted twice). */
  private static readonly own = new Set<number>();

  private adopt(id: number): void {
    this.id = id;
    CheckRun.own.add(id);
    if (CheckRun.own.size > 10_000) CheckRun.own.delete(CheckRun.own.values().next().value!);
  }

  /**
   * A memlint run for this commit and pull request that GitHub has although the request that
   * created it failed: created since `since` (less a minute of clock skew) and not adopted by
   * anyone in this process. `null`: none; undefined: GitHub could not be asked.
   */
  private async findOwn(since: number): Promise<number | null | undefined> {
    try {
      const { data } = await this.octokit.rest.checks.listForRef({
        ...this.repo,
        ref: this.headSha,
        check_name: CHECK_NAME,
        filter: "all",
        per_page: 100,
      });
      const candidates = data.check_runs
        .filter((r) => r.external_id === this.externalId && r.head_sha === this.headSha && !CheckRun.own.has(r.id))
        .filter((r) => !r.started_at || Date.parse(r.started_at) >= since - 60_000)
        .sort((a, b) => b.id - a.id);
      return candidates[0]?.id ?? null;
    } catch (err) {
      this.log.warn({ err, request: describeRequestError(err) }, "could not list the commit's check runs");
      return undefined;
    }
  }

  /** The run's status and annotation count on GitHub, or undefined when it cannot be read. */
  private async read(): Promise<{ status: string; annotations: number } | undefined> {
    if (this.id === undefined) return undefined;
    try {
      const { data } = await this.octokit.rest.checks.get({ ...this.repo, check_run_id: this.id });
      return { status: data.status, annotations: data.output?.annotations_count ?? 0 };
    } catch (err) {
      this.log.warn({ err, request: describeRequestError(err) }, "could not read the check run back");
      return undefined;
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
      }, first.length);
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
        await this.write({ output: { title: output.title, summary: output.summary, annotations: [...batch] } }, batch.length);
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

  /** Annotations on the run as far as this process knows (undefined for runs it did not create). */
  private knownAnnotations: number | undefined;

  /**
   * Updates the run, or creates it (completed) when {@link start} could not. An update that adds
   * annotations is not idempotent (GitHub appends them), so Octokit does not retry it: after a
   * failure that may have landed, the run is read back, and the update is sent again only when
   * its annotations are not there. Creating is checked the same way (see {@link start}).
   */
  private async write(params: Record<string, unknown>, annotations = 0): Promise<void> {
    if (this.id === undefined && this.uncertainSince !== undefined) {
      // The run a create request without an answer made, if it has appeared by now: complete it.
      const late = await this.findOwn(this.uncertainSince);
      if (late) {
        this.log.warn({ checkRunId: late }, "the check run whose creation got no answer exists; completing it");
        this.adopt(late);
        this.uncertainSince = undefined;
        this.knownAnnotations = 0;
      }
    }
    if (this.id === undefined) {
      const since = Date.now();
      try {
        const { data } = await this.octokit.rest.checks.create({
          ...this.repo,
          name: CHECK_NAME,
          head_sha: this.headSha,
          external_id: this.externalId,
          ...params,
          request: { retries: 0 },
        } as Parameters<ProbotOctokit["rest"]["checks"]["create"]>[0]);
        this.adopt(data.id);
      } catch (err) {
        const found = mayHaveLanded(err) ? await this.findOwn(since) : null;
        if (!found) throw err;
        this.log.warn({ request: describeRequestError(err), checkRunId: found }, "creating the completed check run failed, but it was created");
        this.adopt(found);
      }
      this.knownAnnotations = annotations;
      return;
    }
    if (this.knownAnnotations === undefined && this.createdHere) this.knownAnnotations = 0;
    const update = (retries?: number) =>
      this.octokit.rest.checks.update({
        ...this.repo,
        check_run_id: this.id!,
        ...params,
        ...(retries !== undefined ? { request: { retries } } : {}),
      } as Parameters<ProbotOctokit["rest"]["checks"]["update"]>[0]);
    if (annotations === 0) {
      await update();
      return;
    }
    try {
      await update(0);
    } catch (err) {
      if (!mayHaveLanded(err) || this.knownAnnotations === undefined) throw err;
      const now = await this.read();
      if (!now) throw err;
      const landed = now.annotations >= this.knownAnnotations + annotations && (params.status !== "completed" || now.status === "completed");
      if (landed) this.log.warn({ request: describeRequestError(err) }, "updating the check run failed, but the update landed");
      else await update(0);
    }
    if (this.knownAnnotations !== undefined) this.knownAnnotations += annotations;
  }

  /** Whether this object created the run (its annotation count starts at zero). */
  private get createdHere(): boolean {
    return this.id !== undefined && CheckRun.own.has(this.id) && !this.existingRun;
  }

  private existingRun = false;
}

/** The completion of a run that was cut off (a crash, a restart, a stop during the run). */
export function interruptedCompletion(conclusion: CheckConclusion, headSha: string, why: string, environment?: string): Completion {
  const blocks = conclusion === "failure" || conclusion === "action_required";
  return {
    conclusion,
    output: {
      title: "Interrupted — press Re-run",
      summary:
        `memlint was interrupted (${why}) before it finished analyzing \`${headSha.slice(0, 7)}\`, so it has no verdict on this commit.\n\n` +
        (blocks
          ? `Because nothing was analyzed, the check fails closed${environment ? ` in \`${environment}\`` : ""}: it does not let the pull request pass unreviewed.\n\n`
          : `Nothing blocks in \`${environment ?? "this environment"}\`, so the check is neutral.\n\n`) +
        "To analyze the commit again, press **Re-run** on this check, or comment `/memlint recheck` on the pull request.",
    },
  };
}

/** What {@link settleCommit} did. */
export interface Settled {
  /** In-progress runs it completed. */
  completed: number[];
  /** The run it created completed (none of the commit's runs existed). */
  created?: number;
}

/**
 * Makes every `memlint` run this App made for a pull request's commit end completed: lists the
 * commit's runs — not only the ones memlint knows of, since a create request that got no answer
 * may have made one — and completes those in progress that no run is working on (`live`) with
 * `completion`. With `create`, a commit without any such run gets one, completed.
 */
export async function settleCommit(
  octokit: ProbotOctokit,
  commit: { owner: string; repo: string; pullNumber: number; headSha: string },
  appId: number,
  completion: Completion,
  live: ReadonlySet<number>,
  options: { create: boolean },
): Promise<Settled> {
  const repo = { owner: commit.owner, repo: commit.repo };
  const externalId = formatHandle(commit);
  const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: commit.headSha, check_name: CHECK_NAME, filter: "all", per_page: 100 });
  const runs = data.check_runs.filter((r) => r.name === CHECK_NAME && r.head_sha === commit.headSha && r.external_id === externalId && (r.app?.id === undefined || r.app.id === appId));
  const settled: Settled = { completed: [] };
  const output = cleanOutput(completion.output);
  const annotations = (completion.annotations ?? []).slice(0, ANNOTATIONS_PER_REQUEST);
  const body = {
    status: "completed" as const,
    conclusion: completion.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...output, ...(annotations.length > 0 ? { annotations: [...annotations] } : {}) },
    ...(completion.actions && completion.actions.length > 0 ? { actions: [...completion.actions] } : {}),
  };
  for (const run of runs) {
    if (run.status === "completed" || live.has(run.id)) continue;
    await octokit.rest.checks.update({ ...repo, check_run_id: run.id, ...body });
    settled.completed.push(run.id);
  }
  if (options.create && runs.length === 0) {
    const { data: created } = await octokit.rest.checks.create({ ...repo, name: CHECK_NAME, head_sha: commit.headSha, external_id: externalId, ...body, request: { retries: 0 } });
    settled.created = created.id;
  }
  return settled;
}
