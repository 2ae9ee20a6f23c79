/**
 * The documented shapes of the reports memlint writes for other tools, as JSON Schemas over the
 * parsed output, with validators for the tests:
 *
 * - checkstyle: Checkstyle's XML report as reviewdog (`-f=checkstyle`) and Jenkins' Warnings
 *   plugin read it — `checkstyle > file[name] > error[line, column, severity, message, source]`,
 *   severity one of Checkstyle's levels (ignore, info, warning, error);
 * - junit: the JUnit XML GitLab documents for `artifacts:reports:junit` (and Jenkins' junit XSD
 *   requires): `testsuites > testsuite[name, tests] > testcase[name, classname]`, a failure with
 *   `message` and `type`, GitLab's optional `file` and `line`;
 * - code-climate: GitLab Code Quality's required fields — `description`, `check_name`,
 *   `fingerprint`, `severity` (info, minor, major, critical, blocker), `location.path` and
 *   `location.lines.begin` — plus Code Climate's `type: issue` and `categories` from its spec.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { XMLParser, XMLValidator } from "fast-xml-parser";

const integer = { type: "integer", minimum: 1 };
const text = { type: "string", minLength: 1 };

const CHECKSTYLE = {
  type: "object",
  required: ["checkstyle"],
  properties: {
    checkstyle: {
      type: "object",
      required: ["version"],
      properties: {
        version: { type: ["string", "number"] },
        file: {
          type: "array",
          items: {
            type: "object",
            required: ["name"],
            properties: {
              name: text,
              error: {
                type: "array",
                items: {
                  type: "object",
                  required: ["line", "severity", "message", "source"],
                  additionalProperties: false,
                  properties: { line: integer, column: integer, severity: { enum: ["ignore", "info", "warning", "error"] }, message: text, source: text },
                },
              },
            },
          },
        },
      },
    },
  },
};

const JUNIT = {
  type: "object",
  required: ["testsuites"],
  properties: {
    testsuites: {
      type: "object",
      properties: {
        tests: { type: "integer", minimum: 0 },
        failures: { type: "integer", minimum: 0 },
        testsuite: {
          type: "array",
          items: {
            type: "object",
            required: ["name", "tests", "testcase"],
            properties: {
              name: text,
              tests: { type: "integer", minimum: 0 },
              failures: { type: "integer", minimum: 0 },
              errors: { type: "integer", minimum: 0 },
              testcase: {
                type: "array",
                minItems: 1,
                items: {
                  type: "object",
                  required: ["name", "classname"],
                  properties: {
                    name: text,
                    classname: text,
                    file: text,
                    line: integer,
                    time: { type: "number", minimum: 0 },
                    failure: { type: "object", required: ["message", "type"], properties: { message: text, type: text, "#text": { type: "string" } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const CODE_CLIMATE = {
  type: "array",
  items: {
    type: "object",
    required: ["description", "check_name", "fingerprint", "severity", "location", "type", "categories"],
    properties: {
      type: { const: "issue" },
      description: text,
      check_name: text,
      fingerprint: text,
      severity: { enum: ["info", "minor", "major", "critical", "blocker"] },
      categories: {
        type: "array",
        minItems: 1,
        items: { enum: ["Bug Risk", "Clarity", "Compatibility", "Complexity", "Duplication", "Performance", "Security", "Style"] },
      },
      location: {
        type: "object",
        required: ["path", "lines"],
        properties: {
          path: { type: "string", pattern: "^[^/]" },
          lines: { type: "object", required: ["begin"], properties: { begin: integer, end: integer } },
        },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validators: Record<"checkstyle" | "junit" | "code-climate", ValidateFunction> = {
  checkstyle: ajv.compile(CHECKSTYLE),
  junit: ajv.compile(JUNIT),
  "code-climate": ajv.compile(CODE_CLIMATE),
};

const LISTS = new Set(["file", "error", "testsuite", "testcase"]);

/** An XML report parsed into plain objects: attributes as properties, numbers as numbers. */
export function parseXml(xml: string): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", parseAttributeValue: true, isArray: (name, _path, _leaf, isAttribute) => !isAttribute && LISTS.has(name) }).parse(xml) as Record<string, unknown>;
}

/** Violations of a format's documented shape (empty when the output conforms). */
export function shapeViolations(format: "checkstyle" | "junit" | "code-climate", output: string): string[] {
  const value = format === "code-climate" ? (JSON.parse(output) as unknown) : parseXml(output);
  const validate = validators[format];
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
