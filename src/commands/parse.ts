/**
 * `/memlint …` commands in pull-request comments: recognition, parsing with precise error
 * messages, and the help text. Pure: no GitHub, no configuration beyond the options passed in.
 *
 * A command is a line that starts with `/memlint` (at most three spaces of indentation), outside
 * fenced code blocks and block quotes — so quoting someone's command (`> /memlint ignore …`) or
 * showing one in a code block never issues it. A comment may hold several commands, one per line
 * (at most {@link MAX_COMMANDS_PER_COMMENT}).
 *
 *   /memlint ignore [<finding-id>|<rule-id>|all] [--as fp|accepted-risk|test-only] -- <reason>
 *   /memlint unignore [<finding-id>|<rule-id>|all] [-- <note>]
 *   /memlint recheck
 *   /memlint explain <rule-id>
 *   /memlint help
 *
 * Without a target, `ignore`/`unignore` mean the finding of the review thread the comment replies
 * to; whether that is possible is decided later (the parser does not know where the comment is).
 * The reason follows a standalone `--` (an em or en dash, as phones type it, works too) and runs
 * to the end of the paragraph.
 */
import { docsPageUrl } from "../comments/docs.js";
import { closestMatch } from "../config/load.js";
import { KNOWN_RULE_IDS } from "../rules/index.js";

export const COMMAND_NAMES = ["ignore", "unignore", "recheck", "explain", "help"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const IGNORE_CATEGORIES = ["fp", "accepted-risk", "test-only"] as const;
export type IgnoreCategory = (typeof IGNORE_CATEGORIES)[number];

export const CATEGORY_LABEL: Record<IgnoreCategory, string> = {
  fp: "false positive",
  "accepted-risk": "accepted risk",
  "test-only": "test-only code",
};

const CATEGORY_ALIASES: Record<string, IgnoreCategory> = {
  fp: "fp",
  "false-positive": "fp",
  falsepositive: "fp",
  "accepted-risk": "accepted-risk",
  "test-only": "test-only",
};

export const MAX_COMMANDS_PER_COMMENT = 10;

/** The shortest finding-id prefix accepted (ids are shown with 8 hex characters). */
export const MIN_ID_LENGTH = 6;

export type CommandTarget =
  /** None given: the finding of the memlint review thread the comment replies to. */
  | { kind: "thread" }
  /** A finding id: a prefix (lowercase hex) of the finding's fingerprint. */
  | { kind: "finding"; id: string }
  | { kind: "rule"; ruleId: string }
  | { kind: "all" };

export type Command =
  | { name: "ignore"; target: CommandTarget; category: IgnoreCategory; reason: string }
  | { name: "unignore"; target: CommandTarget; note?: string }
  | { name: "recheck" }
  | { name: "explain"; ruleId: string }
  | { name: "help" };

export type ParsedCommand =
  | { ok: true; command: Command; text: string }
  /** `name`: the command as far as it was recognized (to show its syntax). */
  | { ok: false; name?: CommandName; error: string; text: string };

export const USAGE: Record<CommandName, string> = {
  ignore: "/memlint ignore <finding-id>|<rule-id>|all [--as fp|accepted-risk|test-only] -- <reason>",
  unignore: "/memlint unignore <finding-id>|<rule-id>|all",
  recheck: "/memlint recheck",
  explain: "/memlint explain <rule-id>",
  help: "/memlint help",
};

/** The reply form, in a memlint review thread. */
export const REPLY_USAGE = "/memlint ignore [--as fp|accepted-risk|test-only] -- <reason>";

export interface ParseOptions {
  /** Characters a reason needs (`ignore.min_reason_length`, default 10). */
  minReasonLength: number;
}

const COMMAND_LINE = /^ {0,3}\/memlint(?=\s|$)(.*)$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SEPARATORS = new Set(["--", "—", "–"]);

/** Whether a body holds at least one command line (cheap: decides whether an event needs work). */
export function hasCommand(body: string | null | undefined): boolean {
  if (!body || !/\/memlint/i.test(body)) return false;
  return commandLines(body).length > 0;
}

interface CommandLine {
  /** The text after `/memlint`, with the paragraph's continuation lines joined by spaces. */
  args: string;
  /** The command as written (first line), for echoing back. */
  text: string;
}

function commandLines(body: string): CommandLine[] {
  const lines = body.split(/\r\n?|\n/);
  const out: CommandLine[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE.exec(line);
    if (fence !== undefined) {
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && line.trim() === f[1]) fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1]!;
      continue;
    }
    const m = COMMAND_LINE.exec(line);
    if (!m) continue;
    let args = m[1]!;
    // The paragraph continues the reason: following lines up to a blank line, a fence, a quote or another command.
    let j = i + 1;
    for (; j < lines.length; j++) {
      const next = lines[j]!;
      if (next.trim() === "" || FENCE.test(next) || /^\s*>/.test(next) || COMMAND_LINE.test(next)) break;
      args += ` ${next.trim()}`;
    }
    i = j - 1;
    out.push({ args, text: line.trim() });
  }
  return out;
}

/** Every command of a comment body, parsed (errors included), in order. */
export function parseComment(body: string, options: ParseOptions): ParsedCommand[] {
  const lines = commandLines(body);
  const parsed = lines.slice(0, MAX_COMMANDS_PER_COMMENT).map((l) => parseCommand(l.args, l.text, options));
  if (lines.length > MAX_COMMANDS_PER_COMMENT) {
    parsed.push({
      ok: false,
      error: `a comment may hold at most ${MAX_COMMANDS_PER_COMMENT} commands; the ${lines.length - MAX_COMMANDS_PER_COMMENT} after the ${MAX_COMMANDS_PER_COMMENT}th were not read`,
      text: lines[MAX_COMMANDS_PER_COMMENT]!.text,
    });
  }
  return parsed;
}

/** Strips one pair of backticks (people paste ids as they appear: `` `7e11ac0a` ``). */
function unquote(token: string): string {
  const m = /^`+([^`]*)`+$/.exec(token);
  return m ? m[1]! : token;
}

/** A user's token for an error message: no backticks (messages put it in a code span), bounded. */
function shown(token: string, max = 40): string {
  const t = token.replace(/`/g, "");
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function fail(text: string, error: string, name?: CommandName): ParsedCommand {
  return name ? { ok: false, name, error, text } : { ok: false, error, text };
}

function parseCommand(args: string, text: string, options: ParseOptions): ParsedCommand {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const first = tokens[0];
  if (first === undefined) return fail(text, "`/memlint` needs a command: ignore, unignore, recheck, explain or help");
  const word = unquote(first).toLowerCase();
  if (!(COMMAND_NAMES as readonly string[]).includes(word)) {
    const guess = closestMatch(word, COMMAND_NAMES);
    return fail(text, `unknown command \`${shown(word)}\`${guess ? ` — did you mean \`${guess}\`?` : ""}; the commands are ignore, unignore, recheck, explain and help`);
  }
  const name = word as CommandName;
  const rest = tokens.slice(1);
  const sep = rest.findIndex((t) => SEPARATORS.has(t));
  const before = sep === -1 ? rest : rest.slice(0, sep);
  const after = sep === -1 ? "" : afterSeparator(args);

  switch (name) {
    case "help":
    case "recheck":
      // Extra words ("please", "again") are harmless.
      return { ok: true, command: { name }, text };
    case "explain": {
      if (before.length === 0) return fail(text, "say which rule to explain", name);
      if (before.length > 1) return fail(text, "explain takes one rule id", name);
      const id = unquote(before[0]!).toLowerCase();
      if (!KNOWN_RULE_IDS.has(id)) return fail(text, unknownRule(id), name);
      return { ok: true, command: { name, ruleId: id }, text };
    }
    case "unignore": {
      const options = before.filter((t) => t.startsWith("-"));
      if (options.length > 0) return fail(text, `unignore takes no options (got \`${shown(options[0]!)}\`)`, name);
      if (before.length > 1) return fail(text, "unignore takes one target: a finding id, a rule id or `all`", name);
      const target = before[0] === undefined ? ({ kind: "thread" } as const) : parseTarget(before[0]);
      if ("error" in target) return fail(text, target.error, name);
      const note = after.trim();
      return { ok: true, command: { name, target, ...(note ? { note } : {}) }, text };
    }
    case "ignore":
      return parseIgnore(before, sep !== -1, after, text, options);
  }
}

/** The text after the first standalone separator, whitespace collapsed. */
function afterSeparator(args: string): string {
  const m = /(?:^|\s)(?:--|—|–)(?:\s|$)([\s\S]*)$/.exec(args);
  return (m?.[1] ?? "").replace(/\s+/g, " ").trim();
}

function parseIgnore(before: string[], hasSeparator: boolean, reason: string, text: string, options: ParseOptions): ParsedCommand {
  const name = "ignore" as const;
  let category: IgnoreCategory = "fp";
  const positional: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const t = before[i]!;
    let value: string | undefined;
    if (/^--as=/i.test(t)) value = t.slice(5);
    else if (/^--as$/i.test(t)) {
      value = before[i + 1];
      i++;
      if (value === undefined) return fail(text, "`--as` needs a category: fp, accepted-risk or test-only", name);
    } else if (t.startsWith("-")) {
      if (/^--?[a-z]/i.test(t) && !/^--as/i.test(t)) {
        return fail(text, `unknown option \`${shown(t)}\`: the only option is \`--as\`; the reason goes after a standalone \`--\` (with spaces around it)`, name);
      }
      return fail(text, `unknown option \`${shown(t)}\``, name);
    }
    if (value !== undefined) {
      const c = CATEGORY_ALIASES[unquote(value).toLowerCase()];
      if (!c) return fail(text, `unknown category \`${shown(value)}\`: use fp (false positive, the default), accepted-risk or test-only`, name);
      category = c;
      continue;
    }
    positional.push(t);
  }
  if (positional.length > 1) {
    return hasSeparator
      ? fail(text, "ignore takes one target (a finding id, a rule id or `all`) before ` -- `", name)
      : fail(text, "missing ` -- ` before the reason: write the target, then ` -- `, then why", name);
  }
  if (!hasSeparator || reason === "") {
    return fail(text, "missing reason: end the command with ` -- ` and why the finding does not apply", name);
  }
  if (/^<[a-z][a-z -]{0,30}>$/i.test(reason)) return fail(text, "replace `<reason>` with the actual reason", name);
  const length = [...reason].length;
  if (length < options.minReasonLength) {
    return fail(text, `the reason is too short (${length} ${length === 1 ? "character" : "characters"}; this repository requires at least ${options.minReasonLength}): say why the finding does not apply`, name);
  }
  const target = positional[0] === undefined ? ({ kind: "thread" } as const) : parseTarget(positional[0]);
  if ("error" in target) return fail(text, target.error, name);
  return { ok: true, command: { name, target, category, reason }, text };
}

function unknownRule(id: string): string {
  const guess = closestMatch(id, KNOWN_RULE_IDS);
  return `unknown rule id \`${shown(id, 60)}\`${guess ? ` — did you mean \`${guess}\`?` : ""}`;
}

function parseTarget(token: string): CommandTarget | { error: string } {
  const t = unquote(token).replace(/^#/, "").toLowerCase();
  if (t === "all") return { kind: "all" };
  if (/^[0-9a-f]+$/.test(t)) {
    if (t.length < MIN_ID_LENGTH || t.length > 64) return { error: `\`${shown(t, 64)}\` is not a finding id: ids are the 8 hex characters shown in each memlint comment and in the check summary` };
    return { kind: "finding", id: t };
  }
  if (KNOWN_RULE_IDS.has(t)) return { kind: "rule", ruleId: t };
  if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(t)) return { error: unknownRule(t) };
  return {
    error: `\`${shown(t, 60)}\` is neither a finding id (8 hex characters, shown in each memlint comment and in the check summary), a rule id, nor \`all\``,
  };
}

/** How a command is written, for refusals: the reply form too where it applies. */
export function usageFor(name: CommandName | undefined): string[] {
  if (name === undefined) return COMMAND_NAMES.map((n) => USAGE[n]);
  if (name === "ignore") return [USAGE.ignore, `${REPLY_USAGE}   (as a reply to a memlint comment)`];
  return [USAGE[name]];
}

/** The reply to `/memlint help` (markdown; nothing from users in it). */
export function helpText(options: ParseOptions): string {
  return [
    "**memlint commands** (in this pull request's conversation, or as a reply to a memlint comment):",
    "",
    "| Command | Effect |",
    "|---|---|",
    "| `/memlint ignore -- <reason>` | In reply to a memlint comment: ignore that finding. |",
    "| `/memlint ignore <finding-id> -- <reason>` | Ignore one finding (its id is in each comment and in the check summary). |",
    "| `/memlint ignore <rule-id> -- <reason>` | Ignore the findings of a rule that this pull request has now. |",
    "| `/memlint ignore all -- <reason>` | Ignore every finding this pull request has now. |",
    "| `… --as fp\\|accepted-risk\\|test-only` | The category of an ignore (default `fp`, a false positive). |",
    "| `/memlint unignore <finding-id>\\|<rule-id>\\|all` | Take an ignore back (in a memlint thread, the id may be left out). |",
    "| `/memlint recheck` | Analyze the current head again. |",
    "| `/memlint explain <rule-id>` | Show a rule's documentation. |",
    "| `/memlint help` | This list. |",
    "",
    `A reason needs at least ${options.minReasonLength} characters. Who may ignore depends on the target branch's environment ` +
      "(repository permission, whether the pull request's author may, and production allows no waivers at all); " +
      "memlint re-evaluates the check as soon as a command is accepted. " +
      `[Documentation](${docsPageUrl("commands.md")})`,
  ].join("\n");
}
