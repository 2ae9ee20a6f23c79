/**
 * Faults on every GitHub endpoint a run uses — 500, 502, a secondary rate limit (403 with
 * `retry-after`) and a stalled connection, also after the write was applied — through the real
 * server. The check run always completes, with the analysis' conclusion when a retry got through
 * and with an honest message otherwise, and nothing is ever posted twice.
 */
import { describe, expect, it } from "vitest";
import type { Endpoint, FaultKind, GitHubDouble, RequestRecord } from "./github-double.js";
import { type AppProcess, sendWebhook } from "./harness.js";
import { serverForFile } from "./server-for-file.js";
import { completedCheck, newRepo, openPull, READER, SRC } from "./scenario.js";

let double: GitHubDouble;
let app: AppProcess;
// Stalled requests are given up after 3 s (each stall case waits for that limit).
serverForFile(
  (d, a) => {
    double = d;
    app = a;
  },
  { MEMLINT_REQUEST_TIMEOUT_MS: "3000" },
);

let cases = 0;

/** A pull request in a repository (and installation) of its own, so faults can target it. */
function fixture() {
  const n = ++cases;
  const owner = `faulty${n}`;
  const installation = 70_000 + n;
  const full = newRepo(double, { [READER]: SRC.base }, { owner, installation });
  const head = openPull(double, full, 1, { [READER]: SRC.head });
  const ofRepo = (r: RequestRecord) =>
    r.path.startsWith(`/repos/${full}/`) || r.path.startsWith(`/app/installations/${installation}/`) || (r.body?.variables as Record<string, unknown> | undefined)?.owner === owner;
  return { full, head, ofRepo };
}

async function run(full: string, head: string) {
  const response = await sendWebhook(app, "pull_request", double.pullRequestEvent(full, 1));
  const check = await completedCheck(double, full, head, 60_000);
  await new Promise((r) => setTimeout(r, 150));
  return { response, check };
}

const reviewsOf = (full: string) => double.reviews.filter((r) => `${r.owner}/${r.repo}` === full);

const ENDPOINTS: Endpoint[] = ["token", "check-create", "config", "files", "contents", "threads", "review", "check-update"];
const KINDS: FaultKind[] = ["500", "502", "secondary", "stall"];
const WRITES = new Set<Endpoint>(["check-create", "review", "check-update"]);

describe("one fault on each endpoint: retried, the verdict stands, nothing twice", () => {
  const matrix = ENDPOINTS.flatMap((endpoint) =>
    KINDS.flatMap((kind) => [
      { endpoint, kind, applied: false },
      // GitHub sometimes applies a write and still fails the request.
      ...(WRITES.has(endpoint) && kind !== "secondary" ? [{ endpoint, kind, applied: true }] : []),
    ]),
  );

  it(`${matrix.length} cases, concurrently`, async () => {
    const results = await Promise.all(
      matrix.map(async (c) => {
        const { full, head, ofRepo } = fixture();
        double.fault({ endpoint: c.endpoint, kind: c.kind, applied: c.applied, retryAfter: 1, match: ofRepo });
        const { response, check } = await run(full, head);
        return { c, full, head, response, check };
      }),
    );
    for (const { c, full, head, response, check } of results) {
      const label = `${c.kind}${c.applied ? " (applied)" : ""} on ${c.endpoint}`;
      expect(response.status, label).toBeLessThan(300);
      // The analysis' own verdict (two findings in production), not an error.
      expect({ label, conclusion: check.conclusion, title: check.output.title }).toMatchObject({ label, conclusion: "failure", title: "2 blocking findings (production)" });
      // Exactly one check run for the commit, one review, one thread per finding.
      expect(double.checkRunsFor(full, head).length, label).toBe(1);
      expect(reviewsOf(full).length, label).toBe(1);
      expect(double.threadsOf(full, 1).length, label).toBe(2);
      const faulted = double.requests.filter((r) => r.fault && (r.path.includes(full) || r.endpoint === c.endpoint));
      expect(faulted.length, label).toBeGreaterThan(0);
    }
  }, 180_000);
});

describe("faults that do not go away: the check completes honestly", () => {
  const persistent: { endpoint: Endpoint; kind: FaultKind; title: RegExp; text: RegExp; conclusion: string; review: number }[] = [
    { endpoint: "files", kind: "500", title: /could not talk to GitHub/, text: /listing the pull request's files failed: GET \/(api\/v3\/)?repos\/.*\/files.* → 500/, conclusion: "failure", review: 0 },
    { endpoint: "contents", kind: "502", title: /could not talk to GitHub/, text: /reading file contents failed: POST \/(api\/)?graphql → 502/, conclusion: "failure", review: 0 },
    { endpoint: "config", kind: "stall", title: /could not talk to GitHub/, text: /reading \.github\/memlint\.yml failed: POST \/(api\/)?graphql → no answer from GitHub within 3 s/, conclusion: "failure", review: 0 },
    { endpoint: "threads", kind: "500", title: /could not talk to GitHub/, text: /reading the pull request's review threads failed/, conclusion: "failure", review: 0 },
    // A secondary rate limit longer than memlint waits (60 s): not retried, said so.
    { endpoint: "files", kind: "secondary", title: /could not talk to GitHub/, text: /secondary rate limit.*retry-after 120 s/, conclusion: "failure", review: 0 },
    // The review cannot be posted: the findings become annotations and the verdict stands.
    { endpoint: "review", kind: "502", title: /2 blocking findings/, text: /could not be posted .*→ 502/, conclusion: "failure", review: 0 },
  ];

  it(`${persistent.map((p) => `${p.kind} on ${p.endpoint}`).join(", ")}: every time, concurrently`, async () => {
    await Promise.all(
      persistent.map(async (p) => {
        const label = `${p.kind} on ${p.endpoint}`;
        const { full, head, ofRepo } = fixture();
        double.fault({ endpoint: p.endpoint, kind: p.kind, times: 100, retryAfter: 120, match: ofRepo });
        const { check } = await run(full, head);
        expect(check.conclusion, label).toBe(p.conclusion);
        expect(check.output.title, label).toMatch(p.title);
        expect(check.output.summary, label).toMatch(p.text);
        expect(reviewsOf(full).length, label).toBe(p.review);
        expect(double.checkRunsFor(full, head), label).toHaveLength(1);
        if (p.endpoint === "review") expect(check.annotations.length, label).toBe(2);
      }),
    );
  }, 180_000);
});
