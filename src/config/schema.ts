/**
 * The JSON Schema of `.github/memlint.yml` (`schema/memlint.schema.json`, the file as users write
 * it, also used by editors through yaml-language-server), compiled once with ajv.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

/** From `src/config/` and `dist/config/` alike, the schema is two levels up. */
const SCHEMA_URL = new URL("../../schema/memlint.schema.json", import.meta.url);

let schema: Record<string, unknown> | undefined;
let validator: ValidateFunction | undefined;

/** The schema as a parsed JSON object. */
export function configSchema(): Record<string, unknown> {
  schema ??= JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as Record<string, unknown>;
  return schema;
}

/**
 * The compiled validator. Errors carry `parentSchema` (verbose), so messages can use the
 * schema's own `patternErrorMessage`, the keyword editors show for a failed pattern.
 */
export function configValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
    validator = ajv.compile(configSchema());
  }
  return validator;
}

export type SchemaError = ErrorObject;
