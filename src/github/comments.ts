/**
 * The requests behind the `/memlint` commands: commenters' repository permission and team
 * membership (each looked up at most once per run), reactions, and memlint's replies — in the
 * conversation (issue comments) or in a review thread (a reply to the thread's first comment).
 */
import type { Logger, ProbotOctokit } from "probot";
import type { Permission } from "../config/types.js";
import { statusOf } from "./errors.js";
import type { PullComment } from "../commands/comment.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

const PERMISSIONS: readonly string[] = ["read", "triage", "write", "maintain", "admin"];

/**
 * A user's permission on the repository: `role_name` when it is one of GitHub's five roles (it
 * tells maintain and triage apart), else the legacy `permission` (custom roles map to their base).
 * A user GitHub does not know is `none`.
 */
export async function repositoryPermission(octokit: ProbotOctokit, repo: RepoRef, login: string): Promise<Permission | "none"> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username: login });
    const role = (data as { role_name?: string }).role_name;
    if (role && PERMISSIONS.includes(role)) return role as Permission;
    return PERMISSIONS.includes(data.permission) ? (data.permission as Permission) : "none";
  } catch (err) {
    if (statusOf(err) === 404) return "none";
    throw err;
  }
}

/** Team slugs (`org/team`) among `teams` that `login` is an active member of. */
export async function activeTeams(octokit: ProbotOctokit, login: string, teams: readonly string[], log: Logger): Promise<string[]> {
  const member: string[] = [];
  for (const team of teams) {
    const m = /^@?([^/\s]+)\/([^/\s]+)$/.exec(team);
    if (!m) continue;
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org: m[1]!, team_slug: m[2]!, username: login });
      if (data.state === "active") member.push(`${m[1]}/${m[2]}`);
    } catch (err) {
      if (statusOf(err) !== 404) log.warn({ err }, `could not check membership of ${team}`);
    }
  }
  return member;
}

type CommentRef = Pick<PullComment, "kind" | "id">;

export async function addReaction(octokit: ProbotOctokit, repo: RepoRef, comment: CommentRef, content: "+1" | "confused"): Promise<void> {
  if (comment.kind === "issue") {
    await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: comment.id, content });
  } else {
    await octokit.rest.reactions.createForPullRequestReviewComment({ owner: repo.owner, repo: repo.repo, comment_id: comment.id, content });
  }
}

/** Removes memlint's own reaction of one kind from a comment (a changed verdict after an edit). */
export async function removeOwnReaction(
  octokit: ProbotOctokit,
  repo: RepoRef,
  comment: CommentRef,
  content: "+1" | "confused",
  botLogin: string,
): Promise<void> {
  const base = { owner: repo.owner, repo: repo.repo, comment_id: comment.id, content, per_page: 100 };
  const { data } =
    comment.kind === "issue"
      ? await octokit.rest.reactions.listForIssueComment(base)
      : await octokit.rest.reactions.listForPullRequestReviewComment(base);
  const own = data.find((r) => r.user?.login?.toLowerCase() === botLogin.toLowerCase());
  if (!own) return;
  if (comment.kind === "issue") {
    await octokit.rest.reactions.deleteForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: comment.id, reaction_id: own.id });
  } else {
    await octokit.rest.reactions.deleteForPullRequestComment({ owner: repo.owner, repo: repo.repo, comment_id: comment.id, reaction_id: own.id });
  }
}

/** Replies where the command was written: in the conversation, or in the command's review thread. */
export async function postReply(octokit: ProbotOctokit, repo: RepoRef, pullNumber: number, to: PullComment, body: string): Promise<void> {
  if (to.kind === "issue") {
    await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: pullNumber, body });
    return;
  }
  // Replies go to the thread's first comment (GitHub does not take replies to replies).
  await octokit.rest.pulls.createReplyForReviewComment({
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    comment_id: to.thread?.rootId ?? to.id,
    body,
  });
}

/** Edits one of memlint's own comments. */
export async function editComment(octokit: ProbotOctokit, repo: RepoRef, comment: CommentRef, body: string): Promise<void> {
  if (comment.kind === "issue") {
    await octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.repo, comment_id: comment.id, body });
  } else {
    await octokit.rest.pulls.updateReviewComment({ owner: repo.owner, repo: repo.repo, comment_id: comment.id, body });
  }
}

/** Writes a conversation comment; returns it as a {@link PullComment} of memlint's. */
export async function postIssueComment(octokit: ProbotOctokit, repo: RepoRef, pullNumber: number, body: string, botLogin: string): Promise<PullComment> {
  const { data } = await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: pullNumber, body });
  return {
    kind: "issue",
    id: data.id,
    ...(data.node_id ? { nodeId: data.node_id } : {}),
    body,
    author: botLogin.replace(/\[bot\]$/, ""),
    isBot: true,
    isOwn: true,
    createdAt: data.created_at ?? new Date().toISOString(),
    editedAt: null,
    ...(data.html_url ? { url: data.html_url } : {}),
  };
}
