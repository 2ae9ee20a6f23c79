/**
 * The JSON Schema of `.github/memlint.yml` (`schema/memlint.schema.json`, the file as users write
 * it, also used by editors through yaml-language-server) and its validator, compiled ahead of time
 * by scripts/schema-validator.ts: validating costs no schema compilation and needs no ajv.
 */
import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv";
import { validate } from "./schema-validator.generated.js";

/** From `src/config/` and `dist/config/` alike, the schema is two levels up. */
const SCHEMA_URL = new URL("../../schema/memlint.schema.json", import.meta.url);

let schema: Record<string, unknown> | undefined;

/** The schema as a parsed JSON object. */
export function configSchema(): Record<string, unknown> {
  schema ??= JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as Record<string, unknown>;
  return schema;
}

/**
 * The validator. Errors carry `parentSchema` (verbose), so messages can use the schema's own
 * `patternErrorMessage`, the keyword editors show for a failed pattern.
 */
export function configValidator(): ValidateFunction {
  return validate as ValidateFunction;
}

export type SchemaError = ErrorObject;
