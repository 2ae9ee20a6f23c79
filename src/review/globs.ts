/**
 * Path globs as the configuration gives them (picomatch syntax, `dot: true`). The default
 * configuration's globs come compiled ahead of time (default-globs.generated.ts): compiling them
 * cost a one-line review 5–10 ms of its main thread. Other globs, and every glob on Windows (where
 * picomatch also accepts backslashes), are compiled by picomatch.
 */
import picomatch from "picomatch";
import { COMPILED_GLOBS } from "./default-globs.generated.js";

/** Whether a path matches one of `globs`, as `picomatch(globs, { dot: true })` tells. */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const sources = globs.map((glob) => COMPILED_GLOBS[glob]);
  if (process.platform === "win32" || !sources.every((source) => source !== undefined)) return picomatch([...globs], { dot: true });
  const expressions = sources.map((source) => new RegExp(source));
  // picomatch also matches a path that is the glob itself, character for character.
  const literal = new Set(globs);
  return (path) => literal.has(path) || expressions.some((expression) => expression.test(path));
}
