import type { GoNode } from "../analysis/node.js";
import { callSummary } from "../analysis/syntax.js";
import { directiveRef } from "../contracts/messages.js";
import { firstUseAfterMove, movesOf } from "../contracts/moves.js";
import type { ContractSettings } from "../contracts/settings.js";
import type { Rule } from "../engine/types.js";

/** contract-use-after-move, built with the configured contract settings. */
export default function contractUseAfterMove(settings: ContractSettings): Rule {
  return {
    meta: {
      id: "contract-use-after-move",
      category: "contract",
      severity: "error",
      title: "value used after it was moved to an owned parameter",
      rationale:
        "Passing `x` to a parameter marked `//memlint:owned` hands it over: the callee may keep it, queue it for another goroutine, or return it to a pool and give it to someone else. When the caller keeps reading or writing `x` afterwards, both sides use the same memory at once, which shows up as corrupted or interleaved data.",
      fix: "Finish using `x` before the call, pass a copy if the caller still needs the data, or assign `x` a new value before using it again.",
      bad: `// Enqueue hands buf to the writer goroutine.
//
//memlint:owned buf
func (w *Writer) Enqueue(buf []byte) { w.queue <- buf }

func (s *Session) flush(w *Writer) {
	w.Enqueue(s.buf)
	s.buf = s.buf[:0] // still the buffer the writer is sending
}`,
      good: `func (s *Session) flush(w *Writer) {
	w.Enqueue(s.buf)
	s.buf = make([]byte, 0, 4096) // a new buffer for the session
}`,
      suggestion: "none",
      // In tests: using a value after giving it away is a bug in tests too.
      inTests: "report",
    },
    // A move needs an `owned` contract somewhere in the package (the check's own guard). A call names
    // its callee, but so does the callee's own declaration: a list of names would parse about as much.
    triggers: (ctx) => (ctx.packageContains("memlint:owned") ? undefined : []),
    check(ctx) {
      // Moves need an `owned` contract in the package: resolving every call is the rule's cost.
      if (!ctx.file.packageContains("memlint:owned")) return;
      for (const call of ctx.nodes("call_expression")) {
        for (const move of movesOf(call, ctx.file, settings.scopes)) {
          const use = firstUseAfterMove(move, ctx.file);
          if (!use) continue;
          const moved = move.path.length > 0 ? `${move.decl.text}.${move.path.join(".")}` : move.decl.text;
          const origin = move.callee.contract.origin.get(move.param);
          const ref = directiveRef(origin, move.callee.sameFile ? ctx.lineOf : undefined);
          const related = [{ node: move.call, message: `\`${moved}\` is moved here` }];
          if (origin && move.callee.sameFile) related.push({ node: origin, message: `the contract of \`${move.callee.label}\`` });
          ctx.report({
            node: anchorOf(use),
            message: `\`${moved}\` is used after \`${callSummary(move.call)}\` (line ${ctx.lineOf(move.call)}) moved it: \`${move.callee.label}\` takes ownership of \`${move.param}\` (${ref}) and may still be using or recycling that memory. Finish with \`${moved}\` before the call, pass a copy, or give it a new value first.`,
            related,
          });
        }
      }
    },
  };
}

/** The node to anchor a use on: the call it is an argument or receiver of, the selector it starts, else the identifier. */
function anchorOf(use: GoNode): GoNode {
  let e = use;
  while (e.parent?.type === "selector_expression" && e.field === "operand") e = e.parent;
  const p = e.parent;
  if (e !== use && p?.type === "call_expression" && e.field === "function") return p;
  if (p?.type === "argument_list" && p.parent?.type === "call_expression") return p.parent;
  return e;
}

