/** Reading `.github/memlint.yml`: the mapping onto MemlintConfig and every kind of problem message. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  closestMatch,
  type ConfigProblem,
  type ConfigResult,
  formatProblems,
  loadConfigFile,
  parseConfigText,
  validateConfig,
} from "../../src/config/load.js";
import { DEFAULT_CONFIG, type MemlintConfig } from "../../src/config/types.js";

const SOURCE = ".github/memlint.yml";

function ok(result: ConfigResult): { config: MemlintConfig; sources: Record<string, string> } {
  if (!result.ok) throw new Error(`expected a valid configuration, got:\n${formatProblems(result.problems)}`);
  return result;
}

function problems(result: ConfigResult): ConfigProblem[] {
  if (result.ok) throw new Error("expected problems, the configuration was accepted");
  return result.problems;
}

/** The messages of a YAML text's problems. */
const messages = (text: string) => problems(parseConfigText(text, SOURCE)).map((p) => p.message);

describe("valid configurations", () => {
  it("an empty file, a comment-only file and null mean the defaults", () => {
    for (const text of ["", "# nothing yet\n", "null\n", "---\n"]) {
      const { config, sources } = ok(parseConfigText(text, SOURCE));
      expect(config).toEqual(DEFAULT_CONFIG);
      expect(sources).toEqual({});
    }
    expect(ok(validateConfig(null, SOURCE)).config).toEqual(DEFAULT_CONFIG);
    expect(ok(validateConfig(undefined, SOURCE)).config).toEqual(DEFAULT_CONFIG);
    expect(ok(validateConfig({}, SOURCE)).config).toEqual(DEFAULT_CONFIG);
  });

  it("maps every key onto MemlintConfig and records where each setting came from", () => {
    const text = `
_extends: .github
rules:
  defer-in-loop: off
  unused-ignore: warning
  http-body-not-closed: {in_tests: info}
paths:
  include: ["services/**/*.go"]
  exclude: ["**/mocks/**"]
  non_production: ["tools/**"]
tests: false
generated: true
go_version: "1.23.4"
max_comments: 10
comments:
  min_severity: error
drafts: skip
ignore:
  min_reason_length: 20
contracts:
  scopes: [call, request, session, process]
  require: ["internal/wire/**"]
  scan_package: false
`;
    const { config, sources } = ok(parseConfigText(text, SOURCE));
    expect(config.rules).toEqual({
      "defer-in-loop": { enabled: false },
      "unused-ignore": { enabled: true, severity: "warning" },
      "http-body-not-closed": { enabled: true, inTests: "info" },
    });
    expect(config.paths).toEqual({ include: ["services/**/*.go"], exclude: ["**/mocks/**"], nonProduction: ["tools/**"] });
    expect(config.comments).toEqual({ minSeverity: "error" });
    expect(config.tests).toBe(false);
    expect(config.generated).toBe(true);
    expect(config.goVersion).toBe("1.23.4");
    expect(config.maxComments).toBe(10);
    expect(config.drafts).toBe("skip");
    expect(config.ignore).toEqual({ minReasonLength: 20 });
    expect(config.contracts).toEqual({ scopes: ["call", "request", "session", "process"], require: ["internal/wire/**"], scanPackage: false });
    expect(config.environments).toEqual(DEFAULT_CONFIG.environments);
    expect(Object.keys(sources).sort()).toEqual(
      [
        "contracts.require",
        "contracts.scan_package",
        "contracts.scopes",
        "drafts",
        "generated",
        "go_version",
        "ignore.min_reason_length",
        "max_comments",
        "comments.min_severity",
        "paths.exclude",
        "paths.include",
        "paths.non_production",
        "rules.defer-in-loop",
        "rules.http-body-not-closed",
        "rules.unused-ignore",
        "tests",
      ].sort(),
    );
    expect(new Set(Object.values(sources))).toEqual(new Set([SOURCE]));
  });

  it("accepts rule settings as a mapping", () => {
    const { config } = ok(
      parseConfigText("rules:\n  defer-in-loop: {severity: error}\n  unused-ignore: {enabled: false}\n", SOURCE),
    );
    expect(config.rules["defer-in-loop"]).toEqual({ enabled: true, severity: "error" });
    expect(config.rules["unused-ignore"]).toEqual({ enabled: false });
  });

  it("merges environments over the defaults key by key", () => {
    const { config, sources } = ok(parseConfigText("environments:\n  production:\n    block_on: error\n    waivers:\n      approvers: [octocat, \"@acme/sre\"]\n", SOURCE));
    const production = config.environments.find((e) => e.name === "production")!;
    const defaults = DEFAULT_CONFIG.environments.find((e) => e.name === "production")!;
    expect(production).toEqual({ ...defaults, blockOn: "error", waivers: { ...defaults.waivers, approvers: ["octocat", "@acme/sre"] } });
    expect(config.environments.filter((e) => e.name !== "production")).toEqual(DEFAULT_CONFIG.environments.filter((e) => e.name !== "production"));
    expect(sources).toEqual({ "environments.production.block_on": SOURCE, "environments.production.waivers.approvers": SOURCE });
  });

  it("adds new environments before the catch-all development", () => {
    const { config } = ok(
      parseConfigText("environments:\n  hotfix:\n    branches: ['hotfix/*']\n    conclusion: action_required\n  qa:\n    branches: [qa]\n", SOURCE),
    );
    expect(config.environments.map((e) => e.name)).toEqual(["production", "staging", "hotfix", "qa", "development"]);
    const hotfix = config.environments.find((e) => e.name === "hotfix")!;
    expect(hotfix.branches).toEqual(["hotfix/*"]);
    expect(hotfix.conclusion).toBe("action_required");
    expect(hotfix.blockOn).toBe("error");
  });

  it("treats an empty key as not set", () => {
    const { config } = ok(parseConfigText("rules:\npaths:\n  exclude:\ngo_version:\n", SOURCE));
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it("strips a `go` prefix from go_version", () => {
    expect(ok(parseConfigText('go_version: "go1.22"\n', SOURCE)).config.goVersion).toBe("1.22");
  });

  it("returns fresh objects: callers may change them", () => {
    const a = ok(validateConfig({}, SOURCE)).config;
    a.paths.exclude.push("x/**");
    a.environments[0]!.waivers.approvers.push("someone");
    const b = ok(validateConfig({}, SOURCE)).config;
    expect(b).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.paths.exclude).not.toContain("x/**");
    expect(DEFAULT_CONFIG.environments[0]!.waivers.approvers).toEqual([]);
  });

  it("validates parsed objects (what Probot's context.config returns)", () => {
    const { config } = ok(validateConfig({ max_comments: 5, environments: { staging: { block_on: "warning" } } }, SOURCE));
    expect(config.maxComments).toBe(5);
    expect(config.environments.find((e) => e.name === "staging")!.blockOn).toBe("warning");
  });
});

describe("problems", () => {
  it("names the key, the allowed values and the value given", () => {
    const result = parseConfigText("environments:\n  staging:\n    block_on: fatal\n", SOURCE);
    expect(problems(result)).toEqual([
      {
        source: SOURCE,
        key: "environments.staging.block_on",
        message: '`environments.staging.block_on` must be one of error, warning, info, none (got "fatal")',
        line: 3,
        column: 15,
      },
    ]);
    expect(formatProblems(problems(result))).toBe(
      '.github/memlint.yml:3:15: `environments.staging.block_on` must be one of error, warning, info, none (got "fatal")',
    );
  });

  it("validateConfig reports without positions", () => {
    const p = problems(validateConfig({ drafts: "never" }, "org/.github:memlint.yml"));
    expect(p).toEqual([{ source: "org/.github:memlint.yml", key: "drafts", message: '`drafts` must be one of analyze, skip (got "never")' }]);
    expect(formatProblems(p)).toBe('org/.github:memlint.yml: `drafts` must be one of analyze, skip (got "never")');
  });

  it("unknown rule ids, with a suggestion for close ones", () => {
    const p = problems(parseConfigText("rules:\n  defer-in-lop: off\n  no-such-rule-at-all: error\n", SOURCE));
    expect(p.map((x) => [x.key, x.message, x.line])).toEqual([
      ["rules.defer-in-lop", "unknown rule `defer-in-lop`; did you mean `defer-in-loop`? (`memlint rules` lists the rules)", 2],
      ["rules.no-such-rule-at-all", "unknown rule `no-such-rule-at-all` (`memlint rules` lists the rules)", 3],
    ]);
  });

  it("bad rule settings", () => {
    expect(messages("rules:\n  defer-in-loop: fatal\n")).toEqual(['`rules.defer-in-loop` must be one of off, error, warning, info (got "fatal")']);
    expect(messages("rules:\n  defer-in-loop: {severity: warn}\n")).toEqual([
      '`rules.defer-in-loop.severity` must be one of error, warning, info (got "warn"); did you mean warning?',
    ]);
    expect(messages("rules:\n  defer-in-loop: {enabled: yes}\n")).toEqual(['`rules.defer-in-loop.enabled` must be true or false (got "yes")']);
    expect(messages("rules:\n  defer-in-loop: 3\n")).toEqual([
      "`rules.defer-in-loop` must be one of off, error, warning, info, or a mapping with enabled, severity and in_tests (got 3)",
    ]);
    expect(messages("rules:\n  defer-in-loop: {sevrity: error}\n")).toEqual([
      "`rules.defer-in-loop.sevrity` is not a memlint setting; did you mean `rules.defer-in-loop.severity`?",
    ]);
  });

  it("unknown keys (typos) everywhere, with suggestions", () => {
    expect(messages("max_comment: 3\n")).toEqual(["`max_comment` is not a memlint setting; did you mean `max_comments`?"]);
    expect(messages("maxComments: 3\n")).toEqual(["`maxComments` is not a memlint setting; did you mean `max_comments`?"]);
    expect(messages("paths:\n  inlcude: ['**/*.go']\n")).toEqual(["`paths.inlcude` is not a memlint setting; did you mean `paths.include`?"]);
    expect(messages("contracts:\n  scan_pkg: true\n")).toEqual(["`contracts.scan_pkg` is not a memlint setting (`contracts` takes scopes, require, scan_package)"]);
    expect(messages("environments:\n  staging:\n    waivers:\n      min_perm: admin\n")).toEqual([
      "`environments.staging.waivers.min_perm` is not a memlint setting; did you mean `environments.staging.waivers.min_permission`?",
    ]);
    const [problem] = problems(parseConfigText("tests: true\nfoo: 1\n", SOURCE));
    expect(problem).toMatchObject({ key: "foo", line: 2, column: 1 });
  });

  it("types and ranges", () => {
    expect(messages('tests: "yes"\n')).toEqual(['`tests` must be true or false (got "yes")']);
    expect(messages("max_comments: 0\n")).toEqual(["`max_comments` must be between 1 and 100 (got 0)"]);
    expect(messages("max_comments: 101\n")).toEqual(["`max_comments` must be between 1 and 100 (got 101)"]);
    expect(messages("max_comments: 2.5\n")).toEqual(["`max_comments` must be a whole number (got 2.5)"]);
    expect(messages("ignore:\n  min_reason_length: -1\n")).toEqual(["`ignore.min_reason_length` must be between 0 and 500 (got -1)"]);
    expect(messages("paths: ['**/*.go']\n")).toEqual(["`paths` must be a mapping (got a list)"]);
    expect(messages("paths:\n  include: '**/*.go'\n")).toEqual(['`paths.include` must be a list (got "**/*.go")']);
    expect(messages("- a\n- b\n")).toEqual(["the configuration must be a mapping of settings (got a list)"]);
  });

  it("go_version must be a quoted version", () => {
    expect(messages("go_version: 1.20\n")).toEqual([
      '`go_version` must be a quoted string such as "1.22" (got the number 1.2; YAML reads an unquoted 1.20 as 1.2)',
    ]);
    expect(messages('go_version: "latest"\n')).toEqual(['`go_version` is not valid (got "latest"): a Go version looks like "1.22" or "1.22.3"']);
  });

  it("globs, approvers and environment names", () => {
    expect(messages("paths:\n  exclude: ['/vendor/**']\n")).toEqual([
      '`paths.exclude[0]` is not valid (got "/vendor/**"): globs are matched against paths relative to the repository root; drop the leading `/` or `./`',
    ]);
    expect(messages("paths:\n  include: ['']\n")).toEqual(["`paths.include[0]` must not be empty"]);
    expect(messages("environments:\n  production:\n    waivers:\n      approvers: ['@alice']\n")).toEqual([
      '`environments.production.waivers.approvers[0]` is not valid (got "@alice"): an approver is a login (`octocat`) or a team (`@org/team`)',
    ]);
    expect(messages("environments:\n  'pre prod':\n    branches: [x]\n")).toEqual([
      "the name `pre prod` in `environments` is not valid: environment names are letters, digits, `_`, `.` and `-`",
    ]);
    expect(messages("environments:\n  staging:\n    waivers:\n      min_permission: owner\n")).toEqual([
      '`environments.staging.waivers.min_permission` must be one of read, triage, write, maintain, admin (got "owner")',
    ]);
    expect(messages("environments:\n  staging:\n    conclusion: blocked\n")).toEqual([
      '`environments.staging.conclusion` must be one of neutral, action_required, failure (got "blocked")',
    ]);
  });

  it("a new environment needs branches", () => {
    expect(messages("environments:\n  qa:\n    block_on: error\n")).toEqual([
      "`environments.qa` is a new environment and needs `branches` (only production, staging, development have defaults)",
    ]);
  });

  it("contract scopes start with call, end with process, and are unique", () => {
    expect(messages("contracts:\n  scopes: [request, process]\n")).toEqual([
      "`contracts.scopes` must start with `call`, the shortest scope (got `request`)",
    ]);
    expect(messages("contracts:\n  scopes: [call, request]\n")).toEqual(["`contracts.scopes` must end with `process`, the longest scope (got `request`)"]);
    const dup = problems(parseConfigText("contracts:\n  scopes: [call, request, request, process]\n", SOURCE));
    expect(dup.map((p) => [p.key, p.message])).toEqual([
      ["contracts.scopes[2]", "`contracts.scopes` lists `request` more than once; scopes must be unique"],
    ]);
    expect(messages("contracts:\n  scopes: [process]\n")).toEqual(["`contracts.scopes` must list at least 2 items"]);
    expect(messages("contracts:\n  scopes: [call, Request, process]\n")).toEqual([
      '`contracts.scopes[1]` is not valid (got "Request"): a scope is a lower-case word such as `request` or `session`',
    ]);
  });

  it("reports every problem at once, in file order", () => {
    const p = problems(parseConfigText("drafts: never\nmax_comments: 0\nrules:\n  nope-rule: off\n", SOURCE));
    expect(p.map((x) => x.line)).toEqual([1, 2, 4]);
  });

  it("YAML syntax errors carry line and column", () => {
    const p = problems(parseConfigText("rules:\n  defer-in-loop: off\n environments: [\n", SOURCE));
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]!.message).toMatch(/^YAML syntax error: /);
    expect(p[0]!.line).toBe(3);
    expect(typeof p[0]!.column).toBe("number");
    expect(formatProblems(p)).toMatch(/^\.github\/memlint\.yml:3:\d+: YAML syntax error: /);

    const dup = problems(parseConfigText("tests: true\ntests: false\n", SOURCE));
    expect(dup[0]).toMatchObject({ line: 2, message: expect.stringMatching(/YAML syntax error: .*unique/) });
  });
});

describe("loadConfigFile", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const repo = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "memlint-config-"));
    dirs.push(dir);
    mkdirSync(join(dir, ".github"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it("a missing file means the defaults", () => {
    expect(ok(loadConfigFile(repo({}))).config).toEqual(DEFAULT_CONFIG);
  });

  it("reads .github/memlint.yml", () => {
    const { config, sources } = ok(loadConfigFile(repo({ ".github/memlint.yml": "max_comments: 7\n" })));
    expect(config.maxComments).toBe(7);
    expect(sources).toEqual({ max_comments: ".github/memlint.yml" });
  });

  it("names the file in problems", () => {
    const p = problems(loadConfigFile(repo({ ".github/memlint.yml": "max_comments: 700\n" })));
    expect(formatProblems(p)).toBe(".github/memlint.yml:1:15: `max_comments` must be between 1 and 100 (got 700)");
  });

  it("points out a .yaml file that would be ignored", () => {
    const p = problems(loadConfigFile(repo({ ".github/memlint.yaml": "max_comments: 7\n" })));
    expect(p[0]!.message).toMatch(/rename \.github\/memlint\.yaml to \.github\/memlint\.yml/);
  });
});

describe("closestMatch", () => {
  it("finds typos, case and separator differences, and abbreviations", () => {
    const words = ["include", "exclude", "max_comments", "warning"];
    expect(closestMatch("inlcude", words)).toBe("include");
    expect(closestMatch("MaxComments", words)).toBe("max_comments");
    expect(closestMatch("warn", words)).toBe("warning");
    expect(closestMatch("banana", words)).toBeUndefined();
  });
});
