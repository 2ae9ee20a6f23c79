/**
 * Finds the top-level declarations of a Go file without parsing it.
 *
 * A small lexer skips comments, interpreted and raw strings and runes, tracks bracket depth,
 * and applies Go's semicolon-insertion rule, so a top-level keyword is recognized only where a
 * new declaration can start. (A column-0 regex is fooled by raw strings and by `var f =\nfunc…`.)
 * The engine uses the result to parse only the declarations a change touches.
 */
import { LineIndex } from "./position.js";
import type { UnchangedRegions } from "./regions.js";
import { firstIndex } from "./search.js";

export type DeclarationKind = "package" | "import" | "func" | "method" | "var" | "const" | "type";

export interface Declaration {
  kind: DeclarationKind;
  /** Stable key: `Name`, `Recv.Name` for methods, `var name` / `const name` / `type Name`. */
  key: string;
  /** Names this declaration introduces (all specs of a group). */
  names: string[];
  /** Offset of the doc comment, or of the keyword when there is none; always a line start. */
  start: number;
  /** Offset just past the newline that ends the declaration's last line. */
  end: number;
  /** Offset of the keyword. */
  keywordStart: number;
  startLine: number;
  endLine: number;
}

const KEYWORDS: readonly DeclarationKind[] = ["package", "import", "func", "var", "const", "type"];

/** The declaration keyword at `source[start, end)`, if the word there is one (compared in place: no string is made). */
function keywordAt(source: string, start: number, end: number): DeclarationKind | undefined {
  const length = end - start;
  if (length < 3 || length > 7) return undefined;
  for (const k of KEYWORDS) if (k.length === length && source.startsWith(k, start)) return k;
  return undefined;
}

interface Token {
  text: string;
  start: number;
  end: number;
  kind: "word" | "literal" | "punct";
  depth: number;
  /** A newline (or `;`) separates this token from the previous one as a statement boundary. */
  startsStatement: boolean;
}

/** The top-level declarations of a Go file, in order; `lines` is the file's line index when the caller has one. */
export function scanDeclarations(source: string, lines: LineIndex = new LineIndex(source)): Declaration[] {
  const decls = topLevelDeclarations(source, lines, 0, () => false);
  attachDocComments(source, decls, lines);
  return decls;
}

/**
 * The declarations whose keywords a scan from `from` (a line start outside any declaration, or
 * a declaration's keyword) finds, until `stopAt` says stop at a keyword (not included), without
 * doc comments. The fast pass: only where top-level declarations start matters.
 */
function topLevelDeclarations(source: string, lines: LineIndex, from: number, stopAt: (keywordStart: number) => boolean): Declaration[] {
  const starts: { keyword: DeclarationKind; keywordStart: number; lastTokenEnd: number }[] = [];
  scan(source, from, source.length, (start, end, kind, depth, startsStatement) => {
    const current = starts[starts.length - 1];
    const keyword = kind === WORD && depth === 0 && startsStatement ? keywordAt(source, start, end) : undefined;
    if (keyword) {
      if (stopAt(start)) return true;
      starts.push({ keyword, keywordStart: start, lastTokenEnd: end });
      return;
    }
    if (current) current.lastTokenEnd = end;
  }, lines);
  return starts.map((s) => makeDeclaration(source, s.keyword, s.keywordStart, s.lastTokenEnd));
}

/**
 * The declarations of `base` from those of `head`, where the two versions differ only in the
 * changed lines: the declarations before the change are the head's, those after it the head's
 * moved by the change's length, and only the text between is scanned (from the last keyword
 * before the change to the first keyword after it that the head has too; from a keyword on, the
 * scan depends on nothing before it). A one-line change in a 10,000-line file then costs a scan
 * of one declaration instead of the whole base file. Without known regions, the whole base is scanned.
 */
export function baseDeclarations(base: string, baseLines: LineIndex, headDecls: readonly Declaration[], regions: UnchangedRegions | undefined): Declaration[] {
  if (!regions) return scanDeclarations(base, baseLines);
  const { prefix, headTail, baseTail } = regions;
  // The head's declarations whose keyword lies in the common prefix, but for the last one: the
  // end of that one depends on tokens that may lie in the change.
  let kept = firstIndex(headDecls.length, (i) => headDecls[i]!.keywordStart + headDecls[i]!.kind.length >= prefix);
  kept = Math.max(kept - 1, 0);
  const from = kept === 0 ? 0 : headDecls[kept]!.keywordStart;
  const shift = baseTail - headTail;
  let resumeAt = headDecls.length;
  const scanned = topLevelDeclarations(base, baseLines, from, (keywordStart) => {
    if (keywordStart < baseTail) return false;
    const i = firstIndex(headDecls.length, (j) => headDecls[j]!.keywordStart >= keywordStart - shift);
    if (headDecls[i]?.keywordStart !== keywordStart - shift) return false;
    resumeAt = i;
    return true;
  });
  // (The declarations before the change are the head's own objects: nothing changes them.)
  const out = headDecls.slice(0, kept);
  // The first declaration after the change may take a different doc comment in the base.
  const resumed = headDecls[resumeAt];
  const rescanned = resumed ? [...scanned, { ...resumed, start: resumed.keywordStart + shift, end: resumed.end + shift, keywordStart: resumed.keywordStart + shift }] : scanned;
  attachDocComments(base, rescanned, baseLines, kept === 0 ? 0 : out[kept - 1]!.end);
  out.push(...rescanned);
  if (resumed) {
    const lineShift = rescanned[rescanned.length - 1]!.endLine - resumed.endLine;
    for (const d of headDecls.slice(resumeAt + 1)) {
      out.push({ ...d, start: d.start + shift, end: d.end + shift, keywordStart: d.keywordStart + shift, startLine: d.startLine + lineShift, endLine: d.endLine + lineShift });
    }
  }
  return out;
}

const FUNC_HEADER = /\s*(?:\(([^()]*)\))?\s*([\p{L}_][\p{L}\p{N}_]*)/uy;
const SPEC_NAMES = /\s*([\p{L}_][\p{L}\p{N}_]*(?:\s*,\s*[\p{L}_][\p{L}\p{N}_]*)*)/uy;

function makeDeclaration(source: string, keyword: DeclarationKind, keywordStart: number, lastTokenEnd: number): Declaration {
  let kind = keyword;
  let names: string[] = [];
  let key: string;
  const afterKeyword = keywordStart + keyword.length;
  if (keyword === "func") {
    FUNC_HEADER.lastIndex = afterKeyword;
    const m = FUNC_HEADER.exec(source);
    const name = m?.[2] ?? "_";
    names = [name];
    if (m?.[1] !== undefined) {
      kind = "method";
      // `(s *Server)` → Server; `(Server)` → Server; generics `(l *List[T])` → List.
      const receiverWords = m[1].replace(/\[.*$/s, "").match(/[\p{L}_][\p{L}\p{N}_]*/gu) ?? [];
      key = `${receiverWords[receiverWords.length - 1] ?? "_"}.${name}`;
    } else {
      key = name;
    }
  } else if (keyword === "package" || keyword === "import") {
    key = keyword;
  } else {
    const open = source.indexOf("(", afterKeyword);
    const grouped = open !== -1 && source.slice(afterKeyword, open).trim() === "";
    if (grouped) {
      names = specNames(lex(source, keywordStart, lastTokenEnd));
    } else {
      SPEC_NAMES.lastIndex = afterKeyword;
      names = SPEC_NAMES.exec(source)?.[1]?.split(/\s*,\s*/) ?? [];
    }
    key = `${keyword} ${names[0] ?? "_"}`;
  }
  return {
    kind,
    key,
    names,
    start: keywordStart,
    end: lineEndAfter(source, lastTokenEnd),
    keywordStart,
    startLine: 0,
    endLine: 0,
  };
}

/** Names declared by `var a, b = …`, `type T …` or a parenthesized group of specs. */
function specNames(tokens: Token[]): string[] {
  const names: string[] = [];
  const grouped = tokens[1]?.text === "(";
  const specDepth = grouped ? 1 : 0;
  let expectName = true;
  for (let i = 1; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (grouped && i === 1) continue;
    if (tok.depth !== specDepth) continue;
    if (grouped && tok.startsStatement) expectName = true;
    if (expectName && tok.kind === "word") {
      names.push(tok.text);
      const next = tokens[i + 1];
      expectName = next?.text === "," && next.depth === specDepth;
      if (expectName) i++;
      continue;
    }
    expectName = false;
  }
  return names;
}

function lineEndAfter(source: string, offset: number): number {
  const nl = source.indexOf("\n", offset);
  return nl === -1 ? source.length : nl + 1;
}

/** The offset of the first character in `[from, to)` that is not white space (as `trim` sees it), or -1. */
function firstNonBlank(source: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = source.charCodeAt(i);
    const blank = c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || (c > 127 && /\s/.test(source[i]!));
    if (!blank) return i;
  }
  return -1;
}

/**
 * Extends each declaration's start upwards over the comments above it — its doc comment and any
 * free-standing comments since the previous declaration — so that directives written there are
 * analyzed with it. (Whether a comment is a doc comment is decided later, from the tree.)
 */
function attachDocComments(source: string, decls: Declaration[], lines: LineIndex, floor = 0): void {
  let previousEnd = 1;
  for (const decl of decls) {
    // (Line starts from the index: a backward `lastIndexOf` per line cost more than the rest.)
    let startLine = lines.lineOfFrom(decl.keywordStart, previousEnd);
    let start = lines.lineStart(startLine);
    for (let line = startLine, scan = start; scan > floor; ) {
      const prevStart = lines.lineStart(--line);
      const text = firstNonBlank(source, prevStart, scan - 1);
      if (text !== -1 && !source.startsWith("//", text)) break;
      scan = prevStart;
      if (text !== -1) {
        start = prevStart;
        startLine = line;
      }
    }
    decl.start = Math.max(start, floor);
    decl.startLine = start >= floor ? startLine : lines.lineOf(decl.start);
    decl.endLine = previousEnd = lines.lineOfFrom(decl.end - 1, decl.startLine);
    floor = decl.end;
  }
}

const WORD = 0;
const LITERAL = 1;
const PUNCT = 2;
type TokenKind = typeof WORD | typeof LITERAL | typeof PUNCT;
const KIND_NAMES = ["word", "literal", "punct"] as const;

/** Tokens of `source[from, to)` with depth and statement starts. */
function lex(source: string, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  scan(source, from, to, (start, end, kind, depth, startsStatement) => {
    const text = kind === LITERAL && source.charCodeAt(start) === 96 ? "`raw`" : source.slice(start, end);
    tokens.push({ text, start, end, kind: KIND_NAMES[kind], depth, startsStatement });
  });
  return tokens;
}

/**
 * Where the statement after the one that starts at `from` starts: the first token, in the same
 * block, after a semicolon Go writes or inserts, found by the scanner the declarations are cut
 * with (strings, runes, raw strings and comments skipped). Undefined when the text ends first or a
 * bracket closes around the statement (the block or the list it is in ends there).
 */
export function nextStatementStart(source: string, from: number): number | undefined {
  let found: number | undefined;
  let open = 0;
  let first = true;
  scan(source, from, source.length, (start, end, kind, _depth, startsStatement) => {
    if (!first && open === 0 && startsStatement) {
      found = start;
      return true;
    }
    first = false;
    if (kind !== PUNCT || end !== start + 1) return false;
    const c = source.charCodeAt(start);
    if (c === 123 || c === 40 || c === 91) open++;
    else if ((c === 125 || c === 41 || c === 93) && --open < 0) return true;
    return false;
  });
  return found;
}

/**
 * The scanner under both passes: skips white space, comments, strings, raw strings and runes,
 * tracks bracket depth, and applies Go's semicolon-insertion rule to mark statement starts.
 * Allocates nothing (the top-level pass, one cursor). Given the text's line index (`topLevel`),
 * tokens inside brackets other than brackets and literals are not reported (the fast top-level pass).
 */
function scan(
  source: string,
  from: number,
  to: number,
  onToken: (start: number, end: number, kind: TokenKind, depth: number, startsStatement: boolean) => boolean | void,
  topLevel?: LineIndex,
): void {
  let depth = 0;
  /** Set when `onToken` returns true: the caller has seen enough. */
  let stopped = false;
  let newlineSeen = true;
  let first = true;
  let prevEndsStatement = false;
  let prevSemicolon = false;
  let i = from;
  /** The top-level pass's line of the last body's end: where the search for the next one's lines starts. */
  let bodyLine: { line: number } | undefined;
  const emit = (start: number, end: number, kind: TokenKind, endsStatement: boolean, semicolon: boolean): void => {
    const boundary = first || prevSemicolon || (newlineSeen && prevEndsStatement);
    first = false;
    newlineSeen = false;
    prevEndsStatement = endsStatement;
    prevSemicolon = semicolon;
    if (onToken(start, end, kind, depth, boundary) === true) stopped = true;
  };
  /**
   * The top-level pass inside brackets: only the depth matters, and where it returns to 0. One
   * native regex finds each bracket and skips whole literals and comments; tokens inside are not
   * reported (the caller only needs the bracket that closes the declaration), except the last one
   * before a recovery or the end of the text. Returns where the scan goes on.
   */
  const skipBrackets = (from: number): number => {
    const bodyEnd = depth === 1 ? gofmtBodyEnd(source, topLevel!, (bodyLine ??= { line: 1 }), from, to) : -1;
    if (bodyEnd !== -1) {
      depth = 0;
      emit(bodyEnd, bodyEnd + 1, PUNCT, true, false);
      return bodyEnd + 1;
    }
    // (`test` and `lastIndex` only: an `exec` per bracket allocated a match, and a string per literal.)
    BRACKET_EVENT.lastIndex = from;
    let lastEnd = -1;
    while (BRACKET_EVENT.test(source)) {
      const at = BRACKET_EVENT.lastIndex - 1;
      if (at >= to) break;
      const c = source.charCodeAt(at);
      if (c !== 123 && c !== 40 && c !== 91 && c !== 125 && c !== 41 && c !== 93) {
        LITERAL_OR_COMMENT.lastIndex = at;
        // A slash that starts no comment (a division), a newline that starts no `func`.
        if (!LITERAL_OR_COMMENT.test(source)) continue;
        BRACKET_EVENT.lastIndex = LITERAL_OR_COMMENT.lastIndex;
      }
      if (c === 123 || c === 40 || c === 91) {
        depth++;
        lastEnd = at + 1;
      } else if (c === 125 || c === 41 || c === 93) {
        depth--;
        lastEnd = at + 1;
        if (depth === 0) {
          emit(at, at + 1, PUNCT, true, false);
          return at + 1;
        }
      } else if (c === 10) {
        // Recovery from unbalanced brackets (code that does not parse): gofmt never puts `func`
        // at column 0 inside a block, so `func Name`/`func (` there starts a new declaration.
        if (lastEnd !== -1) onToken(lastEnd - 1, lastEnd, PUNCT, depth, false);
        depth = 0;
        first = true;
        newlineSeen = true;
        return at + 1;
      } else if (c !== 47) {
        // A literal (a comment, which starts with a slash, is not a token).
        lastEnd = Math.min(LITERAL_OR_COMMENT.lastIndex, to);
      }
    }
    if (lastEnd !== -1) onToken(lastEnd - 1, lastEnd, PUNCT, depth, false);
    return to;
  };
  while (i < to && !stopped) {
    if (topLevel && depth > 0) {
      i = skipBrackets(i);
      continue;
    }
    const c = source.charCodeAt(i);
    if (c === 10) {
      newlineSeen = true;
      i++;
      // Recovery from unbalanced brackets (code that does not parse): gofmt never puts `func`
      // at column 0 inside a block, so `func Name`/`func (` there starts a new declaration.
      if (depth > 0 && source.startsWith("func ", i) && /[A-Za-z_(]/.test(source[i + 5] ?? "")) {
        depth = 0;
        first = true;
      }
    } else if (c === 32 || c === 9 || c === 13 || (c === 0xfeff && i === 0)) {
      // (A byte order mark may open a Go file; it is not part of `package`.)
      i++;
    } else if (c === 47 && source.charCodeAt(i + 1) === 47) {
      const nl = source.indexOf("\n", i);
      i = nl === -1 || nl > to ? to : nl;
    } else if (c === 47 && source.charCodeAt(i + 1) === 42) {
      const close = source.indexOf("*/", i + 2);
      const end = close === -1 || close + 2 > to ? to : close + 2;
      const nl = source.indexOf("\n", i);
      if (nl !== -1 && nl < end) newlineSeen = true;
      i = end;
    } else if (c === 34 || c === 39) {
      const start = i++;
      while (i < to) {
        const d = source.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c || d === 10) {
          i++;
          break;
        } else i++;
      }
      emit(start, Math.min(i, to), LITERAL, true, false);
    } else if (c === 96) {
      const close = source.indexOf("`", i + 1);
      const end = close === -1 || close + 1 > to ? to : close + 1;
      emit(i, end, LITERAL, true, false);
      i = end;
    } else if (isWordChar(c)) {
      const start = i;
      while (i < to && isWordChar(source.charCodeAt(i))) i++;
      const isNumber = c >= 48 && c <= 57;
      const endsStatement = isNumber || keywordAt(source, start, i) === undefined;
      emit(start, i, isNumber ? LITERAL : WORD, endsStatement, false);
    } else {
      if (c === 125 || c === 41 || c === 93) depth = depth > 0 ? depth - 1 : 0;
      const next = source.charCodeAt(i + 1);
      const len = (c === 43 && next === 43) || (c === 45 && next === 45) ? 2 : 1;
      const endsStatement = c === 41 || c === 93 || c === 125 || len === 2;
      emit(i, i + len, PUNCT, endsStatement, c === 59);
      if (c === 123 || c === 40 || c === 91) depth++;
      i += len;
    }
  }
}

/**
 * The closing brace of a top-level body or literal opened just before `from`, when the code has
 * gofmt's shape: the `{` ends its line, every line up to a `}` at column 0 is indented, the lines
 * hold no raw string or block comment (which could hide a `}` at column 0), and the braces in
 * between balance. That finds most bodies with a few native searches instead of a walk over every
 * bracket; for anything else it returns -1 and the caller walks.
 */
function gofmtBodyEnd(source: string, lines: LineIndex, cursor: { line: number }, from: number, to: number): number {
  if (source.charCodeAt(from - 1) !== 123 || source.charCodeAt(from) !== 10) return -1;
  // The first line after the `{` that starts with anything but a tab or a newline (a blank line
  // is a newline) ends the body, read from the line index: no regex over the body's characters.
  let close = -1;
  for (let line = lines.lineOfFrom(from, cursor.line) + 1, last = lines.lineCount; line <= last; line++) {
    const start = lines.lineStart(line);
    const c = source.charCodeAt(start);
    if (c !== 9 && c !== 10) {
      close = start;
      cursor.line = line;
      break;
    }
  }
  if (close === -1 || close >= to || source.charCodeAt(close) !== 125) return -1;
  // (A slice shares the file's characters: the searches below stay within the body.)
  const body = source.slice(from, close);
  if (body.includes("`") || body.includes("/*")) return -1;
  let balance = 0;
  for (let at = body.indexOf("{"); at !== -1; at = body.indexOf("{", at + 1)) balance++;
  for (let at = body.indexOf("}"); at !== -1; at = body.indexOf("}", at + 1)) balance--;
  return balance === 0 ? close : -1;
}

/** Inside brackets, where something may start: a bracket, a quote, a slash or a newline. */
const BRACKET_EVENT = /[{}()[\]"'`/\n]/g;

/**
 * At one of those (sticky): a whole interpreted string or rune (to its quote or the line's end),
 * raw string or comment (to its end or the text's end); or a `func` at column 0 (recovery).
 */
const LITERAL_OR_COMMENT = /"(?:[^"\\\n]|\\[\s\S])*(?:"|(?=\n)|$)|'(?:[^'\\\n]|\\[\s\S])*(?:'|(?=\n)|$)|`[^`]*(?:`|$)|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|\nfunc [A-Za-z_(]/y;

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

