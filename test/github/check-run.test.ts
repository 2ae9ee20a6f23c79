import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CheckAnnotation } from "../../src/comments/annotations.js";
import { appendToSummary, fitOutput, MAX_OUTPUT } from "../../src/comments/summary.js";
import { CheckRun, formatHandle, parseHandle } from "../../src/github/check-run.js";
import { api, mockCheckCreate, mockCheckUpdate, TestOctokit } from "../helpers/github.js";

const octokit = () => new TestOctokit({ auth: { token: "test-token" } });
const log = pino({ level: "silent" });
const repo = { owner: "acme", repo: "payments" };

function annotations(n: number): CheckAnnotation[] {
  return Array.from({ length: n }, (_, i) => ({
    path: "batch/reader.go",
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: "warning",
    title: `finding ${i}`,
    message: "message",
  }));
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("CheckRun", () => {
  it("sends annotations 50 per request: the first batch completes the run, the rest follow", async () => {
    const scope = api();
    const create = mockCheckCreate(scope);
    const update = mockCheckUpdate(scope, { statuses: [200, 200, 200] });
    const run = new CheckRun(octokit(), repo, "headsha", "acme/payments#42", log);
    expect(await run.start({ title: "Analyzing…", summary: "…" })).toBe(true);
    const report = await run.complete({ conclusion: "failure", output: { title: "T", summary: "S" }, annotations: annotations(120) });
    expect(scope.isDone()).toBe(true);
    expect(create.first).toMatchObject({ name: "memlint", status: "in_progress", external_id: "acme/payments#42" });
    expect(update.bodies.map((b) => b.output.annotations.length)).toEqual([50, 50, 20]);
    expect(update.bodies[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(update.bodies[1]!.status).toBeUndefined();
    expect(update.bodies[1]!.output).toMatchObject({ title: "T", summary: "S" });
    expect(report).toEqual({ annotations: 120, problems: [], fallback: false });
    expect(run.completed).toBe(true);
  });

  it("a failed annotation batch is noted in the summary; the run stays completed", async () => {
    const scope = api();
    mockCheckCreate(scope);
    const update = mockCheckUpdate(scope, { statuses: [200, 422, 200] });
    const run = new CheckRun(octokit(), repo, "headsha", "acme/payments#42", log);
    await run.start({ title: "Analyzing…", summary: "…" });
    const report = await run.complete({ conclusion: "neutral", output: { title: "T", summary: "S" }, annotations: annotations(80) });
    expect(scope.isDone()).toBe(true);
    expect(report.annotations).toBe(50);
    expect(report.problems[0]).toContain("30 of 80 annotations could not be attached: PATCH /repos/acme/payments/check-runs/7001 → 422");
    expect(update.last.output.summary).toContain("30 of 80 annotations could not be attached");
  });

  it("when the run could not be created, completing creates it completed", async () => {
    const scope = api();
    mockCheckCreate(scope, { status: 500 });
    const created = mockCheckCreate(scope, { id: 9 });
    const run = new CheckRun(octokit(), repo, "headsha", "acme/payments#42", log);
    expect(await run.start({ title: "Analyzing…", summary: "…" })).toBe(false);
    await run.complete({ conclusion: "success", output: { title: "No Go files changed", summary: "S" } });
    expect(scope.isDone()).toBe(true);
    expect(created.first).toMatchObject({ head_sha: "headsha", status: "completed", conclusion: "success", external_id: "acme/payments#42" });
    expect(run.id).toBe(9);
  });

  it("throws only when GitHub accepts neither the full nor the short report", async () => {
    const scope = api();
    mockCheckUpdate(scope, { statuses: [500, 500] });
    const run = CheckRun.existing(octokit(), repo, 7001, "headsha", "acme/payments#42", log);
    await expect(run.complete({ conclusion: "failure", output: { title: "T", summary: "S" } })).rejects.toMatchObject({ status: 500 });
    expect(run.completed).toBe(false);
  });
});

describe("handles and output limits", () => {
  it("round-trips the pull request handle and rejects anything else", () => {
    const handle = { owner: "acme", repo: "pay.ments_v2", pullNumber: 42 };
    expect(parseHandle(formatHandle(handle))).toEqual(handle);
    expect(parseHandle("acme/payments#0")).toBeUndefined();
    expect(parseHandle("acme/payments")).toBeUndefined();
    expect(parseHandle("../x#1")).toBeUndefined();
    expect(parseHandle(null)).toBeUndefined();
  });

  it("keeps summaries within 65,535 characters, keeping appended notes", () => {
    expect(fitOutput("x".repeat(70_000)).length).toBeLessThanOrEqual(MAX_OUTPUT);
    const summary = appendToSummary("y".repeat(MAX_OUTPUT), ["> note that must survive"]);
    expect(summary.length).toBeLessThanOrEqual(MAX_OUTPUT);
    expect(summary.endsWith("> note that must survive")).toBe(true);
  });
});
