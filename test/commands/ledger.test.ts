import { describe, expect, it } from "vitest";
import { collectEvents, type LedgerResult, loginsToCheck, replay, type ReplayContext } from "../../src/commands/ledger.js";
import { ackMarker, type AckRecord, bodyHash, waiverMarker } from "../../src/commands/markers.js";
import { renderAnswer } from "../../src/commands/reply.js";
import { decide } from "../../src/config/policy.js";
import { DEFAULT_ENVIRONMENTS, type EnvironmentPolicy, type Permission } from "../../src/config/types.js";
import type { PullComment } from "../../src/commands/comment.js";
import { finding } from "../comments/findings.js";

const env = (name: string): EnvironmentPolicy => structuredClone(DEFAULT_ENVIRONMENTS.find((e) => e.name === name)!);
const STAGING = { ...env("staging"), waivers: { ...env("staging").waivers, approvers: ["rel-lead"] } };

const A = finding({ ruleId: "http-body-not-closed", severity: "error", line: 10, fingerprint: "aaaa1111".padEnd(64, "0"), id: "aaaa1111" });
const B = finding({ ruleId: "defer-in-loop", severity: "warning", line: 20, fingerprint: "bbbb2222".padEnd(64, "0"), id: "bbbb2222" });
const C = finding({ ruleId: "http-body-not-closed", severity: "error", line: 30, fingerprint: "cccc3333".padEnd(64, "0"), id: "cccc3333" });

let nextId = 100;
function comment(body: string, author: string, minute: number, extra: Partial<PullComment> = {}): PullComment {
  return {
    kind: "issue",
    id: nextId++,
    body,
    author,
    isBot: false,
    isOwn: false,
    createdAt: new Date(Date.UTC(2025, 4, 2, 9, minute)).toISOString(),
    editedAt: null,
    ...extra,
  };
}
function ackFor(source: PullComment, record: Partial<AckRecord>, minute: number): PullComment {
  const full: AckRecord = { v: 1, src: `${source.kind}:${source.id}`, h: bodyHash(source.body), r: "+1", c: [], ...record };
  return comment(`${ackMarker(full)}\nanswered`, "memlint", minute, { isBot: true, isOwn: true, kind: source.kind });
}

function run(comments: PullComment[], options: { environment?: EnvironmentPolicy; findings?: typeof A[]; permissions?: Record<string, Permission | "none">; author?: string } = {}): LedgerResult {
  const environment = options.environment ?? STAGING;
  const ctx: ReplayContext = {
    findings: options.findings ?? [A, B],
    preexisting: [finding({ fingerprint: "eeee5555".padEnd(64, "0"), id: "eeee5555", ruleId: "forced-gc" })],
    suppressed: [],
    environment,
    author: options.author ?? "octo-dev",
    permissions: new Map(Object.entries(options.permissions ?? { "lead-dev": "maintain", "octo-dev": "admin", "drive-by": "read" })),
    conclusionOf: (active) => decide(environment, [...active], { draft: false }).conclusion,
    headSha: "9f1c2d3e4b5a",
  };
  return replay(collectEvents(comments, { minReasonLength: 10 }), ctx);
}

describe("replaying commands", () => {
  it("an accepted ignore by id: who, when, category and reason; the answer records the before conclusion", () => {
    const c = comment("/memlint ignore aaaa1111 --as accepted-risk -- bounded by the batch size", "lead-dev", 1, { url: "https://github.com/acme/payments/pull/42#issuecomment-1" });
    const ledger = run([c]);
    expect(ledger.ignored).toEqual([
      { finding: A, by: "lead-dev", at: c.createdAt, category: "accepted-risk", reason: "bounded by the batch size", via: "comment", link: c.url },
    ]);
    expect(ledger.answers).toHaveLength(1);
    expect(ledger.answers[0]!.before).toBe("action_required");
    expect(ledger.answers[0]!.outcomes[0]).toMatchObject({ status: "accepted", changed: [A] });
  });

  it("later commands override earlier ones; unignore removes; edits count from their edit time", () => {
    const first = comment("/memlint ignore all -- release branch, tracked in JIRA-12", "lead-dev", 1);
    const second = comment("/memlint unignore aaaa1111", "lead-dev", 2);
    expect(run([first, second]).ignored.map((i) => i.finding)).toEqual([B]);
    // The first comment edited after the unignore: its (new) text counts from the edit.
    const edited = { ...first, body: "/memlint ignore all -- release branch, tracked in JIRA-13", editedAt: new Date(Date.UTC(2025, 4, 2, 9, 3)).toISOString() };
    expect(run([edited, second]).ignored.map((i) => i.finding)).toEqual([A, B]);
  });

  it("rule and all ignores cover the findings recorded in memlint's answer, not findings added later", () => {
    const c = comment("/memlint ignore http-body-not-closed -- the client is a test double", "lead-dev", 1);
    // Fresh: covers the current findings of the rule and records their ids.
    const fresh = run([c]);
    expect(fresh.answers[0]!.outcomes[0]).toMatchObject({ status: "accepted", ids: ["aaaa1111"] });
    // A later push adds C (same rule): the answer recorded only A, so C is not covered.
    const answered = ackFor(c, { c: [{ n: "ignore", s: "ok", p: ["aaaa1111"] }] }, 2);
    const later = run([c, answered], { findings: [A, B, C] });
    expect(later.ignored.map((i) => i.finding)).toEqual([A]);
    expect(later.answers).toEqual([]);
  });

  it("a finding-id ignore keeps covering the finding when it comes back (fingerprints survive pushes)", () => {
    const c = comment("/memlint ignore aaaa1111 -- bounded by the batch size", "lead-dev", 1);
    const answered = ackFor(c, { c: [{ n: "ignore", s: "ok" }] }, 2);
    expect(run([c, answered], { findings: [B] }).ignored).toEqual([]);
    expect(run([c, answered], { findings: [A, B] }).ignored.map((i) => i.finding)).toEqual([A]);
  });

  it("refusals: no permission, the author in staging, production, unknown/pre-existing/ambiguous ids, nothing to take back", () => {
    const why = (body: string, author: string, options: Parameters<typeof run>[1] = {}) => {
      const ledger = run([comment(body, author, 1)], options);
      expect(ledger.ignored).toEqual([]);
      const o = ledger.answers[0]!.outcomes[0]!;
      expect(o.status).toBe("refused");
      return (o as { why: string }).why;
    };
    expect(why("/memlint ignore aaaa1111 -- bounded by the batch size", "drive-by")).toBe(
      "ignoring findings in `staging` needs maintain permission or being a listed approver, and @drive-by has read",
    );
    expect(why("/memlint ignore aaaa1111 -- bounded by the batch size", "octo-dev")).toContain("the pull request's author cannot ignore its findings in `staging`");
    expect(why("/memlint ignore aaaa1111 -- bounded by the batch size", "octo-dev", { environment: env("production"), author: "someone" })).toBe(
      "`production` forbids waivers: findings cannot be ignored there, only fixed",
    );
    expect(why("/memlint ignore deadbeef -- bounded by the batch size", "lead-dev")).toContain("this pull request has no finding with id `deadbeef` at `9f1c2d3`");
    expect(why("/memlint ignore eeee5555 -- bounded by the batch size", "lead-dev")).toContain("is a pre-existing finding");
    const twins = [A, { ...C, fingerprint: "aaaa1111ff".padEnd(64, "0") }];
    expect(why("/memlint ignore aaaa11 -- bounded by the batch size", "lead-dev", { findings: twins })).toContain("matches 2 findings");
    expect(why("/memlint unignore aaaa1111", "lead-dev")).toContain("not ignored, so there is nothing to take back");
    expect(why("/memlint ignore forced-gc -- bounded by the batch size", "lead-dev")).toContain("no findings of `forced-gc`");
    expect(why("/memlint ignore -- bounded by the batch size", "lead-dev")).toContain("which finding? in the conversation, name the finding");
  });

  it("a refusal is final for that text: the same comment never takes effect later", () => {
    const c = comment("/memlint ignore aaaa1111 -- bounded by the batch size", "drive-by", 1);
    const refused = ackFor(c, { r: "confused", c: [{ n: "ignore", s: "no" }] }, 2);
    const ledger = run([c, refused], { permissions: { "drive-by": "admin" } });
    expect(ledger.ignored).toEqual([]);
    expect(ledger.answers).toEqual([]);
  });

  it("accepted ignores lapse when the commenter lost the right to waive; accepted unignores do not", () => {
    const c = comment("/memlint ignore aaaa1111 -- bounded by the batch size", "lead-dev", 1);
    const answered = ackFor(c, { c: [{ n: "ignore", s: "ok" }] }, 2);
    const ledger = run([c, answered], { permissions: { "lead-dev": "write" } });
    expect(ledger.ignored).toEqual([]);
    expect(ledger.lapsed).toEqual([{ by: "lead-dev", key: `issue:${c.id}`, why: expect.stringContaining("needs maintain permission") }]);
  });

  it("the reply form resolves the finding from the memlint thread replied to", () => {
    const reply = comment("/memlint ignore -- bounded by the batch size", "lead-dev", 1, {
      kind: "review",
      thread: { id: "PRRT_1", rootId: 9000, fingerprint: A.fingerprint },
    });
    expect(run([reply]).ignored.map((i) => i.finding)).toEqual([A]);
    const elsewhere = comment("/memlint ignore -- bounded by the batch size", "lead-dev", 1, { kind: "review", thread: { id: "PRRT_2", rootId: 777 } });
    expect((run([elsewhere]).answers[0]!.outcomes[0] as { why: string }).why).toContain("this thread is not one of memlint's");
  });

  it("bots are never commands; quoted commands are not commands", () => {
    const bot = comment("/memlint ignore all -- dependabot says so, trust me", "dependabot", 1, { isBot: true });
    const quoted = comment("> /memlint ignore all -- release branch, tracked in JIRA-12\n\nWhy?", "drive-by", 2);
    const ledger = run([bot, quoted]);
    expect(ledger.ignored).toEqual([]);
    expect(ledger.answers).toEqual([]);
  });

  it("waiver records by approvers apply; by others (or after losing approval) they lapse", () => {
    const record = comment(`${waiverMarker({ v: 1, by: "rel-lead", at: "2025-05-02T09:05:00Z", env: "staging", p: ["aaaa1111"] })}\nWaived`, "memlint", 5, { isBot: true, isOwn: true });
    expect(run([record]).ignored).toMatchObject([{ finding: A, by: "rel-lead", via: "waive-button", category: "waiver" }]);
    const forged = { ...record, isOwn: false, isBot: false, author: "drive-by" };
    expect(run([forged]).ignored).toEqual([]);
    const noLonger = { ...STAGING, waivers: { ...STAGING.waivers, approvers: [] } };
    expect(run([record], { environment: noLonger }).lapsed).toHaveLength(1);
  });

  it("records are trusted only in memlint's own comments (readers mark comments others edited as not memlint's)", () => {
    const record = waiverMarker({ v: 1, by: "rel-lead", at: "2025-05-02T09:05:00Z", env: "staging", p: ["aaaa1111"] });
    const tampered = comment(`${record}\nWaived`, "memlint", 5, { isBot: true, isOwn: false });
    expect(run([tampered]).ignored).toEqual([]);
  });

  it("answers whose command was deleted or edited away are reported for withdrawal", () => {
    const c = comment("/memlint ignore aaaa1111 -- bounded by the batch size", "lead-dev", 1);
    const answered = ackFor(c, { c: [{ n: "ignore", s: "ok" }] }, 2);
    expect(run([answered]).orphans).toMatchObject([{ why: "deleted" }]);
    expect(run([{ ...c, body: "never mind" }, answered]).orphans).toMatchObject([{ why: "edited" }]);
    expect(run([{ ...c, body: "never mind" }, answered]).ignored).toEqual([]);
  });

  it("looks up each commenter once, and nobody where waivers are forbidden", () => {
    const comments = [
      comment("/memlint ignore aaaa1111 -- bounded by the batch size", "lead-dev", 1),
      comment("/memlint ignore bbbb2222 -- bounded by the batch size", "Lead-Dev", 2),
      comment("/memlint recheck", "octo-dev", 3),
      comment("/memlint help", "drive-by", 4),
    ];
    const events = collectEvents(comments, { minReasonLength: 10 });
    expect(loginsToCheck(events, "octo-dev", STAGING)).toEqual(["lead-dev"]);
    expect(loginsToCheck(events, "octo-dev", env("production"))).toEqual([]);
  });
});

describe("answers", () => {
  it("escape the reason and state the new conclusion; the record goes on the first line", () => {
    const c = comment("/memlint ignore aaaa1111 -- @acme/security said <!-- memlint:fingerprint=abc --> is **fine** [x](https://evil)", "lead-dev", 1);
    const ledger = run([c]);
    const answer = renderAnswer(ledger.answers[0]!, { conclusion: "neutral", title: "1 finding, none blocking (staging), 1 ignored", headSha: "9f1c2d3e" }, { minReasonLength: 10 });
    const [first, ...rest] = answer.body.split("\n");
    expect(first).toMatch(/^<!-- memlint:ack \{"v":1,"src":"issue:\d+","h":"[0-9a-f]{16}","r":"\+1","c":\[\{"n":"ignore","s":"ok"\}\]\} -->$/);
    const text = rest.join("\n");
    expect(text).not.toContain("<!--");
    expect(text).not.toMatch(/@(?!\u200d)acme/);
    expect(text).not.toContain("](https://evil)");
    expect(text).toContain("The `memlint` check is now **neutral** (was **action\\_required**)");
    expect(answer.reaction).toBe("+1");
  });
});
