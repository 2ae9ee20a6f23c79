/**
 * The configuration files of a run, read from GitHub in one GraphQL request:
 *
 * - the repository's `.github/memlint.yml` on its **default branch** (`HEAD:`) — never the pull
 *   request's head, so a pull request cannot change the rules it is judged by;
 * - the organization's, in the `<owner>/.github` repository (the fallback when the repository
 *   has none, as with Probot's `context.config`, and the source of the organization's `locked`
 *   settings);
 * - `go.mod` at the head commit (the Go version gates some rules), so the contents queries that
 *   follow hold only the changed files (100 per query).
 *
 * `_extends` is followed as Probot does (`repo`, `owner/repo` or `owner/repo:path.yml`, one more
 * request per step, recursion refused), and the files are deep-merged the same way (the
 * repository's values win, lists are concatenated).
 */
import type { ProbotOctokit } from "probot";

export interface ConfigFile {
  /** Where it was read, for messages: `acme/payments:.github/memlint.yml`. */
  source: string;
  owner: string;
  repo: string;
  path: string;
  text: string;
}

export interface ConfigFiles {
  /** The repository's own file; null when it has none. */
  repository: ConfigFile | null;
  /** The organization's file (`<owner>/.github`); null when there is none (or this is that repository). */
  organization: ConfigFile | null;
  /** `go.mod` at the head commit: text, null when absent, undefined when not asked. */
  goMod?: string | null;
}

export const CONFIG_FILE = ".github/memlint.yml";

const BLOB = "__typename ... on Blob { text isBinary isTruncated byteSize }";

export const CONFIG_QUERY = `query memlintConfig($owner: String!, $repo: String!, $config: String!, $goMod: String!, $withGoMod: Boolean!, $withOrg: Boolean!) {
  repository(owner: $owner, name: $repo) {
    config: object(expression: $config) { ${BLOB} }
    goMod: object(expression: $goMod) @include(if: $withGoMod) { ${BLOB} }
  }
  org: repository(owner: $owner, name: ".github") @include(if: $withOrg) {
    config: object(expression: $config) { ${BLOB} }
  }
}`;

export const EXTENDS_QUERY = `query memlintConfigExtends($owner: String!, $repo: String!, $expression: String!) {
  repository(owner: $owner, name: $repo) {
    config: object(expression: $expression) { ${BLOB} }
  }
}`;

interface GraphqlBlob {
  __typename?: string;
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
}

interface GraphqlRepository {
  config?: GraphqlBlob | null;
  goMod?: GraphqlBlob | null;
}

type Data = Record<string, GraphqlRepository | null | undefined>;

/** A configuration file that exists but cannot be used. */
export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
}

/**
 * Runs a query whose repositories may not exist: GitHub answers those with `null` and a
 * NOT_FOUND error; any other error is thrown.
 */
async function queryAllowingMissing(octokit: ProbotOctokit, query: string, variables: Record<string, unknown>): Promise<Data> {
  try {
    return await octokit.graphql<Data>(query, variables);
  } catch (err) {
    const e = err as { errors?: { type?: string }[]; data?: Data | null };
    if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => x.type === "NOT_FOUND") && e.data) return e.data;
    throw err;
  }
}

function fileOf(blob: GraphqlBlob | null | undefined, owner: string, repo: string, path: string): ConfigFile | null {
  if (!blob || blob.__typename !== "Blob") return null;
  const source = `${owner}/${repo}:${path}`;
  if (blob.isBinary || typeof blob.text !== "string") throw new ConfigFileError(`${source} is not a text file`);
  if (blob.isTruncated) throw new ConfigFileError(`${source} is too large to read`);
  return { source, owner, repo, path, text: blob.text };
}

export async function readConfigFiles(
  octokit: ProbotOctokit,
  target: { owner: string; repo: string; headSha?: string },
): Promise<ConfigFiles> {
  const withOrg = target.repo.toLowerCase() !== ".github";
  const data = await queryAllowingMissing(octokit, CONFIG_QUERY, {
    owner: target.owner,
    repo: target.repo,
    config: `HEAD:${CONFIG_FILE}`,
    goMod: `${target.headSha ?? "HEAD"}:go.mod`,
    withGoMod: target.headSha !== undefined,
    withOrg,
  });
  const repository = data.repository;
  const goModBlob = repository?.goMod;
  const files: ConfigFiles = {
    repository: fileOf(repository?.config, target.owner, target.repo, CONFIG_FILE),
    organization: withOrg ? fileOf(data.org?.config, target.owner, ".github", CONFIG_FILE) : null,
  };
  if (target.headSha !== undefined) {
    files.goMod = goModBlob?.__typename === "Blob" && typeof goModBlob.text === "string" ? goModBlob.text : null;
  }
  return files;
}

/** Probot's `_extends` syntax: `repo`, `owner/repo`, optionally `:path.yml`. */
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

export function parseExtends(value: unknown, owner: string, from: string): { owner: string; repo: string; path: string } {
  if (typeof value !== "string") throw new ConfigFileError(`invalid \`_extends\` in ${from}: ${JSON.stringify(value)}`);
  const m = EXTENDS.exec(value);
  if (!m) throw new ConfigFileError(`invalid \`_extends\` in ${from}: "${value}"`);
  return { owner: m[1] || owner, repo: m[2]!, path: m[3] || CONFIG_FILE };
}

/** Reads one file an `_extends` names (on that repository's default branch). */
export async function readExtendedFile(octokit: ProbotOctokit, at: { owner: string; repo: string; path: string }): Promise<ConfigFile | null> {
  const data = await queryAllowingMissing(octokit, EXTENDS_QUERY, { owner: at.owner, repo: at.repo, expression: `HEAD:${at.path}` });
  return fileOf(data.repository?.config, at.owner, at.repo, at.path);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** deepmerge's semantics (Probot's): objects merged key by key, lists concatenated, `b` wins. */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return b;
}
