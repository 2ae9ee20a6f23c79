/**
 * `--format checkstyle`: Checkstyle's XML report, which reviewdog (`-f=checkstyle`), Jenkins'
 * Warnings plugin and many CI dashboards read: a `<file name>` per file with an `<error>` per
 * finding (`line`, `column`, `severity` error|warning|info, `message`, `source`).
 */
import { byCodeUnits } from "../../engine/order.js";
import { displayPath, listedFindings, type Report } from "../report.js";
import { XML_DECLARATION, xmlAttributes } from "./xml.js";

export function formatCheckstyle(report: Report): string {
  const byFile = new Map<string, string[]>();
  // Every analyzed file is listed, so a consumer sees what was checked, with or without findings.
  for (const f of report.analysis.result.files) byFile.set(f.path, []);
  for (const f of listedFindings(report)) {
    const errors = byFile.get(f.path) ?? [];
    errors.push(
      `    <error${xmlAttributes({ line: f.line, column: f.column, severity: f.severity, message: `${f.message} (${f.title})`, source: `memlint.${f.ruleId}` })}/>`,
    );
    byFile.set(f.path, errors);
  }
  const files = [...byFile.entries()]
    .sort((a, b) => byCodeUnits(a[0], b[0]))
    .map(([path, errors]) => {
      const name = xmlAttributes({ name: displayPath(report.analysis, path, report.analysis.root) });
      return errors.length === 0 ? `  <file${name}/>` : [`  <file${name}>`, ...errors, "  </file>"].join("\n");
    });
  return [XML_DECLARATION, '<checkstyle version="4.3">', ...files, "</checkstyle>", ""].join("\n");
}
