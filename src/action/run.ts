/**
 * The GitHub Action (action.yml): `memlint review` of a pull request's head commit against its
 * merge base with the base branch — the same analysis as the CLI and the App — published the way
 * the App does (see publish.ts), with the workflow's token.
 *
 * The configuration is the base commit's `.github/memlint.yml` (so a pull request cannot weaken
 * the gate that judges it), or the file the `config` input names. The step fails when an
 * introduced finding reaches `fail-on`; the check run concludes by the configuration's
 * environment policy, as the App's does. Exit codes: 0, 1 (findings), 2 (bad input), 3 (bug).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { collectChange, packageLoaderFor } from "../cli/change.js";
import { analyzeInputs } from "../cli/analyze.js";
import type { Analysis } from "../cli/collect.js";
import { findRepoRoot, readBlobs } from "../cli/git.js";
import { CliError, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, type Output } from "../cli/io.js";
import { writeOutputs } from "../cli/write-outputs.js";
import { fails } from "../cli/report.js";
import { CONFIG_PATH, defaultConfig, formatProblems, parseConfigText } from "../config/load.js";
import { ConfigurationError, decide, selectEnvironment } from "../config/policy.js";
import type { MemlintConfig } from "../config/types.js";
import type { ChangedLines } from "../engine/diff.js";
import { memlintOctokit, tuningFromEnv } from "../github/octokit.js";
import { readPullRequest, type PullRequestEvent } from "./event.js";
import { ensureHistory } from "./history.js";
import { publish } from "./publish.js";
import { ActionError, appendSummary, errorCommand, readInputs, setOutputs, type Env } from "./workflow.js";

export async function runAction(env: Env, out: Output = process.stdout): Promise<number> {
  const log = (line: string) => void out.write(`${line}\n`);
  try {
    return await review(env, log, out);
  } catch (err) {
    if (err instanceof ActionError || err instanceof CliError) {
      errorCommand(out, `memlint: ${err.message}`);
      appendSummary(env, `### memlint\n\nmemlint could not review this pull request: ${err.message}`);
      return EXIT_USAGE;
    }
    const e = err as Error;
    errorCommand(out, `memlint: internal error: ${e?.message ?? String(err)}`);
    log(e?.stack ?? "");
    return EXIT_INTERNAL;
  }
}

async function review(env: Env, log: (line: string) => void, out: Output): Promise<number> {
  const started = Date.now();
  const inputs = readInputs(env);
  const event = readPullRequest(env);
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const root = await findRepoRoot(workspace);
  if (!root) throw new ActionError(`${workspace} is not a git checkout: run actions/checkout before memlint`);
  const mergeBase = await ensureHistory(root, event.baseSha, event.headSha, log);
  const { config, sources } = await loadConfiguration(root, event, inputs.config);

  let choice;
  try {
    choice = selectEnvironment(config, { baseBranch: event.baseRef, defaultBranch: event.defaultBranch }, env.MEMLINT_ENVIRONMENT);
  } catch (err) {
    if (err instanceof ConfigurationError) throw new ActionError(err.message);
    throw err;
  }
  if (event.draft && config.drafts === "skip") {
    log("memlint: a draft pull request, and the configuration says `drafts: skip`: not analyzed");
    appendSummary(env, "### memlint\n\nDraft pull request: not analyzed (`drafts: skip`).");
    setOutputs(env, { findings: 0, conclusion: "skipped" });
    return EXIT_OK;
  }

  log(`memlint: reviewing ${event.headSha.slice(0, 7)} of #${event.number} against ${mergeBase.slice(0, 7)}, its merge base with ${event.baseRef}`);
  const revision = { kind: "commit", sha: event.headSha } as const;
  const files = await collectChange(root, mergeBase, revision);
  const result = await analyzeInputs(root, files, config, packageLoaderFor(root, revision, new Set(files.map((f) => f.path))));
  const decision = decide(choice.environment, result.introduced, { draft: event.draft });

  if (inputs.sarif) {
    const analysis: Analysis = { command: "review", root, base: { ref: event.baseRef, mergeBase }, result, contents: new Map(files.flatMap((f) => (typeof f.head === "string" ? [[f.path, f.head] as const] : []))) };
    const options = { failOn: inputs.failOn, showPreexisting: false, verbose: false, color: false, cwd: root };
    mkdirSync(dirname(resolve(workspace, inputs.sarif)), { recursive: true });
    await writeOutputs({ analysis, options }, [{ format: "sarif", file: inputs.sarif }], { stdout: out, stderr: out, cwd: workspace, env }, workspace);
    log(`memlint: wrote ${inputs.sarif}`);
  }

  const Octokit = memlintOctokit({ ...tuningFromEnv(env), ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL.replace(/\/+$/, "") } : {}) });
  const report = await publish({
    octokit: new Octokit({ auth: { token: inputs.token } }),
    event,
    result,
    changedByPath: new Map(files.flatMap((f) => (f.changed ? [[f.path, f.changed] as [string, ChangedLines]] : []))),
    statusByPath: new Map(files.map((f) => [f.path, f.base === null || f.base === undefined ? ("added" as const) : ("modified" as const)])),
    config,
    sources,
    choice,
    decision,
    comments: inputs.comments,
    started,
    log,
  });
  for (const command of report.commands) log(command);
  appendSummary(env, `## memlint: ${report.output.title}\n\n${report.output.summary}`);
  const failed = fails(result.introduced, inputs.failOn);
  setOutputs(env, {
    findings: result.introduced.length,
    conclusion: report.mode === "superseded" ? "skipped" : decision.conclusion,
    ...(inputs.sarif ? { "sarif-file": resolve(workspace, inputs.sarif) } : {}),
  });
  log(`memlint: ${decision.title}${failed ? ` — failing the step (fail-on: ${inputs.failOn})` : ""}`);
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

/** The base commit's configuration, or the file the `config` input names; with where each setting came from. */
async function loadConfiguration(root: string, event: PullRequestEvent, file: string | undefined): Promise<{ config: MemlintConfig; sources: Record<string, string> }> {
  let text: string | null;
  let source: string;
  if (file !== undefined) {
    const path = resolve(root, file);
    if (!existsSync(path)) throw new ActionError(`the configuration file ${file} (input config) does not exist`);
    text = readFileSync(path, "utf8");
    source = file;
  } else {
    text = (await readBlobs(root, event.baseSha, [CONFIG_PATH])).get(CONFIG_PATH) ?? null;
    source = CONFIG_PATH;
  }
  if (text === null) return { config: defaultConfig(), sources: {} };
  const result = parseConfigText(text, source);
  if (!result.ok) throw new ActionError(`invalid configuration: ${formatProblems(result.problems)}`);
  return { config: result.config, sources: result.sources };
}
