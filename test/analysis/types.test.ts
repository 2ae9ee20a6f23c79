/** Syntactic types: which calls may return a type, told from names before any type is asked. */
import { beforeAll, describe, expect, it } from "vitest";
import { isNamedType, mayReturnNamed, resultTypeOf } from "../../src/analysis/types.js";
import { initParser } from "../../src/engine/parser.js";
import { SourceFile } from "../../src/engine/source.js";

beforeAll(initParser);

const body = `
type Fetcher interface { Fetch(u string) (*http.Response, error) }

func get(u string) (*http.Response, error) { return http.Get(u) }

func use(f Fetcher, c *http.Client) {
	get("a")
	f.Fetch("b")
	c.Do(nil)
	new(http.Response)
	other()
	f.Name()
}
`;

const mayReturnResponse = mayReturnNamed([["net/http", ["Response"]]]);

function calls(text: string): Map<string, boolean> {
  const file = new SourceFile("p.go", text, "all");
  const use = file.analyzed.find((d) => d.decl.key === "use")!.node;
  const out = new Map<string, boolean>();
  for (const call of use.descendants("call_expression")) {
    const may = mayReturnResponse(call, file);
    // Never false where the type is in fact a response.
    if (isNamedType(resultTypeOf(call, 0, file), "net/http", ["Response"])) expect(may).toBe(true);
    out.set(call.child("function")!.text, may);
  }
  return out;
}

describe("mayReturnNamed", () => {
  it("lets through standard calls, builtins and the package's functions and interface methods that mention the type", () => {
    const may = calls(`package p\n\nimport "net/http"\n${body}`);
    expect(Object.fromEntries(may)).toEqual({ get: true, "f.Fetch": true, "c.Do": true, new: true, other: false, "f.Name": false });
  });

  it("keeps only standard calls and builtins where no file of the package imports the type's package", () => {
    const may = calls(`package p\n${body}`);
    expect(Object.fromEntries(may)).toEqual({ get: false, "f.Fetch": false, "c.Do": true, new: true, other: false, "f.Name": false });
  });
});
