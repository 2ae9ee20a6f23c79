import { constantInt } from "../analysis/constants.js";
import { outlivesCall } from "../analysis/escape.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, initializerOf, referencesOf } from "../analysis/scope.js";
import { insertLineBefore } from "../analysis/suggest.js";
import { bindingOfValue, callParts, enclosingFunction, firstLineOf, isPlainCall, unparen } from "../analysis/syntax.js";
import { mayResliceItself } from "../analysis/text-shapes.js";
import { elementOf, pointerFree, shapeOf, typeOfExpr } from "../analysis/types.js";
import type { DeclaredNames } from "../engine/package-summary.js";
import type { Rule, RuleContext } from "../engine/types.js";

/** Calls that give an object back to a pool or free list. */
const RELEASES = /^(?:[Rr]elease|[Pp]ut|[Ff]ree|[Rr]ecycle)/;

/** Element shapes whose zero value is `nil`: the suggestion can write `x[0] = nil`. */
const NILABLE = new Set(["pointer", "interface", "map", "chan", "func", "slice"]);

/** A pop: the slice that outlives the call, what it is re-sliced from, and which end is dropped. */
interface Pop {
  statement: GoNode;
  /** The long-lived slice written (`q.queue`, `*pq`). */
  target: GoNode;
  /** What is re-sliced: the target itself, or a local copy of it (`old := *pq`). */
  operand: GoNode;
  slice: GoNode;
  end: "front" | "back";
}

const rule: Rule = {
  meta: {
    id: "slice-pop-retention",
    category: "retention",
    severity: "warning",
    title: "popped element stays reachable through the backing array",
    rationale:
      "Re-slicing drops an element from the slice, not from its backing array: `q.items = q.items[1:]` leaves the popped value in the array's first slot, where the GC still sees it. In a long-lived queue or stack of pointers, every popped element (and all it references) stays alive until `append` reallocates the array or a later push overwrites the slot — forever, when the queue drains and goes quiet.",
    fix: "Zero the slot before re-slicing it away: `q.items[0] = nil` before `q.items = q.items[1:]`, or `s[len(s)-1] = nil` before `s = s[:len(s)-1]` (as `container/heap`'s example does).",
    bad: `func (q *Queue) Pop() *Job {
	job := q.items[0]
	q.items = q.items[1:]
	return job
}`,
    good: `func (q *Queue) Pop() *Job {
	job := q.items[0]
	q.items[0] = nil // the array no longer keeps the job alive
	q.items = q.items[1:]
	return job
}`,
    suggestion: "partial",
    // In tests: what a test's queue retains is freed when its process exits.
    inTests: "skip",
  },
  // Every finding writes a field of a value of a package type or a package-level variable.
  triggers: (ctx) => [...ctx.packageWords(typeAndVariableNames)],
  triggerTest: mayResliceItself,
  check(ctx) {
    for (const stmt of ctx.nodes("assignment_statement")) {
      if ((stmt.child("operator")?.text ?? "=") !== "=") continue;
      const lefts = stmt.child("left")?.namedChildren ?? [];
      const rights = stmt.child("right")?.namedChildren ?? [];
      if (lefts.length !== rights.length) continue;
      lefts.forEach((left, i) => {
        const pop = popOf(stmt, left, rights[i]!, ctx.file);
        if (pop) checkPop(ctx, pop);
      });
    }
  },
};

function checkPop(ctx: RuleContext, pop: Pop): void {
  const file = ctx.file;
  const fn = enclosingFunction(pop.statement);
  if (!fn || !outlivesCall(pop.target, file)) return;
  const element = elementOf(typeOfExpr(pop.operand, file));
  // Only elements that hold pointers keep anything alive. An element type memlint cannot see
  // (another module's, a type parameter) counts only for a shared queue, and as info.
  const free = pointerFree(element);
  if (free === true) return;
  const names = new Set([squeeze(pop.target.text), squeeze(pop.operand.text)]);
  if (managesSlots(fn, names)) return;
  if (poppedIntoPool(fn, names)) return;
  const shared = isSharedQueuePop(pop, fn, file);
  if (free === undefined && !(shared && element?.kind === "node" && element.node.type === "qualified_type")) return;
  const one = pop.end === "back" || frontCount(pop.slice, file) === 1;
  const dropped = pop.end === "front" ? (one ? "the first element" : "the first elements") : "the last element";
  const zeroing = zeroingOf(pop, element && shapeOf(element));
  ctx.report({
    node: pop.statement,
    ...(shared && free === false ? {} : { severity: "info" as const }),
    message: `\`${firstLineOf(pop.statement.text)}\` drops ${dropped} from the slice but not from its backing array, which still references ${one ? "it" : "them"}: every popped value (and all it references) stays alive until \`append\` reallocates the array or a later push overwrites the slot — for good once \`${pop.target.text}\` drains and goes quiet. Zero the slot first${zeroing ? ` (\`${zeroing}\`)` : ""}.`,
    ...(zeroing && !readsSlotInStatement(pop) ? { suggestion: insertLineBefore(ctx, pop.statement, zeroing) } : {}),
  });
}

/**
 * `x = x[i:]` (front) or `x = x[:len(x)-k]` (back), where `x` may also be a local copy of the
 * target (`old := *pq; …; *pq = old[:n-1]`). Full slice expressions (`x[i:j:k]`) set a capacity
 * on purpose and are left alone.
 */
function popOf(statement: GoNode, left: GoNode, right: GoNode, file: FileScope): Pop | undefined {
  const slice = unparen(right);
  if (slice?.type !== "slice_expression" || slice.child("capacity")) return undefined;
  const operand = unparen(slice.child("operand"));
  const target = unparen(left);
  if (!operand || !target || !sameSlice(target, operand)) return undefined;
  const start = slice.child("start");
  const end = slice.child("end");
  const fromZero = !start || constantInt(start, file) === 0;
  if (start && !fromZero && !end) return { statement, target, operand, slice, end: "front" };
  if (fromZero && end && shortensByLength(end, operand, target)) return { statement, target, operand, slice, end: "back" };
  return undefined;
}

/** The operand is the target, or — for a pointee (`*pq`) — a local variable initialized from it. */
function sameSlice(target: GoNode, operand: GoNode): boolean {
  if (squeeze(target.text) === squeeze(operand.text)) return true;
  if (operand.type !== "identifier" || target.type !== "unary_expression") return false;
  const decl = declarationOf(operand);
  const value = decl ? initializerOf(decl)?.value : undefined;
  return !!value && squeeze(unparen(value)?.text ?? "") === squeeze(target.text);
}

/** `len(x) - k`, or `n - k` where `n` was set to `len(x)`. */
function shortensByLength(end: GoNode, operand: GoNode, target: GoNode): boolean {
  const e = unparen(end);
  if (e?.type !== "binary_expression" || e.child("operator")?.text !== "-") return false;
  let length = unparen(e.child("left"));
  if (length?.type === "identifier") {
    const decl = declarationOf(length);
    length = unparen(decl ? initializerOf(decl)?.value : undefined);
  }
  if (!length || length.type !== "call_expression" || !isPlainCall(length, "len")) return false;
  const of = squeeze(unparen(length.child("arguments")?.namedChildren[0])?.text ?? "");
  return of === squeeze(operand.text) || of === squeeze(target.text);
}

/**
 * The function already looks after the array's slots or drops the array: it writes an element
 * (`x[0] = nil`, a zeroing loop), clears it (`clear(x[:1])`), or assigns the slice anything other
 * than a re-slice of itself (`x = nil` when it empties, a fresh `make`).
 */
function managesSlots(fn: GoNode, names: ReadonlySet<string>): boolean {
  for (const n of fn.descendants("assignment_statement", "call_expression")) {
    if (n.type === "call_expression") {
      if (!isPlainCall(n, "clear")) continue;
      const arg = unparen(n.child("arguments")?.namedChildren[0]);
      const cleared = arg?.type === "slice_expression" ? unparen(arg.child("operand")) : arg;
      if (cleared && names.has(squeeze(cleared.text))) return true;
      continue;
    }
    const rights = n.child("right")?.namedChildren ?? [];
    for (const [i, left] of (n.child("left")?.namedChildren ?? []).entries()) {
      const l = unparen(left);
      if (l?.type === "index_expression" && names.has(squeeze(unparen(l.child("operand"))?.text ?? ""))) return true;
      if (!l || !names.has(squeeze(l.text))) continue;
      const value = unparen(rights[i]);
      const operand = value?.type === "slice_expression" ? unparen(value.child("operand")) : undefined;
      if (!operand || !names.has(squeeze(operand.text))) return true;
    }
  }
  return false;
}

/**
 * The pop that memlint is sure about: one element off the front of a queue that the package also
 * appends to (a producer/consumer queue, not a cursor over a fixed list or a stack), in a function
 * that takes a lock (the queue is shared between goroutines, so it lives as long as they do).
 * Stacks, batch drops and unlocked cursors are often short-lived or overwritten soon: info.
 */
function isSharedQueuePop(pop: Pop, fn: GoNode, file: FileScope): boolean {
  if (pop.end !== "front" || frontCount(pop.slice, file) !== 1) return false;
  if (!fn.descendants("selector_expression").some((s) => /^R?Lock$/.test(s.child("field")?.text ?? "") && s.parent?.type === "call_expression")) return false;
  const target = pop.target;
  const name = target.type === "selector_expression" ? target.child("field")?.text : target.type === "identifier" ? target.text : undefined;
  if (!name) return false;
  const ref = target.type === "selector_expression" ? `[\\p{L}\\p{N}_.()*\\[\\]]*\\.${name}` : name;
  const appends = new RegExp(`(?<![\\p{L}\\p{N}_])${ref}\\s*=\\s*append\\(\\s*${ref}\\b`, "u");
  for (const { node } of file.packageDeclarationsMentioning(name, ["func", "method"])) if (appends.test(node.text)) return true;
  return false;
}

/**
 * A popped element (`t := x[0]`) handed to a pool's release (`ReleaseFile(t)`, `pool.Put(t)`):
 * the pool keeps the object alive anyway, so the stale slot holds nothing extra.
 */
function poppedIntoPool(fn: GoNode, names: ReadonlySet<string>): boolean {
  for (const read of fn.descendants("index_expression")) {
    if (!names.has(squeeze(unparen(read.child("operand"))?.text ?? ""))) continue;
    const binding = bindingOfValue(read);
    const index = binding ? (read.parent?.namedChildren.indexOf(read) ?? -1) : -1;
    const target = binding ? unparen(binding.targets[index]) : undefined;
    const decl = target?.type === "identifier" ? declarationOf(target) : undefined;
    if (!decl) continue;
    for (const use of referencesOf(decl)) {
      const call = use.parent?.type === "argument_list" ? use.parent.parent : undefined;
      if (call?.type === "call_expression" && RELEASES.test(callParts(call).name)) return true;
    }
  }
  return false;
}

/** The number of elements a front pop drops, when constant. */
function frontCount(slice: GoNode, file: FileScope): number | undefined {
  return constantInt(slice.child("start"), file);
}

/** The statement that zeroes the dropped slot, for a pop of one element whose zero value is `nil`. */
function zeroingOf(pop: Pop, shape: string | undefined): string | undefined {
  if (!shape || !NILABLE.has(shape)) return undefined;
  const x = pop.operand.type === "identifier" ? pop.operand.text : `${pop.target.text.startsWith("*") ? `(${pop.target.text})` : pop.target.text}`;
  if (pop.end === "front") return pop.slice.child("start")?.text === "1" ? `${x}[0] = nil` : undefined;
  const end = unparen(pop.slice.child("end"));
  return end?.child("right")?.text === "1" ? `${x}[${end.text}] = nil` : undefined;
}

/** `item, q.items = q.items[0], q.items[1:]`: the slot is read by the pop itself, so zeroing it first would lose it. */
function readsSlotInStatement(pop: Pop): boolean {
  const rights = pop.statement.child("right")?.namedChildren ?? [];
  return rights.some((r) => r !== pop.slice && unparen(r)?.type === "index_expression");
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, "");
}

function typeAndVariableNames(decls: readonly DeclaredNames[]): string[] {
  const names: string[] = [];
  for (const d of decls) if (d.kind === "type" || d.kind === "var") names.push(...d.names);
  return names;
}

export default rule;
