/** The control-flow graph: one small Go function per construct, and the queries rules ask. */
import { beforeAll, describe, expect, it } from "vitest";
import { cfgOf, type Cfg, type CfgNode } from "../../src/analysis/cfg.js";
import type { GoNode } from "../../src/analysis/node.js";
import { initParser, parseGo } from "../../src/engine/parser.js";
import { LineIndex } from "../../src/engine/position.js";

beforeAll(initParser);

/** The graph of the first function of `body` wrapped in a file, and a finder for nodes by the text of their syntax. */
function graph(body: string): { cfg: Cfg; at: (text: string) => CfgNode } {
  const source = `package p\n\n${body}\n`;
  const root = parseGo(source, new LineIndex(source)).root;
  const fn = root.descendants("function_declaration", "method_declaration")[0]!;
  const cfg = cfgOf(fn)!;
  expect(cfg).toBeDefined();
  const at = (text: string) => {
    const found = cfg.nodes.filter((n) => n.kind !== "entry" && n.kind !== "exit" && n.kind !== "abort" && firstLine(n.syntax) === text);
    if (found.length !== 1) throw new Error(`${found.length} nodes read ${JSON.stringify(text)}: ${cfg.nodes.map((n) => firstLine(n.syntax)).join(" | ")}`);
    return found[0]!;
  };
  return { cfg, at };
}

function firstLine(node: GoNode): string {
  return node.text.split("\n")[0]!.trim();
}

/** `kind→text` of a node's successors, in order. */
function succ(node: CfgNode): string[] {
  return node.succs.map((e) => `${e.kind}→${e.to.kind === "exit" || e.to.kind === "abort" ? e.to.kind : firstLine(e.to.syntax)}`);
}

describe("cfg", () => {
  it("chains simple statements from the entry to the exit", () => {
    const { cfg, at } = graph(`func f() {\n\ta := 1\n\tb(a)\n}`);
    expect(succ(cfg.entry)).toEqual(["next→a := 1"]);
    expect(succ(at("a := 1"))).toEqual(["next→b(a)"]);
    expect(succ(at("b(a)"))).toEqual(["next→exit"]);
  });

  it("splits at an if condition, with the initializer first and both branches joining", () => {
    const { at } = graph(`func f() {\n\tif err := g(); err != nil {\n\t\treturn\n\t} else {\n\t\th()\n\t}\n\tdone()\n}`);
    expect(succ(at("err := g()"))).toEqual(["next→err != nil"]);
    expect(succ(at("err != nil"))).toEqual(["true→return", "false→h()"]);
    expect(succ(at("return"))).toEqual(["next→exit"]);
    expect(succ(at("h()"))).toEqual(["next→done()"]);
  });

  it("falls through an if without else on the false edge, and chains else-if", () => {
    const { at } = graph(`func f(x int) {\n\tif x > 1 {\n\t\ta()\n\t} else if x > 0 {\n\t\tb()\n\t}\n\tc()\n}`);
    expect(succ(at("x > 1"))).toEqual(["true→a()", "false→x > 0"]);
    expect(succ(at("x > 0"))).toEqual(["true→b()", "false→c()"]);
  });

  it("loops a three-clause for through its update, with break and continue", () => {
    const { cfg, at } = graph(
      `func f() {\n\tfor i := 0; i < 3; i++ {\n\t\tif skip(i) {\n\t\t\tcontinue\n\t\t}\n\t\tif stop(i) {\n\t\t\tbreak\n\t\t}\n\t\twork(i)\n\t}\n\tafter()\n}`,
    );
    expect(succ(at("i := 0"))).toEqual(["next→i < 3"]);
    expect(succ(at("i < 3"))).toEqual(["true→skip(i)", "false→after()"]);
    expect(succ(at("continue"))).toEqual(["next→i++"]);
    expect(succ(at("break"))).toEqual(["next→after()"]);
    expect(succ(at("work(i)"))).toEqual(["next→i++"]);
    const update = at("i++");
    expect(update.succs.map((e) => e.back)).toEqual([true]);
    expect(cfg.canRepeat(at("work(i)"))).toBe(true);
    expect(cfg.canRepeat(at("after()"))).toBe(false);
    expect(cfg.loopsAround(at("work(i)")).map((n) => firstLine(n.syntax))).toEqual(["i < 3"]);
  });

  it("gives a range header a more and a done edge", () => {
    const { at } = graph(`func f(xs []int) {\n\tfor _, x := range xs {\n\t\tuse(x)\n\t}\n\tafter()\n}`);
    expect(succ(at("_, x := range xs"))).toEqual(["more→use(x)", "done→after()"]);
    expect(succ(at("use(x)"))).toEqual(["next→_, x := range xs"]);
  });

  it("leaves a for without condition only through break or return", () => {
    const { cfg, at } = graph(`func f() {\n\tfor {\n\t\tif done() {\n\t\t\treturn\n\t\t}\n\t\twork()\n\t}\n}`);
    expect(cfg.canReturn()).toBe(true);
    expect(succ(at("work()"))).toEqual(["next→for {"]);
    const endless = graph(`func f() {\n\tfor {\n\t\twork()\n\t}\n}`);
    expect(endless.cfg.canReturn()).toBe(false);
    expect(succ(endless.at("for {"))).toEqual(["next→work()"]);
  });

  it("follows labelled break and continue to the outer loop", () => {
    const { at } = graph(
      `func f(rows [][]int) {\nouter:\n\tfor _, row := range rows {\n\t\tfor _, v := range row {\n\t\t\tif v < 0 {\n\t\t\t\tcontinue outer\n\t\t\t}\n\t\t\tif v == 0 {\n\t\t\t\tbreak outer\n\t\t\t}\n\t\t}\n\t}\n\tafter()\n}`,
    );
    expect(succ(at("continue outer"))).toEqual(["next→_, row := range rows"]);
    expect(succ(at("break outer"))).toEqual(["next→after()"]);
  });

  it("branches a switch to every case, falls through, and skips to the end without default", () => {
    const { at } = graph(`func f(x int) {\n\tswitch x {\n\tcase 1:\n\t\ta()\n\t\tfallthrough\n\tcase 2:\n\t\tb()\n\t}\n\tc()\n}`);
    expect(succ(at("switch x {"))).toEqual(["case→case 1:", "case→case 2:", "nomatch→c()"]);
    expect(succ(at("fallthrough"))).toEqual(["next→b()"]);
    expect(succ(at("b()"))).toEqual(["next→c()"]);
    const withDefault = graph(`func f(x any) {\n\tswitch v := x.(type) {\n\tcase int:\n\t\ta(v)\n\tdefault:\n\t\tbreak\n\t}\n\tc()\n}`);
    expect(succ(withDefault.at("switch v := x.(type) {"))).toEqual(["case→case int:", "case→default:"]);
    expect(succ(withDefault.at("break"))).toEqual(["next→c()"]);
  });

  it("branches a select to each communication; a break leaves the select, not the loop", () => {
    const { at } = graph(
      `func f(ctx context.Context, ch chan int) {\n\tfor {\n\t\tselect {\n\t\tcase <-ctx.Done():\n\t\t\treturn\n\t\tcase v := <-ch:\n\t\t\tif v == 0 {\n\t\t\t\tbreak\n\t\t\t}\n\t\t\tuse(v)\n\t\t}\n\t}\n}`,
    );
    expect(succ(at("select {"))).toEqual(["case→case <-ctx.Done():", "case→case v := <-ch:"]);
    expect(succ(at("break"))).toEqual(["next→for {"]);
    expect(succ(at("use(v)"))).toEqual(["next→for {"]);
    const blocked = graph(`func f() {\n\tselect {}\n\tafter()\n}`);
    expect(blocked.cfg.canReturn()).toBe(false);
  });

  it("jumps with goto, backward and forward", () => {
    const { at } = graph(`func f() {\nretry:\n\tif try() {\n\t\tgoto done\n\t}\n\tgoto retry\ndone:\n\tfinish()\n}`);
    expect(succ(at("goto done"))).toEqual(["next→done:"]);
    expect(succ(at("goto retry"))).toEqual(["next→retry:"]);
    expect(succ(at("done:"))).toEqual(["next→finish()"]);
  });

  it("ends panics and process exits in abort, not in exit", () => {
    const { cfg, at } = graph(`func f(err error) {\n\tif err != nil {\n\t\tlog.Fatalf("x: %v", err)\n\t}\n\tif bad() {\n\t\tpanic("bad")\n\t}\n\tos.Exit(1)\n}`);
    expect(succ(at(`log.Fatalf("x: %v", err)`))).toEqual(["next→abort"]);
    expect(succ(at(`panic("bad")`))).toEqual(["next→abort"]);
    expect(succ(at("os.Exit(1)"))).toEqual(["next→abort"]);
    expect(cfg.canReturn()).toBe(false);
  });

  it("keeps a nested func literal out of the graph: it is part of its statement", () => {
    const { cfg, at } = graph(`func f() {\n\tgo func() {\n\t\tinner()\n\t}()\n\tdefer func() { cleanup() }()\n}`);
    const go = at("go func() {");
    expect(succ(go)).toEqual(["next→defer func() { cleanup() }()"]);
    const inner = go.syntax.descendants("call_expression").find((c) => c.text === "inner()")!;
    expect(cfg.nodeOf(inner)).toBe(go);
    expect(cfg.nodes.some((n) => n.syntax.text === "inner()")).toBe(false);
  });

  it("answers path queries: avoiding a node, on every path, first uses", () => {
    const { cfg, at } = graph(
      `func f() error {\n\tr, err := open()\n\tif err != nil {\n\t\treturn err\n\t}\n\tif r.Bad() {\n\t\treturn errBad\n\t}\n\tr.Close()\n\treturn nil\n}`,
    );
    const open = at("r, err := open()");
    const close = at("r.Close()");
    const leak = cfg.pathFrom(open, { target: (n) => n === cfg.exit, blocks: (n) => n === close, skips: (e) => e.from === at("err != nil") && e.kind === "true" });
    expect(leak?.map((n) => (n.kind === "exit" ? "exit" : firstLine(n.syntax)))).toEqual(["err != nil", "r.Bad()", "return errBad", "exit"]);
    expect(cfg.onEveryPath(close)).toBe(false);
    expect(cfg.onEveryPath(open)).toBe(true);
    const uses = cfg.firstUsesAfter(open, (n) => n.kind !== "exit" && n.syntax.text.includes("r."));
    expect(uses.map((n) => firstLine(n.syntax))).toEqual(["r.Bad()"]);
  });

  it("maps inner syntax to its node: a case's communication, a condition's operand", () => {
    const { cfg, at } = graph(`func f(ch chan int) {\n\tselect {\n\tcase v := <-ch:\n\t\tuse(v)\n\t}\n\tif x := <-ch; x > 0 {\n\t}\n}`);
    const recv = at("case v := <-ch:").syntax.descendants("unary_expression")[0]!;
    expect(cfg.nodeOf(recv)).toBe(at("case v := <-ch:"));
    const x = at("x > 0").syntax.descendants("identifier")[0]!;
    expect(cfg.nodeOf(x)).toBe(at("x > 0"));
  });

  it("builds graphs for func literals too, and none for hostile nesting", () => {
    const source = `package p\n\nvar f = func() int {\n\treturn 1\n}\n`;
    const root = parseGo(source, new LineIndex(source)).root;
    const literal = root.descendants("func_literal")[0]!;
    const cfg = cfgOf(literal)!;
    expect(succ(cfg.entry)).toEqual(["next→return 1"]);
    const deep = `package p\n\nfunc f() {\n${"{\n".repeat(150)}${"}\n".repeat(150)}}\n`;
    const deepRoot = parseGo(deep, new LineIndex(deep)).root;
    expect(cfgOf(deepRoot.descendants("function_declaration")[0]!)).toBeUndefined();
  });
});
