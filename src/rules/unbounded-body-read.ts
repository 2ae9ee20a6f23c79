import { cfgAround, type CfgNode } from "../analysis/cfg.js";
import { constantInt } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf } from "../analysis/scope.js";
import { callParts, callSummary, unparen } from "../analysis/syntax.js";
import { servesOnlyOnLoopback } from "../analysis/exposure.js";
import { isDeclaredAs, structFields, type TypeSpec } from "../analysis/typing.js";
import { nodeType, pointee, typeOfExpr, underlying } from "../analysis/types.js";
import type { ChangeContext, Rule, RuleContext } from "../engine/types.js";
import { hasWord } from "../analysis/text-shapes.js";

const HTTP = "net/http";
const REQUEST: TypeSpec = { path: HTTP, names: ["Request"] };
const BUFFER: TypeSpec = { path: "bytes", names: ["Buffer"] };
/** Reading more than this into memory per multipart request is a choice worth a second look. */
const MULTIPART_MEMORY_LIMIT = 64 << 20;
/** Wrappers that bound what can be read from a body (path.Name). */
const LIMITERS = new Set([`${HTTP}.MaxBytesReader`, "io.LimitReader"]);
/** Text of a package that mounts handlers or serves them itself (net/http, and routers' `.Get("/…"`). */
const ROUTING = [".HandleFunc(", ".Handle(", "ListenAndServe", ".Serve(", "\tHandler:", " Handler:", "{Handler:", '.Get("/', '.Post("/', '.Put("/', '.GET("/', '.POST("/', '.PUT("/'];

const rule: Rule = {
  meta: {
    id: "unbounded-body-read",
    category: "http",
    severity: "warning",
    title: "request body read whole with no limit",
    rationale:
      "`io.ReadAll` of a request body allocates whatever the client sends: a single multi-gigabyte upload, or many large ones at once, makes the server grow until it is killed for running out of memory. The server does not control the body's size, so it must bound what it reads.",
    fix: "Wrap the body before reading it, `r.Body = http.MaxBytesReader(w, r.Body, maxBytes)` (the read then fails with a `*http.MaxBytesError` past the limit), or read through `io.LimitReader`.",
    bad: `func (h *Handler) Upload(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.store(data)
}`,
    good: `func (h *Handler) Upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 10<<20)
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	h.store(data)
}`,
    suggestion: "none",
    // Test servers read bodies their own test wrote.
    inTests: "skip",
  },
  // Reads spell `ReadAll`, `DumpRequest`, `ParseMultipartForm`, `ReadFrom` or `Copy`; a removed limit spells `LimitReader`, `LimitedReader` or `MaxBytesReader` in the base.
  triggers: ["ReadAll", "DumpRequest", "ParseMultipartForm", "ReadFrom", "Copy", "LimitReader", "LimitedReader", "MaxBytesReader"],
  // What `check` reports reads a `.Body`, dumps a request or parses a multipart form (a removed limit is compared on the words alone).
  triggerTest: (text) => hasWord(text, "Body") || hasWord(text, "DumpRequest") || hasWord(text, "ParseMultipartForm"),
  check(ctx) {
    for (const call of ctx.nodes("call_expression")) {
      const read = unboundedRead(call, ctx.file);
      if (read) report(ctx, read);
    }
  },
  checkChange(ctx) {
    const limitedBefore = limitedBodies(ctx.base.node, ctx.base.file);
    if (limitedBefore.size === 0) return;
    const limitedNow = limitedBodies(ctx.head.node, ctx.head.file);
    const reported = new Set<string>();
    for (const call of ctx.head.node.descendants("call_expression")) {
      const body = callParts(call).args.map(unparen).find((a) => a && isBody(a) && limitedBefore.has(normalize(a.text)) && !limitedNow.has(normalize(a.text)));
      if (!body || reported.has(normalize(body.text)) || unboundedRead(call, ctx.head.file)) continue;
      reported.add(normalize(body.text));
      reportRemoved(ctx, call, body, limitedBefore.get(normalize(body.text))!);
    }
  },
};

interface UnboundedRead {
  call: GoNode;
  /** `r.Body`, or the request of `httputil.DumpRequest(r, true)` / `r.ParseMultipartForm(n)`. */
  what: GoNode;
  kind: "read" | "dump" | "multipart";
  /**
   * The package bounds request bodies somewhere (a middleware may cover this one), registers no
   * routes (a library handler whose server, in another package, may bound them), or listens only
   * on loopback (bodies come from this machine's processes): info.
   */
  limitedElsewhere: boolean;
}

/** A call that reads a server request's body whole with nothing bounding it. */
function unboundedRead(call: GoNode, file: FileScope): UnboundedRead | undefined {
  const { receiver, name, args } = callParts(call);
  const qualified = file.imports.qualifiedName(call);
  let what: GoNode | undefined;
  let request: GoNode | undefined;
  let kind: UnboundedRead["kind"] = "read";
  if ((qualified === "io.ReadAll" || qualified === "io/ioutil.ReadAll") && args.length === 1) {
    what = unparen(args[0]);
  } else if (qualified === "io.Copy" && args.length === 2 && isDeclaredAs(unparen(args[0])?.type === "unary_expression" ? unparen(args[0])!.child("operand") : args[0], file, BUFFER)) {
    what = unparen(args[1]);
  } else if (name === "ReadFrom" && args.length === 1 && receiver && !qualified && isDeclaredAs(receiver, file, BUFFER)) {
    what = unparen(args[0]);
  } else if (qualified === "net/http/httputil.DumpRequest" && args.length === 2 && args[1]?.text === "true") {
    request = unparen(args[0]);
    what = request;
    kind = "dump";
  } else if (name === "ParseMultipartForm" && receiver && !qualified && args.length === 1 && (constantInt(args[0], file) ?? 0) >= MULTIPART_MEMORY_LIMIT) {
    request = receiver;
    what = call;
    kind = "multipart";
  }
  if (!what) return undefined;
  if (kind === "read") {
    if (!isBody(what)) return undefined;
    request = unparen(what.child("operand"));
  }
  if (!request || !isServerRequest(request, file)) return undefined;
  if (kind !== "multipart" && boundedBefore(call, request)) return undefined;
  const limited = ["MaxBytesReader", "MaxBytesHandler"].some((w) => file.packageContains(w)) || wrapsBodiesInLimiter(file);
  return { call, what, kind, limitedElsewhere: limited || !ROUTING.some((w) => file.packageContains(w)) || servesOnlyOnLoopback(file) };
}

/**
 * The package puts a limiter of its own around request bodies, as a middleware does:
 * `r.Body = streams.LimitReadCloser(r.Body, max)` (a call named for a limit, given the body).
 */
function wrapsBodiesInLimiter(file: FileScope): boolean {
  for (const { node } of file.packageDeclarationsMentioning("Body")) {
    for (const stmt of node.descendants("assignment_statement")) {
      const target = unparen(stmt.child("left")?.namedChildren[0]);
      const value = unparen(stmt.child("right")?.namedChildren[0]);
      if (target?.type !== "selector_expression" || target.child("field")?.text !== "Body" || value?.type !== "call_expression") continue;
      const { name, args } = callParts(value);
      if (/Limit/.test(name) && args.some((a) => unparen(a)?.text === target.text)) return true;
    }
  }
  return false;
}

function report(ctx: RuleContext, read: UnboundedRead): void {
  const r = read.kind === "read" ? unparen(read.what.child("operand"))!.text : read.what.text;
  const label = callSummary(read.call);
  const elsewhere = read.limitedElsewhere ? " (This package limits bodies somewhere, serves no routes itself, or listens only on a loopback address; if a middleware or the server that mounts this handler bounds the body, say so with `//memlint:ignore`.)" : "";
  const message =
    read.kind === "multipart"
      ? `\`${label}\` lets every multipart request keep ${Math.round(constantInt(callParts(read.call).args[0], ctx.file)! / (1 << 20))} MiB of form data in memory: a few concurrent uploads take gigabytes. Keep the in-memory part small (32 MiB is the default; larger files spill to disk) and bound the whole body with \`http.MaxBytesReader\`.${elsewhere}`
      : `\`${label}\` reads the whole request body into memory with no limit: a client that sends gigabytes (or many clients at once) makes the server allocate all of it. Bound it first: \`${r}.Body = http.MaxBytesReader(w, ${r}.Body, maxBytes)\`, or read through \`io.LimitReader\`.${elsewhere}`;
  ctx.report({ node: read.call, message, ...(read.limitedElsewhere ? { severity: "info" as const } : {}) });
}

function reportRemoved(ctx: ChangeContext, call: GoNode, body: GoNode, limit: { node: GoNode; name: string }): void {
  ctx.report({
    node: call,
    message: `The base version read \`${body.text}\` through \`${limit.name}\` (line ${ctx.baseLineOf(limit.node)} of the base); this change removed the limit, so \`${callSummary(call)}\` now reads however much the other side sends into memory. Keep the body bounded.`,
  });
}

/** `x.Body`. */
function isBody(e: GoNode): boolean {
  return e.type === "selector_expression" && e.child("field")?.text === "Body";
}

function normalize(text: string): string {
  return text.replace(/\s+/g, "");
}

/**
 * A request the server received (its client controls the body): a parameter of a function that
 * also takes an `http.ResponseWriter` (a handler, a middleware, a closure inside one), or a
 * request kept in a struct beside the response writer (a framework's context).
 */
function isServerRequest(request: GoNode, file: FileScope): boolean {
  if (!isDeclaredAs(request, file, REQUEST)) return false;
  if (request.type === "identifier") {
    const decl = declarationOf(request);
    const params = decl?.parent?.type === "parameter_declaration" ? decl.parent.parent : undefined;
    return !!params && params.namedChildren.some((p) => file.imports.isType(p.child("type"), HTTP, "ResponseWriter"));
  }
  if (request.type !== "selector_expression") return false;
  const owner = underlying(pointee(typeOfExpr(request.child("operand"), file)) ?? typeOfExpr(request.child("operand"), file));
  if (owner?.kind !== "node" || owner.node.type !== "struct_type") return false;
  return structFields(owner.node).some((f) => f.names.includes("ResponseWriter") || isWriterType(f.type, owner.file));
}

/** `http.ResponseWriter`, or a package type that embeds it. */
function isWriterType(type: GoNode | undefined, file: FileScope): boolean {
  if (file.imports.isType(type, HTTP, "ResponseWriter")) return true;
  const u = underlying(nodeType(type, file));
  return u?.kind === "node" && (u.node.type === "struct_type" || u.node.type === "interface_type") && structFields(u.node).some((f) => file.imports.isType(f.type, HTTP, "ResponseWriter"));
}

/**
 * Something before the read already bounds the body or looks at its size: `r.Body = …` (a
 * `MaxBytesReader`, or a body rebuilt from bytes read before), or a check of `r.ContentLength`.
 */
function boundedBefore(call: GoNode, request: GoNode): boolean {
  const cfg = cfgAround(call);
  const at = cfg?.nodeOf(call);
  if (!cfg || !at) return false;
  const text = normalize(request.text);
  const guards = new Set<CfgNode>();
  for (const sel of cfg.fn.descendants("selector_expression")) {
    const field = sel.child("field")?.text;
    if ((field !== "Body" && field !== "ContentLength") || normalize(sel.child("operand")?.text ?? "") !== text) continue;
    const assigned = field === "Body" && sel.parent?.type === "expression_list" && sel.parent.field === "left";
    if (!assigned && field === "Body") continue;
    const node = cfg.nodeOf(sel);
    if (node && node !== at) guards.add(node);
  }
  return [...guards].some((g) => cfg.reaches(g, at));
}

/**
 * The bodies a declaration reads through a limit, by their text (`r.Body`, `resp.Body`), with
 * the limiting call: `io.LimitReader(x.Body, n)`, `http.MaxBytesReader(w, x.Body, n)`,
 * `&io.LimitedReader{R: x.Body, N: n}`.
 */
function limitedBodies(root: GoNode, file: FileScope): Map<string, { node: GoNode; name: string }> {
  const out = new Map<string, { node: GoNode; name: string }>();
  for (const call of root.descendants("call_expression")) {
    const name = file.imports.qualifiedName(call);
    if (!name || !LIMITERS.has(name)) continue;
    const body = callParts(call).args.map(unparen).find((a) => a && isBody(a));
    if (body && !out.has(normalize(body.text))) out.set(normalize(body.text), { node: call, name: name.slice(name.lastIndexOf("/") + 1) });
  }
  for (const lit of root.descendants("composite_literal")) {
    if (!file.imports.isType(lit.child("type"), "io", "LimitedReader")) continue;
    for (const el of lit.child("body")?.namedChildren ?? []) {
      const value = unparen(el.child("value")?.namedChildren[0] ?? el.child("value"));
      if (el.type === "keyed_element" && el.child("key")?.text === "R" && value && isBody(value) && !out.has(normalize(value.text))) {
        out.set(normalize(value.text), { node: lit, name: "io.LimitedReader" });
      }
    }
  }
  return out;
}

export default rule;
