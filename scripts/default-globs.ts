/**
 * Compiles the default configuration's path globs ahead of time into
 * src/review/default-globs.generated.ts (picomatch's regular expressions, `dot: true`, POSIX
 * paths), so that a run with the default paths does not compile them: that cost a one-line review
 * 5–10 ms of its main thread. `npx tsx scripts/default-globs.ts` writes it; the test suite checks
 * it is current.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import picomatch from "picomatch";
import { DEFAULT_CONFIG } from "../src/config/types.js";

export const GLOBS_FILE = fileURLToPath(new URL("../src/review/default-globs.generated.ts", import.meta.url));

export function renderDefaultGlobs(): string {
  const { include, exclude, nonProduction } = DEFAULT_CONFIG.paths;
  const entries = [...new Set([...include, ...exclude, ...nonProduction])].map((glob) => {
    const regex = picomatch.makeRe(glob, { dot: true, windows: false });
    if (regex.flags !== "") throw new Error(`${glob}: picomatch gave flags "${regex.flags}"; globs.ts builds its expressions without flags`);
    return `  ${JSON.stringify(glob)}: ${JSON.stringify(regex.source)},`;
  });
  return [
    "// Generated from the default configuration's paths by `npx tsx scripts/default-globs.ts`; do not edit by hand.",
    "/** Each default glob and the source of picomatch's expression for it (`dot: true`, POSIX paths). */",
    "export const COMPILED_GLOBS: Readonly<Record<string, string>> = {",
    ...entries,
    "};",
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeFileSync(GLOBS_FILE, renderDefaultGlobs());
