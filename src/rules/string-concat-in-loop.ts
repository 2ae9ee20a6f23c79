import { cfgAround } from "../analysis/cfg.js";
import { constantIterations } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, initializerOf } from "../analysis/scope.js";
import { callParts, enclosingLoops, unparen } from "../analysis/syntax.js";
import { shapeOf, typeOfDeclaration } from "../analysis/types.js";
import type { Rule } from "../engine/types.js";

/** Loops that run at most this many times in all build a string of a handful of pieces: not worth a Builder. */
const TINY_LOOP = 16;
/** Calls whose result is a string (so `s += f(…)` is a concatenation, whatever `s` was declared as). */
const STRING_CALLS: readonly (readonly [string, readonly string[]])[] = [
  ["fmt", ["Sprint", "Sprintf", "Sprintln"]],
  ["strings", ["Repeat", "Join", "ToUpper", "ToLower", "TrimSpace", "Trim", "TrimPrefix", "TrimSuffix", "Replace", "ReplaceAll", "Title"]],
  ["strconv", ["Itoa", "FormatInt", "FormatUint", "FormatFloat", "FormatBool", "Quote"]],
];

const rule: Rule = {
  meta: {
    id: "string-concat-in-loop",
    category: "alloc",
    severity: "info",
    title: "string built by concatenation in a loop",
    rationale:
      "Go strings are immutable: `s += piece` allocates a new string and copies everything built so far into it. Built that way over n iterations, a string costs O(n²) bytes copied and n garbage strings for the collector, which shows up as CPU and GC pressure once n is more than a few dozen.",
    fix: "Write the pieces to a `strings.Builder` (or a `bytes.Buffer`) and take `String()` once after the loop, or collect them in a slice and `strings.Join` it.",
    bad: `func csvLine(fields []string) string {
	line := ""
	for i, f := range fields {
		if i > 0 {
			line += ","
		}
		line += quote(f)
	}
	return line
}`,
    good: `func csvLine(fields []string) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(quote(f))
	}
	return b.String()
}`,
    suggestion: "none",
    // Tests build small strings; their run time is not the service's.
    inTests: "skip",
  },
  // Every finding is an assignment inside a `for` statement: `s += x`, `s = s + x`, `s = x + s` or a `Sprintf`.
  triggers: ["for"],
  triggerTest: mayConcatenate,
  check(ctx) {
    const reported = new Set<string>();
    for (const stmt of ctx.nodes("assignment_statement")) {
      const target = concatenationTarget(stmt, ctx.file);
      const decl = target && declarationOf(target);
      if (!target || !decl) continue;
      // The loops that repeat the concatenation on the same variable: those the variable outlives.
      const loops = enclosingLoops(stmt).filter((loop) => !decl.within(loop));
      if (loops.length === 0 || tiny(loops, ctx.file)) continue;
      const cfg = cfgAround(stmt);
      const node = cfg?.nodeOf(stmt);
      if (!cfg || !node || !cfg.canRepeat(node)) continue;
      const loop = loops[0]!;
      const key = `${decl.start}:${loop.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const v = target.text;
      ctx.report({
        node: stmt,
        message: `\`${firstLine(stmt.text)}\` copies all of \`${v}\` into a new string on every iteration of the loop at line ${ctx.lineOf(loop)}: building it from n pieces copies O(n²) bytes and leaves n garbage strings. Write the pieces to a \`strings.Builder\` and call \`String()\` once after the loop.`,
        related: [{ node: decl, message: `\`${v}\` is declared here, outside the loop` }],
      });
    }
  },
};

/**
 * The string variable an assignment extends: `s += x`, `s = s + x`, `s = x + s`,
 * `s = fmt.Sprintf("…%s…", s, …)`. Undefined when it is not a concatenation or `s` is not known
 * to be a string.
 */
function concatenationTarget(stmt: GoNode, file: FileScope): GoNode | undefined {
  const left = stmt.child("left")?.namedChildren ?? [];
  const right = stmt.child("right")?.namedChildren ?? [];
  const target = unparen(left[0]);
  const value = unparen(right[0]);
  if (left.length !== 1 || right.length !== 1 || target?.type !== "identifier" || !value) return undefined;
  const op = stmt.child("operator")?.text;
  if (op === "+=") return isString(target, file) || isStringValue(value, file) ? target : undefined;
  if (op !== "=") return undefined;
  if (value.type === "binary_expression" && value.child("operator")?.text === "+") {
    const operands = sumOperands(value);
    const first = operands[0];
    const last = operands[operands.length - 1];
    const extends_ = (first?.type === "identifier" && first.text === target.text) || (last?.type === "identifier" && last.text === target.text);
    if (!extends_ || !(isString(target, file) || operands.some((o) => isStringValue(o, file)))) return undefined;
    return declarationOf(first!) === declarationOf(target) || declarationOf(last!) === declarationOf(target) ? target : undefined;
  }
  if (value.type === "call_expression" && file.imports.match(value, "fmt", ["Sprintf"])) {
    const args = callParts(value).args;
    const passesItself = args.slice(1).some((a) => unparen(a)?.type === "identifier" && declarationOf(unparen(a)!) === declarationOf(target));
    return passesItself ? target : undefined;
  }
  return undefined;
}

/** Space between tokens: blanks, parentheses that may close (or open) around an operand, comments. */
const GAP = String.raw`(?:[\s)]|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*`;
const OPENING_GAP = String.raw`(?:[\s(]|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*`;
/** A name that is not a field (`x.n`) and does not start in the middle of another word. */
const NAME = String.raw`(?<![\p{L}\p{N}_.\]])([\p{L}_][\p{L}\p{N}_]*)`;
/** An addend no string takes: a number or rune literal, a length. */
const NUMERIC = String.raw`(?:[\d.']|(?:len|cap)\s*\()`;
/** `name += x` with an `x` that is not {@link NUMERIC} (a field or an element the rule does not follow). */
const ADDED_TO = new RegExp(`${NAME}${GAP}\\+=${OPENING_GAP}(?![\\s(/]|${NUMERIC})`, "u");
/** `name = name + x`: the name is the first operand of the sum. */
const EXTENDED_FIRST = new RegExp(`${NAME}${GAP}=(?!=)${OPENING_GAP}\\1${GAP}\\+(?![+=])${OPENING_GAP}(?![\\s(/]|${NUMERIC})`, "u");
/** `name = … + name`: the name is the last operand, at the end of the statement. */
const EXTENDED_LAST = new RegExp(`${NAME}${GAP}=(?!=)[^\\n]*?\\+(?![+=])${OPENING_GAP}\\1[\\s)]*(?:$|\\n|;|\\/[/*])`, "u");
/** `name = fmt.Sprintf(…`: a plain assignment (not `:=`, which declares a new name) of a `Sprintf` under any alias. */
const ASSIGNED_SPRINTF = new RegExp(`(?<![:=!<>])=(?!=)${OPENING_GAP}(?:[\\p{L}_][\\p{L}\\p{N}_]*\\s*\\.\\s*)?Sprintf\\b`, "u");
/** An assignment whose sum goes on past its first line, where the last operand is not on the `=`'s line. */
const CONTINUED_SUM = new RegExp(`${NAME}${GAP}=(?!=)[^\\n]*\\+\\s*(?:\\/\\/[^\\n]*)?\\n`, "u");

/**
 * Whether a declaration's text may hold a concatenation {@link concatenationTarget} finds: a `+=`
 * to a name of something other than a number or a length (no string takes those), a `Sprintf` assigned,
 * or a name assigned a sum of which it is the first or the last operand.
 */
function mayConcatenate(text: string): boolean {
  if (text.includes("Sprintf") && ASSIGNED_SPRINTF.test(text)) return true;
  // Each shape has a `+`: look around each one (its line and the lines on either side), not at
  // every word; once per line (test code sums strings several times a line).
  let lastLine = -1;
  for (let at = text.indexOf("+"); at !== -1; at = text.indexOf("+", at + 1)) {
    if (text[at + 1] === "+") {
      at++;
      continue;
    }
    const line = lineStart(text, at);
    if (line === lastLine) continue;
    lastLine = line;
    const window = text.slice(lineStart(text, line - 1), lineEnd(text, lineEnd(text, at) + 1));
    if (window.includes("+=") && ADDED_TO.test(window)) return true;
    // The other shapes assign with a plain `=`: most windows (`a[i+1]`, `n := m + 1`) have none.
    if (hasPlainAssignment(window) && (EXTENDED_FIRST.test(window) || EXTENDED_LAST.test(window) || CONTINUED_SUM.test(window))) return true;
  }
  return false;
}

/** Whether the text has an `=` that may be a plain assignment: not part of `==`, `:=`, `!=`, `<=`, `>=` or an operator's `op=`. */
function hasPlainAssignment(text: string): boolean {
  for (let at = text.indexOf("="); at !== -1; at = text.indexOf("=", at + 1)) {
    if (text[at + 1] === "=") {
      at++;
      continue;
    }
    if (!NOT_BEFORE_ASSIGNMENT.includes(text[at - 1] ?? "")) return true;
  }
  return false;
}

/** Characters before an `=` that make it something else than an assignment's (`/` stays: a comment may end there). */
const NOT_BEFORE_ASSIGNMENT = ":=!<>+-*%&|^";

function lineStart(text: string, at: number): number {
  return at <= 0 ? 0 : text.lastIndexOf("\n", at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const end = text.indexOf("\n", at);
  return end === -1 ? text.length : end;
}

/** The operands of a chain of `+`: `a + b + c` → a, b, c. */
function sumOperands(e: GoNode): GoNode[] {
  const u = unparen(e);
  if (u?.type === "binary_expression" && u.child("operator")?.text === "+") return [...sumOperands(u.child("left")!), ...sumOperands(u.child("right")!)];
  return u ? [u] : [];
}

/** A variable the function declares as a string (by its type, or by a string value). */
function isString(id: GoNode, file: FileScope): boolean {
  const decl = declarationOf(id);
  if (!decl) return false;
  if (shapeOf(typeOfDeclaration(decl, file)) === "string") return true;
  const init = initializerOf(decl);
  return !init?.type && init?.resultIndex === 0 && !!init.value && isStringValue(init.value, file);
}

/** An expression that is a string by its form: a string literal, `string(…)`, or a standard call returning one. */
function isStringValue(e: GoNode, file: FileScope): boolean {
  const u = unparen(e);
  if (!u) return false;
  if (u.type === "interpreted_string_literal" || u.type === "raw_string_literal") return true;
  if (u.type === "binary_expression" && u.child("operator")?.text === "+") return sumOperands(u).some((o) => isStringValue(o, file));
  if (u.type !== "call_expression") return false;
  const fn = unparen(u.child("function"));
  if (fn?.type === "identifier" && fn.text === "string" && !declarationOf(fn)) return true;
  return STRING_CALLS.some(([path, names]) => file.imports.match(u, path, names) !== undefined);
}

/** Every loop around the concatenation runs a constant handful of times, all together. */
function tiny(loops: readonly GoNode[], file: FileScope): boolean {
  let total = 1;
  for (const loop of loops) {
    const n = constantIterations(loop, file);
    if (n === undefined) return false;
    total *= n;
  }
  return total <= TINY_LOOP;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0]!;
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

export default rule;
