/**
 * Changed lines from unified diffs: GitHub's header-less `patch` strings, full `git diff`
 * output (renames, added and deleted files), or two contents diffed here when no patch exists.
 */
import { applyPatch, parsePatch, reversePatch, structuredPatch, type StructuredPatch, type StructuredPatchHunk } from "diff";

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface ChangedLines {
  /** Lines of the head version that the change added or modified (1-based). */
  added: ReadonlySet<number>;
  /** Lines of the base version that the change removed or modified (1-based). */
  deleted: ReadonlySet<number>;
  hunks: Hunk[];
}

export type FileStatus = "added" | "modified" | "removed" | "renamed";

export interface FilePatch {
  path: string;
  oldPath: string;
  status: FileStatus;
  changed: ChangedLines;
  /** The base version recovered from the head version and this patch; undefined when it does not apply. */
  baseOf(head: string): string | undefined;
}

export class PatchError extends Error {}

/** Changed lines of one file from a GitHub `patch` string (hunks only, no file headers). */
export function changedLinesFromPatch(patch: string): ChangedLines {
  let parsed;
  try {
    parsed = parsePatch(patch.endsWith("\n") ? patch : `${patch}\n`);
  } catch (err) {
    throw new PatchError(`malformed patch: ${(err as Error).message}`);
  }
  return fromHunks(parsed.flatMap((p) => p.hunks));
}

/** Changed lines between two versions of a file, for when no patch is available. */
export function changedLinesBetween(base: string, head: string): ChangedLines {
  return fromHunks(structuredPatch("base", "head", base, head, "", "", { context: 3 }).hunks);
}

/** Every line of a file counted as added (whole-file checks and added files). */
export function allLinesChanged(lineCount: number): ChangedLines {
  return { added: new FirstLines(lineCount), deleted: new Set(), hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: lineCount }] };
}

/**
 * Lines 1 to `size`, as a set with no entry per line: a whole-repository check marks every line
 * of every file, and keeps what it marked until it reports. Iterating makes the entries.
 */
export class FirstLines implements ReadonlySet<number> {
  constructor(readonly size: number) {}

  has(line: number): boolean {
    return Number.isInteger(line) && line >= 1 && line <= this.size;
  }

  forEach(visit: (value: number, key: number, set: ReadonlySet<number>) => void, thisArg?: unknown): void {
    for (let line = 1; line <= this.size; line++) visit.call(thisArg, line, line, this);
  }

  entries(): SetIterator<[number, number]> {
    return this.lines().entries();
  }

  keys(): SetIterator<number> {
    return this.lines().keys();
  }

  values(): SetIterator<number> {
    return this.lines().values();
  }

  [Symbol.iterator](): SetIterator<number> {
    return this.lines().values();
  }

  private lines(): Set<number> {
    const lines = new Set<number>();
    for (let line = 1; line <= this.size; line++) lines.add(line);
    return lines;
  }
}

/** Files and their changed lines from the output of `git diff`. */
export function parseGitDiff(text: string): FilePatch[] {
  let parsed;
  try {
    parsed = parsePatch(text);
  } catch (err) {
    throw new PatchError(`malformed diff: ${(err as Error).message}`);
  }
  const files: FilePatch[] = [];
  for (const p of parsed) {
    const oldName = stripPrefix(p.oldFileName);
    const newName = stripPrefix(p.newFileName);
    if (!oldName && !newName) continue;
    const status: FileStatus =
      oldName === undefined ? "added" : newName === undefined ? "removed" : oldName !== newName ? "renamed" : "modified";
    files.push({
      path: newName ?? oldName!,
      oldPath: oldName ?? newName!,
      status,
      changed: fromHunks(p.hunks),
      baseOf: (head) => baseFromPatch(head, p, true),
    });
  }
  return files;
}

/**
 * The base version from the head version and a patch (base → head), or undefined when the patch
 * does not apply. Callers check what comes back (jsdiff can apply a patch to lines that are not
 * its own): the App applies the patch again, the CLI compares git's blob id. `exactLineEndings`:
 * the patch has the file's own line endings (git's does; GitHub's may not, and jsdiff converts).
 */
export function baseFromPatch(head: string, patch: StructuredPatch, exactLineEndings = false): string | undefined {
  // jsdiff misplaces the lines of a hunk that empties a file (`+0,0`).
  if (head === "") return undefined;
  try {
    const base = applyPatch(head, reversePatch(patch), { autoConvertLineEndings: !exactLineEndings });
    return typeof base === "string" ? base : undefined;
  } catch {
    return undefined;
  }
}

function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === "/dev/null") return undefined;
  return name.replace(/^[ab]\//, "");
}

function fromHunks(hunks: StructuredPatchHunk[]): ChangedLines {
  const added = new Set<number>();
  const deleted = new Set<number>();
  for (const h of hunks) {
    // The `diff` package reads a garbled header such as `@@ -16,7 +16, x` as NaN.
    if (![h.oldStart, h.oldLines, h.newStart, h.newLines].every((n) => Number.isInteger(n) && n >= 0)) {
      throw new PatchError(`malformed hunk header (old ${h.oldStart},${h.oldLines} new ${h.newStart},${h.newLines})`);
    }
    let oldLine = h.oldStart;
    let newLine = h.newStart;
    for (const line of h.lines) {
      const mark = line[0];
      if (mark === "+") added.add(newLine++);
      else if (mark === "-") deleted.add(oldLine++);
      else if (mark === " ") {
        oldLine++;
        newLine++;
      }
      // "\ No newline at end of file" moves neither side.
    }
  }
  return {
    added,
    deleted,
    hunks: hunks.map(({ oldStart, oldLines, newStart, newLines }) => ({ oldStart, oldLines, newStart, newLines })),
  };
}

/** True when a head line lies inside a hunk (added or context): GitHub accepts comments there. */
export function isInHunk(changed: ChangedLines, line: number): boolean {
  return changed.hunks.some((h) => line >= h.newStart && line < h.newStart + Math.max(h.newLines, 1));
}
