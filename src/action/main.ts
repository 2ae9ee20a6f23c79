/** Entry point of the GitHub Action (action.yml runs the bundle of this file, action/dist/index.js). */
import { runAction } from "./run.js";

process.exitCode = await runAction(process.env);
