/** `npm run eval:precision`: see README.md. */
import { runPrecision } from "./cli.js";

runPrecision(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`eval:precision: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
