/**
 * Which touched declarations are worth parsing: those whose text holds a trigger word of some
 * enabled rule (see {@link Rule.triggers}). Most declarations of real code mention none — no
 * `go`, no `defer`, no `NewTicker` — and their findings are known to be none without a syntax
 * tree. A native regex over the declaration's text decides, at a fraction of a parse's cost.
 */
import type { Declaration } from "./declarations.js";
import type { Rule, TriggerContext } from "./types.js";

/** `//memlint:` directives (suppressions, contracts) are read from any declaration that has one. */
const DIRECTIVE_WORD = "memlint";
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/**
 * One pattern for every trigger of `rules` in this file version, or undefined when some rule may
 * report from any declaration (then every touched declaration is parsed).
 */
export function triggerPattern(rules: readonly Rule[], ctx: TriggerContext): RegExp | undefined {
  const words = new Set<string>([DIRECTIVE_WORD]);
  for (const rule of rules) {
    const triggers = typeof rule.triggers === "function" ? rule.triggers(ctx) : rule.triggers;
    if (triggers === undefined) return undefined;
    for (const word of triggers) {
      if (!IDENTIFIER.test(word)) throw new Error(`rule ${rule.meta.id}: trigger ${JSON.stringify(word)} is not a Go identifier or keyword`);
      words.add(word);
    }
  }
  return wordPattern(words);
}

/** One pattern that matches any of `words` as a whole word, compiled once per set of words. */
export function wordPattern(words: Iterable<string>): RegExp {
  // Sorted, so that one set of words is one pattern, compiled once.
  const source = [...new Set(words)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(bounded).join("|");
  let pattern = compiled.get(source);
  if (!pattern) {
    // Two versions of every file, and most files of a run, share one set of words.
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    pattern = new RegExp(source);
    compiled.set(source, pattern);
  }
  return pattern;
}

/**
 * A word between word boundaries. JavaScript's `\b` knows only ASCII word characters: at an end
 * with a non-ASCII letter there is no boundary check at all, which only parses more, never less.
 */
function bounded(word: string): string {
  const ascii = (c: string) => /\w/.test(c);
  return `${ascii(word[0]!) ? "\\b" : ""}${word}${ascii(word[word.length - 1]!) ? "\\b" : ""}`;
}

const MAX_COMPILED = 64;
const compiled = new Map<string, RegExp>();

/**
 * The keys of `decls` whose text mentions one of the triggers. Declarations that share a key
 * (`init`) go together: their findings share occurrence indices.
 */
export function keysMentioning(text: string, decls: readonly Declaration[], pattern: RegExp): Set<string> {
  const keys = new Set<string>();
  for (const d of decls) if (!keys.has(d.key) && pattern.test(text.slice(d.start, d.end))) keys.add(d.key);
  return keys;
}
