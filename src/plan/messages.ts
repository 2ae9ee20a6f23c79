/**
 * The texts of a run that are not findings: a superseded run, the in-progress summary, notes
 * about the configuration, the packages and failed writes, and how ignores change a decision.
 */
import { escapeText } from "../comments/escape.js";
import type { IgnoreNote } from "../comments/review-comment.js";
import type { IgnoredFinding } from "../comments/summary.js";
import { CATEGORY_LABEL, type IgnoreCategory } from "../commands/parse.js";
import { type Decision, internalErrorConclusion } from "../config/policy.js";
import type { EnvironmentPolicy } from "../config/types.js";
import type { CheckConclusion, Completion } from "../github/check-run.js";
import type { RepositoryConfig } from "../github/repository-config.js";

export const sha7 = (sha: string) => sha.slice(0, 7);

/**
 * The conclusion of a run that could not finish. With a known environment: neutral in
 * development, failure elsewhere (fail closed). Without one (a broken configuration): failure,
 * unless the deployment says it is development.
 */
export function errorConclusion(environment: EnvironmentPolicy | undefined, override: string | undefined): CheckConclusion {
  if (environment) return internalErrorConclusion(environment);
  return override?.trim() === "development" ? "neutral" : "failure";
}

/** A run whose commit is no longer the head publishes nothing. */
export function supersededCompletion(pullNumber: number, headSha: string, current: string): Completion {
  // `skipped`: the run belongs to a commit that is no longer the head, so it gates nothing; GitHub
  // shows it as "skipped" (not evaluated), which is what happened — unlike `neutral`, which reads as
  // "evaluated, no opinion". Should the head ever return to this commit, the synchronize event for it
  // starts a new run, and the newest run of a commit is the one GitHub uses.
  return {
    conclusion: "skipped",
    output: {
      title: `Superseded by ${sha7(current)}`,
      summary:
        `Pull request #${pullNumber} moved on to \`${sha7(current)}\` while memlint was analyzing \`${sha7(headSha)}\`, ` +
        `so nothing was published for \`${sha7(headSha)}\`. The run for \`${sha7(current)}\` reports on the current head.`,
    },
  };
}

/** The in-progress summary: what is going on, and what to do if it never ends. */
export function analyzingSummary(headSha: string, pullNumber: number): string {
  return (
    `memlint is analyzing ${sha7(headSha)} of pull request #${pullNumber}.\n\n` +
    "If this check is still in progress after a few minutes, memlint was interrupted: comment `/memlint recheck` on the pull request to analyze the commit again."
  );
}

/** The decision's title and explanation, saying how many findings are ignored. */
export function withIgnores(decision: Decision, ignored: number): Decision {
  if (ignored === 0) return decision;
  const some = `${ignored} ${ignored === 1 ? "finding is" : "findings are"} ignored (see “Ignored findings”)`;
  if (decision.title === "No memory-management findings") {
    return {
      ...decision,
      title: `No findings left: ${ignored} ignored`,
      explanation: decision.explanation.replace(/^No new findings/, `Every finding is ignored: ${ignored}`),
    };
  }
  return { ...decision, title: `${decision.title}, ${ignored} ignored`, explanation: `${decision.explanation} ${some}.` };
}

/** What an ignored finding's inline comment says about the ignore. */
export function ignoreNote(entry: IgnoredFinding): IgnoreNote {
  if (entry.via === "waive-button") return { by: entry.by, label: "waiver", reason: entry.reason, how: "" };
  const label = CATEGORY_LABEL[entry.category as IgnoreCategory] ?? entry.category;
  return { by: entry.by, label, reason: entry.reason, how: "with `/memlint ignore`" };
}

/** Request text in a blockquote: no line breaks, no markdown surprises. */
export function escapeNote(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[<>`*_[\]]/g, (c) => `\\${c}`);
}

/** The note for inline comments that could not be posted and became annotations. */
/** The body of the review that carries the inline comments. */
export function reviewBody(count: number, headSha: string): string {
  return `memlint found ${count} new memory-management ${count === 1 ? "issue" : "issues"} in \`${sha7(headSha)}\`. The \`memlint\` check run has the full report.`;
}

export function reviewFailedNote(count: number, what: string): string {
  return (
    `> [!WARNING]\n> The review with ${count} inline ${count === 1 ? "comment" : "comments"} could not be posted ` +
    `(${escapeNote(what)}). ${count === 1 ? "That finding is" : "Those findings are"} attached to this check run as annotations instead; re-run the check to post them.`
  );
}

/** The note for review-thread updates that failed. */
export function threadsFailedNote(count: number, what: string): string {
  return `> [!NOTE]\n> ${count} review-thread ${count === 1 ? "update" : "updates"} (resolving fixed findings, reopening returned ones) failed (${escapeNote(what)}); the next run retries.`;
}

/** The note for a "Waive" press that could not be recorded on the pull request. */
export function waiverFailedNote(what: string): string {
  return `> [!WARNING]\n> The waiver requested with the “Waive” button could not be recorded on the pull request (${what.replace(/[<>`*_[\]@#\r\n]/g, " ")}), so it was not applied. Press “Waive” again.`;
}

/** The summary note for refused repository values, or undefined when none was refused. */
export function lockNote(loaded: RepositoryConfig): string | undefined {
  if (!loaded.ok || !loaded.refused || loaded.refused.length === 0) return undefined;
  const rows = loaded.refused.map(
    (r) => `> - \`${r.key}\`: this repository sets \`${escapeCode(r.repository)}\`, the organization locks \`${escapeCode(r.organization)}\` (applied)`,
  );
  return (
    `> [!IMPORTANT]\n> ${loaded.refused.length === 1 ? "A setting" : `${loaded.refused.length} settings`} of \`.github/memlint.yml\` ` +
    `${loaded.refused.length === 1 ? "was" : "were"} refused: the organization locks ${loaded.refused.length === 1 ? "it" : "them"} ` +
    `(${escapeCode(loaded.locksFrom ?? "the organization's .github repository")}), and a repository may tighten a locked setting but not loosen it.\n` +
    rows.join("\n")
  );
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'").replace(/[\r\n]+/g, " ");
}

/** Most lines of the partial-package note. */
const MAX_NOTE_LINES = 10;

/**
 * The check-run note that says which parts of the touched packages were not read (markdown lines
 * from {@link packageDirFromTree} and the change set), or undefined when nothing was left out.
 */
export function packageContextNote(lines: readonly string[]): string | undefined {
  if (lines.length === 0) return undefined;
  const shown = lines.slice(0, MAX_NOTE_LINES);
  return [
    "> [!NOTE]",
    `> **Package context was partial.** ${escapeText(
      "memlint reads the other files of each touched package for its cross-file checks (contracts of functions declared in another file, deletes from a package-level map in another file). Some were not read, so those checks saw only part of the package:",
    )}`,
    ...shown.map((l) => `> - ${l}`),
    ...(lines.length > shown.length ? [`> - …and ${lines.length - shown.length} more`] : []),
  ].join("\n");
}
