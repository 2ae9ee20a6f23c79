/**
 * The report in every format `--format` asked for (see output.ts). The small formatters are
 * imported with the command; those that describe every rule (SARIF, Code Climate) load the
 * rules' metadata, and only when asked for.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { formatCheckstyle } from "./format/checkstyle.js";
import { formatGithub } from "./format/github.js";
import { formatJson } from "./format/json.js";
import { formatJunit } from "./format/junit.js";
import { formatText } from "./format/text.js";
import { CliError, useColor, type CliIO } from "./io.js";
import type { OutputSpec } from "./output.js";
import type { Format, Report } from "./report.js";

type Formatter = (report: Report) => string;

const FORMATTERS: Record<Format, () => Promise<Formatter>> = {
  text: async () => formatText,
  json: async () => formatJson,
  sarif: async () => (await import("./format/sarif.js")).formatSarif,
  github: async () => formatGithub,
  checkstyle: async () => formatCheckstyle,
  junit: async () => formatJunit,
  "code-climate": async () => (await import("./format/code-climate.js")).formatCodeClimate,
};

const loading = new Map<Format, Promise<Formatter>>();

/** A format's formatter, loaded once. */
function formatterOf(format: Format): Promise<Formatter> {
  let formatter = loading.get(format);
  if (!formatter) loading.set(format, (formatter = FORMATTERS[format]()));
  return formatter;
}

/**
 * Starts loading the formatters of `specs` while the analysis runs (a failure surfaces in
 * {@link writeOutputs}). Loaded only once the analysis is over, a formatter's module lets the event
 * loop turn, and V8 runs the collections it has pending then, on a heap the exit is about to free
 * whole (40 ms of a 1.2 s check of net/http).
 */
export function preloadFormatters(specs: readonly OutputSpec[]): void {
  for (const spec of specs) formatterOf(spec.format).catch(() => {});
}

/** Renders the report in every format asked for; colour only for text on a terminal. */
export async function writeOutputs(report: Report, specs: readonly OutputSpec[], io: CliIO, cwd: string): Promise<void> {
  for (const spec of specs) {
    const format = await formatterOf(spec.format);
    const text = format({ ...report, options: { ...report.options, color: spec.file === undefined && useColor(io) } });
    if (spec.file === undefined) {
      io.stdout.write(text);
      continue;
    }
    try {
      writeFileSync(resolve(cwd, spec.file), text);
    } catch (err) {
      throw new CliError(`cannot write ${spec.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
}
