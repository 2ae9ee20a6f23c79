/**
 * `global-map-unbounded` across the files of a package: removals in sibling files count, a map
 * declared in a sibling is reported only when the whole package is known, and without a package
 * index the rule looks at the file alone (as the single-file fixtures do).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { PackageIndex, type PackageLoader } from "../../src/engine/source.js";
import type { Finding } from "../../src/engine/types.js";
import rule from "../../src/rules/global-map-unbounded.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";
import { FIXTURES } from "../helpers/fixtures.js";

beforeAll(initParser);

const PACKAGES = join(FIXTURES, "packages");

/** The files of test/fixtures/packages/<dir>, as a loader gives them (paths from `packages/`). */
const fromDisk: PackageLoader = (dir) =>
  readdirSync(join(PACKAGES, dir))
    .filter((name) => name.endsWith(".go"))
    .map((name) => ({ path: `${dir}/${name}`, text: readFileSync(join(PACKAGES, dir, name), "utf8") }));

const source = (path: string) => readFileSync(join(PACKAGES, path), "utf8");

/** Whole-file analysis of one file of the package with this rule alone. */
function check(path: string, index?: PackageIndex, head = source(path)): Finding[] {
  return analyzeFile({ path, head, base: null }, { rules: [rule], knownRuleIds: KNOWN_RULE_IDS, ...(index ? { packageIndex: index } : {}) }).introduced;
}

const lines = (findings: Finding[]) => findings.map((f) => `${f.line}: ${f.message.split(":")[0]}`);

describe("global-map-unbounded with the package's other files", () => {
  it("a delete in a sibling file clears the map; a map no file deletes from is still reported", () => {
    const index = new PackageIndex(fromDisk);
    const findings = check("cache/store.go", index);
    // entries[key] = value (line 17) is deleted from in evict.go; hits (line 24) nowhere — not by
    // gen.go (package main) nor by store_test.go (a test).
    expect(lines(findings)).toEqual(["24: `hits[key]++` adds entries to package-level map `hits`, and nothing in this package ever deletes from it. memlint cannot tell where its keys come from"]);
    expect(findings[0]!.related).toEqual([{ line: 10, message: "`hits` is declared here" }]);
  });

  it("without a package index, the file alone: both maps are reported, as before", () => {
    expect(lines(check("cache/store.go"))).toEqual([
      "17: `entries[key] = value` adds entries to package-level map `entries`, and nothing in this file ever deletes from it. memlint cannot tell where its keys come from",
      "24: `hits[key]++` adds entries to package-level map `hits`, and nothing in this file ever deletes from it. memlint cannot tell where its keys come from",
    ]);
  });

  it("a map declared in a sibling is reported when the whole package is known, without a related line in the other file", () => {
    const findings = check("cache/handler.go", new PackageIndex(fromDisk));
    // sessions (evict.go) is never deleted from; inflight (evict.go) is emptied by LoadAndDelete.
    expect(lines(findings)).toEqual([
      "7: `sessions[id] = time.Now()` adds entries to package-level map `sessions` (declared in `evict.go`), and nothing in this package ever deletes from it. memlint cannot tell where its keys come from",
    ]);
    expect(findings[0]!.related).toEqual([]);
  });

  it("a map declared in a sibling is not reported when only part of the package is known, nor without an index", () => {
    const partial = new PackageIndex((dir) => ({ files: fromDisk(dir) as { path: string; text: string }[], complete: false }));
    expect(check("cache/handler.go", partial)).toEqual([]);
    // Only the change's own files (no loader: `contracts.scan_package: false`).
    const changeOnly = new PackageIndex(undefined, { changed: [["cache/handler.go", source("cache/handler.go")], ["cache/evict.go", source("cache/evict.go")]] });
    expect(check("cache/handler.go", changeOnly)).toEqual([]);
    expect(check("cache/handler.go")).toEqual([]);
  });

  it("with only part of the package known, a removal in a known sibling still counts, and the message says what was read", () => {
    const changeOnly = new PackageIndex(undefined, { changed: [["cache/store.go", source("cache/store.go")], ["cache/evict.go", source("cache/evict.go")]] });
    expect(lines(check("cache/store.go", changeOnly))).toEqual([
      "24: `hits[key]++` adds entries to package-level map `hits`, and nothing in the files of this package that memlint read ever deletes from it. memlint cannot tell where its keys come from",
    ]);
  });

  it("the change's head version of a sibling wins over the loader's copy", () => {
    // The change removes the delete from evict.go: store.go's entries map now only grows.
    const evict = source("cache/evict.go").replace("\tdelete(entries, key)\n", "");
    const index = new PackageIndex(fromDisk, { changed: [["cache/evict.go", evict]] });
    expect(lines(check("cache/store.go", index)).map((l) => l.slice(0, 3))).toEqual(["17:", "24:"]);
    // A sibling the change deletes is gone too.
    const gone = new PackageIndex(fromDisk, { changed: [["cache/evict.go", null]] });
    expect(lines(check("cache/store.go", gone)).map((l) => l.slice(0, 3))).toEqual(["17:", "24:"]);
  });

  it("a named map type declared in a sibling is a map", () => {
    const types = "package cache\n\ntype registry map[string]func()\n";
    const user = "package cache\n\nvar handlers = registry{}\n\nfunc handle(name string, fn func()) {\n\thandlers[name] = fn\n}\n";
    const index = new PackageIndex(() => [
      { path: "reg/types.go", text: types },
      { path: "reg/user.go", text: user },
    ]);
    expect(lines(check("reg/user.go", index, user))).toEqual([
      "6: `handlers[name] = fn` adds entries to package-level map `handlers`, and nothing in this package ever deletes from it. memlint cannot tell where its keys come from",
    ]);
    // Without the sibling, the type is unknown: nothing is reported.
    expect(check("reg/user.go", undefined, user)).toEqual([]);
  });
});
