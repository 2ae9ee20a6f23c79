/**
 * The GitHub Action end to end: a workspace checked out from a git "origin", the GitHub API
 * served over HTTP by the project's double (GITHUB_API_URL), the event payload, inputs, outputs
 * and job summary in files, as the runner provides them. A pull request's first run and a second
 * push (no comment twice, fixed threads resolved), a pull request from a fork (read-only token:
 * annotations up to GitHub's 10 per step and the summary), a token without write access, SARIF,
 * and the committed bundle itself.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Log } from "sarif";
import { parse as parseYaml } from "yaml";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction } from "../../src/action/run.js";
import { buildBundle } from "../../scripts/bundle.js";
import { cleanTempDirs, git, GIT_ENV, tempDir, writeFiles } from "../cli/helpers.js";
import { sarifViolations } from "../cli/sarif.js";
import { GitHubDouble } from "../e2e/github-double.js";
import { GO_MOD, leakyFile, READER, SRC } from "../e2e/scenario.js";
import { ROOT } from "../helpers/package.js";

afterAll(cleanTempDirs);

const REPO = "acme/payments";

/** A repository that exists twice, in step: as git (origin and a developer's clone) and in the GitHub double. */
class Scenario {
  readonly origin = tempDir("memlint-origin-");
  readonly dev = tempDir("memlint-dev-");

  constructor(readonly double: GitHubDouble) {
    git(this.origin, "init", "-q", "--bare", "-b", "main");
    git(this.dev, "init", "-q", "-b", "main");
    git(this.dev, "remote", "add", "origin", this.origin);
    double.createRepo(REPO);
  }

  private readonly tips = new Map<string, string>();

  /** Commits `files` on `branch` (created from `from`), pushes it, and gives the double the same commit. */
  commit(branch: string, files: Record<string, string | null>, from?: string): string {
    const parent = from ?? this.tips.get(branch);
    if (from) git(this.dev, "checkout", "-q", "-B", branch, from);
    else if (parent) git(this.dev, "checkout", "-q", branch);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) git(this.dev, "rm", "-q", path);
      else writeFiles(this.dev, { [path]: text });
    }
    git(this.dev, "add", "-A");
    git(this.dev, "commit", "-q", "-m", `change on ${branch}`);
    const sha = git(this.dev, "rev-parse", "HEAD").trim();
    git(this.dev, "push", "-q", "-f", "origin", branch);
    this.tips.set(branch, sha);
    this.double.addCommit(REPO, parent ?? "main", files, sha);
    if (branch === "main") this.double.setBranch(REPO, "main", sha);
    return sha;
  }

  /** What actions/checkout leaves by default: one commit, no history. */
  checkout(ref: string): string {
    const dir = tempDir("memlint-ws-");
    git(dir, "init", "-q");
    git(dir, "remote", "add", "origin", `file://${this.origin}`);
    git(dir, "fetch", "-q", "--depth=1", "origin", ref);
    git(dir, "checkout", "-q", "FETCH_HEAD");
    return dir;
  }
}

interface Run {
  code: number;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
  annotations: string[];
}

async function runIn(workspace: string, event: unknown, env: Record<string, string>): Promise<Run> {
  const dir = tempDir("memlint-runner-");
  const files = { event: join(dir, "event.json"), summary: join(dir, "summary.md"), output: join(dir, "output.txt") };
  writeFileSync(files.event, JSON.stringify(event));
  writeFileSync(files.summary, "");
  writeFileSync(files.output, "");
  let stdout = "";
  const code = await runAction(
    {
      ...process.env,
      ...GIT_ENV,
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: files.event,
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_OUTPUT: files.output,
      MEMLINT_WRITE_INTERVAL_MS: "0",
      ...env,
    },
    { write: (s: string) => (stdout += s) },
  );
  return {
    code,
    stdout,
    summary: readFileSync(files.summary, "utf8"),
    outputs: Object.fromEntries(readFileSync(files.output, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string])),
    annotations: stdout.split("\n").filter((l) => /^::(error|warning|notice) /.test(l)),
  };
}

let double: GitHubDouble;
beforeEach(async () => {
  double = await GitHubDouble.start();
});
afterEach(async () => {
  await double.close();
});

const api = () => ({ GITHUB_API_URL: `http://${double.host}/api/v3` });
const writes = () => double.requests.filter((r) => r.workflow && (r.method !== "GET" || r.operation?.startsWith("mutation")));

describe("the memlint Action", () => {
  it("reviews a pull request as the App does, and a second push without posting anything twice", async () => {
    const s = new Scenario(double);
    const base = s.commit("main", { "go.mod": GO_MOD, [READER]: SRC.base });
    const head = s.commit("feature", { [READER]: SRC.head }, base);
    double.openPull(REPO, { number: 7, head, base });
    const token = double.workflowToken();

    const first = await runIn(s.checkout(base), double.pullRequestEvent(REPO, 7), { ...api(), INPUT_TOKEN: token });
    expect(first.code).toBe(1); // http-body-not-closed is an error, and fail-on is error
    expect(double.reviews).toHaveLength(1);
    const threads = double.threadsOf(REPO, 7);
    expect(threads.map((t) => [t.path, t.comments[0]!.author.login]).sort()).toEqual([
      [READER, "github-actions[bot]"],
      [READER, "github-actions[bot]"],
    ]);
    expect(threads.map((t) => t.comments[0]!.body).join("\n")).toContain("```suggestion");
    const run = double.latestCheckRun(REPO, head)!;
    expect([run.name, run.status, run.conclusion, run.output.title]).toEqual(["memlint", "completed", "failure", "2 blocking findings (production)"]);
    expect(first.outputs).toEqual({ findings: "2", conclusion: "failure" });
    expect(first.summary).toContain("## memlint:");
    expect(first.annotations).toEqual([]);

    // A second push fixes the defer in the loop and adds a file with a new one: one review with
    // the new finding only, the fixed thread resolved as fixed, the remaining one left as it is.
    const second = s.commit("feature", { [READER]: SRC.fixed, "batch/extra.go": leakyFile(1) });
    double.pushPull(REPO, 7, second);
    const again = await runIn(s.checkout(base), double.pullRequestEvent(REPO, 7, "synchronize"), { ...api(), INPUT_TOKEN: token });
    expect(again.code).toBe(1);
    expect(double.reviews).toHaveLength(2);
    expect(double.reviews[1]!.comments.map((c) => c.path)).toEqual(["batch/extra.go"]);
    const after = double.threadsOf(REPO, 7);
    expect(after).toHaveLength(3);
    const fixed = after.filter((t) => t.isResolved);
    expect(fixed).toHaveLength(1);
    expect(fixed[0]!.comments[0]!.body).toContain(`✅ **Fixed:** memlint no longer finds this as of ${second.slice(0, 7)}.`);
    expect(double.latestCheckRun(REPO, second)!.conclusion).toBe("failure");
    expect(again.outputs.findings).toBe("2");

    // All fixed: the last thread resolves, the check passes, the step succeeds.
    const clean = s.commit("feature", { [READER]: SRC.clean, "batch/extra.go": null });
    double.pushPull(REPO, 7, clean);
    const done = await runIn(s.checkout(base), double.pullRequestEvent(REPO, 7, "synchronize"), { ...api(), INPUT_TOKEN: token });
    expect(done.code).toBe(0);
    expect(double.threadsOf(REPO, 7).every((t) => t.isResolved)).toBe(true);
    expect(double.latestCheckRun(REPO, clean)!.conclusion).toBe("success");
  }, 60_000);

  it("falls back to annotations and the job summary for a fork's pull request, 10 annotations at most, and says so", async () => {
    const s = new Scenario(double);
    const base = s.commit("main", { "go.mod": GO_MOD, [READER]: SRC.base });
    const leaks = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`batch/leak${i}.go`, leakyFile(i)]));
    const head = s.commit("fork-feature", { [READER]: SRC.head, ...leaks }, base);
    double.openPull(REPO, { number: 9, head, base });
    const event = double.pullRequestEvent(REPO, 9) as { pull_request: { head: { repo: Record<string, unknown> } } };
    event.pull_request.head.repo = { ...event.pull_request.head.repo, full_name: "someone/payments", owner: { login: "someone" } };

    const r = await runIn(s.checkout(base), event, { ...api(), INPUT_TOKEN: double.workflowToken({ readOnly: true }) });
    expect(r.code).toBe(1);
    expect(writes()).toEqual([]);
    expect(double.reviews).toHaveLength(0);
    expect(double.checkRunsFor(REPO)).toHaveLength(0);
    // The most severe first: the error, then warnings; 10 in all.
    expect(r.annotations).toHaveLength(10);
    expect(r.annotations[0]).toMatch(/^::error file=batch\/reader\.go,line=\d+.*title=memlint http-body-not-closed/);
    expect(r.annotations.slice(1).every((a) => a.startsWith("::warning "))).toBe(true);
    expect(r.summary).toContain("This pull request comes from a fork");
    expect(r.summary).toContain("the 10 most severe findings (GitHub shows 10 annotations per step); the other 4 are in the table above");
    for (let i = 0; i < 12; i++) expect(r.summary).toContain(`leak${i}.go`);
    expect(r.outputs.findings).toBe("14");
  }, 60_000);

  it("says what is missing when the token may not write, and writes SARIF on request", async () => {
    const s = new Scenario(double);
    const base = s.commit("main", { "go.mod": GO_MOD, [READER]: SRC.base });
    const head = s.commit("feature", { [READER]: SRC.head }, base);
    double.openPull(REPO, { number: 3, head, base });
    const ws = s.checkout(base);
    const r = await runIn(ws, double.pullRequestEvent(REPO, 3), {
      ...api(),
      INPUT_TOKEN: double.workflowToken({ readOnly: true }),
      INPUT_SARIF: "out/memlint.sarif",
      "INPUT_FAIL-ON": "never",
    });
    expect(r.code).toBe(0);
    expect(double.reviews).toHaveLength(0);
    expect(r.summary).toContain("GitHub refused the review");
    expect(r.summary).toContain("`permissions: pull-requests: write`");
    expect(r.annotations).toHaveLength(2);
    const sarif = JSON.parse(readFileSync(join(ws, "out/memlint.sarif"), "utf8")) as Log;
    expect(sarifViolations(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results!.map((x) => x.ruleId).sort()).toEqual(["defer-in-loop", "http-body-not-closed"]);
    expect(r.outputs["sarif-file"]).toBe(join(ws, "out/memlint.sarif"));
  }, 60_000);

  it("reads the configuration from the base commit and refuses bad input with a clear error", async () => {
    const s = new Scenario(double);
    const base = s.commit("main", { "go.mod": GO_MOD, [READER]: SRC.base, ".github/memlint.yml": "rules:\n  http-body-not-closed: off\n" });
    // The pull request tries to turn the other rule off too; the base's configuration judges it.
    const head = s.commit("feature", { [READER]: SRC.head, ".github/memlint.yml": "rules:\n  http-body-not-closed: off\n  defer-in-loop: off\n" }, base);
    double.openPull(REPO, { number: 4, head, base });
    const token = double.workflowToken();
    const r = await runIn(s.checkout(base), double.pullRequestEvent(REPO, 4), { ...api(), INPUT_TOKEN: token, "INPUT_FAIL-ON": "warning" });
    expect(r.outputs.findings).toBe("1");
    expect(r.code).toBe(1);

    const bad = await runIn(s.checkout(base), double.pullRequestEvent(REPO, 4), { ...api(), INPUT_TOKEN: token, "INPUT_FAIL-ON": "fatal" });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('::error title=memlint::memlint: input fail-on must be one of error, warning, info, never (got "fatal")');
    const push = await runIn(s.checkout(base), { ref: "refs/heads/main" }, { ...api(), INPUT_TOKEN: token, GITHUB_EVENT_NAME: "push" });
    expect(push.code).toBe(2);
    expect(push.summary).toContain("memlint reviews pull requests: run it on `pull_request` (this run is for `push`)");
  }, 60_000);
});

describe("action/dist, the committed bundle", () => {
  it("is built from the current sources (run `npm run bundle action`)", async () => {
    const fresh = tempDir("memlint-action-");
    await buildBundle("action", fresh);
    const committed = join(ROOT, "action/dist");
    expect(readdirSync(committed).sort(), "action/dist is out of date: run `npm run bundle action`").toEqual(readdirSync(fresh).sort());
    for (const file of readdirSync(fresh)) {
      expect(readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file))), `action/dist/${file} is out of date: run \`npm run bundle action\``).toBe(true);
    }
    // Git keeps the executable bit of the pre-commit hook's entry.
    expect(git(ROOT, "ls-files", "-s", "action/dist/memlint.cjs")).toMatch(/^100755 /);
    const action = readFileSync(join(ROOT, "action.yml"), "utf8");
    expect(action).toMatch(/^runs:\n {2}using: node24\n {2}main: action\/dist\/index\.cjs$/m);
  }, 60_000);

  it("runs the pre-commit hook as pre-commit's script language does: its entry, in the repository being committed to", async () => {
    const hooks = parseYaml(readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as { id: string; entry: string; language: string; pass_filenames: boolean }[];
    const hook = hooks.find((h) => h.id === "memlint")!;
    expect([hook.language, hook.pass_filenames]).toEqual(["script", false]);
    const [script, ...args] = hook.entry.split(" ");
    const repo = tempDir("memlint-hook-");
    git(repo, "init", "-q", "-b", "main");
    writeFiles(repo, { "go.mod": GO_MOD, [READER]: SRC.base });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    const commit = () =>
      promisify(execFile)(join(ROOT, script!), args, { cwd: repo, env: { ...process.env, ...GIT_ENV, NO_COLOR: "1" } }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
      );
    // Unstaged, the leak is not part of the commit; staged, it fails the commit.
    writeFiles(repo, { [READER]: SRC.head });
    expect((await commit()).code).toBe(0);
    git(repo, "add", READER);
    const staged = await commit();
    expect(staged.code).toBe(1);
    expect(staged.stdout).toContain(`${READER}:23:`);
    expect(staged.stdout).toContain("error http-body-not-closed");
  }, 60_000);

  it("runs as the runner runs it: node action/dist/index.cjs", async () => {
    const s = new Scenario(double);
    const base = s.commit("main", { "go.mod": GO_MOD, [READER]: SRC.base });
    const head = s.commit("feature", { [READER]: SRC.head }, base);
    double.openPull(REPO, { number: 5, head, base });
    const dir = tempDir("memlint-runner-");
    writeFileSync(join(dir, "event.json"), JSON.stringify(double.pullRequestEvent(REPO, 5)));
    writeFileSync(join(dir, "summary.md"), "");
    const env = {
      ...process.env,
      ...GIT_ENV,
      ...api(),
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_WORKSPACE: s.checkout(base),
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      INPUT_TOKEN: double.workflowToken(),
      MEMLINT_WRITE_INTERVAL_MS: "0",
    };
    const result = await promisify(execFile)(process.execPath, [join(ROOT, "action/dist/index.cjs")], { env }).then(
      () => 0,
      (err: { code: number }) => err.code,
    );
    expect(result).toBe(1);
    expect(double.reviews).toHaveLength(1);
    expect(double.latestCheckRun(REPO, head)?.conclusion).toBe("failure");
    expect(existsSync(join(dir, "summary.md")) && readFileSync(join(dir, "summary.md"), "utf8")).toContain("## memlint:");
  }, 60_000);
});
