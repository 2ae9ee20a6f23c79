/**
 * What `npm start` may run with the settings it has, decided before anything listens:
 *
 * - **the App**: `APP_ID` and the private key are set. Outside `NODE_ENV=development`/`test` a
 *   real `WEBHOOK_SECRET` is required: without one Probot would check signatures against its
 *   public default `development`, and anyone who can reach the server could make it analyze and
 *   post.
 * - **setup**: none of `APP_ID`, the private key and `WEBHOOK_SECRET` is set (a fresh checkout),
 *   and `NODE_ENV` is not `production`: the manifest flow registers the App (see setup.ts).
 * - anything else stops the server, with one line per problem.
 *
 * The values are read as Probot reads them: the environment, with `.env` of the working
 * directory on top, and the key from `PRIVATE_KEY`, `PRIVATE_KEY_PATH` or a single `.pem` file in
 * the working directory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { getPrivateKey } from "@probot/get-private-key";

/** Probot's default secret when `WEBHOOK_SECRET` is unset: public, so it protects nothing. */
const PROBOT_DEFAULT_SECRET = "development";

export type StartupMode = { mode: "app" } | { mode: "setup" } | { mode: "refused"; problems: string[] };

/** The environment with `.env` of `cwd` applied over it, as Probot's `run` applies it. */
export function withDotEnv(env: NodeJS.ProcessEnv, cwd: string): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = readFileSync(join(cwd, ".env"), "utf8");
  } catch {
    return env;
  }
  return { ...env, ...parseEnv(text) };
}

function hasPrivateKey(env: NodeJS.ProcessEnv, cwd: string): boolean {
  try {
    return Boolean(getPrivateKey({ env, cwd }));
  } catch {
    // A PRIVATE_KEY_PATH that cannot be read, or several .pem files: no usable key.
    return false;
  }
}

export function startupMode(env: NodeJS.ProcessEnv, cwd: string): StartupMode {
  const nodeEnv = env.NODE_ENV?.trim();
  const lenient = nodeEnv === "development" || nodeEnv === "test";
  const appId = env.APP_ID?.trim() ?? "";
  const key = hasPrivateKey(env, cwd);
  const secret = env.WEBHOOK_SECRET ?? "";
  if (!appId && !key && !secret && nodeEnv !== "production") return { mode: "setup" };

  const problems: string[] = [];
  if (!appId) problems.push("APP_ID is not set: give the App's numeric id (GitHub → Settings → Developer settings → GitHub Apps → the App → App ID).");
  else if (!/^[1-9][0-9]*$/.test(appId)) problems.push(`APP_ID must be the App's numeric id, not ${JSON.stringify(appId)}.`);
  if (!key) {
    problems.push(
      env.PRIVATE_KEY_PATH
        ? `the private key in PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH}) cannot be read.`
        : "the App's private key is missing: set PRIVATE_KEY (the PEM) or PRIVATE_KEY_PATH (a .pem file).",
    );
  }
  if (!lenient) {
    if (!secret) problems.push("WEBHOOK_SECRET is not set: give the App's webhook secret (only NODE_ENV=development or test may run without one).");
    else if (secret === PROBOT_DEFAULT_SECRET) problems.push(`WEBHOOK_SECRET is "${PROBOT_DEFAULT_SECRET}", Probot's public default: set the App's own webhook secret.`);
  }
  return problems.length > 0 ? { mode: "refused", problems } : { mode: "app" };
}
