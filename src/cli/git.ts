/** The few git operations `memlint review` needs, run with `execFile` (no shell), and finding the work tree without git. */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { CliError } from "./io.js";
import { type ListedRef, listRefsFromFiles } from "./refs.js";

const MAX_BUFFER = 1024 * 1024 * 1024;

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface GitOptions {
  cwd: string;
  /** Written to git's standard input. */
  input?: string;
  env?: Record<string, string>;
}

/** Runs git and returns its standard output as bytes. */
export function gitBytes(args: string[], options: GitOptions): Promise<Buffer> {
  let child: ReturnType<typeof execFile> | undefined;
  const output = new Promise<Buffer>((resolvePromise, reject) => {
    child = execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        encoding: "buffer",
        maxBuffer: MAX_BUFFER,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C", ...options.env },
      },
      (err, stdout, stderr) => {
        if (!err) return resolvePromise(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        // Node says ENOENT both for a missing program and for a missing working directory.
        if (code === "ENOENT") return reject(new CliError(existsSync(options.cwd) ? "git is not installed or not on PATH" : `cannot run git in ${options.cwd}: no such directory`));
        const text = stderr.toString("utf8").trim();
        reject(new GitError(`git ${args[0]}: ${text || err.message}`, typeof code === "number" ? code : null, text));
      },
    );
  });
  child!.stdin?.on("error", () => {}); // git may exit before reading everything (EPIPE)
  child!.stdin?.end(options.input ?? "");
  return output;
}

export async function git(args: string[], options: GitOptions): Promise<string> {
  return (await gitBytes(args, options)).toString("utf8");
}

/**
 * The top directory of the work tree that contains `dir`, found without running git: the nearest
 * directory holding a `.git` (a directory, or a file in worktrees and submodules).
 */
export function findWorkTreeRoot(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** The top directory of the work tree that contains `cwd`, or undefined outside a repository. */
export async function findRepoRoot(cwd: string): Promise<string | undefined> {
  try {
    return (await git(["rev-parse", "--show-toplevel"], { cwd })).trim();
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/** The commit a ref names, or undefined when there is none. */
export async function resolveCommit(root: string, ref: string): Promise<string | undefined> {
  try {
    return (await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd: root })).trim() || undefined;
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/** The refs that name the base branch, in the order they are tried. */
const BASE_REFS = ["refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master"];

/**
 * The base branch: `origin/HEAD`'s target, else `main`, else `master` (`ref` as shown, `name` in
 * full for git), from the repository's files or else one `git for-each-ref`; and, when HEAD is
 * known to be at the base branch's commit (the base branch checked out, or `main` or `master`
 * checked out at the commit `origin/HEAD` names), that commit: it is then its own merge base with
 * HEAD, and git need not be asked.
 */
async function defaultBaseRef(root: string): Promise<{ ref: string; name: string; checkedOut?: string }> {
  const refs = listRefsFromFiles(root, BASE_REFS) ?? (await listRefsWithGit(root));
  const headCommit = [...refs.values()].find((r) => r.current)?.commit;
  const at = (name: string, commit: string) => {
    const ref = name.replace(/^refs\/(?:heads|remotes)\//, "");
    return commit !== "" && commit === headCommit ? { ref, name, checkedOut: commit } : { ref, name };
  };
  const origin = refs.get("refs/remotes/origin/HEAD");
  if (origin?.target) return at(origin.target, origin.commit);
  for (const name of BASE_REFS.slice(1)) {
    const branch = refs.get(name);
    if (branch) return at(name, branch.commit);
  }
  throw new CliError("cannot tell the base branch (origin/HEAD, main and master do not exist); pass --base <ref>");
}

/** {@link listRefsFromFiles} by `git for-each-ref` (a symbolic ref whose target is gone is left out: git warns "ignoring broken ref"). */
export async function listRefsWithGit(root: string): Promise<Map<string, ListedRef>> {
  const refs = new Map<string, ListedRef>();
  const listed = await git(["for-each-ref", "--format=%(refname)%09%(HEAD)%09%(objectname)%09%(symref)", ...BASE_REFS], { cwd: root });
  for (const line of listed.split("\n")) {
    const [name, head, commit, target] = line.split("\t");
    if (name) refs.set(name, { target: target ?? "", current: head === "*", commit: commit ?? "" });
  }
  return refs;
}

/**
 * What a change is compared with: `ref` (by default the base branch, see {@link defaultBaseRef})
 * and its merge base with `head` — known without asking git when HEAD is at the base branch's commit.
 */
export async function comparisonBase(root: string, ref?: string, head = "HEAD"): Promise<{ ref: string; base: string }> {
  const found = ref === undefined ? await defaultBaseRef(root) : { ref, name: ref };
  const base = head === "HEAD" && found.checkedOut !== undefined ? found.checkedOut : await mergeBase(root, found.name, head, found.ref);
  return { ref: found.ref, base };
}

/** The tree of a repository without files: what a first commit is compared with. */
export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/** The merge base of `ref` and `head` (a commit; HEAD by default); messages name `ref` as `shown`. */
async function mergeBase(root: string, ref: string, head = "HEAD", shown = ref): Promise<string> {
  try {
    return (await git(["merge-base", "--end-of-options", ref, head], { cwd: root })).trim();
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    // Why there is none: a ref that does not exist, or no common history.
    if (!(await resolveCommit(root, ref))) throw new CliError(`unknown ref "${shown}"`);
    if (!(await resolveCommit(root, head))) {
      throw new CliError(head === "HEAD" ? "the repository has no commits yet; there is nothing to compare with" : `unknown ref "${head}"`);
    }
    const shallow = (await git(["rev-parse", "--is-shallow-repository"], { cwd: root })).trim() === "true";
    throw new CliError(
      shallow
        ? `"${shown}" and ${head} have no common ancestor in this shallow clone; fetch more history (actions/checkout: fetch-depth: 0)`
        : `"${shown}" and ${head} have no common ancestor`,
    );
  }
}

export type ChangeStatus = "added" | "modified" | "removed" | "renamed";

export interface WorkingTreeChange {
  path: string;
  oldPath: string;
  status: ChangeStatus;
  /** The base version's blob id (all zeros for an added file). */
  oldObject: string;
}

export interface WorkingTreeDiff {
  changes: WorkingTreeChange[];
  /** `git diff` output for the same files (binary files have no hunks in it). */
  patch: string;
}

/**
 * What a review analyzes as the head of the change: the working tree (what `git diff <base>`
 * compares), the index (what the next commit holds: `--staged`), or a commit (`--head`).
 */
export type Revision = { kind: "worktree" } | { kind: "index" } | { kind: "commit"; sha: string };

/** The untracked Go files of the working tree that git does not ignore. */
export async function untrackedGoFiles(root: string): Promise<string[]> {
  return splitNul(await git(["ls-files", "--others", "--exclude-standard", "-z", "--", "*.go"], { cwd: root }));
}

/** `git diff` as {@link changeDiff} runs it: one process gives the statuses (raw, NUL-separated) and the patch. */
export const DIFF_ARGS: readonly string[] = ["-c", "core.quotePath=false", "diff", "-M", "--no-color", "--no-ext-diff", "--no-textconv", "--ignore-submodules", "--patch-with-raw", "-z", "--no-abbrev", "--src-prefix=a/", "--dst-prefix=b/"];

/**
 * The Go files that differ between `base` and the revision, with renames, and their patch. In the
 * working tree, untracked files that are not ignored count too: they take part in rename
 * detection through intent-to-add entries in a temporary copy of the index (the repository's own
 * index is never written). `untracked` is the working tree's list when the caller asked for it
 * already.
 */
export async function changeDiff(root: string, base: string, revision: Revision, untracked?: Promise<string[]>): Promise<WorkingTreeDiff> {
  const args = DIFF_ARGS;
  const range = revision.kind === "index" ? ["--cached", base] : revision.kind === "commit" ? [base, revision.sha] : [base];
  const diff = async (env?: Record<string, string>) => splitRawAndPatch(await git([...args, ...range, "--", "*.go"], { cwd: root, ...(env ? { env } : {}) }));
  // The diff and the list of untracked files at once; with untracked files, the diff again with them.
  const [untrackedFiles, first] = await Promise.all([revision.kind === "worktree" ? (untracked ?? untrackedGoFiles(root)) : Promise.resolve([]), diff()]);
  if (untrackedFiles.length === 0) return first;
  const tempIndex = await indexWithIntentToAdd(root, untrackedFiles);
  try {
    const { changes, patch } = tempIndex ? await diff({ GIT_INDEX_FILE: tempIndex.file }) : first;
    if (!tempIndex) {
      // Without the temporary index (it could not be made), untracked files are plain additions.
      const known = new Set(changes.map((c) => c.path));
      for (const path of untrackedFiles) if (!known.has(path)) changes.push({ path, oldPath: path, status: "added", oldObject: "" });
    }
    return { changes, patch };
  } finally {
    if (tempIndex) rmSync(tempIndex.dir, { recursive: true, force: true });
  }
}

async function indexWithIntentToAdd(root: string, paths: string[]): Promise<{ dir: string; file: string } | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "memlint-index-"));
  const file = join(dir, "index");
  try {
    const index = resolve(root, (await git(["rev-parse", "--git-path", "index"], { cwd: root })).trim());
    if (existsSync(index)) copyFileSync(index, file);
    await git(["--literal-pathspecs", "add", "--intent-to-add", "--pathspec-from-file=-", "--pathspec-file-nul"], {
      cwd: root,
      input: paths.map((p) => `${p}\0`).join(""),
      env: { GIT_INDEX_FILE: file },
    });
    return { dir, file };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/**
 * `git diff --patch-with-raw -z` output: raw records (`:<modes> <objects> <status>\0<path>\0`, two
 * paths for a rename or copy), an empty field, then the patch.
 */
function splitRawAndPatch(text: string): WorkingTreeDiff {
  const changes: WorkingTreeChange[] = [];
  let at = 0;
  const field = () => {
    const end = text.indexOf("\0", at);
    const value = text.slice(at, end === -1 ? text.length : end);
    at = end === -1 ? text.length : end + 1;
    return value;
  };
  while (text[at] === ":") {
    const [, , oldObject = "", , letter] = field().split(" ");
    if (letter?.startsWith("R") || letter?.startsWith("C")) {
      const oldPath = field();
      const path = field();
      changes.push({ path, oldPath, status: letter.startsWith("R") ? "renamed" : "added", oldObject });
    } else {
      const path = field();
      const status: ChangeStatus = letter === "A" ? "added" : letter === "D" ? "removed" : "modified";
      changes.push({ path, oldPath: path, status, oldObject });
    }
  }
  if (text[at] === "\0") at++;
  return { changes, patch: text.slice(at) };
}

/**
 * Contents of `commit:path` for each path (null when the object does not exist), in one
 * `git cat-file --batch`. An empty `commit` reads the index (`:path`).
 */
export async function readBlobs(root: string, commit: string, paths: readonly string[]): Promise<Map<string, string | null>> {
  const unique = batchPaths(paths);
  if (unique.length === 0) return new Map();
  return parseBatch(await gitBytes(["cat-file", "--batch"], { cwd: root, input: batchInput(commit, unique) }), unique);
}

/**
 * The id git gives a blob with these contents (SHA-1, or SHA-256 in a repository whose ids are
 * 64 hex digits long): a version rebuilt from a patch is trusted only when its id is git's.
 */
export function blobId(text: string, idLength: number): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash(idLength === 64 ? "sha256" : "sha1")
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest("hex");
}

/** The distinct paths a batch can ask for (a path with a newline cannot be written to `--batch`). */
const batchPaths = (paths: readonly string[]) => [...new Set(paths)].filter((p) => !p.includes("\n"));
const batchInput = (commit: string, paths: readonly string[]) => paths.map((p) => `${commit}:${p}\n`).join("");

/** {@link readBlobs}, synchronously: for the package loader, which the engine calls mid-analysis. */
export function readBlobsSync(root: string, commit: string, paths: readonly string[]): Map<string, string | null> {
  const unique = batchPaths(paths);
  if (unique.length === 0) return new Map();
  const bytes = execFileSync("git", ["cat-file", "--batch"], {
    cwd: root,
    input: batchInput(commit, unique),
    maxBuffer: MAX_BUFFER,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" },
    stdio: ["pipe", "pipe", "ignore"],
  });
  return parseBatch(bytes, unique);
}

/**
 * The files directly in `dir` (`""`: the root) of a commit, or of the index when `commit` is
 * empty, with their sizes (-1 in the index) and object ids; synchronous like {@link readBlobsSync}.
 */
export function listDirectorySync(root: string, commit: string, dir: string): { path: string; size: number; object: string }[] {
  const prefix = dir === "" ? "" : `${dir}/`;
  const env = { ...process.env, GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" };
  const run = (args: string[]) => execFileSync("git", args, { cwd: root, maxBuffer: MAX_BUFFER, env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const out: { path: string; size: number; object: string }[] = [];
  if (commit === "") {
    // `<mode> <object> <stage>\t<path>`: every stage-0 file under the directory; its own files have no further slash.
    for (const entry of splitNul(run(["ls-files", "--stage", "-z", "--", prefix === "" ? "." : prefix]))) {
      const tab = entry.indexOf("\t");
      const path = entry.slice(tab + 1);
      const [, object, stage] = entry.slice(0, tab).split(" ");
      if (stage?.startsWith("0") && !path.slice(prefix.length).includes("/")) out.push({ path, size: -1, object: object ?? "" });
    }
    return out;
  }
  // `<mode> blob <object> <size>\t<name>` for each entry of the directory's tree.
  for (const entry of splitNul(run(["ls-tree", "-z", "--long", "--end-of-options", `${commit}:${dir}`]))) {
    const tab = entry.indexOf("\t");
    const [, type, object, size] = entry.slice(0, tab).split(/\s+/);
    if (type === "blob") out.push({ path: `${prefix}${entry.slice(tab + 1)}`, size: Number(size), object: object ?? "" });
  }
  return out;
}

function parseBatch(bytes: Buffer, unique: readonly string[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  let pos = 0;
  for (const path of unique) {
    const eol = bytes.indexOf(0x0a, pos);
    if (eol === -1) break;
    const header = bytes.subarray(pos, eol).toString("utf8");
    pos = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      out.set(path, null); // "<name> missing" or "ambiguous"
      continue;
    }
    const size = Number(m[2]);
    out.set(path, m[1] === "blob" ? bytes.subarray(pos, pos + size).toString("utf8") : null);
    pos += size + 1;
  }
  return out;
}

function splitNul(text: string): string[] {
  return text.split("\0").filter((s) => s !== "");
}
