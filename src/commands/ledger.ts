/**
 * The ignore ledger of a pull request: which of the current findings are ignored, by whom and why,
 * rebuilt on every run from the pull request's comments — no database. Pure: the caller reads the
 * comments and the commenters' permissions from GitHub and passes them in.
 *
 * Replay. The events are the `/memlint` commands in people's comments (conversation and review
 * threads; bots are never commands) and the waiver records memlint wrote for the "Waive" button,
 * in the order of when their current text was written (an edited comment counts from its last
 * edit). Later events override earlier ones: an `ignore` sets who/why/category of the findings it
 * covers, an `unignore` removes the ignores made before it.
 *
 * What an ignore covers:
 * - a finding id (or a reply in a memlint thread): that finding, by fingerprint — also when it
 *   comes back after a push, because fingerprints survive pushes and unrelated edits;
 * - a rule id or `all`: the findings that existed when the command was accepted. memlint records
 *   their ids in its answer to the command (see `markers.ts`), so a finding a later push adds is
 *   not covered and blocks as it should.
 *
 * Answers. A command comment whose current text memlint has not answered yet ("fresh": no answer,
 * or an answer to an earlier text) is evaluated strictly — unknown ids, ambiguous ids, nothing to
 * ignore, missing permission are refusals — and gets an {@link Answer}. A refusal is final for
 * that text: nothing changes, also not later. A command memlint accepted is applied again on
 * every run, with the commenter's current permission (who lost the right to waive loses their
 * ignores: fail closed); accepted unignores are never re-checked (they only make the check
 * stricter).
 */
import { type Conclusion, mayWaive } from "../config/policy.js";
import type { EnvironmentPolicy, Permission } from "../config/types.js";
import type { IgnoredFinding } from "../comments/summary.js";
import type { Finding } from "../engine/types.js";
import type { PullComment } from "./comment.js";
import { type AckRecord, bodyHash, parseAckMarker, parseWaiverMarker, sourceKey, type WaiverRecord } from "./markers.js";
import { type Command, type CommandName, type CommandTarget, hasCommand, type ParsedCommand, parseComment, type ParseOptions } from "./parse.js";

export interface Ack {
  comment: PullComment;
  record: AckRecord;
}

/** The current text of a comment that holds commands. */
export interface CommandRevision {
  comment: PullComment;
  /** `issue:<id>` / `review:<id>`. */
  key: string;
  hash: string;
  /** When this text was written (ms). */
  time: number;
  commands: ParsedCommand[];
  /** memlint's latest answer to this comment (to this text or an earlier one). */
  ack?: Ack;
}

export interface WaiverEvent {
  comment: PullComment;
  record: WaiverRecord;
  time: number;
}

/** memlint's answer to a command whose comment was deleted or no longer holds a command. */
export interface Orphan {
  ack: Ack;
  why: "edited" | "deleted";
}

export interface CollectedEvents {
  revisions: CommandRevision[];
  waivers: WaiverEvent[];
  orphans: Orphan[];
}

function timeOf(comment: PullComment): number {
  const t = Date.parse(comment.editedAt || comment.createdAt);
  return Number.isNaN(t) ? 0 : t;
}

/** The ISO time of a comment's current text. */
export function writtenAt(comment: PullComment): string {
  return comment.editedAt || comment.createdAt;
}

/** Whether an answer changed what is ignored (an accepted ignore or unignore). */
export function ackHadEffect(record: AckRecord): boolean {
  return record.c.some((c) => (c.n === "ignore" || c.n === "unignore") && c.s === "ok");
}

export function collectEvents(comments: readonly PullComment[], options: ParseOptions): CollectedEvents {
  const acks = new Map<string, Ack>();
  const waivers: WaiverEvent[] = [];
  const revisions: CommandRevision[] = [];
  const people = new Set<string>();
  for (const comment of comments) {
    if (comment.isOwn) {
      const record = parseAckMarker(comment.body);
      if (record) {
        const seen = acks.get(record.src);
        // Several answers to one comment (a race between two instances): the newest counts.
        if (!seen || Date.parse(comment.createdAt) > Date.parse(seen.comment.createdAt) || (comment.createdAt === seen.comment.createdAt && comment.id > seen.comment.id)) {
          acks.set(record.src, { comment, record });
        }
        continue;
      }
      const waiver = comment.kind === "issue" ? parseWaiverMarker(comment.body) : undefined;
      if (waiver) waivers.push({ comment, record: waiver, time: Date.parse(waiver.at) || timeOf(comment) });
      continue;
    }
    if (comment.isBot || !comment.author) continue;
    const key = sourceKey(comment.kind, comment.id);
    people.add(key);
    if (!hasCommand(comment.body)) continue;
    revisions.push({ comment, key, hash: bodyHash(comment.body), time: timeOf(comment), commands: parseComment(comment.body, options) });
  }
  const withCommands = new Set(revisions.map((r) => r.key));
  for (const r of revisions) {
    const ack = acks.get(r.key);
    if (ack) r.ack = ack;
  }
  const orphans: Orphan[] = [];
  for (const [src, ack] of acks) {
    if (withCommands.has(src) || ack.record.w || !ackHadEffect(ack.record)) continue;
    orphans.push({ ack, why: people.has(src) ? "edited" : "deleted" });
  }
  const byTime = <T extends { time: number; comment: PullComment }>(a: T, b: T) => a.time - b.time || a.comment.id - b.comment.id;
  revisions.sort(byTime);
  waivers.sort(byTime);
  return { revisions, waivers, orphans };
}

/** Whether memlint already answered this text of the comment. */
export function isFresh(revision: CommandRevision): boolean {
  return !revision.ack || revision.ack.record.h !== revision.hash;
}

/**
 * The commenters whose repository permission the replay needs (lowercase logins). Where the
 * environment allows no waivers at all, ignores are refused without asking.
 */
export function loginsToCheck(events: CollectedEvents, author: string | undefined, environment?: EnvironmentPolicy): string[] {
  const logins = new Set<string>();
  const isAuthor = (login: string) => author !== undefined && login.toLowerCase() === author.toLowerCase();
  const waivable = environment?.waivers.allowed !== false;
  for (const r of events.revisions) {
    const fresh = isFresh(r);
    const login = r.comment.author.toLowerCase();
    r.commands.forEach((p, i) => {
      if (!p.ok) return;
      const name = p.command.name;
      const acked = r.ack?.record.c[i]?.s;
      if (name === "ignore" && waivable && (fresh || acked === "ok")) logins.add(login);
      else if (name === "unignore" && waivable && fresh && !isAuthor(login)) logins.add(login);
      else if (name === "recheck" && fresh && !isAuthor(login)) logins.add(login);
    });
  }
  return [...logins];
}

/** Waiver records whose approver must be looked up in teams: `[login, "org/team"]` pairs. */
export function teamChecks(events: CollectedEvents, environment: EnvironmentPolicy): [string, string][] {
  const approvers = environment.waivers.approvers.map((a) => a.replace(/^@/, "").toLowerCase());
  const teams = approvers.filter((a) => a.includes("/"));
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  for (const w of events.waivers) {
    const login = w.record.by.toLowerCase();
    if (approvers.includes(login) || seen.has(login)) continue;
    seen.add(login);
    for (const team of teams) pairs.push([login, team]);
  }
  return pairs;
}

// ---------------------------------------------------------------------------------------------
// Replay

export interface ReplayContext {
  /** The findings this pull request introduces at the head (the ones that can block). */
  findings: readonly Finding[];
  preexisting: readonly Finding[];
  /** Findings suppressed in code (`//memlint:ignore`). */
  suppressed: readonly Finding[];
  environment: EnvironmentPolicy;
  /** The pull request's author. */
  author?: string;
  /** Repository permission by lowercase login (missing: none). */
  permissions: ReadonlyMap<string, Permission | "none">;
  /**
   * Lowercase logins whose permission could not be read in this run: their ignores do not apply
   * (fail closed) and their new commands are left unanswered until a run can read it.
   */
  unavailable?: ReadonlySet<string>;
  /** Approver teams (`org/team`) by lowercase login. */
  teams?: ReadonlyMap<string, readonly string[]>;
  /** The conclusion with these findings active (the environment's decision). */
  conclusionOf(active: readonly Finding[]): Conclusion;
  headSha?: string;
}

export type Outcome =
  | {
      status: "accepted";
      text: string;
      command: Extract<Command, { name: "ignore" | "unignore" }>;
      /** The findings ignored (or taken back). */
      changed: Finding[];
      /** Of those, the ones that were already ignored (an ignore that updates the reason). */
      already: Finding[];
      /** For `ignore <rule-id>` / `ignore all`: the ids recorded as covered. */
      ids?: string[];
    }
  | { status: "info"; text: string; command: Extract<Command, { name: "recheck" | "explain" | "help" }> }
  | { status: "refused"; text: string; name?: CommandName; why: string };

export interface Answer {
  revision: CommandRevision;
  /** One per parsed command, in order. */
  outcomes: Outcome[];
  /** The conclusion before this comment's commands took effect. */
  before: Conclusion;
}

export interface LedgerResult {
  /** The ignored findings among the current ones, in the order of `findings`. */
  ignored: IgnoredFinding[];
  /** Comments memlint has to answer (new or edited commands), oldest first. */
  answers: Answer[];
  /** memlint's answers to commands that were deleted or edited away. */
  orphans: Orphan[];
  /** Accepted ignores that no longer apply, and why (markdown-safe sentences). */
  lapsed: { by: string; why: string; key: string }[];
}

const PERMISSION_ORDER: readonly (Permission | "none")[] = ["none", "read", "triage", "write", "maintain", "admin"];

function rank(p: Permission | "none"): number {
  return PERMISSION_ORDER.indexOf(p);
}

interface Verdict {
  allowed: boolean;
  why: string;
}

/** Why `login` may not ask for a recheck, or undefined when they may. */
export function recheckRefusal(login: string, isAuthor: boolean, permission: Permission | "none"): string | undefined {
  if (isAuthor || rank(permission) >= rank("write")) return undefined;
  return `re-checking needs write permission or being the pull request's author (@${login} has ${permission})`;
}

/**
 * Whether `login` may press the "Waive" button (or whether a recorded press still holds): the
 * button is for the environment's approvers, so repository permission alone does not count.
 */
export function authorizeWaiveButton(environment: EnvironmentPolicy, login: string, author: string | undefined, teams: readonly string[]): { allowed: boolean; reason: string } {
  const isAuthor = author !== undefined && login.toLowerCase() === author.toLowerCase();
  return mayWaive(environment, { login, permission: "none", isAuthor, teams });
}

/** Whether `login` may give this command now. */
export function authorize(name: "ignore" | "unignore" | "recheck", login: string, ctx: ReplayContext): Verdict {
  const env = ctx.environment;
  const isAuthor = ctx.author !== undefined && login.toLowerCase() === ctx.author.toLowerCase();
  const permission = ctx.permissions.get(login.toLowerCase()) ?? "none";
  if (name === "recheck") {
    const why = recheckRefusal(login, isAuthor, permission);
    return why === undefined ? { allowed: true, why: "" } : { allowed: false, why };
  }
  // Taking an ignore back only makes the check stricter: the author may always.
  if (name === "unignore" && isAuthor) return { allowed: true, why: "" };
  const verdict = mayWaive(env, { login, permission, isAuthor, teams: ctx.teams?.get(login.toLowerCase()) ?? [] });
  if (verdict.allowed) return { allowed: true, why: verdict.reason };
  const w = env.waivers;
  if (!w.allowed) return { allowed: false, why: `\`${env.name}\` forbids waivers: findings cannot be ignored there, only fixed` };
  if (isAuthor && !w.authorMayWaive) {
    return { allowed: false, why: `the pull request's author cannot ignore its findings in \`${env.name}\`; someone else with ${w.minPermission} permission can` };
  }
  return { allowed: false, why: `ignoring findings in \`${env.name}\` needs ${w.minPermission} permission or being a listed approver, and @${login} has ${permission}` };
}

const sha7 = (sha: string | undefined) => (sha ? ` at \`${sha.slice(0, 7)}\`` : "");

/** The findings a target names among the current ones, or why none (for fresh commands). */
function resolveTarget(
  target: CommandTarget,
  comment: PullComment,
  ctx: ReplayContext,
  options: { fresh: boolean; recorded?: string[] | undefined; unignore: boolean },
): { matched: Finding[] } | { error: string } {
  const { findings } = ctx;
  switch (target.kind) {
    case "thread": {
      const fingerprint = comment.kind === "review" && comment.thread && comment.thread.rootId !== comment.id ? comment.thread.fingerprint : undefined;
      if (!fingerprint) {
        const where =
          comment.kind === "issue"
            ? "in the conversation, name the finding: `/memlint ignore <finding-id> -- <reason>` (the ids are in the check summary), or reply to memlint's inline comment"
            : "this thread is not one of memlint's: reply to a memlint comment, or name the finding (`/memlint ignore <finding-id> -- <reason>`)";
        return { error: `which finding? ${where}` };
      }
      const matched = findings.filter((f) => f.fingerprint === fingerprint);
      if (matched.length === 0 && options.fresh) {
        return { error: `memlint no longer reports the finding of this thread${sha7(ctx.headSha)} (it was fixed, suppressed in code, or its code left the pull request), so there is nothing to ${options.unignore ? "take back" : "ignore"}` };
      }
      return { matched };
    }
    case "finding": {
      const matched = findings.filter((f) => f.fingerprint.startsWith(target.id));
      if (!options.fresh) return { matched };
      if (matched.length > 1) {
        const ids = matched.slice(0, 5).map((f) => `\`${f.id}\``).join(", ");
        return { error: `\`${target.id}\` matches ${matched.length} findings (${ids}${matched.length > 5 ? ", …" : ""}); give the whole id` };
      }
      if (matched.length === 0) {
        if (ctx.preexisting.some((f) => f.fingerprint.startsWith(target.id))) {
          return { error: `\`${target.id}\` is a pre-existing finding (the code had it before this pull request); it is listed for information and never blocks, so there is nothing to ${options.unignore ? "take back" : "ignore"}` };
        }
        if (ctx.suppressed.some((f) => f.fingerprint.startsWith(target.id))) {
          return { error: `\`${target.id}\` is already suppressed in the code with \`//memlint:ignore\`` };
        }
        return { error: `this pull request has no finding with id \`${target.id}\`${sha7(ctx.headSha)}; the ids are in the check run's summary and in each memlint comment` };
      }
      return { matched };
    }
    case "rule": {
      const ofRule = findings.filter((f) => f.ruleId === target.ruleId);
      const matched = options.unignore || !options.recorded ? ofRule : ofRule.filter((f) => options.recorded!.includes(f.id));
      if (options.fresh && ofRule.length === 0) {
        const pre = ctx.preexisting.some((f) => f.ruleId === target.ruleId) ? " (only pre-existing ones, which never block)" : "";
        return { error: `this pull request has no findings of \`${target.ruleId}\`${sha7(ctx.headSha)}${pre}` };
      }
      return { matched };
    }
    case "all": {
      const matched = options.unignore || !options.recorded ? [...findings] : findings.filter((f) => options.recorded!.includes(f.id));
      if (options.fresh && findings.length === 0) return { error: `this pull request has no findings${sha7(ctx.headSha)}, so there is nothing to ${options.unignore ? "take back" : "ignore"}` };
      return { matched };
    }
  }
}

export function replay(events: CollectedEvents, ctx: ReplayContext): LedgerResult {
  const state = new Map<string, IgnoredFinding>();
  const answers: Answer[] = [];
  const lapsed: LedgerResult["lapsed"] = [];
  const active = () => ctx.findings.filter((f) => !state.has(f.fingerprint));

  type Event = { time: number; id: number; revision?: CommandRevision; waiver?: WaiverEvent };
  const timeline: Event[] = [
    ...events.revisions.map((r) => ({ time: r.time, id: r.comment.id, revision: r })),
    ...events.waivers.map((w) => ({ time: w.time, id: w.comment.id, waiver: w })),
  ].sort((a, b) => a.time - b.time || a.id - b.id);

  for (const event of timeline) {
    if (event.waiver) {
      const { record, comment } = event.waiver;
      const verdict = authorizeWaiveButton(ctx.environment, record.by, ctx.author, ctx.teams?.get(record.by.toLowerCase()) ?? []);
      if (!verdict.allowed) {
        lapsed.push({ by: record.by, why: verdict.reason, key: sourceKey(comment.kind, comment.id) });
        continue;
      }
      const ids = new Set(record.p);
      for (const f of ctx.findings) {
        if (!ids.has(f.id)) continue;
        state.set(f.fingerprint, {
          finding: f,
          by: record.by,
          at: record.at,
          category: "waiver",
          reason: `waived in ${record.env || ctx.environment.name} with the check run's “Waive” button`,
          via: "waive-button",
          ...(comment.url ? { link: comment.url } : {}),
        });
      }
      continue;
    }
    const revision = event.revision!;
    const fresh = isFresh(revision);
    const login = revision.comment.author;
    if (ctx.unavailable?.has(login.toLowerCase())) {
      const needs = revision.commands.some((p, i) => p.ok && (p.command.name === "ignore" || ((p.command.name === "unignore" || p.command.name === "recheck") && fresh)) && (fresh || revision.ack?.record.c[i]?.s === "ok"));
      if (needs) {
        if (!fresh) lapsed.push({ by: login, why: `memlint could not read the permission of @${login} in this run`, key: revision.key });
        continue;
      }
    }
    const before = fresh ? ctx.conclusionOf(active()) : "success";
    const outcomes: Outcome[] = [];
    revision.commands.forEach((parsed, i) => {
      if (!parsed.ok) {
        if (fresh) outcomes.push({ status: "refused", text: parsed.text, ...(parsed.name ? { name: parsed.name } : {}), why: parsed.error });
        return;
      }
      const command = parsed.command;
      const recorded = fresh ? undefined : revision.ack!.record.c[i];
      if (!fresh && (!recorded || recorded.s === "no" || recorded.n !== command.name)) return;
      const refuse = (why: string) => outcomes.push({ status: "refused", text: parsed.text, name: command.name, why });

      if (command.name === "help" || command.name === "explain") {
        if (fresh) outcomes.push({ status: "info", text: parsed.text, command });
        return;
      }
      if (command.name === "recheck") {
        if (!fresh) return;
        const verdict = authorize("recheck", login, ctx);
        if (!verdict.allowed) refuse(verdict.why);
        else outcomes.push({ status: "info", text: parsed.text, command });
        return;
      }
      const unignore = command.name === "unignore";
      // Accepted unignores stay accepted; ignores need the right to waive now, too.
      if (fresh || !unignore) {
        const verdict = authorize(command.name, login, ctx);
        if (!verdict.allowed) {
          if (fresh) refuse(verdict.why);
          else lapsed.push({ by: login, why: verdict.why, key: revision.key });
          return;
        }
      }
      const resolved = resolveTarget(command.target, revision.comment, ctx, { fresh, recorded: recorded?.p, unignore });
      if ("error" in resolved) {
        refuse(resolved.error);
        return;
      }
      if (unignore) {
        const taken = resolved.matched.filter((f) => state.has(f.fingerprint));
        if (fresh && taken.length === 0) {
          refuse(`${resolved.matched.length === 1 ? `\`${resolved.matched[0]!.id}\` is` : "those findings are"} not ignored, so there is nothing to take back`);
          return;
        }
        for (const f of taken) state.delete(f.fingerprint);
        if (fresh) outcomes.push({ status: "accepted", text: parsed.text, command, changed: taken, already: [] });
        return;
      }
      const already = resolved.matched.filter((f) => state.has(f.fingerprint));
      for (const f of resolved.matched) {
        state.set(f.fingerprint, {
          finding: f,
          by: login,
          at: writtenAt(revision.comment),
          category: command.category,
          reason: command.reason,
          via: "comment",
          ...(revision.comment.url ? { link: revision.comment.url } : {}),
        });
      }
      if (fresh) {
        const covers = command.target.kind === "rule" || command.target.kind === "all";
        outcomes.push({
          status: "accepted",
          text: parsed.text,
          command,
          changed: resolved.matched,
          already,
          ...(covers ? { ids: resolved.matched.map((f) => f.id) } : {}),
        });
      }
    });
    if (fresh) answers.push({ revision, outcomes, before });
  }

  const ignored = ctx.findings.flatMap((f) => {
    const entry = state.get(f.fingerprint);
    return entry ? [entry] : [];
  });
  return { ignored, answers, orphans: events.orphans, lapsed };
}
