/** Forward dataflow over the graph: joins where paths meet, loops to a fixpoint, re-runs that only add. */
import { beforeAll, describe, expect, it } from "vitest";
import { cfgOf, type CfgNode } from "../../src/analysis/cfg.js";
import { ForwardFlow, reversePostorder, type ForwardAnalysis } from "../../src/analysis/dataflow.js";
import { initParser, parseGo } from "../../src/engine/parser.js";
import { LineIndex } from "../../src/engine/position.js";

beforeAll(initParser);

/** Which literals each variable may hold: `x = "a"` gives x {a}, `x = y` copies y's, `x = nil` empties it. */
type Values = Map<string, ReadonlySet<string>>;

const copies: ForwardAnalysis<Values> = {
  transfer(node: CfgNode, st: Values): Values {
    const s = node.syntax;
    if (node.kind !== "statement" || s.type !== "assignment_statement") return st;
    const left = s.child("left")!.text;
    const right = s.child("right")!.namedChildren[0]!;
    if (right.type === "interpreted_string_literal") st.set(left, new Set([right.text.slice(1, -1)]));
    else if (right.type === "identifier" && right.text !== "nil") st.set(left, st.get(right.text) ?? new Set());
    else st.set(left, new Set());
    return st;
  },
  join(known, arriving) {
    let out: Values | undefined;
    for (const [k, v] of arriving) {
      const mine = known.get(k) ?? new Set<string>();
      if ([...v].some((x) => !mine.has(x))) (out ??= new Map(known)).set(k, new Set([...mine, ...v]));
    }
    return out ?? known;
  },
  copy: (st) => new Map(st),
};

function flowOf(body: string): { flow: ForwardFlow<Values>; at: (text: string) => CfgNode } {
  const source = `package p\n\n${body}\n`;
  const root = parseGo(source, new LineIndex(source)).root;
  const cfg = cfgOf(root.descendants("function_declaration")[0]!)!;
  const at = (text: string) => cfg.nodes.find((n) => n.kind === "statement" && n.syntax.text === text)!;
  return { flow: new ForwardFlow(cfg, copies), at };
}

function holds(flow: ForwardFlow<Values>, node: CfgNode, name: string): string[] {
  return [...(flow.stateAt(node)?.get(name) ?? [])].sort();
}

describe("forward dataflow", () => {
  it("joins the states of both branches where they meet", () => {
    const { flow, at } = flowOf(`func f(ok bool) {\n\tx = "a"\n\tif ok {\n\t\tx = "b"\n\t}\n\tuse(x)\n}`);
    flow.run(new Map());
    expect(holds(flow, at("use(x)"), "x")).toEqual(["a", "b"]);
    expect(holds(flow, at(`x = "b"`), "x")).toEqual(["a"]);
  });

  it("follows a loop round until values carried over three iterations arrive", () => {
    const { flow, at } = flowOf(`func f(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tuse(c)\n\t\tc = b\n\t\tb = a\n\t\ta = "x"\n\t}\n}`);
    flow.run(new Map());
    expect(holds(flow, at("use(c)"), "c")).toEqual(["x"]);
  });

  it("follows goto and labelled continue, and reaches nothing after a return", () => {
    const { flow, at } = flowOf(
      `func f(rows [][]int) {\nagain:\n\tuse(x)\n\tx = "g"\n\tif len(rows) > 0 {\n\t\tgoto again\n\t}\nouter:\n\tfor range rows {\n\t\tuse(y)\n\t\tfor range rows {\n\t\t\ty = "c"\n\t\t\tcontinue outer\n\t\t}\n\t}\n\treturn\n\tdead()\n}`,
    );
    flow.run(new Map());
    expect(holds(flow, at("use(x)"), "x")).toEqual(["g"]);
    expect(holds(flow, at("use(y)"), "y")).toEqual(["c"]);
    expect(flow.stateAt(at("dead()"))).toBeUndefined();
  });

  it("keeps its states between runs: a larger entry state only adds", () => {
    const { flow, at } = flowOf(`func f() {\n\tuse(p)\n\tq = p\n\tuse(q)\n}`);
    flow.run(new Map([["p", new Set(["one"])]]));
    expect(holds(flow, at("use(q)"), "q")).toEqual(["one"]);
    flow.run(new Map([["p", new Set(["two"])]]));
    expect(holds(flow, at("use(q)"), "q")).toEqual(["one", "two"]);
  });

  it("orders nodes after their forward predecessors", () => {
    const { flow, at } = flowOf(`func f(ok bool) {\n\tx = "a"\n\tfor ok {\n\t\tx = "b"\n\t}\n\tuse(x)\n}`);
    const order = reversePostorder(flow.cfg);
    const index = (text: string) => order.indexOf(at(text));
    expect(order[0]).toBe(flow.cfg.entry);
    expect(index(`x = "a"`)).toBeLessThan(index(`x = "b"`));
    expect(index(`x = "a"`)).toBeLessThan(index("use(x)"));
  });
});
