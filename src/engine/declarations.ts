/**
 * Finds the top-level declarations of a Go file without parsing it.
 *
 * A small lexer skips comments, interpreted and raw strings and runes, tracks bracket depth,
 * and applies Go's semicolon-insertion rule, so a top-level keyword is recognized only where a
 * new declaration can start. (A column-0 regex is fooled by raw strings and by `var f =\nfunc…`.)
 * The engine uses the result to parse only the declarations a change touches.
 */
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

const KEYWORDS = new Set(["package", "import", "func", "var", "const", "type"]);

interface Token {
  text: string;
  start: number;
  end: number;
  kind: "word" | "literal" | "punct";
  depth: number;
  /** A newline (or `;`) separates this token from the previous one as a statement boundary. */
  startsStatement: boolean;
}

export function scanDeclarations(source: string): Declaration[] {
  // Fast pass over the whole file: only the positions where top-level declarations start.
  const starts: { keyword: DeclarationKind; keywordStart: number; lastTokenEnd: number }[] = [];
  scan(source, 0, source.length, (start, end, kind, depth, startsStatement) => {
    const current = starts[starts.length - 1];
    if (kind === WORD && depth === 0 && startsStatement && end - start <= 7) {
      const word = source.slice(start, end);
      if (KEYWORDS.has(word)) {
        starts.push({ keyword: word as DeclarationKind, keywordStart: start, lastTokenEnd: end });
        return;
      }
    }
    if (current) current.lastTokenEnd = end;
  }, true);
  const decls = starts.map((s) => makeDeclaration(source, s.keyword, s.keywordStart, s.lastTokenEnd));
  attachDocComments(source, decls);
  return decls;
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

/** The start of the line that holds `offset`. */
function lineStartBefore(source: string, offset: number): number {
  // lastIndexOf clamps a negative position to 0 and would find a newline at 0 *after* offset 0.
  return offset <= 0 ? 0 : source.lastIndexOf("\n", offset - 1) + 1;
}

/**
 * Extends each declaration's start upwards over the comments above it — its doc comment and any
 * free-standing comments since the previous declaration — so that directives written there are
 * analyzed with it. (Whether a comment is a doc comment is decided later, from the tree.)
 */
function attachDocComments(source: string, decls: Declaration[]): void {
  let floor = 0;
  let line = 1;
  let lineAt = 0;
  const lineOf = (offset: number) => {
    // Declarations come in order, so count forward.
    for (let i = source.indexOf("\n", lineAt); i !== -1 && i < offset; i = source.indexOf("\n", i + 1)) {
      line++;
      lineAt = i + 1;
    }
    return line;
  };
  for (const decl of decls) {
    let start = lineStartBefore(source, decl.keywordStart);
    let scan = start;
    while (scan > floor) {
      const prevStart = lineStartBefore(source, scan - 1);
      const prevLine = source.slice(prevStart, scan - 1).trim();
      if (prevLine !== "" && !prevLine.startsWith("//")) break;
      scan = prevStart;
      if (prevLine !== "") start = prevStart;
    }
    decl.start = Math.max(start, floor);
    decl.startLine = lineOf(decl.start);
    decl.endLine = lineOf(decl.end - 1);
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
 * The scanner under both passes: skips white space, comments, strings, raw strings and runes,
 * tracks bracket depth, and applies Go's semicolon-insertion rule to mark statement starts.
 * Allocates nothing. With `skipInsideBrackets`, tokens
 * inside brackets other than brackets and literals are not reported (the fast top-level pass).
 */
function scan(
  source: string,
  from: number,
  to: number,
  onToken: (start: number, end: number, kind: TokenKind, depth: number, startsStatement: boolean) => void,
  skipInsideBrackets = false,
): void {
  let depth = 0;
  let newlineSeen = true;
  let first = true;
  let prevEndsStatement = false;
  let prevSemicolon = false;
  let i = from;
  const emit = (start: number, end: number, kind: TokenKind, endsStatement: boolean, semicolon: boolean): void => {
    const boundary = first || prevSemicolon || (newlineSeen && prevEndsStatement);
    first = false;
    newlineSeen = false;
    prevEndsStatement = endsStatement;
    prevSemicolon = semicolon;
    onToken(start, end, kind, depth, boundary);
  };
  while (i < to) {
    const c = source.charCodeAt(i);
    // Inside brackets only brackets, literals, comments and line starts matter: skip the rest fast.
    if (skipInsideBrackets && depth > 0 && c < 128 && INERT_IN_BRACKETS[c] === 1) {
      // Jump to the next character that can matter inside brackets (a native regex scan).
      NEXT_IN_BRACKETS.lastIndex = i;
      const next = NEXT_IN_BRACKETS.exec(source);
      i = next === null || next.index > to ? to : next.index;
      continue;
    }
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
      const len = i - start;
      const endsStatement = isNumber || len < 3 || len > 7 || !KEYWORDS.has(source.slice(start, i));
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

/** Inside brackets: a bracket, a literal or comment opener, or a `func` at column 0 (recovery). */
const NEXT_IN_BRACKETS = /[{}()[\]"'`/]|\nfunc [A-Za-z_(]/g;

/**
 * ASCII characters that cannot open a literal, a comment or change bracket depth. A newline is
 * not inert: the jump above may land on the newline of `\nfunc`, which the loop must handle
 * (an inert character there would make the jump land on itself).
 */
const INERT_IN_BRACKETS = (() => {
  const table = new Uint8Array(128).fill(1);
  for (const ch of "{}()[]\"'`/\n") table[ch.charCodeAt(0)] = 0;
  return table;
})();

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

