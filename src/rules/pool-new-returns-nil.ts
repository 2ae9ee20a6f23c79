import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { poolCallsOf, poolGet, poolNewOf, type PoolBinding } from "../analysis/pools.js";
import { ownDescendants, unparen } from "../analysis/syntax.js";
import type { Rule } from "../engine/types.js";

const NEW = ["New"];
/** `New: …` in a pool literal, `p.New = …`. */
const POOL_NEW = /\bNew\s*:|\.\s*New\s*=(?!=)/;

const rule: Rule = {
  meta: {
    id: "pool-new-returns-nil",
    category: "pool",
    severity: "error",
    title: "sync.Pool New returns nil",
    rationale:
      "When a pool is empty, Get calls New and returns whatever it gives back. If New can return nil, Get returns a nil interface, and the usual single-value assertion `p.Get().(*T)` panics on it. The panic shows up only when the pool happens to be empty (after a GC cleared it, or on a processor whose local cache is empty) and New takes the nil path, so tests rarely catch it.",
    fix: "Make New return a usable zero object (`new(T)`, `&T{}`), or handle the nil case at every Get with the comma-ok form.",
    bad: `var connPool = sync.Pool{
	New: func() any {
		c, err := dial()
		if err != nil {
			return nil
		}
		return c
	},
}

func send(msg []byte) error {
	c := connPool.Get().(*Conn) // panics when New returned nil
	defer connPool.Put(c)
	return c.Write(msg)
}`,
    good: `var connPool = sync.Pool{
	New: func() any {
		c, err := dial()
		if err != nil {
			return nil
		}
		return c
	},
}

func send(msg []byte) error {
	c, ok := connPool.Get().(*Conn)
	if !ok {
		return errNoConn // New could not dial
	}
	defer connPool.Put(c)
	return c.Write(msg)
}`,
    suggestion: "none",
    // In tests: a nil from New panics in tests too.
    inTests: "report",
  },
  // Findings start from a `New: func…` keyed element or a `P.New = func…` assignment (`poolNewOf`): `New` is always written there.
  triggers: (ctx) => (ctx.packageContains("Pool") ? NEW : []),
  triggerTest: (text) => POOL_NEW.test(text),
  check(ctx) {
    for (const node of ctx.nodes("keyed_element", "assignment_statement")) {
      const found = poolNewOf(node, ctx.file);
      if (!found?.binding) continue;
      const returns = ownDescendants(found.func, "return_statement").filter(returnsNil);
      if (returns.length === 0) continue;
      const get = uncheckedGet(found.binding, ctx.file);
      if (!get) continue;
      const pool = poolName(found.binding);
      const assertion = get.text.length <= 60 && !get.text.includes("\n") ? `\`${get.text}\`` : "a single-value assertion on Get's result";
      for (const ret of returns) {
        ctx.report({
          node: ret,
          message: `The \`New\` func of ${pool} returns nil here, but ${assertion} (line ${ctx.lineOf(get)}) asserts Get's result without a check: when the pool is empty and New takes this path, Get returns nil and the assertion panics. Return a usable object, or use the comma-ok form at every Get.`,
          related: [{ node: get, message: "single-value assertion on Get's result" }],
        });
      }
    }
  },
};

/** `return nil` (the only result). */
function returnsNil(ret: GoNode): boolean {
  const list = ret.namedChildren[0];
  const values = list?.type === "expression_list" ? list.namedChildren : list ? [list] : [];
  return values.length === 1 && unparen(values[0])?.type === "nil";
}

/** The first `P.Get().(T)` of this pool in the file that is not comma-ok: it panics on a nil Get. */
function uncheckedGet(binding: PoolBinding, file: FileScope): GoNode | undefined {
  for (const call of poolCallsOf(binding, file, ["Get"])) {
    const get = poolGet(call.call, file);
    if (get?.assertion && !get.commaOk) return get.assertion;
  }
  return undefined;
}

function poolName(binding: PoolBinding): string {
  return binding.kind === "field" ? `the pool in field \`${binding.name}\`` : `\`${binding.name}\``;
}

export default rule;
