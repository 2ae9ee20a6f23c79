/**
 * A GitHub API double on loopback, for end-to-end tests and the benchmark: the REST and GraphQL
 * endpoints memlint uses, answering in GitHub's shapes and enforcing GitHub's rules:
 *
 * - a review comment must be on a line of a hunk of the file's patch (RIGHT side), else the whole
 *   review is rejected with 422 "Pull request review thread line must be part of the diff";
 * - check runs: at most 50 annotations per request (they accumulate across updates), `summary`
 *   and `text` at most 65,535 characters, `title` and annotation titles at most 255, at most 3
 *   actions; `completed` needs a conclusion; a commit the repository does not have is a 422;
 * - installation tokens: every installation request needs one (`authorization: token …`), app
 *   requests a JWT (`Bearer`); a request without is a 401;
 * - secondary rate limit: at most `contentPerMinute` (default 80) content-creating requests
 *   (reviews, comments, check-run creation, GraphQL mutations) per installation and minute, else
 *   403 "You have exceeded a secondary rate limit" with `retry-after`.
 *
 * Faults can be injected per endpoint: 500, 502, a secondary rate limit (403 + `retry-after`), a
 * stalled connection (never answered), optionally after the write was applied (GitHub sometimes
 * applies a write and still fails the request), and a late answer (the request is held, then
 * applied and answered — after the client's time limit, so the write lands when the client has
 * given up on it).
 *
 * The repository model is small: commits are maps path → contents (string, or a Buffer for bytes
 * that are not UTF-8), branches point at commits, pull requests have a base and a head commit,
 * and their file list and patches are computed like GitHub's (3 lines of context).
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { structuredPatch } from "diff";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Contents = string | Buffer;

export type Endpoint =
  | "token"
  | "app"
  | "installation"
  | "pull"
  | "files"
  | "check-create"
  | "check-update"
  | "check-get"
  | "check-list"
  | "check-annotations"
  | "review"
  | "config"
  | "contents"
  | "threads"
  | "thread-mutations"
  | "graphql-other"
  | "issue-comment"
  | "reaction"
  | "permission"
  | "manifest"
  | "other";

export type FaultKind = "500" | "502" | "secondary" | "stall" | "late";

export interface Fault {
  endpoint: Endpoint;
  kind: FaultKind;
  /** How many requests to fault (default 1). */
  times?: number;
  /** Apply the write first, then fail (only writes). */
  applied?: boolean;
  /** `retry-after` of a secondary rate limit, in seconds (default 1). */
  retryAfter?: number;
  /** `late`: how long the request is held before it is applied and answered (default 1500 ms). */
  delayMs?: number;
  /** Only requests this returns true for. */
  match?: (req: RequestRecord) => boolean;
}

export interface RequestRecord {
  at: number;
  method: string;
  /** Path without the `/api/v3` prefix, with the query string. */
  path: string;
  endpoint: Endpoint;
  operation?: string;
  installation?: number;
  /** Made with a workflow's token (`GITHUB_TOKEN`), not the App's. */
  workflow?: boolean;
  status?: number;
  fault?: FaultKind;
  body?: Json;
}

export interface CheckRunRecord {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  external_id: string | null;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Json[];
  actions: Json[];
  /** Times (ms) the run was created and completed, and every update's body. */
  createdAt: number;
  completedAt?: number;
  updates: Json[];
  app_id: number;
}

export interface CommentRecord {
  id: number;
  nodeId: string;
  body: string;
  author: { login: string; type: "Bot" | "User" };
  createdAt: string;
  editedAt: string | null;
}

export interface ThreadRecord {
  id: string;
  owner: string;
  repo: string;
  pull: number;
  path: string;
  line: number;
  startLine?: number;
  isResolved: boolean;
  comments: CommentRecord[];
}

export interface ReviewRecord {
  id: number;
  owner: string;
  repo: string;
  pull: number;
  commitId: string;
  body: string;
  comments: Json[];
  at: number;
}

interface RepoModel {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  branches: Map<string, string>;
}

interface PullModel {
  owner: string;
  repo: string;
  number: number;
  title: string;
  author: string;
  baseRef: string;
  headRef: string;
  baseSha: string;
  headSha: string;
  draft: boolean;
  state: "open" | "closed";
  /** Patches GitHub sends that differ from the contents (hostile input). */
  patchOverrides: Map<string, string>;
  issueComments: CommentRecord[];
}

export interface PullFileEntry {
  filename: string;
  status: "added" | "removed" | "modified";
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  sha: string;
}

/** The installation number the requests of workflow tokens are counted under. */
const WORKFLOW_INSTALLATION = 15368;

/** GitHub's limits the double enforces. */
export const LIMITS = { output: 65_535, title: 255, annotationsPerRequest: 50, actions: 3, blobText: 1024 * 1024, patch: 1024 * 1024 } as const;

const SECONDARY_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ABCD:1234.";

export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

function toText(c: Contents): string {
  return typeof c === "string" ? c : c.toString("utf8");
}

function isBinary(c: Contents): boolean {
  return (typeof c === "string" ? c : c.toString("latin1")).includes("\u0000");
}

/** A GitHub-style `patch`: hunks with 3 lines of context, no file headers. */
export function githubPatch(base: string, head: string): string {
  const hunks = structuredPatch("a", "b", base, head, "", "", { context: 3 }).hunks;
  return hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join("\n")).join("\n");
}

/** The head lines each hunk of a patch covers (RIGHT side: added and context lines). */
export function rightLines(patch: string): { hunks: Set<number>[] } {
  const hunks: Set<number>[] = [];
  let current: Set<number> | undefined;
  let line = 0;
  for (const text of patch.split("\n")) {
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (m) {
      current = new Set();
      hunks.push(current);
      line = Number(m[1]);
      continue;
    }
    if (!current) continue;
    if (text.startsWith("-") || text.startsWith("\\")) continue;
    current.add(line);
    line++;
  }
  return { hunks };
}

export interface DoubleOptions {
  appId?: number;
  slug?: string;
  /** Content-creating requests per installation and minute (0: no limit). */
  contentPerMinute?: number;
}

interface Stalled {
  res: ServerResponse;
}

export class GitHubDouble {
  readonly appId: number;
  readonly slug: string;
  readonly privateKey: string;
  contentPerMinute: number;
  private server!: Server;
  port = 0;

  readonly requests: RequestRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly threads: ThreadRecord[] = [];
  readonly faults: Fault[] = [];
  /** Manifests posted to "new GitHub App" (the manifest flow), and the webhook secret of the App they made. */
  readonly manifests: Json[] = [];
  webhookSecret = "";
  private readonly manifestCodes = new Map<string, Json>();
  /** Repository permission per login (collaborators); default `write`. */
  readonly permissions = new Map<string, string>();
  readonly installations = new Map<string, number>();

  private readonly repos = new Map<string, RepoModel>();
  private readonly commits = new Map<string, Map<string, Contents>>();
  private readonly pulls = new Map<string, PullModel>();
  private readonly tokens = new Map<string, number>();
  private readonly workflowTokens = new Map<string, { readOnly: boolean }>();
  private readonly sockets = new Set<Socket>();
  private readonly stalled: Stalled[] = [];
  private readonly contentLog = new Map<number, number[]>();
  private readonly listeners = new Set<() => void>();
  private nextId = 1000;
  private nextToken = 1;

  constructor(options: DoubleOptions = {}) {
    this.appId = options.appId ?? 4242;
    this.slug = options.slug ?? "memlint";
    this.contentPerMinute = options.contentPerMinute ?? 80;
    this.privateKey = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey;
  }

  static async start(options: DoubleOptions = {}): Promise<GitHubDouble> {
    const double = new GitHubDouble(options);
    await double.listen();
    return double;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** `GHE_HOST` for Probot: the API is then `http://<host>/api/v3`, GraphQL `/api/graphql`. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const s of this.stalled) s.res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets requests, faults and comments (not repositories, commits and check runs). */
  resetLog(): void {
    this.requests.length = 0;
    this.faults.length = 0;
    this.contentLog.clear();
  }

  // -------------------------------------------------------------------------------------------
  // Repository model

  /** Creates a repository (with an empty initial commit on `main`) and installs the App on it. */
  createRepo(fullName: string, options: { installation?: number; defaultBranch?: string } = {}): void {
    const [owner, name] = fullName.split("/") as [string, string];
    const root = this.commit(new Map(), `root:${fullName}`);
    const branch = options.defaultBranch ?? "main";
    this.repos.set(fullName.toLowerCase(), { id: this.nextId++, owner, name, defaultBranch: branch, branches: new Map([[branch, root]]) });
    this.installations.set(owner.toLowerCase(), options.installation ?? 31337);
  }

  private repoModel(owner: string, repo: string): RepoModel | undefined {
    return this.repos.get(`${owner}/${repo}`.toLowerCase());
  }

  private commit(files: Map<string, Contents>, salt: string): string {
    const sha = sha1(`${salt}:${this.nextId++}:${[...files.entries()].map(([p, c]) => `${p}=${sha1(toText(c))}`).join(",")}`);
    this.commits.set(sha, files);
    return sha;
  }

  /** A new commit on top of `parent` (a sha or a branch of `fullName`): null deletes a file. */
  addCommit(fullName: string, parent: string, changes: Record<string, Contents | null>, sha?: string): string {
    const repo = this.repos.get(fullName.toLowerCase())!;
    const parentSha = repo.branches.get(parent) ?? parent;
    const files = new Map(this.commits.get(parentSha) ?? []);
    for (const [path, contents] of Object.entries(changes)) {
      if (contents === null) files.delete(path);
      else files.set(path, contents);
    }
    if (sha === undefined) return this.commit(files, fullName);
    // The commit a local git repository made of the same files, under git's id for it.
    this.commits.set(sha, files);
    return sha;
  }

  /**
   * A workflow's `GITHUB_TOKEN`: what it writes is authored by `github-actions[bot]`. A read-only
   * one (a pull request from a fork) is refused every write with GitHub's 403.
   */
  workflowToken(options: { readOnly?: boolean } = {}): string {
    const token = `ghs_workflow_${this.nextToken++}`;
    this.workflowTokens.set(token, { readOnly: options.readOnly ?? false });
    return token;
  }

  /** Moves a branch (the default branch: what the configuration is read from). */
  setBranch(fullName: string, branch: string, sha: string): void {
    this.repos.get(fullName.toLowerCase())!.branches.set(branch, sha);
  }

  branchSha(fullName: string, branch: string): string {
    return this.repos.get(fullName.toLowerCase())!.branches.get(branch)!;
  }

  openPull(fullName: string, pull: { number: number; head: string; base?: string; baseRef?: string; title?: string; author?: string; draft?: boolean }): void {
    const repo = this.repos.get(fullName.toLowerCase())!;
    const baseRef = pull.baseRef ?? repo.defaultBranch;
    this.pulls.set(`${fullName}#${pull.number}`.toLowerCase(), {
      owner: repo.owner,
      repo: repo.name,
      number: pull.number,
      title: pull.title ?? `Change ${pull.number}`,
      author: pull.author ?? "octo-dev",
      baseRef,
      headRef: `feature/${pull.number}`,
      baseSha: pull.base ?? repo.branches.get(baseRef)!,
      headSha: pull.head,
      draft: pull.draft ?? false,
      state: "open",
      patchOverrides: new Map(),
      issueComments: [],
    });
  }

  /** A push to the pull request's branch. */
  pushPull(fullName: string, number: number, head: string): void {
    this.pullModel(fullName, number).headSha = head;
  }

  /** GitHub sends this patch for `path` whatever the contents say (hostile input). */
  overridePatch(fullName: string, number: number, path: string, patch: string): void {
    this.pullModel(fullName, number).patchOverrides.set(path, patch);
  }

  private pullModel(fullName: string, number: number): PullModel {
    const pull = this.pulls.get(`${fullName}#${number}`.toLowerCase());
    if (!pull) throw new Error(`no pull request ${fullName}#${number}`);
    return pull;
  }

  /** The pull request's files as `GET /pulls/{n}/files` lists them. */
  pullFiles(pull: PullModel): PullFileEntry[] {
    const base = this.commits.get(pull.baseSha) ?? new Map<string, Contents>();
    const head = this.commits.get(pull.headSha) ?? new Map<string, Contents>();
    const paths = [...new Set([...base.keys(), ...head.keys()])].sort();
    const out: PullFileEntry[] = [];
    for (const path of paths) {
      const b = base.get(path);
      const h = head.get(path);
      if (b !== undefined && h !== undefined && Buffer.compare(Buffer.from(b as never), Buffer.from(h as never)) === 0) continue;
      const status = b === undefined ? "added" : h === undefined ? "removed" : "modified";
      const binary = (b !== undefined && isBinary(b)) || (h !== undefined && isBinary(h));
      const full = binary ? undefined : githubPatch(b === undefined ? "" : toText(b), h === undefined ? "" : toText(h));
      // Counts come from the whole diff; the patch is left out when it is too large (or binary).
      const lines = (full ?? "").split("\n");
      const additions = lines.filter((l) => l.startsWith("+")).length;
      const deletions = lines.filter((l) => l.startsWith("-")).length;
      let patch = full !== undefined && full.length > LIMITS.patch ? undefined : full;
      patch = pull.patchOverrides.get(path) ?? patch;
      out.push({
        filename: path,
        status,
        additions,
        deletions,
        changes: additions + deletions,
        ...(patch !== undefined ? { patch } : {}),
        sha: h === undefined ? "0".repeat(40) : sha1(toText(h)),
      });
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Webhook payloads

  private repositoryPayload(repo: RepoModel): Json {
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: false,
      owner: { login: repo.owner, id: 9001, type: "Organization" },
      default_branch: repo.defaultBranch,
    };
  }

  private installationOf(owner: string): number {
    return this.installations.get(owner.toLowerCase()) ?? 31337;
  }

  pullPayload(pull: PullModel): Json {
    const repo = this.repoModel(pull.owner, pull.repo)!;
    const repository = this.repositoryPayload(repo);
    return {
      url: `https://api.github.com/repos/${pull.owner}/${pull.repo}/pulls/${pull.number}`,
      id: 1_900_000_000 + pull.number,
      number: pull.number,
      state: pull.state,
      title: pull.title,
      draft: pull.draft,
      user: { login: pull.author, id: 7001, type: "User" },
      head: { label: `${pull.owner}:${pull.headRef}`, ref: pull.headRef, sha: pull.headSha, repo: repository },
      base: { label: `${pull.owner}:${pull.baseRef}`, ref: pull.baseRef, sha: pull.baseSha, repo: repository },
      changed_files: this.pullFiles(pull).length,
    };
  }

  /** A `pull_request` webhook payload for the pull request as it is now. */
  pullRequestEvent(fullName: string, number: number, action: "opened" | "synchronize" | "reopened" | "ready_for_review" = "opened"): Json {
    const pull = this.pullModel(fullName, number);
    const repo = this.repoModel(pull.owner, pull.repo)!;
    return {
      action,
      number,
      pull_request: this.pullPayload(pull),
      repository: this.repositoryPayload(repo),
      installation: { id: this.installationOf(pull.owner), node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u" },
      sender: { login: pull.author, id: 7001, type: "User" },
    };
  }

  /** A `check_run` webhook payload (`rerequested`: someone pressed Re-run). */
  checkRunEvent(id: number, action: "rerequested" | "requested_action" = "rerequested", sender = "octo-dev"): Json {
    const run = this.checkRuns.find((r) => r.id === id)!;
    const repo = this.repoModel(run.owner, run.repo)!;
    return {
      action,
      check_run: { ...this.checkRunPayload(run), pull_requests: [] },
      repository: this.repositoryPayload(repo),
      installation: { id: this.installationOf(run.owner) },
      sender: { login: sender, id: 7002, type: "User" },
    };
  }

  /** An `issue_comment.created` payload: `body` written by `login` in the pull request's conversation. */
  issueCommentEvent(fullName: string, number: number, body: string, login = "octo-dev"): Json {
    const pull = this.pullModel(fullName, number);
    const repo = this.repoModel(pull.owner, pull.repo)!;
    const comment = this.addUserComment(fullName, number, body, { login });
    return {
      action: "created",
      issue: { number, state: pull.state, user: { login: pull.author, id: 7001, type: "User" }, pull_request: { url: `https://api.github.com/repos/${fullName}/pulls/${number}` } },
      comment: { ...this.restComment(comment), html_url: `https://github.com/${fullName}/pull/${number}#issuecomment-${comment.id}` },
      repository: this.repositoryPayload(repo),
      installation: { id: this.installationOf(pull.owner) },
      sender: { login, id: 7003, type: "User" },
    };
  }

  /** A `check_suite.rerequested` payload for memlint's suite of `headSha`, listing no pull request (as for forks). */
  checkSuiteEvent(fullName: string, headSha: string): Json {
    const repo = this.repos.get(fullName.toLowerCase())!;
    return {
      action: "rerequested",
      check_suite: { id: 77_000 + this.nextId++, head_sha: headSha, head_branch: null, status: "completed", app: { id: this.appId, slug: this.slug }, pull_requests: [] },
      repository: this.repositoryPayload(repo),
      installation: { id: this.installationOf(repo.owner) },
      sender: { login: "octo-dev", id: 7002, type: "User" },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Queries for tests

  checkRunsFor(fullName: string, headSha?: string): CheckRunRecord[] {
    const [owner, repo] = fullName.toLowerCase().split("/");
    return this.checkRuns.filter((r) => r.owner.toLowerCase() === owner && r.repo.toLowerCase() === repo && (headSha === undefined || r.head_sha === headSha));
  }

  /** The newest check run of a commit (what GitHub shows and branch protection uses). */
  latestCheckRun(fullName: string, headSha: string): CheckRunRecord | undefined {
    return this.checkRunsFor(fullName, headSha).sort((a, b) => b.id - a.id)[0];
  }

  threadsOf(fullName: string, number: number): ThreadRecord[] {
    const [owner, repo] = fullName.toLowerCase().split("/");
    return this.threads.filter((t) => t.owner.toLowerCase() === owner && t.repo.toLowerCase() === repo && t.pull === number);
  }

  issueCommentsOf(fullName: string, number: number): CommentRecord[] {
    return this.pullModel(fullName, number).issueComments;
  }

  /** A comment by a person in a thread, or in the conversation when `threadId` is undefined. */
  addUserComment(fullName: string, number: number, body: string, options: { threadId?: string; login?: string } = {}): CommentRecord {
    const comment = this.newComment(body, { login: options.login ?? "octo-dev", type: "User" });
    if (options.threadId) this.threads.find((t) => t.id === options.threadId)!.comments.push(comment);
    else this.pullModel(fullName, number).issueComments.push(comment);
    return comment;
  }

  /** Resolves when `predicate` holds (checked after every request and every `poll` ms). */
  async waitFor(predicate: () => boolean, timeoutMs = 60_000, what = "condition"): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(check, 50);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  fault(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: Json = {};
    if (text && String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      body = Object.fromEntries(new URLSearchParams(text));
    } else if (text) {
      try {
        body = JSON.parse(text) as Json;
      } catch {
        return this.send(res, 400, { message: "Problems parsing JSON" });
      }
    }
    const url = new URL(req.url ?? "/", "http://double");
    const method = (req.method ?? "GET").toUpperCase();
    let path = url.pathname;
    const graphql = path === "/api/graphql" || path === "/graphql";
    if (path.startsWith("/api/v3")) path = path.slice("/api/v3".length) || "/";
    const record: RequestRecord = { at: Date.now(), method, path: `${path}${url.search}`, endpoint: "other", body };
    if (graphql) {
      const op = /^\s*(query|mutation)\s+(\w+)/.exec(String(body.query ?? ""));
      record.operation = op ? `${op[1]} ${op[2]}` : "anonymous";
      record.endpoint =
        op?.[2] === "memlintConfig" || op?.[2] === "memlintConfigExtends"
          ? "config"
          : op?.[2] === "memlintContents"
            ? "contents"
            : op?.[2] === "memlintThreads"
              ? op[1] === "mutation"
                ? "thread-mutations"
                : "threads"
              : "graphql-other";
    } else record.endpoint = classify(method, path);
    this.requests.push(record);

    // The manifest flow: the browser posts the manifest to github.com, and the server exchanges the
    // code without any credentials (it has none yet).
    if (record.endpoint === "manifest") return this.manifestFlow(method, path, body, record, res);
    const auth = req.headers.authorization ?? "";
    if (record.endpoint === "token" || record.endpoint === "app" || record.endpoint === "installation") {
      if (!/^bearer\s+\S+/i.test(auth)) return this.finish(record, res, 401, { message: "A JSON web token could not be decoded" });
    } else {
      const token = /^token\s+(\S+)/i.exec(auth)?.[1];
      const workflow = token ? this.workflowTokens.get(token) : undefined;
      if (workflow) {
        record.installation = WORKFLOW_INSTALLATION;
        record.workflow = true;
        const write = graphql ? record.operation?.startsWith("mutation") === true : method !== "GET" && method !== "HEAD";
        if (workflow.readOnly && write) {
          return this.finish(record, res, 403, { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" });
        }
      }
      const installation = token ? this.tokens.get(token) : undefined;
      if (installation === undefined && !workflow) return this.finish(record, res, 401, { message: "Bad credentials" });
      record.installation ??= installation;
    }

    const fault = this.takeFault(record);
    if (fault?.kind === "late") {
      record.fault = "late";
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1500));
    } else if (fault && !fault.applied) return this.applyFault(fault, record, res);

    // Secondary rate limit on content creation.
    if (this.contentPerMinute > 0 && record.installation !== undefined && isContentCreating(record)) {
      const now = Date.now();
      const log = (this.contentLog.get(record.installation) ?? []).filter((t) => t > now - 60_000);
      if (log.length >= this.contentPerMinute) {
        this.contentLog.set(record.installation, log);
        return this.finish(record, res, 403, { message: SECONDARY_MESSAGE, documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" }, { "retry-after": "60" }, "secondary");
      }
      log.push(now);
      this.contentLog.set(record.installation, log);
    }

    let status: number;
    let payload: unknown;
    let headers: Record<string, string> = {};
    try {
      [status, payload, headers = {}] = graphql ? this.graphql(body) : this.rest(method, path, url.searchParams, body, record);
    } catch (err) {
      [status, payload] = [500, { message: `double: ${(err as Error).message}` }];
    }
    if (fault && fault.kind !== "late") return this.applyFault(fault, record, res);
    return this.finish(record, res, status, payload, headers);
  }

  /**
   * `POST /settings/apps/new` with the form field `manifest`: "creates" the App and sends the
   * browser to the manifest's `redirect_url` with a code; `POST /app-manifests/{code}/conversions`
   * returns the App's credentials (this double's App, with a new webhook secret).
   */
  private manifestFlow(method: string, path: string, body: Json, record: RequestRecord, res: ServerResponse): void {
    if (method === "POST" && /^\/(organizations\/[^/]+\/)?settings\/apps\/new$/.test(path)) {
      const manifest = JSON.parse(String(body.manifest ?? "{}")) as Json;
      this.manifests.push(manifest);
      const code = `code-${this.nextId++}`;
      this.manifestCodes.set(code, manifest);
      record.status = 302;
      res.writeHead(302, { location: `${String(manifest.redirect_url)}?code=${code}` }).end();
      return this.notify();
    }
    const m = /^\/app-manifests\/([^/]+)\/conversions$/.exec(path);
    const manifest = m ? this.manifestCodes.get(m[1]!) : undefined;
    if (method !== "POST" || !manifest) return this.finish(record, res, 404, { message: "Not Found" });
    this.manifestCodes.delete(m![1]!);
    this.webhookSecret = `whsec-${sha1(String(this.nextId++)).slice(0, 20)}`;
    return this.finish(record, res, 201, {
      id: this.appId,
      slug: this.slug,
      node_id: "A_double",
      name: String(manifest.name),
      owner: { login: "octo-org" },
      html_url: `http://${this.host}/apps/${this.slug}`,
      client_id: "Iv1.double",
      client_secret: "double-client-secret",
      webhook_secret: this.webhookSecret,
      pem: this.privateKey,
      permissions: manifest.default_permissions,
      events: manifest.default_events,
    });
  }

  private takeFault(record: RequestRecord): Fault | undefined {
    const i = this.faults.findIndex((f) => f.endpoint === record.endpoint && (f.times ?? 1) > 0 && (!f.match || f.match(record)));
    if (i === -1) return undefined;
    const fault = this.faults[i]!;
    fault.times = (fault.times ?? 1) - 1;
    return fault;
  }

  private applyFault(fault: Fault, record: RequestRecord, res: ServerResponse): void {
    record.fault = fault.kind;
    switch (fault.kind) {
      case "stall":
        // Never answered: the connection stays open until the client gives up.
        this.stalled.push({ res });
        this.notify();
        return;
      case "secondary":
        return this.finish(record, res, 403, { message: SECONDARY_MESSAGE }, { "retry-after": String(fault.retryAfter ?? 1) }, "secondary");
      case "500":
        return this.finish(record, res, 500, { message: "Server Error" }, {}, "500");
      case "502":
        record.status = 502;
        res.writeHead(502, { "content-type": "text/html" });
        res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
        this.notify();
        return;
    }
  }

  private finish(record: RequestRecord, res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}, fault?: FaultKind): void {
    record.status = status;
    if (fault) record.fault = fault;
    this.send(res, status, payload, headers);
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    const text = payload === undefined ? "" : JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": `DOUBLE:${this.requests.length}`,
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      ...headers,
    });
    res.end(text);
  }

  // -------------------------------------------------------------------------------------------
  // REST

  private rest(method: string, path: string, query: URLSearchParams, body: Json, record: RequestRecord): [number, unknown, Record<string, string>?] {
    let m: RegExpExecArray | null;
    if (method === "POST" && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      const token = `ghs_double_${m[1]}_${this.nextToken++}`;
      this.tokens.set(token, Number(m[1]));
      return [201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { checks: "write", pull_requests: "write", contents: "read", issues: "write", metadata: "read" }, repository_selection: "all" }];
    }
    if (method === "GET" && path === "/app") return [200, { id: this.appId, slug: this.slug, name: this.slug, owner: { login: "memlint" } }];
    if (method === "GET" && (m = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(path))) {
      if (!this.repoModel(m[1]!, m[2]!)) return [404, { message: "Not Found" }];
      return [200, { id: this.installationOf(m[1]!), app_id: this.appId, account: { login: m[1] } }];
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/(.*)$/.exec(path))) {
      const [, owner, repoName, rest] = m as unknown as [string, string, string, string];
      const repo = this.repoModel(owner, repoName);
      if (!repo) return [404, { message: "Not Found" }];
      return this.repoRest(method, repo, rest, query, body, record);
    }
    if (method === "GET" && /^\/orgs\/[^/]+\/teams\/[^/]+\/memberships\/[^/]+$/.test(path)) return [404, { message: "Not Found" }];
    return [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];
  }

  private repoRest(method: string, repo: RepoModel, rest: string, query: URLSearchParams, body: Json, record: RequestRecord): [number, unknown, Record<string, string>?] {
    const full = `${repo.owner}/${repo.name}`;
    let m: RegExpExecArray | null;
    if (method === "GET" && (m = /^pulls\/(\d+)$/.exec(rest))) {
      const pull = this.pulls.get(`${full}#${m[1]}`.toLowerCase());
      return pull ? [200, this.pullPayload(pull)] : [404, { message: "Not Found" }];
    }
    if (method === "GET" && (m = /^pulls\/(\d+)\/files$/.exec(rest))) {
      const pull = this.pulls.get(`${full}#${m[1]}`.toLowerCase());
      if (!pull) return [404, { message: "Not Found" }];
      const perPage = Math.min(100, Number(query.get("per_page") ?? 30));
      const page = Number(query.get("page") ?? 1);
      const files = this.pullFiles(pull).slice(0, 3000);
      const pages = Math.max(1, Math.ceil(files.length / perPage));
      const link = (p: number) => `<http://${this.host}/api/v3/repos/${full}/pulls/${pull.number}/files?per_page=${perPage}&page=${p}>`;
      const links = [...(page < pages ? [`${link(page + 1)}; rel="next"`, `${link(pages)}; rel="last"`] : []), ...(page > 1 ? [`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`] : [])];
      return [200, files.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(", ") } : {}];
    }
    if (method === "POST" && rest === "check-runs") return this.createCheckRun(repo, body);
    if ((m = /^check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]) && r.owner === repo.owner && r.repo === repo.name);
      if (!run) return [404, { message: "Not Found" }];
      if (method === "GET") return [200, this.checkRunPayload(run)];
      if (method === "PATCH") return this.updateCheckRun(run, body);
    }
    if (method === "GET" && (m = /^check-runs\/(\d+)\/annotations$/.exec(rest))) {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      return run ? [200, run.annotations] : [404, { message: "Not Found" }];
    }
    if (method === "GET" && (m = /^commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const sha = repo.branches.get(m[1]!) ?? m[1]!;
      let runs = this.checkRunsFor(full, sha).sort((a, b) => b.id - a.id);
      const name = query.get("check_name");
      if (name) runs = runs.filter((r) => r.name === name);
      const status = query.get("status");
      if (status) runs = runs.filter((r) => r.status === status);
      const appId = query.get("app_id");
      if (appId) runs = runs.filter((r) => String(r.app_id) === appId);
      if ((query.get("filter") ?? "latest") === "latest") {
        const seen = new Set<string>();
        runs = runs.filter((r) => !seen.has(r.name) && seen.add(r.name));
      }
      const perPage = Number(query.get("per_page") ?? 30);
      return [200, { total_count: runs.length, check_runs: runs.slice(0, perPage).map((r) => this.checkRunPayload(r)) }];
    }
    if (method === "GET" && (m = /^commits\/([^/]+)\/pulls$/.exec(rest))) {
      const sha = m[1]!;
      return [200, [...this.pulls.values()].filter((p) => p.owner === repo.owner && p.repo === repo.name && p.headSha === sha).map((p) => this.pullPayload(p))];
    }
    if (method === "POST" && (m = /^pulls\/(\d+)\/reviews$/.exec(rest))) return this.createReview(repo, Number(m[1]), body, this.botAuthor(record));
    if (method === "GET" && (m = /^collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const permission = this.permissions.get(m[1]!.toLowerCase()) ?? "write";
      return [200, { permission: permission === "maintain" || permission === "triage" ? "write" : permission, role_name: permission, user: { login: m[1] } }];
    }
    if (method === "POST" && (m = /^issues\/(\d+)\/comments$/.exec(rest))) {
      const pull = this.pulls.get(`${full}#${m[1]}`.toLowerCase());
      if (!pull) return [404, { message: "Not Found" }];
      const comment = this.newComment(String(body.body ?? ""), this.botAuthor(record));
      pull.issueComments.push(comment);
      return [201, this.restComment(comment)];
    }
    if (method === "PATCH" && (m = /^(?:issues|pulls)\/comments\/(\d+)$/.exec(rest))) {
      const comment = this.findComment(Number(m[1]));
      if (!comment) return [404, { message: "Not Found" }];
      comment.body = String(body.body ?? comment.body);
      comment.editedAt = new Date().toISOString();
      return [200, this.restComment(comment)];
    }
    if (method === "POST" && (m = /^pulls\/(\d+)\/comments\/(\d+)\/replies$/.exec(rest))) {
      const thread = this.threads.find((t) => t.comments.some((c) => c.id === Number(m![2])));
      if (!thread) return [404, { message: "Not Found" }];
      const comment = this.newComment(String(body.body ?? ""), this.botAuthor(record));
      thread.comments.push(comment);
      return [201, this.restComment(comment)];
    }
    if (method === "POST" && /^(?:issues|pulls)\/comments\/\d+\/reactions$/.test(rest)) return [201, { id: this.nextId++, content: body.content }];
    if (method === "DELETE" && /reactions\/\d+$/.test(rest)) return [204, undefined];
    if (method === "GET" && /^(?:issues|pulls)\/comments\/\d+\/reactions$/.test(rest)) return [200, []];
    if (method === "GET" && (m = /^check-suites\/(\d+)\/check-runs$/.exec(rest))) return [200, { total_count: 0, check_runs: [] }];
    record.endpoint = "other";
    return [404, { message: "Not Found" }];
  }

  /** Who a write appears to come from: the App's bot, or `github-actions[bot]` for a workflow's token. */
  private botAuthor(record: RequestRecord): CommentRecord["author"] {
    return { login: record.workflow ? "github-actions[bot]" : `${this.slug}[bot]`, type: "Bot" };
  }

  private newComment(body: string, author: CommentRecord["author"]): CommentRecord {
    const id = this.nextId++;
    return { id, nodeId: `C_${id}`, body, author, createdAt: new Date().toISOString(), editedAt: null };
  }

  private findComment(id: number): CommentRecord | undefined {
    for (const t of this.threads) for (const c of t.comments) if (c.id === id) return c;
    for (const p of this.pulls.values()) for (const c of p.issueComments) if (c.id === id) return c;
    return undefined;
  }

  private restComment(c: CommentRecord): Json {
    return { id: c.id, node_id: c.nodeId, body: c.body, user: { login: c.author.login, type: c.author.type }, created_at: c.createdAt, updated_at: c.editedAt ?? c.createdAt };
  }

  private checkRunPayload(run: CheckRunRecord): Json {
    return {
      id: run.id,
      name: run.name,
      node_id: `CR_${run.id}`,
      head_sha: run.head_sha,
      external_id: run.external_id,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: { ...run.output, annotations_count: run.annotations.length, annotations_url: `http://${this.host}/api/v3/repos/${run.owner}/${run.repo}/check-runs/${run.id}/annotations` },
      app: { id: run.app_id, slug: this.slug, name: this.slug },
      pull_requests: [],
      check_suite: { id: 88_000 + run.id },
    };
  }

  /** GitHub's validation of a check run's output, annotations and actions; a message on failure. */
  private invalidCheckBody(body: Json): string | undefined {
    const output = body.output as Json | undefined;
    if (output) {
      if (typeof output.title !== "string" || output.title.length === 0) return "output.title is required";
      if (typeof output.summary !== "string") return "output.summary is required";
      if (output.title.length > LIMITS.title) return `Only ${LIMITS.title} characters are allowed in output.title`;
      if (output.summary.length > LIMITS.output) return `Only ${LIMITS.output} characters are allowed; output.summary has ${output.summary.length}`;
      if (typeof output.text === "string" && output.text.length > LIMITS.output) return `Only ${LIMITS.output} characters are allowed; output.text has ${output.text.length}`;
      const annotations = (output.annotations as Json[] | undefined) ?? [];
      if (annotations.length > LIMITS.annotationsPerRequest) return `Only ${LIMITS.annotationsPerRequest} annotations are allowed per request (got ${annotations.length})`;
      for (const a of annotations) {
        if (!a.path || !a.start_line || !a.end_line || !a.annotation_level || !a.message) return "annotation is missing a required field";
        if (typeof a.title === "string" && a.title.length > LIMITS.title) return `annotation title over ${LIMITS.title} characters`;
        if (!["notice", "warning", "failure"].includes(a.annotation_level as string)) return "invalid annotation_level";
      }
    }
    const actions = (body.actions as Json[] | undefined) ?? [];
    if (actions.length > LIMITS.actions) return `at most ${LIMITS.actions} actions`;
    for (const a of actions) if (String(a.label).length > 20 || String(a.identifier).length > 20 || String(a.description).length > 40) return "action too long";
    if (body.status === "completed" && !body.conclusion) return "conclusion is required when status is completed";
    if (body.conclusion && !["success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required"].includes(body.conclusion as string)) return "invalid conclusion";
    return undefined;
  }

  private createCheckRun(repo: RepoModel, body: Json): [number, unknown] {
    const invalid = this.invalidCheckBody(body);
    if (invalid) return [422, { message: "Invalid request.", errors: [invalid] }];
    if (!this.commits.has(String(body.head_sha))) return [422, { message: "No commit found for SHA: " + String(body.head_sha) }];
    const status = (body.conclusion ? "completed" : (body.status as CheckRunRecord["status"] | undefined)) ?? "queued";
    const output = (body.output as Json | undefined) ?? {};
    const run: CheckRunRecord = {
      id: this.nextId++,
      owner: repo.owner,
      repo: repo.name,
      name: String(body.name),
      head_sha: String(body.head_sha),
      external_id: (body.external_id as string | undefined) ?? null,
      status,
      conclusion: (body.conclusion as string | undefined) ?? null,
      started_at: (body.started_at as string | undefined) ?? new Date().toISOString(),
      completed_at: status === "completed" ? ((body.completed_at as string | undefined) ?? new Date().toISOString()) : null,
      output: { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null },
      annotations: [...((output.annotations as Json[] | undefined) ?? [])],
      actions: (body.actions as Json[] | undefined) ?? [],
      createdAt: Date.now(),
      ...(status === "completed" ? { completedAt: Date.now() } : {}),
      updates: [],
      app_id: this.appId,
    };
    this.checkRuns.push(run);
    return [201, this.checkRunPayload(run)];
  }

  private updateCheckRun(run: CheckRunRecord, body: Json): [number, unknown] {
    const invalid = this.invalidCheckBody(body);
    if (invalid) return [422, { message: "Invalid request.", errors: [invalid] }];
    run.updates.push(body);
    if (body.conclusion) {
      run.status = "completed";
      run.conclusion = String(body.conclusion);
      run.completed_at = (body.completed_at as string | undefined) ?? new Date().toISOString();
      run.completedAt = Date.now();
    } else if (body.status) run.status = body.status as CheckRunRecord["status"];
    const output = body.output as Json | undefined;
    if (output) {
      run.output = { title: output.title ?? run.output.title, summary: output.summary ?? run.output.summary, text: output.text ?? run.output.text };
      run.annotations.push(...((output.annotations as Json[] | undefined) ?? []));
    }
    if (body.actions) run.actions = body.actions as Json[];
    return [200, this.checkRunPayload(run)];
  }

  private createReview(repo: RepoModel, number: number, body: Json, author: CommentRecord["author"]): [number, unknown] {
    const full = `${repo.owner}/${repo.name}`;
    const pull = this.pulls.get(`${full}#${number}`.toLowerCase());
    if (!pull) return [404, { message: "Not Found" }];
    const commitId = String(body.commit_id ?? pull.headSha);
    if (!this.commits.has(commitId)) return [422, { message: "Unprocessable Entity", errors: ["commit_id is not part of the pull request"] }];
    const files = new Map(this.pullFiles({ ...pull, headSha: commitId }).map((f) => [f.filename, f]));
    const comments = (body.comments as Json[] | undefined) ?? [];
    for (const c of comments) {
      const file = files.get(String(c.path));
      const line = Number(c.line);
      const start = c.start_line === undefined ? undefined : Number(c.start_line);
      const hunk = file?.patch ? rightLines(file.patch).hunks.find((h) => h.has(line)) : undefined;
      const ok = file && c.side !== "LEFT" && hunk && (start === undefined || (start < line && hunk.has(start)));
      if (!ok) return [422, { message: "Unprocessable Entity", errors: ["Pull request review thread line must be part of the diff"], documentation_url: "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request" }];
      if (String(c.body ?? "").length > 65_536) return [422, { message: "Unprocessable Entity", errors: ["body is too long (maximum is 65536 characters)"] }];
    }
    const review: ReviewRecord = { id: this.nextId++, owner: repo.owner, repo: repo.name, pull: number, commitId, body: String(body.body ?? ""), comments, at: Date.now() };
    this.reviews.push(review);
    for (const c of comments) {
      this.threads.push({
        id: `PRRT_${this.nextId++}`,
        owner: repo.owner,
        repo: repo.name,
        pull: number,
        path: String(c.path),
        line: Number(c.line),
        ...(c.start_line !== undefined ? { startLine: Number(c.start_line) } : {}),
        isResolved: false,
        comments: [this.newComment(String(c.body ?? ""), author)],
      });
    }
    return [200, { id: review.id, node_id: `PRR_${review.id}`, state: "COMMENTED", commit_id: commitId, body: review.body }];
  }

  // -------------------------------------------------------------------------------------------
  // GraphQL (the operations memlint sends)

  private blob(owner: string, repoName: string, expression: string): Json | null {
    const repo = this.repoModel(owner, repoName);
    if (!repo) return null;
    const colon = expression.indexOf(":");
    const ref = expression.slice(0, colon);
    const path = expression.slice(colon + 1);
    const sha = ref === "HEAD" ? repo.branches.get(repo.defaultBranch)! : (repo.branches.get(ref) ?? ref);
    const contents = this.commits.get(sha)?.get(path);
    if (contents === undefined) return null;
    const bytes = typeof contents === "string" ? Buffer.byteLength(contents) : contents.length;
    if (isBinary(contents)) return { __typename: "Blob", byteSize: bytes, isBinary: true, isTruncated: false, text: null };
    if (bytes > LIMITS.blobText) return { __typename: "Blob", byteSize: bytes, isBinary: false, isTruncated: true, text: toText(contents).slice(0, LIMITS.blobText) };
    return { __typename: "Blob", byteSize: bytes, isBinary: false, isTruncated: false, text: toText(contents) };
  }

  /** A directory (`<ref>:<dir>`, `<ref>:` for the root) as a Tree with its entries' blobs. */
  private tree(owner: string, repoName: string, expression: string): Json | null {
    const repo = this.repoModel(owner, repoName);
    if (!repo) return null;
    const colon = expression.indexOf(":");
    const ref = expression.slice(0, colon);
    const dir = expression.slice(colon + 1).replace(/\/$/, "");
    const sha = ref === "HEAD" ? repo.branches.get(repo.defaultBranch)! : (repo.branches.get(ref) ?? ref);
    const files = this.commits.get(sha);
    if (!files) return null;
    const prefix = dir === "" ? "" : `${dir}/`;
    const entries = new Map<string, Json>();
    for (const path of files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash === -1) entries.set(rest, { name: rest, type: "blob", object: this.blob(owner, repoName, `${sha}:${path}`) });
      else entries.set(rest.slice(0, slash), { name: rest.slice(0, slash), type: "tree", object: { __typename: "Tree" } });
    }
    if (entries.size === 0) return null;
    return { __typename: "Tree", entries: [...entries.values()].sort((a, b) => String(a.name).localeCompare(String(b.name))) };
  }

  private graphql(body: Json): [number, unknown] {
    const query = String(body.query ?? "");
    const v = (body.variables ?? {}) as Json;
    const op = /^\s*(query|mutation)\s+(\w+)/.exec(query);
    const notFound = (path: string, what: string) => ({ type: "NOT_FOUND", path: [path], locations: [{ line: 2, column: 3 }], message: `Could not resolve to a Repository with the name '${what}'.` });
    switch (op?.[2]) {
      case "memlintConfig": {
        const errors: Json[] = [];
        const data: Json = {};
        if (this.repoModel(v.owner, v.repo)) {
          data.repository = { config: this.blob(v.owner, v.repo, v.config) };
          if (v.withGoMod) data.repository.goMod = this.blob(v.owner, v.repo, v.goMod);
        } else {
          data.repository = null;
          errors.push(notFound("repository", `${v.owner}/${v.repo}`));
        }
        if (v.withOrg) {
          if (this.repoModel(v.owner, ".github")) data.org = { config: this.blob(v.owner, ".github", v.config) };
          else {
            data.org = null;
            errors.push(notFound("org", `${v.owner}/.github`));
          }
        }
        return [200, errors.length > 0 ? { data, errors } : { data }];
      }
      case "memlintConfigExtends": {
        if (!this.repoModel(v.owner, v.repo)) return [200, { data: { repository: null }, errors: [notFound("repository", `${v.owner}/${v.repo}`)] }];
        return [200, { data: { repository: { config: this.blob(v.owner, v.repo, v.expression) } } }];
      }
      case "memlintContents": {
        const repository: Json = {};
        for (const [name, value] of Object.entries(v)) {
          const m = /^e(\d+)$/.exec(name);
          if (m) repository[`f${m[1]}`] = this.blob(v.owner, v.repo, String(value));
          const t = /^t(\d+)$/.exec(name);
          if (t) repository[`d${t[1]}`] = this.tree(v.owner, v.repo, String(value));
        }
        return [200, { data: { repository } }];
      }
      case "memlintThreads":
        return op![1] === "mutation" ? this.threadMutations(query, v) : this.threadsQuery(v);
      default:
        return [200, { errors: [{ type: "DOUBLE_UNSUPPORTED", message: `the GitHub double does not answer ${op?.[2] ?? "this query"}` }] }];
    }
  }

  private graphqlComment(c: CommentRecord): Json {
    return {
      id: c.nodeId,
      databaseId: c.id,
      body: c.body,
      createdAt: c.createdAt,
      lastEditedAt: c.editedAt,
      url: `https://github.com/x/y/pull/1#discussion_r${c.id}`,
      // GraphQL gives a bot's login without "[bot]".
      author: { __typename: c.author.type, login: c.author.login.replace(/\[bot\]$/, "") },
    };
  }

  private threadsQuery(v: Json): [number, unknown] {
    const pull = this.pulls.get(`${v.owner}/${v.repo}#${v.number}`.toLowerCase());
    if (!pull) return [200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository" }] }];
    const threads = this.threadsOf(`${pull.owner}/${pull.repo}`, pull.number);
    const page = <T>(items: T[], cursor: unknown) => {
      const start = typeof cursor === "string" ? Number(Buffer.from(cursor, "base64").toString()) : 0;
      const slice = items.slice(start, start + 100);
      const end = start + slice.length;
      return { slice, pageInfo: { hasNextPage: end < items.length, endCursor: slice.length > 0 ? Buffer.from(String(end)).toString("base64") : null } };
    };
    const pr: Json = { headRefOid: pull.headSha };
    if (v.withThreads !== false) {
      const p = page(threads, v.cursor);
      pr.reviewThreads = {
        pageInfo: p.pageInfo,
        nodes: p.slice.map((t) => ({
          id: t.id,
          isResolved: t.isResolved,
          path: t.path,
          comments: { totalCount: t.comments.length, nodes: t.comments.slice(0, 100).map((c) => this.graphqlComment(c)) },
        })),
      };
    }
    if (v.withComments !== false) {
      const p = page(pull.issueComments, v.commentsCursor);
      pr.comments = { pageInfo: p.pageInfo, nodes: p.slice.map((c) => ({ ...this.graphqlComment(c), url: `https://github.com/x/y/pull/1#issuecomment-${c.id}` })) };
    }
    return [200, { data: { repository: { pullRequest: pr } } }];
  }

  private threadMutations(query: string, v: Json): [number, unknown] {
    const data: Json = {};
    const errors: Json[] = [];
    for (const m of query.matchAll(/(m\d+): (\w+)\(input: \{(\w+): \$(\w+)(?:, body: \$(\w+))?\}\)/g)) {
      const [, alias, name, , idVar, bodyVar] = m as unknown as [string, string, string, string, string, string | undefined];
      const id = String(v[idVar]);
      if (name === "updatePullRequestReviewComment") {
        const comment = this.threads.flatMap((t) => t.comments).find((c) => c.nodeId === id);
        if (!comment) {
          errors.push({ type: "NOT_FOUND", path: [alias], message: `Could not resolve to a node with the global id of '${id}'` });
          data[alias] = null;
          continue;
        }
        comment.body = String(v[bodyVar!]);
        comment.editedAt = new Date().toISOString();
        data[alias] = { pullRequestReviewComment: { id } };
      } else {
        const thread = this.threads.find((t) => t.id === id);
        if (!thread) {
          errors.push({ type: "NOT_FOUND", path: [alias], message: `Could not resolve to a node with the global id of '${id}'` });
          data[alias] = null;
          continue;
        }
        thread.isResolved = name === "resolveReviewThread";
        data[alias] = { thread: { id, isResolved: thread.isResolved } };
      }
    }
    return [200, errors.length > 0 ? { data, errors } : { data }];
  }
}

function classify(method: string, path: string): Endpoint {
  if (/^\/(organizations\/[^/]+\/)?settings\/apps\/new$/.test(path) || /^\/app-manifests\/[^/]+\/conversions$/.test(path)) return "manifest";
  if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) return "token";
  if (path === "/app") return "app";
  if (/^\/repos\/[^/]+\/[^/]+\/installation$/.test(path)) return "installation";
  if (/\/pulls\/\d+\/files$/.test(path)) return "files";
  if (/\/pulls\/\d+$/.test(path)) return "pull";
  if (method === "POST" && /\/check-runs$/.test(path)) return "check-create";
  if (method === "PATCH" && /\/check-runs\/\d+$/.test(path)) return "check-update";
  if (method === "GET" && /\/check-runs\/\d+$/.test(path)) return "check-get";
  if (/\/check-runs\/\d+\/annotations$/.test(path)) return "check-annotations";
  if (/\/commits\/[^/]+\/check-runs$/.test(path)) return "check-list";
  if (method === "POST" && /\/pulls\/\d+\/reviews$/.test(path)) return "review";
  if (/\/reactions/.test(path)) return "reaction";
  if (/\/collaborators\/[^/]+\/permission$/.test(path)) return "permission";
  if (/\/(issues|pulls)\/(\d+\/)?comments/.test(path)) return "issue-comment";
  return "other";
}

function isContentCreating(r: RequestRecord): boolean {
  if (r.endpoint === "thread-mutations") return true;
  if (r.method !== "POST") return false;
  return r.endpoint === "review" || r.endpoint === "check-create" || r.endpoint === "issue-comment";
}
