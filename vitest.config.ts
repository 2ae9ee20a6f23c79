import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: the suite must pass on a busy, shared machine (nothing asserts time).
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default", "./test/reporters/summary-line.ts"],
    // A temporary directory of the run's own (the CLI's cache in it), removed when the run ends.
    globalSetup: ["./test/helpers/global-temp.ts"],
  },
});
