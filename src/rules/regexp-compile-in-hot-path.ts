import { cfgAround } from "../analysis/cfg.js";
import { runsOncePerProcess } from "../analysis/channels.js";
import { constantSpecOf } from "../analysis/constants.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf, qualifierIsLocal } from "../analysis/scope.js";
import { callParts, callSummary, enclosingFunction, functionName, isFunction, outermostFunction, parametersOf, runsOnceInMain, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const COMPILES = ["Compile", "MustCompile", "CompilePOSIX", "MustCompilePOSIX"];
/** Package functions that compile their pattern argument on every call. */
const MATCHES = ["Match", "MatchString", "MatchReader"];

/** Parameter types of a function that serves a request (`path.Name`). */
const HANDLER_PARAMS: readonly (readonly [string, string])[] = [
  ["net/http", "ResponseWriter"],
  ["net/http", "Request"],
  ["github.com/gin-gonic/gin", "Context"],
  ["github.com/labstack/echo", "Context"],
  ["github.com/labstack/echo/v4", "Context"],
  ["github.com/gofiber/fiber/v2", "Ctx"],
  ["github.com/gofiber/fiber/v3", "Ctx"],
  ["github.com/valyala/fasthttp", "RequestCtx"],
];

const rule: Rule = {
  meta: {
    id: "regexp-compile-in-hot-path",
    category: "alloc",
    severity: "warning",
    title: "regexp compiled on every call or iteration",
    rationale:
      "Compiling a regular expression parses the pattern and builds its program: dozens of allocations and far more CPU than a match. A constant pattern compiled inside a loop or a request handler (or matched with `regexp.MatchString`, which compiles each time) redoes that work on every iteration or request and feeds the garbage collector for nothing.",
    fix: "Compile the pattern once, in a package-level `var re = regexp.MustCompile(…)` (or lazily with `sync.OnceValue`), and call its methods where the pattern was compiled.",
    bad: `func validUser(w http.ResponseWriter, r *http.Request) {
	re := regexp.MustCompile(\`^[a-z][a-z0-9_]{2,31}$\`)
	if !re.MatchString(r.FormValue("user")) {
		http.Error(w, "bad user name", http.StatusBadRequest)
	}
}`,
    good: `var userName = regexp.MustCompile(\`^[a-z][a-z0-9_]{2,31}$\`)

func validUser(w http.ResponseWriter, r *http.Request) {
	if !userName.MatchString(r.FormValue("user")) {
		http.Error(w, "bad user name", http.StatusBadRequest)
	}
}`,
    suggestion: "none",
    // A test compiles its patterns a few times per run; nothing there is a hot path.
    inTests: "skip",
  },
  // Every finding is a call `regexp.<name>(…)` spelled with one of these names.
  triggers: [...COMPILES, ...MATCHES],
  check(ctx) {
    const file = ctx.file;
    for (const call of ctx.nodes("call_expression")) {
      const name = file.imports.match(call, "regexp", [...COMPILES, ...MATCHES]);
      if (!name || qualifierIsLocal(call)) continue;
      const pattern = callParts(call).args[0];
      if (!pattern || !isConstantString(pattern, file)) continue;
      const fn = enclosingFunction(call);
      // Package-level initializers (also through a func literal called there) run once.
      if (!fn || outermostFunction(call)?.type === "func_literal") continue;
      const loop = repeatingLoop(call);
      const compiles = COMPILES.includes(name);
      if (!loop) {
        if (runsOnce(call, file)) continue;
        // Kept by whoever called: a constructor of a matcher, or a lazily filled cache.
        if (compiles && keptBeyondCall(call, file)) continue;
      }
      const handler = loop ? undefined : servingFunction(call, file);
      const where = loop ? `on every iteration of the loop at line ${ctx.lineOf(loop)}` : handler ? `on every request \`${handler}\` serves` : `on every call of \`${nameOf(fn)}\``;
      const what = compiles
        ? `\`${callSummary(call)}\` compiles the same constant pattern ${where}`
        : `\`${callSummary(call)}\` compiles its constant pattern again ${where} (\`regexp.${name}\` does not cache it)`;
      ctx.report({
        node: call,
        // Outside loops and handlers the function may well run rarely: a hint, not a warning.
        ...(loop || handler ? {} : { severity: "info" as const }),
        message: `${what}: each compilation parses the pattern and builds its program, allocating far more than the match itself. Compile it once in a package-level \`var\` (\`regexp.MustCompile\`) and use that.`,
      });
    }
  },
};

/** A string literal, a string constant, or a `+` of those. */
function isConstantString(e: GoNode, file: FileScope): boolean {
  const u = unparen(e);
  if (!u) return false;
  if (u.type === "interpreted_string_literal" || u.type === "raw_string_literal") return true;
  if (u.type === "binary_expression" && u.child("operator")?.text === "+") return isConstantString(u.child("left")!, file) && isConstantString(u.child("right")!, file);
  if (u.type === "identifier") return !!constantSpecOf(u, file);
  return false;
}

/** The innermost loop that runs the call again: in its own function, or around the func literal that holds it. */
function repeatingLoop(call: GoNode): GoNode | undefined {
  let inner: GoNode = call;
  for (;;) {
    const cfg = cfgAround(inner);
    const node = cfg?.nodeOf(inner);
    if (cfg && node && cfg.canRepeat(node)) {
      for (const a of inner.ancestors()) {
        if (a === cfg.fn) break;
        if (a.type === "for_statement") return a;
      }
      return undefined;
    }
    const fn = enclosingFunction(inner);
    // A func literal runs each time the statement that holds it runs (called in place, deferred or started).
    if (!fn || fn.type !== "func_literal") return undefined;
    inner = fn;
  }
}

/** Code that runs once: `init`, main's body outside loops, `sync.Once`, `sync.OnceValue(s)`/`OnceFunc`. */
function runsOnce(call: GoNode, file: FileScope): boolean {
  const top = outermostFunction(call);
  if (top?.type === "function_declaration" && functionName(top) === "init") return true;
  if (runsOnceInMain(call) || runsOncePerProcess(call, file)) return true;
  for (const a of call.ancestors()) {
    if (a.type !== "func_literal") continue;
    let e = a;
    while (e.parent?.type === "parenthesized_expression") e = e.parent;
    const holder = e.parent?.type === "argument_list" ? e.parent.parent : undefined;
    if (!holder) continue;
    // `once.Do(func() { … })` on a field: once per object, the object keeps the result.
    if (callParts(holder).name === "Do" && callParts(holder).args.length === 1) return true;
    if (file.imports.match(holder, "sync", ["OnceValue", "OnceValues", "OnceFunc"])) return true;
  }
  return false;
}

/**
 * The compiled regexp outlives the call: returned, stored in a field, a package variable or a
 * composite literal (directly or through the local it is bound to).
 */
function keptBeyondCall(call: GoNode, file: FileScope): boolean {
  let e = call;
  while (e.parent?.type === "parenthesized_expression") e = e.parent;
  if (storedAway(e, file)) return true;
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== "expression_list" || list.field !== "right" || (stmt?.type !== "short_var_declaration" && stmt?.type !== "assignment_statement")) {
    if (stmt?.type === "var_spec") return stmt.childrenOf("name").some((n) => usesKeep(n, file));
    return false;
  }
  const targets = stmt.child("left")?.namedChildren ?? [];
  return targets.some((t) => {
    const target = unparen(t);
    if (target?.type !== "identifier") return target !== undefined;
    if (target.text === "_") return false;
    const decl = stmt.type === "short_var_declaration" ? target : declarationOf(target);
    // A package-level variable assigned here: a cache filled once.
    return !decl || usesKeep(decl, file);
  });
}

function usesKeep(decl: GoNode, file: FileScope): boolean {
  const fn = enclosingFunction(decl);
  if (!fn) return true;
  for (const id of fn.descendants("identifier")) {
    if (id === decl || id.text !== decl.text || declarationOf(id) !== decl) continue;
    if (storedAway(id, file)) return true;
  }
  return false;
}

/** Returned, sent, appended, or put into a field, a map, a package-level variable or a composite literal. */
function storedAway(e: GoNode, file: FileScope): boolean {
  const p = e.parent;
  if (!p) return false;
  if (p.type === "return_statement" || p.type === "literal_element" || p.type === "keyed_element") return true;
  if (p.type === "send_statement") return e.field === "value";
  if (p.type === "argument_list") return callParts(p.parent!).name === "append";
  if (p.type !== "expression_list") return false;
  if (p.parent?.type === "return_statement") return true;
  if (p.field !== "right" || p.parent?.type !== "assignment_statement") return false;
  const target = unparen(p.parent.child("left")?.namedChildren[p.namedChildren.indexOf(e)]);
  if (target?.type !== "identifier") return target !== undefined;
  return target.text !== "_" && !declarationOf(target) && !!file.packageLevel(target.text);
}

/** The name of the request-serving function the call runs in (it or a function around it takes a request, a ResponseWriter or a framework context). */
function servingFunction(call: GoNode, file: FileScope): string | undefined {
  for (const a of call.ancestors()) {
    if (!isFunction(a)) continue;
    if (parametersOf(a).some((p) => HANDLER_PARAMS.some(([path, name]) => file.imports.isType(p.type, path, name)))) return nameOf(a);
  }
  return undefined;
}

function nameOf(fn: GoNode): string {
  if (fn.type === "func_literal") return "the func literal";
  const recv = fn.child("receiver")?.namedChildren[0]?.child("type")?.text.replace(/^\*/, "");
  return recv ? `${recv}.${functionName(fn)}` : functionName(fn);
}

export default rule;
