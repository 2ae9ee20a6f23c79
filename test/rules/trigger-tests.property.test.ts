/**
 * A text test may say yes wrongly, never no: the findings must be the same whether the prefilter
 * lets a declaration through or every declaration is parsed. Here for the text tests that read
 * the most of a declaration (`http-body-close-before-err-check`: bindings and the statement after
 * them; `string-concat-in-loop`: assignments around a `+`; `global-map-unbounded`: index writes to
 * the package's variables; `slice-pop-retention`: slices re-sliced into themselves;
 * `slice-append-no-prealloc`: a slice appended to itself): functions
 * made of the statements that
 * decide each rule, in any order and nesting, some with layouts the text test must not misread (a
 * check or an assignment in a comment or a string, a statement over two lines).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFile, type AnalyzeOptions } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import type { Rule } from "../../src/engine/types.js";
import { KNOWN_RULE_IDS } from "../../src/rules/index.js";
import bodyCloseBeforeErrCheck from "../../src/rules/http-body-close-before-err-check.js";
import globalMapUnbounded from "../../src/rules/global-map-unbounded.js";
import sliceAppendNoPrealloc from "../../src/rules/slice-append-no-prealloc.js";
import slicePopRetention from "../../src/rules/slice-pop-retention.js";
import stringConcat from "../../src/rules/string-concat-in-loop.js";

beforeAll(initParser);

const BINDINGS = [
  "resp, err := http.Get(u)",
  "resp, err = client.Do(req)",
  "var resp, err = http.Get(u)",
  "resp, _ := http.Get(u)",
  'resp, err := http.Post(u,\n\t\t"text/plain", nil)',
  "resp, err := client.Do(req) /*\n\tif err != nil { */",
  'resp, err := http.Get(")" + u) // if err != nil {',
  "resp,\n\t\terr := http.Get(u)",
];

const OTHERS = [
  "if err != nil {\n\t\treturn err\n\t}",
  "if (err != nil) {\n\t\treturn err\n\t}",
  "if err == nil {\n\t\tdefer resp.Body.Close()\n\t}",
  "if resp != nil {\n\t\tresp.Body.Close()\n\t}",
  "if resp == nil || err != nil {\n\t\treturn err\n\t}",
  "switch {\n\tcase err != nil:\n\t\treturn err\n\t}",
  "defer resp.Body.Close()",
  "resp.Body.Close()",
  "defer resp.Body.\n\t\tClose()",
  "log.Print(u)",
  "// if err != nil {",
  "if resp, err := http.Get(u); err != nil {\n\t\treturn err\n\t} else {\n\t\tresp.Body.Close()\n\t}",
  "go func() {\n\t\tdefer resp.Body.Close()\n\t}()",
];

/**
 * Blocks of up to `size` of `statements`, some of them nested in one of `heads` (a loop, an
 * `if`). Small blocks, so that a shape the text test must see is often the only one it sees.
 */
function blocks(statements: fc.Arbitrary<string>, heads: readonly string[], size: number): fc.Arbitrary<string[]> {
  return fc.letrec<{ block: string[] }>((tie) => ({
    block: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: statements },
        { weight: 1, arbitrary: fc.constantFrom(...heads).chain((head) => tie("block").map((inner) => `${head}\n\t${inner.join("\n\t")}\n\t}`)) },
      ),
      { minLength: 1, maxLength: size },
    ),
  })).block;
}

function findings(rule: Rule, text: string, prefilter: boolean): string[] {
  const options: AnalyzeOptions = { rules: [rule], knownRuleIds: KNOWN_RULE_IDS, prefilter };
  return analyzeFile({ path: "p.go", head: text, base: null }, options).introduced.map((f) => `${f.line}:${f.column} ${f.message}`);
}

/**
 * The same findings with the prefilter on and off over 1,000 functions; and the property is not
 * vacuous: some have findings, the text test (given the rule's trigger `words`) keeps some out.
 */
function expectSameFindings(rule: Rule, sources: fc.Arbitrary<string>, words: ReadonlySet<string> = new Set()): void {
  let reported = 0;
  let kept = 0;
  fc.assert(
    fc.property(sources, (text) => {
      const all = findings(rule, text, false);
      expect(findings(rule, text, true)).toEqual(all);
      if (all.length > 0) reported++;
      if (!rule.triggerTest!(text, words)) kept++;
    }),
    { numRuns: 1000, seed: 20261207 },
  );
  expect(reported).toBeGreaterThan(20);
  expect(kept).toBeGreaterThan(20);
}

describe("text tests hide no finding: the same findings with the prefilter on and off", () => {
  it("http-body-close-before-err-check", () => {
    const statements = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...BINDINGS) }, { weight: 4, arbitrary: fc.constantFrom(...OTHERS) });
    const source = (body: readonly string[]) =>
      `package p\n\nimport (\n\t"log"\n\t"net/http"\n)\n\nfunc f(client *http.Client, req *http.Request, u string) error {\n\t${body.join("\n\t")}\n\treturn nil\n}\n`;
    expectSameFindings(bodyCloseBeforeErrCheck, blocks(statements, ["for i := 0; i < 2; i++ {", 'if u != "" {'], 6).map(source));
  });

  it("string-concat-in-loop", () => {
    const concatenations = fc.constantFrom(
      "s += p",
      's += "->"',
      "s = s + p",
      "s = p + s",
      "s = (s) + p",
      's = fmt.Sprintf("%s,%s", s, p)',
      "s=s+p",
      "s /* c */ += p",
      "s =\n\t\ts + p",
      's = "a" +\n\t\t"b" +\n\t\ts',
    );
    const nearMisses = fc.constantFrom(
      "n += 1",
      "n = n + 1",
      "t := s + p\n\t_ = t",
      "_ = s[n+1:]",
      'if s+p == "" {\n\t}',
      "// s += p",
      'msg := "s = s + p"\n\t_ = msg',
      "parts = append(parts, s+p)",
    );
    const statements = fc.oneof(concatenations, nearMisses);
    const source = (body: readonly string[]) =>
      `package p\n\nimport "fmt"\n\nfunc f(parts []string) string {\n\tvar s string\n\tn := 0\n\tp := ""\n\t${body.join("\n\t")}\n\t_, _ = fmt.Sprint(n), p\n\treturn s\n}\n`;
    expectSameFindings(stringConcat, blocks(statements, ["for _, p := range parts {", "for i := 0; i < 3; i++ {\n\tp := parts[i]", "if n > 0 {"], 3).map(source));
  });

  it("global-map-unbounded", () => {
    const writes = fc.constantFrom(
      "cache[k] = 1",
      "(cache)[k]++",
      "cache[k] += 2",
      "a[0], cache[k] = 1, 2",
      "cache [k] = 1",
      "other[k] = 1",
      'cache[k+"x"] = 1',
      "cache[k] =\n\t\t1",
    );
    const nearMisses = fc.constantFrom(
      "v := cache[k]\n\t_ = v",
      "t.cache[k] = 1",
      "// cache[k] = 1",
      '_ = "cache[k] = 1"',
      "if cache[k] == 0 {\n\t}",
      "delete(cache, k)",
      "n := len(other)\n\t_ = n",
      "a[0] = 1",
    );
    const source = (body: readonly string[]) =>
      `package p\n\nimport "net/http"\n\nvar cache = map[string]int{}\nvar other = map[string]int{}\n\ntype T struct{ cache map[string]int }\n\nfunc handle(w http.ResponseWriter, r *http.Request) {\n\tk := r.URL.Path\n\tvar t T\n\ta := []int{0}\n\t_, _ = t, a\n\t${body.join("\n\t")}\n}\n`;
    expectSameFindings(globalMapUnbounded, blocks(fc.oneof(writes, nearMisses), ["for i := 0; i < 2; i++ {", 'if k != "" {'], 3).map(source), new Set(["cache", "other"]));
  });

  it("slice-pop-retention", () => {
    // A queue's field and a package variable popped in a method of the queue; a heap popped in its own.
    const queuePops = fc.constantFrom(
      "q.items = q.items[1:]",
      "j, q.items = q.items[0], q.items[1:]",
      "q.items = q.items[:n-1]",
      "q.items = q.items[:len(q.items)-1]",
      "pending = pending[1:]",
      "q.items=q.items[1:]",
      "pending, j = pending[:n-1], pending[n-1]",
    );
    const heapPops = fc.constantFrom("j = old[n-1]\n\t*h = old[0 : n-1]", "j = (*h)[n-1]\n\t*h = (*h)[0 : n-1]", "j = (*h)[n-1]\n\t*h = (*h)[:n-1]");
    const nearMisses = fc.constantFrom(
      "local = local[1:]",
      "j = local[0]",
      "// q.items = q.items[1:]",
      '_ = "pending = pending[1:]"',
      "local[0] = nil",
      "local = append(local[:0], local[1:]...)",
      "rest := local[1:]\n\t_ = rest",
    );
    const heads = ["for n > 0 {", "if n > 1 {"];
    const source = ([queue, heap]: readonly [readonly string[], readonly string[]]) =>
      `package p\n\ntype Job struct{ ID string }\n\ntype Queue struct {\n\titems []*Job\n}\n\nvar pending []*Job\n\ntype jobHeap []*Job\n\n` +
      `func (q *Queue) Get() *Job {\n\tn := len(q.items)\n\tlocal := q.items\n\tvar j *Job\n\t${queue.join("\n\t")}\n\t_ = local\n\treturn j\n}\n\n` +
      `func (h *jobHeap) Pop() *Job {\n\told := *h\n\tn := len(old)\n\tlocal := old\n\tvar j *Job\n\t${heap.join("\n\t")}\n\t_ = local\n\treturn j\n}\n`;
    const bodies = fc.tuple(blocks(fc.oneof(queuePops, nearMisses), heads, 3), blocks(fc.oneof(heapPops, nearMisses), heads, 3));
    expectSameFindings(slicePopRetention, bodies.map(source), new Set(["Job", "Queue", "pending", "jobHeap"]));
  });

  it("slice-append-no-prealloc", () => {
    // Appended once per element of a range: the rule's shape, in the layouts the text test reads.
    const appends = fc.constantFrom(
      "out = append(out, u)",
      "out=append(out,u)",
      "out = append(out, u+\"!\")",
      "out = append(\n\t\tout, u)",
      "out = append( out , u )",
      "(out) = append(out, u)",
    );
    const nearMisses = fc.constantFrom(
      "other := append(out, u)\n\t_ = other",
      "_ = append(out, u)",
      "rest = append(rest, u)",
      "// out = append(out, u)",
      'log.Print("out = append(out, u)")',
      "out2 = append(out, u)",
    );
    const source = (body: readonly string[]) =>
      `package p\n\nimport "log"\n\nfunc f(users []string, rest []string) ([]string, []string) {\n\tvar out []string\n\tvar out2 []string\n\tfor _, u := range users {\n\t${body.join("\n\t")}\n\t}\n\treturn out, append(out2, rest...)\n}\n`;
    expectSameFindings(sliceAppendNoPrealloc, blocks(fc.oneof(appends, nearMisses), ["if u != \"\" {"], 2).map(source));
  });
});
