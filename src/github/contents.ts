/**
 * File contents at given commits, many per request: one GraphQL query with an alias per
 * `repository.object(expression: "<sha>:<path>")`. Expressions travel as variables, so paths
 * need no escaping. A pull request's head commit is readable from the base repository (also for
 * forks), so everything is read from there.
 *
 * The same query can also read whole directories (`"<sha>:<dir>"` as a Tree, with the text of
 * each file in it): the other files of the packages a pull request touches, at no extra request.
 * GitHub cannot filter a tree's entries or cap their size, so a directory with much content can
 * make the query fail ("Something went wrong while executing your query", a time-out, a 502);
 * the files are then read once more without the directories, and the directories' failure is
 * reported instead of the run's.
 */
import type { ProbotOctokit } from "probot";
import { describeRequestError, statusOf } from "./errors.js";

export interface BlobRequest {
  /** The caller's key for the answer. */
  key: string;
  sha: string;
  path: string;
}

export type BlobResult =
  | { kind: "text"; text: string; byteSize: number }
  | { kind: "binary"; byteSize: number }
  /** GitHub returned only part of the text (very large file). */
  | { kind: "truncated"; byteSize: number }
  /** No such file at that commit, or not a file (a directory or submodule). */
  | { kind: "missing" };

/** A directory at a commit: its entries, with the contents of the files in it. */
export interface TreeRequest {
  /** The caller's key for the answer. */
  key: string;
  sha: string;
  /** The directory, `""` for the repository's root. */
  dir: string;
}

export interface TreeEntry {
  name: string;
  /** `blob`, `tree` (a subdirectory) or `commit` (a submodule). */
  type: string;
  /** The contents, for a file. */
  blob?: BlobResult;
}

export type TreeResult = { kind: "tree"; entries: TreeEntry[] } | { kind: "missing" };

export interface ContentsResult {
  blobs: Map<string, BlobResult>;
  trees: Map<string, TreeResult>;
  /** Why the directories could not be read (the files were read without them). */
  treeError?: string;
}

/** Objects per query: e.g. 50 files in two versions, or 100 head versions. */
export const BLOBS_PER_QUERY = 100;

interface GraphqlBlob {
  __typename?: string;
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  byteSize?: number;
}

interface GraphqlTree {
  __typename: string;
  entries?: { name: string; type: string; object?: GraphqlBlob | null }[] | null;
}

const BLOB_FIELDS = "... on Blob { byteSize isBinary isTruncated text }";

/** The contents query: `f<i>` aliases for files (`$e<i>`), `d<i>` aliases for directories (`$t<i>`). */
export function contentsQuery(blobs: number, trees = 0): string {
  const vars = [
    ...Array.from({ length: blobs }, (_, i) => `$e${i}: String!`),
    ...Array.from({ length: trees }, (_, i) => `$t${i}: String!`),
  ].join(", ");
  const fields = [
    ...Array.from({ length: blobs }, (_, i) => `    f${i}: object(expression: $e${i}) { __typename ${BLOB_FIELDS} }`),
    ...Array.from(
      { length: trees },
      (_, i) => `    d${i}: object(expression: $t${i}) { __typename ... on Tree { entries { name type object { __typename ${BLOB_FIELDS} } } } }`,
    ),
  ].join("\n");
  return `query memlintContents($owner: String!, $repo: String!, ${vars}) {\n  repository(owner: $owner, name: $repo) {\n${fields}\n  }\n}`;
}

export function blobQuery(count: number): string {
  return contentsQuery(count, 0);
}

function toResult(blob: GraphqlBlob | null | undefined): BlobResult {
  if (!blob || blob.__typename !== "Blob") return { kind: "missing" };
  const byteSize = blob.byteSize ?? 0;
  if (blob.isBinary) return { kind: "binary", byteSize };
  if (blob.isTruncated) return { kind: "truncated", byteSize };
  if (typeof blob.text !== "string") return { kind: "binary", byteSize };
  return { kind: "text", text: blob.text, byteSize };
}

function toTree(tree: GraphqlTree | null | undefined): TreeResult {
  if (!tree || tree.__typename !== "Tree" || !Array.isArray(tree.entries)) return { kind: "missing" };
  return {
    kind: "tree",
    entries: tree.entries.map((e) => ({ name: e.name, type: e.type, ...(e.type === "blob" ? { blob: toResult(e.object) } : {}) })),
  };
}

/** The expression of a directory: `<sha>:` is the root tree. */
const treeExpression = (t: TreeRequest) => `${t.sha}:${t.dir}`;

/**
 * Fetches the requested blobs in as few queries as possible (sequentially, to spare rate limits),
 * and the requested directories in the last of those queries. When that query fails for a reason
 * the directories may have caused (no answer, a server error, a GraphQL error), it is sent again
 * without them and `treeError` says why they are missing; client errors (401, 403, 404) fail.
 */
export async function fetchContents(
  octokit: ProbotOctokit,
  repo: { owner: string; repo: string },
  requests: readonly BlobRequest[],
  trees: readonly TreeRequest[] = [],
  perQuery: number = BLOBS_PER_QUERY,
): Promise<ContentsResult> {
  const result: ContentsResult = { blobs: new Map(), trees: new Map() };
  const batches = Math.max(Math.ceil(requests.length / perQuery), trees.length > 0 ? 1 : 0);
  for (let b = 0; b < batches; b++) {
    const batch = requests.slice(b * perQuery, (b + 1) * perQuery);
    const withTrees = b === batches - 1 ? trees : [];
    const query = async (dirs: readonly TreeRequest[]) => {
      const variables: Record<string, string> = { owner: repo.owner, repo: repo.repo };
      batch.forEach((r, i) => (variables[`e${i}`] = `${r.sha}:${r.path}`));
      dirs.forEach((t, i) => (variables[`t${i}`] = treeExpression(t)));
      const data = await octokit.graphql<{ repository: Record<string, (GraphqlBlob & GraphqlTree) | null> | null }>(
        contentsQuery(batch.length, dirs.length),
        variables,
      );
      return data.repository ?? {};
    };
    let repository: Record<string, (GraphqlBlob & GraphqlTree) | null>;
    try {
      repository = await query(withTrees);
      withTrees.forEach((t, i) => result.trees.set(t.key, toTree(repository[`d${i}`])));
    } catch (err) {
      const status = statusOf(err);
      if (withTrees.length === 0 || (status !== undefined && status < 500)) throw err;
      result.treeError = describeRequestError(err);
      repository = await query([]);
    }
    batch.forEach((r, i) => result.blobs.set(r.key, toResult(repository[`f${i}`])));
  }
  return result;
}

/** Fetches the requested blobs in as few queries as possible (sequentially, to spare rate limits). */
export async function fetchBlobs(
  octokit: ProbotOctokit,
  repo: { owner: string; repo: string },
  requests: readonly BlobRequest[],
  perQuery: number = BLOBS_PER_QUERY,
): Promise<Map<string, BlobResult>> {
  return (await fetchContents(octokit, repo, requests, [], perQuery)).blobs;
}
