/**
 * What a JavaScript action exchanges with the workflow runner: its inputs (`INPUT_<NAME>`), its
 * outputs (`GITHUB_OUTPUT`), the job summary (`GITHUB_STEP_SUMMARY`) and workflow commands on
 * standard output (annotations, `::error::`).
 */
import { appendFileSync } from "node:fs";
import { workflowCommand } from "../cli/format/github.js";
import type { Output } from "../cli/io.js";
import { FAIL_ON, type FailOn } from "../cli/report.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** Bad input to the action (an input value, the event, the configuration): exit code 2. */
export class ActionError extends Error {}

/** An input as the runner passes it: `INPUT_` and the name upper-cased, spaces as `_`; trimmed. */
export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

export interface ActionInputs {
  failOn: FailOn;
  /** A configuration file in the workspace; undefined: `.github/memlint.yml` of the base commit. */
  config?: string;
  /** Post inline review comments (otherwise findings are annotations and summary rows). */
  comments: boolean;
  /** Where to write a SARIF log, relative to the workspace. */
  sarif?: string;
  token: string;
}

export function readInputs(env: Env): ActionInputs {
  const failOn = input(env, "fail-on") || "error";
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new ActionError(`input fail-on must be one of ${FAIL_ON.join(", ")} (got "${failOn}")`);
  const comments = input(env, "comments") || "true";
  if (comments !== "true" && comments !== "false") throw new ActionError(`input comments must be true or false (got "${comments}")`);
  const token = input(env, "token") || env.GITHUB_TOKEN?.trim() || "";
  if (!token) throw new ActionError("no token: pass `token: ${{ github.token }}` (the default) or set GITHUB_TOKEN");
  const config = input(env, "config");
  const sarif = input(env, "sarif");
  return { failOn: failOn as FailOn, comments: comments === "true", token, ...(config ? { config } : {}), ...(sarif ? { sarif } : {}) };
}

/** Appends outputs of the step to `GITHUB_OUTPUT` (single-line values). */
export function setOutputs(env: Env, outputs: Record<string, string | number>): void {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${String(v).replace(/[\r\n]+/g, " ")}\n`).join(""));
}

/** Appends markdown to the job summary. GitHub shows at most 1 MiB per step; memlint's summary stays far below. */
export function appendSummary(env: Env, markdown: string): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}

/** An error annotation without a file: how a failed step says why. */
export function errorCommand(out: Output, message: string): void {
  out.write(`${workflowCommand("error", { title: "memlint" }, message)}\n`);
}
