/** A structural check of SARIF logs for the tests. */
import { Ajv } from "ajv";
import type { Log } from "sarif";

/**
 * The required properties of SARIF 2.1.0 (sarif-schema-2.1.0.json's `required` lists and enums)
 * for the objects memlint writes, plus what GitHub code scanning needs on top (a driver name,
 * rule ids, `message.text`, a location with a URI and a start line for each result).
 */
const SARIF_SUBSET = {
  type: "object",
  required: ["version", "runs"],
  properties: {
    version: { const: "2.1.0" },
    $schema: { type: "string", format: "uri" },
    runs: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["tool"],
        properties: {
          tool: {
            type: "object",
            required: ["driver"],
            properties: {
              driver: {
                type: "object",
                required: ["name"],
                properties: {
                  name: { type: "string", minLength: 1 },
                  rules: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["id", "shortDescription", "fullDescription", "help", "defaultConfiguration"],
                      properties: {
                        id: { type: "string", minLength: 1 },
                        shortDescription: { $ref: "#/$defs/message" },
                        fullDescription: { $ref: "#/$defs/message" },
                        help: { type: "object", required: ["text", "markdown"] },
                        defaultConfiguration: { type: "object", properties: { level: { $ref: "#/$defs/level" } } },
                      },
                    },
                  },
                },
              },
            },
          },
          columnKind: { enum: ["utf16CodeUnits", "unicodeCodePoints"] },
          results: {
            type: "array",
            items: {
              type: "object",
              required: ["ruleId", "message", "locations", "partialFingerprints"],
              properties: {
                ruleId: { type: "string" },
                ruleIndex: { type: "integer", minimum: 0 },
                level: { $ref: "#/$defs/level" },
                message: { $ref: "#/$defs/message" },
                locations: { type: "array", minItems: 1, items: { $ref: "#/$defs/location" } },
                relatedLocations: { type: "array", items: { allOf: [{ $ref: "#/$defs/location" }, { required: ["id", "message"] }] } },
                partialFingerprints: { type: "object", additionalProperties: { type: "string" } },
                baselineState: { enum: ["new", "unchanged", "updated", "absent"] },
                suppressions: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["kind"],
                    properties: { kind: { enum: ["inSource", "external"] }, status: { enum: ["accepted", "underReview", "rejected"] }, justification: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  $defs: {
    level: { enum: ["none", "note", "warning", "error"] },
    message: { type: "object", required: ["text"], properties: { text: { type: "string", minLength: 1 } } },
    location: {
      type: "object",
      required: ["physicalLocation"],
      properties: {
        id: { type: "integer", minimum: 0 },
        physicalLocation: {
          type: "object",
          required: ["artifactLocation", "region"],
          properties: {
            artifactLocation: { type: "object", required: ["uri"], properties: { uri: { type: "string", minLength: 1, pattern: "^[^\\\\]*$" } } },
            region: {
              type: "object",
              required: ["startLine"],
              properties: { startLine: { type: "integer", minimum: 1 }, startColumn: { type: "integer", minimum: 1 }, endLine: { type: "integer", minimum: 1 }, endColumn: { type: "integer", minimum: 1 } },
            },
          },
        },
      },
    },
  },
};

/** Everything in a SARIF log that must hold, as a list of violations (empty when valid). */
export function sarifViolations(log: Log): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(SARIF_SUBSET);
  const out = validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  for (const run of log.runs) {
    const rules = run.tool.driver.rules ?? [];
    const ids = rules.map((r) => r.id);
    if (new Set(ids).size !== ids.length) out.push("duplicate rule ids");
    for (const r of rules) if ((r.shortDescription?.text.length ?? 0) > 1024) out.push(`${r.id}: shortDescription over 1024 characters`);
    const bases = Object.keys(run.originalUriBaseIds ?? {});
    // SARIF §3.14.14: a base without a uriBaseId of its own is absolute, or has no uri at all.
    for (const [id, base] of Object.entries(run.originalUriBaseIds ?? {})) {
      if (!base.uriBaseId && base.uri !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(base.uri)) out.push(`originalUriBaseIds.${id}: a top-level base must be absolute or have no uri`);
    }
    for (const [i, result] of (run.results ?? []).entries()) {
      if (result.ruleIndex !== undefined && rules[result.ruleIndex]?.id !== result.ruleId) out.push(`results[${i}]: ruleIndex does not point at ${result.ruleId}`);
      if (!ids.includes(result.ruleId!)) out.push(`results[${i}]: rule ${result.ruleId} is not in tool.driver.rules`);
      for (const loc of [...(result.locations ?? []), ...(result.relatedLocations ?? [])]) {
        const a = loc.physicalLocation?.artifactLocation;
        if (a?.uriBaseId && !bases.includes(a.uriBaseId)) out.push(`results[${i}]: uriBaseId ${a.uriBaseId} is not defined`);
        if (a?.uriBaseId && /^[a-z]+:/.test(a.uri ?? "")) out.push(`results[${i}]: a URI relative to a base must be relative`);
      }
      const related = (result.relatedLocations ?? []).map((l) => l.id);
      if (new Set(related).size !== related.length) out.push(`results[${i}]: duplicate relatedLocations ids`);
    }
  }
  return out;
}

