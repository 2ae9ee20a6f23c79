/**
 * Test plumbing for the App: a Probot instance with the App loaded (throttling and retries off,
 * a real RSA key, logs captured as JSON), webhook payloads from test/fixtures/webhooks, and nock
 * interceptors for the GitHub endpoints a run uses, each capturing the request bodies.
 *
 * Interceptors are not persisted: every expected request is registered once, so `scope.isDone()`
 * proves it happened, and an unexpected request fails the run (nock.disableNetConnect()).
 */
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { structuredPatch } from "diff";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createApp, type MemlintAppOptions } from "../../src/app.js";
import { packageCache } from "../../src/github/package-files.js";
import type { AppIdentity } from "../../src/github/threads.js";

export const API = "https://api.github.com";
export const OWNER = "acme";
export const REPO = "payments";
export const PULL = 42;
export const INSTALLATION_ID = 31337;
export const APP_ID = 4242;
export const IDENTITY: AppIdentity = { id: APP_ID, slug: "memlint" };
export const HEAD_SHA = "9f1c2d3e4b5a69788796a5b4c3d2e1f0a9b8c7d6";
export const BASE_SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
export const CHECK_RUN_ID = 7001;

const FIXTURES = new URL("../fixtures/webhooks/", import.meta.url);

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

/** Octokit without throttling (writes would be paced at 1/s) and without retries (a 500 stays a 500). */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

export interface TestApp {
  probot: Probot;
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  /** Delivers a webhook as GitHub would (same delivery id → a redelivery). */
  receive(name: string, payload: unknown, deliveryId?: string): Promise<void>;
}

let deliveries = 0;

export async function createTestApp(options: MemlintAppOptions & { requestIdentity?: boolean } = {}): Promise<TestApp> {
  // Tests reuse commit SHAs with other contents: no directory listing carries over from another test.
  packageCache.clear();
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const probot = new Probot({ appId: APP_ID, privateKey, Octokit: TestOctokit, log });
  const { requestIdentity, ...appOptions } = options;
  await probot.load(createApp({ ...(requestIdentity ? {} : { identity: IDENTITY }), ...appOptions }), {
    cwd: process.cwd(),
    addHandler: () => {},
  });
  return {
    probot,
    logs,
    receive: (name, payload, deliveryId) =>
      probot.receive({ id: deliveryId ?? `delivery-${++deliveries}`, name, payload } as Parameters<Probot["receive"]>[0]),
  };
}

// ---------------------------------------------------------------------------------------------
// Payloads

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A webhook payload from test/fixtures/webhooks/<name>.json (a fresh copy). */
export function payload(name: string): Json {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), "utf8")) as Json;
}

/** A pull_request payload with the given head/base/draft/changed_files. */
export function pullRequestPayload(
  name = "pull_request.opened",
  change: { headSha?: string; baseSha?: string; draft?: boolean; changedFiles?: number; baseRef?: string } = {},
): Json {
  const p = payload(name);
  const pr = p.pull_request as Json;
  if (change.headSha) pr.head.sha = change.headSha;
  if (change.baseSha) pr.base.sha = change.baseSha;
  if (change.draft !== undefined) pr.draft = change.draft;
  if (change.changedFiles !== undefined) pr.changed_files = change.changedFiles;
  if (change.baseRef) pr.base.ref = change.baseRef;
  return p;
}

// ---------------------------------------------------------------------------------------------
// Repository model: files of a pull request, their patches and contents

export interface FileChange {
  path: string;
  /** Base contents; null or absent for an added file. */
  base?: string | null;
  /** Head contents; null for a removed file. */
  head?: string | null;
  previousPath?: string;
  /** GitHub omits `patch` for very large or binary diffs. */
  omitPatch?: boolean;
}

/** A GitHub-style `patch`: the hunks of a unified diff with 3 lines of context, no file headers. */
export function githubPatch(base: string, head: string): string {
  const hunks = structuredPatch("a", "b", base, head, "", "", { context: 3 }).hunks;
  return hunks
    .map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join("\n"))
    .join("\n");
}

/** Entries as `GET /repos/{o}/{r}/pulls/{n}/files` returns them. */
export function pullFiles(changes: readonly FileChange[]): Json[] {
  return changes.map((c, i) => {
    const base = c.base ?? "";
    const head = c.head ?? "";
    const status = c.head === null ? "removed" : c.base === undefined || c.base === null ? "added" : c.previousPath ? "renamed" : "modified";
    const patch = githubPatch(base, head);
    const additions = patch.split("\n").filter((l) => l.startsWith("+")).length;
    const deletions = patch.split("\n").filter((l) => l.startsWith("-")).length;
    const sha = (i + 1).toString(16).padStart(40, "b");
    return {
      sha,
      filename: c.path,
      status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/${c.path}`,
      raw_url: `https://github.com/${OWNER}/${REPO}/raw/${HEAD_SHA}/${c.path}`,
      contents_url: `${API}/repos/${OWNER}/${REPO}/contents/${c.path}?ref=${HEAD_SHA}`,
      ...(c.omitPatch || patch === "" ? {} : { patch }),
      ...(c.previousPath ? { previous_filename: c.previousPath } : {}),
    };
  });
}

export type BlobSpec = string | { binary: true; byteSize?: number } | { truncated: true; byteSize: number };

/** `"<sha>:<path>"` → contents, for the GraphQL contents mock. */
export function blobsOf(changes: readonly FileChange[], headSha = HEAD_SHA, baseSha = BASE_SHA, goMod?: string): Record<string, BlobSpec> {
  const blobs: Record<string, BlobSpec> = {};
  for (const c of changes) {
    if (typeof c.head === "string") blobs[`${headSha}:${c.path}`] = c.head;
    if (typeof c.base === "string") blobs[`${baseSha}:${c.previousPath ?? c.path}`] = c.base;
  }
  if (goMod !== undefined) blobs[`${headSha}:go.mod`] = goMod;
  return blobs;
}

// ---------------------------------------------------------------------------------------------
// Interceptors

/** Request bodies an interceptor received, in order. */
export class Captured<T = Json> {
  readonly bodies: T[] = [];
  get count(): number {
    return this.bodies.length;
  }
  get first(): T {
    if (this.bodies.length === 0) throw new Error("no request captured");
    return this.bodies[0]!;
  }
  get last(): T {
    if (this.bodies.length === 0) throw new Error("no request captured");
    return this.bodies[this.bodies.length - 1]!;
  }
}

/**
 * A nock reply function that sees the parsed JSON request body. nock 15.0.0 calls reply
 * functions with the (fetch) Request alone, and treats a two-parameter function as
 * callback-style, so the body is read here.
 */
function withBody(fn: (body: Json) => unknown): (req: Request) => Promise<unknown> {
  return async (req: Request) => {
    const text = await req.text();
    return fn(text ? (JSON.parse(text) as Json) : {});
  };
}

export function api(): nock.Scope {
  return nock(API);
}

const repoPath = (owner = OWNER, repo = REPO) => `/repos/${owner}/${repo}`;

export function mockInstallationToken(scope: nock.Scope): void {
  scope.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, {
    token: "ghs_installation_token_for_tests",
    expires_at: new Date(Date.now() + 3600_000).toISOString(),
    permissions: { checks: "write", contents: "read", metadata: "read", pull_requests: "write" },
    repository_selection: "all",
  });
}

export function mockApp(scope: nock.Scope): void {
  scope.get("/app").reply(200, payload("check_run.rerequested").check_run.app);
}

export function mockCheckCreate(scope: nock.Scope, options: { id?: number; status?: number } = {}): Captured {
  const captured = new Captured();
  const id = options.id ?? CHECK_RUN_ID;
  scope.post(`${repoPath()}/check-runs`).reply(options.status ?? 201, withBody((body) => {
    captured.bodies.push(body as Json);
    if ((options.status ?? 201) >= 400) return { message: "Server Error" };
    return {
      id,
      name: (body as Json).name,
      head_sha: (body as Json).head_sha,
      status: (body as Json).status ?? "queued",
      external_id: (body as Json).external_id,
      html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`,
    };
  }));
  return captured;
}

/** PATCH of a check run; `statuses` answers successive requests (e.g. [500, 200]). */
export function mockCheckUpdate(scope: nock.Scope, options: { id?: number; statuses?: number[]; captured?: Captured } = {}): Captured {
  const captured = options.captured ?? new Captured();
  const id = options.id ?? CHECK_RUN_ID;
  for (const status of options.statuses ?? [200]) {
    scope.patch(`${repoPath()}/check-runs/${id}`).reply(status, withBody((body) => {
      captured.bodies.push(body as Json);
      return status >= 400 ? { message: status === 500 ? "Server Error" : "Validation Failed" } : { id, status: (body as Json).status ?? "completed" };
    }));
  }
  return captured;
}

const DEFAULT_GO_MOD = "module example.com/payments\n\ngo 1.22\n";

function textBlob(text: string): Json {
  return { __typename: "Blob", byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text };
}

/**
 * The configuration query (one GraphQL request): `.github/memlint.yml` on the default branch
 * (`yaml`; null: the repository has none), the organization's in `acme/.github` (`org`; by
 * default that repository does not exist) and go.mod at the head commit.
 */
export function mockConfig(scope: nock.Scope, yaml: string | null, options: { org?: string | null; orgRepo?: boolean; goMod?: string | null } = {}): Captured {
  const captured = new Captured();
  scope.post("/graphql", isQuery("query memlintConfig")).reply(200, withBody((body) => {
    captured.bodies.push(body);
    const v = body.variables as Json;
    const goMod = options.goMod === undefined ? DEFAULT_GO_MOD : options.goMod;
    const repository: Json = { config: yaml === null ? null : textBlob(yaml) };
    if (v.withGoMod) repository.goMod = goMod === null ? null : textBlob(goMod);
    const data: Json = { repository };
    const orgExists = options.orgRepo ?? options.org !== undefined;
    if (v.withOrg) data.org = orgExists ? { config: options.org ? textBlob(options.org) : null } : null;
    if (v.withOrg && !orgExists) {
      return { data, errors: [{ type: "NOT_FOUND", path: ["org"], locations: [{ line: 6, column: 3 }], message: `Could not resolve to a Repository with the name '${OWNER}/.github'.` }] };
    }
    return { data };
  }));
  return captured;
}

/** The file list, 100 per page with `link` headers, as GitHub paginates it. */
export function mockFiles(scope: nock.Scope, files: Json[], pull = PULL): void {
  const pages = Math.max(1, Math.ceil(files.length / 100));
  for (let page = 1; page <= pages; page++) {
    const query: Record<string, string> = page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) };
    const link = (p: number) => `<${API}${repoPath()}/pulls/${pull}/files?per_page=100&page=${p}>`;
    const links = [
      ...(page < pages ? [`${link(page + 1)}; rel="next"`, `${link(pages)}; rel="last"`] : []),
      ...(page > 1 ? [`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`] : []),
    ];
    scope
      .get(`${repoPath()}/pulls/${pull}/files`)
      .query(query)
      .reply(200, files.slice((page - 1) * 100, page * 100), links.length > 0 ? { link: links.join(", ") } : {});
  }
}

function isQuery(name: string) {
  return (body: Json) => typeof body?.query === "string" && new RegExp(`^\\s*${name}\\b`).test(body.query as string);
}

/** One GraphQL contents query (`repository.object(expression: …)` aliases), answered from `blobs`. */
function blobNode(blob: BlobSpec): Json {
  return typeof blob === "string"
    ? { __typename: "Blob", byteSize: Buffer.byteLength(blob), isBinary: false, isTruncated: false, text: blob }
    : "binary" in blob
      ? { __typename: "Blob", byteSize: blob.byteSize ?? 1024, isBinary: true, isTruncated: false, text: null }
      : { __typename: "Blob", byteSize: blob.byteSize, isBinary: false, isTruncated: true, text: "partial" };
}

/** A directory `"<sha>:<dir>"` as the contents query's Tree: the blobs directly in it, and its subdirectories. */
function treeNode(blobs: Record<string, BlobSpec>, expression: string): Json | null {
  const colon = expression.indexOf(":");
  const prefix = expression.endsWith(":") ? expression : `${expression}/`;
  const sha = expression.slice(0, colon);
  const entries = new Map<string, Json>();
  for (const [key, blob] of Object.entries(blobs)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash === -1) entries.set(rest, { name: rest, type: "blob", object: blobNode(blob) });
    else if (!entries.has(rest.slice(0, slash))) entries.set(rest.slice(0, slash), { name: rest.slice(0, slash), type: "tree", object: { __typename: "Tree" } });
  }
  if (entries.size === 0 || !sha) return null;
  return { __typename: "Tree", entries: [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/**
 * One GraphQL contents query (`repository.object(expression: …)` aliases), answered from `blobs`:
 * files (`$eN` → `fN`) and directories (`$tN` → `dN`, a Tree of the blobs under that path).
 */
export function mockContents(scope: nock.Scope, blobs: Record<string, BlobSpec>, captured = new Captured()): Captured {
  scope.post("/graphql", isQuery("query memlintContents")).reply(200, withBody((body) => {
    const b = body;
    captured.bodies.push(b);
    const repository: Json = {};
    for (const [name, value] of Object.entries(b.variables as Record<string, string>)) {
      const file = /^e(\d+)$/.exec(name);
      if (file) {
        const blob = blobs[value];
        repository[`f${file[1]}`] = blob === undefined ? null : blobNode(blob);
      }
      const dir = /^t(\d+)$/.exec(name);
      if (dir) repository[`d${dir[1]}`] = treeNode(blobs, value);
    }
    return { data: { repository } };
  }));
  return captured;
}

/** The directory expressions (`"<sha>:<dir>"`) a contents query asked for. */
export function treeExpressions(body: Json): string[] {
  return Object.entries(body.variables as Record<string, string>)
    .filter(([name]) => /^t\d+$/.test(name))
    .map(([, value]) => value);
}

export interface CommentSpec {
  id: string;
  databaseId: number;
  body: string;
  author: { __typename: "Bot" | "User"; login: string };
  createdAt?: string;
  lastEditedAt?: string | null;
  url?: string;
}

export interface ThreadSpec {
  id: string;
  path: string;
  isResolved?: boolean;
  comments: CommentSpec[];
}

function commentNode(c: CommentSpec, kind: "issue" | "review"): Json {
  return {
    createdAt: "2025-05-02T09:00:10Z",
    lastEditedAt: null,
    url: kind === "issue" ? `https://github.com/${OWNER}/${REPO}/pull/${PULL}#issuecomment-${c.databaseId}` : `https://github.com/${OWNER}/${REPO}/pull/${PULL}#discussion_r${c.databaseId}`,
    ...c,
  };
}

/**
 * The review-threads query; `headSha` is what GitHub reports as the current head, `comments` the
 * pull request's conversation (issue comments), read in the same request.
 */
export function mockThreads(
  scope: nock.Scope,
  options: { headSha?: string; threads?: ThreadSpec[]; comments?: CommentSpec[]; pull?: number; status?: number } = {},
): Captured {
  const captured = new Captured();
  const threads = options.threads ?? [];
  const conversation = options.comments ?? [];
  scope.post("/graphql", isQuery("query memlintThreads")).reply(options.status ?? 200, withBody((body) => {
    captured.bodies.push(body as Json);
    if ((options.status ?? 200) >= 400) return { message: "Server Error" };
    return {
      data: {
        repository: {
          pullRequest: {
            headRefOid: options.headSha ?? HEAD_SHA,
            reviewThreads: {
              pageInfo: { hasNextPage: false, endCursor: threads.length > 0 ? "Y3Vyc29yOnYyOpK5" : null },
              nodes: threads.map((t) => ({
                id: t.id,
                isResolved: t.isResolved ?? false,
                path: t.path,
                comments: { totalCount: t.comments.length, nodes: t.comments.map((c) => commentNode(c, "review")) },
              })),
            },
            comments: {
              pageInfo: { hasNextPage: false, endCursor: conversation.length > 0 ? "Y3Vyc29yOmNvbW1lbnRz" : null },
              nodes: conversation.map((c) => commentNode(c, "issue")),
            },
          },
        },
      },
    };
  }));
  return captured;
}

/** The lifecycle mutation request (resolve / unresolve / edit), answering every alias. */
export function mockThreadMutations(scope: nock.Scope, options: { status?: number } = {}): Captured {
  const captured = new Captured();
  scope.post("/graphql", isQuery("mutation memlintThreads")).reply(options.status ?? 200, withBody((body) => {
    const b = body;
    captured.bodies.push(b);
    const data: Json = {};
    for (const m of (b.query as string).matchAll(/(m\d+): (\w+)\(/g)) {
      data[m[1]!] = m[2] === "updatePullRequestReviewComment" ? { pullRequestReviewComment: { id: "x" } } : { thread: { id: "t", isResolved: m[2] === "resolveReviewThread" } };
    }
    return { data };
  }));
  return captured;
}

export function mockReview(scope: nock.Scope, options: { pull?: number; status?: number } = {}): Captured {
  const captured = new Captured();
  const status = options.status ?? 200;
  scope.post(`${repoPath()}/pulls/${options.pull ?? PULL}/reviews`).reply(status, withBody((body) => {
    captured.bodies.push(body as Json);
    if (status >= 400) return { message: status === 422 ? "Unprocessable Entity" : "Server Error", errors: [] };
    return { id: 80001, node_id: "PRR_kwDO80001", state: "COMMENTED", commit_id: (body as Json).commit_id, body: (body as Json).body };
  }));
  return captured;
}

export function mockGetPull(scope: nock.Scope, pull: Json, status = 200): void {
  scope.get(`${repoPath()}/pulls/${pull.number as number}`).reply(status, status >= 400 ? { message: "Server Error" } : pull);
}

// ---------------------------------------------------------------------------------------------
// A whole run

export interface RunMocks {
  create: Captured;
  update: Captured;
  contents: Captured;
  threads: Captured;
  review: Captured;
  mutations: Captured;
}

export interface RunSpec {
  files: FileChange[];
  /** Files of the repository at the head that the pull request does not change (path → contents). */
  siblings?: Record<string, string>;
  config?: string | null;
  goMod?: string;
  threads?: ThreadSpec[];
  /** The pull request's conversation comments (read with the threads). */
  comments?: CommentSpec[];
  /** The head GitHub reports when memlint re-reads it before publishing. */
  currentHead?: string;
  headSha?: string;
  baseSha?: string;
  /** Whether a review is expected (default: when the test says so). */
  review?: boolean | { status: number };
  mutations?: boolean;
  /** Statuses of the successive check-run updates (default one 200). */
  updates?: number[];
  token?: boolean;
  pull?: number;
}

/** Interceptors for one run in the usual order of requests. */
export function mockRun(scope: nock.Scope, spec: RunSpec): RunMocks {
  if (spec.token !== false) mockInstallationToken(scope);
  const create = mockCheckCreate(scope);
  mockConfig(scope, spec.config ?? null, { goMod: spec.goMod ?? DEFAULT_GO_MOD });
  mockFiles(scope, pullFiles(spec.files), spec.pull);
  const blobs = blobsOf(spec.files, spec.headSha, spec.baseSha, spec.goMod ?? "module example.com/payments\n\ngo 1.22\n");
  for (const [path, text] of Object.entries(spec.siblings ?? {})) blobs[`${spec.headSha ?? HEAD_SHA}:${path}`] = text;
  const contents = mockContents(scope, blobs);
  const threads = mockThreads(scope, {
    threads: spec.threads ?? [],
    comments: spec.comments ?? [],
    headSha: spec.currentHead ?? spec.headSha ?? HEAD_SHA,
    ...(spec.pull ? { pull: spec.pull } : {}),
  });
  const review = spec.review ? mockReview(scope, { ...(typeof spec.review === "object" ? spec.review : {}), ...(spec.pull ? { pull: spec.pull } : {}) }) : new Captured();
  const mutations = spec.mutations ? mockThreadMutations(scope) : new Captured();
  const update = mockCheckUpdate(scope, { statuses: spec.updates ?? [200] });
  return { create, update, contents, threads, review, mutations };
}

/** A comment memlint wrote earlier, as the threads query returns it. */
export function botComment(body: string, databaseId = 9001): ThreadSpec["comments"][number] {
  return { id: `PRRC_kwDO${databaseId}`, databaseId, body, author: { __typename: "Bot", login: IDENTITY.slug } };
}

export function userComment(body: string, login = "octo-dev", databaseId = 9101, extra: Partial<CommentSpec> = {}): ThreadSpec["comments"][number] {
  return { id: `PRRC_kwDO${databaseId}`, databaseId, body, author: { __typename: "User", login }, ...extra };
}

/** A conversation comment (issue comment) as the threads query returns it. */
export function issueComment(body: string, login = "lead-dev", databaseId = 3100001, extra: Partial<CommentSpec> = {}): CommentSpec {
  const bot = login === IDENTITY.slug;
  return { id: `IC_kwDO${databaseId}`, databaseId, body, author: { __typename: bot ? "Bot" : "User", login }, ...extra };
}

// ---------------------------------------------------------------------------------------------
// Comment commands

/** An issue_comment event on pull request #42 (`action`: created / edited / deleted). */
export function issueCommentPayload(
  body: string,
  options: { login?: string; type?: "User" | "Bot"; id?: number; action?: string; from?: string; state?: string; createdAt?: string; updatedAt?: string } = {},
): Json {
  const p = payload("issue_comment.created");
  p.action = options.action ?? "created";
  const c = p.comment as Json;
  c.body = body;
  if (options.id) {
    c.id = options.id;
    c.html_url = `https://github.com/${OWNER}/${REPO}/pull/${PULL}#issuecomment-${options.id}`;
  }
  if (options.login) c.user = { ...(c.user as Json), login: options.login, type: options.type ?? "User" };
  else if (options.type) c.user = { ...(c.user as Json), type: options.type };
  if (options.createdAt) c.created_at = options.createdAt;
  c.updated_at = options.updatedAt ?? c.created_at;
  if (options.from !== undefined) p.changes = { body: { from: options.from } };
  if (options.state) (p.issue as Json).state = options.state;
  p.sender = c.user;
  return p;
}

/** A pull_request_review_comment event: by default a reply to memlint's comment 9000. */
export function reviewCommentPayload(
  body: string,
  options: { login?: string; type?: "User" | "Bot"; id?: number; inReplyTo?: number | null; action?: string; from?: string; baseRef?: string } = {},
): Json {
  const p = payload("pull_request_review_comment.created");
  p.action = options.action ?? "created";
  const c = p.comment as Json;
  c.body = body;
  if (options.id) c.id = options.id;
  if (options.inReplyTo === null) delete c.in_reply_to_id;
  else if (options.inReplyTo !== undefined) c.in_reply_to_id = options.inReplyTo;
  if (options.login) c.user = { ...(c.user as Json), login: options.login, type: options.type ?? "User" };
  else if (options.type) c.user = { ...(c.user as Json), type: options.type };
  if (options.from !== undefined) p.changes = { body: { from: options.from } };
  if (options.baseRef) (p.pull_request as Json).base.ref = options.baseRef;
  p.sender = c.user;
  return p;
}

/** `GET …/collaborators/{login}/permission`. */
export function mockPermission(scope: nock.Scope, login: string, role: "admin" | "maintain" | "write" | "triage" | "read" | "none"): void {
  const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
  scope.get(`${repoPath()}/collaborators/${login}/permission`).reply(200, {
    permission: legacy,
    role_name: role,
    user: { login, type: "User" },
  });
}

/** `GET …/commits/{sha}/check-runs?check_name=memlint…`: memlint's latest run of the commit. */
export function mockLatestCheckRun(scope: nock.Scope, id: number | null = CHECK_RUN_ID, headSha = HEAD_SHA): void {
  scope
    .get(`${repoPath()}/commits/${headSha}/check-runs`)
    .query({ check_name: "memlint", filter: "latest", app_id: String(APP_ID), per_page: "1" })
    .reply(200, {
      total_count: id === null ? 0 : 1,
      check_runs: id === null ? [] : [{ id, name: "memlint", head_sha: headSha, status: "completed", conclusion: "failure", app: { id: APP_ID, slug: "memlint" } }],
    });
}

/** A reaction on a conversation comment (`issue`) or a review comment (`review`). */
export function mockReaction(scope: nock.Scope, kind: "issue" | "review", commentId: number): Captured {
  const captured = new Captured();
  const path = kind === "issue" ? `${repoPath()}/issues/comments/${commentId}/reactions` : `${repoPath()}/pulls/comments/${commentId}/reactions`;
  scope.post(path).reply(201, withBody((body) => {
    captured.bodies.push(body);
    return { id: 61000 + captured.count, content: body.content, user: { login: `${IDENTITY.slug}[bot]`, type: "Bot" } };
  }));
  return captured;
}

let postedComments = 0;

/** memlint's conversation comment (answer or waiver record). */
export function mockIssueCommentPost(scope: nock.Scope, options: { status?: number } = {}): Captured {
  const captured = new Captured();
  const status = options.status ?? 201;
  scope.post(`${repoPath()}/issues/${PULL}/comments`).reply(status, withBody((body) => {
    captured.bodies.push(body);
    if (status >= 400) return { message: "Server Error" };
    const id = 3200000 + ++postedComments;
    return {
      id,
      node_id: `IC_kwDO${id}`,
      body: body.body,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${PULL}#issuecomment-${id}`,
      created_at: new Date().toISOString(),
      user: { login: `${IDENTITY.slug}[bot]`, type: "Bot" },
    };
  }));
  return captured;
}

/** memlint's reply in a review thread (to the thread's first comment). */
export function mockReviewReply(scope: nock.Scope, rootId: number): Captured {
  const captured = new Captured();
  scope.post(`${repoPath()}/pulls/${PULL}/comments/${rootId}/replies`).reply(201, withBody((body) => {
    captured.bodies.push(body);
    return { id: 9300 + captured.count, body: body.body, in_reply_to_id: rootId, user: { login: `${IDENTITY.slug}[bot]`, type: "Bot" } };
  }));
  return captured;
}

/** An edit of one of memlint's comments. */
export function mockCommentEdit(scope: nock.Scope, kind: "issue" | "review", commentId: number): Captured {
  const captured = new Captured();
  const path = kind === "issue" ? `${repoPath()}/issues/comments/${commentId}` : `${repoPath()}/pulls/comments/${commentId}`;
  scope.patch(path).reply(200, withBody((body) => {
    captured.bodies.push(body);
    return { id: commentId, body: body.body };
  }));
  return captured;
}

/** Log lines with a message matching `pattern`. */
export function logsMatching(logs: Record<string, unknown>[], pattern: RegExp): Record<string, unknown>[] {
  return logs.filter((l) => typeof l.msg === "string" && pattern.test(l.msg));
}
