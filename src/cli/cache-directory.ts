/**
 * Where memlint keeps what it caches — `check`'s results, package summaries, compiled code — as
 * staticcheck and the go command keep theirs: `$MEMLINT_CACHE`, else `$XDG_CACHE_HOME/memlint`,
 * else the platform's cache directory (`~/.cache/memlint` on Linux). `MEMLINT_CACHE=off` turns
 * every cache off.
 */
import { homedir } from "node:os";
import { join } from "node:path";

/** The cache directory the environment asks for, or undefined when caching is off. */
export function cacheDirectory(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const asked = env.MEMLINT_CACHE;
  if (asked === "off") return undefined;
  if (asked) return asked;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "memlint");
  const home = env.HOME || homedir();
  if (process.platform === "darwin") return join(home, "Library", "Caches", "memlint");
  if (process.platform === "win32") return join(env.LOCALAPPDATA || join(home, "AppData", "Local"), "memlint");
  return join(home, ".cache", "memlint");
}

/** The file scripts/bundle.ts writes next to a bundle's code: the hash of its files. */
export const BUILD_ID_FILE = "build-id";
