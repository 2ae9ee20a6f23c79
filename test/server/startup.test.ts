/** What `npm start` may run with the settings it has (the e2e suite runs the real refusals). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startupMode, withDotEnv } from "../../src/startup.js";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n";
const empty = () => mkdtempSync(join(tmpdir(), "memlint-startup-"));

describe("startupMode", () => {
  it("runs the App with an id, a key and a real secret", () => {
    expect(startupMode({ NODE_ENV: "production", APP_ID: "12", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "s3cret" }, empty())).toEqual({ mode: "app" });
  });

  it("development and test may run without a secret; nothing else may", () => {
    for (const NODE_ENV of ["development", "test"]) expect(startupMode({ NODE_ENV, APP_ID: "12", PRIVATE_KEY: KEY }, empty())).toEqual({ mode: "app" });
    for (const NODE_ENV of ["production", "staging", undefined]) {
      const mode = startupMode({ NODE_ENV, APP_ID: "12", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "development" }, empty());
      expect(mode).toEqual({ mode: "refused", problems: [expect.stringContaining("Probot's public default")] });
    }
  });

  it("a fresh checkout is set up, except in production", () => {
    expect(startupMode({}, empty())).toEqual({ mode: "setup" });
    const production = startupMode({ NODE_ENV: "production" }, empty());
    expect(production.mode).toBe("refused");
    expect(production.mode === "refused" && production.problems.map((p) => p.split(":")[0])).toEqual(["APP_ID is not set", "the App's private key is missing", "WEBHOOK_SECRET is not set"]);
  });

  it("half a configuration is refused, one problem each", () => {
    expect(startupMode({ APP_ID: "abc", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "s" }, empty())).toEqual({ mode: "refused", problems: ['APP_ID must be the App\'s numeric id, not "abc".'] });
    expect(startupMode({ WEBHOOK_SECRET: "s" }, empty())).toMatchObject({ mode: "refused", problems: [expect.stringMatching(/^APP_ID is not set/), expect.stringMatching(/private key is missing/)] });
    expect(startupMode({ APP_ID: "12", PRIVATE_KEY_PATH: "/nonexistent.pem", WEBHOOK_SECRET: "s" }, empty())).toEqual({
      mode: "refused",
      problems: ["the private key in PRIVATE_KEY_PATH (/nonexistent.pem) cannot be read."],
    });
  });

  it("reads .env over the environment, and a key file in the working directory, as Probot does", () => {
    const cwd = empty();
    writeFileSync(join(cwd, ".env"), `APP_ID=34\nWEBHOOK_SECRET="from env file"\n`);
    writeFileSync(join(cwd, "memlint.private-key.pem"), KEY);
    const env = withDotEnv({ APP_ID: "12", NODE_ENV: "production" }, cwd);
    expect(env).toMatchObject({ APP_ID: "34", WEBHOOK_SECRET: "from env file", NODE_ENV: "production" });
    expect(startupMode(env, cwd)).toEqual({ mode: "app" });
  });
});
