/**
 * The App's pull_request handling at the HTTP level: what memlint sends to GitHub (captured by
 * nock) for each situation of the issue — new findings, pushes, redeliveries, fixes, forks,
 * drafts, configuration errors, GitHub failures, environments, stale heads.
 */
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderFixedNote } from "../../src/comments/review-comment.js";
import { initParser } from "../../src/engine/parser.js";
import {
  api,
  BASE_SHA,
  blobsOf,
  botComment,
  type Captured,
  CHECK_RUN_ID,
  createTestApp,
  type FileChange,
  HEAD_SHA,
  logsMatching,
  mockCheckCreate,
  mockCheckUpdate,
  mockConfig,
  mockContents,
  mockFiles,
  mockInstallationToken,
  mockReview,
  mockRun,
  mockThreads,
  pullFiles,
  pullRequestPayload,
  type ThreadSpec,
  userComment,
} from "../helpers/github.js";

const go = (name: string) => readFileSync(new URL(`../fixtures/webhooks/go/${name}.go`, import.meta.url), "utf8");
const READER = "batch/reader.go";
const opened: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.head") }];

const NEXT_SHA = "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c";
const THIRD_SHA = "4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d";

let unmatched: string[] = [];
const onNoMatch = (req: { method?: string; path?: string; href?: string; url?: string }) =>
  unmatched.push(`${req.method ?? "?"} ${req.path ?? req.href ?? req.url ?? "?"}`);

beforeAll(async () => {
  await initParser();
});
beforeEach(() => {
  unmatched = [];
  nock.disableNetConnect();
  nock.emitter.on("no match", onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener("no match", onNoMatch);
  nock.cleanAll();
  nock.enableNetConnect();
  delete process.env.MEMLINT_ENVIRONMENT;
});

/** Every expected request happened and nothing else was sent. */
function expectExactly(scope: nock.Scope): void {
  expect(scope.pendingMocks()).toEqual([]);
  expect(scope.isDone()).toBe(true);
  expect(unmatched).toEqual([]);
}

/** The threads memlint's earlier review would have produced (one per posted comment). */
function threadsFrom(review: Captured, options: { resolved?: boolean; replies?: boolean } = {}): ThreadSpec[] {
  return (review.first.comments as { path: string; body: string }[]).map((c, i) => ({
    id: `PRRT_kwDO${i}`,
    path: c.path,
    isResolved: options.resolved ?? false,
    comments: [botComment(c.body, 9000 + i), ...(options.replies ? [userComment("Good catch, will fix.")] : [])],
  }));
}

describe("pull_request.opened", () => {
  it("creates the check in progress, posts one review with inline comments at the right lines, completes the check", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);

    expect(mocks.create.count).toBe(1);
    expect(mocks.create.first).toMatchObject({
      name: "memlint",
      head_sha: HEAD_SHA,
      status: "in_progress",
      external_id: "acme/payments#42",
    });
    expect(mocks.create.first.started_at).toEqual(expect.any(String));

    // Contents: one GraphQL request with the head version and the package's directory (go.mod
    // came with the configuration); the base comes from the patch.
    expect(mocks.contents.count).toBe(1);
    expect(Object.values(mocks.contents.first.variables)).toEqual(["acme", "payments", `${HEAD_SHA}:${READER}`, `${HEAD_SHA}:batch`]);

    expect(mocks.review.count).toBe(1);
    const review = mocks.review.first;
    expect(review).toMatchObject({ commit_id: HEAD_SHA, event: "COMMENT" });
    const comments = review.comments as { path: string; line: number; side: string; start_line?: number; body: string }[];
    expect(comments.map((c) => [c.path, c.line, c.side])).toEqual([
      [READER, 26, "RIGHT"], // http-body-not-closed (error, first): on its suggestion's line, after the error check
      [READER, 16, "RIGHT"], // defer-in-loop: the defer statement
    ]);
    expect(comments[0]!.body).toMatch(/^<!-- memlint:fingerprint=[0-9a-f]{64} -->\n/);
    expect(comments[0]!.body).toContain("http-body-not-closed");
    expect(comments[0]!.body).toContain("```suggestion\n\t}\n\tdefer resp.Body.Close()\n```");
    expect(comments[1]!.body).toContain("defer-in-loop");

    expect(mocks.update.count).toBe(1);
    const done = mocks.update.first;
    expect(done).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(done.completed_at).toEqual(expect.any(String));
    expect(done.output.title).toBe("2 blocking findings (production)");
    expect(done.output.summary).toContain("`http-body-not-closed`");
    expect(done.output.summary).toContain("`batch/reader.go:16`");
    expect(done.output.summary).toContain("Posted as 2 inline review comments.");
    expect(done.output.annotations).toBeUndefined();
    expect(done.actions).toBeUndefined();
  });

  it("over max_comments: the rest become annotations in the completing update", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true, config: "max_comments: 1\n" });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect((mocks.review.first.comments as unknown[]).length).toBe(1);
    expect(mocks.review.first.comments[0].line).toBe(26);
    const annotations = mocks.update.first.output.annotations as Record<string, unknown>[];
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({ path: READER, start_line: 16, end_line: 16, annotation_level: "warning" });
    expect(mocks.update.first.output.summary).toContain("went over the limit of 1 inline comment");
  });

  it("logs one structured record per run: delivery, repository, pull request, head, duration, counts, requests", async () => {
    const app = await createTestApp();
    const scope = api();
    mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload(), "delivery-log-1");
    expectExactly(scope);
    const [record] = logsMatching(app.logs, /^memlint run completed/);
    expect(record).toMatchObject({
      deliveryId: "delivery-log-1",
      event: "pull_request.opened",
      repository: "acme/payments",
      pullNumber: 42,
      headSha: HEAD_SHA,
      checkRunId: CHECK_RUN_ID,
      stats: {
        conclusion: "failure",
        files: 1,
        goFiles: 1,
        analyzedFiles: 1,
        findings: 2,
        blocking: 2,
        commentsPosted: 2,
        annotations: 0,
        // installation token (cached for an hour), check create, config (repository + org .github),
        // files, contents, threads, review, check update
        requests: 8,
      },
    });
    expect((record!.stats as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe("later pushes", () => {
  async function firstRun() {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    return { app, review: mocks.review };
  }

  it("synchronize that shifts the lines: the existing comments' markers are found, nothing is posted again", async () => {
    const { app, review } = await firstRun();
    const scope = api();
    const shifted: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.shifted") }];
    const mocks = mockRun(scope, { files: shifted, headSha: NEXT_SHA, threads: threadsFrom(review), token: false });
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: NEXT_SHA }));
    expectExactly(scope);
    expect(mocks.review.count).toBe(0);
    expect(mocks.mutations.count).toBe(0);
    const done = mocks.update.first;
    expect(done.conclusion).toBe("failure");
    // Same findings, six lines further down, still counted as commented inline.
    expect(done.output.summary).toContain("`batch/reader.go:22`");
    expect(done.output.summary).toContain("Posted as 2 inline review comments.");
    expect(done.output.annotations).toBeUndefined();
  });

  it("a redelivered webhook (same delivery id) posts nothing twice — in the same process and after a restart", async () => {
    const app = await createTestApp();
    const scope = api();
    const first = mockRun(scope, { files: opened, review: true });
    const event = pullRequestPayload();
    await app.receive("pull_request", event, "delivery-redelivered");
    expectExactly(scope);
    expect(first.review.count).toBe(1);

    // Same process: the delivery is known, no request at all.
    await app.receive("pull_request", event, "delivery-redelivered");
    expectExactly(scope);
    expect(logsMatching(app.logs, /delivery already handled/)).toHaveLength(1);

    // A new process (restart, another replica): the fingerprints on GitHub prevent duplicates.
    const restarted = await createTestApp();
    const again = mockRun(scope, { files: opened, threads: threadsFrom(first.review) });
    await restarted.receive("pull_request", event, "delivery-redelivered");
    expectExactly(scope);
    expect(again.review.count).toBe(0);
    expect({ conclusion: again.update.first.conclusion, title: again.update.first.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
  });

  it("a push that fixes a finding: its comment says fixed and its thread is resolved; the other stays", async () => {
    const { app, review } = await firstRun();
    const scope = api();
    const fixed: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.fixed") }];
    const threads = threadsFrom(review);
    const mocks = mockRun(scope, { files: fixed, headSha: NEXT_SHA, threads, mutations: true, token: false });
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: NEXT_SHA }));
    expectExactly(scope);
    expect(mocks.review.count).toBe(0);

    const deferThread = threads.find((t) => t.comments[0]!.body.includes("defer-in-loop"))!;
    const mutation = mocks.mutations.first;
    expect(mutation.query).toContain("updatePullRequestReviewComment");
    expect(mutation.query).toContain("resolveReviewThread");
    expect(mutation.query).not.toContain("unresolveReviewThread");
    expect(mutation.variables).toEqual({
      c0: deferThread.comments[0]!.id,
      b0: renderFixedNote(deferThread.comments[0]!.body, NEXT_SHA),
      t1: deferThread.id,
    });
    expect(mutation.variables.b0).toMatch(/^<!-- memlint:fingerprint=[0-9a-f]{64} -->\n✅ \*\*Fixed:\*\*/);
    const done = mocks.update.first;
    expect(done.output.title).toBe("1 blocking finding (production)");
  });

  it("keeps a thread people replied to open: only the comment says fixed", async () => {
    const { app, review } = await firstRun();
    const scope = api();
    const fixed: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.fixed") }];
    const mocks = mockRun(scope, { files: fixed, headSha: NEXT_SHA, threads: threadsFrom(review, { replies: true }), mutations: true, token: false });
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: NEXT_SHA }));
    expectExactly(scope);
    expect(mocks.mutations.first.query).toContain("updatePullRequestReviewComment");
    expect(mocks.mutations.first.query).not.toContain("resolveReviewThread");
  });

  it("a finding that comes back after being fixed: the thread is reopened and the note reverted", async () => {
    const { app, review } = await firstRun();
    // State after the fixing push: both threads exist; the defer-in-loop one is marked fixed and resolved.
    const threads = threadsFrom(review).map((t) =>
      t.comments[0]!.body.includes("defer-in-loop")
        ? { ...t, isResolved: true, comments: [{ ...t.comments[0]!, body: renderFixedNote(t.comments[0]!.body, NEXT_SHA) }] }
        : t,
    );
    const scope = api();
    const mocks = mockRun(scope, { files: opened, headSha: THIRD_SHA, threads, mutations: true, token: false });
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: THIRD_SHA }));
    expectExactly(scope);
    expect(mocks.review.count).toBe(0);
    const mutation = mocks.mutations.first;
    expect(mutation.query).toContain("updatePullRequestReviewComment");
    expect(mutation.query).toContain("unresolveReviewThread");
    const restored = mutation.variables.b0 as string;
    expect(restored).toMatch(/^<!-- memlint:fingerprint=[0-9a-f]{64} -->\n\*\*🟠 Warning: defer inside a loop\*\*/);
    expect(restored).not.toContain("Fixed:");
  });

  it("a push that takes the file out of the pull request resolves its threads; partial knowledge resolves nothing", async () => {
    const { app, review } = await firstRun();
    const scope = api();
    const other: FileChange[] = [{ path: "batch/other.go", base: "package batch\n", head: "package batch\n\nfunc Other() {}\n" }];
    const mocks = mockRun(scope, { files: other, headSha: NEXT_SHA, threads: threadsFrom(review), mutations: true, token: false });
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: NEXT_SHA }));
    expectExactly(scope);
    const query = mocks.mutations.first.query as string;
    expect(query.match(/resolveReviewThread/g)).toHaveLength(2);
    expect(query.match(/updatePullRequestReviewComment/g)).toHaveLength(2);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "success", title: "No memory-management findings" });

    // The same push seen through a capped file list: the file may be beyond the cap, so nothing is resolved.
    const restarted = await createTestApp();
    const capped = mockRun(scope, { files: other, headSha: THIRD_SHA, threads: threadsFrom(review) });
    await restarted.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: THIRD_SHA, changedFiles: 3001 }));
    expectExactly(scope);
    expect(capped.mutations.count).toBe(0);
  });

  it("only the app's own comments count: a marker in someone else's comment does not stop a post", async () => {
    const app = await createTestApp();
    const scope = api();
    const first = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload());
    const forged = threadsFrom(first.review).map((t) => ({
      ...t,
      comments: [{ ...t.comments[0]!, author: { __typename: "User" as const, login: "mallory" } }],
    }));
    const restarted = await createTestApp();
    const again = mockRun(scope, { files: opened, threads: forged, review: true });
    await restarted.receive("pull_request", pullRequestPayload(), "another-delivery");
    expectExactly(scope);
    expect((again.review.first.comments as unknown[]).length).toBe(2);
  });
});

describe("fetching", () => {
  it("a file without a patch: the diff is computed from head and base contents; findings become annotations", async () => {
    const app = await createTestApp();
    const scope = api();
    const files: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.head"), omitPatch: true }];
    const mocks = mockRun(scope, { files });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(pullFiles(files)[0]!.patch).toBeUndefined();
    // Head and base (at base.sha) in the same query (go.mod came with the configuration).
    expect(Object.values(mocks.contents.first.variables).slice(2)).toEqual([
      `${HEAD_SHA}:${READER}`,
      `${BASE_SHA}:${READER}`,
      `${HEAD_SHA}:batch`,
    ]);
    expect(mocks.review.count).toBe(0);
    const annotations = mocks.update.first.output.annotations as { path: string; start_line: number; annotation_level: string }[];
    expect(annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      [READER, 23, "failure"],
      [READER, 16, "warning"],
    ]);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
  });

  it("a binary or oversized file without a patch makes the run partial and says why", async () => {
    const app = await createTestApp();
    const scope = api();
    const files = [
      { path: "batch/huge_table.go", base: "package batch\n", head: "package batch\n// big\n", omitPatch: true },
      ...opened,
    ];
    mockInstallationToken(scope);
    const create = mockCheckCreate(scope);
    mockConfig(scope, null);
    mockFiles(scope, pullFiles(files));
    mockContents(scope, {
      ...blobsOf(opened),
      [`${HEAD_SHA}:batch/huge_table.go`]: { truncated: true, byteSize: 12 * 1024 * 1024 },
      [`${BASE_SHA}:batch/huge_table.go`]: "package batch\n",
      [`${HEAD_SHA}:go.mod`]: "module example.com/payments\n\ngo 1.22\n",
    });
    mockThreads(scope);
    scope.post("/repos/acme/payments/pulls/42/reviews").reply(200, {});
    const update = mockCheckUpdate(scope);
    await app.receive("pull_request", pullRequestPayload(undefined, { changedFiles: 2 }));
    expectExactly(scope);
    expect(create.count).toBe(1);
    const summary = update.first.output.summary as string;
    expect(summary).toContain("**Partial run.**");
    expect(summary).toContain("too large for GitHub to return its contents (12.0 MB)");
  });

  it("more than 100 files: follows pagination; a Go file on page 2 is analyzed", async () => {
    const app = await createTestApp();
    const scope = api();
    const docs: FileChange[] = Array.from({ length: 130 }, (_, i) => ({
      path: `docs/page-${String(i).padStart(3, "0")}.md`,
      base: `# Page ${i}\n`,
      head: `# Page ${i}\n\nMore.\n`,
    }));
    const files = [...docs.slice(0, 120), ...opened, ...docs.slice(120)];
    const mocks = mockRun(scope, { files, review: true });
    await app.receive("pull_request", pullRequestPayload(undefined, { changedFiles: 131 }));
    expectExactly(scope); // both pages were requested
    expect(Object.values(mocks.contents.first.variables).slice(2)).toEqual([`${HEAD_SHA}:${READER}`, `${HEAD_SHA}:batch`]);
    expect((mocks.review.first.comments as unknown[]).length).toBe(2);
    expect(mocks.update.first.output.summary).not.toContain("Partial run");
  });

  it("over GitHub's 3,000-file cap the run says it is partial", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload(undefined, { changedFiles: 3500 }));
    expectExactly(scope);
    expect(mocks.update.first.output.summary).toContain("GitHub lists at most 3,000 files of a pull request: 3,500 files changed");
  });

  it("skips vendored, testdata and generated files by default, and lists them", async () => {
    const app = await createTestApp();
    const scope = api();
    const generated = `// Code generated by protoc-gen-go. DO NOT EDIT.\n\n${go("reader.head")}`;
    const files: FileChange[] = [
      { path: "vendor/github.com/x/y/y.go", base: go("reader.base"), head: go("reader.head") },
      { path: "batch/testdata/sample.go", base: go("reader.base"), head: go("reader.head") },
      { path: "batch/reader_gen.go", base: `// Code generated by protoc-gen-go. DO NOT EDIT.\n\n${go("reader.base")}`, head: generated },
      // protoc's output by its name, without the header: not even fetched.
      { path: "batch/reader.pb.go", base: go("reader.base"), head: go("reader.head") },
    ];
    const mocks = mockRun(scope, { files });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    // Only the file generated by its header is fetched (that shows in its contents).
    expect(Object.values(mocks.contents.first.variables).slice(2)).toEqual([`${HEAD_SHA}:batch/reader_gen.go`, `${HEAD_SHA}:batch`]);
    const done = mocks.update.first;
    expect(done.conclusion).toBe("success");
    expect(done.output.summary).toContain("matched by paths.exclude");
    expect(done.output.summary).toContain("generated file");
  });

  it("a fork: contents are read from the base repository at the head commit; the check keeps its handle in external_id", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true, pull: 43 });
    const event = pullRequestPayload("pull_request.opened.fork");
    expect(event.pull_request.head.repo.full_name).toBe("outside-contrib/payments");
    await app.receive("pull_request", event);
    expectExactly(scope); // every request went to acme/payments
    expect(mocks.create.first.external_id).toBe("acme/payments#43");
    expect(mocks.contents.first.variables).toMatchObject({ owner: "acme", repo: "payments", e0: `${HEAD_SHA}:${READER}` });
    expect(mocks.threads.first.variables).toMatchObject({ owner: "acme", repo: "payments", number: 43 });
    expect(mocks.review.first.commit_id).toBe(HEAD_SHA);
  });

  it("no Go files changed: success, without reading contents or threads", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    const create = mockCheckCreate(scope);
    mockConfig(scope, null);
    mockFiles(scope, pullFiles([{ path: "README.md", base: "# Payments\n", head: "# Payments\n\nNow with batches.\n" }]));
    const update = mockCheckUpdate(scope);
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(create.first.status).toBe("in_progress");
    expect(update.first).toMatchObject({ status: "completed", conclusion: "success", output: { title: "No Go files changed" } });
  });
});

describe("lifetime contracts", () => {
  const CACHE = "internal/wire/cache.go";
  const FRAME = "internal/wire/frame.go";
  const cacheGo = 'package wire\n\nimport "sync"\n\nvar (\n\tmu         sync.Mutex\n\tlastFrames = map[string][]byte{}\n)\n\nfunc Forget(id string) {\n\tmu.Lock()\n\tdefer mu.Unlock()\n\tdelete(lastFrames, id)\n}\n';
  const frameBase = [
    "package wire",
    "",
    "// Remember notes the last frame a session saw.",
    "//",
    "//memlint:borrow payload",
    "func Remember(id string, payload []byte) {",
    "\tmu.Lock()",
    "\tdefer mu.Unlock()",
    "\tlastFrames[id] = append([]byte(nil), payload...)",
    "}",
    "",
  ].join("\n");
  const frameHead = `${frameBase.replace("append([]byte(nil), payload...)", "payload[:16]")}\n// Peek looks at a frame without a contract.\nfunc Peek(buf []byte) byte { return buf[0] }\n`;

  it("a borrowed buffer stored in a package-level cache declared in another file: an inline comment naming the parameter, the contract line and the sink; coverage in the summary", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, {
      files: [{ path: FRAME, base: frameBase, head: frameHead }],
      siblings: { [CACHE]: cacheGo },
      review: true,
      config: 'contracts:\n  require: ["internal/wire/**"]\n',
    });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    // The package's other file came with the changed file, in the one contents query.
    expect(Object.values(mocks.contents.first.variables)).toEqual(["acme", "payments", `${HEAD_SHA}:${FRAME}`, `${HEAD_SHA}:internal/wire`]);

    const comments = mocks.review.first.comments as { path: string; line: number; body: string }[];
    const borrow = comments.find((c) => c.body.includes("contract-borrow-escapes"))!;
    expect(borrow).toMatchObject({ path: FRAME, line: 9 });
    expect(borrow.body).toContain("`payload` is borrowed (`//memlint:borrow payload`, line 5)");
    expect(borrow.body).toContain("stores it in the package-level variable `lastFrames`, which lives for `process`");
    // Peek is new, exported, in a required path and takes a slice without a directive.
    const missing = comments.find((c) => c.body.includes("contract-missing"))!;
    expect(missing).toMatchObject({ path: FRAME, line: 13 });

    const summary = mocks.update.first.output.summary as string;
    expect(summary).toContain("### Contract coverage");
    expect(summary).toContain("**1 of 2 exported functions** that this pull request adds or changes in the paths of `contracts.require` has a contract");
    expect(summary).toContain("| `Peek` | `internal/wire/frame.go:13` | `buf` |");
    expect(mocks.update.first.conclusion).toBe("failure");
  });
});

describe("drafts", () => {
  it("are analyzed and never block", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload("pull_request.opened.draft"));
    expectExactly(scope);
    expect(mocks.review.count).toBe(1);
    expect(mocks.update.first.conclusion).toBe("neutral");
    expect(mocks.update.first.output.title).toMatch(/^Draft: 2 findings would block in production/);
  });

  it("with `drafts: skip` are not analyzed; the check still completes", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockCheckCreate(scope);
    mockConfig(scope, "drafts: skip\n");
    const update = mockCheckUpdate(scope);
    await app.receive("pull_request", pullRequestPayload("pull_request.opened.draft"));
    expectExactly(scope);
    expect(update.first).toMatchObject({ status: "completed", conclusion: "skipped", output: { title: "Draft pull request: not analyzed" } });
  });
});

describe("configuration", () => {
  it("invalid: the check completes as failure and names the key", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    const create = mockCheckCreate(scope);
    mockConfig(scope, "max_comments: lots\n");
    const update = mockCheckUpdate(scope);
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(create.count).toBe(1);
    expect(update.first).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "memlint configuration error" } });
    expect(update.first.output.summary).toContain(".github/memlint.yml");
    expect(update.first.output.summary).toContain("max_comments");
  });

  it("invalid YAML is a configuration error too", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockCheckCreate(scope);
    mockConfig(scope, "rules: [unclosed\n");
    const update = mockCheckUpdate(scope);
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(update.first).toMatchObject({ conclusion: "failure", output: { title: "memlint configuration error" } });
    expect(update.first.output.summary).toContain("invalid YAML");
  });

  it("invalid in a deployment that says development: neutral", async () => {
    process.env.MEMLINT_ENVIRONMENT = "development";
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockCheckCreate(scope);
    mockConfig(scope, "unknown_setting: 1\n");
    const update = mockCheckUpdate(scope);
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(update.first.conclusion).toBe("neutral");
    expect(update.first.output.summary).toContain("unknown_setting");
  });
});

describe("environments", () => {
  it("development (any other base branch): blocking findings give neutral", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload(undefined, { baseRef: "feature/big-refactor" }));
    expectExactly(scope);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "neutral", title: "2 findings, none blocking (development)" });
    expect(mocks.update.first.actions).toBeUndefined();
  });

  it("staging (release/*): action_required with the Waive button", async () => {
    const app = await createTestApp();
    const scope = api();
    const config = [
      "environments:",
      "  staging:",
      "    waivers:",
      "      approvers: [lead-dev]",
      "",
    ].join("\n");
    const mocks = mockRun(scope, { files: opened, review: true, config });
    await app.receive("pull_request", pullRequestPayload(undefined, { baseRef: "release/2.1" }));
    expectExactly(scope);
    expect(mocks.update.first.conclusion).toBe("action_required");
    expect(mocks.update.first.output.title).toBe("1 blocking finding (staging)");
    expect(mocks.update.first.actions).toEqual([{ label: "Waive", identifier: "waive", description: expect.any(String) }]);
  });

  it("production (the default branch): failure", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload(undefined, { baseRef: "main" }));
    expectExactly(scope);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
  });

  it("MEMLINT_ENVIRONMENT forces the environment for the deployment", async () => {
    process.env.MEMLINT_ENVIRONMENT = "development";
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload(undefined, { baseRef: "main" }));
    expectExactly(scope);
    expect(mocks.update.first.conclusion).toBe("neutral");
    expect(mocks.update.first.output.summary).toContain("deployment (`MEMLINT_ENVIRONMENT`)");
  });
});

describe("GitHub failures", () => {
  it("500 on createReview: checks whether it landed, retries once, then completes with the analysis' conclusion, says so, and annotates the findings", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: { status: 500 } });
    // Creating a review is not idempotent: memlint reads the threads back before sending it again.
    const reread = mockThreads(scope);
    const retry = mockReview(scope, { status: 500 });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(mocks.review.count).toBe(1);
    expect(reread.count).toBe(1);
    expect(retry.count).toBe(1);
    const done = mocks.update.first;
    expect(done).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(done.output.summary).toContain("could not be posted (POST /repos/acme/payments/pulls/42/reviews → 500");
    expect((done.output.annotations as { start_line: number }[]).map((a) => a.start_line).sort()).toEqual([16, 23]);
  });

  it("500 on the completing check update: completed again with a short report that keeps the conclusion and names the failure", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, review: true, updates: [500, 200] });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(mocks.update.count).toBe(2);
    const [full, short] = mocks.update.bodies;
    expect(full!.conclusion).toBe("failure");
    expect(short).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(short!.output.summary).toContain("PATCH /repos/acme/payments/check-runs/7001 → 500");
    expect(short!.output.annotations).toBeUndefined();
  });

  it("500 when creating the in-progress check: the run still ends with a completed check (created completed)", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    const failedCreate = mockCheckCreate(scope, { status: 500 });
    // Creating is not idempotent: memlint looks for the run on GitHub before creating it again.
    scope.get(`/repos/acme/payments/commits/${HEAD_SHA}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
    const failedAgain = mockCheckCreate(scope, { status: 500 });
    scope.get(`/repos/acme/payments/commits/${HEAD_SHA}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
    mockConfig(scope, null);
    mockFiles(scope, pullFiles(opened));
    mockContents(scope, blobsOf(opened, HEAD_SHA, BASE_SHA, "module m\n\ngo 1.22\n"));
    mockThreads(scope);
    scope.post("/repos/acme/payments/pulls/42/reviews").reply(200, {});
    const created = mockCheckCreate(scope);
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(failedCreate.first.status).toBe("in_progress");
    expect(failedAgain.first.status).toBe("in_progress");
    expect(created.first).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "2 blocking findings (production)" }, head_sha: HEAD_SHA, external_id: "acme/payments#42" });
  });

  it("500 while listing files: the check completes as failure with the request and status", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockCheckCreate(scope);
    mockConfig(scope, null);
    scope.get("/repos/acme/payments/pulls/42/files").query({ per_page: "100" }).reply(500, { message: "Server Error" });
    const update = mockCheckUpdate(scope);
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(update.first).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "memlint could not talk to GitHub" } });
    expect(update.first.output.summary).toContain("listing the pull request's files failed: GET /repos/acme/payments/pulls/42/files → 500");
  });

  it("an internal error in development is neutral", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockCheckCreate(scope);
    mockConfig(scope, null);
    mockFiles(scope, pullFiles(opened));
    // The contents query, and the same without the package's directory (which may have caused the 502).
    scope.post("/graphql").twice().reply(502, "Bad Gateway");
    const update = mockCheckUpdate(scope);
    await app.receive("pull_request", pullRequestPayload(undefined, { baseRef: "topic/x" }));
    expectExactly(scope);
    expect(update.first).toMatchObject({ conclusion: "neutral" });
    expect(update.first.output.summary).toContain("reading file contents failed");
  });

  it("a failed thread update is reported in the summary, not fatal", async () => {
    const app = await createTestApp();
    const scope = api();
    const first = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload());
    const fixed: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.fixed") }];
    const mocks = mockRun(scope, { files: fixed, headSha: NEXT_SHA, threads: threadsFrom(first.review), token: false });
    scope.post("/graphql", (b: { query?: string }) => /^mutation memlintThreads/.test(b.query ?? "")).reply(500, { message: "Server Error" });
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: NEXT_SHA }));
    expectExactly(scope);
    expect(mocks.update.first.conclusion).toBe("failure");
    expect(mocks.update.first.output.summary).toMatch(/2 review-thread updates .* failed \(POST \/graphql → 500/);
  });
});

describe("stale head", () => {
  it("when the pull request moved on during the run, nothing is published and the check says superseded", async () => {
    const app = await createTestApp();
    const scope = api();
    const mocks = mockRun(scope, { files: opened, currentHead: NEXT_SHA });
    await app.receive("pull_request", pullRequestPayload());
    expectExactly(scope);
    expect(mocks.review.count).toBe(0);
    expect(mocks.update.first).toMatchObject({ status: "completed", conclusion: "skipped", output: { title: "Superseded by 3c3c3c3" } });
    expect(mocks.update.first.output.annotations).toBeUndefined();
  });
});

describe("identity", () => {
  it("reads the App's slug once with GET /app when not configured", async () => {
    const app = await createTestApp({ requestIdentity: true });
    const scope = api();
    scope.get("/app").reply(200, { id: 4242, slug: "memlint", name: "memlint" });
    const first = mockRun(scope, { files: opened, review: true });
    await app.receive("pull_request", pullRequestPayload());
    const again = mockRun(scope, { files: opened, threads: threadsFrom(first.review), token: false });
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize"));
    expectExactly(scope);
    expect(again.review.count).toBe(0);
  });
});
