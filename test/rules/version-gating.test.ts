/**
 * Go-version gating of the timer rules: from Go 1.23 on, unstopped timers and tickers are
 * collectable, so a review does not run those rules (unless the configuration gives them a
 * severity), and the engine reports their findings as `info` when asked to run them anyway
 * (`memlint check --all-versions`); rules without `fixedInGo` keep their severity.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/load.js";
import { analyzeFile } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import type { Rule } from "../../src/engine/types.js";
import { KNOWN_RULE_IDS, RULES } from "../../src/rules/index.js";
import { reviewChange } from "../../src/review/review.js";
import { expectedMarks, FIXTURES } from "../helpers/fixtures.js";

beforeAll(initParser);

function ruleById(id: string): Rule {
  const rule = RULES.find((r) => r.meta.id === id);
  if (!rule) throw new Error(`rule ${id} is not registered`);
  return rule;
}

function severities(id: string, fixture: string, goVersion: string | undefined) {
  const head = readFileSync(join(FIXTURES, "rules", id, fixture), "utf8");
  const { introduced } = analyzeFile(
    { path: fixture, head, base: null },
    { rules: [ruleById(id)], knownRuleIds: KNOWN_RULE_IDS, ...(goVersion ? { goVersion } : {}) },
  );
  // The gating must not change which findings there are, only how severe they are.
  expect(introduced.length).toBe(expectedMarks(head).length);
  expect(introduced.length).toBeGreaterThan(0);
  return new Set(introduced.map((f) => f.severity));
}

describe.each([
  ["time-after-in-loop", "consumers.go"],
  ["ticker-not-stopped", "pollers.go"],
  ["time-tick-leak", "keepalive.go"],
])("%s", (id, fixture) => {
  it("is declared fixed in Go 1.23", () => {
    expect(ruleById(id).meta.fixedInGo).toBe("1.23");
  });

  it("reports warnings for go 1.22", () => {
    expect(severities(id, fixture, "1.22")).toEqual(new Set(["warning"]));
  });

  it("reports warnings when go.mod gives no version", () => {
    expect(severities(id, fixture, undefined)).toEqual(new Set(["warning"]));
  });

  it.each(["1.23", "1.23.4", "1.24"])("drops to info for go %s", (version) => {
    expect(severities(id, fixture, version)).toEqual(new Set(["info"]));
  });

  const reviewed = (goVersion: string | undefined, options: { severity?: "error"; allVersions?: boolean } = {}) => {
    const head = readFileSync(join(FIXTURES, "rules", id, fixture), "utf8");
    const config = defaultConfig();
    if (options.severity) config.rules[id] = { enabled: true, severity: options.severity };
    const result = reviewChange([{ path: fixture, head, base: null }], config, goVersion, { allVersions: options.allVersions ?? false });
    return result.introduced.filter((f) => f.ruleId === id).map((f) => f.severity);
  };

  it("says nothing in a review of a module on go 1.23 or later", () => {
    expect(reviewed("1.22").length).toBeGreaterThan(0);
    expect(reviewed("1.23")).toEqual([]);
    expect(reviewed("1.24.1")).toEqual([]);
  });

  it("reports as info with allVersions, and at the configured severity when the configuration names one", () => {
    const all = reviewed("1.23", { allVersions: true });
    expect(all.length).toBe(reviewed("1.22").length);
    expect(new Set(all)).toEqual(new Set(["info"]));
    expect(new Set(reviewed("1.23", { severity: "error" }))).toEqual(new Set(["error"]));
  });
});

describe("context-cancel-not-called", () => {
  it("is not version-gated", () => {
    expect(ruleById("context-cancel-not-called").meta.fixedInGo).toBeUndefined();
    expect(severities("context-cancel-not-called", "paths.go", "1.23")).toEqual(new Set(["error"]));
  });
});

describe("timer-not-stopped", () => {
  function findings(goVersion: string) {
    const head = readFileSync(join(FIXTURES, "rules", "timer-not-stopped", "sleep.go"), "utf8");
    return analyzeFile({ path: "sleep.go", head, base: null }, { rules: [ruleById("timer-not-stopped")], knownRuleIds: KNOWN_RULE_IDS, goVersion }).introduced;
  }

  it("drops channel timers to info from Go 1.23 but keeps AfterFunc timers, which the runtime still holds until they fire", () => {
    const before = findings("1.22");
    const after = findings("1.23");
    expect(after.map((f) => f.line)).toEqual(before.map((f) => f.line));
    const afterFunc = after.filter((f) => f.message.includes("AfterFunc"));
    expect(afterFunc.length).toBe(1);
    expect(afterFunc.map((f) => f.severity)).toEqual(["warning"]);
    expect(new Set(after.filter((f) => !f.message.includes("AfterFunc")).map((f) => f.severity))).toEqual(new Set(["info"]));
    expect(before.filter((f) => f.message.includes("AfterFunc")).map((f) => f.severity)).toEqual(["warning"]);
  });
});
