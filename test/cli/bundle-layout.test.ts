/**
 * The CLI bundle's layout (scripts/bundle.ts), read from esbuild's metafile: which code each step
 * of a command loads. The start-up rows of `npm run bench` time it; these tests keep its shape
 * without a clock.
 */
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleOptions } from "../../scripts/bundle.js";
import { ROOT } from "../helpers/package.js";

let metafile: Metafile;

beforeAll(async () => {
  metafile = (await build({ ...bundleOptions("cli", join(ROOT, "dist/cli-bundle")), write: false, logLevel: "silent" })).metafile;
}, 60_000);

/** The output file of an entry point or dynamically imported module (a path under src/). */
function outputOf(source: string): string {
  const found = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint === source);
  if (!found) throw new Error(`no output has the entry point ${source}`);
  return found[0];
}

/** The files Node loads for `outputs`: they and what they import statically. */
function loaded(...outputs: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file]!.imports) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  for (const o of outputs) visit(o);
  return seen;
}

/** The source files (and packages' files) bundled into `files`. */
function sources(files: Set<string>): string[] {
  return [...files].flatMap((f) => Object.keys(metafile.outputs[f]!.inputs));
}

describe("the CLI bundle", () => {
  it("answers --help without the analysis, the configuration's parser or git", () => {
    const help = sources(loaded(outputOf("src/cli/main.ts")));
    // (engine/types.ts holds the severities the options list)
    expect(help.filter((s) => /^src\/(engine\/(?!types\.ts$)|rules|analysis|config\/load)|node_modules\/(yaml|web-tree-sitter)\/|src\/cli\/git\.ts/.test(s))).toEqual([]);
  });

  it("starts a review's git processes before the engine loads", () => {
    const first = sources(loaded(outputOf("src/cli/main.ts"), outputOf("src/cli/review-start.ts")));
    expect(first).toContain("src/cli/git.ts");
    expect(first.filter((s) => /^src\/(engine\/analyze|rules\/index|analysis\/)|node_modules\/web-tree-sitter\//.test(s))).toEqual([]);
  });

  it("loads a review in few files: each costs the start-up about half a millisecond", () => {
    const review = loaded(outputOf("src/cli/main.ts"), outputOf("src/cli/review-start.ts"), outputOf("src/cli/review.ts"));
    expect(sources(review)).toEqual(expect.arrayContaining(["src/engine/analyze.ts", "src/rules/index.ts", "src/engine/parser.ts", "src/cli/format/text.ts"]));
    // 21 when written; a bundler splits code reached from several dynamic imports into a file per
    // combination of them, so a new dynamic import on the way adds files.
    expect(review.size).toBeLessThanOrEqual(22);
  });

  it("answers a re-check from the result cache without loading the rules or the engine", () => {
    const check = sources(loaded(outputOf("src/cli/main.ts"), outputOf("src/cli/analysis.ts")));
    expect(check).toContain("src/cli/cached-check.ts");
    expect(check.filter((s) => /^src\/(engine\/(analyze|run-rules|prefilter)|rules\/)/.test(s))).toEqual([]);
  });

  it("loads the configuration's YAML parser and validator only when there is a file to read", () => {
    const commands = sources(loaded(outputOf("src/cli/review.ts"), outputOf("src/cli/analysis.ts")));
    expect(commands.filter((s) => /^src\/config\/(load|schema-validator)|node_modules\/yaml\//.test(s))).toEqual([]);
  });
});
