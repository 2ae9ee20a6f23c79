/**
 * Test code as Go itself defines it: `_test.go` files, files built only on request
 * (`//go:build ignore`, the convention of generators and one-off tools), and the test, benchmark,
 * fuzz and example functions of any file. Rules say what their findings get there
 * (`RuleMeta.inTests`); the configuration may name more paths (src/review).
 */

/** Whether a file is test code by its name or its build constraint. */
export function isTestSource(path: string, text: string): boolean {
  return path.endsWith("_test.go") || builtOnlyOnRequest(text);
}

const TEST_FUNCTION = /^(Test|Benchmark|Fuzz|Example)([A-Z_0-9]|$)/;

/** Whether a top-level function name is one `go test` runs. */
export function isTestFunctionName(name: string): boolean {
  return TEST_FUNCTION.test(name);
}

/**
 * Whether the build constraint of a file (the `//go:build` or `// +build` lines before the
 * package clause) requires the `ignore` tag, which no build sets: the file is compiled only when
 * named on the command line (`go run gen.go`).
 */
function builtOnlyOnRequest(text: string): boolean {
  const header = text.slice(0, headerEnd(text));
  for (const m of header.matchAll(/^\/\/(?:go:build|\s*\+build)\s+(.*)$/gm)) {
    if (requiresIgnore(m[1]!)) return true;
  }
  return false;
}

/** Where the package clause starts (build constraints must come before it). */
function headerEnd(text: string): number {
  const m = /^package\s/m.exec(text);
  return m ? m.index : Math.min(text.length, 4096);
}

/**
 * Whether a constraint expression cannot hold without the `ignore` tag: `ignore`, or `ignore`
 * in a conjunction (`ignore && linux`, the old `ignore,linux`), never negated.
 */
function requiresIgnore(expr: string): boolean {
  const e = expr.trim();
  if (e.includes("||") || /\s/.test(e.replace(/\s*&&\s*/g, "&&")) || /[()]/.test(e)) return false;
  return e.split(/&&|,/).some((term) => term.trim() === "ignore");
}
