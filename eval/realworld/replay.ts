/**
 * The corpus runner's only call into the engine: a change reviewed as the App reviews a pull
 * request, under memlint's default configuration. Kept to this one function so that a change of
 * the engine's entry point touches one place.
 */
import { defaultConfig } from "../../src/config/load.js";
import type { FileInput } from "../../src/engine/analyze.js";
import { initParser } from "../../src/engine/parser.js";
import { reviewChange } from "../../src/engine/review.js";
import type { PackageLoader } from "../../src/engine/source.js";
import type { Finding } from "../../src/engine/types.js";

export interface Replay {
  /** Findings the head has that the base has not. */
  introduced: Finding[];
  /** Paths the engine did not analyze, with the reason. */
  skipped: { path: string; reason: string }[];
}

export async function replay(files: FileInput[], goVersion: string | undefined, loadPackage: PackageLoader): Promise<Replay> {
  await initParser();
  const result = reviewChange(files, defaultConfig(), goVersion, { loadPackage });
  return { introduced: result.introduced, skipped: result.skipped };
}
