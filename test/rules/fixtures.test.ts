/**
 * Every rule against its fixtures: each `// want "<rule-id>"` line must produce exactly that
 * finding (whose message contains the text of a `"<rule-id>: text"` marker), and every other
 * line must stay silent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { initParser } from "../../src/engine/parser.js";
import { RULES } from "../../src/rules/index.js";
import { actualMarks, checkFixture, expectedMarks, FIXTURES, fixtureFiles, unmetFragments } from "../helpers/fixtures.js";

beforeAll(initParser);

describe.each(RULES.map((r) => [r.meta.id, r] as const))("%s", (id, rule) => {
  const files = fixtureFiles(join(FIXTURES, "rules", id));

  it("has fixtures with expected findings", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((f) => expectedMarks(f.source)).length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [f.name, f] as const))("%s", (_name, file) => {
    const findings = checkFixture(file, [rule]);
    expect(actualMarks(findings)).toEqual(expectedMarks(file.source).filter((m) => m.endsWith(`:${id}`)));
    expect(unmetFragments(file.source, findings).filter((w) => w.ruleId === id)).toEqual([]);
  });
});
