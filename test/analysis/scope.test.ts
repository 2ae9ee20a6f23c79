/** Local def-use: which declaration an identifier refers to. */
import { beforeAll, describe, expect, it } from "vitest";
import type { GoNode } from "../../src/analysis/node.js";
import { declarationOf } from "../../src/analysis/scope.js";
import { initParser, parseGo } from "../../src/engine/parser.js";
import { LineIndex } from "../../src/engine/position.js";

beforeAll(initParser);

function parse(body: string): GoNode {
  const source = `package p\n\n${body}\n`;
  return parseGo(source, new LineIndex(source)).root;
}

/** The identifiers named `name`, in source order. */
function identifiers(root: GoNode, name: string): GoNode[] {
  return root.descendants("identifier").filter((n) => n.text === name);
}

describe("declarationOf", () => {
  it("resolves a range expression outside the loop, and the body to the range variable", () => {
    const root = parse(`func f(i *Iter) {\n\tfor i, x := range i.Items() {\n\t\t_, _ = i, x\n\t}\n}`);
    const [param, rangeVar, inRange, inBody] = identifiers(root, "i");
    expect(declarationOf(inRange!)).toBe(param);
    expect(declarationOf(inBody!)).toBe(rangeVar);
  });

  it("resolves a for clause's condition to the loop variable", () => {
    const root = parse(`func f(n int) {\n\tfor n := n; n > 0; n-- {\n\t}\n}`);
    const [param, loopVar, inInit, inCond] = identifiers(root, "n");
    expect(declarationOf(inInit!)).toBe(param);
    expect(declarationOf(inCond!)).toBe(loopVar);
  });
});
