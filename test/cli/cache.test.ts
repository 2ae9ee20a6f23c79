/** `memlint check`'s result cache: what is answered from it, what is not, and what it survives. */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeCached } from "../../src/cli/cached-check.js";
import { collectPaths } from "../../src/cli/collect.js";
import { loadConfig } from "../../src/cli/config.js";
import { cacheDirectory } from "../../src/cli/cache-directory.js";
import { ResultCache } from "../../src/cli/result-cache.js";
import { ROOT } from "../helpers/package.js";
import { cleanTempDirs, runCli, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

/** A map filled in one file and drained in another: `check` reports it only with both files read. */
const STORE_GO = "package m\n\nvar cache = map[string][]byte{}\n";
const PUT_GO = "package m\n\nfunc Put(k string, v []byte) {\n\tcache[k] = v\n}\n";
const DELETE_GO = "package m\n\nfunc Drop(k string) {\n\tdelete(cache, k)\n}\n";
const LOOP_GO = "package m\n\nfunc Loop(xs []int, open func() interface{ Close() error }) {\n\tfor range xs {\n\t\tdefer open().Close()\n\t\tprintln()\n\t}\n}\n";

function project(): { dir: string; cache: string } {
  const dir = tempDir();
  writeFiles(dir, { ".git/HEAD": "ref: refs/heads/main\n", "go.mod": "module example.com/m\n\ngo 1.22\n", "m/store.go": STORE_GO, "m/put.go": PUT_GO, "m/loop.go": LOOP_GO });
  return { dir, cache: tempDir("memlint-cache-") };
}

/** `check .` as JSON, and how many files the cache answered (from --verbose). */
async function check(dir: string, cache: string, ...extra: string[]): Promise<{ json: string; text: string; answered: number; code: number }> {
  const env = { MEMLINT_CACHE: cache };
  const r = await runCli(["check", ".", "--verbose", "--format", "json", "--format", `text=${join(dir, "out.txt")}`, ...extra], dir, { env });
  const answered = /memlint: (\d+) of \d+ files? answered from the cache/.exec(r.stderr);
  return { json: r.stdout, text: readFileSync(join(dir, "out.txt"), "utf8"), answered: answered ? Number(answered[1]) : -1, code: r.code };
}

function entries(cache: string): string[] {
  const root = join(cache, "results");
  return readdirSync(root).flatMap((sub) => readdirSync(join(root, sub)).map((name) => join(root, sub, name)));
}

describe("memlint check's result cache", () => {
  it("answers a second run over unchanged files from the cache, with the same output", async () => {
    const { dir, cache } = project();
    const first = await check(dir, cache);
    expect(first.answered).toBe(0);
    expect(JSON.parse(first.json).summary.introduced.total).toBeGreaterThan(0);
    expect(entries(cache)).toHaveLength(3);
    const second = await check(dir, cache);
    expect(second.answered).toBe(3);
    expect(second.json).toBe(first.json);
    expect(second.text).toBe(first.text);
    expect(second.code).toBe(first.code);
  });

  it("answers every output format as the analysis does, over the rules' fixtures", async () => {
    const cache = tempDir("memlint-cache-");
    const fixtures = join(ROOT, "test/fixtures/rules");
    const outputs = async (...extra: string[]) => {
      const out = tempDir("memlint-out-");
      const formats = ["json", "sarif", "github", "checkstyle", "junit", "code-climate"].flatMap((f) => ["--format", `${f}=${join(out, f)}`]);
      const r = await runCli(["check", ".", "--all-versions", "--fail-on", "never", "--format", "text", ...formats, ...extra], fixtures, { env: { MEMLINT_CACHE: cache } });
      return [r.code, r.stdout, ...readdirSync(out).sort().map((f) => readFileSync(join(out, f), "utf8"))];
    };
    const fresh = await outputs("--no-cache");
    expect(await outputs()).toEqual(fresh);
    const answered = await runCli(["check", ".", "--all-versions", "--verbose"], fixtures, { env: { MEMLINT_CACHE: cache } });
    expect(answered.stderr).toMatch(/memlint: (\d+) of \1 files answered from the cache/);
    expect(await outputs()).toEqual(fresh);
  });

  it("reads the entry it answers with", async () => {
    const { dir, cache } = project();
    await check(dir, cache);
    // Tampered entries (valid ones, with another message) show that the second run used them.
    for (const file of entries(cache)) writeFileSync(file, readFileSync(file, "utf8").replaceAll("defer", "DEFER"));
    expect((await check(dir, cache)).json).toContain("DEFER");
  });

  it("misses for a changed file, and for every file of its package when a sibling changes", async () => {
    const { dir, cache } = project();
    await check(dir, cache);
    writeFiles(dir, { "m/loop.go": LOOP_GO.replace("println()", "println(1)") });
    // Every file of the package reads the others (a map filled here may be drained there).
    expect((await check(dir, cache)).answered).toBe(0);
    expect((await check(dir, cache)).answered).toBe(3);
    // A new sibling changes what the others see: the map is now drained.
    const before = await check(dir, cache);
    writeFiles(dir, { "m/delete.go": DELETE_GO });
    const after = await check(dir, cache);
    expect(after.answered).toBe(0);
    expect(after.json).not.toBe(before.json);
    // A test file is not part of what its package's other files see.
    writeFiles(dir, { "m/loop_test.go": "package m\n" });
    await check(dir, cache, "--config", writeConfig(dir, "tests: true\n"));
    writeFiles(dir, { "m/loop_test.go": "package m\n\n// changed\n" });
    expect((await check(dir, cache, "--config", join(dir, "tests.yml"))).answered).toBe(4);
  });

  it("misses when the configuration or the module's Go version changes", async () => {
    const { dir, cache } = project();
    await check(dir, cache);
    expect((await check(dir, cache, "--config", writeConfig(dir, "rules:\n  defer-in-loop:\n    severity: error\n"))).answered).toBe(0);
    expect((await check(dir, cache, "--config", join(dir, "tests.yml"))).answered).toBe(3);
    writeFiles(dir, { "go.mod": "module example.com/m\n\ngo 1.21\n" });
    expect((await check(dir, cache)).answered).toBe(0);
    expect((await check(dir, cache, "--all-versions")).answered).toBe(0);
  });

  it("keeps the entries of each memlint apart", async () => {
    const { dir, cache } = project();
    const config = await loadConfig(dir, dir, undefined);
    const { inputs } = collectPaths(dir, dir, ["."], config);
    const first = await analyzeCached(dir, inputs, config, {}, new ResultCache(cache, "memlint 1.0.0 build-a"));
    expect((await analyzeCached(dir, inputs, config, {}, new ResultCache(cache, "memlint 1.0.0 build-a"))).answered).toBe(3);
    const other = await analyzeCached(dir, inputs, config, {}, new ResultCache(cache, "memlint 1.0.1 build-b"));
    expect(other.answered).toBe(0);
    expect(other.result).toEqual(first.result);
  });

  it("ignores corrupt entries and replaces them", async () => {
    const { dir, cache } = project();
    const first = await check(dir, cache);
    const [truncated, garbage, wrongShape] = entries(cache);
    writeFileSync(truncated!, readFileSync(truncated!, "utf8").slice(0, 40));
    writeFileSync(garbage!, "\u0000\u0001 not json");
    writeFileSync(wrongShape!, JSON.stringify({ key: "another key", value: { files: 1 } }));
    const second = await check(dir, cache);
    expect(second.answered).toBe(0);
    expect(second.json).toBe(first.json);
    expect((await check(dir, cache)).answered).toBe(3);
  });

  it("is off with --no-cache and MEMLINT_CACHE=off", async () => {
    const { dir, cache } = project();
    await runCli(["check", "."], dir, { env: { MEMLINT_CACHE: cache } });
    const stored = entries(cache).map((f) => statSync(f).mtimeMs);
    const r = await runCli(["check", ".", "--no-cache", "--verbose"], dir, { env: { MEMLINT_CACHE: cache } });
    expect(r.stderr).not.toContain("answered from the cache");
    expect(entries(cache).map((f) => statSync(f).mtimeMs)).toEqual(stored);
    expect((await runCli(["check", ".", "--verbose"], dir, { env: { MEMLINT_CACHE: "off" } })).stderr).not.toContain("answered from the cache");
  });

  it("lives where staticcheck's does", () => {
    expect(cacheDirectory({ MEMLINT_CACHE: "/c" })).toBe("/c");
    expect(cacheDirectory({ MEMLINT_CACHE: "off", XDG_CACHE_HOME: "/x" })).toBeUndefined();
    expect(cacheDirectory({ XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe(join("/x", "memlint"));
    if (process.platform === "linux") expect(cacheDirectory({ HOME: "/h" })).toBe("/h/.cache/memlint");
  });

  it("trims entries unused for a week, at most once a day", async () => {
    const { dir, cache } = project();
    await check(dir, cache);
    const store = new ResultCache(cache);
    const now = Date.now();
    store.trim(now + 8 * 24 * 3600 * 1000);
    expect(entries(cache)).toEqual([]);
    await check(dir, cache);
    // Trimmed a moment ago: not again before a day has passed.
    store.trim(now + 8 * 24 * 3600 * 1000 + 1000);
    expect(entries(cache)).toHaveLength(3);
  });
});

function writeConfig(dir: string, yaml: string): string {
  writeFileSync(join(dir, "tests.yml"), yaml);
  return join(dir, "tests.yml");
}
