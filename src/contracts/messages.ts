/** Wording shared by the contract rules: directive references, code snippets, where a sink keeps a value. */
import type { GoNode } from "../analysis/node.js";
import type { FlowEvent } from "./flow.js";

/** Code for a message: a node's text when it is short and on one line, else `f(…)` for a call or its first line shortened. */
export function snippet(node: GoNode, max = 60): string {
  const text = node.text;
  if (!text.includes("\n") && text.length <= max) return text;
  if (node.type === "call_expression") {
    const fn = node.child("function")?.text ?? "";
    if (!fn.includes("\n") && fn.length <= max) return `${fn}(…)`;
  }
  const line = (text.split("\n")[0] ?? text).replace(/\s*\/\/.*$/, "").trimEnd();
  return line.length > max ? `${line.slice(0, max - 1)}…` : `${line} …`;
}

/** The directive itself, without a trailing comment: `//memlint:borrow buf`. */
export function directiveText(comment: GoNode): string {
  return comment.text.replace(/\s+\/\/.*$/, "").trim();
}

/** "`//memlint:borrow buf`, line 12" (the line when the directive is in this file). */
export function directiveRef(comment: GoNode | undefined, lineOf: ((node: GoNode) => number) | undefined): string {
  if (!comment) return "its contract";
  const text = `\`${directiveText(comment)}\``;
  return lineOf ? `${text}, line ${lineOf(comment)}` : text;
}

/** What a flow event does with the value: "stores it in the receiver `c`, which lives for `process`". */
export function sinkPhrase(event: FlowEvent): string {
  const { sink } = event;
  const lives = `which lives for \`${sink.scope}\`${sink.declared ? "" : " (it has no lifetime directive)"}`;
  switch (sink.kind) {
    case "package":
      return `stores it in ${sink.where}, which lives for \`${sink.scope}\``;
    case "parameter":
    case "receiver":
      return `stores it in ${sink.where}, ${lives}`;
    case "send":
      return `sends it on ${sink.where}, whose receiver may keep it for \`${sink.scope}\``;
    case "go":
      return `hands it to ${sink.where}`;
    case "callback":
      return `captures it in ${sink.where}`;
    case "container":
      return `puts it in ${sink.where}, ${lives}`;
    case "callee":
      return `passes it to ${sink.where}`;
    case "return":
      return "returns it to the caller";
  }
}
