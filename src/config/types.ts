/**
 * The shape of `.github/memlint.yml` after validation and defaults. The JSON Schema in
 * `schema/memlint.schema.json` describes the file as users write it; this is what code reads.
 */
import type { Severity, TestPolicy } from "../engine/types.js";

export type Permission = "read" | "triage" | "write" | "maintain" | "admin";
export type BlockingConclusion = "neutral" | "action_required" | "failure";

export interface WaiverPolicy {
  /** Whether findings may be waived at all in this environment. */
  allowed: boolean;
  /** Lowest repository permission that may waive (`/memlint ignore`). */
  minPermission: Permission;
  /** Whether the pull request's author may waive findings of their own pull request. */
  authorMayWaive: boolean;
  /** Logins (and `@org/team` slugs) who may press the check run's "Waive" button. */
  approvers: string[];
}

export interface EnvironmentPolicy {
  name: string;
  /** Base-branch globs; `$default` stands for the repository's default branch. */
  branches: string[];
  /** Lowest severity that blocks the merge, or "none". */
  blockOn: Severity | "none";
  /** Check-run conclusion when something blocks. */
  conclusion: BlockingConclusion;
  waivers: WaiverPolicy;
}

export interface RuleSetting {
  enabled: boolean;
  severity?: Severity;
  /** What the rule's findings get in test code, instead of the rule's own policy. */
  inTests?: TestPolicy;
}

export interface ContractsConfig {
  /** Scopes from shortest to longest; starts with `call`, ends with `process`. */
  scopes: string[];
  /** Globs (from the repository root) where exported functions need contracts. */
  require: string[];
  /** Read contracts from the other files of each touched package. */
  scanPackage: boolean;
}

export interface MemlintConfig {
  rules: Record<string, RuleSetting>;
  paths: {
    include: string[];
    exclude: string[];
    /** Code that does not run in production: analyzed as test code (each rule's `inTests`). */
    nonProduction: string[];
  };
  /** Analyze `_test.go` files. */
  tests: boolean;
  /** Analyze generated files (`// Code generated … DO NOT EDIT.`, and protoc output `*.pb.go` by name). */
  generated: boolean;
  /** Overrides the `go` directive of go.mod for version gating. */
  goVersion?: string;
  /** At most this many inline review comments per run. */
  maxComments: number;
  /** Inline review comments only for findings at or above this severity. */
  comments: { minSeverity: Severity };
  /** How draft pull requests are treated. */
  drafts: "analyze" | "skip";
  /** Environments in order of precedence for branch matching. */
  environments: EnvironmentPolicy[];
  ignore: { minReasonLength: number };
  contracts: ContractsConfig;
  /**
   * Settings repositories may tighten but not loosen (read from the organization's `.github`
   * repository; see config/locks.ts). Empty in a repository's own file.
   */
  locked: string[];
}

export const DEFAULT_ENVIRONMENTS: EnvironmentPolicy[] = [
  {
    name: "production",
    branches: ["$default"],
    blockOn: "warning",
    conclusion: "failure",
    waivers: { allowed: false, minPermission: "admin", authorMayWaive: false, approvers: [] },
  },
  {
    name: "staging",
    branches: ["release/*", "staging"],
    blockOn: "error",
    conclusion: "action_required",
    waivers: { allowed: true, minPermission: "maintain", authorMayWaive: false, approvers: [] },
  },
  {
    name: "development",
    branches: ["**"],
    blockOn: "none",
    conclusion: "neutral",
    waivers: { allowed: true, minPermission: "write", authorMayWaive: true, approvers: [] },
  },
];

/**
 * Where code that does not run in production usually lives: examples, test helpers and suites,
 * integration-test harnesses (`integration/`, `itest/`), development scripts (`hack/`,
 * `scripts/`: release tools, CI analysis), code generators run by
 * `go generate` (`generator/`, a `…gen/main.go` command), mocks and fakes.
 */
export const NON_PRODUCTION: string[] = [
  "**/example/**",
  "**/examples/**",
  "**/_example/**",
  "**/_examples/**",
  "**/testutil/**",
  "**/testutils/**",
  "**/testhelper/**",
  "**/testhelpers/**",
  "**/testing/**",
  "**/testsuite/**",
  "**/internal/test*/**",
  "**/test/**",
  "**/tests/**",
  "**/e2e/**",
  "**/integration/**",
  "**/itest/**",
  "**/hack/**",
  "**/scripts/**",
  "**/generator/**",
  "**/codegen/**",
  "**/*gen/main.go",
  "**/mock/**",
  "**/mocks/**",
  "**/fake/**",
  "**/fakes/**",
];

export const DEFAULT_CONFIG: MemlintConfig = {
  rules: {},
  paths: { include: ["**/*.go"], exclude: ["vendor/**", "**/vendor/**", "**/testdata/**"], nonProduction: NON_PRODUCTION },
  tests: true,
  generated: false,
  maxComments: 25,
  comments: { minSeverity: "warning" },
  drafts: "analyze",
  environments: DEFAULT_ENVIRONMENTS,
  ignore: { minReasonLength: 10 },
  contracts: { scopes: ["call", "request", "process"], require: [], scanPackage: true },
  locked: [],
};
