/** Test helpers: findings and changed lines without running the engine. */
import { createHash } from "node:crypto";
import type { ChangedLines, Hunk } from "../../src/engine/diff.js";
import type { Finding, Severity } from "../../src/engine/types.js";

let counter = 0;

export function finding(overrides: Partial<Finding> = {}): Finding {
  const n = counter++;
  const fingerprint = overrides.fingerprint ?? createHash("sha256").update(`finding ${n}`).digest("hex");
  const line = overrides.line ?? 10;
  return {
    ruleId: "defer-in-loop",
    severity: "warning" as Severity,
    category: "leak-resource",
    title: "defer inside a loop",
    message: "`defer f.Close()` runs when the function returns, not at the end of each iteration.",
    path: "pkg/files.go",
    line,
    column: 3,
    endLine: line,
    endColumn: 18,
    declaration: "Load",
    fingerprint,
    id: fingerprint.slice(0, 8),
    related: [],
    ...overrides,
  };
}

/** Changed lines with the given hunks (head side) and every line of them counted as added. */
export function changed(...hunks: [start: number, lines: number][]): ChangedLines {
  const added = new Set<number>();
  const list: Hunk[] = hunks.map(([newStart, newLines]) => {
    for (let l = newStart; l < newStart + newLines; l++) added.add(l);
    return { oldStart: newStart, oldLines: newLines, newStart, newLines };
  });
  return { added, deleted: new Set(), hunks: list };
}
