import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: the suite must pass on a busy, shared machine (nothing asserts time).
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default", "./test/reporters/summary-line.ts"],
    // The CLI keeps results and package summaries in the user's cache directory: the suite's own, fresh each run.
    env: { MEMLINT_CACHE: mkdtempSync(join(tmpdir(), "memlint-test-cache-")) },
  },
});
