/** Correlated branches: facts from the conditions around a statement decide later conditions. */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, guardsOf } from "../../src/analysis/conditions.js";
import type { GoNode } from "../../src/analysis/node.js";
import { initParser } from "../../src/engine/parser.js";
import { SourceFile } from "../../src/engine/source.js";

beforeAll(initParser);

/**
 * For each `if` condition of `source` after the call `mark()`, what the guards of `mark()`
 * say about it: true, false, or undefined (unknown).
 */
function decide(body: string): (boolean | undefined)[] {
  const file = new SourceFile("a.go", `package p\n\nfunc f(n int, s string, ok bool, p *int) {\n${body}\n}\n`, "all");
  const fn = file.declarationsMentioning("mark")[0]!;
  const mark = fn.descendants("call_expression").find((c) => c.text === "mark()")!;
  const stmt = mark.parent!;
  const guards = guardsOf(stmt);
  const known = (d: GoNode) => guards.find((g) => g.decl === d)?.values;
  return fn
    .descendants("if_statement")
    .filter((i) => i.start > mark.end)
    .map((i) => evaluate(i.child("condition")!, known));
}

describe("guardsOf and evaluate", () => {
  it("decides integer comparisons from an enclosing range", () => {
    expect(decide(`if n > 0 { mark() }\nif n == 0 {}\nif n >= 1 {}\nif n != 0 {}\nif n > 5 {}\nif n < 0 || n == 0 {}`)).toEqual([false, true, true, undefined, false]);
  });

  it("uses the else branch and negation", () => {
    expect(decide(`if n <= 0 {} else { mark() }\nif n > 0 {}\nif !(n > 0) {}`)).toEqual([true, false]);
    expect(decide(`if !ok { mark() }\nif ok {}\nif !ok && n > 0 {}`)).toEqual([false, undefined]);
  });

  it("knows nil, strings and bools by equality only", () => {
    expect(decide(`if p == nil { mark() }\nif p != nil {}\nif s == "x" {}`)).toEqual([false, undefined]);
    expect(decide(`if s == "a" && ok { mark() }\nif s == "b" {}\nif s == "a" {}\nif ok == false {}`)).toEqual([false, true, false]);
    expect(decide(`if s != "a" { mark() }\nif s == "a" {}\nif s == "b" {}`)).toEqual([false, undefined]);
  });

  it("drops a fact the code writes between the condition and the statement, or that a disjunction does not give", () => {
    expect(decide(`if n > 0 {\n n = 0\n mark()\n}\nif n == 0 {}`)).toEqual([undefined]);
    expect(decide(`if n > 0 || ok { mark() }\nif n == 0 {}`)).toEqual([undefined]);
  });

  it("does not track a variable whose address is taken or that a closure captures", () => {
    expect(decide(`q := &n\n_ = q\nif n > 0 { mark() }\nif n == 0 {}`)).toEqual([undefined]);
    expect(decide(`g := func() { n = 0 }\ng()\nif n > 0 { mark() }\nif n == 0 {}`)).toEqual([undefined]);
  });
});
