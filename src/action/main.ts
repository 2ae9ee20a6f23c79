/** Entry point of the GitHub Action (action.yml runs the bundle of this file, action/dist/index.js). */
import { warmUpParser } from "../cli/warm-up.js";
import { runAction } from "./run.js";

// A pull request's review is a short run (see warmUpParser).
warmUpParser(true);
process.exitCode = await runAction(process.env);
