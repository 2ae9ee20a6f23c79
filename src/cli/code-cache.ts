/**
 * V8's compiled code of the CLI's bundle, kept between runs where Node keeps none (Node 20:
 * `module.enableCompileCache` came with Node 22.1, and bin/memlint.cjs turns that on instead).
 * Compiling the bundle's chunks was the largest part of a short command's start-up: a one-file
 * `check` spent about 35 ms of its main thread compiling, and reading the code back takes a third
 * of that.
 *
 * Each chunk of the bundle is compiled with the code a previous run left in memlint's cache
 * directory (`code/`, per build, architecture and V8 version), and a chunk that had none, or whose
 * code V8 turned down, has its code written when the run ends: by then it holds the functions the
 * run compiled lazily too, which is most of what the next run of the same command needs. V8 turns
 * down code compiled under other flags, and short runs change flags once started (warm-up.ts): a
 * chunk's code is kept under the flags it was loaded with, and written before they change.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname, join, sep } from "node:path";
import { Script } from "node:vm";
import { BUILD_ID_FILE, cacheDirectory } from "./cache-directory.js";
import { beforeV8FlagsChange } from "./v8-flags.js";

/** Directories of other builds (or Node versions) are deleted when unused for this long. */
const STALE_AFTER_MS = 7 * 24 * 3600 * 1000;

export interface CodeCacheStats {
  /** Chunks compiled since the cache was turned on. */
  compiled: number;
  /** Of those, the chunks V8 took compiled code for. */
  fromCache: number;
  /** Files of compiled code written. */
  written: number;
}

/** The CommonJS loader's per-file step, which Node's types do not declare. */
interface CompilingModule {
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}

/**
 * Turns the cache on for the `.cjs` files of `bundleDir` (a bundle with its build id), unless
 * `MEMLINT_CACHE=off`. Returns what it did so far, or undefined when it is off.
 */
export function enableCodeCache(bundleDir: string, env: Readonly<Record<string, string | undefined>> = process.env): CodeCacheStats | undefined {
  const root = cacheDirectory(env);
  let buildId: string;
  try {
    buildId = readFileSync(join(bundleDir, BUILD_ID_FILE), "utf8").trim();
  } catch {
    return undefined; // not a bundle (the sources run by tsx): nothing to key the code by
  }
  if (!root || buildId === "") return undefined;
  const codeRoot = join(root, "code");
  const dir = join(codeRoot, `${buildId.slice(0, 16)}-${process.arch}-v8-${process.versions.v8}`);
  const stats: CodeCacheStats = { compiled: 0, fromCache: 0, written: 0 };
  const inBundle = bundleDir.endsWith(sep) ? bundleDir : bundleDir + sep;
  /** Names the flags the chunks compiled from now on are compiled under. */
  let flagsKey = "default";
  let flagHistory = "";
  /** Chunks compiled without usable code, whose code is written before the flags change or the run ends. */
  let unsaved: { file: string; script: Script }[] = [];

  const save = () => {
    if (unsaved.length === 0) return;
    const scripts = unsaved;
    unsaved = [];
    try {
      mkdirSync(dir, { recursive: true });
      for (const { file, script } of scripts) {
        writeAtomically(file, script.createCachedData());
        stats.written++;
      }
      removeStale(codeRoot, basename(dir));
    } catch {
      // a cache that cannot be written is no reason to fail the run
    }
  };
  beforeV8FlagsChange((flags) => {
    save();
    flagHistory += `\n${flags}`;
    flagsKey = fnv1a(flagHistory);
  });
  process.once("exit", save);

  const proto = Module.prototype as unknown as CompilingModule;
  const compile = proto._compile;
  proto._compile = function (this: Module, content: string, filename: string, ...rest: unknown[]): unknown {
    // (Other files, and any argument a Node version adds, go to Node's own step untouched.)
    if (!filename.startsWith(inBundle) || !filename.endsWith(".cjs")) return compile.call(this, content, filename, ...rest);
    const file = join(dir, `${basename(filename)}.${flagsKey}`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      // none yet
    }
    const script = new Script(Module.wrap(content), { filename, cachedData });
    stats.compiled++;
    if (cachedData && !script.cachedDataRejected) stats.fromCache++;
    else unsaved.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
  return stats;
}

/** Writes a whole file or none (a concurrent run reads either). */
function writeAtomically(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}

/** Deletes the code of other builds not written to for {@link STALE_AFTER_MS}. */
function removeStale(codeRoot: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(codeRoot)) {
    if (name === keep) continue;
    const path = join(codeRoot, name);
    try {
      if (now - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile
    }
  }
}

/** A short name for a string (32-bit FNV-1a, in hex). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}
