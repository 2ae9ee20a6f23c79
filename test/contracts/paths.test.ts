/** The contract analyses on the control-flow graph: which use comes first, loops to a fixpoint, hostile nesting. */
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_NESTING } from "../../src/analysis/cfg.js";
import type { GoNode } from "../../src/analysis/node.js";
import { functionFlow } from "../../src/contracts/flow.js";
import { firstUseAfterMove, movesOf } from "../../src/contracts/moves.js";
import { initParser } from "../../src/engine/parser.js";
import { SourceFile } from "../../src/engine/source.js";

beforeAll(initParser);

const SCOPES = ["call", "request", "process"];

const QUEUE = `
type Queue struct{ out chan []byte }

// Push hands buf to the sender goroutine.
//
//memlint:owned buf
func (q *Queue) Push(buf []byte) error {
	q.out <- buf
	return nil
}
`;

function load(body: string): { file: SourceFile; fn: (name: string) => GoNode } {
  const file = new SourceFile("p.go", `package p\n${QUEUE}\n${body}\n`, "all");
  const fn = (name: string) => file.analyzed.find((d) => d.node.child("name")?.text === name)!.node;
  return { file, fn };
}

/** The line (in the function) and text of the first use after each move in `name`. */
function usesAfterMoves(body: string, name: string): (string | undefined)[] {
  const { file, fn } = load(body);
  const f = fn(name);
  return f.descendants("call_expression").flatMap((call) =>
    movesOf(call, file, SCOPES).map((move) => {
      const use = firstUseAfterMove(move, file);
      return use && `${file.lines.lineOf(use.start) - file.lines.lineOf(f.start)}: ${use.parent?.parent?.text ?? ""}`;
    }),
  );
}

describe("use after move on the graph", () => {
  it("reports the nearest use on any path: the return after the loop before the move's next round", () => {
    const uses = usesAfterMoves(
      `func drain(q *Queue, pending []byte) []byte {\n\tfor i := 0; i < 3; i++ {\n\t\tq.Push(pending)\n\t}\n\treturn pending\n}`,
      "drain",
    );
    expect(uses).toEqual(["4: return pending"]);
  });

  it("reports the move itself a round later when nothing else uses the value", () => {
    const uses = usesAfterMoves(`func each(qs []*Queue, buf []byte) {\n\tfor _, q := range qs {\n\t\tq.Push(buf)\n\t}\n}`, "each");
    expect(uses).toEqual(["2: q.Push(buf)"]);
  });

  it("stops at a new value on every path, and at the end of a goroutine's body", () => {
    expect(
      usesAfterMoves(`func fresh(q *Queue, buf []byte, ok bool) {\n\tq.Push(buf)\n\tif ok {\n\t\tbuf = nil\n\t} else {\n\t\tbuf = make([]byte, 1)\n\t}\n\tbuf[0] = 1\n}`, "fresh"),
    ).toEqual([undefined]);
    expect(usesAfterMoves(`func async(q *Queue, buf []byte) {\n\tgo func() {\n\t\tq.Push(buf)\n\t}()\n\twait()\n}`, "async")).toEqual([undefined]);
  });

  it("gives up quietly on a function nested deeper than the graph models", () => {
    const deep = `func deep(q *Queue, buf []byte) {\n${"{\n".repeat(MAX_NESTING + 5)}q.Push(buf)\nbuf[0] = 1\n${"}\n".repeat(MAX_NESTING + 5)}}`;
    expect(usesAfterMoves(deep, "deep")).toEqual([undefined]);
  });
});

describe("derivation flow on the graph", () => {
  /** The lines (in the function) of the flow's events. */
  function eventLines(body: string, name: string): number[] {
    const { file, fn } = load(body);
    const f = fn(name);
    return functionFlow(f, file, SCOPES)
      .events.map((e) => file.lines.lineOf(e.anchor.start) - file.lines.lineOf(f.start))
      .sort((a, b) => a - b);
  }

  it("carries a value through func literals nested in loops, to a fixpoint at every level", () => {
    let body = "\t\tsink = x\n";
    for (let i = 0; i < 8; i++) body = `for i := 0; i < n; i++ {\nfunc() {\n${body}}()\nx = p\n}\n`;
    const lines = eventLines(`var sink []byte\n\n//memlint:borrow p\nfunc nested(p []byte, n int) {\n\tvar x []byte\n${body}}`, "nested");
    expect(lines).toEqual([18]);
  });

  it("has no events for a function nested deeper than the graph models", () => {
    const deep = `var sink []byte\n\n//memlint:borrow p\nfunc deep(p []byte) {\n${"{\n".repeat(MAX_NESTING + 5)}sink = p\n${"}\n".repeat(MAX_NESTING + 5)}}`;
    expect(eventLines(deep, "deep")).toEqual([]);
  });
});
