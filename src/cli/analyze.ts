/**
 * Analyzing files under the configuration like the App analyzes a pull request:
 * {@link analyzeInputs} is the one place the CLI, the language server and the Action run the engine.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import type { MemlintConfig } from "../config/types.js";
import { DEFAULT_MAX_FILE_SIZE, type FileInput } from "../engine/analyze.js";
import { initParser } from "../engine/parser.js";
import type { PackageLoader } from "../engine/source.js";
import { reviewChange, type ReviewOptions, type ReviewResult } from "../review/review.js";
import { addResult, emptyResult, GoVersions, sortResult } from "./collect.js";
import { collectOverBudget } from "./memory.js";
import { type CountingPackageLoader, defaultSummaryStore, type ListedFile, listingWithSummaries, noReads } from "./package-summaries.js";

/**
 * Runs the engine over the inputs. Each file gets the `go` version of its nearest go.mod (up to
 * `root`), so a monorepo's modules are each gated by their own version. The other files of a
 * touched package come from `loadPackage` (the working tree unless told otherwise).
 */
export async function analyzeInputs(
  root: string,
  inputs: FileInput[],
  config: MemlintConfig,
  loadPackage: PackageLoader = diskPackageLoader(root, new Set(inputs.map((i) => i.path))),
  options: Pick<ReviewOptions, "allVersions"> = {},
): Promise<ReviewResult> {
  await initParser();
  const versions = new GoVersions(root);
  const groups = new Map<string | undefined, FileInput[]>();
  for (const input of inputs) {
    const dir = dirname(isAbsolute(input.path) ? input.path : join(root, input.path));
    const version = versions.of(dir);
    const group = groups.get(version);
    if (group) group.push(input);
    else groups.set(version, [input]);
  }
  const result = emptyResult();
  for (const [version, group] of groups) addResult(result, reviewChange(group, config, version, { loadPackage, onPackageDone: collectOverBudget, ...options }));
  return sortResult(result);
}
/**
 * The package loader of the CLI: a directory's non-test Go files as they are on disk (the
 * working tree). Directories are given as the inputs' paths have them: relative to `root`, or
 * absolute. Files over the engine's size limit, and unreadable ones, are left out (the listing is
 * then incomplete). The files in `supplied` are not read: the engine has their contents (the
 * inputs), and the package index takes its copy over the loader's. A file whose summary is saved
 * for its size, modification time and inode is read only when the index asks (see
 * `package-summaries.ts`); `reads` counts what was read.
 */
export function diskPackageLoader(root: string, supplied: ReadonlySet<string> = new Set(), store = defaultSummaryStore()): CountingPackageLoader {
  const reads = noReads();
  const load = (dir: string) => {
    const abs = isAbsolute(dir) ? dir : join(root, dir);
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch {
      return undefined; // not a directory we can read: only the change's own files are known
    }
    const listed: ListedFile[] = [];
    let complete = true;
    for (const name of names) {
      if (!name.endsWith(".go") || name.endsWith("_test.go")) continue;
      const path = dir === "" ? name : `${dir}/${name}`;
      if (supplied.has(path)) continue;
      try {
        const stat = statSync(join(abs, name), { bigint: true });
        if (!stat.isFile()) continue;
        if (stat.size > DEFAULT_MAX_FILE_SIZE) {
          complete = false;
          continue;
        }
        listed.push({ path, version: `${stat.size}:${stat.mtimeNs}:${stat.ino}`, read: () => readIfPossible(join(abs, name)) });
      } catch {
        complete = false;
      }
    }
    const { unreadable, ...listing } = listingWithSummaries(root, dir, listed, store, reads);
    return { ...listing, complete: complete && unreadable === 0 };
  };
  return Object.assign(load, { reads });
}

function readIfPossible(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
