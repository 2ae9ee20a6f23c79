/**
 * The precision runner behind `npm run eval:precision` (run.ts): `memlint check` over whole
 * repositories at the commits recorded in verdicts.json, read from local git mirrors; each finding
 * is matched with its recorded verdict, and the table of true / false / debatable per rule is
 * printed with the findings nobody judged yet. A measurement: it exits 0 whatever the score, 1
 * when the verdict file is wrong or names a commit a mirror lacks, 2 for bad arguments.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { analyzeInputs } from "../../src/cli/analyze.js";
import { collectPaths } from "../../src/cli/collect.js";
import { git, GitError, readBlobs } from "../../src/cli/git.js";
import { defaultConfig } from "../../src/config/load.js";
import { hasMirror, mirrorDir } from "../realworld/mirror.js";
import { type CheckedFinding, countVerdicts, markdownTable, type Matching, matchVerdicts, patternTable, perKloc, tabulate } from "./score.js";
import { type JudgedFinding, type JudgedRepository, loadVerdicts, VerdictError } from "./verdicts.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_MIRRORS = "/work/.mirror";

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

interface Options {
  verdicts: string;
  repo?: string[];
  json?: string;
  unjudged?: boolean;
  verbose?: boolean;
}

/** What `memlint check` (default configuration) reports on a repository at a commit. */
export async function checkRepository(gitDir: string, commit: string): Promise<{ findings: CheckedFinding[]; files: number; lines: number }> {
  const listing = await git(["ls-tree", "-r", "-z", "--name-only", "--end-of-options", commit], { cwd: gitDir });
  const paths = listing.split("\0").filter((p) => p.endsWith(".go") || p === "go.mod" || p.endsWith("/go.mod"));
  const blobs = await readBlobs(gitDir, commit, paths);
  const root = mkdtempSync(join(tmpdir(), "memlint-precision-"));
  try {
    for (const [path, text] of blobs) {
      if (text === null) continue; // a blob the mirror does not hold: analyzed as absent
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const config = defaultConfig();
    const { inputs } = collectPaths(root, root, ["."], config);
    const result = await analyzeInputs(root, inputs, config);
    const lines = result.files.reduce((n, f) => n + (f.path.endsWith("_test.go") ? 0 : (blobs.get(f.path)?.split("\n").length ?? 0)), 0);
    const findings = result.introduced.map((f) => ({ path: f.path, line: f.line, rule: f.ruleId, id: f.id, severity: f.severity, message: f.message }));
    return { findings, files: result.files.length, lines };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function hasCommit(gitDir: string, commit: string): Promise<boolean> {
  try {
    await git(["cat-file", "-e", `${commit}^{commit}`], { cwd: gitDir });
    return true;
  } catch (err) {
    if (err instanceof GitError) return false;
    throw err;
  }
}

/** A verdict entry to fill in for a finding nobody judged. */
function template(f: CheckedFinding): JudgedFinding & { message: string } {
  return { path: f.path, line: f.line, rule: f.rule, id: f.id, severity: f.severity, verdict: "true", reason: "", message: f.message };
}

export async function runPrecision(argv: string[], io: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = new Command("eval:precision")
    .description("Run memlint check over whole repositories at the recorded commits (from local git mirrors) and score the findings against the recorded verdicts.")
    .option("--verdicts <file>", "the verdict file", join(HERE, "verdicts.json"))
    .option("--repo <owner/name...>", "only these repositories")
    .option("--json <file>", "write every finding with its verdict as JSON")
    .option("--unjudged", "print the findings without a verdict as entries to fill in")
    .option("--verbose", "print every finding with its verdict")
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
  let repositories: JudgedRepository[];
  try {
    repositories = loadVerdicts(options.verdicts).repositories;
  } catch (err) {
    if (err instanceof VerdictError) {
      io.err(`eval:precision: bad verdict file: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (options.repo) {
    const unknown = options.repo.filter((r) => !repositories.some((x) => x.repo === r));
    if (unknown.length > 0) {
      io.err(`eval:precision: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not in ${options.verdicts}\n`);
      return 2;
    }
    repositories = repositories.filter((r) => options.repo!.includes(r.repo));
  }

  const mirrors = env.MEMLINT_MIRRORS ?? DEFAULT_MIRRORS;
  const available = repositories.filter((r) => hasMirror(mirrors, r.repo));
  for (const r of repositories.filter((r) => !available.includes(r))) io.err(`eval:precision: skipped ${r.repo}: no mirror at ${mirrorDir(mirrors, r.repo)}\n`);
  if (available.length === 0) {
    io.out(`eval:precision: no mirror of any recorded repository under ${mirrors} (set MEMLINT_MIRRORS); nothing to measure.\n`);
    return 0;
  }

  const all: Matching = { judged: [], unjudged: [], stale: [] };
  const perRepo: { repo: string; commit: string; files: number; lines: number; matching: Matching }[] = [];
  for (const r of available) {
    const gitDir = mirrorDir(mirrors, r.repo);
    if (!(await hasCommit(gitDir, r.commit))) {
      io.err(`eval:precision: ${r.repo}: commit ${r.commit} is not in the mirror at ${gitDir}\n`);
      return 1;
    }
    io.err(`eval:precision: checking ${r.repo} at ${r.commit.slice(0, 12)}…\n`);
    const { findings, files, lines } = await checkRepository(gitDir, r.commit);
    const matching = matchVerdicts(findings, r.findings);
    perRepo.push({ repo: r.repo, commit: r.commit, files, lines, matching });
    all.judged.push(...matching.judged);
    all.unjudged.push(...matching.unjudged);
    all.stale.push(...matching.stale);
  }

  const out: string[] = [
    "| repository | commit | Go files | non-test lines | findings | per kLOC | judged | unjudged | judged, no longer reported |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  let lines = 0;
  for (const p of perRepo) {
    const n = p.matching.judged.length + p.matching.unjudged.length;
    lines += p.lines;
    out.push(`| ${p.repo} | \`${p.commit.slice(0, 12)}\` | ${p.files} | ${p.lines} | ${n} | ${perKloc(n, p.lines)} | ${p.matching.judged.length} | ${p.matching.unjudged.length} | ${p.matching.stale.length} |`);
  }
  const findings = all.judged.length + all.unjudged.length;
  out.push(`| **all** | | ${perRepo.reduce((n, p) => n + p.files, 0)} | ${lines} | ${findings} | ${perKloc(findings, lines)} | ${all.judged.length} | ${all.unjudged.length} | ${all.stale.length} |`);
  const blocking = [...all.judged.map((j) => j.finding), ...all.unjudged].filter((f) => f.severity !== "info").length;
  out.push("", `Warning and error findings: ${blocking}, ${perKloc(blocking, lines)} per thousand non-test lines (all findings: ${perKloc(findings, lines)}).`);
  const gone = countVerdicts(all.stale);
  if (all.stale.length > 0) out.push("", `Judged findings this run no longer reports: ${gone.true} true (lost), ${gone.false} false and ${gone.debatable} debatable (gone).`);
  out.push("", markdownTable(tabulate(all.judged)), "", patternTable(all.judged), "");
  if (options.verbose) {
    for (const p of perRepo) {
      for (const { finding: f, verdict: v } of p.matching.judged) out.push(`${p.repo} ${f.path}:${f.line} ${f.severity} ${f.rule}: ${v.verdict} — ${v.reason}`);
    }
    out.push("");
  }
  for (const p of perRepo) {
    for (const f of p.matching.unjudged) out.push(`unjudged: ${p.repo} ${f.path}:${f.line} ${f.severity} ${f.rule} [${f.id}]: ${f.message}`);
    for (const v of p.matching.stale) out.push(`stale: ${p.repo} ${v.path}:${v.line} ${v.rule} [${v.id}] (${v.verdict}): no such finding in this run`);
  }
  io.out(`${out.join("\n")}\n`);
  if (options.unjudged) {
    const entries = perRepo.filter((p) => p.matching.unjudged.length > 0).map((p) => ({ repo: p.repo, commit: p.commit, findings: p.matching.unjudged.map(template) }));
    io.out(`${JSON.stringify(entries, null, 2)}\n`);
  }
  if (options.json) {
    const result = perRepo.map((p) => ({
      repo: p.repo,
      commit: p.commit,
      judged: p.matching.judged.map(({ finding, verdict }) => ({ ...finding, verdict: verdict.verdict, reason: verdict.reason, ...(verdict.pattern ? { pattern: verdict.pattern } : {}) })),
      unjudged: p.matching.unjudged,
      stale: p.matching.stale,
    }));
    writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
  }
  return 0;
}
