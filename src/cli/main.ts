/**
 * The `memlint` command line: `review` (the working tree, the index or a commit against the
 * merge base, like the App reviews a pull request), `check` (whole files), `rules`, `demo` and
 * `lsp` (the language server).
 *
 * This module only declares the commands: each one's code is imported when it runs, so that
 * `memlint --help` loads no analysis and `memlint rules` no parser (see bin/memlint.cjs and the
 * start-up rows of `npm run bench`).
 *
 * `run(argv, io)` is the whole program with injectable output, so tests run it in-process;
 * bin/memlint.cjs calls {@link main}.
 */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";
import type { AnalysisOptions } from "./analysis.js";
import { CliError, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, type CliIO } from "./io.js";
import { FAIL_ON, toolVersion } from "./report.js";

export type { CliIO } from "./io.js";

/** Runs memlint with the arguments after the program name; resolves to the exit code. */
export async function run(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const full: CliIO = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
  let exitCode = EXIT_OK;
  const program = buildProgram(full, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error it has printed.
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof CliError) {
      for (const line of err.message.split("\n")) full.stderr.write(`memlint: ${line}\n`);
      return EXIT_USAGE;
    }
    const e = err as Error;
    full.stderr.write(`memlint: internal error: ${e?.message ?? String(err)}\n`);
    if (full.env.MEMLINT_DEBUG) full.stderr.write(`${e?.stack ?? ""}\n`);
    else full.stderr.write("memlint: set MEMLINT_DEBUG=1 for the stack trace, and please report it\n");
    return EXIT_INTERNAL;
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command("memlint")
    .description("Reviews Go changes for memory-management pitfalls: leaks, retention, pool misuse, lifetime contracts.")
    .version(toolVersion(), "-V, --version")
    .option("-C <dir>", "run as if memlint was started in <dir>")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Argument errors in memlint's one form: `memlint: <problem>`.
      outputError: (s, write) => write(s.replace(/^error: /, "memlint: ")),
    })
    .showSuggestionAfterError(true)
    .showHelpAfterError("(add --help for usage)");

  /** The directory the command runs in: the caller's, or `-C <dir>` relative to it. */
  const cwd = () => {
    const dir = program.opts<{ C?: string }>().C;
    return dir === undefined ? io.cwd : resolve(io.cwd, dir);
  };

  const analysisOptions = (cmd: Command) =>
    cmd
      .option(
        "-f, --format <format[=file]>",
        "output format: text, json, sarif, github, checkstyle, junit or code-climate, to standard output or, with =<file>, to a file; repeatable",
        collect,
      )
      .addOption(new Option("--fail-on <severity>", "exit 1 when an introduced finding is at or above this severity").choices(FAIL_ON).default("error"))
      .option("-c, --config <file>", "configuration file (default: <repository root>/.github/memlint.yml)")
      .option("--fix", "apply the mechanical suggestions to the files (only where the result still parses)")
      .option("--dry-run", "with --fix: print the changes as a unified diff instead of writing them")
      .option("-v, --verbose", "list every skipped file, and say what the change is compared with");

  analysisOptions(
    program
      .command("review")
      .description(
        "analyze what the working tree (staged, unstaged and untracked Go files) changes since the merge base with the base branch, as the App reviews a pull request",
      )
      .option("-b, --base <ref>", "base branch or commit (default: origin/HEAD, else main, else master; HEAD with --staged)")
      .option("--staged", "analyze what is staged for the next commit (the index) instead of the working tree, as a pre-commit hook")
      .option("--head <commit>", "analyze a commit instead of the working tree")
      .option("--show-preexisting", "also list findings the base already had in the touched code"),
  ).action(async (opts: AnalysisOptions) => {
    // Git starts before the engine loads, and runs while it compiles.
    const here = { ...io, cwd: cwd() };
    const { startReview } = await import("./review-start.js");
    const started = startReview(opts, here);
    const { review } = await import("./review.js");
    setExit(await review(started, opts, here));
  });

  analysisOptions(
    program
      .command("check")
      .description("analyze whole Go files; directories (or ./...) are walked recursively, within paths.include/exclude, skipping vendor and testdata")
      .argument("<paths...>", "Go files and directories")
      .option("--all-versions", "also report pitfalls the Go version of the module fixed (the timer rules from Go 1.23), as info")
      .option("--no-cache", "neither read nor store results in the cache (see MEMLINT_CACHE)"),
  ).action(async (paths: string[], opts: AnalysisOptions) => {
    // (check gets the parser ready itself: not when its result cache answers for every file)
    const { check } = await import("./analysis.js");
    setExit(await check(paths, opts, { ...io, cwd: cwd() }));
  });

  program
    .command("rules")
    .description("list the rules, or show the documentation of the rules named")
    .argument("[rule-ids...]", "rule ids, or globs over them (`contract-*`)")
    .action(async (ids: string[]) => {
      const { formatRuleDocs, formatRuleList } = await import("./rules.js");
      io.stdout.write(ids.length === 0 ? formatRuleList() : formatRuleDocs(ids));
    });

  program
    .command("demo")
    .description("run the App against a simulated pull request, offline")
    .action(async () => {
      const { runDemo } = await import("./demo.js");
      setExit(await runDemo(io.stdout));
    });

  program
    .command("lsp")
    .description("run the language server on standard input and output: diagnostics for open Go files, compared with the merge base as review does")
    .option("--stdio", "talk LSP over standard input and output (the default and only transport)")
    .option("-b, --base <ref>", "base branch or commit (default: origin/HEAD, else main, else master)")
    .action(async (opts: { base?: string }) => {
      const { runLanguageServer } = await import("./lsp.js");
      setExit(await runLanguageServer({ ...io, cwd: cwd() }, opts));
    });

  return program;
}

/** Entry point of the installed binary: process arguments, exit code, quiet on a closed pipe. */
export async function main(): Promise<void> {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  const code = await run(process.argv.slice(2));
  process.exitCode = code;
  // Everything is written: ending the event loop now would first run the garbage collections V8
  // has pending, on a heap the exit frees whole (40 ms after a check of net/http). A write still
  // queued (a pipe read slowly) is left to finish.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Not awaited: the CLI's bundle is CommonJS, which has no top-level await.
if (invokedDirectly()) void main();
