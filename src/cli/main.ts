/**
 * The `memlint` command line: `review` (the working tree against the merge base, like the App
 * reviews a pull request), `check` (whole files), `rules`, and `demo`.
 *
 * `run(argv, io)` is the whole program with injectable output, so tests run it in-process;
 * bin/memlint.js calls {@link main}.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";
import { formatProblems, loadConfigFile, parseConfigText, type ConfigResult } from "../config/load.js";
import type { MemlintConfig } from "../config/types.js";
import { analyzeInputs, collectPaths, collectWorkingTree, type Analysis } from "./collect.js";
import { formatGithub } from "./format/github.js";
import { formatJson } from "./format/json.js";
import { formatSarif } from "./format/sarif.js";
import { formatText } from "./format/text.js";
import { defaultBaseRef, findRepoRoot, mergeBase } from "./git.js";
import { CliError, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, useColor, type CliIO } from "./io.js";
import { FAIL_ON, fails, FORMATS, toolVersion, type FailOn, type Format, type Report } from "./report.js";
import { formatRuleDocs, formatRuleList } from "./rules.js";

export type { CliIO } from "./io.js";

interface OutputOptions {
  format: Format;
  failOn: FailOn;
  config?: string;
  showPreexisting?: boolean;
  verbose?: boolean;
}

interface ReviewOptions extends OutputOptions {
  base?: string;
}

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
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" ? EXIT_OK : EXIT_USAGE;
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

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command("memlint")
    .description("Reviews Go changes for memory-management pitfalls: leaks, retention, pool misuse, lifetime contracts.")
    .version(toolVersion(), "-V, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showSuggestionAfterError(true)
    .showHelpAfterError("(add --help for usage)");

  const outputOptions = (cmd: Command) =>
    cmd
      .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
      .addOption(new Option("--fail-on <severity>", "exit 1 when an introduced finding is at or above this severity").choices(FAIL_ON).default("error"))
      .option("-c, --config <file>", "configuration file (default: <repository root>/.github/memlint.yml)")
      .option("-v, --verbose", "list every skipped file, and say what the working tree is compared with");

  outputOptions(
    program
      .command("review")
      .description(
        "analyze what the working tree (staged, unstaged and untracked Go files) changes since the merge base with the base branch, as the App reviews a pull request",
      )
      .option("-b, --base <ref>", "base branch or commit (default: origin/HEAD, else main, else master)")
      .option("--show-preexisting", "also list findings the base already had in the touched code"),
  ).action(async (opts: ReviewOptions) => {
    setExit(await review(opts, io));
  });

  outputOptions(
    program
      .command("check")
      .description("analyze whole Go files; directories (or ./...) are walked recursively, within paths.include/exclude, skipping vendor and testdata")
      .argument("<paths...>", "Go files and directories"),
  ).action(async (paths: string[], opts: OutputOptions) => {
    setExit(await check(paths, opts, io));
  });

  program
    .command("rules")
    .description("list the rules, or show the documentation of the rules named")
    .argument("[rule-ids...]", "rule ids, or globs over them (`contract-*`)")
    .action((ids: string[]) => {
      io.stdout.write(ids.length === 0 ? formatRuleList() : formatRuleDocs(ids));
    });

  program
    .command("demo")
    .description("run the App against a simulated pull request, offline")
    .action(async () => {
      setExit(await runDemo());
    });

  return program;
}

async function review(opts: ReviewOptions, io: CliIO): Promise<number> {
  const cwd = realCwd(io);
  const root = await findRepoRoot(cwd);
  if (!root) throw new CliError(`not a git repository: ${cwd}`);
  const config = loadConfig(root, cwd, opts.config);
  const ref = opts.base ?? (await defaultBaseRef(root));
  const base = await mergeBase(root, ref);
  if (opts.verbose) io.stderr.write(`memlint: comparing the working tree with ${ref} (merge base ${base.slice(0, 12)})\n`);
  const inputs = await collectWorkingTree(root, base);
  const result = await analyzeInputs(root, inputs, config);
  const analysis: Analysis = { command: "review", root, base: { ref, mergeBase: base }, result, contents: contentsOf(inputs) };
  return emit(analysis, opts, io, cwd);
}

async function check(paths: string[], opts: OutputOptions, io: CliIO): Promise<number> {
  const cwd = realCwd(io);
  let root: string | undefined;
  try {
    root = await findRepoRoot(cwd);
  } catch (err) {
    if (!(err instanceof CliError)) throw err; // git missing: not needed to check files
  }
  root ??= cwd;
  const config = loadConfig(root, cwd, opts.config);
  const { inputs, skipped } = collectPaths(cwd, root, paths, config);
  const result = await analyzeInputs(root, inputs, config);
  result.skipped = [...skipped, ...result.skipped].sort((a, b) => a.path.localeCompare(b.path));
  const analysis: Analysis = { command: "check", root, result, contents: contentsOf(inputs) };
  return emit(analysis, opts, io, cwd);
}

function emit(analysis: Analysis, opts: OutputOptions, io: CliIO, cwd: string): number {
  const report: Report = {
    analysis,
    options: {
      failOn: opts.failOn,
      showPreexisting: opts.showPreexisting ?? false,
      verbose: opts.verbose ?? false,
      color: useColor(io),
      cwd,
    },
  };
  const formatters: Record<Format, (r: Report) => string> = { text: formatText, json: formatJson, sarif: formatSarif, github: formatGithub };
  io.stdout.write(formatters[opts.format](report));
  return fails(analysis.result.introduced, opts.failOn) ? EXIT_FINDINGS : EXIT_OK;
}

function loadConfig(root: string, cwd: string, file: string | undefined): MemlintConfig {
  let result: ConfigResult;
  if (file === undefined) {
    result = loadConfigFile(root);
  } else {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new CliError(`configuration file not found: ${file}`);
    result = parseConfigText(readFileSync(path, "utf8"), file);
  }
  if (!result.ok) throw new CliError(result.problems.map((p) => `invalid configuration: ${formatProblems([p])}`).join("\n"));
  return result.config;
}

function contentsOf(inputs: { path: string; head?: string | null }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const i of inputs) if (typeof i.head === "string") map.set(i.path, i.head);
  return map;
}

function realCwd(io: CliIO): string {
  try {
    return realpathSync(io.cwd);
  } catch {
    throw new CliError(`no such directory: ${io.cwd}`);
  }
}

/** The offline demo of the App (src/cli/demo.ts), loaded only when asked for. */
async function runDemo(): Promise<number> {
  const demo = await import("./demo.js");
  return demo.runDemo();
}

/** Entry point of the installed binary: process arguments, exit code, quiet on a closed pipe. */
export async function main(): Promise<void> {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = await run(process.argv.slice(2));
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

if (invokedDirectly()) await main();
