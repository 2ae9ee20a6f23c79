/**
 * Thread lifecycle, decided without a request (the App and the Action apply the result with
 * `applyThreadChanges`). A finding memlint commented on that is gone from a file analyzed in full
 * (or from a pull request whose file list no longer has the file) was fixed: the comment says so
 * and the thread is resolved — unless people replied in it, then it stays open for them. A
 * finding that comes back after being marked fixed gets its comment restored and its thread
 * reopened. Findings suppressed in code get their thread resolved without the "fixed" note.
 * Threads people resolved themselves are left alone. An ignored finding's comment says who ignored
 * it and why, and its thread is resolved (replies or not: the reply is usually the ignore itself);
 * when the ignore is taken back, the comment is restored and the thread reopened.
 */
import { type IgnoreNote, isIgnoredComment, renderFixedNote, renderIgnoredComment, renderReviewComment } from "../comments/review-comment.js";
import type { ReviewResult } from "../engine/review.js";
import type { Finding } from "../engine/types.js";
import type { ExistingComment, ThreadChange } from "./threads.js";

export interface ThreadPlanInput {
  /** memlint's threads on the pull request (one per fingerprint). */
  existing: Iterable<ExistingComment>;
  result: ReviewResult;
  /** The status of each file of the pull request's file list. */
  statusByPath: ReadonlyMap<string, string>;
  /** Whether that list was capped by GitHub (a file missing from it may still be changed). */
  capped: boolean;
  /** Ignored findings by fingerprint, with what their comment says about the ignore. */
  ignored: ReadonlyMap<string, IgnoreNote>;
  /** The head commit the fixed notes name. */
  headSha: string;
}

export function planThreadChanges(input: ThreadPlanInput): ThreadChange[] {
  const { result } = input;
  const present = new Map<string, Finding>();
  for (const f of [...result.introduced, ...result.preexisting]) present.set(f.fingerprint, f);
  const suppressed = new Set(result.suppressed.map((s) => s.finding.fingerprint));
  // Files whose findings are known completely: analyzed without a skipped declaration.
  const withNotes = new Set(result.notes.map((n) => n.path));
  const complete = new Set(result.files.map((f) => f.path).filter((p) => !withNotes.has(p)));
  const updates: ThreadChange[] = [];
  const isFixedNote = (c: ExistingComment) => renderFixedNote(c.body) === c.body;
  for (const c of input.existing) {
    const finding = present.get(c.fingerprint);
    const note = input.ignored.get(c.fingerprint);
    if (finding && note) {
      const body = renderIgnoredComment(finding, note);
      if (c.body !== body) updates.push({ kind: "edit", commentNodeId: c.commentNodeId, body, fingerprint: c.fingerprint });
      if (!c.isResolved) updates.push({ kind: "resolve", threadId: c.threadId, fingerprint: c.fingerprint });
      continue;
    }
    if (finding) {
      if (!isFixedNote(c) && !isIgnoredComment(c.body)) continue;
      // It came back (or its ignore was taken back): restore the comment (without a suggestion,
      // which would apply to the lines the comment was first posted on) and reopen the thread.
      const { suggestion: _s, ...plain } = finding;
      updates.push({ kind: "edit", commentNodeId: c.commentNodeId, body: renderReviewComment(plain), fingerprint: c.fingerprint });
      if (c.isResolved) updates.push({ kind: "unresolve", threadId: c.threadId, fingerprint: c.fingerprint });
      continue;
    }
    // Known to be gone: the file was analyzed in full, deleted, or is no longer part of the pull request.
    const status = input.statusByPath.get(c.path);
    const known = complete.has(c.path) || status === "removed" || (status === undefined && !input.capped);
    if (!known) continue;
    if (suppressed.has(c.fingerprint)) {
      if (!c.isResolved && !c.humanReplied) updates.push({ kind: "resolve", threadId: c.threadId, fingerprint: c.fingerprint });
      continue;
    }
    // (A note already there with the thread still open: an earlier resolve failed, retry it.)
    if (!isFixedNote(c)) updates.push({ kind: "edit", commentNodeId: c.commentNodeId, body: renderFixedNote(c.body, input.headSha), fingerprint: c.fingerprint });
    if (!c.isResolved && !c.humanReplied) updates.push({ kind: "resolve", threadId: c.threadId, fingerprint: c.fingerprint });
  }
  return updates;
}
