/**
 * Tests of a declaration's unparsed text for the shapes rules look for, as `Rule.triggerTest`s:
 * they decide whether a declaration is worth parsing. Each may say yes wrongly (a comment, a
 * string, an unusual layout) but never no wrongly, on gofmt'd code or not: every regex allows
 * any spacing the grammar allows on one line.
 */
import { nextStatementStart } from "../engine/declarations.js";

/**
 * An element of an index expression written to: `m[k] = v`, `m[k] += 1`, `m[k]++`, `(m)[k] = v`,
 * `a[i], b[j] = x, y`. The `=` of an assignment, not of `==`, `<=`, `>=`, `!=` or `:=`.
 */
const INDEX_WRITE = /\][\s)]*(?:\+\+|--|(?:,[^\n]*?)?(?:<<=|>>=|&\^=|[-+*/%&|^]=|(?<![=!<>:])=(?!=)))/;

/** A `go` statement: the keyword, then what it calls (a name, a literal, a parenthesized expression). */
const GO_STATEMENT = /(?<![\p{L}\p{N}_.])go(?:\s+[\p{L}_(]|\s*\()/u;

/** `name = append(name, …`: a slice that grows by its own append, as in a loop that collects. */
const SELF_APPEND = /(?<![\p{L}\p{N}_.])([\p{L}_][\p{L}\p{N}_]*)[\s)]*=(?!=)[\s(]*append\s*\(\s*\(?\s*\1\b/u;

/** A slice expression `x[i:j]`, `x[:n]`, `x[i:]` (a `:` that is not `:=`, later on its line a `]`). */
const SLICE_EXPRESSION = /:[^\n=]*\]/;

/**
 * A slice re-sliced into itself: `q.items = q.items[1:]`, `j, q.items = q.items[0], q.items[1:]`,
 * `s.stack, top = s.stack[:n-1], s.stack[n-1]`, or a pointee from a copy of itself (`*pq = old[0 : n-1]`, `*h = (*h)[:n-1]`).
 */
const SELF_RESLICES = [
  // The name among the assigned (`x = `, `a, x = `, `x, e = `), then re-sliced on the right.
  /(?<![\p{L}\p{N}_.])([\p{L}_][\p{L}\p{N}_.]*)[\s)]*(?:,[^=\n]*)?(?<![=!<>:])=(?!=)[^\n]*?(?<![\p{L}\p{N}_.])\1[\s)]*\[[^\]\n]*:/gu,
  /\*\s*[\p{L}_][\p{L}\p{N}_]*[\s)]*=(?!=)[\s(]*\*?\s*[\p{L}_][\p{L}\p{N}_]*[\s)]*\[[^\]\n]*:/u,
];

const INDEX_WRITES = new RegExp(INDEX_WRITE.source, "g");
const NAME_BEFORE = /([\p{L}_][\p{L}\p{N}_]*)[\s)]*$/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Whether the text may write to an element of a map or slice through an index expression. */
export function mayWriteIndex(text: string): boolean {
  return INDEX_WRITE.test(text);
}

/**
 * Whether the text may write an element of one of `names` (`name[k] = v`, `(name)[k]++`,
 * `a[i], name[k] = …`): the operand of each written index expression, found by its brackets.
 */
export function mayWriteIndexOf(text: string, names: { has(word: string): boolean }): boolean {
  for (const m of text.matchAll(INDEX_WRITES)) {
    for (let close = m.index; close >= 0 && close < m.index + m[0].length; close = text.indexOf("]", close + 1)) {
      const name = indexedName(text, close);
      // Brackets in strings may hide the operand: then it may be any name.
      if (name === undefined || names.has(name)) return true;
    }
  }
  return false;
}

/**
 * The name an index expression ending at `close` indexes (`m` of `m[k]`): `""` for a field,
 * undefined when the brackets or the text before them do not tell.
 */
function indexedName(text: string, close: number): string | undefined {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 93 /* ] */) depth++;
    else if (c === 91 /* [ */ && --depth === 0) {
      const from = Math.max(0, i - 200);
      const before = NAME_BEFORE.exec(text.slice(from, i));
      if (!before) return undefined;
      const preceding = text[from + before.index - 1] ?? "";
      // A field (`x.m[k]`) is no plain name; a word cut by the window may be any.
      return preceding === "." ? "" : WORD_CHAR.test(preceding) ? undefined : before[1];
    }
  }
  return undefined;
}

/** Whether the text may hold a `go` statement. */
export function mayStartGoroutine(text: string): boolean {
  return GO_STATEMENT.test(text);
}

/** Whether the text may append to a slice and assign the result back to it. */
export function mayAppendToItself(text: string): boolean {
  return SELF_APPEND.test(text);
}

/**
 * Whether the text may re-slice into itself (see {@link SELF_RESLICES}) a slice that outlives the
 * call: a field, a pointee, or one of `variables` (a plain name re-sliced is a local otherwise).
 */
export function mayResliceItself(text: string, variables: { has(word: string): boolean }): boolean {
  // The regexes backtrack along a line: run them only on lines that hold a `:` after a `[`, after an `=`.
  for (let colon = text.indexOf(":"); colon >= 0; colon = text.indexOf(":", colon + 1)) {
    if (text.charCodeAt(colon + 1) === EQUALS) continue; // `:=`, by far the most common colon
    const from = text.lastIndexOf("\n", colon) + 1;
    if (!bracketAfterAssignment(text, from, colon)) continue;
    const to = text.indexOf("\n", colon);
    const line = text.slice(from, to < 0 ? text.length : to);
    if (SELF_RESLICES[1]!.test(line)) return true;
    for (const m of line.matchAll(SELF_RESLICES[0]!)) if (m[1]!.includes(".") || variables.has(m[1]!)) return true;
    colon = to < 0 ? text.length : to;
  }
  return false;
}

const EQUALS = 61;
const OPEN_BRACKET = 91;

/** Whether `text[from, to)` (part of one line) holds a `[` after an `=`: searched within the line, never beyond it. */
function bracketAfterAssignment(text: string, from: number, to: number): boolean {
  let assigned = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === EQUALS) assigned = true;
    else if (c === OPEN_BRACKET && assigned) return true;
  }
  return false;
}

/**
 * A selector `….Body.Close`: the two names joined by a `.`, with any space or comment the grammar
 * allows between them (a line may end after `.`).
 */
const BODY_CLOSE = /Body(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*\.(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*Close/;

/** Whether the text may call `Close` on a `Body` field (`resp.Body.Close()`). */
function mayCloseBody(text: string): boolean {
  return text.includes("Close") && BODY_CLOSE.test(text);
}

const BODY_CLOSES = new RegExp(BODY_CLOSE.source, "g");
const NAME_AT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NAME_ENDING = /[\p{L}_][\p{L}\p{N}_]*$/u;
const IF_AT = /if[\s(]+/y;

/**
 * Whether the text may close a response's body before checking the request's error: it calls
 * `resp.Body.Close()` and binds `resp, err` from something (`resp, err := c.Do(req)`) in a
 * statement not followed at once by `if err != nil`, `if err == nil …` or `if resp == nil`.
 * That `if` is the only way on from the binding, and its condition looks at the error first,
 * so no close can come before the check. Anything the text does not tell for certain (a comment
 * inside a binding, a space before `.Body`, an `if` with an init statement) may.
 */
export function mayCloseBodyBeforeCheck(text: string): boolean {
  if (!mayCloseBody(text)) return false;
  const names = new Set<string>();
  for (const m of text.matchAll(BODY_CLOSES)) {
    if (isWordChar(text.charCodeAt(m.index - 1))) continue; // a longer word ending in `Body`
    if (text[m.index - 1] !== ".") return true; // a space or a comment before `Body`
    // `(resp).Body`, `f().Body`, `r[i].Body`: no name, so no binding to look at.
    if (text[m.index - 2] === ")" || text[m.index - 2] === "]") continue;
    const from = Math.max(0, m.index - 201);
    const operand = NAME_ENDING.exec(text.slice(from, m.index - 1));
    // A space or a comment before `.Body`, or a name longer than the window.
    if (!operand || (operand.index === 0 && from > 0)) return true;
    names.add(operand[0]);
  }
  for (const name of names) if (mayBindUnchecked(text, name)) return true;
  return false;
}

/** Whether `name, err` may be bound (`:=`, `=`, `var`) without the check following the statement. */
function mayBindUnchecked(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (isWordChar(text.charCodeAt(at - 1)) || isWordChar(text.charCodeAt(at + name.length))) continue;
    let i = skipSpace(text, at + name.length);
    if (text[i] === "/") return true;
    if (text[i] !== ",") continue;
    i = skipSpace(text, i + 1);
    if (text[i] === "/") return true;
    NAME_AT.lastIndex = i;
    const second = NAME_AT.exec(text)?.[0];
    if (second === undefined) continue; // `resp, *p`, `resp, "…"`: no second name to bind
    i = skipSpace(text, i + second.length);
    const c = text[i];
    if (c === "," || c === ")" || c === "]" || c === "}" || c === "." || c === ";" || c === undefined) continue; // more names, arguments, results
    const operator = text.startsWith(":=", i) ? 2 : c === "=" && text[i + 1] !== "=" ? 1 : 0;
    if (operator === 0 || second === "_") return true; // `var resp, err T = …`, or the error dropped
    const next = nextStatementStart(text, at);
    if (next === undefined || !checkedAt(text, next, name, second)) return true;
  }
  return false;
}

/** Whether the statement at `at` is `if err ==`/`!=` … or `if resp ==`/`!=` `nil`. */
function checkedAt(text: string, at: number, name: string, err: string): boolean {
  IF_AT.lastIndex = at;
  const cond = IF_AT.exec(text);
  if (!cond) return false;
  const i = at + cond[0].length;
  for (const [word, nil] of [[err, false], [name, true]] as const) {
    if (!text.startsWith(word, i) || isWordChar(text.charCodeAt(i + word.length))) continue;
    const j = skipSpace(text, i + word.length);
    if ((text[j] !== "=" && text[j] !== "!") || text[j + 1] !== "=") continue;
    if (!nil) return true;
    const k = skipSpace(text, j + 2);
    if (text.startsWith("nil", k) && !isWordChar(text.charCodeAt(k + 3))) return true;
  }
  return false;
}

/** The index of the next character that is not white space. */
function skipSpace(text: string, from: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  return i;
}

/** Whether the text may hold a slice expression. */
export function maySlice(text: string): boolean {
  return SLICE_EXPRESSION.test(text);
}

/** Whether the text has `word` as a whole Go word. */
export function hasWord(text: string, word: string): boolean {
  let i = text.indexOf(word);
  while (i >= 0) {
    if (!isWordChar(text.charCodeAt(i - 1)) && !isWordChar(text.charCodeAt(i + word.length))) return true;
    i = text.indexOf(word, i + 1);
  }
  return false;
}

/** ASCII letters, digits, `_`, and anything outside ASCII (a letter of another script, conservatively). */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}
