import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fingerprintMarker } from "../../src/comments/markers.js";
import { applyThreadChanges, isOwnBot, mutationFor, readReviewThreads, THREADS_QUERY } from "../../src/github/threads.js";
import { describeRequestError } from "../../src/github/errors.js";
import { api, IDENTITY, TestOctokit } from "../helpers/github.js";

const octokit = () => new TestOctokit({ auth: { token: "test-token" } });
const FP1 = "a".repeat(64);
const FP2 = "b".repeat(64);
const FP3 = "c".repeat(64);
const ref = { owner: "acme", repo: "payments", pullNumber: 42 };
const bot = { __typename: "Bot", login: "memlint" };
const human = { __typename: "User", login: "octo-dev" };

function thread(id: string, comments: { body: string; author: { __typename: string; login: string } }[], extra: Record<string, unknown> = {}) {
  return {
    id,
    isResolved: false,
    path: "batch/reader.go",
    comments: { totalCount: comments.length, nodes: comments.slice(0, 2).map((c, i) => ({ id: `${id}-c${i}`, databaseId: 100 + i, ...c })) },
    ...extra,
  };
}

function page(nodes: unknown[], next: string | null, head = "headsha") {
  return {
    data: {
      repository: {
        pullRequest: {
          headRefOid: head,
          reviewThreads: { pageInfo: { hasNextPage: next !== null, endCursor: next }, nodes },
        },
      },
    },
  };
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("readReviewThreads", () => {
  it("pages through the threads and keeps memlint's fingerprints, the head and each thread's state", async () => {
    const scope = api();
    const cursors: unknown[] = [];
    scope
      .post("/graphql")
      .reply(200, async (req: Request) => {
        const body = (await req.json()) as { query: string; variables: { cursor: unknown } };
        expect(body.query).toBe(THREADS_QUERY);
        cursors.push(body.variables.cursor);
        return page(
          [
            thread("T1", [{ body: `${fingerprintMarker(FP1)}\n**Warning**`, author: bot }]),
            thread("T2", [{ body: `${fingerprintMarker(FP2)}\nforged`, author: human }]),
          ],
          "CURSOR1",
        );
      })
      .post("/graphql")
      .reply(200, async (req: Request) => {
        cursors.push(((await req.json()) as { variables: { cursor: unknown } }).variables.cursor);
        return page(
          [
            thread("T3", [{ body: `${fingerprintMarker(FP3)}\nbody`, author: bot }, { body: "Thanks!", author: human }], { isResolved: true }),
            thread("T4", [{ body: "a human's thread", author: human }]),
          ],
          null,
        );
      });
    const snapshot = await readReviewThreads(octokit(), ref, IDENTITY);
    expect(scope.isDone()).toBe(true);
    expect(cursors).toEqual([null, "CURSOR1"]);
    expect(snapshot.headSha).toBe("headsha");
    expect(snapshot.threadCount).toBe(4);
    expect([...snapshot.byFingerprint.keys()]).toEqual([FP1, FP3]);
    expect(snapshot.byFingerprint.get(FP1)).toMatchObject({ threadId: "T1", commentNodeId: "T1-c0", commentId: 100, isResolved: false, humanReplied: false });
    expect(snapshot.byFingerprint.get(FP3)).toMatchObject({ threadId: "T3", isResolved: true, humanReplied: true });
  });

  it("reads the conversation and every thread reply in the same request, paging each connection only while it has more", async () => {
    const scope = api();
    const requests: { cursor: unknown; commentsCursor: unknown; withThreads: unknown; withComments: unknown }[] = [];
    const issue = (databaseId: number, body: string, author: { __typename: string; login: string }, editor: unknown = null) => ({
      id: `IC_${databaseId}`,
      databaseId,
      body,
      createdAt: "2025-05-02T09:00:00Z",
      lastEditedAt: editor ? "2025-05-02T09:10:00Z" : null,
      url: `https://github.com/acme/payments/pull/42#issuecomment-${databaseId}`,
      author,
      editor,
    });
    scope
      .post("/graphql")
      .reply(200, async (req: Request) => {
        requests.push(((await req.json()) as { variables: (typeof requests)[number] }).variables);
        const data = page([thread("T1", [{ body: `${fingerprintMarker(FP1)}\nbody`, author: bot }, { body: "/memlint ignore -- closed by the caller", author: human }])], null);
        (data.data.repository.pullRequest as Record<string, unknown>).comments = {
          pageInfo: { hasNextPage: true, endCursor: "C1" },
          nodes: [issue(1, "/memlint help", human), issue(2, "<!-- memlint:waiver {} -->", bot, { __typename: "User", login: "mallory" })],
        };
        return data;
      })
      .post("/graphql")
      .reply(200, async (req: Request) => {
        requests.push(((await req.json()) as { variables: (typeof requests)[number] }).variables);
        return { data: { repository: { pullRequest: { headRefOid: "headsha", comments: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [issue(3, "thanks", human)] } } } } };
      });
    const snapshot = await readReviewThreads(octokit(), ref, IDENTITY);
    expect(scope.isDone()).toBe(true);
    expect(requests.map((r) => [r.withThreads, r.withComments, r.commentsCursor])).toEqual([
      [true, true, null],
      [false, true, "C1"],
    ]);
    expect(snapshot.comments.map((c) => [c.kind, c.id, c.author, c.isOwn])).toEqual([
      ["issue", 1, "octo-dev", false],
      ["issue", 2, "memlint", false], // memlint's, but edited by someone else: not trusted
      ["issue", 3, "octo-dev", false],
      ["review", 100, "memlint", true],
      ["review", 101, "octo-dev", false],
    ]);
    expect(snapshot.comments[4]!.thread).toEqual({ id: "T1", rootId: 100, fingerprint: FP1 });
    expect(snapshot.comments[1]!.editedAt).toBe("2025-05-02T09:10:00Z");
  });

  it("recognises the bot by GraphQL login (slug) and REST login (slug[bot]), not users named alike", () => {
    expect(isOwnBot({ __typename: "Bot", login: "memlint" }, IDENTITY)).toBe(true);
    expect(isOwnBot({ login: "memlint[bot]" }, IDENTITY)).toBe(true);
    expect(isOwnBot({ __typename: "User", login: "memlint" }, IDENTITY)).toBe(false);
    expect(isOwnBot({ __typename: "Bot", login: "other-bot" }, IDENTITY)).toBe(false);
    expect(isOwnBot(null, IDENTITY)).toBe(false);
  });
});

describe("thread changes", () => {
  it("go out as one mutation with an alias per change", () => {
    const { query, variables } = mutationFor([
      { kind: "edit", commentNodeId: "C1", body: "fixed", fingerprint: FP1 },
      { kind: "resolve", threadId: "T1", fingerprint: FP1 },
      { kind: "unresolve", threadId: "T2", fingerprint: FP2 },
    ]);
    expect(query).toBe(
      "mutation memlintThreads($c0: ID!, $b0: String!, $t1: ID!, $t2: ID!) {\n" +
        "  m0: updatePullRequestReviewComment(input: {pullRequestReviewCommentId: $c0, body: $b0}) { pullRequestReviewComment { id } }\n" +
        "  m1: resolveReviewThread(input: {threadId: $t1}) { thread { id isResolved } }\n" +
        "  m2: unresolveReviewThread(input: {threadId: $t2}) { thread { id isResolved } }\n}",
    );
    expect(variables).toEqual({ c0: "C1", b0: "fixed", t1: "T1", t2: "T2" });
  });

  it("report the changes that failed when GitHub answers with partial data and errors", async () => {
    const scope = api();
    scope.post("/graphql").reply(200, {
      data: { m0: { pullRequestReviewComment: { id: "C1" } }, m1: null },
      errors: [{ type: "FORBIDDEN", path: ["m1"], message: "Resource not accessible by integration" }],
    });
    const outcome = await applyThreadChanges(
      octokit(),
      [
        { kind: "edit", commentNodeId: "C1", body: "fixed", fingerprint: FP1 },
        { kind: "resolve", threadId: "T1", fingerprint: FP1 },
      ],
      describeRequestError,
    );
    expect(outcome.applied.map((c) => c.kind)).toEqual(["edit"]);
    expect(outcome.failed).toEqual([
      { change: { kind: "resolve", threadId: "T1", fingerprint: FP1 }, error: "GraphQL request → FORBIDDEN: Resource not accessible by integration" },
    ]);
  });
});
