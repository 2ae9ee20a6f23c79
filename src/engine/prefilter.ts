/**
 * Which touched declarations are worth parsing: those whose text holds a trigger word of some
 * enabled rule (see {@link Rule.triggers}). Most declarations of real code mention none — no
 * `go`, no `defer`, no `NewTicker` — and their findings are known to be none without a syntax
 * tree. One pass over the declaration's text splits it into words (Go identifiers and keywords,
 * in strings and comments too) and looks each up in a set: the cost does not grow with the
 * number of trigger words (a package's hundreds of variable names cost what one word does).
 * A rule whose words are common (`for`) narrows them with a test of the declaration's text,
 * asked only where no other rule's word has already decided.
 */
import type { Declaration } from "./declarations.js";
import type { Rule, TriggerContext } from "./types.js";

/** `//memlint:` directives (suppressions, contracts) are read from any declaration that has one. */
const DIRECTIVE_WORD = "memlint";
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** ASCII characters that can be part of a Go identifier: letters, digits, `_`. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = /\w/.test(String.fromCharCode(c)) ? 1 : 0;

/** Static trigger lists already checked to be words (rules list the same arrays for every file). */
const checkedLists = new WeakSet<readonly string[]>();

/**
 * A set of words, and the whole-word search for them: a word of a text is a maximal run of
 * letters (any script), digits and `_`, as Go's identifiers and keywords are.
 */
export class TriggerWords {
  private readonly words: Set<string>;
  /** Words that count only where the declaration's text also passes a test (see {@link Rule.triggerTest}). */
  private readonly conditional: readonly { words: TriggerWords; test: (text: string) => boolean }[];
  /** Flags by length, and by first character (ASCII; any non-ASCII first character is looked up). */
  private readonly lengths: Uint8Array;
  private readonly firsts = new Uint8Array(128);
  private nonAsciiFirst = false;

  constructor(words: Iterable<string>, conditional: readonly { words: TriggerWords; test: (text: string) => boolean }[] = []) {
    this.words = new Set(words);
    this.conditional = conditional;
    let longest = 0;
    for (const w of this.words) longest = Math.max(longest, w.length);
    this.lengths = new Uint8Array(longest + 1);
    for (const w of this.words) {
      this.lengths[w.length] = 1;
      const c = w.charCodeAt(0);
      if (c < 128) this.firsts[c] = 1;
      else this.nonAsciiFirst = true;
    }
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /** Whether `text[start, end)` has one of the words as a whole word (a conditional one where its test passes too). */
  mentionedIn(text: string, start = 0, end = text.length): boolean {
    if (this.hasWordIn(text, start, end)) return true;
    for (const c of this.conditional) if (c.words.hasWordIn(text, start, end) && c.test(text.slice(start, end))) return true;
    return false;
  }

  private hasWordIn(text: string, start: number, end: number): boolean {
    const { lengths, firsts } = this;
    let i = start;
    while (i < end) {
      const width = wordCharWidth(text, i, end);
      if (width === 0) {
        i++;
        continue;
      }
      // A word: its first character, then the rest up to the first character that is not part of one.
      const from = i;
      const first = text.charCodeAt(i);
      i += width;
      for (let w = wordCharWidth(text, i, end); w > 0; w = wordCharWidth(text, i, end)) i += w;
      const length = i - from;
      if (length < lengths.length && lengths[length] === 1 && (first < 128 ? firsts[first] === 1 : this.nonAsciiFirst) && this.words.has(text.slice(from, i))) {
        return true;
      }
    }
    return false;
  }
}

/** Whether the character at `i` is an ASCII letter, digit or `_` (false past either end). */
export function isAsciiWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c < 128 && ASCII_WORD[c] === 1;
}

/**
 * The code units of the word character at `i` (1, or 2 for a letter outside the Basic
 * Multilingual Plane), or 0 when the character there cannot be part of a word.
 */
function wordCharWidth(text: string, i: number, end: number): number {
  if (i >= end) return 0;
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c]!;
  const point = text.codePointAt(i)!;
  const width = point > 0xffff ? 2 : 1;
  return i + width <= end && LETTER_OR_DIGIT.test(String.fromCodePoint(point)) ? width : 0;
}

/**
 * The trigger words of `rules` in this file version, or undefined when some rule may report
 * from any declaration (then every touched declaration is parsed).
 */
export function triggerWords(rules: readonly Rule[], ctx: TriggerContext): TriggerWords | undefined {
  const words: string[] = [DIRECTIVE_WORD];
  const conditional: { words: TriggerWords; test: (text: string) => boolean }[] = [];
  for (const rule of rules) {
    const computed = typeof rule.triggers === "function";
    const triggers = typeof rule.triggers === "function" ? rule.triggers(ctx) : rule.triggers;
    if (triggers === undefined) return undefined;
    if (computed || !checkedLists.has(triggers)) {
      for (const word of triggers) {
        if (!IDENTIFIER.test(word)) throw new Error(`rule ${rule.meta.id}: trigger ${JSON.stringify(word)} is not a Go identifier or keyword`);
      }
      if (!computed) checkedLists.add(triggers);
    }
    if (rule.triggerTest) conditional.push({ words: conditionalWords(rule, triggers), test: rule.triggerTest });
    else for (const word of triggers) words.push(word);
  }
  return new TriggerWords(words, conditional);
}

const conditionalCache = new WeakMap<Rule, { triggers: readonly string[]; words: TriggerWords }>();

/** The trigger words of a rule with a test, kept for as long as its list stays the same. */
function conditionalWords(rule: Rule, triggers: readonly string[]): TriggerWords {
  let entry = conditionalCache.get(rule);
  if (entry?.triggers !== triggers) {
    entry = { triggers, words: new TriggerWords(triggers) };
    conditionalCache.set(rule, entry);
  }
  return entry.words;
}

/**
 * The keys of `decls` whose text mentions one of the words. Declarations that share a key
 * (`init`) go together: their findings share occurrence indices.
 */
export function keysMentioning(text: string, decls: readonly Declaration[], words: TriggerWords): Set<string> {
  const keys = new Set<string>();
  for (const d of decls) if (!keys.has(d.key) && words.mentionedIn(text, d.start, d.end)) keys.add(d.key);
  return keys;
}
