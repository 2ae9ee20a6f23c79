import { describe, expect, it } from "vitest";
import { hasCommand, helpText, parseComment, type ParsedCommand, usageFor } from "../../src/commands/parse.js";

const opts = { minReasonLength: 10 };
const one = (body: string, options = opts): ParsedCommand => {
  const parsed = parseComment(body, options);
  expect(parsed).toHaveLength(1);
  return parsed[0]!;
};
const error = (body: string, options = opts): string => {
  const p = one(body, options);
  if (p.ok) throw new Error(`expected an error for ${body}`);
  return p.error;
};

describe("recognizing commands", () => {
  it("finds command lines, case-insensitively, with up to three spaces of indentation", () => {
    expect(hasCommand("/memlint help")).toBe(true);
    expect(hasCommand("Thanks!\n\n   /MemLint help")).toBe(true);
    expect(hasCommand("see /memlint help")).toBe(false); // not at the start of a line
    expect(hasCommand("/memlinting is fun")).toBe(false);
    expect(hasCommand("    /memlint help")).toBe(false); // an indented code block
    expect(hasCommand(null)).toBe(false);
  });

  it("ignores quotes and fenced code: quoting someone's command does not issue it", () => {
    expect(hasCommand("> /memlint ignore all -- quoted from above")).toBe(false);
    expect(hasCommand("```\n/memlint ignore all -- in a code block\n```")).toBe(false);
    expect(hasCommand("~~~~\n```\n/memlint help\n~~~~")).toBe(false);
    expect(hasCommand("```\ncode\n```\n/memlint help")).toBe(true);
  });

  it("reads several commands of one comment, in order", () => {
    const parsed = parseComment("/memlint ignore 7e11ac0a -- closed by the caller's defer\n/memlint recheck", opts);
    expect(parsed.map((p) => p.ok && p.command.name)).toEqual(["ignore", "recheck"]);
  });

  it("reads at most ten commands and says so", () => {
    const parsed = parseComment(Array.from({ length: 12 }, () => "/memlint help").join("\n"), opts);
    expect(parsed).toHaveLength(11);
    expect(parsed[10]).toMatchObject({ ok: false, error: expect.stringContaining("at most 10 commands") });
  });
});

describe("ignore", () => {
  it("the reply form: no target, the category defaults to fp", () => {
    expect(one("/memlint ignore -- the body is closed by the caller")).toEqual({
      ok: true,
      text: "/memlint ignore -- the body is closed by the caller",
      command: { name: "ignore", target: { kind: "thread" }, category: "fp", reason: "the body is closed by the caller" },
    });
  });

  it("a finding id (backticks and case tolerated), a rule id, all", () => {
    expect(one("/memlint ignore `7E11AC0A` -- closed by the caller").ok && (one("/memlint ignore `7E11AC0A` -- closed by the caller") as { command: unknown }).command).toMatchObject({
      target: { kind: "finding", id: "7e11ac0a" },
    });
    expect(one("/memlint ignore http-body-not-closed -- the client is a test double")).toMatchObject({ ok: true, command: { target: { kind: "rule", ruleId: "http-body-not-closed" } } });
    expect(one("/memlint ignore all -- release branch, tracked in JIRA-12")).toMatchObject({ ok: true, command: { target: { kind: "all" } } });
  });

  it("--as sets the category (also --as=, and false-positive as an alias)", () => {
    expect(one("/memlint ignore all --as accepted-risk -- bounded by the batch size")).toMatchObject({ ok: true, command: { category: "accepted-risk" } });
    expect(one("/memlint ignore --as=test-only -- only used by the tests")).toMatchObject({ ok: true, command: { category: "test-only", target: { kind: "thread" } } });
    expect(one("/memlint ignore --as false-positive -- the analysis misses the defer")).toMatchObject({ ok: true, command: { category: "fp" } });
    expect(error("/memlint ignore --as wontfix -- the analysis misses the defer")).toContain("unknown category `wontfix`: use fp (false positive, the default), accepted-risk or test-only");
    expect(error("/memlint ignore --as -- the analysis misses the defer")).toContain("`--as` needs a category");
  });

  it("the reason runs to the end of the paragraph; an em dash works as the separator", () => {
    expect(one("/memlint ignore — the body is closed\nby the caller's defer\n\nThanks for the review!")).toMatchObject({
      ok: true,
      command: { reason: "the body is closed by the caller's defer" },
    });
  });

  it("refuses a missing reason, a short reason, a placeholder, and says how to write it", () => {
    expect(error("/memlint ignore 7e11ac0a")).toBe("missing reason: end the command with ` -- ` and why the finding does not apply");
    expect(error("/memlint ignore 7e11ac0a --")).toContain("missing reason");
    expect(error("/memlint ignore 7e11ac0a because it is fine")).toBe("missing ` -- ` before the reason: write the target, then ` -- `, then why");
    expect(error("/memlint ignore -- ok")).toBe(
      "the reason is too short (2 characters; this repository requires at least 10): say why the finding does not apply",
    );
    expect(one("/memlint ignore -- ok", { minReasonLength: 2 }).ok).toBe(true);
    expect(error("/memlint ignore -- <reason>")).toBe("replace `<reason>` with the actual reason");
    expect(error("/memlint ignore --reason the body is closed")).toContain("the reason goes after a standalone `--`");
  });

  it("refuses unknown targets precisely", () => {
    expect(error("/memlint ignore 7e1 -- closed by the caller")).toContain("`7e1` is not a finding id");
    expect(error("/memlint ignore http-body-not-closd -- closed by the caller")).toBe("unknown rule id `http-body-not-closd` — did you mean `http-body-not-closed`?");
    expect(error("/memlint ignore whatever -- closed by the caller")).toContain("is neither a finding id");
    expect(error("/memlint ignore a1b2c3d4 e5f6a7b8 -- closed by the caller")).toContain("one target");
  });

  it("keeps user text out of code-span breakouts in errors (no backticks from the user)", () => {
    expect(error("/memlint ignore x`@acme/all`y -- closed by the caller")).not.toContain("`@");
  });
});

describe("the other commands", () => {
  it("unignore: a target or the thread, no options, an optional note", () => {
    expect(one("/memlint unignore 7e11ac0a")).toMatchObject({ ok: true, command: { name: "unignore", target: { kind: "finding", id: "7e11ac0a" } } });
    expect(one("/memlint unignore")).toMatchObject({ ok: true, command: { name: "unignore", target: { kind: "thread" } } });
    expect(one("/memlint unignore all -- we fixed the client")).toMatchObject({ ok: true, command: { target: { kind: "all" }, note: "we fixed the client" } });
    expect(error("/memlint unignore --as fp all")).toContain("unignore takes no options");
  });

  it("recheck and help (extra words are harmless), explain with a known rule", () => {
    expect(one("/memlint recheck please")).toMatchObject({ ok: true, command: { name: "recheck" } });
    expect(one("/memlint help")).toMatchObject({ ok: true, command: { name: "help" } });
    expect(one("/memlint explain defer-in-loop")).toMatchObject({ ok: true, command: { name: "explain", ruleId: "defer-in-loop" } });
    expect(error("/memlint explain")).toBe("say which rule to explain");
    expect(error("/memlint explain defer-in-lop")).toContain("did you mean `defer-in-loop`?");
  });

  it("an unknown or missing command suggests the right one", () => {
    expect(error("/memlint ignor -- the body is closed")).toContain("unknown command `ignor` — did you mean `ignore`?");
    expect(error("/memlint")).toContain("needs a command");
    expect(one("/memlint rechek")).toMatchObject({ ok: false, error: expect.stringContaining("did you mean `recheck`?") });
  });

  it("usage lines: the reply form is shown with ignore", () => {
    expect(usageFor("ignore")).toEqual([
      "/memlint ignore <finding-id>|<rule-id>|all [--as fp|accepted-risk|test-only] -- <reason>",
      "/memlint ignore [--as fp|accepted-risk|test-only] -- <reason>   (as a reply to a memlint comment)",
    ]);
    expect(usageFor(undefined)).toHaveLength(5);
    expect(helpText(opts)).toContain("at least 10 characters");
  });
});
