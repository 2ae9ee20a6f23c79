/**
 * `npm start`: the memlint App's HTTP server (Probot's `run`): webhooks at
 * `/api/github/webhooks` (WEBHOOK_PATH), `GET /healthz`. Configuration from the environment
 * and `.env`: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL,
 * LOG_FORMAT, MEMLINT_ENVIRONMENT, MEMLINT_APP_SLUG, REDIS_URL and the MEMLINT_* run settings (see
 * .env.example, docs/app.md and docs/operations.md).
 *
 * Without credentials on a fresh checkout it starts in setup mode (setup.ts); with settings that
 * cannot run safely (no webhook secret outside development, an id without a key, …) it stops with
 * one line per problem (startup.ts).
 */
import { parseArgs } from "node:util";
import { initParser } from "./engine/parser.js";
import { jsonLogger } from "./log.js";
import { handleSignals, startServer } from "./server.js";
import { startSetup } from "./setup.js";
import { startupMode, withDotEnv } from "./startup.js";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "webhook-url": { type: "string" } }, strict: true });
  // `.env` applies over the environment, as Probot applies it.
  Object.assign(process.env, withDotEnv(process.env, process.cwd()));
  const mode = startupMode(process.env, process.cwd());
  if (mode.mode === "refused") {
    for (const problem of mode.problems) console.error(`memlint cannot start: ${problem}`);
    process.exit(1);
  }
  if (mode.mode === "setup") {
    const server = await startSetup({ env: process.env, cwd: process.cwd(), log: jsonLogger(process.env), ...(values["webhook-url"] ? { webhookUrl: values["webhook-url"] } : {}) });
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => server.close(() => process.exit(0)));
    return;
  }
  // Load the Go grammar before the first webhook: every parse after this is synchronous.
  await initParser();
  const before = new Set(process.listeners("SIGINT") as ((...args: unknown[]) => void)[]);
  const running = await startServer(process.env);
  handleSignals(running, before);
}

main().catch((err: unknown) => {
  console.error(`memlint failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
