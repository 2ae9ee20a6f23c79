/**
 * The npm package as a user gets it: the CLI bundle built, `npm pack` of the repository, and
 * `npm install --global` of the tarball into a private prefix — offline, so the install uses
 * nothing but the tarball (and npm's cache). Shared by the package test and `npm run bench`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBundle } from "../../scripts/bundle.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Installed {
  tarball: string;
  /** Files in the tarball, as `npm pack` lists them. */
  files: string[];
  prefix: string;
  /** The `memlint` command the install put on the PATH. */
  bin: string;
  /** Packages installed (memlint and its dependencies) and their size on disk. */
  packages: string[];
  bytes: number;
}

/** Builds the CLI bundle, packs the repository into `dir` and installs the tarball under `dir/prefix`. */
export async function packAndInstall(dir: string): Promise<Installed> {
  await buildBundle("cli");
  const npmEnv = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
  // --ignore-scripts: the bundle was just built; `prepare` would also compile the App with tsc.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: ROOT, env: npmEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
  ) as { filename: string; files: { path: string }[] }[];
  const tarball = join(dir, packed[0]!.filename);
  const prefix = join(dir, "prefix");
  mkdirSync(prefix, { recursive: true });
  execFileSync("npm", ["install", "--global", "--offline", "--prefix", prefix, tarball], { cwd: dir, env: npmEnv, stdio: ["ignore", "pipe", "pipe"] });
  const modules = join(prefix, "lib", "node_modules");
  const packages = listPackages(modules);
  return { tarball, files: packed[0]!.files.map((f) => f.path).sort(), prefix, bin: join(prefix, "bin", "memlint"), packages, bytes: sizeOf(modules) };
}

/** Every package directory under a node_modules directory, nested ones included. */
function listPackages(modules: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const dirs = entry.name.startsWith("@") ? readdirSync(join(modules, entry.name)).map((n) => join(entry.name, n)) : [entry.name];
    for (const name of dirs) {
      out.push(name);
      try {
        out.push(...listPackages(join(modules, name, "node_modules")).map((n) => `${name}/node_modules/${n}`));
      } catch {
        // no nested dependencies
      }
    }
  }
  return out.sort();
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}
