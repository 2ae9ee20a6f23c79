/**
 * The report in every format `--format` asked for (see output.ts). The formatters are small and
 * imported with the command that writes; a formatter loaded only once the analysis was over let the
 * event loop turn, and V8 ran the collections it had pending then, on a heap the exit was about to
 * free whole (40 ms of a 1.2 s check of net/http).
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { formatCheckstyle } from "./format/checkstyle.js";
import { formatCodeClimate } from "./format/code-climate.js";
import { formatGithub } from "./format/github.js";
import { formatJson } from "./format/json.js";
import { formatJunit } from "./format/junit.js";
import { formatSarif } from "./format/sarif.js";
import { formatText } from "./format/text.js";
import { CliError, useColor, type CliIO } from "./io.js";
import type { OutputSpec } from "./output.js";
import type { Format, Report } from "./report.js";

const FORMATTERS: Record<Format, (report: Report) => string> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  checkstyle: formatCheckstyle,
  junit: formatJunit,
  "code-climate": formatCodeClimate,
};

/** Renders the report in every format asked for; colour only for text on a terminal. */
export function writeOutputs(report: Report, specs: readonly OutputSpec[], io: CliIO, cwd: string): void {
  for (const spec of specs) {
    const format = FORMATTERS[spec.format];
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
