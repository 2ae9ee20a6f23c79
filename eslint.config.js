import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers of src/, lowest first: a folder may import from its own layer and the ones below,
 * never from above, so no two folders import each other. The engine and the shared analysis know
 * no rule; the rules, contracts, directives and config know nothing of GitHub or the App;
 * rendering (comments) and the commands' ledger are pure; github does the requests (gather reads, publish writes); plan is
 * pure and sees github's types only; runtime runs the pipeline (serialization, journal);
 * handlers wire Probot's events to it. src/app.ts, server.ts and main.ts sit on top. The CLI
 * (with its language server) stands beside the App's layers, without them; the Action sits on
 * top of the CLI's analysis and the App's github and plan, never on the App's server.
 */
const LAYERS = [
  // The engine and the shared analysis take their rules and settings as input: they know no rule,
  // contract or configuration (engine and analysis share types both ways).
  { folders: ["engine", "analysis"], above: ["rules", "contracts", "config", "review", "comments", "commands", "github", "plan", "runtime", "handlers", "cli", "action"] },
  { folders: ["rules", "contracts", "directives", "config"], above: ["review", "comments", "commands", "github", "plan", "runtime", "handlers", "cli", "action"] },
  // A whole change under a configuration: rules built with its settings, contract coverage.
  { folders: ["review"], above: ["comments", "commands", "github", "plan", "runtime", "handlers", "cli", "action"] },
  { folders: ["comments"], above: ["commands", "github", "plan", "runtime", "handlers", "cli", "action"] },
  { folders: ["commands"], above: ["github", "plan", "runtime", "handlers", "cli", "action"] },
  { folders: ["github"], above: ["plan", "runtime", "handlers", "cli", "action"] },
  { folders: ["plan"], above: ["runtime", "handlers", "cli", "action"], typesOnly: ["github"] },
  { folders: ["runtime"], above: ["handlers", "cli", "action"] },
  { folders: ["handlers"], above: ["cli", "action"] },
  { folders: ["cli"], above: ["github", "plan", "runtime", "handlers", "action"] },
  { folders: ["action"], above: ["runtime", "handlers"] },
];

const TOP = ["app", "server", "main"];

function layerRules({ folders, above, typesOnly = [] }) {
  const forbidden = [...above.map((f) => `../${f}/*`), ...TOP.map((f) => `../${f}.js`)];
  return {
    files: folders.map((f) => `src/${f}/**/*.ts`),
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: forbidden, message: `layering: ${folders.join(", ")} may not import from a higher layer (see eslint.config.js)` },
            ...typesOnly.map((f) => ({ group: [`../${f}/*`], allowTypeImports: true, message: `layering: ${folders.join(", ")} may import only types from ${f}` })),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "test/fixtures/", "action/dist/", "src/config/schema-validator.generated.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  ...LAYERS.map(layerRules),
  {
    // The installed command's launcher is CommonJS, like the bundle it loads (scripts/bundle.ts).
    files: ["bin/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly", console: "readonly", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
