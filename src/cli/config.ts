/**
 * The CLI's configuration: `<repository root>/.github/memlint.yml` or `--config <file>`. Without
 * a file the defaults are used, and the YAML parser and the validator are never loaded.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_CONFIG, type MemlintConfig } from "../config/types.js";
import { CliError } from "./io.js";

/** Where the repository's configuration is, relative to its root (config/load.ts's CONFIG_PATH). */
const CONFIG_FILES = [".github/memlint.yml", ".github/memlint.yaml"];

export async function loadConfig(root: string, cwd: string, file: string | undefined): Promise<MemlintConfig> {
  if (file === undefined && !CONFIG_FILES.some((f) => existsSync(join(root, f)))) return structuredClone(DEFAULT_CONFIG);
  const { formatProblems, loadConfigFile, parseConfigText } = await import("../config/load.js");
  let result;
  if (file === undefined) {
    result = loadConfigFile(root);
  } else {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new CliError(`configuration file not found: ${file}`);
    result = parseConfigText(readFileSync(path, "utf8"), file);
  }
  if (!result.ok) throw new CliError(result.problems.map((p) => `invalid configuration: ${formatProblems([p])}`).join("\n"));
  return result.config;
}
