/**
 * The corpus runner behind `npm run eval:realworld` (run.ts): replays every case of `cases/*.json` from the local git mirrors as a
 * pull request, scores it and prints the tables. A measurement: it exits 0 whatever the score,
 * and non-zero only when the manifest is wrong (or the runner fails).
 */
import { writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { type Case, loadManifests, ManifestError } from "./manifest.js";
import { buildChange, CaseError, hasMirror, mirrorDir } from "./mirror.js";
import { replay } from "./replay.js";
import { formatReport, type RunProblems } from "./report.js";
import { reported, type ReportedFinding, type CaseScore, scoreCase, summarize } from "./score.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_MIRRORS = "/work/.mirror";

/** Where the runner writes: the report to `out`, progress and problems to `err`. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

interface Options {
  json?: string;
  case?: string[];
  repo?: string[];
  verbose?: boolean;
  cases: string;
}

async function replayCase(mirrors: string, c: Case): Promise<ReportedFinding[]> {
  const change = await buildChange(mirrorDir(mirrors, c.repo), c);
  // Files of different modules get their own module's Go version, as in the CLI.
  const groups = new Map<string | undefined, typeof change.files>();
  for (const file of change.files) {
    const version = change.goVersions.get(file.path);
    groups.set(version, [...(groups.get(version) ?? []), file]);
  }
  const findings: ReportedFinding[] = [];
  for (const [version, files] of groups) {
    const result = await replay(files, version, change.loadPackage);
    const skipped = result.skipped.filter((s) => c.paths.includes(s.path));
    if (skipped.length > 0) throw new CaseError(skipped.map((s) => `path ${s.path} is not analyzed under memlint's defaults (${s.reason}); leave it out`).join("; "));
    findings.push(...result.introduced.map(reported));
  }
  return findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
}

/** Runs the corpus; the exit code: 0 whatever the score, 1 for a bad manifest, 2 for bad arguments. */
export async function runCorpus(argv: string[], io: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = new Command("eval:realworld")
    .description("Replay the real-world corpus (reverse-fixed leak fixes and clean commits) from local git mirrors and score memlint on it.")
    .option("--json <file>", "write the full result as JSON")
    .option("--case <id...>", "replay only these cases")
    .option("--repo <owner/name...>", "replay only the cases of these repositories")
    .option("--verbose", "print every finding of every case")
    .option("--cases <dir>", "the manifest directory", join(HERE, "cases"))
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const options = program.opts<Options>();

  let cases: Case[];
  try {
    cases = loadManifests(options.cases).flatMap((m) => m.cases);
  } catch (err) {
    if (err instanceof ManifestError) {
      io.err(`eval:realworld: bad manifest: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  for (const id of options.case ?? []) if (!cases.some((c) => c.id === id)) return usage(io, `no case has the id ${id}`);
  for (const repo of options.repo ?? []) if (!cases.some((c) => c.repo === repo)) return usage(io, `no case comes from ${repo}`);
  cases = cases.filter((c) => (!options.case || options.case.includes(c.id)) && (!options.repo || options.repo.includes(c.repo)));

  const mirrors = env.MEMLINT_MIRRORS || DEFAULT_MIRRORS;
  const repos = [...new Set(cases.map((c) => c.repo))];
  if (!repos.some((r) => hasMirror(mirrors, r))) {
    io.out(
      [
        `eval:realworld: no mirror of the corpus's repositories under ${mirrors}; nothing to replay.`,
        `Bring them as <owner>+<name>/repo (a git directory), e.g. git clone --mirror https://github.com/${repos[0]}.git ${mirrorDir(mirrors, repos[0]!)},`,
        `or set MEMLINT_MIRRORS to where they are. The repositories and how to fetch them: ${relative(process.cwd(), join(HERE, "README.md"))}.`,
        "",
      ].join("\n"),
    );
    return 0;
  }

  const problems: RunProblems = { skipped: [], errors: [] };
  const scores: CaseScore[] = [];
  for (const [i, c] of cases.entries()) {
    if (!hasMirror(mirrors, c.repo)) {
      const reason = `no mirror of ${c.repo} at ${mirrorDir(mirrors, c.repo)}`;
      io.out(`skip ${c.id}: ${reason}\n`);
      problems.skipped.push({ id: c.id, reason });
      continue;
    }
    io.err(`[${i + 1}/${cases.length}] ${c.id}\n`);
    try {
      scores.push(scoreCase(c, await replayCase(mirrors, c)));
    } catch (err) {
      if (!(err instanceof CaseError)) throw err;
      io.err(`eval:realworld: ${relative(process.cwd(), c.file)}: case ${c.id}: ${err.message}\n`);
      problems.errors.push({ id: c.id, file: relative(process.cwd(), c.file), message: err.message });
    }
  }
  const summary = summarize(scores);
  io.out(formatReport(summary, scores, problems, options.verbose ?? false));
  if (options.json) writeFileSync(options.json, `${JSON.stringify({ mirrors, summary, cases: scores, ...problems }, null, 2)}\n`);
  return problems.errors.length > 0 ? 1 : 0;
}

function usage(io: Output, message: string): number {
  io.err(`eval:realworld: ${message}\n`);
  return 2;
}
