/**
 * Test code as Go itself defines it: `_test.go` files, files built only on request
 * (`//go:build ignore`, the convention of generators and one-off tools), and the test, benchmark,
 * fuzz and example functions of any file, and the helpers that take a test's handle (`t
 * *testing.T`, `tb testing.TB`: test suites kept outside `_test.go` files so that several
 * packages' tests share them). Rules say what their findings get there
 * (`RuleMeta.inTests`); the configuration may name more paths (src/review).
 */
import { buildRequiresTag } from "./build-constraint.js";

/** Whether a file is test code by its name or its build constraint. */
export function isTestSource(path: string, text: string): boolean {
  // `//go:build ignore`: compiled only when named on the command line (`go run gen.go`).
  return path.endsWith("_test.go") || buildRequiresTag(text, "ignore");
}

const TEST_FUNCTION = /^(Test|Benchmark|Fuzz|Example)([A-Z_0-9]|$)/;

/** Whether a top-level function name is one `go test` runs. */
export function isTestFunctionName(name: string): boolean {
  return TEST_FUNCTION.test(name);
}

/** A parameter of a test's handle type: `*testing.T`, `*testing.B`, `*testing.F`, `testing.TB`. */
const TESTING_HANDLE = /[\s(,]\*?testing\.(?:T|B|F|TB)\b/;

/** Whether a function's signature (its text up to the body) takes a test's handle. */
export function takesTestingHandle(signature: string): boolean {
  return TESTING_HANDLE.test(signature);
}
