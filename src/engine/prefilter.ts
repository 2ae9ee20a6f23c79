/**
 * Which touched declarations are worth parsing: those whose text holds a trigger word of some
 * enabled rule (see {@link Rule.triggers}). Most declarations of real code mention none — no
 * `go`, no `defer`, no `NewTicker` — and their findings are known to be none without a syntax
 * tree. One pass over the declaration's text splits it into words (Go identifiers and keywords,
 * in strings and comments too) and looks each up in a set: the cost does not grow with the
 * number of trigger words (a package's hundreds of variable names cost what one word does).
 * A rule whose words are common (`for`) narrows them with a test of the declaration's text.
 * The same pass tells which rules a declaration concerns: each rule then looks only at those.
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

/** The words of one owner (a rule): they count for it, where its test (if any) passes on the declaration's text. */
export interface OwnedWords<Owner> {
  owner: Owner;
  words: readonly string[];
  test?: ((text: string, words: { has(word: string): boolean }) => boolean) | undefined;
}

/**
 * Words to look up, each with the indices of its owners (from `offset` on), or -1 alone for a
 * plain word (its owners are listed too when it has both); with flags by length and by first
 * character (ASCII; any non-ASCII first character is looked up), which rule most words out
 * before any lookup.
 */
class WordIndex {
  readonly entries = new Map<string, number[]>();
  readonly lengths: Uint8Array;
  readonly firsts = new Uint8Array(128);
  readonly nonAsciiFirst: boolean;

  constructor(words: Iterable<string>, owned: readonly OwnedWords<unknown>[], offset: number) {
    for (const w of words) this.entries.set(w, [PLAIN]);
    owned.forEach((o, i) => {
      for (const w of o.words) {
        const entry = this.entries.get(w);
        if (entry === undefined) this.entries.set(w, [offset + i]);
        else if (!entry.includes(offset + i)) entry.push(offset + i);
      }
    });
    let longest = 0;
    let nonAsciiFirst = false;
    for (const w of this.entries.keys()) longest = Math.max(longest, w.length);
    this.lengths = new Uint8Array(longest + 1);
    for (const w of this.entries.keys()) {
      this.lengths[w.length] = 1;
      const c = w.charCodeAt(0);
      if (c < 128) this.firsts[c] = 1;
      else nonAsciiFirst = true;
    }
    this.nonAsciiFirst = nonAsciiFirst;
  }
}

/**
 * A set of words, and the whole-word search for them: a word of a text is a maximal run of
 * letters (any script), digits and `_`, as Go's identifiers and keywords are. Words may belong
 * to owners (rules); plain words belong to none and only make a text worth parsing. One pass
 * over a text looks up every word in one map — two, when the words of the owners that list the
 * same words for every file version come indexed once (see {@link triggerWords}).
 */
export class TriggerWords<Owner = unknown> {
  private readonly owned: readonly OwnedWords<Owner>[];
  /** Per owner, its words as a set for its test, made when the test first looks a word up (most never do). */
  private readonly wordLookups: { has(word: string): boolean }[] = [];
  private readonly indexes: readonly WordIndex[];
  /** The indexes' flags together. */
  private readonly lengths: Uint8Array;
  private readonly firsts: Uint8Array;
  private readonly nonAsciiFirst: boolean;

  /**
   * `shared`: owners whose words are already indexed (they come first in the owner order),
   * with their index.
   */
  constructor(words: Iterable<string>, owned: readonly OwnedWords<Owner>[] = [], shared?: { owned: readonly OwnedWords<Owner>[]; index: WordIndex }) {
    const own = new WordIndex(words, owned, shared?.owned.length ?? 0);
    this.owned = shared ? [...shared.owned, ...owned] : owned;
    this.indexes = shared ? [shared.index, own] : [own];
    if (this.indexes.length === 1) {
      ({ lengths: this.lengths, firsts: this.firsts, nonAsciiFirst: this.nonAsciiFirst } = own);
    } else {
      this.lengths = new Uint8Array(Math.max(...this.indexes.map((x) => x.lengths.length)));
      this.firsts = new Uint8Array(128);
      for (const x of this.indexes) {
        x.lengths.forEach((flag, i) => (this.lengths[i]! |= flag));
        x.firsts.forEach((flag, i) => (this.firsts[i]! |= flag));
      }
      this.nonAsciiFirst = this.indexes.some((x) => x.nonAsciiFirst);
    }
  }

  /** Whether `text[start, end)` has a plain word, or a word of an owner whose test passes there. */
  mentionedIn(text: string, start = 0, end = text.length): boolean {
    const found = this.scan(text, start, end, true);
    return found.decided || this.passing(text, start, end, found.candidates, true).length > 0;
  }

  /**
   * What `text[start, end)` concerns: whether it is worth parsing at all (a plain word, or an
   * owner's word where its test passes), and the owners whose words it has and whose tests pass.
   */
  ownersIn(text: string, start = 0, end = text.length): { mentioned: boolean; owners: Owner[] } {
    const found = this.scan(text, start, end, false);
    const owners = this.passing(text, start, end, found.candidates, false).map((i) => this.owned[i]!.owner);
    return { mentioned: found.plain || owners.length > 0, owners };
  }

  /**
   * Whether the text has a plain word, and the indices of the owners whose words it has (in the
   * order first seen). With `early`, the scan stops (`decided`) at the first word that needs no test.
   */
  private scan(text: string, start: number, end: number, early: boolean): { plain: boolean; candidates: number[]; decided: boolean } {
    const { lengths, firsts, indexes } = this;
    let plain = false;
    const candidates: number[] = [];
    let i = start;
    // Where the string or rune literal being read ends: a `//` before it is no comment.
    let literalEnd = start;
    while (i < end) {
      const width = wordCharWidth(text, i, end);
      if (width === 0) {
        const c = text.charCodeAt(i);
        if (c === SLASH && i >= literalEnd) {
          const after = skippedComment(text, i, end);
          if (after !== i) {
            i = after;
            continue;
          }
        } else if ((c === QUOTE || c === APOSTROPHE || c === BACKQUOTE) && i >= literalEnd) {
          literalEnd = literalEndAfter(text, i, end);
        }
        i++;
        continue;
      }
      // A word: its first character, then the rest up to the first character that is not part of one.
      const from = i;
      const first = text.charCodeAt(i);
      i += width;
      for (let w = wordCharWidth(text, i, end); w > 0; w = wordCharWidth(text, i, end)) i += w;
      const length = i - from;
      if (length >= lengths.length || lengths[length] !== 1 || (first < 128 ? firsts[first] !== 1 : !this.nonAsciiFirst)) continue;
      const word = text.slice(from, i);
      for (const index of indexes) {
        const entry = index.entries.get(word);
        if (!entry) continue;
        for (const owner of entry) {
          if (early && (owner === PLAIN || !this.owned[owner]!.test)) return { plain, candidates, decided: true };
          if (owner === PLAIN) plain = true;
          else if (!candidates.includes(owner)) candidates.push(owner);
        }
      }
    }
    return { plain, candidates, decided: false };
  }

  /** The candidates whose test passes on the declaration (all of them when `first` is off; one is enough when on). */
  private passing(text: string, start: number, end: number, candidates: readonly number[], first: boolean): number[] {
    let declaration: string | undefined;
    const out: number[] = [];
    for (const index of candidates) {
      const o = this.owned[index]!;
      if (o.test && !o.test((declaration ??= text.slice(start, end)), this.wordLookup(index))) continue;
      out.push(index);
      if (first) break;
    }
    return out;
  }

  private wordLookup(index: number): { has(word: string): boolean } {
    let lookup = this.wordLookups[index];
    if (!lookup) {
      let set: ReadonlySet<string> | undefined;
      const words = this.owned[index]!.words;
      this.wordLookups[index] = lookup = { has: (word) => (set ??= new Set(words)).has(word) };
    }
    return lookup;
  }
}

/** Marks a plain word in {@link TriggerWords}' entries. */
const PLAIN = -1;

const SLASH = 47;
const STAR = 42;
const QUOTE = 34;
const APOSTROPHE = 39;
const BACKQUOTE = 96;
const BACKSLASH = 92;

/**
 * For a comment at `i`, where the scan goes on after it: words in comments do not make code
 * worth parsing (documentation mentions `Close`, `for` and `go` at every turn), except in those
 * a rule reads, `//memlint:` and `//go:` directives (`//go:linkname`). Otherwise `i` (no comment).
 */
function skippedComment(text: string, i: number, end: number): number {
  const next = text.charCodeAt(i + 1);
  if (next !== SLASH && next !== STAR) return i;
  let after: number;
  if (next === SLASH) {
    if (text.startsWith("go:", i + 2)) return i;
    const newline = text.indexOf("\n", i);
    after = newline === -1 || newline > end ? end : newline;
  } else {
    const close = text.indexOf("*/", i + 2);
    after = close === -1 || close + 2 > end ? end : close + 2;
  }
  // (A slice of a long string shares its characters: the search stops at the comment's end.)
  return text.slice(i, after).includes(DIRECTIVE_WORD) ? i : after;
}

/** Where the string or rune literal opened at `i` ends: after its closing quote (at the line's end for an unclosed one). */
function literalEndAfter(text: string, i: number, end: number): number {
  const quote = text.charCodeAt(i);
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === quote) return j + 1;
    if (quote === BACKQUOTE) continue;
    if (c === 10) return j;
    if (c === BACKSLASH) j++;
  }
  return end;
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
 * The trigger words of `rules` in this file version, each owned by its rule, or undefined when
 * some rule may report from any declaration (then every touched declaration is parsed, and
 * every rule looks at all of them). The rules that list the same words for every file version
 * are indexed once for as long as the same rules run (a whole-repository check asks for every
 * file); the others' words, computed for this version, are indexed beside them.
 */
export function triggerWords(rules: readonly Rule[], ctx: TriggerContext): TriggerWords<Rule> | undefined {
  const fixed: OwnedWords<Rule>[] = [];
  const computed: OwnedWords<Rule>[] = [];
  for (const rule of rules) {
    if (typeof rule.triggers !== "function") {
      if (rule.triggers === undefined) return undefined;
      fixed.push(fixedWordsOf(rule, rule.triggers));
      continue;
    }
    const triggers = rule.triggers(ctx);
    if (triggers === undefined) return undefined;
    computed.push({ owner: rule, words: triggers, test: rule.triggerTest });
  }
  const shared = sharedIndex(fixed);
  // The files of a package mostly compute the same words (the package's names, and whether the
  // file imports `unsafe` or not): index them once.
  let made = recent.find((r) => r.shared === shared && sameWords(r.computed, computed));
  if (!made) {
    for (const c of computed) checkWords(c.owner, c.words);
    made = { shared, computed, words: new TriggerWords([DIRECTIVE_WORD], computed, shared) };
    recent.unshift(made);
    recent.length = Math.min(recent.length, 4);
  }
  return made.words;
}

/** The last word indexes {@link triggerWords} made, with the computed words they hold. */
const recent: { shared: SharedIndex; computed: readonly OwnedWords<Rule>[]; words: TriggerWords<Rule> }[] = [];

function sameWords(a: readonly OwnedWords<Rule>[], b: readonly OwnedWords<Rule>[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.owner !== y.owner || x.words.length !== y.words.length) return false;
    for (let j = 0; j < x.words.length; j++) if (x.words[j] !== y.words[j]) return false;
  }
  return true;
}

function checkWords(rule: Rule, words: readonly string[]): void {
  for (const word of words) {
    if (!IDENTIFIER.test(word)) throw new Error(`rule ${rule.meta.id}: trigger ${JSON.stringify(word)} is not a Go identifier or keyword`);
  }
}

const fixedWords = new WeakMap<Rule, OwnedWords<Rule>>();

/** The owned words of a rule that lists the same words for every file version (checked once). */
function fixedWordsOf(rule: Rule, words: readonly string[]): OwnedWords<Rule> {
  let owned = fixedWords.get(rule);
  if (owned?.words !== words) {
    checkWords(rule, words);
    fixedWords.set(rule, (owned = { owner: rule, words, test: rule.triggerTest }));
  }
  return owned;
}

interface SharedIndex {
  owned: readonly OwnedWords<Rule>[];
  index: WordIndex;
}

/** The indexes of the fixed words of the last rule lists asked for (a run asks for one or two: test code or not). */
const sharedIndexes: SharedIndex[] = [];

function sharedIndex(owned: readonly OwnedWords<Rule>[]): SharedIndex {
  let shared = sharedIndexes.find((s) => s.owned.length === owned.length && s.owned.every((o, i) => o === owned[i]));
  if (!shared) {
    shared = { owned, index: new WordIndex([], owned, 0) };
    sharedIndexes.unshift(shared);
    sharedIndexes.length = Math.min(sharedIndexes.length, 4);
  }
  return shared;
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
