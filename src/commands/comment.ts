/**
 * The comments `/memlint` commands live in: a pull request's comment as memlint sees it (from a
 * webhook or from the threads query), the comment event that started a run, and the commands that
 * can be answered at once, without an analysis.
 */
import { DEFAULT_CONFIG } from "../config/types.js";
import type { Answer, CommandRevision, Outcome } from "./ledger.js";
import { bodyHash, sourceKey } from "./markers.js";
import { type Command, parseComment } from "./parse.js";
import { renderAnswer, type RenderedAnswer } from "./reply.js";

/** A comment of a pull request, conversation (`issue`) or review thread (`review`). */
export interface PullComment {
  kind: "issue" | "review";
  /** REST id (`databaseId`). */
  id: number;
  nodeId?: string;
  body: string;
  /** Login; a bot's without `[bot]`. */
  author: string;
  isBot: boolean;
  /**
   * Written by memlint's own bot user and not edited by anyone else since (people with write
   * access can edit any comment, memlint's too): only such comments' hidden records are trusted.
   */
  isOwn: boolean;
  createdAt: string;
  /** When the body was last edited, if it was. */
  editedAt?: string | null;
  url?: string;
  /** Review comments: the thread, its first comment and, when that is memlint's, the finding's fingerprint. */
  thread?: { id: string; rootId: number; fingerprint?: string };
}


/** The comment event that started a run (merged into what GitHub lists, which may lag behind). */
export interface CommentTrigger {
  comment: PullComment;
  deleted: boolean;
}

/** memlint's own review thread, as far as folding a trigger into it needs. */
export interface OwnThread {
  commentId: number;
  threadId: string;
  fingerprint: string;
}

/** The listed comments with the triggering one folded in (added, updated, or removed when deleted). */
export function withTrigger(comments: readonly PullComment[], trigger: CommentTrigger | undefined, ownThreads: Iterable<OwnThread>): PullComment[] {
  if (!trigger) return [...comments];
  const t = trigger.comment;
  const same = (c: PullComment) => c.kind === t.kind && c.id === t.id;
  if (trigger.deleted) return comments.filter((c) => !same(c));
  const listed = comments.find(same);
  if (listed && listed.body === t.body) return [...comments];
  let thread = listed?.thread ?? t.thread;
  if (t.kind === "review") {
    const rootId = thread?.rootId ?? t.id;
    const sibling = comments.find((c) => c.kind === "review" && c.thread?.rootId === rootId)?.thread;
    const own = [...ownThreads].find((e) => e.commentId === rootId);
    thread = sibling ?? (own ? { id: own.threadId, rootId, fingerprint: own.fingerprint } : { id: thread?.id ?? "", rootId });
  }
  const merged: PullComment = { ...t, ...(listed?.url && !t.url ? { url: listed.url } : {}), ...(thread ? { thread } : {}) };
  return listed ? comments.map((c) => (same(c) ? merged : c)) : [...comments, merged];
}

/** The author of a webhook's comment. */
export interface CommentUser {
  login: string;
  type?: string;
}

/** The fields of a webhook's comment that memlint reads (issue and review comments). */
export interface CommentPayload {
  id: number;
  node_id?: string;
  body?: string | null;
  user?: CommentUser | null;
  created_at: string;
  updated_at?: string;
  html_url?: string;
  /** Review comments: the thread's first comment, for replies. */
  in_reply_to_id?: number;
}

export function isBotUser(user: CommentUser | null | undefined): boolean {
  if (!user?.login) return true;
  return user.type === "Bot" || /\[bot\]$/i.test(user.login);
}

/** The comment of a webhook as the ledger sees comments. */
export function commentFromPayload(comment: CommentPayload, kind: "issue" | "review"): PullComment {
  const edited = comment.updated_at && comment.updated_at !== comment.created_at ? comment.updated_at : null;
  return {
    kind,
    id: comment.id,
    ...(comment.node_id ? { nodeId: comment.node_id } : {}),
    body: comment.body ?? "",
    author: comment.user?.login ?? "",
    isBot: isBotUser(comment.user),
    isOwn: false,
    createdAt: comment.created_at,
    editedAt: edited,
    ...(comment.html_url ? { url: comment.html_url } : {}),
    ...(kind === "review" ? { thread: { id: "", rootId: comment.in_reply_to_id ?? comment.id } } : {}),
  };
}

/**
 * The answer to a new command comment that needs neither the configuration nor an analysis (help,
 * explain, and malformed commands whose error does not depend on the configuration — a reason that
 * is merely too short does: `ignore.min_reason_length`), or undefined when the comment needs a run.
 * `refusal` answers commands the commenter may not give at all (checked before any analysis).
 */
export function immediateAnswer(comment: PullComment, refusal?: (command: Command) => string | undefined): RenderedAnswer | undefined {
  const parse = { minReasonLength: DEFAULT_CONFIG.ignore.minReasonLength };
  const parsed = parseComment(comment.body, parse);
  const anyLength = parseComment(comment.body, { minReasonLength: 0 });
  if (parsed.length === 0 || parsed.length !== anyLength.length) return undefined;
  const outcomes: Outcome[] = [];
  for (const [i, p] of parsed.entries()) {
    const refused = p.ok ? refusal?.(p.command) : undefined;
    if (refused !== undefined && p.ok) outcomes.push({ status: "refused", text: p.text, name: p.command.name, why: refused });
    else if (p.ok && (p.command.name === "help" || p.command.name === "explain")) outcomes.push({ status: "info", text: p.text, command: p.command });
    else if (!p.ok && !anyLength[i]!.ok) outcomes.push({ status: "refused", text: p.text, ...(p.name ? { name: p.name } : {}), why: p.error });
    else return undefined;
  }
  const revision: CommandRevision = { comment, key: sourceKey(comment.kind, comment.id), hash: bodyHash(comment.body), time: Date.parse(comment.createdAt) || 0, commands: parsed };
  const answer: Answer = { revision, outcomes, before: "neutral" };
  return renderAnswer(answer, { conclusion: "", title: "", headSha: "" }, parse);
}
