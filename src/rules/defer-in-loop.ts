import { cfgAround } from "../analysis/cfg.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { callParts, enclosingLoops, isPlainCall, rootIdentifier, statementsOf, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

/** Builtins that neither hold nor release anything. */
const PURE_BUILTINS = ["append", "len", "cap", "copy", "delete", "min", "max", "new", "make"];

const rule: Rule = {
  meta: {
    id: "defer-in-loop",
    category: "leak-resource",
    severity: "warning",
    title: "defer inside a loop",
    rationale:
      "A deferred call runs when the surrounding function returns, not at the end of the iteration. Every iteration adds another pending call and keeps whatever it would release — a file, a connection, a lock — alive until the whole loop and function finish.",
    fix: "Move the loop body into a function (or a func literal called per iteration) so the defer runs each time, or release the resource explicitly at the end of the iteration.",
    bad: `for _, name := range names {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close() // every file stays open until the function returns
	process(f)
}`,
    good: `for _, name := range names {
	if err := func() error {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close() // runs at the end of this iteration
		return process(f)
	}(); err != nil {
		return err
	}
}`,
    suggestion: "none",
    // In tests: a test's loops are short and its process ends.
    inTests: "skip",
    equivalents: { golangci: ["gocritic", "revive"], staticcheck: ["SA9001"] },
  },
  // It starts from a defer statement in the declaration: the `defer` keyword is always there.
  triggers: ["defer"],
  check(ctx) {
    for (const defer of ctx.nodes("defer_statement")) {
      const loops = enclosingLoops(defer);
      const loop = loops[0];
      const cfg = loop && cfgAround(defer);
      const node = cfg?.nodeOf(defer);
      // The "open the first match and return" loop (go-critic#1451): no path from the defer comes
      // back to it, so at most one call is ever pending. (A break leaves only the innermost loop;
      // an outer loop that comes round again still piles up defers.)
      if (!loop || !cfg || !node || !cfg.canRepeat(node)) continue;
      // Deliberate "release everything at return" shapes (precision audit): a loop that only
      // registers defers, a defer that runs on one iteration only, a value the function keeps
      // using after the loop, a rollback that runs only on failure, a literal that holds nothing.
      const outer = loops[loops.length - 1]!;
      if (onlyDefers(statementsOf(outer.child("body"))) || runsOnce(defer, loop) || keptAfterIteration(defer, outer) || rollbackOnError(defer, outer) || holdsNothing(defer)) continue;
      const call = defer.namedChildren[0]?.text ?? "the call";
      ctx.report({
        node: defer,
        message: `\`defer ${call}\` runs when the function returns, not at the end of each iteration: every iteration adds a pending call and holds what it releases until then.`,
        related: [{ node: loop, message: "the loop" }],
      });
    }
  },
};

/**
 * A loop body that does nothing but register defers (`for _, c := range closers { defer c.Close() }`):
 * all of them are pending anyway, nothing is held longer because of the loop.
 */
function onlyDefers(stmts: GoNode[]): boolean {
  return (
    stmts.length > 0 &&
    stmts.every((s) => {
      switch (s.type) {
        case "defer_statement":
        case "continue_statement":
        case "empty_statement":
          return true;
        case "if_statement": {
          const alt = s.child("alternative");
          return onlyDefers(statementsOf(s.child("consequence"))) && (!alt || onlyDefers(alt.type === "block" ? statementsOf(alt) : [alt]));
        }
        case "for_statement":
          return onlyDefers(statementsOf(s.child("body")));
        case "short_var_declaration":
          // `c := c` and other copies, but no calls.
          return s.descendants("call_expression").length === 0;
        default:
          return false;
      }
    })
  );
}

/**
 * The defer sits in an `if` that can be taken on one iteration only: a lazy initialisation
 * (`if tmp == "" { tmp, err = os.MkdirTemp(…); defer os.RemoveAll(tmp) }`, `if first { first = false; defer … }`)
 * whose body sets the tested variable, or a test of the loop counter against a constant (`if i == 0`).
 */
function runsOnce(defer: GoNode, loop: GoNode): boolean {
  let prev = defer;
  for (const a of defer.ancestors()) {
    if (a === loop) return false;
    if (a.type === "if_statement" && prev.field === "consequence") {
      const consequence = a.child("consequence")!;
      if (conjuncts(unparen(a.child("condition"))).some((c) => onceCondition(c, consequence, loop))) return true;
    }
    prev = a;
  }
  return false;
}

function conjuncts(cond: GoNode | undefined): GoNode[] {
  if (!cond) return [];
  if (cond.type === "binary_expression" && cond.child("operator")?.text === "&&") {
    return [...conjuncts(unparen(cond.child("left"))), ...conjuncts(unparen(cond.child("right")))];
  }
  return [cond];
}

const ZERO_VALUES = new Set(["nil", "false", "interpreted_string_literal", "raw_string_literal", "int_literal"]);

function onceCondition(cond: GoNode, consequence: GoNode, loop: GoNode): boolean {
  let tested: GoNode | undefined;
  if (cond.type === "unary_expression" && cond.child("operator")?.text === "!") tested = unparen(cond.child("operand"));
  else if (cond.type === "identifier" || cond.type === "selector_expression") tested = cond;
  else if (cond.type === "binary_expression" && cond.child("operator")?.text === "==") {
    const left = unparen(cond.child("left"));
    const right = unparen(cond.child("right"));
    if (right && left && ZERO_VALUES.has(right.type)) tested = left;
    else if (left && right && ZERO_VALUES.has(left.type)) tested = right;
    // `if i == 0` on the loop's own counter.
    if (tested?.type === "identifier" && (right?.type === "int_literal" || left?.type === "int_literal") && isLoopVariable(tested, loop)) return true;
  }
  if (!tested || (tested.type !== "identifier" && tested.type !== "selector_expression")) return false;
  const root = rootIdentifier(tested);
  const decl = root ? declarationOf(root) : undefined;
  // A variable of the iteration is fresh every time round.
  if (decl?.within(loop)) return false;
  return assignsTo(consequence, tested);
}

/** `x = …` (or `x, err = …`, `x++`-free) somewhere in the block, nested statements and if-initialisers included. */
function assignsTo(block: GoNode, target: GoNode): boolean {
  return block.descendants("assignment_statement").some((a) =>
    (a.child("left")?.namedChildren ?? []).some((l) => {
      const left = unparen(l);
      if (!left || left.text !== target.text) return false;
      return target.type !== "identifier" || declarationOf(left) === declarationOf(target);
    }),
  );
}

function isLoopVariable(id: GoNode, loop: GoNode): boolean {
  const decl = declarationOf(id);
  if (!decl) return false;
  const header = loop.namedChildren.find((c) => c.type === "for_clause" || c.type === "range_clause");
  return !!header && decl.within(header);
}

/**
 * The deferred call releases a value of this iteration that the function keeps using after it:
 * stored into a field, element or pointee (`*opt.field = f`, `cPaths[i] = p`), or appended to /
 * assigned to a variable from outside the loop (`readers = append(readers, f)`). Releasing it at
 * the end of the iteration would break the code: the defer is the point.
 */
function keptAfterIteration(defer: GoNode, loop: GoNode): boolean {
  const body = loop.child("body");
  return releasedVariables(defer).some((decl) => decl.within(body ?? loop) && referencesOf(decl).some((use) => !use.within(defer) && storedOutside(use, loop)));
}

/** Local variables the deferred call releases: its receiver's root and the roots of its arguments. */
function releasedVariables(defer: GoNode): GoNode[] {
  const call = defer.namedChildren[0];
  if (call?.type !== "call_expression" || unparen(call.child("function"))?.type === "func_literal") return [];
  const { receiver, args } = callParts(call);
  const out: GoNode[] = [];
  for (const e of [receiver, ...args]) {
    if (!e) continue;
    for (const id of e.type === "identifier" ? [e] : e.descendants("identifier")) {
      const decl = declarationOf(id);
      if (decl && !out.includes(decl)) out.push(decl);
    }
  }
  return out;
}

function storedOutside(use: GoNode, loop: GoNode): boolean {
  let e = use;
  for (;;) {
    const p = e.parent;
    if (!p) return false;
    if (p.type === "parenthesized_expression" || (p.type === "unary_expression" && p.child("operator")?.text === "&")) e = p;
    else if (p.type === "literal_element" || p.type === "keyed_element" || p.type === "literal_value" || p.type === "composite_literal") e = p;
    else if (p.type === "argument_list" && p.parent && isPlainCall(p.parent, "append") && p.namedChildren.indexOf(e) > 0) e = p.parent;
    else break;
  }
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "right" || stmt?.type !== "assignment_statement") return false;
  const target = unparen(stmt.child("left")?.namedChildren[list.namedChildren.indexOf(e)]);
  if (!target) return false;
  // Through a pointer: storage somewhere else.
  if (target.type === "unary_expression") return true;
  if (target.type === "identifier" && target.text === "_") return false;
  // A variable, or a field or element of one, that lives beyond the iteration: not one declared in the loop body.
  const root = rootIdentifier(target);
  if (!root) return target.type === "selector_expression" || target.type === "index_expression";
  const decl = declarationOf(root);
  return !decl || !decl.within(loop.child("body") ?? loop);
}

/**
 * `defer func() { if err != nil { cleanup() } }()` with `err` from outside the loop (usually the
 * named result): a rollback that runs only when the function fails; on success nothing is released.
 */
function rollbackOnError(defer: GoNode, loop: GoNode): boolean {
  const literal = deferredLiteral(defer);
  const first = statementsOf(literal?.child("body"))[0];
  if (first?.type !== "if_statement") return false;
  const cond = unparen(first.child("condition"));
  if (cond?.type !== "binary_expression" || !/^(==|!=)$/.test(cond.child("operator")?.text ?? "")) return false;
  const sides = [unparen(cond.child("left")), unparen(cond.child("right"))];
  const err = sides.find((s) => s?.type === "identifier" && /err/i.test(s.text));
  if (!err || !sides.some((s) => s?.type === "nil")) return false;
  const decl = declarationOf(err);
  return !!decl && !decl.within(loop);
}

/** A deferred literal that calls nothing but builtins and touches no channel: it updates variables, it holds no resource. */
function holdsNothing(defer: GoNode): boolean {
  const literal = deferredLiteral(defer);
  if (!literal) return false;
  const body = literal.child("body");
  if (!body) return false;
  if (body.descendants("send_statement", "go_statement", "defer_statement").length > 0) return false;
  if (body.descendants("unary_expression").some((u) => u.child("operator")?.text === "<-")) return false;
  return body.descendants("call_expression").every((c) => isPlainCall(c, ...PURE_BUILTINS));
}

function deferredLiteral(defer: GoNode): GoNode | undefined {
  const call = defer.namedChildren[0];
  const fn = call?.type === "call_expression" ? unparen(call.child("function")) : undefined;
  return fn?.type === "func_literal" ? fn : undefined;
}

export default rule;
