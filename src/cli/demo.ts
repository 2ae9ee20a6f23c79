/**
 * `npm run demo`: what the memlint App would post on a pull request, without GitHub.
 *
 * The bundled Go service in test/fixtures/demo/{base,head} is reviewed as a pull request from
 * `head` into `main` (the default branch, hence the `production` environment) with the default
 * configuration. Printed: each inline review comment (where, and the exact markdown body),
 * the check-run annotations (the exact JSON), and the check run (conclusion, title, summary).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { toAnnotations } from "../comments/annotations.js";
import { placeFindings } from "../comments/placement.js";
import { commentRange, renderReviewComment } from "../comments/review-comment.js";
import { renderCheckOutput } from "../comments/summary.js";
import { decide, selectEnvironment } from "../config/policy.js";
import { DEFAULT_CONFIG } from "../config/types.js";
import type { FileInput } from "../engine/analyze.js";
import { type ChangedLines, changedLinesBetween } from "../engine/diff.js";
import { goVersionFromGoMod } from "../engine/gomod.js";
import { initParser } from "../engine/parser.js";
import { reviewChange } from "../review/review.js";
import type { Output } from "./io.js";

export const DEMO_DIR = fileURLToPath(new URL("../../test/fixtures/demo/", import.meta.url));

function listFiles(root: string, dir = root): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    return e.isDirectory() ? listFiles(root, full) : [relative(root, full).split(sep).join("/")];
  });
}

interface DemoFile {
  path: string;
  status: "added" | "modified" | "removed";
  base: string | null;
  head: string | null;
}

/** The files that differ between the two trees, as a pull request would list them. */
export function demoChange(dir: string = DEMO_DIR): DemoFile[] {
  const baseDir = join(dir, "base");
  const headDir = join(dir, "head");
  const paths = [...new Set([...listFiles(baseDir), ...listFiles(headDir)])].sort();
  const read = (root: string, path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : null);
  return paths
    .map((path): DemoFile => {
      const base = read(baseDir, path);
      const head = read(headDir, path);
      return { path, base, head, status: base === null ? "added" : head === null ? "removed" : "modified" };
    })
    .filter((f) => f.base !== f.head);
}

function counts(changed: ChangedLines): string {
  return `+${changed.added.size} −${changed.deleted.size}`;
}

export async function runDemo(out: Output = process.stdout): Promise<number> {
  const started = performance.now();
  await initParser();
  const color = out.isTTY === true && !process.env.NO_COLOR;
  const bold = (s: string) => (color ? `\u001b[1m${s}\u001b[22m` : s);
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);
  const cyan = (s: string) => (color ? `\u001b[36m${s}\u001b[39m` : s);
  const write = (s = "") => out.write(`${s}\n`);
  const width = 78;
  const heading = (title: string) => {
    write();
    write(bold(cyan(`━━━ ${title} ${"━".repeat(Math.max(3, width - title.length - 5))}`)));
    write();
  };
  const sub = (title: string) => write(dim(`── ${title} ${"─".repeat(Math.max(3, width - title.length - 4))}`));
  const verbatim = (text: string) => {
    write(text.replace(/\n$/, ""));
    sub("end");
  };

  const config = DEFAULT_CONFIG;
  const change = demoChange();
  const headGoMod = change.find((f) => f.path === "go.mod")?.head ?? readFileSync(join(DEMO_DIR, "head", "go.mod"), "utf8");
  const goVersion = goVersionFromGoMod(headGoMod);
  const changedByPath = new Map<string, ChangedLines>();
  const inputs: FileInput[] = change.map((f) => {
    const changed = changedLinesBetween(f.base ?? "", f.head ?? "");
    changedByPath.set(f.path, changed);
    return { path: f.path, base: f.base, head: f.head, changed };
  });

  const result = reviewChange(inputs, config, goVersion);
  const choice = selectEnvironment(config, { baseBranch: "main", defaultBranch: "main" });
  const decision = decide(choice.environment, result.introduced, { draft: false });
  const placement = placeFindings(result.introduced, changedByPath, config.maxComments, { minSeverity: config.comments.minSeverity });
  const headSha = createHash("sha1")
    .update(change.map((f) => `${f.path}\0${f.head ?? ""}`).join("\0"))
    .digest("hex");
  const annotations = toAnnotations(placement.annotations);
  const output = renderCheckOutput({
    result,
    decision,
    choice,
    configSources: {},
    placement,
    ignored: [],
    partial: [],
    durationMs: performance.now() - started,
    headSha,
    maxComments: config.maxComments,
    minSeverity: config.comments.minSeverity,
  });

  write(bold("memlint demo — what the GitHub App would post on a pull request"));
  write("═".repeat(width));
  write(`Repository    example.com/pricing  ${dim(`(${relative(process.cwd(), DEMO_DIR) || "."})`)}`);
  write(`Pull request  "Batch catalog requests, cache stats, popularity report"  head → main`);
  write(`Go version    ${goVersion ?? "unknown"} (from go.mod)`);
  write(`Environment   ${choice.environment.name}: ${choice.reason.replace(/`/g, "")}`);
  write(`Changed files`);
  for (const f of change) {
    const changed = changedByPath.get(f.path)!;
    write(`  ${f.status === "added" ? "A" : f.status === "removed" ? "D" : "M"} ${f.path.padEnd(24)} ${counts(changed)}`);
  }
  write(
    `Findings      ${result.introduced.length} introduced, ${result.preexisting.length} pre-existing (not blamed), ${result.suppressed.length} suppressed in code`,
  );

  heading(`Inline review comments (${placement.inline.length}) — one review, event COMMENT`);
  if (placement.inline.length === 0) write(dim("(none)"));
  placement.inline.forEach((finding, i) => {
    const range = commentRange(finding);
    const where = range.start_line === undefined ? `line ${range.line}` : `lines ${range.start_line}–${range.line}`;
    sub(`${i + 1}/${placement.inline.length} · ${finding.path} ${where} (side RIGHT) · ${finding.ruleId}`);
    verbatim(renderReviewComment(finding));
    write();
  });

  heading(`Check-run annotations (${annotations.length})`);
  if (annotations.length === 0) write(dim("(none: every finding in a changed file is on a diff line)"));
  for (const a of annotations) write(JSON.stringify(a, null, 2));

  if (placement.summaryOnly.length > 0) {
    heading(`Findings listed only in the check-run summary (${placement.summaryOnly.length})`);
    for (const f of placement.summaryOnly) write(`  ${f.path}:${f.line}  ${f.ruleId}`);
  }

  heading("Check run “memlint”");
  write(`status       completed`);
  write(`conclusion   ${decision.conclusion}`);
  write(`title        ${output.title}`);
  write();
  sub(`output.summary (${output.summary.length.toLocaleString("en-US")} characters of markdown)`);
  verbatim(output.summary);
  if (output.text) {
    sub("output.text");
    verbatim(output.text);
  }

  write();
  write("═".repeat(width));
  write(bold(`Conclusion: ${decision.conclusion} — ${output.title}`));
  return 0;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === pathToFileURL(realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  runDemo().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 1;
    },
  );
}
