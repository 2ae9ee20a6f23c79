/**
 * The repository's configuration for a run: `.github/memlint.yml` from the default branch
 * (Probot's `context.config`, which follows `_extends` and falls back to the organization's
 * `.github` repository), validated; a missing file means the defaults.
 */
import type { ProbotOctokit } from "probot";
import { parseDocument } from "yaml";
import { CONFIG_PATH, defaultConfig, formatProblems, parseConfigText, validateConfig } from "../config/load.js";
import { applyLocks, type LockRefusal } from "../config/locks.js";
import type { MemlintConfig } from "../config/types.js";
import { type ConfigFile, ConfigFileError, type ConfigFiles, deepMerge, parseExtends, readConfigFiles, readExtendedFile } from "./config.js";
import { GitHubStepError, step } from "./errors.js";

export type LoadedConfig =
  | { ok: true; config: MemlintConfig; sources: Record<string, string> }
  | { ok: false; message: string };

// ---------------------------------------------------------------------------------------------
// The App's configuration: default branch, organization fallback and locks

export type RepositoryConfig = LoadedConfig & {
  /** `go.mod` at the head commit, read in the same request (null: none; undefined: not asked). */
  goMod?: string | null;
  /** Settings the organization locked whose repository value was refused (see config/locks.ts). */
  refused?: LockRefusal[];
  /** Where the locks come from: `acme/.github:.github/memlint.yml`. */
  locksFrom?: string;
};

/** A YAML file as a plain object, or the problem with it. */
function parseYaml(file: ConfigFile): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const doc = parseDocument(file.text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0];
    const where = line ? `${file.source}:${line.line}:${line.col}` : file.source;
    return { ok: false, message: `${where}: invalid YAML: ${err.message.split("\n")[0]}` };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, message: `${file.source}: invalid YAML: ${(err as Error).message}` };
  }
  if (value === null || value === undefined) return { ok: true, value: {} };
  if (typeof value !== "object" || Array.isArray(value)) return { ok: false, message: `${file.source}: the configuration must be a mapping of settings` };
  return { ok: true, value: value as Record<string, unknown> };
}

/** What the summary calls a file: the repository's own is `.github/memlint.yml`. */
function label(file: ConfigFile, target: { owner: string; repo: string }): string {
  return file.owner.toLowerCase() === target.owner.toLowerCase() && file.repo.toLowerCase() === target.repo.toLowerCase() ? CONFIG_PATH : file.source;
}

/**
 * The configuration of a run, as GitHub has it (one GraphQL request, more only for `_extends`):
 * the repository's file on the default branch — falling back to the organization's — with
 * `_extends` followed and the organization's locks applied. A pull request that edits
 * `.github/memlint.yml` is judged by the default branch's version.
 */
export async function loadRepositoryConfiguration(
  octokit: ProbotOctokit,
  target: { owner: string; repo: string; headSha?: string },
): Promise<RepositoryConfig> {
  let files: ConfigFiles;
  try {
    files = await readConfigFiles(octokit, target);
  } catch (err) {
    if (err instanceof ConfigFileError) return { ok: false, message: err.message };
    throw new GitHubStepError(`reading ${CONFIG_PATH}`, err);
  }
  const goMod = files.goMod;
  const withGoMod = <T extends object>(r: T): T & { goMod?: string | null } => (goMod === undefined ? r : { ...r, goMod });

  // Probot's order: the repository's file, else the organization's; then the last one's `_extends`.
  const first = files.repository ?? files.organization;
  if (!first) return withGoMod({ ok: true, config: defaultConfig(), sources: {} });
  const chain: { file: ConfigFile; value: Record<string, unknown> }[] = [];
  let file: ConfigFile | null = first;
  const seen = new Set<string>();
  try {
    while (file) {
      const key = `${file.owner}/${file.repo}:${file.path}`.toLowerCase();
      if (seen.has(key)) return withGoMod({ ok: false, message: `${file.source}: \`_extends\` loops back to a file already read` });
      seen.add(key);
      const parsed = parseYaml(file);
      if (!parsed.ok) return withGoMod({ ok: false, message: parsed.message });
      const { _extends: ext, ...rest } = parsed.value;
      chain.push({ file, value: rest });
      if (ext === undefined || chain.length > 5) break;
      const at = parseExtends(ext, target.owner, file.source);
      file = await step(`reading ${at.owner}/${at.repo}:${at.path} (\`_extends\`)`, () => readExtendedFile(octokit, at));
    }
  } catch (err) {
    if (err instanceof ConfigFileError) return withGoMod({ ok: false, message: err.message });
    throw err;
  }
  let merged: unknown = {};
  for (const link of [...chain].reverse()) merged = deepMerge(merged, link.value);
  const source = label(first, target);
  const single = chain.length === 1 ? parseConfigText(first.text, source) : undefined;
  const result = single ?? validateConfig(merged, source);
  if (!result.ok) return withGoMod({ ok: false, message: formatProblems(result.problems) });
  const config = result.config;
  const sources = result.sources;
  // Settings an extended file set and the repository's did not: attribute them to that file.
  if (chain.length > 1) {
    const own = validateConfig(chain[0]!.value, source);
    if (own.ok) {
      for (const key of Object.keys(sources)) {
        if (key in own.sources) continue;
        const from = chain.slice(1).find((link) => {
          const r = validateConfig(link.value, link.file.source);
          return r.ok && key in r.sources;
        });
        if (from) sources[key] = label(from.file, target);
      }
    }
  }

  // The organization's locks bind a repository that has a file of its own.
  config.locked = [];
  const org = files.organization;
  if (!files.repository || !org) return withGoMod({ ok: true, config, sources });
  const orgParsed = parseYaml(org);
  const orgRaw = orgParsed.ok ? (({ _extends: _e, ...rest }) => rest)(orgParsed.value) : undefined;
  const orgResult = orgRaw ? validateConfig(orgRaw, org.source) : undefined;
  if (!orgResult?.ok) {
    // Locks that cannot be read cannot be honoured: fail closed.
    const why = !orgParsed.ok ? orgParsed.message : formatProblems(orgResult!.ok ? [] : orgResult!.problems);
    return withGoMod({ ok: false, message: `The organization's configuration, which may lock settings of this repository, is invalid:\n${why}` });
  }
  if (orgResult.config.locked.length === 0) return withGoMod({ ok: true, config, sources });
  const locks = applyLocks(orgResult.config, config, orgResult.config.locked);
  for (const refusal of locks.refused) sources[refusal.key] = `${org.source} (locked)`;
  locks.config.locked = orgResult.config.locked;
  return withGoMod({ ok: true, config: locks.config, sources, refused: locks.refused, locksFrom: org.source });
}
