/**
 * Compiles schema/memlint.schema.json ahead of time into src/config/schema-validator.generated.ts
 * (ajv's standalone code), so that no process pays for compiling the schema: validating a
 * configuration costs microseconds instead of a schema compilation, and ajv is not needed at
 * run time. `npx tsx scripts/schema-validator.ts` writes it; the test suite checks it is current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
// A CommonJS module: its default import is `module.exports`, whose `default` is the function.
import standalone from "ajv/dist/standalone/index.js";

export const SCHEMA_FILE = fileURLToPath(new URL("../schema/memlint.schema.json", import.meta.url));
export const VALIDATOR_FILE = fileURLToPath(new URL("../src/config/schema-validator.generated.ts", import.meta.url));

export function renderValidator(schemaText: string = readFileSync(SCHEMA_FILE, "utf8")): string {
  // allErrors: every problem of a file at once. verbose: errors carry `parentSchema`, whose
  // `patternErrorMessage` (the keyword editors show for a failed pattern) the loader uses.
  // unicode: false counts string lengths in UTF-16 units (the schema's only length bounds are
  // `minLength: 1`, where that is the same), so the code needs no ajv runtime helper. ajv calls the
  // option deprecated, hence logger: false; the check below fails should it stop working.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, unicode: false, logger: false, code: { source: true, esm: true, lines: true } });
  ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
  const code = standalone.default(ajv, ajv.compile(JSON.parse(schemaText) as object));
  if (/\brequire\(/.test(code)) throw new Error("the generated validator needs ajv at run time; adjust the options above");
  return [
    "// Generated from schema/memlint.schema.json by `npx tsx scripts/schema-validator.ts`; do not edit by hand.",
    "// @ts-nocheck",
    "/* eslint-disable */",
    code.replace(/^"use strict";\s*/, ""),
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeFileSync(VALIDATOR_FILE, renderValidator());
