/**
 * Thread lifecycle. A finding memlint commented on that is gone from a file analyzed in full (or
 * from a pull request whose file list no longer has the file) was fixed: the comment says so and
 * the thread is resolved — unless people replied in it, then it stays open for them. A finding
 * that comes back after being marked fixed gets its comment restored and its thread reopened.
 * Findings suppressed in code get their thread resolved without the "fixed" note. Threads
 * people resolved themselves are left alone. An ignored finding's comment says who ignored it and
 * why, and its thread is resolved (replies or not: the reply is usually the ignore itself); when
 * the ignore is taken back, the comment is restored and the thread reopened.
 */
import { isIgnoredComment, renderFixedNote, renderIgnoredComment, renderReviewComment } from "../comments/review-comment.js";
import type { IgnoredFinding } from "../comments/summary.js";
import type { ReviewResult } from "../engine/review.js";
import type { Finding } from "../engine/types.js";
import type { ChangeSet } from "../github/change-set.js";
import type { ExistingComment, ThreadChange, ThreadSnapshot } from "../github/threads.js";
import { ignoreNote } from "./messages.js";

export function planThreadChanges(
  snapshot: ThreadSnapshot,
  result: ReviewResult,
  changes: Pick<ChangeSet, "statusByPath" | "capped">,
  ignored: ReadonlyMap<string, IgnoredFinding>,
  headSha: string,
): ThreadChange[] {
  const present = new Map<string, Finding>();
  for (const f of [...result.introduced, ...result.preexisting]) present.set(f.fingerprint, f);
  const suppressed = new Set(result.suppressed.map((s) => s.finding.fingerprint));
  // Files whose findings are known completely: analyzed without a skipped declaration.
  const withNotes = new Set(result.notes.map((n) => n.path));
  const complete = new Set(result.files.map((f) => f.path).filter((p) => !withNotes.has(p)));
  const updates: ThreadChange[] = [];
  const isFixedNote = (c: ExistingComment) => renderFixedNote(c.body) === c.body;
  for (const c of snapshot.byFingerprint.values()) {
    const finding = present.get(c.fingerprint);
    const entry = ignored.get(c.fingerprint);
    if (finding && entry) {
      const body = renderIgnoredComment(finding, ignoreNote(entry));
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
    const status = changes.statusByPath.get(c.path);
    const known = complete.has(c.path) || status === "removed" || (status === undefined && !changes.capped);
    if (!known) continue;
    if (suppressed.has(c.fingerprint)) {
      if (!c.isResolved && !c.humanReplied) updates.push({ kind: "resolve", threadId: c.threadId, fingerprint: c.fingerprint });
      continue;
    }
    // (A note already there with the thread still open: an earlier resolve failed, retry it.)
    if (!isFixedNote(c)) updates.push({ kind: "edit", commentNodeId: c.commentNodeId, body: renderFixedNote(c.body, headSha), fingerprint: c.fingerprint });
    if (!c.isResolved && !c.humanReplied) updates.push({ kind: "resolve", threadId: c.threadId, fingerprint: c.fingerprint });
  }
  return updates;
}
