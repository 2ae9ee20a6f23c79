/** Compile-time constants: how many times a loop with constant bounds runs. */
import { beforeAll, describe, expect, it } from "vitest";
import { constantIterations } from "../../src/analysis/constants.js";
import type { FileScope } from "../../src/analysis/file.js";
import { initParser } from "../../src/engine/parser.js";
import { SourceFile } from "../../src/engine/source.js";

beforeAll(initParser);

/** How many times each `for` statement of `source`'s functions, in order. */
function tripCounts(source: string): (number | undefined)[] {
  const file = new SourceFile("a.go", source, "all");
  const scope: FileScope = file;
  return file.declarationsMentioning("for").flatMap((d) => d.descendants("for_statement")).map((loop) => constantIterations(loop, scope));
}

describe("constantIterations", () => {
  it("counts constant for clauses, integer and literal ranges and fixed package lists; not a counter the body moves", () => {
    const source = `package p

const n = 4

var weekdays = []string{"Mon", "Tue", "Wed", "Thu", "Fri"}

func f(xs []string, m int) {
	for i := 0; i < 3; i++ {
	}
	for i := 1; i <= n; i++ {
	}
	for i := 0; 2 > i; i += 1 {
	}
	for range 8 {
	}
	for _, w := range []string{"a", "b"} {
	}
	for _, w := range weekdays {
	}
	var grid [6]int
	for i := range grid {
	}
	for i := 0; i < m; i++ {
	}
	for _, x := range xs {
	}
	for {
	}
	for i := 0; i < 3; i++ {
		i--
	}
}
`;
    expect(tripCounts(source)).toEqual([3, 4, undefined, 8, 2, 5, undefined, undefined, undefined, undefined, undefined]);
  });
});
