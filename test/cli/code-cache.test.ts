/**
 * The CLI's own code cache (src/cli/code-cache.ts), each run a process of its own as the CLI's
 * runs are: a small "bundle" of two chunks, compiled a first time and then from the code the
 * first run left, with V8's flags changed between the two chunks or not.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { CodeCacheStats } from "../../src/cli/code-cache.js";
import { cleanTempDirs, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const SOURCES = join(import.meta.dirname, "..", "..", "src", "cli");

/** A bundle directory: a build id, and a chunk that requires another and reads its own location. */
function bundle(buildId = "0123456789abcdef0123"): string {
  const dir = tempDir("memlint-code-bundle-");
  writeFiles(dir, {
    "build-id": `${buildId}\n`,
    "main.cjs": 'const { twice } = require("./chunk-A.cjs");\nexports.answer = () => twice(21);\nexports.where = require("node:path").basename(__dirname);\n',
    "chunk-A.cjs": "exports.twice = (n) => n * 2;\n",
  });
  return dir;
}

interface Run {
  stats: CodeCacheStats | null;
  answer: number;
  where: string;
}

/** One process: the cache turned on for `dir`, main.cjs loaded, V8's flags changed in between when asked. */
function run(dir: string, cache: string, options: { flagsBetween?: boolean } = {}): Run {
  const script = join(tempDir("memlint-code-script-"), "run.mjs");
  writeFileSync(
    script,
    [
      `import { enableCodeCache } from ${JSON.stringify(pathToFileURL(join(SOURCES, "code-cache.ts")).href)};`,
      `import { setV8Flags } from ${JSON.stringify(pathToFileURL(join(SOURCES, "v8-flags.ts")).href)};`,
      'import { createRequire } from "node:module";',
      `const dir = ${JSON.stringify(dir)};`,
      "const stats = enableCodeCache(dir);",
      "const require = createRequire(import.meta.url);",
      // With the flags changed between them, the two chunks are compiled under different flags.
      options.flagsBetween ? 'require(dir + "/chunk-A.cjs"); setV8Flags("--stack-size=900");' : "",
      'const main = require(dir + "/main.cjs");',
      "process.on('exit', () => console.log(JSON.stringify({ stats: stats ?? null, answer: main.answer(), where: main.where })));",
    ].join("\n"),
  );
  const out = execFileSync(process.execPath, ["--import", "tsx", script], { env: { ...process.env, MEMLINT_CACHE: cache }, encoding: "utf8" });
  return JSON.parse(out) as Run;
}

const codeFiles = (cache: string) =>
  existsSync(join(cache, "code")) ? readdirSync(join(cache, "code")).flatMap((d) => readdirSync(join(cache, "code", d)).map((f) => `${d}/${f}`)).sort() : [];

describe("the CLI's code cache", () => {
  it("compiles a chunk from the code a first run left, and runs it the same", () => {
    const dir = bundle();
    const cache = tempDir("memlint-code-cache-");
    const first = run(dir, cache);
    expect(first).toMatchObject({ answer: 42, stats: { compiled: 2, fromCache: 0 } });
    expect(first.where).toBe(dir.split("/").pop());
    const written = codeFiles(cache);
    expect(written).toHaveLength(2);
    expect(written.every((f) => f.startsWith(`0123456789abcdef-${process.arch}-v8-`))).toBe(true);
    const second = run(dir, cache);
    expect(second).toEqual({ ...first, stats: { compiled: 2, fromCache: 2, written: 0 } });
    expect(codeFiles(cache)).toEqual(written);
  });

  it("keeps a chunk's code under the flags it was compiled with, written before they change", () => {
    const dir = bundle();
    const cache = tempDir("memlint-code-cache-");
    const first = run(dir, cache, { flagsBetween: true });
    expect(first.stats).toEqual({ compiled: 2, fromCache: 0, written: 2 });
    const keys = codeFiles(cache).map((f) => f.split(".").pop());
    expect(new Set(keys).size).toBe(2);
    expect(keys).toContain("default");
    // Under the same flags in the same order, both chunks' code is taken.
    expect(run(dir, cache, { flagsBetween: true }).stats).toEqual({ compiled: 2, fromCache: 2, written: 0 });
    // Loaded before any change, main.cjs finds no code of its own (it had other flags before).
    expect(run(dir, cache).stats).toMatchObject({ compiled: 2, fromCache: 1 });
  });

  it("is off with MEMLINT_CACHE=off and outside a bundle, and the chunks still run", () => {
    expect(run(bundle(), "off")).toMatchObject({ stats: null, answer: 42 });
    const noBuild = bundle();
    writeFileSync(join(noBuild, "build-id"), "");
    const cache = tempDir("memlint-code-cache-");
    expect(run(noBuild, cache)).toMatchObject({ stats: null, answer: 42 });
    expect(codeFiles(cache)).toEqual([]);
  });

  it("keeps each build's code apart and deletes another build's when unused for a week", () => {
    const cache = tempDir("memlint-code-cache-");
    run(bundle("aaaaaaaaaaaaaaaaaaaa"), cache);
    run(bundle("bbbbbbbbbbbbbbbbbbbb"), cache);
    const dirs = () => readdirSync(join(cache, "code")).map((d) => d.slice(0, 4)).sort();
    expect(dirs()).toEqual(["aaaa", "bbbb"]);
    const old = readdirSync(join(cache, "code")).find((d) => d.startsWith("aaaa"))!;
    const weekAgo = Date.now() / 1000 - 8 * 24 * 3600;
    utimesSync(join(cache, "code", old), weekAgo, weekAgo);
    mkdirSync(join(cache, "code", "unrelated"));
    run(bundle("cccccccccccccccccccc"), cache);
    expect(dirs()).toEqual(["bbbb", "cccc", "unre"]);
  });
});
