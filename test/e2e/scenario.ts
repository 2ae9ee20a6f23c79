/** Go sources and pull-request scenarios shared by the end-to-end tests and the benchmark. */
import { readFileSync } from "node:fs";
import type { CheckRunRecord, Contents, GitHubDouble } from "./github-double.js";
import { type AppProcess, sendWebhook, type WebhookResponse } from "./harness.js";

const go = (name: string) => readFileSync(new URL(`../fixtures/webhooks/go/${name}.go`, import.meta.url), "utf8");

export const READER = "batch/reader.go";
export const SRC = {
  base: go("reader.base"),
  /** Two findings: `defer-in-loop` (line 16) and `http-body-not-closed` (line 23). */
  head: go("reader.head"),
  /** `defer-in-loop` fixed. */
  fixed: go("reader.fixed"),
  shifted: go("reader.shifted"),
  /** Both fixed. */
  clean: go("reader.fixed").replace(
    "\tresp, err := client.Get(url)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n",
    "\tresp, err := client.Get(url)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tdefer resp.Body.Close()\n",
  ),
};

export const GO_MOD = "module example.com/payments\n\ngo 1.22\n";

/** A Go file with one `defer-in-loop` finding, in package `pkg`, named after `n`. */
export function leakyFile(n: number, pkg = "batch"): string {
  return [
    `package ${pkg}`,
    "",
    'import "os"',
    "",
    `// ReadAll${n} opens every file.`,
    `func ReadAll${n}(names []string) error {`,
    "\tfor _, name := range names {",
    "\t\tf, err := os.Open(name)",
    "\t\tif err != nil {",
    "\t\t\treturn err",
    "\t\t}",
    "\t\tdefer f.Close()",
    "\t}",
    "\treturn nil",
    "}",
    "",
  ].join("\n");
}

/** A Go file without findings. */
export function cleanFile(n: number, pkg = "batch"): string {
  return `package ${pkg}\n\n// Sum${n} adds.\nfunc Sum${n}(xs []int) int {\n\tt := 0\n\tfor _, x := range xs {\n\t\tt += x\n\t}\n\treturn t\n}\n`;
}

let repos = 0;

/** A fresh repository with go.mod (and `files`) on `main`; returns its full name. */
export function newRepo(double: GitHubDouble, files: Record<string, Contents> = {}, options: { installation?: number; config?: string; owner?: string } = {}): string {
  const full = `${options.owner ?? "acme"}/svc${++repos}`;
  double.createRepo(full, options.installation !== undefined ? { installation: options.installation } : {});
  const sha = double.addCommit(full, "main", { "go.mod": GO_MOD, ...files, ...(options.config ? { ".github/memlint.yml": options.config } : {}) });
  double.setBranch(full, "main", sha);
  return full;
}

/** Opens pull request `number` whose head changes `files` over `main`; returns the head sha. */
export function openPull(double: GitHubDouble, full: string, number: number, files: Record<string, Contents | null>, options: { baseRef?: string } = {}): string {
  const head = double.addCommit(full, options.baseRef ?? "main", files);
  double.openPull(full, { number, head, ...(options.baseRef ? { baseRef: options.baseRef } : {}) });
  return head;
}

/** Pushes a commit to the pull request's branch; returns the new head sha. */
export function push(double: GitHubDouble, full: string, number: number, parent: string, files: Record<string, Contents | null>): string {
  const head = double.addCommit(full, parent, files);
  double.pushPull(full, number, head);
  return head;
}

/** Waits for the newest check run of `head` to be completed and returns it. */
export async function completedCheck(double: GitHubDouble, full: string, head: string, timeoutMs = 60_000): Promise<CheckRunRecord> {
  await double.waitFor(() => double.latestCheckRun(full, head)?.status === "completed", timeoutMs, `the check run of ${head.slice(0, 7)} to complete`);
  return double.latestCheckRun(full, head)!;
}

/** Sends the pull request's event and waits for its check run to complete. */
export async function deliver(
  double: GitHubDouble,
  app: AppProcess,
  full: string,
  number: number,
  action: "opened" | "synchronize" | "reopened" = "opened",
  options: { deliveryId?: string } = {},
): Promise<{ response: WebhookResponse; check: CheckRunRecord; head: string }> {
  const payload = double.pullRequestEvent(full, number, action);
  const head = payload.pull_request.head.sha as string;
  const response = await sendWebhook(app, "pull_request", payload, options);
  const check = await completedCheck(double, full, head);
  return { response, check, head };
}
