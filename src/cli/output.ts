/**
 * `--format <format>[=<file>]`, repeatable: each format to standard output or to its file
 * (`--format sarif=memlint.sarif --format text`). At most one format goes to standard output;
 * without `--format`, text does. Checked before any work is done; write-outputs.ts writes them.
 */
import { resolve } from "node:path";
import { closestMatch } from "../config/closest.js";
import { CliError } from "./io.js";
import { FORMATS, type Format } from "./report.js";

export interface OutputSpec {
  format: Format;
  /** Where the output goes, as given (relative to the directory memlint runs in); undefined: standard output. */
  file?: string;
}

/** The outputs `--format` asks for, after the option combinations that no analysis can satisfy. */
export function checkOptions(opts: { format?: string[]; fix?: boolean; dryRun?: boolean }): OutputSpec[] {
  if (opts.dryRun && !opts.fix) throw new CliError("--dry-run only applies to --fix");
  return parseFormats(opts.format);
}

/** The `--format` values. */
function parseFormats(values: readonly string[] | undefined): OutputSpec[] {
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
