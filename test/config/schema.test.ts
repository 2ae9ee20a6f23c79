/** The JSON Schema users' editors see agrees with the loader and the defaults. */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatProblems, parseConfigText } from "../../src/config/load.js";
import { configSchema, configValidator } from "../../src/config/schema.js";
import { DEFAULT_CONFIG } from "../../src/config/types.js";
import { renderValidator, VALIDATOR_FILE } from "../../scripts/schema-validator.js";

type SchemaNode = Record<string, unknown>;

const schema = configSchema() as SchemaNode;
/** Named properties, plus the object branches of an anyOf (a rule's `{enabled, severity}`). */
const properties = (node: SchemaNode): Record<string, SchemaNode> => {
  const own = (node.properties ?? {}) as Record<string, SchemaNode>;
  const branches = ((node.anyOf ?? []) as SchemaNode[]).map((b, i) => [`anyOf${i}`, b] as const);
  return { ...own, ...Object.fromEntries(branches.map(([k, b]) => [k, { description: "branch", ...b }])) };
};
const top = properties(schema);

describe("schema/memlint.schema.json", () => {
  it("is compiled ahead of time from the current schema (run `npx tsx scripts/schema-validator.ts`)", () => {
    expect(readFileSync(VALIDATOR_FILE, "utf8")).toBe(renderValidator());
    expect(typeof configValidator()).toBe("function");
  });

  it("documents every setting for editors", () => {
    const undocumented: string[] = [];
    const walk = (node: SchemaNode, path: string) => {
      for (const [key, child] of Object.entries(properties(node))) {
        if (typeof child.description !== "string" || child.description.length < 10) undocumented.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
      }
      const definitions = (node.definitions ?? {}) as Record<string, SchemaNode>;
      for (const [key, child] of Object.entries(definitions)) walk(child, `definitions.${key}.`);
    };
    walk(schema, "");
    expect(undocumented).toEqual([]);
  });

  it("rejects unknown keys at every level", () => {
    const open: string[] = [];
    const walk = (node: SchemaNode, path: string) => {
      // Closed: `false`, or a schema every extra key must match (environments, rules).
      const extra = node.additionalProperties;
      if (node.type === "object" && (extra === undefined || extra === true)) open.push(path);
      for (const [key, child] of Object.entries(properties(node))) walk(child, `${path}.${key}`);
      for (const [key, child] of Object.entries((node.definitions ?? {}) as Record<string, SchemaNode>)) walk(child, `#${key}`);
    };
    walk(schema, "");
    expect(open).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });

  it("states the same defaults as DEFAULT_CONFIG", () => {
    const d = (node: SchemaNode | undefined) => node?.default;
    const paths = properties(top.paths!);
    const contracts = properties(top.contracts!);
    expect(d(paths.include)).toEqual(DEFAULT_CONFIG.paths.include);
    expect(d(paths.exclude)).toEqual(DEFAULT_CONFIG.paths.exclude);
    expect(d(top.tests)).toBe(DEFAULT_CONFIG.tests);
    expect(d(top.generated)).toBe(DEFAULT_CONFIG.generated);
    expect(d(top.max_comments)).toBe(DEFAULT_CONFIG.maxComments);
    expect(d(top.drafts)).toBe(DEFAULT_CONFIG.drafts);
    expect(d(properties(top.ignore!).min_reason_length)).toBe(DEFAULT_CONFIG.ignore.minReasonLength);
    expect(d(contracts.scopes)).toEqual(DEFAULT_CONFIG.contracts.scopes);
    expect(d(contracts.require)).toEqual(DEFAULT_CONFIG.contracts.require);
    expect(d(contracts.scan_package)).toBe(DEFAULT_CONFIG.contracts.scanPackage);
  });

  it("describes the default environments as they are", () => {
    const envs = properties(top.environments!);
    for (const env of DEFAULT_CONFIG.environments) {
      const description = String(envs[env.name]?.description ?? "");
      expect(description, env.name).toContain(`block_on ${env.blockOn}`);
      expect(description, env.name).toContain(`conclusion ${env.conclusion}`);
      expect(description, env.name).toContain(`[${env.branches.join(", ")}]`);
    }
  });
});

describe("the configuration reference in the documentation", () => {
  // docs/cli-and-config.md until it is merged into README.md.
  const doc = ["docs/cli-and-config.md", "README.md"]
    .map((f) => new URL(`../../${f}`, import.meta.url))
    .filter((u) => existsSync(u))
    .map((u) => readFileSync(u, "utf8"))
    .find((text) => text.includes("# .github/memlint.yml — every value shown is the default"));

  it.runIf(doc !== undefined)("is a valid file whose values are the defaults, except the marked examples", () => {
    const block = /```yaml\n(# \.github\/memlint\.yml — every value shown is the default[\s\S]*?)```/.exec(doc!)![1]!;
    const result = parseConfigText(block, "reference");
    if (!result.ok) throw new Error(formatProblems(result.problems));
    const { rules, goVersion, ...rest } = result.config;
    expect(Object.keys(rules).length).toBeGreaterThan(0);
    expect(goVersion).toBeDefined();
    const { rules: _r, goVersion: _g, ...defaults } = DEFAULT_CONFIG;
    expect(rest).toEqual(defaults);
  });
});
