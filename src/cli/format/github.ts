/**
 * `--format github`: GitHub Actions workflow commands, which become annotations on the pull
 * request (`::error file=…,line=…::message`). Paths are relative to the repository root, which
 * is the workspace in a checkout.
 */
import type { Finding, Severity } from "../../engine/types.js";
import { type Report } from "../report.js";
import { coverageLines, summary } from "./text.js";

/** Escaping of a command's message (GitHub's `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping of a property value (GitHub's `escapeProperty`): also `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function workflowCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${command}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

function commandFor(s: Severity): "error" | "warning" | "notice" {
  return s === "error" ? "error" : s === "warning" ? "warning" : "notice";
}

/** The workflow command that annotates a finding (`::error file=…::…`), at its severity unless told otherwise. */
export function annotation(f: Finding, command: string = commandFor(f.severity), titleSuffix = ""): string {
  const details = [
    f.message,
    ...f.related.map((r) => `line ${r.line}: ${r.message}`),
    ...(f.suggestion ? [`suggestion (lines ${f.suggestion.startLine}–${f.suggestion.endLine}):\n${f.suggestion.replacement}`] : []),
  ];
  return workflowCommand(
    command,
    {
      file: f.path,
      line: f.line,
      col: f.column,
      endLine: f.endLine,
      endColumn: f.endLine === f.line ? f.endColumn : undefined,
      title: `memlint ${f.ruleId}: ${f.title}${titleSuffix}`,
    },
    details.join("\n"),
  );
}

export function formatGithub(report: Report): string {
  const { result } = report.analysis;
  const lines = result.introduced.map((f) => annotation(f, commandFor(f.severity)));
  if (report.options.showPreexisting) lines.push(...result.preexisting.map((f) => annotation(f, "notice", " (pre-existing, not counted)")));
  for (const n of result.notes) lines.push(workflowCommand("notice", { file: n.path, line: n.line, title: "memlint" }, n.message));
  lines.push(...coverageLines(report), summary(report));
  return `${lines.join("\n")}\n`;
}
