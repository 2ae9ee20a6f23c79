/**
 * `--format <format>[=<file>]`, repeatable: each format to standard output or to its file
 * (`--format sarif=memlint.sarif --format text`). At most one format goes to standard output;
 * without `--format`, text does. Formatters are loaded only when asked for.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { closestMatch } from "../config/closest.js";
import { CliError, useColor, type CliIO } from "./io.js";
import { FORMATS, type Format, type Report } from "./report.js";

export interface OutputSpec {
  format: Format;
  /** Where the output goes, as given (relative to the directory memlint runs in); undefined: standard output. */
  file?: string;
}

type Formatter = (report: Report) => string;

const FORMATTERS: Record<Format, () => Promise<Formatter>> = {
  text: async () => (await import("./format/text.js")).formatText,
  json: async () => (await import("./format/json.js")).formatJson,
  sarif: async () => (await import("./format/sarif.js")).formatSarif,
  github: async () => (await import("./format/github.js")).formatGithub,
  checkstyle: async () => (await import("./format/checkstyle.js")).formatCheckstyle,
  junit: async () => (await import("./format/junit.js")).formatJunit,
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
 * The outputs `--format` asks for (their formatters start loading), after the option combinations
 * that no analysis can satisfy: checked before any work is done.
 */
export function checkOptions(opts: { format?: string[]; fix?: boolean; dryRun?: boolean }): OutputSpec[] {
  if (opts.dryRun && !opts.fix) throw new CliError("--dry-run only applies to --fix");
  const outputs = parseFormats(opts.format);
  preloadFormatters(outputs);
  return outputs;
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

/** The `--format` values, checked before any work is done. */
export function parseFormats(values: readonly string[] | undefined): OutputSpec[] {
  if (!values || values.length === 0) return [{ format: "text" }];
  const specs = values.map((value): OutputSpec => {
    const eq = value.indexOf("=");
    const name = eq === -1 ? value : value.slice(0, eq);
    const file = eq === -1 ? undefined : value.slice(eq + 1);
    if (!(FORMATS as readonly string[]).includes(name)) {
      const guess = closestMatch(name, FORMATS);
      throw new CliError(`unknown format "${name}"${guess ? `; did you mean "${guess}"?` : ""} (formats: ${FORMATS.join(", ")})`);
    }
    if (file === "") throw new CliError(`--format ${name}= names no file; write --format ${name}=<file>, or --format ${name} for standard output`);
    return { format: name as Format, ...(file !== undefined && file !== "-" ? { file } : {}) };
  });
  const toStdout = specs.filter((s) => s.file === undefined);
  if (toStdout.length > 1) {
    throw new CliError(`${toStdout.map((s) => s.format).join(" and ")} would both go to standard output; send all but one to a file (--format ${toStdout[1]!.format}=<file>)`);
  }
  const files = specs.flatMap((s) => (s.file === undefined ? [] : [resolve(s.file)]));
  if (new Set(files).size < files.length) throw new CliError("two --format options write to the same file");
  return specs;
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
