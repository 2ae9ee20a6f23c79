/**
 * Check-run annotations for findings outside the diff hunks (and those over `max_comments`).
 * Annotations are plain text — GitHub renders neither markdown nor mentions in them — so they
 * need no markdown escaping, only GitHub's size limits.
 */
import type { Finding, Severity } from "../engine/types.js";
import { ruleMeta } from "../rules/index.js";
import { truncate } from "./escape.js";
import { ruleDocsUrl } from "./docs.js";
import { SEVERITY_LABEL } from "./review-comment.js";

/** GitHub accepts at most 50 annotations per create/update request; they accumulate. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit for an annotation's title. */
export const MAX_ANNOTATION_TITLE = 255;
/** GitHub's limit for an annotation's message and raw_details (64 KB); kept well below. */
export const MAX_ANNOTATION_MESSAGE = 4_000;
export const MAX_ANNOTATION_DETAILS = 8_000;

export type AnnotationLevel = "notice" | "warning" | "failure";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  /** Only when start_line === end_line (GitHub ignores columns on multi-line annotations). */
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  title: string;
  message: string;
  raw_details?: string;
}

export const ANNOTATION_LEVEL: Record<Severity, AnnotationLevel> = { error: "failure", warning: "warning", info: "notice" };

/** Plain text of a rule message: strips nothing but the markdown backticks around code. */
function plain(text: string): string {
  return text.replace(/`([^`\n]+)`/g, "$1");
}

export function toAnnotation(finding: Finding): CheckAnnotation {
  const meta = ruleMeta(finding.ruleId);
  const line = Math.max(1, finding.line);
  const endLine = Math.max(line, finding.endLine || line);
  const annotation: CheckAnnotation = {
    path: finding.path,
    start_line: line,
    end_line: endLine,
    annotation_level: ANNOTATION_LEVEL[finding.severity],
    title: truncate(`${SEVERITY_LABEL[finding.severity]}: ${finding.title} (${finding.ruleId})`, MAX_ANNOTATION_TITLE),
    message: truncate(
      [plain(finding.message), meta ? `Fix: ${plain(meta.fix)}` : undefined].filter(Boolean).join("\n\n"),
      MAX_ANNOTATION_MESSAGE,
    ),
  };
  if (line === endLine && finding.column >= 1 && finding.endColumn >= finding.column) {
    annotation.start_column = finding.column;
    annotation.end_column = finding.endColumn;
  }
  const details = [
    meta ? plain(meta.rationale) : undefined,
    ...finding.related.map((r) => `Line ${r.line}: ${plain(r.message)}`),
    `Documentation: ${ruleDocsUrl(finding.ruleId)}`,
    `Finding id: ${finding.id} — to ignore it, comment \`/memlint ignore ${finding.id} -- <reason>\` on the pull request.`,
  ].filter((s): s is string => Boolean(s));
  annotation.raw_details = truncate(details.join("\n\n"), MAX_ANNOTATION_DETAILS);
  return annotation;
}

export function toAnnotations(findings: Finding[]): CheckAnnotation[] {
  return findings.map(toAnnotation);
}

/** Splits annotations into the batches of one create/update request each. */
export function batchAnnotations<T>(annotations: readonly T[], size: number = ANNOTATIONS_PER_REQUEST): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < annotations.length; i += size) batches.push(annotations.slice(i, i + size));
  return batches;
}
