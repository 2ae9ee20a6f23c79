/**
 * The installable package: `npm pack`, then `npm install --global` of the tarball into a private
 * prefix, offline. The installed `memlint` runs from the tarball alone: the bundled CLI, the
 * grammar wasm and the demo's files, without the App's server dependencies, tests or sources.
 * Also the development entry, `npm run memlint` (tsx on src/cli/main.ts).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import nodeModule from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import { type Installed, packAndInstall, ROOT } from "../helpers/package.js";
import { cleanTempDirs, GIT_ENV, tempDir, writeFiles } from "./helpers.js";

const run = promisify(execFile);

afterAll(cleanTempDirs);

let resultCache: string | undefined;

async function exec(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // `check`'s result cache in a directory of this test's, never the user's.
  resultCache ??= tempDir("memlint-cache-");
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...process.env, ...GIT_ENV, NO_COLOR: "1", MEMLINT_CACHE: resultCache, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const LOOP = "package m\n\nfunc F(xs []int, open func() interface{ Close() error }) {\n\tfor range xs {\n\t\tdefer open().Close()\n\t\tprintln()\n\t}\n}\n";
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("the npm package, installed from its tarball", () => {
  let installed: Installed;

  beforeAll(async () => {
    installed = await packAndInstall(tempDir("memlint-pack-"));
  }, 180_000);

  it("holds the built CLI, the grammar and the demo, and no tests, sources or CI files", () => {
    const { files } = installed;
    expect(files).toContain("bin/memlint.cjs");
    expect(files).toContain("dist/cli-bundle/main.cjs");
    expect(files).toContain("dist/cli-bundle/tree-sitter-go.wasm");
    expect(files).toContain("dist/cli-bundle/tree-sitter.wasm");
    expect(files).toContain("dist/cli-bundle/THIRD_PARTY_LICENSES.md");
    expect(files).toContain("dist/cli-bundle/build-id");
    expect(files).toContain("test/fixtures/demo/head/client.go");
    const unexpected = files.filter(
      (f) => !/^(bin\/memlint\.cjs|dist\/cli-bundle\/[^/]+|schema\/memlint\.schema\.json|test\/fixtures\/demo\/.+|package\.json|README\.md|LICENSE)$/.test(f),
    );
    expect(unexpected).toEqual([]);
  });

  it("installs memlint alone, without the App's server stack", () => {
    expect(installed.packages).toEqual(["memlint"]);
    expect(installed.bytes).toBeLessThan(20 * 1024 * 1024);
  });

  it("runs --version, check on a fixture and demo", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP });
    expect((await exec(installed.bin, ["--version"], dir)).stdout).toBe(`${VERSION}\n`);
    expect((await exec(installed.bin, ["-V"], dir)).stdout).toBe(`${VERSION}\n`);

    const check = await exec(installed.bin, ["check", ".", "--fail-on", "warning"], dir);
    expect(check.stdout).toContain("a.go:5:3: warning defer-in-loop:");
    expect(check.code).toBe(1);
    // The bundle knows its build, so it caches: the same check again is answered from the cache.
    const again = await exec(installed.bin, ["check", ".", "--fail-on", "warning", "--verbose"], dir);
    expect(again.stderr).toContain("memlint: 1 of 1 file answered from the cache in ");
    expect(again.stdout).toBe(check.stdout);

    const demo = await exec(installed.bin, ["demo"], dir);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain("memlint demo — what the GitHub App would post on a pull request");
    expect(demo.stdout).toMatch(/Conclusion: failure — /);
  }, 60_000);

  it("runs a command without starting Node's ES module loader (the bundle is CommonJS)", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP, "bare.cjs": "" });
    // Node lists the built-in modules it loaded; running an ES module needs the loader's jobs and
    // translators, which a bare CommonJS script does not load (Node 22+ loads some of the loader
    // at start-up whatever runs: only what memlint adds to that counts).
    const probe = join(dir, "loaded.cjs");
    writeFileSync(probe, 'process.on("exit", () => require("fs").writeFileSync(process.env.LOADED, process.moduleLoadList.join("\\n")));\n');
    const esmModules = async (args: string[], out: string) => {
      const r = await exec(process.execPath, ["-r", probe, ...args], dir, { LOADED: join(dir, out) });
      return { stdout: r.stdout, loaded: readFileSync(join(dir, out), "utf8").split("\n").filter((m) => m.includes("internal/modules/esm/")) };
    };
    const bare = await esmModules([join(dir, "bare.cjs")], "bare.txt");
    const memlint = await esmModules([installed.bin, "check", ".", "--no-cache"], "memlint.txt");
    expect(memlint.stdout).toContain("a.go:5:3: warning defer-in-loop:");
    const added = memlint.loaded.filter((m) => !bare.loaded.includes(m));
    expect(added.filter((m) => /esm\/(module_job|translators)$/.test(m))).toEqual([]);
  }, 60_000);

  it("keeps its bundle's compiled code in the cache directory where Node keeps none, and compiles from it", async () => {
    const dir = tempDir();
    const cache = tempDir("memlint-code-");
    writeFiles(dir, { "a.go": LOOP });
    const check = () => exec(installed.bin, ["check", ".", "--no-cache"], dir, { MEMLINT_CACHE: cache });
    const first = await check();
    expect(first.stdout).toContain("a.go:5:3: warning defer-in-loop:");
    const codeDir = join(cache, "code");
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function") {
      // Node 22.1+: bin/memlint.cjs turns on Node's own compile cache instead.
      expect(existsSync(codeDir)).toBe(false);
      return;
    }
    const files = () => readdirSync(codeDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => `${join(e.parentPath, e.name)} ${statSync(join(e.parentPath, e.name)).mtimeMs}`).sort();
    const written = files();
    expect(written.some((f) => f.includes("main.cjs.default"))).toBe(true);
    // A second run finds V8 taking every chunk's code: nothing is written again.
    expect((await check()).stdout).toBe(first.stdout);
    expect(files()).toEqual(written);
  }, 60_000);

  it("answers usage errors, configuration errors and help in its documented forms", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP, ".github/memlint.yml": "max_comments: 500\n" });
    const bad = await exec(installed.bin, ["check", "."], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("memlint: invalid configuration: .github/memlint.yml:1:15: `max_comments` must be between 1 and 100 (got 500)\n");
    const notRepo = await exec(installed.bin, ["review"], dir);
    expect(notRepo.stderr).toBe(`memlint: not a git repository: ${dir}\n`);
    const help = await exec(installed.bin, ["--help"], dir);
    expect(help.stdout).toMatch(/^Usage: memlint \[options\] \[command\]/);
    expect(help.stdout).toContain("lsp [options]");
    expect((await exec(installed.bin, ["rules", "http-body-not-closed"], dir)).stdout).toMatch(/^http-body-not-closed: response body never closed/);
  }, 60_000);

  it("serves the language server", async () => {
    // Its caches (and, on Node 20, its compiled code) in a directory of this test's, never the user's.
    const child = spawn(installed.bin, ["lsp"], { cwd: tempDir(), env: { ...process.env, MEMLINT_CACHE: tempDir("memlint-cache-") }, stdio: ["pipe", "pipe", "inherit"] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    const result = (await connection.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {} })) as { serverInfo: { name: string; version: string } };
    expect(result.serverInfo).toEqual({ name: "memlint", version: VERSION });
    await connection.sendRequest("shutdown");
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await connection.sendNotification("exit");
    expect(await exited).toBe(0);
    connection.dispose();
  }, 60_000);
});

describe("npm run memlint (tsx)", () => {
  it("runs src/cli/main.ts directly", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP });
    const r = await exec(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "src/cli/main.ts"), "check", ".", "--format", "json", "--fail-on", "warning"], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.introduced.warning).toBe(1);
  }, 30_000);

  it("writes all of a long output to a pipe that is read late before it exits", async () => {
    const dir = tempDir();
    const functions = Array.from({ length: 200 }, (_, i) => LOOP.replace("package m\n\n", "").replace("func F(", `func F${i}(`));
    writeFiles(dir, { "a.go": `package m\n\n${functions.join("\n")}` });
    // The reader starts after a while: the pipe (64 KB) fills, and the rest of the JSON (150 KB
    // in all) waits in memlint, which must not exit before it is written.
    const command = `"${join(ROOT, "node_modules/.bin/tsx")}" "${join(ROOT, "src/cli/main.ts")}" check . --format json | { sleep 2; cat; }`;
    const r = await exec("sh", ["-c", command], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100_000);
    expect((JSON.parse(r.stdout) as { summary: { introduced: { warning: number } } }).summary.introduced.warning).toBe(200);
  }, 60_000);
});

describe("the App's workspace (app/package.json)", () => {
  it("declares every package the App's server imports, with the ranges the root uses", async () => {
    const { build } = await import("esbuild");
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: ["src/main.ts"],
      bundle: true,
      write: false,
      platform: "node",
      format: "esm",
      packages: "external",
      metafile: true,
      logLevel: "silent",
    });
    const imported = new Set<string>();
    for (const input of Object.values(result.metafile.inputs)) {
      for (const i of input.imports) {
        if (!i.external || i.path.startsWith("node:")) continue;
        imported.add(i.path.startsWith("@") ? i.path.split("/").slice(0, 2).join("/") : i.path.split("/")[0]!);
      }
    }
    imported.add("tree-sitter-go"); // the grammar's wasm, which src/engine/parser.ts resolves at run time
    const app = JSON.parse(readFileSync(join(ROOT, "app/package.json"), "utf8")) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string>; dependencies?: Record<string, string> };
    expect([...imported].sort()).toEqual([...Object.keys(app.dependencies), ...Object.keys(app.optionalDependencies ?? {})].sort());
    for (const [name, range] of Object.entries(app.dependencies)) if (name in root.devDependencies) expect(`${name}@${root.devDependencies[name]}`).toBe(`${name}@${range}`);
    // The CLI's package installs nothing: everything it runs is bundled.
    expect(root.dependencies ?? {}).toEqual({});
  });
});

describe("package.json's links", () => {
  it("name the repository the docs links default to", async () => {
    const { HOMEPAGE, DEFAULT_DOCS_BASE } = await import("../../src/comments/docs.js");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { homepage: string; repository: { url: string }; bugs: { url: string } };
    expect(pkg.homepage).toBe(`${HOMEPAGE}#readme`);
    expect(pkg.repository.url).toBe(`git+${HOMEPAGE}.git`);
    expect(pkg.bugs.url).toBe(`${HOMEPAGE}/issues`);
    expect(DEFAULT_DOCS_BASE).toBe(`${HOMEPAGE}/blob/main/docs/`);
  });
});
