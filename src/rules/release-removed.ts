import { cfgAround } from "../analysis/cfg.js";
import type { FileScope } from "../analysis/file.js";
import type { GoNode } from "../analysis/node.js";
import { accountFor, type Account, leakWhere, type ReleaseSpec, roleOf } from "../analysis/resources.js";
import { declarationOf, referencesOf } from "../analysis/scope.js";
import { bindingOfValue, callParts, callSummary, enclosingFunction, isFunction, unparen } from "../analysis/syntax.js";
import type { ChangeContext, Rule } from "../engine/types.js";

/** Methods that release what they are called on. */
const RELEASE_METHODS = ["Close", "Stop", "Wait", "Flush", "Release", "Cancel", "Shutdown", "Free", "Rollback"];
/** Locks and the calls that release them. */
const UNLOCKS: Readonly<Record<string, string>> = { Lock: "Unlock", RLock: "RUnlock" };

/**
 * A value is released by one of the methods above (on it or on its `Body`), by calling it (a
 * cancel func), by `C.free` of it, or by putting it back into a pool.
 */
const RELEASED: ReleaseSpec = {
  methods: RELEASE_METHODS,
  alsoVia: [["Body"]],
  isReleasingCall: (call, use) => {
    if (unparen(call.child("function")) === use) return true;
    const { receiver, name, args } = callParts(call);
    if (!args.some((a) => use.within(a))) return false;
    return name === "Put" || (name === "free" && receiver?.text === "C");
  },
};

const rule: Rule = {
  meta: {
    id: "release-removed",
    category: "leak-resource",
    severity: "warning",
    title: "a release the base version had is gone",
    rationale:
      "The base version of this function released a value it acquired (closed it, stopped it, called its cancel func, unlocked it, freed it, put it back) on every path, or on a path the change took away; the head still acquires it the same way but no longer releases it there. memlint does not need to know the value's type to see that: the code itself said the value needed releasing.",
    fix: "Restore the release on that path, usually as a `defer` right after the acquisition so that every later return is covered.",
    bad: `resp, err := c.Do(req)
if err != nil {
	return err
}
if resp.StatusCode != http.StatusOK {
	return errStatus // the base closed the body here
}
defer resp.Body.Close()`,
    good: `resp, err := c.Do(req)
if err != nil {
	return err
}
defer resp.Body.Close()
if resp.StatusCode != http.StatusOK {
	return errStatus
}`,
    suggestion: "none",
    // In tests: what a test no longer releases ends with its process.
    inTests: "skip",
  },
  // The base version spells the release; a declaration is compared when either version mentions one.
  triggers: [...RELEASE_METHODS, ...Object.values(UNLOCKS), "Put", "free", "cancel", "WithCancel", "WithTimeout", "WithDeadline"],
  checkChange(ctx) {
    const base = acquisitions(ctx.base.node, ctx.base.file);
    const seen = new Map<string, number>();
    for (const acq of acquisitions(ctx.head.node, ctx.head.file)) {
      const index = seen.get(acq.key) ?? 0;
      seen.set(acq.key, index + 1);
      const old = base.filter((b) => b.key === acq.key)[index];
      if (old) compare(ctx, old, acq);
    }
  },
};

/** Something a function acquires: a value bound from a call (`f, err := os.Open(p)`) or a composite literal, or a lock (`mu.Lock()`). */
interface Acquisition {
  /** What identifies it in both versions: the bound name and callee, or the lock. */
  key: string;
  /** The call that acquires it (the anchor). */
  call: GoNode;
  /** For a value: its variable and the error bound with it. */
  decl?: GoNode;
  err?: GoNode;
  /** For a lock: the receiver's text (`s.mu`) and the method that releases it. */
  lock?: { receiver: string; unlock: string };
}

function acquisitions(root: GoNode, file: FileScope): Acquisition[] {
  const out: Acquisition[] = [];
  for (const call of root.descendants("call_expression")) {
    const { receiver, name } = callParts(call);
    if (receiver && UNLOCKS[name] && call.parent?.type === "expression_statement" && callParts(call).args.length === 0) {
      out.push({ key: `lock ${receiver.text}.${name}`, call, lock: { receiver: receiver.text, unlock: UNLOCKS[name]! } });
      continue;
    }
    const binding = bindingOfValue(call);
    if (!binding || holdsNothingOwned(call, file)) continue;
    const callee = unparen(call.child("function"))?.text.split("\n")[0] ?? "";
    const last = binding.targets[binding.targets.length - 1];
    const err = binding.targets.length > 1 && last && /^err/i.test(last.text) ? last : undefined;
    // Every result the call binds may be what needs releasing: `ctx, cancel := context.WithCancel(…)`.
    for (const target of binding.targets) {
      if (target?.type !== "identifier" || target.text === "_" || target === err) continue;
      const decl = declarationOf(target);
      if (decl) out.push({ key: `${target.text}=${callee}`, call, decl, ...(err ? { err } : {}) });
    }
  }
  // A value built in place and set up by its methods (`mIter := &keyspanimpl.MergingIter{}`,
  // `mIter.Init(…)`): what the base released, the head must too.
  for (const literal of root.descendants("composite_literal")) {
    const value = literal.parent?.type === "unary_expression" && literal.parent.child("operator")?.text === "&" ? literal.parent : literal;
    const binding = bindingOfValue(value);
    const target = binding?.targets.length === 1 ? binding.targets[0] : undefined;
    const decl = target?.type === "identifier" && target.text !== "_" ? declarationOf(target) : undefined;
    if (decl) out.push({ key: `${target!.text}=${value.text.split("{")[0]}{}`, call: value, decl });
  }
  return out;
}

/**
 * Calls whose result holds nothing the caller must give back, however the base treated it: a
 * response read off a connection the caller owns (`http.ReadResponse`: no transport, no pooled
 * connection; a CONNECT tunnel's body must even stay open).
 */
function holdsNothingOwned(call: GoNode, file: FileScope): boolean {
  return file.imports.match(call, "net/http", ["ReadResponse"]) !== undefined;
}

/** Reports the head acquisition when the base released it where the head no longer does. */
function compare(ctx: ChangeContext, old: Acquisition, now: Acquisition): void {
  const before = releases(old, ctx.base.file);
  if (before.sites.length === 0) return;
  const after = releases(now, ctx.head.file);
  if (after.account.kind !== "leaks") return;
  // The base released it on every path, or the change removed a release the base had.
  if (after.sites.length >= before.sites.length && before.account.kind !== "released") return;
  const what = now.lock ? `\`${now.lock.receiver}\`` : `\`${now.decl!.text}\``;
  const released = firstLine(releaseCall(before.sites[0]!).text);
  const where = leakWhere(after.account.end, ctx.lineOf);
  const acquired = `\`${now.call.type === "call_expression" ? callSummary(now.call) : `${now.call.text.split("{")[0]}{…}`}\``;
  ctx.report({
    node: now.call,
    message:
      before.account.kind === "released"
        ? `The base version released ${what} from ${acquired} on every path (\`${released}\` at line ${ctx.baseLineOf(before.sites[0]!)} of the base); now it is not released ${where}. Restore the release there, or defer it right after the acquisition.`
        : `The base version released ${what} from ${acquired} ${placesOf(before.sites.length, released, ctx.baseLineOf(before.sites[0]!))}; this change removed ${removedOf(before.sites.length - after.sites.length, before.sites.length)}, and now it is not released ${where}.`,
    related: [{ node: after.account.end.node, message: `${what} is not released on this path` }],
  });
}

/** "at line 12 (`rc.Close()`)" or "in 3 places (`rc.Close()` at line 12, …)". */
function placesOf(count: number, first: string, line: number): string {
  return count === 1 ? `at line ${line} of the base (\`${first}\`)` : `in ${count} places (\`${first}\` at line ${line} of the base, …)`;
}

function removedOf(removed: number, of: number): string {
  return removed === of ? (of === 1 ? "that release" : "all of them") : `${removed} of them`;
}

/**
 * Where an acquisition is released in its version (release calls, deferred or not), and its
 * per-path account, made when first read: most values a base version binds are released nowhere,
 * and then their paths are not worth following.
 */
function releases(acq: Acquisition, file: FileScope): { sites: GoNode[]; readonly account: Account } {
  if (acq.lock) return lockReleases(acq.call, acq.lock);
  const fn = enclosingFunction(acq.call);
  const decl = acq.decl;
  if (!fn || !decl) return { sites: [], account: { kind: "unknown" } };
  const sites = referencesOf(decl).filter((use) => use.within(fn) && roleOf(use, file, RELEASED, fn, 2) === "release");
  let account: Account | undefined;
  return {
    sites,
    get account() {
      account ??= accountFor(decl, acq.call, file, RELEASED, { err: acq.err, handoffOnSuccess: true });
      return account;
    },
  };
}

/** The unlocks of `receiver` in the lock's function, and whether some path from the lock returns without one. */
function lockReleases(call: GoNode, lock: { receiver: string; unlock: string }): { sites: GoNode[]; account: Account } {
  const cfg = cfgAround(call);
  const start = cfg?.nodeOf(call);
  if (!cfg || !start) return { sites: [], account: { kind: "unknown" } };
  const sites = cfg.fn.descendants("call_expression").filter((c) => {
    const { receiver, name } = callParts(c);
    return name === lock.unlock && receiver?.text === lock.receiver && enclosingFunction(c) === cfg.fn;
  });
  const unlocking = new Set(sites.map((s) => cfg.nodeOf(s)));
  const path = cfg.pathFrom(start, { target: (n) => n === cfg.exit, blocks: (n) => unlocking.has(n) });
  if (!path) return { sites, account: { kind: "released" } };
  const last = path[path.length - 2]?.syntax;
  const body = cfg.fn.child("body");
  const end = last?.type === "return_statement" ? { kind: "return" as const, node: last } : { kind: "end" as const, node: body?.children[body.children.length - 1] ?? cfg.fn };
  return { sites, account: { kind: "leaks", end, partly: sites.length > 0 } };
}

/** The call that releases at a use: the outermost call of its statement around it (`resp.Body.Close()`, `C.free(unsafe.Pointer(p))`). */
function releaseCall(use: GoNode): GoNode {
  let call = use;
  for (const a of use.ancestors()) {
    if (a.parent?.type === "statement_list" || isFunction(a)) break;
    if (a.type === "call_expression") call = a;
  }
  return call;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}

export default rule;
