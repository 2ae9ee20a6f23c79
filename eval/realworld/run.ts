/** `npm run eval:realworld`: see README.md. */
import { runCorpus } from "./cli.js";

runCorpus(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`eval:realworld: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
