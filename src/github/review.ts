/** The review that carries memlint's inline comments: one per run, never a fingerprint twice. */
import type { ProbotOctokit } from "probot";
import { commentRange, renderReviewComment } from "../comments/review-comment.js";
import type { Finding } from "../engine/types.js";
import { mayHaveLanded } from "./errors.js";

export interface ReviewTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
}

const sha7 = (sha: string) => sha.slice(0, 7);

/**
 * Posts one review with the inline comments. Creating a review is not idempotent, so Octokit
 * does not retry it: after a failure that may have landed (a 5xx, no answer), `posted()` reads
 * the fingerprints now on the pull request, and only the comments not there are sent again.
 */
export async function postReview(
  octokit: ProbotOctokit,
  target: ReviewTarget,
  findings: readonly Finding[],
  posted: () => Promise<Set<string>>,
): Promise<void> {
  try {
    await sendReview(octokit, target, findings);
  } catch (err) {
    if (!mayHaveLanded(err)) throw err;
    const have = await posted().catch(() => undefined);
    if (!have) throw err;
    const missing = findings.filter((f) => !have.has(f.fingerprint));
    if (missing.length > 0) await sendReview(octokit, target, missing);
  }
}

async function sendReview(octokit: ProbotOctokit, target: ReviewTarget, findings: readonly Finding[]): Promise<void> {
  const comments = findings.map((f) => {
    const range = commentRange(f);
    return {
      path: f.path,
      body: renderReviewComment(f),
      line: range.line,
      side: "RIGHT" as const,
      ...(range.start_line !== undefined ? { start_line: range.start_line, start_side: "RIGHT" as const } : {}),
    };
  });
  const n = comments.length;
  await octokit.rest.pulls.createReview({
    owner: target.owner,
    repo: target.repo,
    pull_number: target.pullNumber,
    commit_id: target.headSha,
    event: "COMMENT",
    body: `memlint found ${n} new memory-management ${n === 1 ? "issue" : "issues"} in \`${sha7(target.headSha)}\`. The \`memlint\` check run has the full report.`,
    comments,
    request: { retries: 0 },
  });
}
