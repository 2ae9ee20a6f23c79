/**
 * The plan of a run, without any request: what memlint would post and how the check run would
 * complete, from inputs built by hand as `gather` would read them.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { PullComment } from "../../src/commands/comment.js";
import { defaultConfig } from "../../src/config/load.js";
import { selectEnvironment } from "../../src/config/policy.js";
import type { Permission } from "../../src/config/types.js";
import { changedLinesBetween } from "../../src/engine/diff.js";
import { initParser } from "../../src/engine/parser.js";
import type { ChangeSet } from "../../src/github/change-set.js";
import type { PullTarget, RunInput } from "../../src/github/gather.js";
import type { ExistingComment, ThreadSnapshot } from "../../src/github/threads.js";
import { plan } from "../../src/plan/plan.js";

const go = (name: string) => readFileSync(new URL(`../fixtures/webhooks/go/${name}.go`, import.meta.url), "utf8");
const READER = "batch/reader.go";
const HEAD = "9f1c2d3e4b5a69788796a5b4c3d2e1f0a9b8c7d6";
const BASE = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";

beforeAll(async () => {
  await initParser();
});

function target(change: Partial<PullTarget> = {}): PullTarget {
  return { owner: "acme", repo: "payments", pullNumber: 42, headSha: HEAD, baseSha: BASE, baseRef: "main", defaultBranch: "main", draft: false, author: "octo-dev", ...change };
}

function changeSet(files: { path: string; base: string; head: string }[] = [{ path: READER, base: go("reader.base"), head: go("reader.head") }]): ChangeSet {
  return {
    files: files.map((f) => ({ ...f })),
    changedByPath: new Map(files.map((f) => [f.path, changedLinesBetween(f.base, f.head)])),
    skipped: [],
    partial: [],
    goVersion: "1.22",
    listed: files.length,
    statusByPath: new Map(files.map((f) => [f.path, "modified" as const])),
    capped: false,
    goFiles: files.length,
    packages: new Map(),
    packageNotes: [],
  };
}

function snapshot(threads: ExistingComment[] = [], comments: PullComment[] = []): ThreadSnapshot {
  return { headSha: HEAD, byFingerprint: new Map(threads.map((t) => [t.fingerprint, t])), threadCount: threads.length, comments, truncatedThreads: 0 };
}

function input(change: Partial<RunInput> & { config?: RunInput["config"] } = {}, permissions: Record<string, Permission> = {}): RunInput {
  const t = change.target ?? target();
  const config = change.config ?? { ok: true as const, config: defaultConfig(), sources: {} };
  return {
    requestedSha: HEAD,
    target: t,
    config,
    environment: config.ok ? selectEnvironment(config.config, { baseBranch: t.baseRef, defaultBranch: t.defaultBranch }) : undefined,
    changes: changeSet(),
    identity: { id: 4242, slug: "memlint" },
    snapshot: snapshot(),
    access: { permissions: new Map(Object.entries(permissions)), unavailable: new Set(), teams: new Map(), problems: [] },
    elapsedMs: 120,
    ...change,
  };
}

function userComment(body: string, id = 501): PullComment {
  return { kind: "issue", id, body, author: "alice", isBot: false, isOwn: false, createdAt: "2026-01-02T03:04:05Z", editedAt: null };
}

describe("plan", () => {
  it("new findings in production: one review with both comments, a blocking completion, nothing else to write", () => {
    const p = plan(input());
    expect(p.completion.conclusion).toBe("failure");
    expect(p.completion.output.title).toBe("2 blocking findings (production)");
    expect(p.inlineComments.map((c) => [c.path, c.line, c.side])).toEqual([
      [READER, 26, "RIGHT"],
      [READER, 16, "RIGHT"],
    ]);
    expect(p.inlineComments[0]!.body).toMatch(/^<!-- memlint:fingerprint=[0-9a-f]{64} -->\n/);
    expect(p.inlineComments[0]!.body).toContain(p.inlineComments[0]!.fingerprint);
    expect(p.reviewBody).toBe("memlint found 2 new memory-management issues in `9f1c2d3`. The `memlint` check run has the full report.");
    expect(p.annotations).toEqual([]);
    expect(p.threadChanges).toEqual([]);
    expect(p.replies).toEqual([]);
    expect(p.waiverRecord).toBeUndefined();
    expect(p.stats).toMatchObject({ findings: 2, blocking: 2, analyzedFiles: 1 });
  });

  it("a review that could not be posted: its findings become annotations, the verdict stands and the summary says why", () => {
    const p = plan(input());
    const after = p.finish({ reviewError: "POST /repos/acme/payments/pulls/42/reviews → 502" });
    expect(after.completion.conclusion).toBe("failure");
    expect(after.completion.output.title).toBe("2 blocking findings (production)");
    expect(after.completion.output.summary).toContain("could not be posted (POST /repos/acme/payments/pulls/42/reviews → 502)");
    expect(after.annotations.map((a) => a.start_line).sort()).toEqual([16, 23]);
  });

  it("a finding that already has a thread is not posted again; a fixed one is marked fixed and resolved", () => {
    const first = plan(input());
    const posted = first.inlineComments[0]!;
    const thread = (fingerprint: string, body: string, id: number): ExistingComment => ({
      fingerprint,
      threadId: `PRRT_${id}`,
      commentNodeId: `PRRC_${id}`,
      commentId: id,
      body,
      path: READER,
      isResolved: false,
      humanReplied: false,
    });
    const gone = "f".repeat(64);
    const p = plan(input({ snapshot: snapshot([thread(posted.fingerprint, posted.body, 1), thread(gone, `<!-- memlint:fingerprint=${gone} -->\nold finding`, 2)]) }));
    expect(p.inlineComments.map((c) => c.fingerprint)).toEqual([first.inlineComments[1]!.fingerprint]);
    expect(p.threadChanges.map((c) => [c.kind, c.fingerprint])).toEqual([
      ["edit", gone],
      ["resolve", gone],
    ]);
    expect(p.threadChanges[0]).toMatchObject({ body: expect.stringContaining("Fixed") });
    expect(p.completion.output.title).toBe("2 blocking findings (production)");
  });

  it("an ignore by a maintainer in staging: the findings leave the decision, and the command gets a reaction and a reply", () => {
    const p = plan(
      input({ target: target({ baseRef: "release/1.0" }), snapshot: snapshot([], [userComment("/memlint ignore all -- the reader runs once at start-up")]) }, { alice: "maintain" }),
    );
    expect(p.completion.conclusion).toBe("success");
    expect(p.completion.output.title).toBe("No findings left: 2 ignored");
    expect(p.replies.map((r) => r.kind)).toEqual(["add-reaction", "reply"]);
    expect(p.replies[0]).toMatchObject({ content: "+1" });
    expect(p.replies[1]).toMatchObject({ body: expect.stringContaining("**Ignored** 2 findings") });
    expect(p.replies[1]).toMatchObject({ body: expect.stringContaining("The `memlint` check is now **success** (was **action\\_required**)") });
  });

  it("an ignore by someone without the permission is refused, and the verdict stays", () => {
    const p = plan(input({ snapshot: snapshot([], [userComment("/memlint ignore all -- the reader runs once at start-up")]) }, { alice: "write" }));
    expect(p.completion.conclusion).toBe("failure");
    expect(p.completion.output.title).toBe("2 blocking findings (production)");
    expect(p.replies[0]).toMatchObject({ kind: "add-reaction", content: "confused" });
    expect(p.replies[1]).toMatchObject({ body: expect.stringContaining("Not applied") });
  });

  it("a Waive press: the record to post first, and the findings ignored by the approver", () => {
    const config = defaultConfig();
    config.environments.find((e) => e.name === "staging")!.waivers.approvers = ["bob"];
    const waived = plan(input({ config: { ok: true, config, sources: {} }, target: target({ baseRef: "release/1.0" }), waiver: { by: "bob", at: "2026-01-02T03:04:05Z" } }));
    expect(waived.waiverRecord).toMatch(/^<!-- memlint:waiver \{.*"by":"bob".*\} -->/);
    // Staging blocks on errors: the press waives the error; the warning stays, as a hint.
    expect(waived.completion.conclusion).toBe("neutral");
    expect(waived.completion.output.title).toMatch(/, 1 ignored$/);

    const failed = plan(input({ config: { ok: true, config, sources: {} }, target: target({ baseRef: "release/1.0" }), waiver: { by: "bob", at: "2026-01-02T03:04:05Z" }, waiverFailed: "POST … → 500" }));
    expect(failed.waiverRecord).toBeUndefined();
    expect(failed.completion.conclusion).toBe("action_required");
    expect(failed.completion.output.title).toBe("1 blocking finding (staging)");
    expect(failed.completion.output.summary).toContain("could not be recorded on the pull request");
    expect(failed.problems).toEqual(["recording the waiver: POST … → 500"]);
  });

  it("runs that end before the analysis: superseded, a broken configuration, a skipped draft, no Go files", () => {
    const superseded = plan(input({ supersededBy: "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c" }));
    expect(superseded.completion).toMatchObject({ conclusion: "skipped", output: { title: "Superseded by 3c3c3c3" } });
    expect(superseded.inlineComments).toEqual([]);

    const broken = plan(input({ config: { ok: false, message: ".github/memlint.yml: `block_on` must be one of …" }, environment: undefined }));
    expect(broken.completion.conclusion).toBe("failure");
    expect(broken.completion.output.title).toBe("memlint configuration error");
    expect(broken.completion.output.summary).toContain("`block_on` must be one of");

    const config = defaultConfig();
    config.drafts = "skip";
    const draft = plan(input({ config: { ok: true, config, sources: {} }, target: target({ draft: true }), changes: undefined, snapshot: undefined }));
    expect(draft.completion).toMatchObject({ conclusion: "skipped", output: { title: "Draft pull request: not analyzed" } });

    const noGo = plan(input({ changes: { ...changeSet([]), listed: 3 }, snapshot: undefined }));
    expect(noGo.completion.conclusion).toBe("success");
    expect(noGo.completion.output.title).toBe("No Go files changed");
    expect(noGo.completion.output.summary).toContain("(3 files listed)");
  });
});
