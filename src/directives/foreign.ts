/**
 * Suppressions written for other linters, read the way those linters read them, so that a line
 * already waived for the same pitfall is not reported again by memlint:
 *
 * - golangci-lint: `//nolint:bodyclose,gosec // explanation` (lists of linters, with spaces as in
 *   `// nolint: bodyclose` too; bare `//nolint` and `//nolint:all` are memlint's own business,
 *   see parse.ts);
 * - staticcheck: `//lint:ignore SA1015,SA9001 reason` (check names or globs, reason required) and
 *   `//lint:file-ignore SA1015 reason` for the whole file;
 * - gosec: `#nosec G112 G114 -- justification` at the start of a comment (bare `#nosec`: every
 *   gosec rule).
 *
 * Whether one silences a rule is decided by the rule's {@link Equivalents} (its metadata).
 */
import type { Equivalents } from "../engine/types.js";

export type ForeignSuppression =
  | { tool: "golangci"; linters: string[]; reason?: string }
  | { tool: "staticcheck"; checks: string[]; fileWide: boolean; reason: string }
  /** `rules` empty: every gosec rule. */
  | { tool: "gosec"; rules: string[]; reason?: string };

/** The other linter's suppression a `//` comment is, if any. */
export function parseForeignSuppression(text: string): ForeignSuppression | undefined {
  // `//lint:`, `nolint:` and `#nosec`: prose comments are passed over without a copy.
  if (!text.includes("lint:") && !text.includes("nosec")) return undefined;
  const comment = text.replace(/\r+$/, "");
  if (!comment.startsWith("//")) return undefined;
  const staticcheck = /^\/\/lint:(ignore|file-ignore)\s+(\S+)\s+(\S.*)$/.exec(comment);
  if (staticcheck) {
    return { tool: "staticcheck", checks: staticcheck[2]!.split(",").filter(Boolean), fileWide: staticcheck[1] === "file-ignore", reason: staticcheck[3]!.trim() };
  }
  const body = comment.replace(/^[/ ]+/, "");
  // golangci-lint trims each name of the list, so `// nolint: bodyclose, gosec` counts too.
  const nolint = /^nolint:([^/]*)(.*)$/.exec(body);
  if (nolint) {
    const sep = nolint[2]!.indexOf("//");
    const reason = sep === -1 ? undefined : nolint[2]!.slice(sep + 2).trim() || undefined;
    const linters = nolint[1]!.split(",").map((l) => l.trim().toLowerCase()).filter(Boolean);
    return { tool: "golangci", linters, ...(reason ? { reason } : {}) };
  }
  const nosec = /^#nosec\b(.*)$/.exec(body.replace(/^\s+/, ""));
  if (nosec) {
    const sep = nosec[1]!.indexOf("--");
    const ids = sep === -1 ? nosec[1]! : nosec[1]!.slice(0, sep);
    const reason = sep === -1 ? undefined : nosec[1]!.slice(sep + 2).trim() || undefined;
    return { tool: "gosec", rules: [...ids.matchAll(/G\d{3}/g)].map((m) => m[0]), ...(reason ? { reason } : {}) };
  }
  return undefined;
}

/** golangci-lint's names for the linters that bundle the checks of {@link Equivalents}. */
const BUNDLES = { staticcheck: ["staticcheck", "megacheck"], gosec: ["gosec"], govet: ["govet", "vet"] } as const;

/** Whether a suppression of another linter names a check equivalent to a rule. */
export function silences(suppression: ForeignSuppression, equivalents: Equivalents | undefined): boolean {
  if (!equivalents) return false;
  switch (suppression.tool) {
    case "golangci":
      return suppression.linters.some(
        (l) =>
          (equivalents.golangci ?? []).some((g) => g.toLowerCase() === l) ||
          (Object.keys(BUNDLES) as (keyof typeof BUNDLES)[]).some((tool) => (equivalents[tool]?.length ?? 0) > 0 && (BUNDLES[tool] as readonly string[]).includes(l)),
      );
    case "staticcheck":
      return suppression.checks.some((glob) => (equivalents.staticcheck ?? []).some((id) => globMatch(glob, id)));
    case "gosec":
      return (equivalents.gosec?.length ?? 0) > 0 && (suppression.rules.length === 0 || suppression.rules.some((r) => equivalents.gosec!.includes(r)));
  }
}

/** The equivalents as people name them: "golangci-lint bodyclose", "staticcheck SA1015", "gosec G114", "go vet lostcancel". */
export function describeEquivalents(equivalents: Equivalents | undefined): string[] {
  if (!equivalents) return [];
  return [
    ...(equivalents.golangci ?? []).map((l) => `golangci-lint ${l}`),
    ...(equivalents.staticcheck ?? []).map((c) => `staticcheck ${c}`),
    ...(equivalents.gosec ?? []).map((r) => `gosec ${r}`),
    ...(equivalents.govet ?? []).map((a) => `go vet ${a}`),
  ];
}

/** staticcheck matches check names with Go's `filepath.Match`, case-insensitively. */
function globMatch(glob: string, name: string): boolean {
  const pattern = glob.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`, "i").test(name);
}
