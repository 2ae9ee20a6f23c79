import { cfgAround } from "../analysis/cfg.js";
import { constantInt } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { enclosingFunction, enclosingLoops, isPlainCall, rootIdentifier, unparen } from "../analysis/syntax.js";
import { shapeOf, typeOfExpr } from "../analysis/types.js";
import type { Rule, RuleContext, Suggestion } from "../engine/types.js";
import { hasWord, mayAppendToItself } from "../analysis/text-shapes.js";

const rule: Rule = {
  meta: {
    id: "slice-append-no-prealloc",
    category: "alloc",
    severity: "info",
    title: "slice of known final length grown by append",
    rationale:
      "A slice declared without capacity and appended to once per element of a range grows by reallocation: each time its capacity runs out, append allocates a larger array and copies everything so far, leaving the old array to the collector. When every iteration appends exactly one element, the final length is known before the loop starts, and one allocation would do.",
    fix: "Give the slice its final capacity up front: `out := make([]T, 0, len(xs))`.",
    bad: `func names(users []User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Name)
	}
	return out
}`,
    good: `func names(users []User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.Name)
	}
	return out
}`,
    suggestion: "partial",
    // A test's slices are small and short-lived: no allocation there is worth a comment.
    inTests: "skip",
  },
  // Every finding is an `append` call.
  triggers: ["append"],
  triggerTest: (text) => hasWord(text, "range") && mayAppendToItself(text),
  check(ctx) {
    for (const stmt of ctx.nodes("assignment_statement")) {
      const found = appendInRange(stmt, ctx.file);
      if (!found) continue;
      const { decl, declStatement, loop, over } = found;
      const length = over.type === "identifier" || over.type === "selector_expression" ? `len(${over.text})` : over.text;
      const suggestion = capacitySuggestion(ctx, decl, declStatement, over, length);
      ctx.report({
        node: stmt,
        message: `\`${decl.text}\` gets one element per iteration of the range over \`${over.text}\` (line ${ctx.lineOf(loop)}), so its final length is \`${length}\`; declared without capacity, it is reallocated and copied each time it outgrows its array. Allocate it once: \`${decl.text} := make(${sliceTypeOf(declStatement)?.text ?? "[]T"}, 0, ${length})\`.`,
        related: [{ node: declStatement, message: `\`${decl.text}\` is declared here without capacity` }],
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};

interface AppendInRange {
  decl: GoNode;
  declStatement: GoNode;
  loop: GoNode;
  /** The ranged expression: a variable or field (of a slice, array or map type), or an integer. */
  over: GoNode;
}

/**
 * `s = append(s, x)` as the only use of `s` in the body of a `for … range xs` that runs it on
 * every iteration and is never left by a break, where `s` is declared empty without capacity
 * just before the loop (nothing else touches it in between).
 */
function appendInRange(stmt: GoNode, file: FileScope): AppendInRange | undefined {
  if (stmt.child("operator")?.text !== "=") return undefined;
  const left = stmt.child("left")?.namedChildren ?? [];
  const right = stmt.child("right")?.namedChildren ?? [];
  const target = left[0];
  const call = unparen(right[0]);
  if (left.length !== 1 || right.length !== 1 || target?.type !== "identifier" || !call || !isPlainCall(call, "append")) return undefined;
  const args = call.child("arguments")?.namedChildren ?? [];
  if (args.length !== 2 || args[1]!.type === "variadic_argument" || unparen(args[0])?.text !== target.text) return undefined;
  const decl = declarationOf(target);
  if (!decl || declarationOf(unparen(args[0])!) !== decl) return undefined;
  const loop = enclosingLoops(stmt)[0];
  const clause = loop?.children.find((c) => c.type === "range_clause");
  const over = unparen(clause?.child("right"));
  if (!loop || !clause || !over || decl.within(loop) || enclosingFunction(decl) !== enclosingFunction(stmt)) return undefined;
  // The slice lives at the loop's own nesting: an outer loop would add len(xs) per round.
  if (enclosingLoops(loop).length !== enclosingLoops(decl).length) return undefined;
  if (!knownLength(over, file)) return undefined;
  const declStatement = emptyDeclaration(decl);
  if (!declStatement) return undefined;
  // Only the append touches the slice from its declaration to the loop's end.
  const uses = referencesOf(decl);
  if (uses.some((u) => u.start < loop.end && !u.within(stmt))) return undefined;
  // Appended to again after the loop (another loop, `append(s, more...)`): its final length is more than the range's.
  if (uses.some((u) => u.start >= loop.end && grows(u))) return undefined;
  return everyIterationAppends(stmt, loop) ? { decl, declStatement, loop, over } : undefined;
}

/** `s = append(s, …)` with `use` the first `s`. */
function grows(use: GoNode): boolean {
  const list = use.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "left" || stmt?.type !== "assignment_statement") return false;
  const value = unparen(stmt.child("right")?.namedChildren[list.namedChildren.indexOf(use)]);
  return !!value && isPlainCall(value, "append");
}

/** A range whose length is cheap to ask for: a variable or field of a slice, array or map type, or an integer constant. */
function knownLength(over: GoNode, file: FileScope): boolean {
  if (constantInt(over, file) !== undefined) return true;
  if (over.type !== "identifier" && over.type !== "selector_expression") return false;
  const shape = shapeOf(typeOfExpr(over, file));
  return shape === "slice" || shape === "array" || shape === "map";
}

/** The statement declaring `decl` as an empty slice without capacity: `var s []T`, `s := []T{}`, `s := make([]T, 0)`. */
function emptyDeclaration(decl: GoNode): GoNode | undefined {
  const parent = decl.parent;
  if (parent?.type === "var_spec") {
    if (parent.childrenOf("name").length !== 1 || parent.child("value") || parent.child("type")?.type !== "slice_type") return undefined;
    return parent.parent?.type === "var_declaration" && parent.parent.namedChildren.length === 1 ? parent.parent : undefined;
  }
  const stmt = parent?.parent;
  if (parent?.type !== "expression_list" || stmt?.type !== "short_var_declaration" || parent.namedChildren.length !== 1) return undefined;
  const value = unparen(stmt.child("right")?.namedChildren[0]);
  if (value?.type === "composite_literal") {
    return value.child("type")?.type === "slice_type" && (value.child("body")?.namedChildren.length ?? 0) === 0 ? stmt : undefined;
  }
  if (value && isPlainCall(value, "make")) {
    const args = value.child("arguments")?.namedChildren ?? [];
    return args.length === 2 && args[0]!.type === "slice_type" && args[1]!.text === "0" ? stmt : undefined;
  }
  return undefined;
}

/** The slice type a declaration spells: `[]T`. */
function sliceTypeOf(declStatement: GoNode): GoNode | undefined {
  if (declStatement.type === "var_declaration") return declStatement.namedChildren[0]?.child("type");
  const value = unparen(declStatement.child("right")?.namedChildren[0]);
  if (value?.type === "composite_literal") return value.child("type");
  return value?.child("arguments")?.namedChildren[0];
}

/**
 * On the loop's graph: every round from the range header back to it runs the append (no
 * `continue` or branch skips it), and control never leaves the loop other than by the range
 * running out or by a return or panic (a `break` would make the final length shorter).
 */
function everyIterationAppends(stmt: GoNode, loop: GoNode): boolean {
  const cfg = cfgAround(stmt);
  const node = cfg?.nodeOf(stmt);
  const head = cfg?.loopHead(loop);
  if (!cfg || !node || !head) return false;
  const exhausted = (e: { from: unknown; kind: string }) => e.from === head && e.kind === "done";
  if (cfg.pathFrom(head, { target: (n) => n === head, blocks: (n) => n === node, skips: exhausted })) return false;
  const leaves = cfg.pathFrom(head, {
    target: (n) => n !== cfg.exit && n !== cfg.abort && !n.syntax.within(loop),
    blocks: (n) => n === cfg.exit || n === cfg.abort,
    skips: exhausted,
  });
  return !leaves;
}

/**
 * Replace a non-nil empty declaration on one line with `s := make([]T, 0, len(xs))`, when `xs`
 * is declared before it. (`var s []T` is nil when the range is empty; `make` would change that.)
 */
function capacitySuggestion(ctx: RuleContext, decl: GoNode, declStatement: GoNode, over: GoNode, length: string): Suggestion | undefined {
  if (declStatement.type !== "short_var_declaration") return undefined;
  const line = ctx.lineOf(declStatement);
  const text = ctx.lineText(line);
  const type = sliceTypeOf(declStatement);
  if (!type || ctx.lineOf(type) !== line || text.trim() !== declStatement.text) return undefined;
  const root = rootIdentifier(over);
  const rootDecl = root && declarationOf(root);
  if (root && rootDecl && rootDecl.start > declStatement.start) return undefined;
  const indent = /^[ \t]*/.exec(text)?.[0] ?? "";
  return { startLine: line, endLine: line, replacement: `${indent}${decl.text} := make(${type.text}, 0, ${length})` };
}

export default rule;
