/**
 * `runsOnceAtStartup` across the files of a package: a function counts as start-up code when
 * every use in the package is a call from start-up code, which takes every file of the package.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runsAtStartup, runsOnceAtStartup } from "../../src/analysis/startup.js";
import { analyzeFile } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { PackageIndex, type PackageLoader } from "../../src/engine/source.js";
import type { Rule } from "../../src/engine/types.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";

beforeAll(initParser);

/** Reports every go statement with whether it runs once at start-up. */
const probe: Rule = {
  meta: { id: "probe", category: "leak-goroutine", severity: "info", title: "probe", rationale: "", fix: "", bad: "", good: "", suggestion: "none", inTests: "report" },
  check(ctx) {
    for (const go of ctx.nodes("go_statement")) {
      ctx.report({ node: go, message: runsOnceAtStartup(go, ctx.file) ? "once" : runsAtStartup(go, ctx.file) ? "at start-up" : "repeats" });
    }
  },
};

const constructor = `package cache

import "time"

type Cache struct{}

func (c *Cache) evict() {}

func newCache() *Cache {
	c := &Cache{}
	go func() {
		for range time.Tick(time.Minute) {
			c.evict()
		}
	}()
	return c
}
`;

function loader(files: Record<string, string>, complete = true): PackageLoader {
  return (dir) => ({ files: Object.entries(files).filter(([p]) => p.startsWith(`${dir}/`)).map(([path, text]) => ({ path, text })), complete });
}

function verdicts(files: Record<string, string>, options: { index?: boolean; complete?: boolean } = {}): string[] {
  const index = options.index === false ? undefined : new PackageIndex(loader(files, options.complete));
  return analyzeFile(
    { path: "cache/cache.go", head: files["cache/cache.go"]!, base: null },
    { rules: [probe], knownRuleIds: new Set([...KNOWN_RULE_IDS, "probe"]), ...(index ? { packageIndex: index } : {}) },
  ).introduced.map((f) => f.message);
}

describe("runsOnceAtStartup", () => {
  it("a constructor whose only caller is a package-level variable in another file runs once", () => {
    expect(verdicts({ "cache/cache.go": constructor, "cache/default.go": "package cache\n\nvar shared = newCache()\n" })).toEqual(["once"]);
  });

  it("through a helper that init calls", () => {
    const init = "package cache\n\nvar shared *Cache\n\nfunc init() { setup() }\n\nfunc setup() { shared = newCache() }\n";
    expect(verdicts({ "cache/cache.go": constructor, "cache/init.go": init })).toEqual(["once"]);
  });

  it("not when another file also calls it from a method, or hands it out as a value", () => {
    const method = "package cache\n\nvar shared = newCache()\n\ntype Server struct{ c *Cache }\n\nfunc (s *Server) reset() { s.c = newCache() }\n";
    expect(verdicts({ "cache/cache.go": constructor, "cache/server.go": method })).toEqual(["repeats"]);
    const value = "package cache\n\nvar factory = newCache\n";
    expect(verdicts({ "cache/cache.go": constructor, "cache/factory.go": value })).toEqual(["repeats"]);
  });

  it("not when memlint knows only some files of the package, nor when nothing calls it", () => {
    const files = { "cache/cache.go": constructor, "cache/default.go": "package cache\n\nvar shared = newCache()\n" };
    expect(verdicts(files, { complete: false })).toEqual(["repeats"]);
    expect(verdicts({ "cache/cache.go": constructor })).toEqual(["repeats"]);
  });

  it("a caller's range loop keeps it start-up code, not once; a condition loop makes it repeat", () => {
    const ranged = "package cache\n\nvar shards []*Cache\n\nfunc init() {\n\tfor range 4 {\n\t\tshards = append(shards, newCache())\n\t}\n}\n";
    expect(verdicts({ "cache/cache.go": constructor, "cache/init.go": ranged })).toEqual(["at start-up"]);
    const forever = "package cache\n\nvar shards []*Cache\n\nfunc init() {\n\tfor len(shards) < 4 {\n\t\tshards = append(shards, newCache())\n\t}\n}\n";
    expect(verdicts({ "cache/cache.go": constructor, "cache/init.go": forever })).toEqual(["repeats"]);
  });

  it("without a package index, the file stands for the package", () => {
    expect(verdicts({ "cache/cache.go": `${constructor}\nvar shared = newCache()\n` }, { index: false })).toEqual(["once"]);
    expect(verdicts({ "cache/cache.go": constructor }, { index: false })).toEqual(["repeats"]);
  });

  it("a func literal an errgroup's Go runs in start-up code runs once, like a go statement; handed to another method it may repeat", () => {
    const main = (method: string) =>
      `package main\n\nimport "golang.org/x/sync/errgroup"\n\nfunc main() {\n\tvar g errgroup.Group\n\tg.${method}(func() error {\n\t\tgo func() {}()\n\t\treturn nil\n\t})\n\t_ = g.Wait()\n}\n`;
    expect(verdicts({ "cache/cache.go": main("Go") }, { index: false })).toEqual(["once"]);
    expect(verdicts({ "cache/cache.go": main("Every") }, { index: false })).toEqual(["repeats"]);
  });
});
