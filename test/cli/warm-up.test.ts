import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { SHORT_RUN_FLAGS } from "../../src/cli/warm-up.js";

describe("short-run V8 flags", () => {
  // setFlagsFromString reports a flag this V8 does not know on standard error, in every run.
  it("are all known to the running Node's V8", () => {
    const run = spawnSync(process.execPath, [...SHORT_RUN_FLAGS.split(" "), "-e", "0"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("keep TurboFan for the grammar off", () => {
    expect(SHORT_RUN_FLAGS.split(" ")).toContain("--liftoff-only");
  });
});
