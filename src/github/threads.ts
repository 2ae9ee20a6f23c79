/**
 * memlint's review threads on a pull request, read with one GraphQL query per 100 threads: the
 * fingerprints already posted (so nothing is posted twice), each thread's state (resolved,
 * replied to by people), and — in the same request — the pull request's current head commit,
 * which tells a run whether it is still current before it publishes.
 *
 * Lifecycle changes (resolve, reopen, edit a comment) go out as one GraphQL mutation request
 * with an alias per change.
 */
import type { ProbotOctokit } from "probot";
import { parseFingerprintMarker } from "../comments/markers.js";
import type { PullRef } from "./files.js";

/** Who memlint is on GitHub: the App's id and slug (its bot user is `<slug>[bot]`). */
export interface AppIdentity {
  id: number;
  slug: string;
}

export interface GraphqlAuthor {
  __typename?: string;
  login?: string;
}

/** Whether a comment's author is memlint's own bot user (GraphQL says `slug`, REST `slug[bot]`). */
export function isOwnBot(author: GraphqlAuthor | null | undefined, identity: AppIdentity): boolean {
  if (!author?.login) return false;
  if (author.__typename !== undefined && author.__typename !== "Bot") return false;
  const login = author.login.toLowerCase().replace(/\[bot\]$/, "");
  return login === identity.slug.toLowerCase();
}

export interface ExistingComment {
  fingerprint: string;
  threadId: string;
  /** GraphQL node id and REST id of memlint's comment (the thread's first). */
  commentNodeId: string;
  commentId: number;
  body: string;
  path: string;
  isResolved: boolean;
  /** Someone other than memlint wrote in the thread. */
  humanReplied: boolean;
}

export interface ThreadSnapshot {
  /** The pull request's head commit at the time of reading. */
  headSha: string;
  /** memlint's threads by the fingerprint of their first comment. */
  byFingerprint: Map<string, ExistingComment>;
  /** All review threads on the pull request (memlint's and others'). */
  threadCount: number;
}

export const THREADS_QUERY = `query memlintThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      headRefOid
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          path
          comments(first: 2) {
            totalCount
            nodes { id databaseId body author { __typename login } }
          }
        }
      }
    }
  }
}`;

interface ThreadsPage {
  repository: {
    pullRequest: {
      headRefOid: string;
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: {
          id: string;
          isResolved: boolean;
          path: string;
          comments: {
            totalCount: number;
            nodes: { id: string; databaseId: number; body: string; author: GraphqlAuthor | null }[];
          };
        }[];
      };
    } | null;
  } | null;
}

/** Upper bound on pages read (10,000 threads), against a runaway cursor. */
const MAX_PAGES = 100;

export async function readReviewThreads(octokit: ProbotOctokit, ref: PullRef, identity: AppIdentity): Promise<ThreadSnapshot> {
  const byFingerprint = new Map<string, ExistingComment>();
  let headSha = "";
  let threadCount = 0;
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data: ThreadsPage = await octokit.graphql<ThreadsPage>(THREADS_QUERY, {
      owner: ref.owner,
      repo: ref.repo,
      number: ref.pullNumber,
      cursor,
    });
    const pr = data.repository?.pullRequest;
    if (!pr) throw new Error(`pull request ${ref.owner}/${ref.repo}#${ref.pullNumber} not found`);
    if (page === 0) headSha = pr.headRefOid;
    for (const thread of pr.reviewThreads.nodes) {
      threadCount++;
      const [first, ...replies] = thread.comments.nodes;
      if (!first || !isOwnBot(first.author, identity)) continue;
      const fingerprint = parseFingerprintMarker(first.body);
      if (!fingerprint || byFingerprint.has(fingerprint)) continue;
      const humanReplied = replies.some((c) => !isOwnBot(c.author, identity)) || thread.comments.totalCount > 2;
      byFingerprint.set(fingerprint, {
        fingerprint,
        threadId: thread.id,
        commentNodeId: first.id,
        commentId: first.databaseId,
        body: first.body,
        path: thread.path,
        isResolved: thread.isResolved,
        humanReplied,
      });
    }
    const info = pr.reviewThreads.pageInfo;
    if (!info.hasNextPage || !info.endCursor) break;
    cursor = info.endCursor;
  }
  return { headSha, byFingerprint, threadCount };
}

export type ThreadChange =
  | { kind: "resolve"; threadId: string; fingerprint: string }
  | { kind: "unresolve"; threadId: string; fingerprint: string }
  | { kind: "edit"; commentNodeId: string; body: string; fingerprint: string };

/** Changes per mutation request. */
export const CHANGES_PER_REQUEST = 25;

export function mutationFor(changes: readonly ThreadChange[]): { query: string; variables: Record<string, string> } {
  const params: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  changes.forEach((c, i) => {
    if (c.kind === "edit") {
      params.push(`$c${i}: ID!`, `$b${i}: String!`);
      variables[`c${i}`] = c.commentNodeId;
      variables[`b${i}`] = c.body;
      fields.push(`  m${i}: updatePullRequestReviewComment(input: {pullRequestReviewCommentId: $c${i}, body: $b${i}}) { pullRequestReviewComment { id } }`);
    } else {
      params.push(`$t${i}: ID!`);
      variables[`t${i}`] = c.threadId;
      const name = c.kind === "resolve" ? "resolveReviewThread" : "unresolveReviewThread";
      fields.push(`  m${i}: ${name}(input: {threadId: $t${i}}) { thread { id isResolved } }`);
    }
  });
  return { query: `mutation memlintThreads(${params.join(", ")}) {\n${fields.join("\n")}\n}`, variables };
}

export interface ChangeOutcome {
  applied: ThreadChange[];
  failed: { change: ThreadChange; error: string }[];
}

/** Applies lifecycle changes in few requests; a failed change is reported, not thrown. */
export async function applyThreadChanges(
  octokit: ProbotOctokit,
  changes: readonly ThreadChange[],
  describe: (err: unknown) => string,
): Promise<ChangeOutcome> {
  const outcome: ChangeOutcome = { applied: [], failed: [] };
  for (let start = 0; start < changes.length; start += CHANGES_PER_REQUEST) {
    const batch = changes.slice(start, start + CHANGES_PER_REQUEST);
    const { query, variables } = mutationFor(batch);
    try {
      await octokit.graphql(query, variables);
      outcome.applied.push(...batch);
    } catch (err) {
      // A GraphQL error response still carries the data of the mutations that succeeded.
      const data = (err as { data?: Record<string, unknown> | null }).data ?? {};
      const message = describe(err);
      batch.forEach((change, i) => {
        if (data[`m${i}`]) outcome.applied.push(change);
        else outcome.failed.push({ change, error: message });
      });
    }
  }
  return outcome;
}
