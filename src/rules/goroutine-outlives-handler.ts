import { handsOutWait, waitFollows } from "../analysis/channels.js";
import type { GoNode } from "../analysis/node.js";
import { declarationOf } from "../analysis/scope.js";
import { enclosingFunction, functionName, parametersOf } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const rule: Rule = {
  meta: {
    id: "goroutine-outlives-handler",
    category: "leak-goroutine",
    severity: "error",
    title: "goroutine uses the ResponseWriter or request body after the handler returns",
    rationale:
      "net/http considers a request finished as soon as the handler returns: it flushes and recycles the response, closes the request body and may reuse the connection. A goroutine that still holds the ResponseWriter or `r.Body` then writes into or reads from a response that is no longer its own, which races, loses data or panics, and keeps the request's buffers reachable.",
    fix: "Finish the work before returning (wait for the goroutine with a WaitGroup or a done channel), or copy what the goroutine needs out of the request and let it report somewhere other than the ResponseWriter.",
    bad: `func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	go func() {
		data := s.buildReport()
		w.Write(data) // the handler has already returned
	}()
}`,
    good: `func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Write(s.buildReport())
	}()
	<-done
}`,
    suggestion: "none",
    // In tests: test handlers serve a few requests in a short-lived process.
    inTests: "skip",
  },
  // It starts from a go statement whose enclosing function (in the same declaration) has a parameter
  // of the qualified type `http.ResponseWriter` (any import alias): `ResponseWriter` is always there.
  triggers: ["ResponseWriter"],
  check(ctx) {
    for (const go of ctx.nodes("go_statement")) {
      const fn = enclosingFunction(go);
      if (!fn) continue;
      let writer: GoNode | undefined;
      let request: GoNode | undefined;
      for (const p of parametersOf(fn)) {
        if (!p.name || p.name.text === "_") continue;
        if (ctx.file.imports.isType(p.type, "net/http", "ResponseWriter")) writer ??= p.name;
        else if (p.type?.type === "pointer_type" && ctx.file.imports.isType(p.type, "net/http", "Request")) request ??= p.name;
      }
      if (!writer) continue;
      const use = handlerStateUse(go, writer, request);
      if (!use || waitFollows(go, fn)) continue;
      // A helper that takes the writer but not the request and returns the way to wait for the
      // goroutine (a func that waits, its done channel): the handler that calls it waits.
      if (!request && handsOutWait(go, fn)) continue;
      const handler = functionName(fn);
      ctx.report({
        node: go,
        message: `This goroutine uses \`${use.text}\`, but ${handler ? `\`${handler}\`` : "the handler"} returns without waiting for it: after that, net/http finishes the response and closes the request body, so the goroutine writes to or reads from a request that is no longer its own.`,
        related: [{ node: use, message: `\`${use.text}\` used in the goroutine` }],
      });
    }
  },
};

/** The first reference, in the goroutine's literal or arguments, to the ResponseWriter or to `r.Body`. */
function handlerStateUse(go: GoNode, writer: GoNode, request: GoNode | undefined): GoNode | undefined {
  for (const id of go.descendants("identifier")) {
    const decl = declarationOf(id);
    if (decl === writer) return id;
    if (request && decl === request) {
      const sel = id.parent;
      if (sel?.type === "selector_expression" && id.field === "operand" && sel.child("field")?.text === "Body") return sel;
    }
  }
  return undefined;
}

export default rule;
