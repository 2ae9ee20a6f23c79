/**
 * The installed shape: bin/memlint.js running the compiled dist/cli/main.js (built here into a
 * temporary package copy, so the shared dist/ is left alone), and the tsx entry used in
 * development. Both in real processes: exit codes, stdout/stderr, and the files the compiled code
 * reads relative to itself (the schema, package.json).
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanTempDirs, GIT_ENV, tempDir, writeFiles } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

afterAll(cleanTempDirs);

async function exec(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...process.env, ...GIT_ENV, NO_COLOR: "1" } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const LOOP = "package m\n\nfunc F(xs []int) {\n\tfor range xs {\n\t\tdefer println()\n\t\tprintln()\n\t}\n}\n";

describe("bin/memlint.js", () => {
  let pkg: string;

  beforeAll(() => {
    pkg = tempDir("memlint-pkg-");
    copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"));
    mkdirSync(join(pkg, "bin"));
    copyFileSync(join(ROOT, "bin/memlint.js"), join(pkg, "bin/memlint.js"));
    cpSync(join(ROOT, "schema"), join(pkg, "schema"), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"), "dir");
    try {
      execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(pkg, "dist")], { cwd: ROOT, stdio: "pipe" });
    } catch {
      // Type errors elsewhere in the tree still emit JavaScript; what matters is below.
    }
    expect(existsSync(join(pkg, "dist/cli/main.js"))).toBe(true);
  }, 120_000);

  it("runs the compiled CLI with exit codes and clean errors", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP, ".github/memlint.yml": "max_comments: 5\n" });
    const bin = join(pkg, "bin/memlint.js");

    const ok = await exec(bin, ["check", "."], dir);
    expect(ok.stdout).toContain("a.go:5:3: warning defer-in-loop:");
    expect(ok.code).toBe(0);
    expect((await exec(bin, ["check", ".", "--fail-on", "warning"], dir)).code).toBe(1);

    const version = await exec(bin, ["--version"], dir);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    const notRepo = await exec(bin, ["review"], dir);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toBe(`memlint: not a git repository: ${dir}\n`);

    writeFiles(dir, { ".github/memlint.yml": "max_comments: 500\n" });
    const bad = await exec(bin, ["check", "."], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("memlint: invalid configuration: .github/memlint.yml:1:15: `max_comments` must be between 1 and 100 (got 500)\n");
  }, 30_000);
});

describe("npm run memlint (tsx)", () => {
  it("runs src/cli/main.ts directly", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.go": LOOP });
    const r = await exec(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "src/cli/main.ts"), "check", ".", "--format", "json", "--fail-on", "warning"], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.introduced.warning).toBe(1);
  }, 30_000);
});
