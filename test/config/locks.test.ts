/** Organization locks: `locked` in the schema and loader, and "at least as strict" per kind of setting. */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { applyLocks, lockKeyProblem } from "../../src/config/locks.js";
import type { MemlintConfig } from "../../src/config/types.js";

function config(yaml: string): MemlintConfig {
  const result = parseConfigText(yaml, "test.yml");
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.config;
}

const env = (c: MemlintConfig, name: string) => c.environments.find((e) => e.name === name)!;

describe("`locked` in the configuration", () => {
  it("is read as a list of keys (duplicates dropped) and defaults to none", () => {
    expect(config("").locked).toEqual([]);
    expect(config("locked: [rules, rules, environments.production.block_on]\n").locked).toEqual(["rules", "environments.production.block_on"]);
  });

  it("rejects keys that cannot be locked, naming them, with their line", () => {
    const result = parseConfigText("locked:\n  - environments.production.colour\n  - rules.no-such-rule\n  - paths.nope\n", ".github/memlint.yml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.key, p.line])).toEqual([
      ["locked[0]", 2],
      ["locked[1]", 3],
      ["locked[2]", 4],
    ]);
    expect(result.problems[0]!.message).toContain("no lockable setting `colour`");
    expect(result.problems[1]!.message).toContain("`no-such-rule` is not a memlint rule");
  });

  it("knows every lockable form", () => {
    for (const key of [
      "environments",
      "environments.*",
      "environments.production",
      "environments.*.block_on",
      "environments.staging.waivers",
      "environments.staging.waivers.min_permission",
      "rules",
      "rules.*",
      "rules.defer-in-loop",
      "paths",
      "paths.exclude",
      "paths.non_production",
      "comments",
      "comments.min_severity",
      "tests",
      "generated",
      "drafts",
      "go_version",
      "max_comments",
      "ignore",
      "contracts.require",
    ]) {
      expect(lockKeyProblem(key), key).toBeUndefined();
    }
    expect(lockKeyProblem("locked")).toBeDefined();
  });
});

describe("applyLocks", () => {
  const org = config(
    [
      "environments:",
      "  production:",
      "    block_on: warning",
      "    conclusion: action_required",
      "    waivers:",
      "      allowed: true",
      "      min_permission: maintain",
      "      approvers: [alice, '@acme/leads']",
      "rules:",
      "  defer-in-loop: error",
      "  forced-gc: warning",
      "tests: true",
      "drafts: analyze",
      "ignore:",
      "  min_reason_length: 20",
      "paths:",
      "  exclude: [vendor/**]",
      "",
    ].join("\n"),
  );

  it("block_on: a lower severity is stricter, a higher one or none is refused", () => {
    const locked = ["environments.production.block_on"];
    expect(applyLocks(org, config("environments:\n  production:\n    block_on: info\n"), locked).refused).toEqual([]);
    const refused = applyLocks(org, config("environments:\n  production:\n    block_on: none\n"), locked);
    expect(refused.refused).toEqual([{ key: "environments.production.block_on", repository: "none", organization: "warning" }]);
    expect(env(refused.config, "production").blockOn).toBe("warning");
    expect(applyLocks(org, config("environments:\n  production:\n    block_on: error\n"), locked).refused).toHaveLength(1);
  });

  it("conclusion: failure > action_required > neutral", () => {
    const locked = ["environments.production.conclusion"];
    expect(applyLocks(org, config("environments:\n  production:\n    conclusion: failure\n"), locked).refused).toEqual([]);
    const r = applyLocks(org, config("environments:\n  production:\n    conclusion: neutral\n"), locked);
    expect(r.refused.map((x) => x.key)).toEqual(["environments.production.conclusion"]);
    expect(env(r.config, "production").conclusion).toBe("action_required");
  });

  it("waivers: not allowed, a higher permission and fewer approvers are stricter", () => {
    const locked = ["environments.production.waivers"];
    expect(applyLocks(org, config("environments:\n  production:\n    waivers:\n      allowed: false\n"), locked).refused).toEqual([]);
    expect(applyLocks(org, config("environments:\n  production:\n    waivers:\n      allowed: true\n      min_permission: admin\n      approvers: [alice]\n"), locked).refused).toEqual([]);
    const r = applyLocks(org, config("environments:\n  production:\n    waivers:\n      allowed: true\n      min_permission: write\n      approvers: [alice, mallory]\n      author_may_waive: true\n"), locked);
    expect(r.refused.map((x) => x.key).sort()).toEqual([
      "environments.production.waivers.approvers",
      "environments.production.waivers.author_may_waive",
      "environments.production.waivers.min_permission",
    ]);
    expect(env(r.config, "production").waivers).toMatchObject({ minPermission: "maintain", authorMayWaive: false, approvers: ["alice", "@acme/leads"] });
  });

  it("rules: enabled with the same or a higher severity; off or lower is refused", () => {
    expect(applyLocks(org, config("rules:\n  defer-in-loop: error\n  forced-gc: error\n"), ["rules"]).refused).toEqual([]);
    const r = applyLocks(org, config("rules:\n  defer-in-loop: warning\n  forced-gc: off\n  time-after-in-loop: off\n"), ["rules"]);
    expect([...r.refused].sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: "rules.defer-in-loop", repository: "warning", organization: "error" },
      { key: "rules.forced-gc", repository: "off", organization: "warning" },
      { key: "rules.time-after-in-loop", repository: "off", organization: expect.any(String) },
    ]);
    expect(r.config.rules["forced-gc"]).toEqual({ enabled: true, severity: "warning" });
    // An organization that turns a rule off lets repositories do anything with it.
    const off = config("rules:\n  forced-gc: off\n");
    expect(applyLocks(off, config("rules:\n  forced-gc: off\n"), ["rules.forced-gc"]).refused).toEqual([]);
  });

  it("top-level settings: tests, drafts, reasons and excluded paths", () => {
    const r = applyLocks(org, config("tests: false\ndrafts: skip\nignore:\n  min_reason_length: 5\npaths:\n  exclude: [vendor/**, internal/**]\n"), ["tests", "drafts", "ignore", "paths"]);
    expect(r.refused.map((x) => x.key).sort()).toEqual(["drafts", "ignore.min_reason_length", "paths.exclude", "tests"]);
    expect(r.config).toMatchObject({ tests: true, drafts: "analyze", ignore: { minReasonLength: 20 }, paths: { exclude: ["vendor/**"] } });
    expect(applyLocks(org, config("paths:\n  exclude: []\nignore:\n  min_reason_length: 40\n"), ["paths", "ignore"]).refused).toEqual([]);
  });

  it("test code and inline comments: fewer non-production paths, reporting more in tests, a lower comment threshold", () => {
    const strict = config("paths:\n  non_production: [examples/**]\ncomments:\n  min_severity: warning\nrules:\n  goroutine-no-exit: {in_tests: info}\n");
    const locked = ["paths.non_production", "comments", "rules.goroutine-no-exit"];
    expect(applyLocks(strict, config("paths:\n  non_production: []\ncomments:\n  min_severity: info\nrules:\n  goroutine-no-exit: {in_tests: report}\n"), locked).refused).toEqual([]);
    const r = applyLocks(strict, config("paths:\n  non_production: [examples/**, tools/**]\ncomments:\n  min_severity: error\nrules:\n  goroutine-no-exit: {in_tests: skip}\n"), locked);
    expect([...r.refused].sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: "comments.min_severity", repository: "error", organization: "warning" },
      { key: "paths.non_production", repository: "[examples/**, tools/**]", organization: "[examples/**]" },
      { key: "rules.goroutine-no-exit", repository: "warning (in tests: skip)", organization: "warning" },
    ]);
    expect(r.config).toMatchObject({ paths: { nonProduction: ["examples/**"] }, comments: { minSeverity: "warning" } });
    expect(r.config.rules["goroutine-no-exit"]).toEqual({ enabled: true, inTests: "info" });
  });

  it("an environment only the organization defines is added, before development", () => {
    const withCanary = config("environments:\n  canary:\n    branches: [canary/*]\n    block_on: error\n");
    const r = applyLocks(withCanary, config(""), ["environments.canary"]);
    expect(r.config.environments.map((e) => e.name)).toEqual(["production", "staging", "canary", "development"]);
    expect(r.refused).toEqual([{ key: "environments.canary", repository: "(no such environment)", organization: "(defined by the organization)" }]);
  });

  it("wildcards cover every environment of either file", () => {
    const r = applyLocks(org, config("environments:\n  staging:\n    block_on: none\n  production:\n    block_on: none\n"), ["environments.*.block_on"]);
    expect(r.refused.map((x) => x.key).sort()).toEqual(["environments.production.block_on", "environments.staging.block_on"]);
  });
});
