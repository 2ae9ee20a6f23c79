/**
 * Turning a set of paths (`memlint check`) into the engine's {@link FileInput}s (a change, for
 * `memlint review`, comes from change.ts), and the pieces of a result that need no engine. Loads
 * no rules or parser: `check` answers from its result cache with this alone (analyze.ts runs the
 * engine).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { MemlintConfig } from "../config/types.js";
import type { FileInput } from "../engine/analyze.js";
import { goVersionFromGoMod } from "../engine/gomod.js";
import { byCodeUnits } from "../engine/order.js";
import { exclusionReason } from "../review/exclusion.js";
import type { ReviewResult } from "../review/review.js";
import { CliError } from "./io.js";

export interface Analysis {
  command: "review" | "check";
  /** Absolute path of the repository root (or of the directory `check` ran in, outside a repository). */
  root: string;
  /** `review` only: the base ref and the merge base the working tree was compared with. */
  base?: { ref: string; mergeBase: string };
  result: ReviewResult;
  /** Head contents of the analyzed files, by path, for code frames. */
  contents: Map<string, string>;
}

/** Directories Go tooling ignores, and those never worth walking. */
const SKIPPED_DIRS = new Set(["vendor", "testdata", "node_modules"]);

/**
 * Whole files named on the command line, and the Go files under directories (recursively,
 * within the configuration's `paths`, skipping vendor, testdata and hidden directories; `dir/...`
 * is accepted as in Go).
 * Explicitly named files are always passed on: the engine reports them as skipped when the
 * configuration excludes them.
 */
export function collectPaths(
  cwd: string,
  root: string,
  args: readonly string[],
  config: MemlintConfig,
): { inputs: FileInput[]; skipped: { path: string; reason: string }[]; excluded: number } {
  const files = new Map<string, string>(); // display path → absolute path
  const skipped: { path: string; reason: string }[] = [];
  let excluded = 0;
  const display = (abs: string) => {
    const rel = relative(root, abs);
    return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? abs : rel.split(sep).join("/");
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodeUnits(a.name, b.name))) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".") && !entry.name.startsWith("_")) walk(abs);
      } else if (entry.isFile() && entry.name.endsWith(".go")) {
        const path = display(abs);
        if (exclusionReason(path, config) === undefined) files.set(path, abs);
        else excluded++;
      }
    }
  };
  for (const arg of args) {
    // Go's package pattern `./...` (or `dir/...`) means the directory, recursively: what a directory means here anyway.
    const pattern = arg === "..." || arg.endsWith("/...");
    const abs = resolve(cwd, pattern ? arg.slice(0, -3) || "." : arg);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new CliError(`no such file or directory: ${arg}`);
    }
    if (pattern && !stat.isDirectory()) throw new CliError(`not a directory: ${arg}`);
    if (stat.isDirectory()) walk(abs);
    else if (!abs.endsWith(".go")) skipped.push({ path: display(abs), reason: "not a Go file" });
    else files.set(display(abs), abs);
  }
  const inputs: FileInput[] = [];
  for (const [path, abs] of [...files].sort((a, b) => byCodeUnits(a[0], b[0]))) {
    inputs.push({ path, head: readFileSync(abs, "utf8"), base: null });
  }
  return { inputs, skipped, excluded };
}
export function emptyResult(): ReviewResult {
  return { files: [], introduced: [], preexisting: [], suppressed: [], notes: [], skipped: [], coverage: [] };
}

/** Appends the lists of `part` to those of `into`. */
export function addResult(into: ReviewResult, part: ReviewResult): void {
  into.files.push(...part.files);
  into.introduced.push(...part.introduced);
  into.preexisting.push(...part.preexisting);
  into.suppressed.push(...part.suppressed);
  into.notes.push(...part.notes);
  into.skipped.push(...part.skipped);
  into.coverage!.push(...(part.coverage ?? []));
}

/** Puts a result's lists in the order the reports show them (by path, then position). */
export function sortResult(result: ReviewResult): ReviewResult {
  const byPosition = (a: { path: string; line: number; column: number }, b: { path: string; line: number; column: number }) =>
    byCodeUnits(a.path, b.path) || a.line - b.line || a.column - b.column;
  result.files.sort((a, b) => byCodeUnits(a.path, b.path));
  result.introduced.sort(byPosition);
  result.preexisting.sort(byPosition);
  result.suppressed.sort((a, b) => byPosition(a.finding, b.finding));
  result.notes.sort((a, b) => byCodeUnits(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0));
  result.skipped.sort((a, b) => byCodeUnits(a.path, b.path));
  result.coverage!.sort((a, b) => byCodeUnits(a.path, b.path) || a.line - b.line);
  return result;
}
/** The `go` directive of the nearest go.mod above a directory, cached per directory. */
export class GoVersions {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly root: string) {}

  of(dir: string): string | undefined {
    if (this.cache.has(dir)) return this.cache.get(dir);
    let version: string | undefined;
    let found = false;
    try {
      version = goVersionFromGoMod(readFileSync(join(dir, "go.mod"), "utf8"));
      found = true;
    } catch {
      // no go.mod here
    }
    if (!found) {
      // Up to the repository root; a file outside it looks up to the file system's root.
      const parent = dirname(dir);
      version = dir !== this.root && parent !== dir ? this.of(parent) : undefined;
    }
    this.cache.set(dir, version);
    return version;
  }
}
