/**
 * Builds what memlint ships as JavaScript bundles (esbuild), each with the two grammar wasm files
 * next to it and the licenses of the packages bundled into it:
 *
 * - `cli`: dist/cli-bundle/, the npm package's CLI, loaded by bin/memlint.cjs. An entry that only
 *   declares the commands, and chunks each command imports when it runs, so `memlint --help` loads
 *   no analysis. Built by `npm run build` (so by `npm ci` and `npm pack`).
 * - `action`: action/dist/, committed, because an action runs what its repository holds (`npm test`
 *   checks that it is current): index.cjs is the GitHub Action (action.yml runs it), memlint.cjs
 *   the CLI as the pre-commit hook runs it (.pre-commit-hooks.yaml), an executable file.
 *
 * Both are CommonJS (`.cjs`), though the sources are ES modules: Node 20 then runs a command
 * without starting its ES module loader, whose start-up and asynchronous loading of each file
 * cost a one-line review about 20 ms and `--help` 13.
 *
 *   npx tsx scripts/bundle.ts [cli|action]... [--outdir <dir>]
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { BUILD_ID_FILE } from "../src/cli/cache-directory.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

export const BUNDLES = {
  cli: { entries: { main: "src/cli/main.ts", "code-cache": "src/cli/code-cache.ts" }, outdir: "dist/cli-bundle", executable: undefined },
  action: { entries: { index: "src/action/main.ts", memlint: "src/cli/main.ts" }, outdir: "action/dist", executable: "memlint.cjs" },
} as const;
export type BundleName = keyof typeof BUNDLES;

/** The wasm files the parser loads, by the name it loads them under. */
const WASM = {
  "tree-sitter.wasm": require.resolve("web-tree-sitter/tree-sitter.wasm"),
  "tree-sitter-go.wasm": require.resolve("tree-sitter-go/tree-sitter-go.wasm"),
};

/**
 * src/engine/parser.ts finds the grammar as `tree-sitter-go/tree-sitter-go.wasm`, a package a
 * bundle does not have: in the bundle it reads the copy next to itself. (web-tree-sitter finds
 * its own wasm next to the file it is bundled into.) Fails the build when the lookup changed.
 */
const grammarNextToBundle: Plugin = {
  name: "grammar-next-to-bundle",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]engine[\\/]parser\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const lookup = 'require.resolve("tree-sitter-go/tree-sitter-go.wasm")';
      if (!source.includes(lookup)) throw new Error(`${args.path} no longer loads the grammar with ${lookup}; update scripts/bundle.ts`);
      return { contents: source.replace(lookup, 'require.resolve("./tree-sitter-go.wasm")'), loader: "ts" };
    });
  },
};

/**
 * web-tree-sitter makes itself a `require` from an `import()` of `module`, which CommonJS has:
 * that local `var require` would be the one the rewritten `import()` calls, before it is set
 * (esbuild renames no variable in a file with a direct `eval`, as emscripten's glue has). Fails
 * the build when the lines changed.
 */
const runtimeUsesBundleRequire: Plugin = {
  name: "runtime-uses-bundle-require",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]web-tree-sitter[\\/]tree-sitter\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const own = /const \{ createRequire \} = await import\("module"\);\s*var require = createRequire\(import\.meta\.url\);/;
      if (!own.test(source)) throw new Error(`${args.path} no longer makes its require from import("module"); update scripts/bundle.ts`);
      return { contents: source.replace(own, ""), loader: "js" };
    });
  },
};

/** esbuild's options for one bundle into `outdir`: what {@link buildBundle} runs, and what tests read the layout of. */
export function bundleOptions(name: BundleName, outdir: string): BuildOptions & { metafile: true } {
  const spec = BUNDLES[name];
  return {
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(spec.entries).map(([out, entry]) => [out, join(ROOT, entry)])),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // esbuild splits code only into ES modules: they are built named `.cjs`, and toCommonJs
    // rewrites each.
    outExtension: { ".js": ".cjs" },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
    plugins: [grammarNextToBundle, runtimeUsesBundleRequire],
  };
}

/** Builds one bundle into `outdir` (default: its place in the repository); returns the files written. */
export async function buildBundle(name: BundleName, outdir: string = join(ROOT, BUNDLES[name].outdir)): Promise<string[]> {
  const spec = BUNDLES[name];
  rmSync(outdir, { recursive: true, force: true });
  const result = await build(bundleOptions(name, outdir));
  await Promise.all(Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".cjs")).map((f) => toCommonJs(join(ROOT, f))));
  if (spec.executable) {
    const file = join(outdir, spec.executable);
    writeFileSync(file, `#!/usr/bin/env node\n${readFileSync(file, "utf8")}`);
    chmodSync(file, 0o755);
  }
  for (const [file, source] of Object.entries(WASM)) copyFileSync(source, join(outdir, file));
  writeFileSync(join(outdir, "THIRD_PARTY_LICENSES.md"), thirdPartyLicenses(result.metafile, Object.values(WASM)));
  const code = Object.keys(result.metafile.outputs)
    .map((f) => join(ROOT, f))
    .concat(Object.keys(WASM).map((f) => join(outdir, f)))
    .sort();
  writeFileSync(join(outdir, BUILD_ID_FILE), `${buildId(code)}\n`);
  return [...code, join(outdir, "THIRD_PARTY_LICENSES.md"), join(outdir, BUILD_ID_FILE)].sort();
}

/**
 * Rewrites one ES module file of a bundle as CommonJS, in place: its imports become require()
 * calls, those of the chunks a command loads when it runs too (an `import()` would start the ES
 * module loader), and `import.meta.url` the file's URL.
 */
async function toCommonJs(file: string): Promise<void> {
  const source = readFileSync(file, "utf8");
  const { code } = await transform(source, {
    format: "cjs",
    platform: "node",
    target: "node20",
    supported: { "dynamic-import": false },
    ...(source.includes("import.meta") ? { define: { "import.meta.url": "__memlintModuleUrl" }, banner: 'const __memlintModuleUrl = require("node:url").pathToFileURL(__filename).href;' } : {}),
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "none",
    logLevel: "warning",
  });
  writeFileSync(file, code);
}

/** What tells this build from any other (the CLI's result cache keeps the builds' entries apart): the hash of its code. */
function buildId(files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${basename(file)}\0`).update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/** The license of every package whose code went into the bundle (and of the wasm files' packages). */
function thirdPartyLicenses(metafile: Metafile, extraFiles: readonly string[]): string {
  const packages = new Map<string, string>(); // name → package directory
  for (const file of [...Object.keys(metafile.inputs).map((f) => join(ROOT, f)), ...extraFiles]) {
    const m = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
    if (!m) continue;
    const pkg = JSON.parse(readFileSync(join(m[1]!, "package.json"), "utf8")) as { name: string; version: string; license?: string };
    packages.set(`${pkg.name}@${pkg.version}`, m[1]!);
  }
  const sections = [...packages.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([id, dir]) => {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { license?: string };
    return `## ${id}\n\nLicense: ${pkg.license ?? "see the package"}\n\n\`\`\`text\n${licenseText(dir).trim()}\n\`\`\`\n`;
  });
  return `# Third-party software in this bundle\n\nGenerated by scripts/bundle.ts from the packages esbuild bundled.\n\n${sections.join("\n")}`;
}

function licenseText(dir: string): string {
  for (const name of ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE", "LICENSE-MIT"]) {
    try {
      return readFileSync(join(dir, name), "utf8");
    } catch {
      // try the next name
    }
  }
  return "(the package ships no license file; see its package.json)";
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf("--outdir");
  const outdir = at === -1 ? undefined : args.splice(at, 2)[1];
  const names = (args.length > 0 ? args : Object.keys(BUNDLES)) as BundleName[];
  for (const name of names) {
    if (!(name in BUNDLES)) throw new Error(`unknown bundle "${name}" (${Object.keys(BUNDLES).join(", ")})`);
    const files = await buildBundle(name, outdir && join(outdir, name));
    // On stderr: `npm pack` runs this (through `prepare`), and its standard output is the tarball's name.
    console.error(`${name}: ${files.length} files in ${dirname(files[0]!)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
