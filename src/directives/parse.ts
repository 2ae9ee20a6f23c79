/**
 * The `//memlint:` directive language (see the README's "Lifetime contracts"): one parser for
 * the engine's suppressions, the contract checker, the CLI and the App.
 */
export type Directive =
  | { kind: "ignore"; rules: string[]; reason: string }
  | { kind: "borrow"; names: string[] }
  | { kind: "lifetime"; scope: string; names: string[] }
  | { kind: "owned"; names: string[] }
  | { kind: "bounds"; slice: string; length: string }
  /**
   * golangci-lint's `//nolint` (every linter), `//nolint:all` or a list naming memlint, honoured
   * for every memlint rule, with the explanation after a second `//` when there is one.
   */
  | { kind: "nolint"; explanation?: string };

export type DirectiveParse = { ok: true; directive: Directive } | { ok: false; error: string };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Parses the text of one `//` comment. Returns undefined when the comment is not meant as a
 * memlint directive at all, and an error for a directive that is malformed.
 */
export function parseDirective(text: string): DirectiveParse | undefined {
  // Every directive read here has `lint` in it (`//memlint:`, `//nolint`): most comments are
  // prose, and are passed over without a copy.
  if (!text.includes("lint")) return undefined;
  // A `//` comment of a file with CRLF line endings ends in `\r`, which `.` does not match.
  const comment = text.endsWith("\r") ? text.replace(/\r+$/, "") : text;
  const nolint = parseNolint(comment);
  if (nolint) return nolint.covers ? { ok: true, directive: { kind: "nolint", ...(nolint.explanation ? { explanation: nolint.explanation } : {}) } } : undefined;
  if (/^\/\/\s+memlint:/.test(comment)) {
    return { ok: false, error: "`// memlint:` has a space after `//`; Go directives are written `//memlint:` and this one is ignored" };
  }
  const m = /^\/\/memlint:(\S*)(.*)$/.exec(comment);
  if (!m) return undefined;
  const verb = m[1]!;
  const rest = m[2]!;
  if (verb === "ignore") return parseIgnore(rest);
  // A trailing ` // comment` is not part of other directives.
  const args = rest.replace(/\s\/\/.*$/, "").trim();
  switch (verb) {
    case "borrow": {
      const names = nameList(args);
      return names.ok ? { ok: true, directive: { kind: "borrow", names: names.names } } : names;
    }
    case "owned": {
      const names = nameList(args, ["return"]);
      return names.ok ? { ok: true, directive: { kind: "owned", names: names.names } } : names;
    }
    case "lifetime": {
      const sp = /^(\S+)\s+(.*)$/.exec(args);
      if (!sp) return { ok: false, error: "`//memlint:lifetime` needs a scope and at least one name: `//memlint:lifetime request p`" };
      if (!IDENT.test(sp[1]!)) return { ok: false, error: `\`${sp[1]}\` is not a scope name` };
      const names = nameList(sp[2]!);
      return names.ok ? { ok: true, directive: { kind: "lifetime", scope: sp[1]!, names: names.names } } : names;
    }
    case "bounds": {
      const parts = args.split(/\s+/).filter(Boolean);
      if (parts.length !== 2 || !IDENT.test(parts[0]!) || !(IDENT.test(parts[1]!) || /^[0-9]+$/.test(parts[1]!))) {
        return { ok: false, error: "`//memlint:bounds` takes a slice parameter and a length (a parameter or an integer constant): `//memlint:bounds buf n`" };
      }
      return { ok: true, directive: { kind: "bounds", slice: parts[0]!, length: parts[1]! } };
    }
    case "":
      return { ok: false, error: "`//memlint:` names no directive" };
    default:
      return { ok: false, error: `unknown directive \`//memlint:${verb}\` (known: borrow, lifetime, owned, bounds, ignore)` };
  }
}

/**
 * A `//nolint` comment as golangci-lint reads it: the text after the slashes and spaces starts
 * with `nolint` followed by a space, a colon or nothing. Bare `//nolint` and `//nolint:all` cover
 * every linter; otherwise the comma-separated list (up to a second `//`) must name memlint.
 */
function parseNolint(comment: string): { covers: boolean; explanation?: string } | undefined {
  const text = comment.replace(/^[/ ]+/, "");
  if (!/^nolint(?: |:|$)/.test(text)) return undefined;
  const sep = text.indexOf("//");
  const explanation = sep === -1 ? undefined : text.slice(sep + 2).trim() || undefined;
  const head = (sep === -1 ? text : text.slice(0, sep)).trimEnd();
  if (!head.startsWith("nolint:") || head.startsWith("nolint:all")) return { covers: true, ...(explanation ? { explanation } : {}) };
  const linters = head.slice("nolint:".length).split(",").map((l) => l.trim().toLowerCase());
  return { covers: linters.includes("memlint") || linters.includes("all"), ...(explanation ? { explanation } : {}) };
}

function parseIgnore(rest: string): DirectiveParse {
  const usage = "write `//memlint:ignore <rule-id>[,<rule-id>] -- <reason>`";
  const sep = rest.indexOf("--");
  const rulesPart = (sep === -1 ? rest : rest.slice(0, sep)).trim();
  const reason = sep === -1 ? "" : rest.slice(sep + 2).trim();
  if (!rulesPart) return { ok: false, error: `\`//memlint:ignore\` names no rule; ${usage}` };
  const rules = rulesPart.split(",").map((r) => r.trim());
  if (rules.includes("all")) return { ok: false, error: `\`//memlint:ignore all\` is not accepted: name the rules; ${usage}` };
  const bad = rules.find((r) => !RULE_ID.test(r));
  if (bad !== undefined) return { ok: false, error: `\`${bad}\` is not a rule id; ${usage}` };
  if (!reason) return { ok: false, error: `\`//memlint:ignore ${rules.join(",")}\` has no reason; ${usage}` };
  return { ok: true, directive: { kind: "ignore", rules, reason } };
}

function nameList(text: string, extra: string[] = []): { ok: true; names: string[] } | { ok: false; error: string } {
  const names = text.split(",").map((n) => n.trim());
  if (names.length === 0 || names.some((n) => n === "")) return { ok: false, error: "expected a comma-separated list of parameter names" };
  const bad = names.find((n) => !IDENT.test(n) && !extra.includes(n));
  if (bad !== undefined) return { ok: false, error: `\`${bad}\` is not a parameter name` };
  return { ok: true, names };
}
