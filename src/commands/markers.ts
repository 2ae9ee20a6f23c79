/**
 * The hidden records memlint keeps in its own pull-request comments, so that the ignores of a pull
 * request can be rebuilt from GitHub alone (no database):
 *
 * - **Answer** (`<!-- memlint:ack {…} -->`): the first line of memlint's reply to a command comment.
 *   It names the comment (`issue:<id>` or `review:<id>`) and the revision it answered (a hash of
 *   the body), the result of each command, and — for `ignore <rule-id>` / `ignore all` — the ids of
 *   the findings that existed when the command was accepted (what it covers from then on).
 * - **Waiver** (`<!-- memlint:waiver {…} -->`): the first line of the comment memlint writes when
 *   an approver presses the check run's "Waive" button: who, when, where, which findings.
 *
 * Only the first line of a comment is read, and only comments written by memlint's own bot user
 * count (the caller checks the author), so neither can be forged by quoting.
 */
import { createHash } from "node:crypto";

export type AckStatus = "ok" | "no" | "info";

export interface AckCommand {
  /** The command's name (`?` when it could not be parsed). */
  n: string;
  s: AckStatus;
  /** Finding ids covered by an accepted `ignore <rule-id>` or `ignore all`. */
  p?: string[];
}

export interface AckRecord {
  v: 1;
  /** The command comment: `issue:<id>` or `review:<id>`. */
  src: string;
  /** Hash of the body this answered ("" once the comment is gone). */
  h: string;
  /** The reaction memlint put on the command comment. */
  r: "+1" | "confused" | "";
  c: AckCommand[];
  /** The effect was withdrawn because the command was edited away or deleted. */
  w?: "edited" | "deleted";
}

export interface WaiverRecord {
  v: 1;
  by: string;
  at: string;
  env: string;
  /** Ids of the waived findings. */
  p: string[];
}

const ACK_LINE = /^<!-- memlint:ack (\{.*\}) -->$/;
const WAIVER_LINE = /^<!-- memlint:waiver (\{.*\}) -->$/;
const SOURCE = /^(issue|review):[1-9][0-9]{0,15}$/;
const ID = /^[0-9a-f]{6,64}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
/** Most finding ids kept in one record (keeps the comment far below GitHub's 65,536 characters). */
export const MAX_RECORD_IDS = 4000;

/** The revision of a command comment: a short hash of its body. */
export function bodyHash(body: string): string {
  return createHash("sha256").update(body.replace(/\r\n?/g, "\n").trim()).digest("hex").slice(0, 16);
}

export function sourceKey(kind: "issue" | "review", id: number): string {
  return `${kind}:${id}`;
}

function firstLine(body: string): string {
  const end = body.search(/\r?\n/);
  return end === -1 ? body : body.slice(0, end);
}

function json(value: unknown): string {
  // JSON of ids, hashes, logins and dates cannot contain `-->`; make sure anyway.
  return JSON.stringify(value).replace(/-->/g, "--\\u003e").replace(/</g, "\\u003c");
}

export function ackMarker(record: AckRecord): string {
  return `<!-- memlint:ack ${json(record)} -->`;
}

export function waiverMarker(record: WaiverRecord): string {
  return `<!-- memlint:waiver ${json(record)} -->`;
}

function ids(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === "string" && ID.test(v)).slice(0, MAX_RECORD_IDS);
}

export function parseAckMarker(body: string): AckRecord | undefined {
  const m = ACK_LINE.exec(firstLine(body));
  if (!m) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(m[1]!) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (raw?.v !== 1 || typeof raw.src !== "string" || !SOURCE.test(raw.src) || typeof raw.h !== "string" || !/^[0-9a-f]{0,64}$/.test(raw.h)) return undefined;
  const c = Array.isArray(raw.c)
    ? raw.c.flatMap((x: unknown): AckCommand[] => {
        const o = x as Record<string, unknown> | null;
        if (!o || typeof o.n !== "string" || !(o.s === "ok" || o.s === "no" || o.s === "info")) return [];
        const p = ids(o.p);
        return [{ n: o.n.slice(0, 20), s: o.s, ...(p ? { p } : {}) }];
      })
    : [];
  const r = raw.r === "+1" || raw.r === "confused" ? raw.r : "";
  const w = raw.w === "edited" || raw.w === "deleted" ? raw.w : undefined;
  return { v: 1, src: raw.src, h: raw.h, r, c, ...(w ? { w } : {}) };
}

export function parseWaiverMarker(body: string): WaiverRecord | undefined {
  const m = WAIVER_LINE.exec(firstLine(body));
  if (!m) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(m[1]!) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (raw?.v !== 1 || typeof raw.by !== "string" || !LOGIN.test(raw.by) || typeof raw.at !== "string" || Number.isNaN(Date.parse(raw.at))) return undefined;
  const p = ids(raw.p) ?? [];
  const env = typeof raw.env === "string" ? raw.env.slice(0, 100) : "";
  return { v: 1, by: raw.by, at: raw.at, env, p };
}
