/** The default configuration's globs, compiled ahead of time, match exactly what picomatch matches. */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { GLOBS_FILE, renderDefaultGlobs } from "../../scripts/default-globs.js";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import { COMPILED_GLOBS } from "../../src/review/default-globs.generated.js";
import { globMatcher } from "../../src/review/globs.js";

const { include, exclude, nonProduction } = DEFAULT_CONFIG.paths;

/** Paths built from the words the default globs name, and some that merely look like them. */
const segment = fc.constantFrom(
  "vendor", "testdata", "example", "examples", "_example", "internal", "test", "tests", "testing", "testutil", "testhelpers",
  "e2e", "integration", "itest", "hack", "scripts", "generator", "codegen", "mock", "mocks", "fake", "fakes", "protogen",
  "cmd", "pkg", "api", ".hidden", "..", ".", "a.b", "vendors", "mytest", "test-e2e", "internal_test", "",
);
const leaf = fc.constantFrom("main.go", "x.go", "x_test.go", "README.md", "x.go.orig", ".go", "gen.go", "x.pb.go", "vendor", "**");
const path = fc.tuple(fc.array(segment, { maxLength: 5 }), leaf).map(([dirs, file]) => [...dirs, file].join("/"));

describe("default globs", () => {
  it("the generated file is current (run `npx tsx scripts/default-globs.ts`)", () => {
    expect(readFileSync(GLOBS_FILE, "utf8")).toBe(renderDefaultGlobs());
  });

  it("every default glob is compiled ahead of time", () => {
    for (const glob of [...include, ...exclude, ...nonProduction]) expect(COMPILED_GLOBS[glob], glob).toBeDefined();
  });

  it.skipIf(process.platform === "win32")("match what picomatch matches, path for path", () => {
    const lists = [include, exclude, nonProduction, ["**/test/**"], ["**/*gen/main.go"]];
    const ours = lists.map((globs) => globMatcher(globs));
    const theirs = lists.map((globs) => picomatch([...globs], { dot: true }));
    fc.assert(
      fc.property(path, (p) => {
        for (let i = 0; i < lists.length; i++) expect(ours[i]!(p), `${lists[i]!.join(",")} on ${p}`).toBe(theirs[i]!(p));
      }),
      { numRuns: 3000 },
    );
    // A path that is a glob, character for character, matches it (as in picomatch).
    expect(globMatcher(["**/*gen/main.go"])("**/*gen/main.go")).toBe(true);
  });

  it("globs of a configuration's own are compiled by picomatch", () => {
    const match = globMatcher(["internal/**", "**/*.pb.go"]);
    expect(match("internal/a/b.go")).toBe(true);
    expect(match("x/y.pb.go")).toBe(true);
    expect(match("cmd/main.go")).toBe(false);
  });
});
