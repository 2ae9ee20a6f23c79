import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { poolCall, poolGet, poolGetOfVariable } from "../analysis/pools.js";
import { assignmentsTo, declarationOf, initializerOf, referencesOf } from "../analysis/scope.js";
import { callParts, callSummary, parametersOf, unparen } from "../analysis/syntax.js";
import { isNamedType, resolveCall, typeOfDeclaration } from "../analysis/types.js";
import type { Rule } from "../engine/types.js";

/** Calls that wrap a reader so that it ends after a limit. */
const LIMITS: readonly (readonly [string, readonly string[]])[] = [
  ["io", ["LimitReader"]],
  ["net/http", ["MaxBytesReader"]],
];

const FILLS = ["ReadFrom", "Copy", "CopyBuffer"];

const rule: Rule = {
  meta: {
    id: "pool-unbounded-buffer",
    category: "pool",
    severity: "info",
    title: "buffer of unbounded size returned to a pool",
    rationale:
      "A pooled `bytes.Buffer` keeps the capacity it grew to: `Reset` empties it but keeps the array. A buffer filled from a reader of unknown length (a request body, a file, a connection) can grow to the size of the largest input ever seen, and once it is back in the pool that memory stays allocated and is handed out for small jobs too. The standard library's fmt drops such buffers for this reason (golang/go#23199).",
    fix: "Before the Put, drop buffers that grew past a limit: `if buf.Cap() > 64<<10 { return }`; or bound the read with `io.LimitReader`.",
    bad: `func readBody(r io.Reader) ([]byte, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return append([]byte(nil), buf.Bytes()...), nil
}`,
    good: `func readBody(r io.Reader) ([]byte, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 64<<10 {
			bufPool.Put(buf)
		}
	}()
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return append([]byte(nil), buf.Bytes()...), nil
}`,
    suggestion: "none",
    // A test's pool lives for one short process; what it retains is not a service's memory.
    inTests: "skip",
  },
  // Every finding starts from a fill `buf.ReadFrom(r)`, `io.Copy(buf, r)` or `io.CopyBuffer(buf, r, …)`.
  // …of a buffer from a sync.Pool the package declares.
  triggers: (ctx) => (ctx.packageContains("Pool") ? FILLS : []),
  check(ctx) {
    const file = ctx.file;
    const seen = new Set<GoNode>();
    for (const call of ctx.nodes("call_expression")) {
      const fill = fillOf(call, file);
      const target = unparen(fill?.buffer);
      const decl = target?.type === "identifier" ? declarationOf(target) : undefined;
      if (!fill || !decl || seen.has(decl)) continue;
      seen.add(decl);
      if (bounded(fill.source, file) || !pooledBuffer(decl, file)) continue;
      const put = putOf(decl, file);
      if (!put || guardsSize(decl) || (put.helper && helperGuardsSize(put.helper))) continue;
      const b = decl.text;
      ctx.report({
        node: put.call,
        message: `\`${callSummary(put.call)}\` returns \`${b}\` to its pool after \`${callSummary(call)}\` filled it with however much the reader held, and nothing checks its size first: a pooled buffer keeps the largest capacity it ever grew to, so one large input stays allocated in the pool and is handed out for small jobs too. Drop buffers past a limit before the Put (\`if ${b}.Cap() > 64<<10 { return }\`), or bound the read.`,
        related: [{ node: call, message: `\`${b}\` grows to the size of the input here` }],
      });
    }
  },
};

/** `buf.ReadFrom(r)`, `io.Copy(buf, r)`, `io.CopyBuffer(buf, r, scratch)`: the buffer filled and the reader it is filled from. */
function fillOf(call: GoNode, file: FileScope): { buffer: GoNode; source: GoNode | undefined } | undefined {
  const { receiver, name, args } = callParts(call);
  if (name === "ReadFrom" && receiver && args.length === 1 && !file.imports.pathOf(receiver.text)) return { buffer: receiver, source: args[0] };
  if (file.imports.match(call, "io", ["Copy", "CopyBuffer"]) && args[0]) return { buffer: args[0], source: args[1] };
  return undefined;
}

/**
 * A reader that ends after a limit: `io.LimitReader(r, n)`, `http.MaxBytesReader(w, r, n)`, or a
 * local bound to one where it is declared or assigned (a limit applied under a condition is the
 * author's configured choice).
 */
function bounded(source: GoNode | undefined, file: FileScope, depth = 2): boolean {
  const s = unparen(source);
  if (!s) return false;
  if (s.type === "call_expression") return LIMITS.some(([path, names]) => file.imports.match(s, path, names) !== undefined);
  const decl = s.type === "identifier" ? declarationOf(s) : undefined;
  if (!decl || depth === 0) return false;
  const init = initializerOf(decl);
  const values = [...(init?.value ? [{ value: init.value, resultIndex: init.resultIndex }] : []), ...assignmentsTo(decl)];
  return values.some((v) => !!v.value && v.resultIndex === 0 && bounded(v.value, file, depth - 1));
}

/** A `*bytes.Buffer` taken from a sync.Pool: `P.Get().(*bytes.Buffer)`, directly or through a package helper that returns one. */
function pooledBuffer(decl: GoNode, file: FileScope): boolean {
  const get = poolGetOfVariable(decl, file);
  if (get) return !!get.type && file.imports.isType(get.type, "bytes", "Buffer");
  const init = initializerOf(decl);
  const value = unparen(init?.value);
  if (value?.type !== "call_expression" || init?.resultIndex !== 0 || !isNamedType(typeOfDeclaration(decl, file), "bytes", ["Buffer"])) return false;
  const helper = resolveCall(value, file);
  return !!helper && helper.node.descendants("call_expression").some((c) => !!poolGet(c, helper.file));
}

/** Where the buffer goes back: `P.Put(buf)` in this function, or a package helper called with it that puts its parameter. */
function putOf(decl: GoNode, file: FileScope): { call: GoNode; helper?: GoNode } | undefined {
  for (const use of referencesOf(decl)) {
    let e = use;
    while (e.parent?.type === "parenthesized_expression") e = e.parent;
    const args = e.parent;
    const call = args?.parent;
    if (args?.type !== "argument_list" || !call) continue;
    if (poolCall(call, file, ["Put"])) return { call };
    const index = args.namedChildren.indexOf(e);
    const helper = resolveCall(call, file);
    const param = helper ? parametersOf(helper.node)[index]?.name : undefined;
    if (helper && param && putsParameter(helper.node, param, helper.file)) return { call, helper: helper.node };
  }
  return undefined;
}

function putsParameter(helper: GoNode, param: GoNode, file: FileScope): boolean {
  return referencesOf(param).some((use) => {
    const call = use.parent?.type === "argument_list" ? use.parent.parent : undefined;
    return !!call && !!poolCall(call, file, ["Put"]);
  });
}

/** A size check on the buffer: `buf.Cap()`, `buf.Len()` or `cap(buf.Bytes())` compared with something. */
function guardsSize(decl: GoNode): boolean {
  return referencesOf(decl).some(isSizeCheck);
}

function helperGuardsSize(helper: GoNode): boolean {
  return parametersOf(helper).some((p) => !!p.name && referencesOf(p.name).some(isSizeCheck));
}

function isSizeCheck(use: GoNode): boolean {
  for (const a of use.ancestors()) {
    if (a.type === "binary_expression") return /^(<|<=|>|>=)$/.test(a.child("operator")?.text ?? "");
    if (a.type === "call_expression") {
      const { name } = callParts(a);
      if (name !== "Cap" && name !== "Len" && name !== "cap" && name !== "len" && name !== "Bytes") return false;
      continue;
    }
    if (a.type !== "selector_expression" && a.type !== "parenthesized_expression" && a.type !== "argument_list") return false;
  }
  return false;
}

export default rule;
