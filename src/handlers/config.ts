/**
 * The repository's configuration for a run: `.github/memlint.yml` from the default branch
 * (Probot's `context.config`, which follows `_extends` and falls back to the organization's
 * `.github` repository), validated; a missing file means the defaults.
 */
import { CONFIG_PATH, defaultConfig, formatProblems, validateConfig } from "../config/load.js";
import type { MemlintConfig } from "../config/types.js";
import { GitHubStepError, statusOf } from "../github/errors.js";

export type LoadedConfig =
  | { ok: true; config: MemlintConfig; sources: Record<string, string> }
  | { ok: false; message: string };

/**
 * Reads and validates the configuration. A file that cannot be parsed or validated gives
 * `ok: false` with a message naming the key and the problem; a failed request throws a
 * {@link GitHubStepError}.
 */
export async function loadConfiguration(read: () => Promise<unknown>): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    raw = await read();
  } catch (err) {
    if (statusOf(err) !== undefined) throw new GitHubStepError(`reading ${CONFIG_PATH}`, err);
    // Probot's loader throws plain errors for YAML it cannot parse and bad `_extends` values.
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    const message = `${(err as Error).message}${cause ? `: ${cause}` : ""}`.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "");
    return { ok: false, message: formatProblems([{ source: CONFIG_PATH, key: "", message }]) };
  }
  if (raw === null || raw === undefined) return { ok: true, config: defaultConfig(), sources: {} };
  const result = validateConfig(raw, CONFIG_PATH);
  if (!result.ok) return { ok: false, message: formatProblems(result.problems) };
  return { ok: true, config: result.config, sources: result.sources };
}
