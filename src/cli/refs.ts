/**
 * Branch refs read from the repository's files, as `git for-each-ref` lists them, so that a
 * review need not start git to learn what to compare with (each process git starts costs memlint's
 * main thread several milliseconds to fork). Only the files layout git has always written is read:
 * a `.git` directory or a `gitdir:` file (linked worktrees, submodules), loose refs and
 * `packed-refs`. Anything else — reftable storage, `GIT_DIR` and the variables that move refs
 * elsewhere, a ref that is neither an object id nor a symbolic ref — gives undefined, and the
 * caller asks git.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** One listed ref, with `git for-each-ref`'s `%(objectname)`, `%(HEAD)` and `%(symref)`. */
export interface ListedRef {
  /** The commit it names (through its target for a symbolic ref). */
  commit: string;
  /** HEAD is this branch (checked out). */
  current: boolean;
  /** A symbolic ref's target (`refs/remotes/origin/main`); empty for a plain ref. */
  target: string;
}

/** The variables with which git finds its repository or its refs elsewhere than `<root>/.git`. */
const RELOCATING_ENV = ["GIT_DIR", "GIT_COMMON_DIR", "GIT_WORK_TREE", "GIT_NAMESPACE", "GIT_REF_STORAGE"];

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A layout this module does not read: the caller asks git instead. */
class Unreadable extends Error {}

/**
 * The refs of `names` that exist, keyed by name (a symbolic ref whose target is gone is left out,
 * as git leaves it out); undefined when the repository's refs cannot be read from its files.
 */
export function listRefsFromFiles(root: string, names: readonly string[], env: NodeJS.ProcessEnv = process.env): Map<string, ListedRef> | undefined {
  if (RELOCATING_ENV.some((name) => env[name] !== undefined)) return undefined;
  try {
    const store = new RefFiles(gitDirOf(root));
    const head = store.read("HEAD");
    const checkedOut = head?.startsWith("ref: ") ? head.slice(5).trim() : undefined;
    const refs = new Map<string, ListedRef>();
    for (const name of names) {
      const found = store.resolve(name);
      if (found) refs.set(name, { ...found, current: name === checkedOut });
    }
    return refs;
  } catch (err) {
    if (err instanceof Unreadable || isFileError(err)) return undefined;
    throw err;
  }
}

/** The repository's git directory: `.git`, or where a `.git` file's `gitdir:` line points. */
function gitDirOf(root: string): string {
  const dotGit = join(root, ".git");
  let text: string;
  try {
    text = readFileSync(dotGit, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EISDIR") return dotGit;
    throw err;
  }
  const match = /^gitdir: (.+)$/m.exec(text);
  if (!match) throw new Unreadable(".git is neither a directory nor a gitdir file");
  return resolve(root, match[1]!.trim());
}

class RefFiles {
  /** Where shared refs live: a linked worktree's `commondir`, else the git directory itself. */
  private readonly commonDir: string;
  private packed: Map<string, string> | undefined;

  constructor(private readonly gitDir: string) {
    const common = this.readIn(gitDir, "commondir");
    this.commonDir = common === undefined ? gitDir : resolve(gitDir, common.trim());
    // A repository whose refs are in a reftable (git 2.45+) has a `reftable` directory instead.
    if (this.readIn(this.commonDir, "reftable/tables.list") !== undefined) throw new Unreadable("reftable");
  }

  /** A ref file's text: HEAD from the git directory, every other ref from the shared one. */
  read(name: string): string | undefined {
    return this.readIn(name === "HEAD" ? this.gitDir : this.commonDir, name);
  }

  /** The commit `name` names, following symbolic refs as git does (at most five deep). */
  resolve(name: string): Omit<ListedRef, "current"> | undefined {
    let target = "";
    let ref = name;
    for (let depth = 0; depth <= 5; depth++) {
      const text = this.read(ref)?.trim() ?? this.packedRefs().get(ref);
      if (text === undefined) return undefined;
      if (OBJECT_ID.test(text)) return { commit: text, target };
      if (!text.startsWith("ref: ")) throw new Unreadable(`${ref} holds neither an object id nor a symbolic ref`);
      ref = text.slice(5).trim();
      if (depth === 0) target = ref;
    }
    throw new Unreadable(`${name}: symbolic refs nested too deep`);
  }

  /** `packed-refs`: `<id> <name>` lines; `#` starts the header, `^` a peeled tag's object. */
  private packedRefs(): Map<string, string> {
    if (this.packed) return this.packed;
    this.packed = new Map();
    for (const line of (this.readIn(this.commonDir, "packed-refs") ?? "").split("\n")) {
      if (line === "" || line.startsWith("#") || line.startsWith("^")) continue;
      const space = line.indexOf(" ");
      if (space !== -1) this.packed.set(line.slice(space + 1).trim(), line.slice(0, space));
    }
    return this.packed;
  }

  /** A file's text, or undefined when it does not exist (or is a directory: a ref namespace). */
  private readIn(dir: string, name: string): string | undefined {
    try {
      return readFileSync(join(dir, name), "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
      throw err;
    }
  }
}

function isFileError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string";
}
