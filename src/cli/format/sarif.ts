/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).
 * Every rule's documentation goes into `tool.driver.rules`; results carry `partialFingerprints`
 * (`memlint/v1`, the engine's line-independent fingerprint) so alerts follow code across edits,
 * and `suppressions` for findings silenced in source.
 */
import { pathToFileURL } from "node:url";
import type { Location, Log, Notification, ReportingDescriptor, Result } from "sarif";
import { docsBase, ruleDocsUrl } from "../../comments/docs.js";
import type { Finding, RuleMeta, Severity } from "../../engine/types.js";
import { ALL_RULE_METAS } from "../../rules/index.js";
import { toolVersion, type Report } from "../report.js";
import { contractCoverageJson } from "./json.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "memlint/v1";
const SRCROOT = "%SRCROOT%";

export function sarifLevel(s: Severity): Result.level {
  return s === "error" ? "error" : s === "warning" ? "warning" : "note";
}

/** `defer-in-loop` → `DeferInLoop`. */
function ruleName(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

export function ruleDescriptor(meta: RuleMeta): ReportingDescriptor {
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.rationale },
    help: {
      text: `${meta.rationale}\n\nFix: ${meta.fix}\n\nBad:\n${meta.bad}\n\nGood:\n${meta.good}`,
      markdown: `${meta.rationale}\n\n**Fix:** ${meta.fix}\n\n**Bad**\n\n\`\`\`go\n${meta.bad}\n\`\`\`\n\n**Good**\n\n\`\`\`go\n${meta.good}\n\`\`\``,
    },
    helpUri: ruleDocsUrl(meta.id),
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: { tags: ["memory", meta.category], category: meta.category, precision: "high" },
  };
}

/** URIs relative to %SRCROOT%, percent-encoded per segment; absolute paths (outside the root) as file URIs. */
function artifact(path: string): { uri: string; uriBaseId?: string } {
  if (path.startsWith("/")) return { uri: pathToFileURL(path).href };
  return { uri: path.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function location(f: Finding): Location {
  return {
    physicalLocation: {
      artifactLocation: artifact(f.path),
      region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
    },
  };
}

export function sarifLog(report: Report): Log {
  const { analysis, options } = report;
  const { result } = analysis;
  const metas = [...ALL_RULE_METAS];
  const ruleIndex = new Map(metas.map((m, i) => [m.id, i]));
  const isReview = analysis.command === "review";

  const toResult = (f: Finding, extra: Partial<Result> = {}): Result => {
    const r: Result = {
      ruleId: f.ruleId,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [location(f)],
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
      properties: { id: f.id, category: f.category, declaration: f.declaration },
      ...extra,
    };
    const index = ruleIndex.get(f.ruleId);
    if (index !== undefined) r.ruleIndex = index;
    if (f.related.length > 0) {
      r.relatedLocations = f.related.map((rel, i) => ({
        id: i + 1,
        message: { text: rel.message },
        physicalLocation: { artifactLocation: artifact(f.path), region: { startLine: rel.line } },
      }));
    }
    if (f.suggestion) {
      const { startLine, endLine, replacement } = f.suggestion;
      r.fixes = [
        {
          description: { text: "memlint's suggested change" },
          artifactChanges: [
            {
              artifactLocation: artifact(f.path),
              replacements: [{ deletedRegion: { startLine, endLine }, insertedContent: { text: `${replacement}\n` } }],
            },
          ],
        },
      ];
    }
    return r;
  };

  const results: Result[] = [
    ...result.introduced.map((f) => toResult(f, isReview ? { baselineState: "new" } : {})),
    ...(options.showPreexisting ? result.preexisting.map((f) => toResult(f, { baselineState: "unchanged" })) : []),
    ...result.suppressed.map((s) =>
      toResult(s.finding, { suppressions: [{ kind: "inSource", status: "accepted", justification: s.reason }] }),
    ),
  ];

  const notifications: Notification[] = [
    ...result.notes.map(
      (n): Notification => ({
        level: "warning",
        message: { text: n.message },
        locations: [{ physicalLocation: { artifactLocation: artifact(n.path), ...(n.line !== undefined ? { region: { startLine: n.line } } : {}) } }],
      }),
    ),
    ...result.skipped.map(
      (s): Notification => ({ level: "note", message: { text: `skipped: ${s.reason}` }, locations: [{ physicalLocation: { artifactLocation: artifact(s.path) } }] }),
    ),
  ];

  const coverage = contractCoverageJson(result.coverage);
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "memlint",
            version: toolVersion(),
            semanticVersion: toolVersion(),
            informationUri: docsBase(),
            rules: metas.map(ruleDescriptor),
          },
        },
        // Result URIs are relative to %SRCROOT%, left undefined: the log names no directory of the
        // machine it was made on, and its consumer (code scanning: the checkout) supplies the root.
        originalUriBaseIds: { [SRCROOT]: { description: { text: "The root of the repository memlint analyzed (for `check` outside a repository: the directory it ran in)." } } },
        invocations: [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
        columnKind: "utf16CodeUnits",
        results,
        ...(coverage ? { properties: { contractCoverage: coverage } } : {}),
      },
    ],
  };
}

export function formatSarif(report: Report): string {
  return `${JSON.stringify(sarifLog(report), null, 2)}\n`;
}
