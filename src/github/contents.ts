/**
 * File contents at given commits, many per request: one GraphQL query with an alias per
 * `repository.object(expression: "<sha>:<path>")`. Expressions travel as variables, so paths
 * need no escaping. A pull request's head commit is readable from the base repository (also for
 * forks), so everything is read from there.
 */
import type { ProbotOctokit } from "probot";

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

/** Objects per query: e.g. 50 files in two versions, or 100 head versions. */
export const BLOBS_PER_QUERY = 100;

interface GraphqlBlob {
  __typename: string;
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  byteSize?: number;
}

export function blobQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$e${i}: String!`).join(", ");
  const fields = Array.from(
    { length: count },
    (_, i) => `    f${i}: object(expression: $e${i}) { __typename ... on Blob { byteSize isBinary isTruncated text } }`,
  ).join("\n");
  return `query memlintContents($owner: String!, $repo: String!, ${vars}) {\n  repository(owner: $owner, name: $repo) {\n${fields}\n  }\n}`;
}

function toResult(blob: GraphqlBlob | null | undefined): BlobResult {
  if (!blob || blob.__typename !== "Blob") return { kind: "missing" };
  const byteSize = blob.byteSize ?? 0;
  if (blob.isBinary) return { kind: "binary", byteSize };
  if (blob.isTruncated) return { kind: "truncated", byteSize };
  if (typeof blob.text !== "string") return { kind: "binary", byteSize };
  return { kind: "text", text: blob.text, byteSize };
}

/** Fetches the requested blobs in as few queries as possible (sequentially, to spare rate limits). */
export async function fetchBlobs(
  octokit: ProbotOctokit,
  repo: { owner: string; repo: string },
  requests: readonly BlobRequest[],
  perQuery: number = BLOBS_PER_QUERY,
): Promise<Map<string, BlobResult>> {
  const results = new Map<string, BlobResult>();
  for (let start = 0; start < requests.length; start += perQuery) {
    const batch = requests.slice(start, start + perQuery);
    const variables: Record<string, string> = { owner: repo.owner, repo: repo.repo };
    batch.forEach((r, i) => (variables[`e${i}`] = `${r.sha}:${r.path}`));
    const data = await octokit.graphql<{ repository: Record<string, GraphqlBlob | null> | null }>(blobQuery(batch.length), variables);
    const repository = data.repository ?? {};
    batch.forEach((r, i) => results.set(r.key, toResult(repository[`f${i}`])));
  }
  return results;
}
