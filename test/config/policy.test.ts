import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  decide,
  internalErrorConclusion,
  mayWaive,
  offersWaiveButton,
  selectEnvironment,
  WAIVE_ACTION,
} from "../../src/config/policy.js";
import { validateConfig } from "../../src/config/load.js";
import { DEFAULT_CONFIG, type EnvironmentPolicy, type MemlintConfig } from "../../src/config/types.js";
import type { Finding, Severity } from "../../src/engine/types.js";
import { finding } from "../comments/findings.js";

const target = (baseBranch: string, defaultBranch = "main") => ({ baseBranch, defaultBranch });
const env = (name: string, config: MemlintConfig = DEFAULT_CONFIG): EnvironmentPolicy => config.environments.find((e) => e.name === name)!;
const of = (...severities: Severity[]): Finding[] => severities.map((severity) => finding({ severity }));

describe("selectEnvironment", () => {
  it("chooses production for the default branch ($default), whatever it is called", () => {
    expect(selectEnvironment(DEFAULT_CONFIG, target("main")).environment.name).toBe("production");
    const trunk = selectEnvironment(DEFAULT_CONFIG, target("trunk", "trunk"));
    expect(trunk.environment.name).toBe("production");
    expect(trunk.reason).toBe("base branch `trunk` is the default branch (`$default`)");
    expect(selectEnvironment(DEFAULT_CONFIG, target("main", "trunk")).environment.name).toBe("development");
  });

  it("chooses staging for release/* and staging", () => {
    const release = selectEnvironment(DEFAULT_CONFIG, target("release/2.1"));
    expect(release.environment.name).toBe("staging");
    expect(release.reason).toBe("base branch `release/2.1` matches `release/*`");
    expect(selectEnvironment(DEFAULT_CONFIG, target("staging")).environment.name).toBe("staging");
    expect(selectEnvironment(DEFAULT_CONFIG, target("release/2.1/hotfix")).environment.name).toBe("development");
  });

  it("chooses development for everything else", () => {
    for (const branch of ["feature/x", "dev", "users/alice/wip", ".hidden", "release"]) {
      const choice = selectEnvironment(DEFAULT_CONFIG, target(branch));
      expect(choice.environment.name).toBe("development");
      expect(choice.reason).toBe(`base branch \`${branch}\` matches \`**\``);
    }
  });

  it("matches in the order of config.environments: the default branch wins over a glob", () => {
    const choice = selectEnvironment(DEFAULT_CONFIG, target("release/1", "release/1"));
    expect(choice.environment.name).toBe("production");
  });

  it("lets MEMLINT_ENVIRONMENT choose for the whole deployment", () => {
    const choice = selectEnvironment(DEFAULT_CONFIG, target("feature/x"), "production");
    expect(choice.environment.name).toBe("production");
    expect(choice.reason).toBe("MEMLINT_ENVIRONMENT=production");
    expect(selectEnvironment(DEFAULT_CONFIG, target("main"), " staging ").environment.name).toBe("staging");
    expect(selectEnvironment(DEFAULT_CONFIG, target("main"), "").environment.name).toBe("production");
  });

  it("rejects an unknown MEMLINT_ENVIRONMENT with a clear message", () => {
    expect(() => selectEnvironment(DEFAULT_CONFIG, target("main"), "prod")).toThrow(ConfigurationError);
    expect(() => selectEnvironment(DEFAULT_CONFIG, target("main"), "prod")).toThrow(
      /MEMLINT_ENVIRONMENT=prod names no environment\. Known environments: production, staging, development/,
    );
  });

  it("uses custom environments from the configuration file", () => {
    const loaded = validateConfig(
      {
        environments: {
          canary: { branches: ["canary/**", "hotfix-*"], block_on: "warning", conclusion: "action_required", waivers: { approvers: ["alice"] } },
          staging: { block_on: "warning" },
        },
      },
      ".github/memlint.yml",
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const config = loaded.config;
    const canary = selectEnvironment(config, target("canary/eu/1"));
    expect(canary.environment.name).toBe("canary");
    expect(canary.reason).toBe("base branch `canary/eu/1` matches `canary/**`");
    expect(selectEnvironment(config, target("hotfix-12")).environment.name).toBe("canary");
    expect(selectEnvironment(config, target("feature/y")).environment.name).toBe("development");
    expect(decide(canary.environment, of("warning"), { draft: false }).conclusion).toBe("action_required");
    expect(decide(env("staging", config), of("warning"), { draft: false }).conclusion).toBe("action_required");
    expect(decide(env("staging"), of("warning"), { draft: false }).conclusion).toBe("neutral");
  });

  it("falls back to the built-in development policy when no environment matches", () => {
    const config: MemlintConfig = { ...DEFAULT_CONFIG, environments: [{ ...env("production"), branches: ["main"] }] };
    const choice = selectEnvironment(config, target("feature/z"));
    expect(choice.environment.name).toBe("development");
    expect(choice.environment.blockOn).toBe("none");
    expect(choice.reason).toMatch(/matches no configured environment/);
  });
});

describe("decide", () => {
  it("production: blocks on warnings with failure", () => {
    const production = env("production");
    expect(decide(production, [], { draft: false })).toMatchObject({ conclusion: "success", blocking: [] });
    expect(decide(production, of("info"), { draft: false })).toMatchObject({ conclusion: "neutral", blocking: [] });
    const d = decide(production, of("warning", "info", "error"), { draft: false });
    expect(d.conclusion).toBe("failure");
    expect(d.blocking.map((f) => f.severity).sort()).toEqual(["error", "warning"]);
    expect(d.title).toBe("2 blocking findings (production)");
    expect(d.explanation).toContain("2 of 3 findings block");
  });

  it("staging: blocks on errors with action_required, warnings are hints", () => {
    const staging = env("staging");
    expect(decide(staging, of("warning", "info"), { draft: false }).conclusion).toBe("neutral");
    const d = decide(staging, of("error", "warning"), { draft: false });
    expect(d.conclusion).toBe("action_required");
    expect(d.blocking).toHaveLength(1);
    expect(d.title).toBe("1 blocking finding (staging)");
  });

  it("development: never blocks; findings make it neutral", () => {
    const development = env("development");
    expect(decide(development, [], { draft: false }).conclusion).toBe("success");
    const d = decide(development, of("error", "error", "warning"), { draft: false });
    expect(d.conclusion).toBe("neutral");
    expect(d.blocking).toEqual([]);
    expect(d.title).toBe("3 findings, none blocking (development)");
  });

  it("drafts are analyzed but never block", () => {
    for (const name of ["production", "staging"]) {
      const d = decide(env(name), of("error"), { draft: true });
      expect(d.conclusion).toBe("neutral");
      expect(d.blocking).toHaveLength(1);
      expect(d.title).toBe(`Draft: 1 finding would block in ${name}`);
    }
    expect(decide(env("production"), [], { draft: true }).conclusion).toBe("success");
  });

  it("a custom environment may report a block as neutral", () => {
    const soft: EnvironmentPolicy = { ...env("production"), name: "soft", conclusion: "neutral" };
    expect(decide(soft, of("error"), { draft: false }).conclusion).toBe("neutral");
    const strict: EnvironmentPolicy = { ...env("production"), name: "strict", blockOn: "info" };
    expect(decide(strict, of("info"), { draft: false }).conclusion).toBe("failure");
  });
});

describe("internal errors", () => {
  it("are neutral in development and fail closed elsewhere", () => {
    expect(internalErrorConclusion(env("development"))).toBe("neutral");
    expect(internalErrorConclusion(env("staging"))).toBe("failure");
    expect(internalErrorConclusion(env("production"))).toBe("failure");
    expect(internalErrorConclusion(undefined)).toBe("failure");
  });
});

describe("waivers", () => {
  const staging: EnvironmentPolicy = { ...env("staging"), waivers: { ...env("staging").waivers, approvers: ["Alice", "@org/release-team"] } };

  it("offers the Waive button only for action_required with approvers", () => {
    expect(WAIVE_ACTION.identifier.length).toBeLessThanOrEqual(20);
    expect(offersWaiveButton(staging, decide(staging, of("error"), { draft: false }))).toBe(true);
    expect(offersWaiveButton(env("staging"), decide(env("staging"), of("error"), { draft: false }))).toBe(false);
    expect(offersWaiveButton(staging, decide(staging, of("warning"), { draft: false }))).toBe(false);
  });

  it("staging: maintainers or approvers, not the author", () => {
    expect(mayWaive(staging, { login: "alice", permission: "read", isAuthor: false }).allowed).toBe(true);
    expect(mayWaive(staging, { login: "carol", permission: "write", isAuthor: false, teams: ["org/release-team"] }).allowed).toBe(true);
    expect(mayWaive(staging, { login: "dave", permission: "maintain", isAuthor: false }).allowed).toBe(true);
    expect(mayWaive(staging, { login: "erin", permission: "write", isAuthor: false }).allowed).toBe(false);
    expect(mayWaive(staging, { login: "alice", permission: "admin", isAuthor: true })).toMatchObject({ allowed: false });
  });

  it("production: nobody; development: anyone with write access, the author included", () => {
    expect(mayWaive(env("production"), { login: "root", permission: "admin", isAuthor: false }).allowed).toBe(false);
    expect(mayWaive(env("development"), { login: "a", permission: "write", isAuthor: true }).allowed).toBe(true);
    expect(mayWaive(env("development"), { login: "b", permission: "triage", isAuthor: false }).allowed).toBe(false);
    expect(mayWaive(env("development"), { login: "c", permission: "none", isAuthor: false }).allowed).toBe(false);
  });
});
