/**
 * memlint's review threads on a pull request, read with one GraphQL query per 100 threads: the
 * fingerprints already posted (so nothing is posted twice), each thread's state (resolved,
 * replied to by people), and — in the same request — the pull request's current head commit,
 * which tells a run whether it is still current before it publishes, and the pull request's
 * conversation comments. Together with the threads' replies those are every comment the
 * `/memlint` commands can be in, so the ignores are rebuilt without a request of their own
 * (further pages only past 100 threads or 100 conversation comments).
 *
 * Lifecycle changes (resolve, reopen, edit a comment) go out as one GraphQL mutation request
 * with an alias per change.
 */
import type { ProbotOctokit } from "probot";
import { parseFingerprintMarker } from "../comments/markers.js";
import type { PullComment } from "../commands/comment.js";
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
  /** Every comment read: the conversation's and the review threads' (oldest first within each). */
  comments: PullComment[];
  /** Review threads with more comments than one page holds (their later replies were not read). */
  truncatedThreads: number;
}

export const THREADS_QUERY = `query memlintThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String, $commentsCursor: String, $withThreads: Boolean = true, $withComments: Boolean = true) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      headRefOid
      reviewThreads(first: 100, after: $cursor) @include(if: $withThreads) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          path
          comments(first: 100) {
            totalCount
            nodes { id databaseId body createdAt lastEditedAt url author { __typename login } editor { __typename login } }
          }
        }
      }
      comments(first: 100, after: $commentsCursor) @include(if: $withComments) {
        pageInfo { hasNextPage endCursor }
        nodes { id databaseId body createdAt lastEditedAt url author { __typename login } editor { __typename login } }
      }
    }
  }
}`;

interface CommentNode {
  id: string;
  databaseId: number;
  body: string;
  createdAt?: string;
  lastEditedAt?: string | null;
  url?: string;
  author: GraphqlAuthor | null;
  /** Who last edited the body (people with write access can edit anyone's comments). */
  editor?: GraphqlAuthor | null;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface ThreadsPage {
  repository: {
    pullRequest: {
      headRefOid: string;
      reviewThreads?: {
        pageInfo: PageInfo;
        nodes: {
          id: string;
          isResolved: boolean;
          path: string;
          comments: { totalCount: number; nodes: CommentNode[] };
        }[];
      };
      comments?: { pageInfo: PageInfo; nodes: CommentNode[] };
    } | null;
  } | null;
}

type PullRequestNode = NonNullable<NonNullable<ThreadsPage["repository"]>["pullRequest"]>;

/** Upper bound on pages read (10,000 threads), against a runaway cursor. */
const MAX_PAGES = 100;

function toPullComment(node: CommentNode, kind: PullComment["kind"], identity: AppIdentity, thread?: PullComment["thread"]): PullComment | undefined {
  if (!node || typeof node.databaseId !== "number") return undefined;
  const author = node.author;
  const isBot = author?.__typename === "Bot" || /\[bot\]$/i.test(author?.login ?? "");
  return {
    kind,
    id: node.databaseId,
    nodeId: node.id,
    body: node.body ?? "",
    author: (author?.login ?? "").replace(/\[bot\]$/i, ""),
    isBot,
    isOwn: isOwnBot(author, identity) && (!node.editor || isOwnBot(node.editor, identity)),
    createdAt: node.createdAt ?? "",
    editedAt: node.lastEditedAt ?? null,
    ...(node.url ? { url: node.url } : {}),
    ...(thread ? { thread } : {}),
  };
}

export async function readReviewThreads(octokit: ProbotOctokit, ref: PullRef, identity: AppIdentity): Promise<ThreadSnapshot> {
  const byFingerprint = new Map<string, ExistingComment>();
  const reviewComments: PullComment[] = [];
  const issueComments: PullComment[] = [];
  let headSha = "";
  let threadCount = 0;
  let truncatedThreads = 0;
  let cursor: string | null = null;
  let commentsCursor: string | null = null;
  let withThreads = true;
  let withComments = true;
  for (let page = 0; page < MAX_PAGES && (withThreads || withComments); page++) {
    const data: ThreadsPage = await octokit.graphql<ThreadsPage>(THREADS_QUERY, {
      owner: ref.owner,
      repo: ref.repo,
      number: ref.pullNumber,
      cursor,
      commentsCursor,
      withThreads,
      withComments,
    });
    const pr: PullRequestNode | null | undefined = data.repository?.pullRequest;
    if (!pr) throw new Error(`pull request ${ref.owner}/${ref.repo}#${ref.pullNumber} not found`);
    if (page === 0) headSha = pr.headRefOid;
    const threads: PullRequestNode["reviewThreads"] = withThreads ? pr.reviewThreads : undefined;
    for (const thread of threads?.nodes ?? []) {
      threadCount++;
      const nodes = thread.comments.nodes;
      if (thread.comments.totalCount > nodes.length) truncatedThreads++;
      const [first, ...replies] = nodes;
      if (!first) continue;
      const own = isOwnBot(first.author, identity);
      const fingerprint = own ? parseFingerprintMarker(first.body) : undefined;
      const context = { id: thread.id, rootId: first.databaseId, ...(fingerprint ? { fingerprint } : {}) };
      for (const node of nodes) {
        const comment = toPullComment(node, "review", identity, context);
        if (comment) reviewComments.push(comment);
      }
      if (!fingerprint || byFingerprint.has(fingerprint)) continue;
      const humanReplied = replies.some((c) => !isOwnBot(c.author, identity)) || thread.comments.totalCount > nodes.length;
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
    const conversation: PullRequestNode["comments"] = withComments ? pr.comments : undefined;
    for (const node of conversation?.nodes ?? []) {
      const comment = toPullComment(node, "issue", identity);
      if (comment) issueComments.push(comment);
    }
    // Next page: only the connections that have one.
    const threadInfo: PageInfo | undefined = threads?.pageInfo;
    withThreads = Boolean(threadInfo?.hasNextPage && threadInfo.endCursor);
    if (withThreads) cursor = threadInfo!.endCursor;
    const commentInfo: PageInfo | undefined = conversation?.pageInfo;
    withComments = Boolean(commentInfo?.hasNextPage && commentInfo.endCursor);
    if (withComments) commentsCursor = commentInfo!.endCursor;
  }
  return { headSha, byFingerprint, threadCount, comments: [...issueComments, ...reviewComments], truncatedThreads };
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
