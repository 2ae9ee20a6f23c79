/**
 * Rules' text tests (`Rule.triggerTest`): what they let through must include every shape the
 * rule reports from (the fixtures check that with and without the prefilter); these cases pin
 * down what they keep out, so a regression in speed shows here and not only in the benchmark.
 */
import { describe, expect, it } from "vitest";
import type { Rule } from "../../src/engine/types.js";
import fieldGrowth from "../../src/rules/field-growth-unbounded.js";
import bodyCloseBeforeErrCheck from "../../src/rules/http-body-close-before-err-check.js";
import forcedGc from "../../src/rules/forced-gc.js";
import poolNewReturnsNil from "../../src/rules/pool-new-returns-nil.js";
import slicePop from "../../src/rules/slice-pop-retention.js";
import subslice from "../../src/rules/subslice-retention.js";
import stringConcat from "../../src/rules/string-concat-in-loop.js";

const test = (rule: Rule, text: string) => rule.triggerTest!(text, new Set());

describe("string-concat-in-loop", () => {
  it.each([
    ["s += x", true],
    ['s += "->"', true],
    ["s += /* c */ x", true],
    ["s = s + x", true],
    ["s = (s) + x", true],
    ["s=s+t", true],
    ["s = a + s", true],
    ["s = a + s // c", true],
    ["s /* c */ = s + y", true],
    ["s =\n\ts + x", true],
    ["s = a +\n\tb +\n\ts", true],
    ['s = fmt.Sprintf("%s,%d", s, n)', true],
    ["s/* c */= s + y", true],
    ["s = a +\n\tb // c\n", true],
    // Numbers and lengths are no strings; fields, elements and middle operands are not followed.
    ["n += 1", false],
    ["n += len(b)", false],
    ["n += (1)", false],
    ["i = i + 1", false],
    ["x.n += s", false],
    ["a[i] += x", false],
    ["s = a + b", false],
    ["s = sx + 1", false],
    ["for i := 0; i < n; i++ {\n}", false],
    // No plain assignment around the `+`: a declaration, a comparison, an index.
    ["n := m + 1", false],
    ["if a+1 == b || c+d <= e {", false],
    ["x := s[i+1]", false],
  ])("%j → %s", (text, want) => expect(test(stringConcat, text)).toBe(want));
});

describe("http-body-close-before-err-check", () => {
  it.each([
    ["resp, err := c.Do(req)\ndefer resp.Body.Close()\nif err != nil {", true],
    ["resp, err := http.Get(u)\n\tdefer resp.Body .Close()", true],
    ["resp, err = c.Get(u)\nresp.Body.\n\t\tClose()", true],
    ["resp, err := c.Get(u)\nresp.Body /* the stream */ .Close()", true],
    ["resp, err := c.Get(u)\nresp.\n\tBody.Close()", true],
    // The statement goes on after a `,`, and a function literal's check is not the one after it.
    ["resp, err := c.Post(u,\n\t\"text/plain\", body)\ndefer resp.Body.Close()\nif err != nil {", true],
    ["resp, err := do(func() error {\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn nil\n})\ndefer resp.Body.Close()", true],
    // A check inside a comment is no check.
    ["resp, err := c.Get(u) /*\nif err != nil {*/\ndefer resp.Body.Close()\nif err != nil {", true],
    ["resp, err := c.Get(u) // if err != nil {\ndefer resp.Body.Close()", true],
    ["resp, err := c.Get(`)\nif err != nil {`)\ndefer resp.Body.Close()", true],
    // The error dropped, a typed `var`, a comment inside the names: the text does not tell.
    ["resp, _ := c.Get(u)\ndefer resp.Body.Close()", true],
    ["var resp, err any = c.Get(u)\nif err != nil {\n}\ndefer resp.Body.Close()", true],
    ["resp /* r */, err := c.Get(u)\nif err != nil {\n}\nresp.Body.Close()", true],
    // Only the `if` right after the binding is a check on every path.
    ["resp, err := c.Get(u)\nlog.Print(u)\nif err != nil {\n\treturn err\n}\ndefer resp.Body.Close()", true],
    ["if resp, err := c.Get(u); err != nil {\n} else {\n\tresp.Body.Close()\n}", true],
    // The block around the binding ends before the `if`: the loop may go round to the close first.
    ["for { defer resp.Body.Close(); resp, err = c.Get(u) }\nif err != nil {\n\treturn err\n}", true],
    // Code that serves HTTP names both words everywhere without closing a response's body.
    ["r.Body = http.NoBody\ndefer conn.Close()", false],
    ["// Close closes the Body.\nfunc (b *body) Close() error", false],
    // The error checked at once, as clients and tests nearly always do.
    ["res, err := c.Get(u)\nif err != nil {\n\tt.Fatal(err)\n}\ndefer res.Body.Close()", false],
    ["res, err := c.Do(req) // the first request\n\n// Check it.\nif err != nil {\n\treturn res, err\n}\nres.Body.Close()", false],
    ['resp, err = c.Post(u,\n\t"text/plain", strings.NewReader("}"))\nif err == nil {\n\tresp.Body.Close()\n}', false],
    ["var res, err = c.Get(u); if res == nil || err != nil {\n\treturn\n}\nres.Body.Close()", false],
    ["resp, err := c.Get(u)\nif (err != nil) {\n\treturn\n}\nfmt.Println(resp, err)\nresp.Body.Close()", false],
    // No name bound: a parameter, a call, a parenthesized operand.
    ["func drain(resp *http.Response) {\n\tdefer resp.Body.Close()\n}", false],
    ["defer f().Body.Close()\n(resp).Body.Close()\nrespBody.Close()", false],
  ])("%j → %s", (text, want) => expect(test(bodyCloseBeforeErrCheck, text)).toBe(want));
});

describe("field-growth-unbounded", () => {
  it.each([
    ["// Lock takes the key's lock.\nfunc (t *Table) Lock(k string) {\n\tt.locks[k] = m\n}", true],
    ["func (p *Peers[K]) addPeer(id K) {\n\tp.byID[id] = struct{}{}\n}", true],
    ["func (t *Table) Unlock(k string) {\n\tt.locks[k] = nil\n}", false],
    ["func Lock(k string) {\n\tlocks[k] = m\n}", false],
    ["func (t *Table) Lock(k string) {\n\tm := t.locks[k]\n}", false],
  ])("%j → %s", (text, want) => expect(test(fieldGrowth, text)).toBe(want));
});

describe("pool-new-returns-nil and forced-gc", () => {
  it("needs a pool's New being set", () => {
    expect(test(poolNewReturnsNil, "var p = sync.Pool{New: func() any { return nil }}")).toBe(true);
    expect(test(poolNewReturnsNil, "p.New = func() any { return nil }")).toBe(true);
    expect(test(poolNewReturnsNil, "x := New(cfg)")).toBe(false);
  });

  it("needs a qualified call", () => {
    expect(test(forcedGc, "runtime.GC()")).toBe(true);
    expect(test(forcedGc, "debug . FreeOSMemory ()")).toBe(true);
    expect(test(forcedGc, "// GC runs concurrently; the GC percent")).toBe(false);
  });
});

describe("slice-pop-retention", () => {
  it.each([
    ["q.items = q.items[1:]", true],
    ["q.items=q.items[n:]", true],
    ["s.frames = s.frames[:len(s.frames)-1]", true],
    ["item, q.queue = q.queue[0], q.queue[1:]", true],
    ["pending, e = pending[:len(pending)-1], pending[len(pending)-1]", true],
    ["s.stack, top = s.stack[:n-1], s.stack[n-1]", true],
    ["*pq = old[0 : n-1]", true],
    ["*h = (*h)[0 : n-1]", true],
    // `pending` is a package-level variable; `b` a local.
    ["pending = (pending)[1:]", true],
    ["b = b[n:]", false],
    // Another slice, a declaration, an element.
    ["head := q.items[1:]", false],
    ["q.rest = q.items[1:]", false],
    ["buf = data[4:]", false],
    ["x := q.items[0]", false],
  ])("%j → %s", (text, want) => expect(slicePop.triggerTest!(text, new Set(["pending"]))).toBe(want));
});

describe("subslice-retention", () => {
  it.each([
    ["data, _ := io.ReadAll(r)\nc.head = data[:64]", true],
    ["buf := make([]byte, 1<<20)\nc.head = buf[:n]", true],
    ["buf := make([] uint8, size)\nc.head = buf[:n]", true],
    ["c.head = b.Bytes()[:8]", true],
    // `make` of anything but bytes is no big buffer.
    ["m := make(map[string]int)\nc.head = s[:n]", false],
    ["xs := make([]int, n)\nc.head = xs[:n]", false],
  ])("%j → %s", (text, want) => expect(test(subslice, text)).toBe(want));
});
