/**
 * Escaping of everything that comes from the repository (paths, code, identifiers, messages that
 * quote code) before it goes into GitHub markdown. GitHub renders comment bodies and check-run
 * summaries as GFM with a subset of HTML, links @-mentions and #-references in text, and turns
 * bare URLs into links; none of that may be triggered by repository content.
 */

/** U+200D ZERO WIDTH JOINER: breaks `@user` / `#123` autolinking without a visible change. */
export const ZWJ = "\u200d";

// Control characters and the bidirectional overrides of "Trojan Source" (CVE-2021-42574).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visibleControls(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Text for a markdown paragraph or table cell. Line breaks become spaces; `<`, `>` and `&`
 * become entities (no HTML, no autolinks); markdown punctuation is backslash-escaped; a
 * zero-width joiner follows every `@` and `#` (no mentions, no issue references, no heading) and
 * breaks `://` and `www.` (no URL autolinks, which GitHub forms after unescaping; emoji
 * shortcodes like `:x:` are left alone, they cannot link or notify). A leading
 * list, heading or quote marker is escaped too, since the text may start a line.
 */
export function escapeText(text: string): string {
  const flat = visibleControls(text).replace(/\r\n?|\n/g, " ");
  let out = "";
  for (let i = 0; i < flat.length; i++) {
    const ch = flat[i]!;
    switch (ch) {
      case "&":
        out += "&amp;";
        break;
      case "<":
        out += "&lt;";
        break;
      case ">":
        out += "&gt;";
        break;
      case "@":
        out += `@${ZWJ}`;
        break;
      case "#":
        out += `\\#${ZWJ}`;
        break;
      case ":":
        out += flat.startsWith("//", i + 1) ? `:${ZWJ}` : ":";
        break;
      case ".":
        out += /www$/i.test(flat.slice(Math.max(0, i - 3), i)) ? `${ZWJ}\\.` : ".";
        break;
      default:
        out += /[\\`*_[\]|~$]/.test(ch) ? `\\${ch}` : ch;
    }
  }
  // Block markers at the start of a line: `- `, `+ `, `= `, `1. `, `1) `.
  return out.replace(/^(\s*)([-+=])(?=[\s=-]|$)/, "$1\\$2").replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, "$1\\$2");
}

/** The longest run of consecutive backticks in a text. */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/**
 * A code span that shows `code` literally, whatever it contains: the delimiter is one backtick
 * longer than any run inside; padding keeps a leading or trailing backtick apart from it. Code
 * spans render no HTML, mentions or links. Line breaks become spaces (a span is one line), and
 * in a table cell `|` is escaped, as GFM splits cells before it parses spans.
 */
export function inlineCode(code: string, options: { inTable?: boolean } = {}): string {
  // `<!--` cannot start an HTML comment inside a span, but the raw body must not carry one either.
  let text = visibleControls(code).replace(/\r\n?|\n/g, " ").replace(/<!--/g, `<${ZWJ}!--`);
  if (options.inTable) text = text.replace(/\|/g, "\\|");
  if (text.trim() === "") return escapeText(code) || "(empty)";
  const fence = "`".repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || (text.startsWith(" ") && text.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A fenced code block containing `code` verbatim: the fence is a backtick run longer than any
 * inside the code (and at least three), so no line of the code can close it.
 */
export function fencedBlock(code: string, info = ""): string {
  const fence = "`".repeat(Math.max(3, longestBacktickRun(code) + 1));
  return `${fence}${info}\n${code}\n${fence}`;
}

/**
 * A message written by a rule, where text between backticks is code quoted from the repository
 * (`` `defer f.Close()` ``). Prose segments are escaped with {@link escapeText}; code segments
 * are re-emitted as safe code spans. An unmatched backtick is treated as text.
 */
export function renderMessage(message: string, options: { inTable?: boolean } = {}): string {
  let out = "";
  let i = 0;
  let text = "";
  const flush = () => {
    out += escapeText(text);
    text = "";
  };
  while (i < message.length) {
    if (message[i] !== "`") {
      text += message[i];
      i++;
      continue;
    }
    let n = 0;
    while (message[i + n] === "`") n++;
    const delimiter = "`".repeat(n);
    // The closing run must have exactly n backticks (CommonMark code spans).
    let close = -1;
    for (let j = message.indexOf(delimiter, i + n); j !== -1; j = message.indexOf(delimiter, j + 1)) {
      if (message[j - 1] !== "`" && message[j + n] !== "`") {
        close = j;
        break;
      }
      while (message[j + 1] === "`") j++;
    }
    if (close === -1) {
      text += delimiter;
      i += n;
      continue;
    }
    flush();
    let code = message.slice(i + n, close);
    // CommonMark strips one space on each side when both are there (`` `` a`b `` ``).
    if (code.length > 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== "") code = code.slice(1, -1);
    out += inlineCode(code, options);
    i = close + n;
  }
  flush();
  return out;
}

/** Shortens text to at most `max` characters (before escaping), marking the cut with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not split a surrogate pair.
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

/**
 * Shortens a rule message (markdown with code spans) at a word boundary, never leaving a code
 * span open: the cut moves before an unmatched backtick.
 */
export function truncateMessage(message: string, max: number): string {
  if (message.length <= max) return message;
  let cut = message.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  if (space > max * 0.6) cut = cut.slice(0, space);
  const ticks = [...cut.matchAll(/`/g)];
  if (ticks.length % 2 === 1) cut = cut.slice(0, ticks[ticks.length - 1]!.index).trimEnd();
  return `${cut.trimEnd()}…`;
}
