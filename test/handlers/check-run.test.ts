/**
 * Events about memlint's own check runs: re-runs (check_run / check_suite rerequested) and the
 * "Waive" button (check_run.requested_action).
 */
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { initParser } from "../../src/engine/parser.js";
import {
  api,
  blobsOf,
  botComment,
  createTestApp,
  type FileChange,
  HEAD_SHA,
  mockCheckCreate,
  mockCheckUpdate,
  mockConfig,
  mockContents,
  mockFiles,
  mockGetPull,
  mockInstallationToken,
  mockIssueCommentPost,
  mockRun,
  mockThreadMutations,
  mockThreads,
  payload,
  pullFiles,
  pullRequestPayload,
} from "../helpers/github.js";

const go = (name: string) => readFileSync(new URL(`../fixtures/webhooks/go/${name}.go`, import.meta.url), "utf8");
const READER = "batch/reader.go";
const files: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.head") }];
const WAIVED_RUN = 5550001;
const NEXT_SHA = "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c";

let unmatched: string[] = [];
const onNoMatch = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method ?? "?"} ${req.path ?? req.href ?? "?"}`);

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
});

function expectExactly(scope: nock.Scope): void {
  expect(scope.pendingMocks()).toEqual([]);
  expect(unmatched).toEqual([]);
}

function pull(number = 42, change: { headSha?: string; baseRef?: string } = {}) {
  const pr = pullRequestPayload(number === 43 ? "pull_request.opened.fork" : "pull_request.opened", change).pull_request;
  return pr;
}

describe("check_run.rerequested", () => {
  it("re-runs: a new check run for the commit, the pull request read from GitHub", async () => {
    const app = await createTestApp();
    const scope = api();
    mockGetPull(scope, pull());
    const mocks = mockRun(scope, { files, review: true });
    await app.receive("check_run", payload("check_run.rerequested"));
    expectExactly(scope);
    expect(mocks.create.first).toMatchObject({ name: "memlint", head_sha: HEAD_SHA, status: "in_progress", external_id: "acme/payments#42" });
    expect((mocks.review.first.comments as unknown[]).length).toBe(2);
    expect(mocks.update.first).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "2 blocking findings (production)" } });
  });

  it("for a fork (no pull_requests in the payload) finds the pull request through external_id", async () => {
    const app = await createTestApp();
    const scope = api();
    const event = payload("check_run.rerequested.fork");
    expect(event.check_run.pull_requests).toEqual([]);
    mockGetPull(scope, pull(43));
    const mocks = mockRun(scope, { files, review: true, pull: 43 });
    await app.receive("check_run", event);
    expectExactly(scope);
    expect(mocks.create.first.external_id).toBe("acme/payments#43");
    expect(mocks.threads.first.variables).toMatchObject({ number: 43 });
  });

  it("ignores check runs of other apps", async () => {
    const app = await createTestApp();
    const event = payload("check_run.rerequested");
    event.check_run.app.id = 1234;
    event.check_run.name = "ci/build";
    await app.receive("check_run", event);
    expect(unmatched).toEqual([]);
  });

  it("completes the new run as superseded when the pull request has moved on", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    const create = mockCheckCreate(scope);
    mockGetPull(scope, pull(42, { headSha: NEXT_SHA }));
    const update = mockCheckUpdate(scope);
    await app.receive("check_run", payload("check_run.rerequested"));
    expectExactly(scope);
    expect(create.first.head_sha).toBe(HEAD_SHA);
    expect(update.first).toMatchObject({ conclusion: "skipped", output: { title: "Superseded by 3c3c3c3" } });
  });

  it("a failure reading the pull request still completes the new run, naming the request", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockCheckCreate(scope);
    mockGetPull(scope, pull(), 502);
    const update = mockCheckUpdate(scope);
    await app.receive("check_run", payload("check_run.rerequested"));
    expectExactly(scope);
    expect(update.first).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(update.first.output.summary).toContain("reading pull request #42 failed: GET /repos/acme/payments/pulls/42 → 502");
  });
});

describe("check_suite.rerequested", () => {
  it("re-runs the suite's pull request", async () => {
    const app = await createTestApp();
    const scope = api();
    mockGetPull(scope, pull());
    const mocks = mockRun(scope, { files, review: true });
    await app.receive("check_suite", payload("check_suite.rerequested"));
    expectExactly(scope);
    expect(mocks.create.first.head_sha).toBe(HEAD_SHA);
    expect(mocks.update.first.status).toBe("completed");
  });

  it("a payload whose pull requests lack base.repo: the pull request is matched by its API URL, no crash", async () => {
    const app = await createTestApp();
    const scope = api();
    const event = payload("check_suite.rerequested");
    for (const pr of event.check_suite.pull_requests) delete pr.base.repo;
    mockGetPull(scope, pull());
    const mocks = mockRun(scope, { files, review: true });
    await app.receive("check_suite", event);
    expectExactly(scope);
    expect(mocks.create.first).toMatchObject({ head_sha: HEAD_SHA, external_id: "acme/payments#42" });
    expect(mocks.update.first).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "2 blocking findings (production)" } });
  });

  it("for a fork, takes the handle from memlint's earlier run in the suite", async () => {
    const app = await createTestApp();
    const scope = api();
    const event = payload("check_suite.rerequested");
    event.check_suite.pull_requests = [];
    mockInstallationToken(scope);
    scope
      .get("/repos/acme/payments/check-suites/88001/check-runs")
      .query({ check_name: "memlint", per_page: "1" })
      .reply(200, { total_count: 1, check_runs: [{ id: 5550001, name: "memlint", external_id: "acme/payments#43", pull_requests: [] }] });
    mockGetPull(scope, pull(43));
    const mocks = mockRun(scope, { files, review: true, pull: 43, token: false });
    await app.receive("check_suite", event);
    expectExactly(scope);
    expect(mocks.create.first.external_id).toBe("acme/payments#43");
  });
});

describe("check_run.requested_action (Waive)", () => {
  const STAGING = ["environments:", "  staging:", "    waivers:", "      approvers: [lead-dev, \"@acme/release-managers\"]", ""].join("\n");

  /** The threads after the first run: both findings already have comments. */
  async function existingThreads() {
    const app = await createTestApp();
    const scope = api();
    const first = mockRun(scope, { files, review: true, config: STAGING });
    await app.receive("pull_request", pullRequestPayload(undefined, { baseRef: "release/2.1" }));
    expectExactly(scope);
    return (first.review.first.comments as { path: string; body: string }[]).map((c, i) => ({
      id: `PRRT_${i}`,
      path: c.path,
      comments: [botComment(c.body, 9000 + i)],
    }));
  }

  it("an approver waives the blocking findings: recorded on the pull request, the same check run re-completed, the waiver listed", async () => {
    const threads = await existingThreads();
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockGetPull(scope, pull(42, { baseRef: "release/2.1" }));
    mockConfig(scope, STAGING);
    scope.get("/orgs/acme/teams/release-managers/memberships/lead-dev").reply(404, { message: "Not Found" });
    mockFiles(scope, pullFiles(files));
    mockContents(scope, blobsOf(files, HEAD_SHA, undefined, "module m\n\ngo 1.22\n"));
    mockThreads(scope, { threads });
    const record = mockIssueCommentPost(scope);
    const mutations = mockThreadMutations(scope);
    const update = mockCheckUpdate(scope, { id: WAIVED_RUN });
    await app.receive("check_run", payload("check_run.requested_action"));
    expectExactly(scope);
    // The durable record: memlint's comment with a hidden marker naming who, when and which findings.
    const body = record.first.body as string;
    expect(body).toMatch(/^<!-- memlint:waiver \{"v":1,"by":"lead-dev","at":"[^"]+","env":"staging","p":\["[0-9a-f]{8}"\]\} -->\n/);
    expect(body).toContain("http-body-not-closed");
    expect(body).toContain(`@\u200dlead-dev`);
    // The waived finding's thread is resolved and its comment says so.
    expect(mutations.first.query).toContain("resolveReviewThread");
    expect(Object.values(mutations.first.variables).some((v) => String(v).includes("🙈 **Ignored** by @\u200dlead-dev (waiver)"))).toBe(true);
    const done = update.first;
    expect(done).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(done.actions).toBeUndefined();
    expect(done.output.summary).toContain("### Ignored findings");
    expect(done.output.summary).toContain("“Waive” button");
    expect(done.output.summary).toMatch(/@\u200d?lead-dev/);
  });

  it("a member of an approver team may waive", async () => {
    const threads = await existingThreads();
    const app = await createTestApp();
    const scope = api();
    const event = payload("check_run.requested_action");
    event.sender.login = "release-captain";
    mockInstallationToken(scope);
    mockGetPull(scope, pull(42, { baseRef: "release/2.1" }));
    mockConfig(scope, STAGING);
    scope.get("/orgs/acme/teams/release-managers/memberships/release-captain").reply(200, { state: "active", role: "member" });
    mockFiles(scope, pullFiles(files));
    mockContents(scope, blobsOf(files, HEAD_SHA, undefined, "module m\n\ngo 1.22\n"));
    mockThreads(scope, { threads });
    mockIssueCommentPost(scope);
    mockThreadMutations(scope);
    const update = mockCheckUpdate(scope, { id: WAIVED_RUN });
    await app.receive("check_run", event);
    expectExactly(scope);
    expect({ conclusion: update.first.conclusion, title: update.first.output.title }).toEqual({ conclusion: "neutral", title: "1 finding, none blocking (staging), 1 ignored" });
  });

  it("someone else is refused: the conclusion stays, the run says why", async () => {
    const app = await createTestApp();
    const scope = api();
    const event = payload("check_run.requested_action");
    event.sender.login = "drive-by";
    mockInstallationToken(scope);
    mockGetPull(scope, pull(42, { baseRef: "release/2.1" }));
    mockConfig(scope, STAGING);
    scope.get("/orgs/acme/teams/release-managers/memberships/drive-by").reply(404, { message: "Not Found" });
    const update = mockCheckUpdate(scope, { id: WAIVED_RUN });
    await app.receive("check_run", event);
    expectExactly(scope);
    expect(update.first.conclusion).toBeUndefined();
    expect(update.first.status).toBeUndefined();
    expect(update.first.output.title).toBe("1 blocking finding (staging)");
    expect(update.first.output.summary).toContain("was not applied: drive-by may not waive here");
  });

  it("the pull request's author cannot waive in staging even when listed", async () => {
    const app = await createTestApp();
    const scope = api();
    const event = payload("check_run.requested_action");
    event.sender.login = "octo-dev";
    mockInstallationToken(scope);
    mockGetPull(scope, pull(42, { baseRef: "release/2.1" }));
    mockConfig(scope, STAGING.replace("lead-dev", "octo-dev"));
    scope.get("/orgs/acme/teams/release-managers/memberships/octo-dev").reply(404, { message: "Not Found" });
    const update = mockCheckUpdate(scope, { id: WAIVED_RUN });
    await app.receive("check_run", event);
    expectExactly(scope);
    expect(update.first.output.summary).toContain("author cannot waive");
  });

  it("a waiver for a commit that is no longer the head is refused", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockGetPull(scope, pull(42, { headSha: NEXT_SHA, baseRef: "release/2.1" }));
    const update = mockCheckUpdate(scope, { id: WAIVED_RUN });
    await app.receive("check_run", payload("check_run.requested_action"));
    expectExactly(scope);
    expect(update.first.output.summary).toContain("has moved on to 3c3c3c3");
  });
});
