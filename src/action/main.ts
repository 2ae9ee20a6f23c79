/** Entry point of the GitHub Action (action.yml runs the bundle of this file, action/dist/index.cjs). */
import { warmUpParser } from "../cli/warm-up.js";
import { runAction } from "./run.js";

// A pull request's review is a short run (see warmUpParser).
warmUpParser(true);
// (No top-level await: the bundle is CommonJS.)
void runAction(process.env).then((code) => {
  process.exitCode = code;
});
