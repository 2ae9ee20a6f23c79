import { firstUncheckedAccess } from "../contracts/bounds.js";
import { contractOf } from "../contracts/calls.js";
import { directiveRef, snippet } from "../contracts/messages.js";
import type { ContractSettings } from "../contracts/settings.js";
import type { Rule } from "../engine/types.js";

/** contract-bounds-unchecked, built with the configured contract settings. */
export default function contractBoundsUnchecked(settings: ContractSettings): Rule {
  return {
    meta: {
      id: "contract-bounds-unchecked",
      category: "contract",
      severity: "warning",
      title: "slice accessed before the bounds check its contract promises",
      rationale:
        "`//memlint:bounds s n` documents that the function checks `len(s)` against `n` before touching `s[0:n]`. An index or slice expression evaluated before that check panics on a short input — a truncated frame or a malicious header — and takes the goroutine (often the whole server) down.",
      fix: "Compare `len(s)` with `n` first and return an error when it is too short, or clamp `n` to `len(s)` before the first access.",
      bad: `// ParseHeader reads the fixed header.
//
//memlint:bounds b 12
func ParseHeader(b []byte) (Header, error) {
	h := Header{Kind: b[0], Len: binary.BigEndian.Uint32(b[4:8])} // b may be short
	return h, nil
}`,
      good: `// ParseHeader reads the fixed header.
//
//memlint:bounds b 12
func ParseHeader(b []byte) (Header, error) {
	if len(b) < 12 {
		return Header{}, io.ErrUnexpectedEOF
	}
	return Header{Kind: b[0], Len: binary.BigEndian.Uint32(b[4:8])}, nil
}`,
      suggestion: "none",
      // In tests: a declared contract holds in tests too.
      inTests: "report",
    },
    // Reports only from a function whose own doc comment has a `//memlint:bounds` directive.
    triggers: ["memlint"],
    check(ctx) {
      for (const fn of ctx.nodes("function_declaration", "method_declaration")) {
        const contract = contractOf(fn, settings.scopes, ctx.file);
        if (contract.bounds.length === 0) continue;
        const found = firstUncheckedAccess(fn, contract, ctx.file);
        if (!found) continue;
        const { access, bounds } = found;
        ctx.report({
          node: access,
          message: `\`${snippet(access)}\` is evaluated before \`len(${bounds.slice})\` is checked against \`${bounds.length}\`: ${directiveRef(bounds.comment, ctx.lineOf)} promises the check comes first, and a short \`${bounds.slice}\` panics here. Return early when \`len(${bounds.slice}) < ${bounds.length}\`, or clamp first.`,
          related: [{ node: bounds.comment, message: "the bounds contract" }],
        });
      }
    },
  };
}

