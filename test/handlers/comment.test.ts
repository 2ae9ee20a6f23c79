/**
 * `/memlint` comment commands at the HTTP level: what memlint sends to GitHub (request bodies
 * captured by nock) for each situation of the issue — a reply-ignore, an ignore by rule id, all,
 * a missing reason, an unknown id, a commenter without permission, the author in staging, any
 * waiver in production, an edit that removes the command, unignore, recheck, bot comments — and
 * the check conclusion flipping at once. Every test asserts that nothing else was sent.
 */
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ackMarker, type AckRecord, bodyHash, waiverMarker } from "../../src/commands/markers.js";
import { parseFingerprintMarker } from "../../src/comments/markers.js";
import { renderIgnoredComment } from "../../src/comments/review-comment.js";
import { initParser } from "../../src/engine/parser.js";
import type { Finding } from "../../src/engine/types.js";
import {
  api,
  blobsOf,
  botComment,
  type Captured,
  CHECK_RUN_ID,
  type CommentSpec,
  createTestApp,
  type FileChange,
  HEAD_SHA,
  issueComment,
  issueCommentPayload,
  logsMatching,
  mockCheckUpdate,
  mockCommentEdit,
  mockConfig,
  mockContents,
  mockFiles,
  mockGetPull,
  mockInstallationToken,
  mockIssueCommentPost,
  mockLatestCheckRun,
  mockPermission,
  mockReaction,
  mockReviewReply,
  mockRun,
  mockThreadMutations,
  mockThreads,
  pullFiles,
  pullRequestPayload,
  reviewCommentPayload,
  type ThreadSpec,
} from "../helpers/github.js";

const go = (name: string) => readFileSync(new URL(`../fixtures/webhooks/go/${name}.go`, import.meta.url), "utf8");
const READER = "batch/reader.go";
const files: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.head") }];
const NEXT_SHA = "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c";
const ZWJ = "\u200d";

/** staging for release/*: blocks on errors with action_required; maintainers may waive, not the author. */
const STAGING = ["environments:", "  staging:", "    waivers:", "      approvers: [rel-lead]", ""].join("\n");
const RELEASE = "release/2.1";

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

interface Before {
  /** memlint's threads after the first run: 9000 = http-body-not-closed (error), 9001 = defer-in-loop (warning). */
  threads: ThreadSpec[];
  body: { id: string; fingerprint: string };
  defer: { id: string; fingerprint: string };
}

/** The state after memlint's first run on the pull request (targeting `baseRef`). */
async function firstRun(baseRef = RELEASE, config: string | null = STAGING): Promise<Before> {
  const app = await createTestApp();
  const scope = api();
  const first = mockRun(scope, { files, review: true, config });
  await app.receive("pull_request", pullRequestPayload(undefined, { baseRef }));
  expectExactly(scope);
  const threads = (first.review.first.comments as { path: string; body: string }[]).map((c, i) => ({
    id: `PRRT_${i}`,
    path: c.path,
    comments: [botComment(c.body, 9000 + i)],
  }));
  const info = (i: number) => {
    const fingerprint = parseFingerprintMarker(threads[i]!.comments[0]!.body)!;
    return { fingerprint, id: fingerprint.slice(0, 8) };
  };
  expect(threads[0]!.comments[0]!.body).toContain("http-body-not-closed");
  return { threads, body: info(0), defer: info(1) };
}

interface CommandMocks {
  update: Captured;
  threads: Captured;
  contents: Captured;
}

/** The requests of a command run, up to the check update (reactions and replies added by the test). */
function mockCommandRun(
  scope: nock.Scope,
  options: { threads: ThreadSpec[]; comments?: CommentSpec[]; permissions?: [string, Parameters<typeof mockPermission>[2]][]; baseRef?: string; config?: string | null; mutations?: boolean; headSha?: string },
): CommandMocks & { mutations: Captured } {
  mockInstallationToken(scope);
  const pr = pullRequestPayload(undefined, { baseRef: options.baseRef ?? RELEASE, ...(options.headSha ? { headSha: options.headSha } : {}) }).pull_request;
  mockGetPull(scope, pr);
  mockLatestCheckRun(scope, CHECK_RUN_ID, options.headSha ?? HEAD_SHA);
  mockConfig(scope, options.config === undefined ? STAGING : options.config);
  mockFiles(scope, pullFiles(files));
  const contents = mockContents(scope, blobsOf(files, options.headSha ?? HEAD_SHA, undefined, "module m\n\ngo 1.22\n"));
  const threads = mockThreads(scope, { threads: options.threads, comments: options.comments ?? [], headSha: options.headSha ?? HEAD_SHA });
  for (const [login, role] of options.permissions ?? []) mockPermission(scope, login, role);
  const mutations = options.mutations ? mockThreadMutations(scope) : ({ bodies: [], count: 0 } as unknown as Captured);
  const update = mockCheckUpdate(scope);
  return { update, threads, mutations, contents };
}

const reasonOf = "the caller closes the body in its deferred cleanup";

describe("ignore", () => {
  it("a maintainer's reply-ignore turns the blocking check passing at once: check updated, thread resolved, 👍 and a reply", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    // GitHub's listing lags behind: the reply is not in it yet; the webhook's comment is used.
    const mocks = mockCommandRun(scope, { threads: before.threads, permissions: [["lead-dev", "maintain"]], mutations: true });
    const reaction = mockReaction(scope, "review", 9201);
    const reply = mockReviewReply(scope, 9000);
    await app.receive("pull_request_review_comment", reviewCommentPayload(`/memlint ignore -- ${reasonOf}`));
    expectExactly(scope);

    // The same check run, re-completed: action_required → neutral (the warning left does not block).
    const done = mocks.update.first;
    expect(done).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(done.output.title).toBe("1 finding, none blocking (staging), 1 ignored");
    expect(done.actions).toBeUndefined();
    const summary = done.output.summary as string;
    const ignoredSection = summary.slice(summary.indexOf("### Ignored findings"));
    expect(ignoredSection).toContain(`\`${before.body.id}\` \`http-body-not-closed\``);
    expect(ignoredSection).toContain(`@${ZWJ}lead-dev`);
    expect(ignoredSection).toContain("| fp |");
    expect(ignoredSection).toContain(reasonOf);
    expect(ignoredSection).toContain("[comment](https://github.com/acme/payments/pull/42#discussion_r9201)");

    // The thread of the ignored finding: comment says so, thread resolved.
    const mutation = mocks.mutations.first;
    expect(mutation.query).toContain("resolveReviewThread");
    expect(mutation.variables).toMatchObject({ c0: before.threads[0]!.comments[0]!.id, t1: "PRRT_0" });
    expect(mutation.variables.b0).toMatch(new RegExp(`^<!-- memlint:fingerprint=${before.body.fingerprint} -->\\n🙈 \\*\\*Ignored\\*\\* by @${ZWJ}lead-dev with \`/memlint ignore\` \\(false positive\\): `));

    expect(reaction.first).toEqual({ content: "+1" });
    const answer = reply.first.body as string;
    expect(answer.split("\n")[0]).toBe(
      `<!-- memlint:ack {"v":1,"src":"review:9201","h":"${bodyHash(`/memlint ignore -- ${reasonOf}`)}","r":"+1","c":[{"n":"ignore","s":"ok"}]} -->`,
    );
    expect(answer).toContain(`👍 **Ignored** 1 finding as false positive:`);
    expect(answer).toContain(`- \`${before.body.id}\` \`http-body-not-closed\` at \`batch/reader.go:23\``);
    expect(answer).toContain("The `memlint` check is now **neutral** (was **action\\_required**)");
    expect(answer).toContain(`\`/memlint unignore ${before.body.id}\``);

    const [record] = logsMatching(app.logs, /^memlint run completed/);
    // The run's requests (after the installation token and reading the pull request): latest
    // check run, config, files, contents, threads + comments, one permission, thread mutations,
    // check update, reaction, reply.
    expect(record).toMatchObject({ stats: { ignored: 1, blocking: 0, commandsAnswered: 1, requests: 10 } });
  });

  it("by rule id in the conversation: the answer records the covered ids; the category is kept", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const body = `/memlint ignore http-body-not-closed --as accepted-risk -- ${reasonOf}`;
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment(body)], permissions: [["lead-dev", "admin"]], mutations: true });
    const reaction = mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(body));
    expectExactly(scope);
    expect(mocks.update.first.conclusion).toBe("neutral");
    expect(mocks.update.first.output.summary).toContain("| accepted-risk |");
    expect(reaction.first.content).toBe("+1");
    const answer = reply.first.body as string;
    expect(answer.split("\n")[0]).toContain(`"c":[{"n":"ignore","s":"ok","p":["${before.body.id}"]}]`);
    expect(answer).toContain("as accepted risk");
    expect(answer).toContain("a finding a later push adds is reported and counted as usual");
    expect(answer).toContain("`/memlint unignore http-body-not-closed`");
  });

  it("all: every finding ignored, the check passes with success, both threads resolved", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const body = "/memlint ignore all --as test-only -- this package only runs in the integration tests";
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment(body)], permissions: [["lead-dev", "maintain"]], mutations: true });
    mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(body));
    expectExactly(scope);
    expect(mocks.update.first).toMatchObject({ conclusion: "success", output: { title: "No findings left: 2 ignored" } });
    expect(mocks.update.first.output.summary).toContain("Every finding is ignored: 2");
    expect((mocks.mutations.first.query as string).match(/resolveReviewThread/g)).toHaveLength(2);
    const answer = reply.first.body as string;
    const p = /"p":(\[[^\]]*\])/.exec(answer.split("\n")[0]!)![1]!;
    expect((JSON.parse(p) as string[]).sort()).toEqual([before.body.id, before.defer.id].sort());
    expect(answer).toContain("👍 **Ignored** 2 findings as test-only code:");
    expect(answer).toContain("The `memlint` check is now **success** (was **action\\_required**)");
  });

  it("a missing reason: 😕 and the syntax, answered at once — no analysis, no check update", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    const reaction = mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload("/memlint ignore 7e11ac0a"));
    expectExactly(scope);
    expect(reaction.first.content).toBe("confused");
    const answer = reply.first.body as string;
    expect(answer.split("\n")[0]).toMatch(/^<!-- memlint:ack \{"v":1,"src":"issue:3100001","h":"[0-9a-f]{16}","r":"confused","c":\[\{"n":"ignore","s":"no"\}\]\} -->$/);
    expect(answer).toContain("😕 **Not applied:** missing reason: end the command with `--` and why the finding does not apply.");
    expect(answer).toContain(
      "Syntax:\n\n- `/memlint ignore <finding-id>|<rule-id>|all [--as fp|accepted-risk|test-only] -- <reason>`\n" +
        "- `/memlint ignore [--as fp|accepted-risk|test-only] -- <reason>   (as a reply to a memlint comment)`",
    );
    expect(answer).toContain("Nothing was changed.");
  });

  it("a reason shorter than the repository's minimum is refused with the configured number", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const body = `/memlint ignore ${"x".repeat(0)}${before.body.id} -- too short`;
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment(body)], config: `${STAGING}ignore:\n  min_reason_length: 20\n` });
    mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(body));
    expectExactly(scope);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "action_required", title: "1 blocking finding (staging)" }); // unchanged
    expect(reply.first.body).toContain("the reason is too short (9 characters; this repository requires at least 20)");
  });

  it("an unknown finding id: refused, nothing changes", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const body = `/memlint ignore deadbeef -- ${reasonOf}`;
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment(body)], permissions: [["lead-dev", "maintain"]] });
    const reaction = mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(body));
    expectExactly(scope);
    expect(mocks.update.first.conclusion).toBe("action_required");
    expect(mocks.update.first.output.summary).not.toContain("### Ignored findings");
    expect(reaction.first.content).toBe("confused");
    expect(reply.first.body).toContain("this pull request has no finding with id `deadbeef` at `9f1c2d3`; the ids are in the check run's summary and in each memlint comment");
  });

  it("a commenter without permission: refused with what is needed and what they have", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const body = `/memlint ignore ${before.body.id} -- ${reasonOf}`;
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment(body, "drive-by")], permissions: [["drive-by", "read"]] });
    mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(body, { login: "drive-by" }));
    expectExactly(scope);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "action_required", title: "1 blocking finding (staging)" });
    expect(reply.first.body).toContain(
      `😕 **Not applied:** ignoring findings in \`staging\` needs maintain permission or being a listed approver, and @${ZWJ}drive-by has read.`,
    );
  });

  it("the pull request's author in staging: refused, even with admin permission", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const mocks = mockCommandRun(scope, { threads: before.threads, permissions: [["octo-dev", "admin"]] });
    mockReaction(scope, "review", 9201);
    const reply = mockReviewReply(scope, 9000);
    await app.receive("pull_request_review_comment", reviewCommentPayload(`/memlint ignore -- ${reasonOf}`, { login: "octo-dev" }));
    expectExactly(scope);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "action_required", title: "1 blocking finding (staging)" });
    expect(reply.first.body).toContain("the pull request's author cannot ignore its findings in `staging`; someone else with maintain permission can");
  });

  it("any waiver in production: refused without asking for permissions", async () => {
    const before = await firstRun("main", null);
    const app = await createTestApp();
    const scope = api();
    const body = `/memlint ignore all -- ${reasonOf}`;
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment(body, "repo-admin")], baseRef: "main", config: null });
    mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(body, { login: "repo-admin" }));
    expectExactly(scope);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "failure", title: "2 blocking findings (production)" });
    expect(reply.first.body).toContain("😕 **Not applied:** `production` forbids waivers: findings cannot be ignored there, only fixed.");
    expect(reply.first.body).toContain("Nothing was changed.");
  });
});

describe("persistence and changes", () => {
  /** An ignore of the http-body finding, answered by memlint earlier (comment 3100001, answer 3200001). */
  function answeredIgnore(before: Before, body = `/memlint ignore ${before.body.id} -- ${reasonOf}`): CommentSpec[] {
    const record: AckRecord = { v: 1, src: "issue:3100001", h: bodyHash(body), r: "+1", c: [{ n: "ignore", s: "ok" }] };
    return [
      issueComment(body, "lead-dev", 3100001, { createdAt: "2025-05-02T09:30:00Z" }),
      issueComment(`${ackMarker(record)}\n👍 **Ignored** 1 finding`, "memlint", 3200001, { createdAt: "2025-05-02T09:30:05Z" }),
    ];
  }

  /** The threads after the ignore: the http-body one resolved, its comment saying ignored. */
  function ignoredThreads(before: Before, finding: Pick<Finding, "fingerprint">): ThreadSpec[] {
    return before.threads.map((t, i) =>
      i === 0
        ? {
            ...t,
            isResolved: true,
            comments: [
              {
                ...t.comments[0]!,
                body: renderIgnoredComment(
                  { ...stubFinding(), fingerprint: finding.fingerprint, id: finding.fingerprint.slice(0, 8) },
                  { by: "lead-dev", label: "false positive", reason: reasonOf, how: "with `/memlint ignore`" },
                ),
              },
            ],
          }
        : t,
    );
  }

  it("an ignore survives a push: the next run rebuilds it from the comments (one permission lookup, no replies)", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const shifted: FileChange[] = [{ path: READER, base: go("reader.base"), head: go("reader.shifted") }];
    const mocks = mockRun(scope, { files: shifted, headSha: NEXT_SHA, threads: before.threads, comments: answeredIgnore(before), config: STAGING, mutations: true });
    mockPermission(scope, "lead-dev", "maintain");
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: NEXT_SHA, baseRef: RELEASE }));
    expectExactly(scope);
    expect(mocks.review.count).toBe(0);
    expect(mocks.update.first.conclusion).toBe("neutral");
    expect(mocks.update.first.output.summary).toContain(`\`${before.body.id}\` \`http-body-not-closed\` \`batch/reader.go:29\``);
    // The ignored finding's thread gets resolved (it was open in this state).
    expect(mocks.mutations.first.query).toContain("resolveReviewThread");
  });

  it("a waiver made with the button survives a push (rebuilt from memlint's record, no lookups)", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const record = issueComment(
      `${waiverMarker({ v: 1, by: "rel-lead", at: "2025-05-02T09:40:00Z", env: "staging", p: [before.body.id] })}\n🛡️ **Waiver recorded**`,
      "memlint",
      3200009,
    );
    const mocks = mockRun(scope, { files, headSha: NEXT_SHA, threads: before.threads, comments: [record], config: STAGING, mutations: true });
    await app.receive("pull_request", pullRequestPayload("pull_request.synchronize", { headSha: NEXT_SHA, baseRef: RELEASE }));
    expectExactly(scope);
    expect(mocks.update.first.conclusion).toBe("neutral");
    expect(mocks.update.first.output.summary).toMatch(/@\u200drel-lead \| 2025-05-02T09:40:00Z \| waiver \|.*\| \[“Waive” button\]\(https:\/\/github\.com\/acme\/payments\/pull\/42#issuecomment-3200009\) \|/);
  });

  it("an edit that removes the command: the ignore is withdrawn, the check blocks again, thread reopened, answer updated, 👍 removed", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const [command, ack] = answeredIgnore(before);
    const edited = { ...command!, body: "Never mind, I'll fix it instead.", lastEditedAt: "2025-05-02T09:50:00Z" };
    const mocks = mockCommandRun(scope, {
      threads: ignoredThreads(before, before.body),
      comments: [edited, ack!],
      mutations: true,
    });
    const editAnswer = mockCommentEdit(scope, "issue", 3200001);
    scope
      .get("/repos/acme/payments/issues/comments/3100001/reactions")
      .query({ content: "+1", per_page: "100" })
      .reply(200, [
        { id: 555, content: "+1", user: { login: "someone-else" } },
        { id: 556, content: "+1", user: { login: "memlint[bot]" } },
      ]);
    scope.delete("/repos/acme/payments/issues/comments/3100001/reactions/556").reply(204);
    await app.receive(
      "issue_comment",
      issueCommentPayload("Never mind, I'll fix it instead.", { action: "edited", from: command!.body, updatedAt: "2025-05-02T09:50:00Z" }),
    );
    expectExactly(scope);
    expect(mocks.update.first.conclusion).toBe("action_required");
    expect(mocks.update.first.output.summary).not.toContain("### Ignored findings");
    // The thread: comment restored, thread reopened.
    expect(mocks.mutations.first.query).toContain("unresolveReviewThread");
    expect(mocks.mutations.first.variables.b0).toMatch(/^<!-- memlint:fingerprint=[0-9a-f]{64} -->\n\*\*🔴 Error: /);
    const updated = editAnswer.first.body as string;
    expect(updated.split("\n")[0]).toContain('"w":"edited"');
    expect(updated).toContain("↩️ The command was edited away, so what it ignored or took back no longer applies.");
    expect(updated).toContain("The `memlint` check is now **action\\_required**");
  });

  it("an edit whose payload lacks the former body: memlint's answer to the comment is found, and the ignore is withdrawn", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const [command, ack] = answeredIgnore(before);
    const edited = { ...command!, body: "Never mind, I'll fix it instead.", lastEditedAt: "2025-05-02T09:50:00Z" };
    // The lookup that tells whether memlint answered this comment, then the run's own requests.
    const lookup = mockThreads(scope, { threads: ignoredThreads(before, before.body), comments: [edited, ack!] });
    const mocks = mockCommandRun(scope, { threads: ignoredThreads(before, before.body), comments: [edited, ack!], mutations: true });
    const editAnswer = mockCommentEdit(scope, "issue", 3200001);
    scope.get("/repos/acme/payments/issues/comments/3100001/reactions").query({ content: "+1", per_page: "100" }).reply(200, [{ id: 556, content: "+1", user: { login: "memlint[bot]" } }]);
    scope.delete("/repos/acme/payments/issues/comments/3100001/reactions/556").reply(204);
    const event = issueCommentPayload("Never mind, I'll fix it instead.", { action: "edited", updatedAt: "2025-05-02T09:50:00Z" });
    expect(event.changes).toBeUndefined();
    await app.receive("issue_comment", event);
    expectExactly(scope);
    expect(lookup.count).toBe(1);
    expect(mocks.update.first.conclusion).toBe("action_required");
    expect(mocks.update.first.output.title).toBe("1 blocking finding (staging)");
    expect(editAnswer.first.body).toContain("↩️ The command was edited away, so what it ignored or took back no longer applies.");
  });

  it("an edit whose payload lacks the former body, of a comment memlint never answered: one lookup, nothing else", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockThreads(scope, { threads: before.threads, comments: [issueComment("LGTM, edited")] });
    await app.receive("issue_comment", issueCommentPayload("LGTM, edited", { action: "edited", updatedAt: "2025-05-02T09:50:00Z" }));
    expectExactly(scope);
  });

  it("a deleted command: the ignore is withdrawn and memlint's answer says so", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const [command, ack] = answeredIgnore(before);
    // GitHub may still list the deleted comment for a moment: the event wins.
    const mocks = mockCommandRun(scope, { threads: ignoredThreads(before, before.body), comments: [command!, ack!], mutations: true });
    const editAnswer = mockCommentEdit(scope, "issue", 3200001);
    await app.receive("issue_comment", issueCommentPayload(command!.body, { action: "deleted" }));
    expectExactly(scope);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "action_required", title: "1 blocking finding (staging)" });
    expect(editAnswer.first.body).toContain('"w":"deleted"');
    expect(editAnswer.first.body).toContain("↩️ The command comment was deleted");
  });

  it("a permission that cannot be read: that commenter's ignores do not apply, the command waits; the check still completes", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const body = `/memlint ignore ${before.body.id} -- ${reasonOf}`;
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment(body)] });
    scope.get("/repos/acme/payments/collaborators/lead-dev/permission").reply(502, { message: "Bad Gateway" });
    await app.receive("issue_comment", issueCommentPayload(body));
    expectExactly(scope); // no reaction, no reply: a later run answers
    expect(mocks.update.first).toMatchObject({ status: "completed", conclusion: "action_required", output: { title: "1 blocking finding (staging)" } });
    expect(logsMatching(app.logs, /could not read a commenter's permission/)).toHaveLength(1);
  });

  it("a pull request without Go files still answers the command", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockGetPull(scope, pullRequestPayload(undefined, { baseRef: RELEASE }).pull_request);
    mockLatestCheckRun(scope);
    mockConfig(scope, STAGING);
    mockFiles(scope, pullFiles([{ path: "README.md", base: "a\n", head: "b\n" }]));
    const body = `/memlint ignore all -- ${reasonOf}`;
    mockThreads(scope, { comments: [issueComment(body)] });
    mockPermission(scope, "lead-dev", "maintain");
    const update = mockCheckUpdate(scope);
    mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(body));
    expectExactly(scope);
    expect(update.first).toMatchObject({ conclusion: "success", output: { title: "No Go files changed" } });
    expect(reply.first.body).toContain("this pull request has no findings at `9f1c2d3`, so there is nothing to ignore");
  });

  it("unignore: the ignore is taken back and the check blocks again", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const unignore = issueComment(`/memlint unignore ${before.body.id}`, "lead-dev", 3100002, { createdAt: "2025-05-02T10:00:00Z" });
    const mocks = mockCommandRun(scope, {
      threads: ignoredThreads(before, before.body),
      comments: [...answeredIgnore(before), unignore],
      permissions: [["lead-dev", "maintain"]],
      mutations: true,
    });
    const reaction = mockReaction(scope, "issue", 3100002);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(unignore.body, { id: 3100002, createdAt: "2025-05-02T10:00:00Z" }));
    expectExactly(scope);
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "action_required", title: "1 blocking finding (staging)" });
    expect(mocks.mutations.first.query).toContain("unresolveReviewThread");
    expect(reaction.first.content).toBe("+1");
    const answer = reply.first.body as string;
    expect(answer.split("\n")[0]).toContain('"src":"issue:3100002"');
    expect(answer).toContain("↩️ **No longer ignored:** 1 finding.");
    expect(answer).toContain("The `memlint` check is now **action\\_required** (was **neutral**)");
  });

  it("recheck by the author: the analysis runs again for the current head and the answer gives the conclusion", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment("/memlint recheck", "octo-dev")] });
    const reaction = mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload("/memlint recheck", { login: "octo-dev" }));
    expectExactly(scope);
    expect(mocks.update.first).toMatchObject({ status: "completed", conclusion: "action_required", output: { title: "1 blocking finding (staging)" } });
    expect(mocks.contents.count).toBe(1); // analyzed again
    expect(reaction.first.content).toBe("+1");
    expect(reply.first.body).toContain("🔄 **Re-checked** `9f1c2d3`.");
    expect(reply.first.body).toContain("The `memlint` check is now **action\\_required** (unchanged): 1 blocking finding (staging).");
  });

  it("recheck by someone without write permission: refused after one permission lookup, before any analysis", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockPermission(scope, "drive-by", "read");
    const reaction = mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload("/memlint recheck", { login: "drive-by" }));
    expectExactly(scope); // no pull request, configuration, files or check run read
    expect(reaction.first.content).toBe("confused");
    expect(reply.first.body).toContain(`**Not applied:** re-checking needs write permission or being the pull request's author (@${ZWJ}drive-by has read)`);
  });

  it("a redelivered command answered already is not answered twice (the answer's record is found)", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: answeredIgnore(before), permissions: [["lead-dev", "maintain"]], mutations: true });
    await app.receive("issue_comment", issueCommentPayload(`/memlint ignore ${before.body.id} -- ${reasonOf}`));
    expectExactly(scope); // no reaction, no reply
    expect({ conclusion: mocks.update.first.conclusion, title: mocks.update.first.output.title }).toEqual({ conclusion: "neutral", title: "1 finding, none blocking (staging), 1 ignored" });
  });
});

describe("not commands", () => {
  it("bot comments — memlint's own included — cost no request", async () => {
    const app = await createTestApp();
    await app.receive("issue_comment", issueCommentPayload("/memlint ignore all -- approved by the bot", { login: "dependabot[bot]", type: "Bot" }));
    await app.receive("issue_comment", issueCommentPayload("/memlint ignore all -- approved by the bot", { login: "memlint[bot]", type: "Bot" }));
    await app.receive("pull_request_review_comment", reviewCommentPayload("/memlint ignore -- approved by the bot", { login: "renovate[bot]", type: "Bot" }));
    expect(unmatched).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("comments without a command, quoted commands, issues that are not pull requests: no request", async () => {
    const app = await createTestApp();
    await app.receive("issue_comment", issueCommentPayload("LGTM, thanks!"));
    await app.receive("issue_comment", issueCommentPayload("> /memlint ignore all -- quoted\n\nWhy would we?"));
    const onIssue = issueCommentPayload("/memlint help");
    delete onIssue.issue.pull_request;
    await app.receive("issue_comment", onIssue);
    expect(unmatched).toEqual([]);
  });

  it("help is answered at once with the command list", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    const reaction = mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload("/memlint help"));
    expectExactly(scope);
    expect(reaction.first.content).toBe("+1");
    expect(reply.first.body).toContain("| `/memlint ignore <finding-id> -- <reason>` |");
  });

  it("explain answers with the rule's documentation", async () => {
    const app = await createTestApp();
    const scope = api();
    mockInstallationToken(scope);
    mockReaction(scope, "review", 9201);
    const reply = mockReviewReply(scope, 9000);
    await app.receive("pull_request_review_comment", reviewCommentPayload("/memlint explain http-body-not-closed"));
    expectExactly(scope);
    expect(reply.first.body).toContain("📖 **`http-body-not-closed`: response body never closed**");
    expect(reply.first.body).toContain("```go");
  });
});

describe("escaping", () => {
  it("a reason with mentions, markdown and a forged marker is echoed harmlessly, in the answer and the summary", async () => {
    const before = await firstRun();
    const app = await createTestApp();
    const scope = api();
    const evil = `/memlint ignore ${before.body.id} -- @acme/security approved <!-- memlint:fingerprint=${"f".repeat(64)} --> **really** [x](https://evil.example) #12`;
    const mocks = mockCommandRun(scope, { threads: before.threads, comments: [issueComment(evil)], permissions: [["lead-dev", "maintain"]], mutations: true });
    mockReaction(scope, "issue", 3100001);
    const reply = mockIssueCommentPost(scope);
    await app.receive("issue_comment", issueCommentPayload(evil));
    expectExactly(scope);
    const answer = (reply.first.body as string).split("\n").slice(1).join("\n");
    const summary = mocks.update.first.output.summary as string;
    const threadBody = mocks.mutations.first.variables.b0 as string;
    for (const text of [answer, summary, threadBody.split("\n").slice(1).join("\n")]) {
      expect(text).not.toMatch(/@(?!\u200d)acme/);
      expect(text).not.toContain("<!-- memlint");
      expect(text).not.toContain("](https://evil.example)");
      expect(text).not.toMatch(/(?<!\\)#12/);
    }
  });
});

function stubFinding(): Finding {
  return {
    ruleId: "http-body-not-closed",
    severity: "error",
    category: "leak-resource",
    title: "response body never closed",
    message: "`resp.Body` is never closed.",
    path: READER,
    line: 26,
    column: 1,
    endLine: 26,
    endColumn: 2,
    declaration: "Load",
    fingerprint: "",
    id: "",
    related: [],
  };
}
