/**
 * `memlint review` of 1-, 10- and 100-file changes on a real repository, beside the git commands
 * such a review runs, run alone (the git floor). The repository is the Go standard library's
 * first 100 packages (their non-test files) committed on `main` and cloned; in each clone a
 * `feature` branch edits one line of 1, 10 or 100 files, one per package, as a pull request
 * would, and `memlint review` compares it with its merge base with `origin/main`. Rounds are
 * interleaved; the rows give medians. The target (issue 13): the 100-file review takes at most
 * twice the one-file review plus its own git floor, so what memlint adds grows with what the
 * change touches, not with the packages around it.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DIFF_ARGS } from "../src/cli/git.js";
import { corpusRoot } from "./corpus.js";
import type { BenchRow } from "./e2e.js";

const GIT_ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@example.com" };
const SIZES = [1, 10, 100] as const;
const LARGEST = 100;
/** A statement line of a function body, where a trailing comment is valid Go. */
const EDITABLE = /^\t+(?:for|if|return|defer|go)\b[^`]*$/m;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function git(cwd: string, args: readonly string[], input?: string): string {
  const r = spawnSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV }, input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/** The first 100 package directories (with a statement line to edit), each with its non-test Go files and the file to edit. */
function packages(root: string): { dir: string; files: string[]; edited: string }[] {
  const out: { dir: string; files: string[]; edited: string }[] = [];
  const walk = (dir: string) => {
    if (out.length === LARGEST) return;
    const names = readdirSync(join(root, dir)).sort();
    const files = names.filter((n) => n.endsWith(".go") && !n.endsWith("_test.go")).map((n) => (dir === "" ? n : `${dir}/${n}`));
    const edited = files.find((f) => {
      const text = readFileSync(join(root, f), "utf8");
      return !/^\/\/ Code generated .* DO NOT EDIT\.$/m.test(text) && EDITABLE.test(text);
    });
    if (edited && files.length >= 2) out.push({ dir, files, edited });
    for (const name of names) {
      const sub = dir === "" ? name : `${dir}/${name}`;
      if (name !== "testdata" && name !== "vendor" && statSync(join(root, sub)).isDirectory()) walk(sub);
    }
  };
  walk("");
  return out;
}

/**
 * The git commands `memlint review` runs for a branch's change, each a process of its own, in
 * order (the base branch it reads from the repository's files, and the base contents it rebuilds
 * from the diff's patch).
 */
function gitFloor(repo: string): void {
  git(repo, ["ls-files", "--others", "--exclude-standard", "-z", "--", "*.go"]);
  const base = git(repo, ["merge-base", "--end-of-options", "refs/remotes/origin/main", "HEAD"]).trim();
  git(repo, [...DIFF_ARGS, base, "--", "*.go"]);
}

export async function reviewBench(bin: string, dir: string, rounds = Number(process.env.MEMLINT_BENCH_REVIEW_ROUNDS ?? 7)): Promise<BenchRow[]> {
  const root = corpusRoot();
  const chosen = packages(root);
  if (chosen.length < LARGEST) throw new Error(`the corpus at ${root} has only ${chosen.length} packages to edit`);
  const upstream = join(dir, "review-upstream");
  for (const { files } of chosen) for (const f of files) cpSync(join(root, f), join(upstream, f));
  writeFileSync(join(upstream, "go.mod"), readFileSync(join(root, "go.mod")));
  git(upstream, ["init", "-q", "-b", "main"]);
  git(upstream, ["add", "-A"]);
  git(upstream, ["commit", "-q", "-m", "the standard library's first packages"]);
  const repos = SIZES.map((size) => {
    const repo = join(dir, `review-${size}`);
    mkdirSync(dirname(repo), { recursive: true });
    git(dir, ["clone", "-q", "--shared", upstream, repo]);
    git(repo, ["checkout", "-q", "-b", "feature"]);
    const changed = chosen.slice(0, size).map((p) => p.edited);
    for (const path of changed) {
      const file = join(repo, path);
      writeFileSync(file, readFileSync(file, "utf8").replace(EDITABLE, (line) => `${line} // reviewed`));
    }
    git(repo, ["commit", "-q", "-am", `edit ${size} files`]);
    return { size, repo };
  });
  const cache = join(dir, "review-cache");
  const times = new Map(SIZES.map((s) => [s, { review: [] as number[], floor: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    for (const { size, repo } of repos) {
      let t0 = performance.now();
      const r = spawnSync(bin, ["review", "--format", "json"], { cwd: repo, env: { ...process.env, ...GIT_ENV, NO_COLOR: "1", MEMLINT_CACHE: cache }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      const ms = performance.now() - t0;
      if (r.status !== 0 && r.status !== 1) throw new Error(`memlint review of ${size} files exited ${r.status}: ${r.stderr}`);
      const analyzed = (JSON.parse(r.stdout) as { summary: { filesAnalyzed: number } }).summary.filesAnalyzed;
      if (analyzed !== size) throw new Error(`memlint review of ${size} files analyzed ${analyzed}`);
      times.get(size)!.review.push(ms);
      t0 = performance.now();
      gitFloor(repo);
      times.get(size)!.floor.push(performance.now() - t0);
    }
  }
  const m = (size: (typeof SIZES)[number], what: "review" | "floor") => median(times.get(size)![what]);
  const allowed = 2 * m(1, "review") + m(100, "floor");
  return [
    {
      measure: `review of a 1-, 10- and 100-file change (the standard library's first packages in git), medians of ${rounds} interleaved rounds`,
      value: SIZES.map((s) => `${s}: ${m(s, "review").toFixed(0)} ms (git alone ${m(s, "floor").toFixed(0)} ms)`).join(" · "),
      target: "",
      ok: undefined,
    },
    {
      measure: "100-file review / (2 × one-file review + its git floor)",
      value: `${m(100, "review").toFixed(0)} ms / (2 × ${m(1, "review").toFixed(0)} + ${m(100, "floor").toFixed(0)} ms): ${(m(100, "review") / allowed).toFixed(2)}`,
      target: "≤ 1",
      ok: m(100, "review") <= allowed,
    },
  ];
}
