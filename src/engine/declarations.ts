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
// Tokens after which a newline inserts a semicolon (Go spec, "Semicolons").
const ENDS_STATEMENT_WORDS = new Set(["break", "continue", "fallthrough", "return"]);

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
  const tokens = lex(source);
  const decls: Declaration[] = [];
  let current: { kind: DeclarationKind; tokens: Token[]; keywordStart: number } | undefined;

  const finish = () => {
    if (!current || current.tokens.length === 0) return;
    const last = current.tokens[current.tokens.length - 1]!;
    decls.push(makeDeclaration(source, current.kind, current.tokens, current.keywordStart, last.end));
  };

  for (const tok of tokens) {
    if (tok.depth === 0 && tok.startsStatement && tok.kind === "word" && KEYWORDS.has(tok.text)) {
      finish();
      current = { kind: tok.text as DeclarationKind, tokens: [], keywordStart: tok.start };
    }
    current?.tokens.push(tok);
  }
  finish();
  attachDocComments(source, decls);
  return decls;
}

function makeDeclaration(
  source: string,
  keyword: DeclarationKind,
  tokens: Token[],
  keywordStart: number,
  lastTokenEnd: number,
): Declaration {
  let kind = keyword;
  let names: string[] = [];
  let key: string;
  if (keyword === "func") {
    const second = tokens[1];
    if (second?.text === "(") {
      kind = "method";
      const close = tokens.findIndex((t, i) => i > 1 && t.text === ")" && t.depth === 0);
      const name = tokens[close + 1]?.text ?? "_";
      // `(s *Server)` → Server; `(Server)` → Server; generics `(l *List[T])` → List.
      const receiver = tokens.slice(2, close);
      const bracket = receiver.findIndex((t) => t.text === "[");
      const receiverWords = (bracket === -1 ? receiver : receiver.slice(0, bracket)).filter((t) => t.kind === "word");
      names = [name];
      key = `${receiverWords[receiverWords.length - 1]?.text ?? "_"}.${name}`;
    } else {
      names = [second?.text ?? "_"];
      key = names[0]!;
    }
  } else if (keyword === "package" || keyword === "import") {
    key = keyword;
  } else {
    names = specNames(tokens);
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

function lineStartBefore(source: string, offset: number): number {
  return source.lastIndexOf("\n", offset - 1) + 1;
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

function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let newlineSeen = true;
  let prev: Token | undefined;
  const n = source.length;
  let i = 0;
  const push = (text: string, start: number, end: number, kind: Token["kind"]) => {
    const boundary = prev === undefined || prev.text === ";" || (newlineSeen && endsStatement(prev));
    const tok: Token = { text, start, end, kind, depth, startsStatement: boundary };
    tokens.push(tok);
    prev = tok;
    newlineSeen = false;
  };
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 10) {
      newlineSeen = true;
      i++;
    } else if (c === 32 || c === 9 || c === 13) {
      i++;
    } else if (c === 47 && source.charCodeAt(i + 1) === 47) {
      const nl = source.indexOf("\n", i);
      i = nl === -1 ? n : nl;
    } else if (c === 47 && source.charCodeAt(i + 1) === 42) {
      const close = source.indexOf("*/", i + 2);
      const end = close === -1 ? n : close + 2;
      if (source.slice(i, end).includes("\n")) newlineSeen = true;
      i = end;
    } else if (c === 34 || c === 39) {
      const start = i;
      i++;
      while (i < n) {
        const d = source.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c || d === 10) {
          i++;
          break;
        } else i++;
      }
      push(source.slice(start, Math.min(i, n)), start, Math.min(i, n), "literal");
    } else if (c === 96) {
      const close = source.indexOf("`", i + 1);
      const end = close === -1 ? n : close + 1;
      push("`raw`", i, end, "literal");
      i = end;
    } else if (isWordChar(c)) {
      const start = i;
      while (i < n && isWordChar(source.charCodeAt(i))) i++;
      const text = source.slice(start, i);
      // Recovery from unbalanced brackets (code that does not parse): gofmt never puts `func`
      // at column 0 inside a block, so `func Name`/`func (` there starts a new declaration.
      if (depth > 0 && text === "func" && newlineSeen && (start === 0 || source[start - 1] === "\n") && /^ (?:[A-Za-z_(])/.test(source.slice(i, i + 2))) {
        depth = 0;
        prev = undefined;
      }
      push(text, start, i, /^[0-9]/.test(text) ? "literal" : "word");
    } else {
      const ch = source[i]!;
      if (ch === "}" || ch === ")" || ch === "]") depth = Math.max(0, depth - 1);
      const two = source.slice(i, i + 2);
      const text = two === "++" || two === "--" ? two : ch;
      push(text, i, i + text.length, "punct");
      if (ch === "{" || ch === "(" || ch === "[") depth++;
      i += text.length;
    }
  }
  return tokens;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

function endsStatement(tok: Token): boolean {
  if (tok.kind === "literal") return true;
  if (tok.kind === "word") return !KEYWORDS.has(tok.text) || ENDS_STATEMENT_WORDS.has(tok.text);
  return tok.text === ")" || tok.text === "]" || tok.text === "}" || tok.text === "++" || tok.text === "--";
}
