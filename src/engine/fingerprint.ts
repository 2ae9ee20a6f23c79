/**
 * Fingerprints identify a finding across pushes, rebases and unrelated edits: rule, path,
 * enclosing declaration, the anchor's normalized text and its occurrence index — never a line.
 */
import { createHash } from "node:crypto";

export interface FingerprintInput {
  ruleId: string;
  path: string;
  declaration: string;
  anchorText: string;
}

export function normalizeAnchor(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Assigns occurrence indices in order of appearance and returns full fingerprints. */
export class Fingerprinter {
  private readonly seen = new Map<string, number>();

  next(input: FingerprintInput): string {
    const base = [input.ruleId, input.path, input.declaration, normalizeAnchor(input.anchorText)].join("\u0000");
    const occurrence = this.seen.get(base) ?? 0;
    this.seen.set(base, occurrence + 1);
    return createHash("sha256").update(`${base}\u0000${occurrence}`).digest("hex");
  }
}

/** The short id people type in `/memlint ignore <id>`. */
export function shortId(fingerprint: string): string {
  return fingerprint.slice(0, 8);
}
