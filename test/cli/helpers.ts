/** Temporary git repositories and an in-process runner for the CLI tests. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "../../src/cli/main.js";

/** Git isolated from the machine's configuration (no signing, no hooks, fixed identity). */
export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

const made: string[] = [];

export function tempDir(prefix = "memlint-cli-"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** Removes every directory made by {@link tempDir}; call from afterAll. */
export function cleanTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: "utf8" });
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** A repository on `main` with one commit holding `files`. */
export function makeRepo(files: Record<string, string>): string {
  const dir = tempDir();
  git(dir, "init", "-q", "-b", "main");
  writeFiles(dir, files);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  return dir;
}

export function commitAll(dir: string, message = "change"): void {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

let resultCache: string | undefined;

/**
 * Runs the CLI in-process in `cwd`, capturing its output. `check`'s result cache is one temporary
 * directory per test file (never the user's), shared by its runs, unless `env` says otherwise.
 */
export async function runCli(args: string[], cwd: string, options: { env?: Record<string, string | undefined>; tty?: boolean } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  if (resultCache === undefined || !existsSync(resultCache)) resultCache = tempDir("memlint-cache-");
  const code = await run(args, {
    cwd,
    env: { ...process.env, ...GIT_ENV, NO_COLOR: undefined, FORCE_COLOR: undefined, MEMLINT_CACHE: resultCache, ...options.env },
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

export const GO_MOD = "module example.com/svc\n\ngo 1.22\n";

/** A Go file whose `Fetch` closes the body and whose `OpenAll` already defers in a loop. */
export const CLIENT_GO = `package svc

import (
	"io"
	"net/http"
	"os"
)

func Fetch(client *http.Client, url string) ([]byte, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func OpenAll(names []string) error {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		_ = f
	}
	return nil
}

func Count(names []string) int {
	n := 0
	for range names {
		n++
	}
	return n
}
`;

/** Line numbers in {@link CLIENT_GO}. */
export const LINES = { httpGet: 10, openAllDefer: 24, countLoop: 32 };
