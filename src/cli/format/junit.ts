/**
 * `--format junit`: a JUnit XML report, the test-report format GitLab (`artifacts:reports:junit`),
 * Jenkins and the test-report actions display: a `<testsuite>` per analyzed file, a failing
 * `<testcase>` per finding (with `file` and `line`), and one passing test case for a file
 * without findings, so a clean run still shows what was checked.
 */
import { byCodeUnits } from "../../engine/order.js";
import type { Finding } from "../../engine/types.js";
import { displayPath, listedFindings, type Report } from "../report.js";
import { XML_DECLARATION, xmlAttributes, xmlText } from "./xml.js";

export function formatJunit(report: Report): string {
  const { analysis } = report;
  const byFile = new Map<string, Finding[]>();
  for (const f of analysis.result.files) byFile.set(f.path, []);
  for (const f of listedFindings(report)) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const [path, findings] of [...byFile.entries()].sort((a, b) => byCodeUnits(a[0], b[0]))) {
    const file = displayPath(analysis, path, analysis.root);
    const cases =
      findings.length === 0
        ? [`    <testcase${xmlAttributes({ name: "no memory-management findings", classname: file, file, time: "0" })}/>`]
        : findings.map((f) => testCase(f, file));
    const count = Math.max(1, findings.length);
    tests += count;
    failures += findings.length;
    suites.push(
      `  <testsuite${xmlAttributes({ name: file, tests: count, failures: findings.length, errors: 0, skipped: 0, time: "0" })}>`,
      ...cases,
      "  </testsuite>",
    );
  }
  return [XML_DECLARATION, `<testsuites${xmlAttributes({ name: "memlint", tests, failures, errors: 0, time: "0" })}>`, ...suites, "</testsuites>", ""].join("\n");
}

function testCase(f: Finding, file: string): string {
  const details = [
    `${file}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${f.message}`,
    ...f.related.map((r) => `  line ${r.line}: ${r.message}`),
    ...(f.suggestion ? [`  suggestion (lines ${f.suggestion.startLine}–${f.suggestion.endLine}):`, ...f.suggestion.replacement.split("\n").map((l) => `    ${l}`)] : []),
  ].join("\n");
  return [
    `    <testcase${xmlAttributes({ name: `${f.ruleId} at ${file}:${f.line}`, classname: file, file, line: f.line, time: "0" })}>`,
    `      <failure${xmlAttributes({ message: f.message, type: f.severity })}>${xmlText(details)}</failure>`,
    "    </testcase>",
  ].join("\n");
}
