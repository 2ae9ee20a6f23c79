/**
 * `npm start`: the memlint App's HTTP server (Probot's `run`): webhooks at
 * `/api/github/webhooks` (WEBHOOK_PATH), `GET /healthz`. Configuration from the environment:
 * APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL, LOG_FORMAT,
 * MEMLINT_ENVIRONMENT, MEMLINT_APP_SLUG (see .env.example and docs/app.md).
 */
import { run } from "probot";
import app from "./app.js";
import { initParser } from "./engine/parser.js";

async function main(): Promise<void> {
  // Load the Go grammar before the first webhook: every parse after this is synchronous.
  await initParser();
  await run(app);
}

main().catch((err: unknown) => {
  console.error("memlint failed to start:", err);
  process.exit(1);
});
