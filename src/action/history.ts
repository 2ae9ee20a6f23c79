/**
 * The history a review needs in the workspace: the pull request's head and base commits and
 * their merge base. actions/checkout fetches a single commit by default (the merge of the two);
 * what is missing is fetched from `origin` — GitHub serves a pull request's head commit from the
 * base repository, also for forks — deepening until the merge base is there.
 */
import { git, GitError, resolveCommit } from "../cli/git.js";
import { ActionError } from "./workflow.js";

/** Commits of history fetched per round, before all of it. */
const DEPTHS = [50, 400];

export async function ensureHistory(root: string, baseSha: string, headSha: string, log: (line: string) => void): Promise<string> {
  const found = await mergeBaseOf(root, baseSha, headSha);
  if (found) return found;
  for (const depth of DEPTHS) {
    log(`memlint: fetching ${depth} commits of history of ${baseSha.slice(0, 7)} and ${headSha.slice(0, 7)} to find their merge base`);
    await fetch(root, [`--depth=${depth}`, "origin", baseSha, headSha]);
    const base = await mergeBaseOf(root, baseSha, headSha);
    if (base) return base;
  }
  const shallow = (await git(["rev-parse", "--is-shallow-repository"], { cwd: root })).trim() === "true";
  if (shallow) {
    log("memlint: fetching the whole history");
    await fetch(root, ["--unshallow", "origin", baseSha, headSha]);
    const base = await mergeBaseOf(root, baseSha, headSha);
    if (base) return base;
  }
  throw new ActionError(`the pull request's base ${baseSha.slice(0, 7)} and head ${headSha.slice(0, 7)} have no common ancestor`);
}

async function mergeBaseOf(root: string, baseSha: string, headSha: string): Promise<string | undefined> {
  if (!(await resolveCommit(root, baseSha)) || !(await resolveCommit(root, headSha))) return undefined;
  try {
    return (await git(["merge-base", baseSha, headSha], { cwd: root })).trim() || undefined;
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

async function fetch(root: string, args: string[]): Promise<void> {
  try {
    await git(["fetch", "--no-tags", "--quiet", "--no-recurse-submodules", ...args], { cwd: root });
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    throw new ActionError(`could not fetch the pull request's commits from origin (${err.message}); check out the repository with actions/checkout before memlint`);
  }
}
