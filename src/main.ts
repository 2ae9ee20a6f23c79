/**
 * `npm start`: the memlint App's HTTP server (Probot's `run`): webhooks at
 * `/api/github/webhooks` (WEBHOOK_PATH), `GET /healthz`. Configuration from the environment:
 * APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL, LOG_FORMAT,
 * MEMLINT_ENVIRONMENT, MEMLINT_APP_SLUG, REDIS_URL and the MEMLINT_* run settings (see
 * .env.example, docs/app.md and docs/operations.md).
 */
import { initParser } from "./engine/parser.js";
import { handleSignals, startServer } from "./server.js";

async function main(): Promise<void> {
  // Load the Go grammar before the first webhook: every parse after this is synchronous.
  await initParser();
  const before = new Set(process.listeners("SIGINT") as ((...args: unknown[]) => void)[]);
  const running = await startServer(process.env);
  handleSignals(running, before);
}

main().catch((err: unknown) => {
  console.error("memlint failed to start:", err);
  process.exit(1);
});
