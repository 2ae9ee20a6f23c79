import { describe, expect, it } from "vitest";
import { scanDeclarations } from "../../src/engine/declarations.js";

const keys = (src: string) => scanDeclarations(src).map((d) => `${d.kind}:${d.key}@${d.startLine}-${d.endLine}`);

describe("scanDeclarations", () => {
  it("finds functions, methods, grouped and single specs with their lines", () => {
    const src = [
      "package wire", // 1
      "", // 2
      'import "io"', // 3
      "", // 4
      "// Frame is one message.", // 5
      "type Frame struct{ N int }", // 6
      "", // 7
      "var (", // 8
      "\tcache = map[string]int{}", // 9
      "\tlimit, burst int", // 10
      ")", // 11
      "", // 12
      "func (f *Frame) Read(r io.Reader) error {", // 13
      "\treturn nil", // 14
      "}", // 15
      "", // 16
      "func (l *List[T]) Len() int { return 0 }", // 17
      "func Decode() {}", // 18
    ].join("\n");
    expect(keys(src)).toEqual([
      "package:package@1-1",
      "import:import@3-3",
      "type:type Frame@5-6",
      "var:var cache@8-11",
      "method:Frame.Read@13-15",
      "method:List.Len@17-17",
      "func:Decode@18-18",
    ]);
    expect(scanDeclarations(src).find((d) => d.key === "var cache")?.names).toEqual(["cache", "limit", "burst"]);
  });

  it("is not fooled by raw strings, runes, comments and func literals in values", () => {
    const src = [
      "package p",
      "",
      "var tmpl = `",
      "func NotAFunction() {",
      "}`",
      "",
      "var r = '}'",
      "/* func alsoNot() {} */",
      "var handler = func() {",
      "\tx := \"func inString() {\"",
      "\t_ = x",
      "}",
      "",
      "func Real() {}",
    ].join("\n");
    expect(keys(src)).toEqual(["package:package@1-1", "var:var tmpl@3-5", "var:var r@7-7", "var:var handler@9-12", "func:Real@14-14"]);
  });

  it("continues an expression across a newline after an operator", () => {
    const src = "package p\n\nvar f =\n\tfunc() {}\n\nfunc g() {}\n";
    expect(keys(src)).toEqual(["package:package@1-1", "var:var f@3-4", "func:g@6-6"]);
  });

  it("attaches comments above a declaration to it", () => {
    const src = "package p\n\n// stray note\n\n// Doc for F.\n//memlint:borrow b\nfunc F(b []byte) {}\n";
    const f = scanDeclarations(src).find((d) => d.key === "F")!;
    expect(f.startLine).toBe(3);
    expect(src.slice(f.keywordStart)).toMatch(/^func F/);
  });

  it("terminates on a file that starts with blank lines (found by the property tests)", () => {
    expect(keys("\nfunc F() {}\n")).toEqual(["func:F@2-2"]);
    expect(keys("\n\n// F does nothing.\nfunc F() {}\n")).toEqual(["func:F@3-4"]);
  });
});
