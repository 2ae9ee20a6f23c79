/** The directory journal's owed check runs: claimed by one process, never lost to a crash. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileJournal, type OwedCheck, owedKey } from "../../src/runtime/inflight.js";

function owed(dueAt: number): OwedCheck {
  return {
    key: owedKey("acme", "payments", "9f1c2d3"),
    owner: "acme",
    repo: "payments",
    pullNumber: 42,
    headSha: "9f1c2d3",
    completion: { conclusion: "failure", output: { title: "2 blocking findings (production)", summary: "…" } },
    attempts: 0,
    dueAt,
    sweepUntil: dueAt,
    createdAt: new Date(0).toISOString(),
  };
}

describe("FileJournal: owed check runs", () => {
  it("hands a due entry to one claim, keeps it while it is tried, and forgets it once discharged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "memlint-journal-"));
    const journal = new FileJournal(dir);
    await journal.owe(owed(1000));
    expect(await journal.claimDue(999)).toEqual([]);
    expect((await journal.claimDue(1000)).map((e) => e.headSha)).toEqual(["9f1c2d3"]);
    expect(await journal.claimDue(5000)).toEqual([]); // claimed by this process
    expect(await journal.owes(owedKey("acme", "payments", "9f1c2d3"))).toBe(true);
    // A failed try records it again, due later.
    await journal.owe({ ...owed(7000), attempts: 1 });
    expect((await journal.claimDue(7000)).map((e) => e.attempts)).toEqual([1]);
    await journal.discharge(owed(0).key);
    expect(readdirSync(dir)).toEqual([]);
    expect(await journal.owes(owed(0).key)).toBe(false);
  });

  it("an entry claimed by a process that died is claimed again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "memlint-journal-"));
    const journal = new FileJournal(dir);
    await journal.owe(owed(0));
    // A process that exited: its pid is free (no process with it is running any more).
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const file = join(dir, readdirSync(dir)[0]!);
    renameSync(file, `${file}.claimed.${dead}`);
    expect((await journal.claimDue(0)).map((e) => e.headSha)).toEqual(["9f1c2d3"]);
    expect(existsSync(`${file}.claimed.${process.pid}`)).toBe(true);
  });
});
