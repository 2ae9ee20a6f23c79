/**
 * Lifetime contracts through the CLI: the README's example package reports exactly what the
 * README says, `review` reads the contracts and package state of files the change does not touch
 * from disk, and contract coverage appears in the text and JSON output.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonReport } from "../../src/cli/format/json.js";
import { cleanTempDirs, commitAll, makeRepo, runCli, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const WIRE = new URL("../fixtures/contracts/wire/", import.meta.url);
const wireFiles = Object.fromEntries(readdirSync(WIRE).map((name) => [`internal/wire/${name}`, readFileSync(new URL(name, WIRE), "utf8")]));
const REQUIRE = '.github/memlint.yml';
const requireWire = 'contracts:\n  require: ["internal/wire/**"]\n';

/** `line:rule` of each introduced finding of a JSON report. */
const marks = (report: JsonReport) => report.findings.introduced.map((f) => `${f.path}:${f.line}:${f.ruleId}`);

describe("lifetime contracts in the CLI", () => {
  it("the README's example: each commented line is reported with its rule, nothing else", async () => {
    const dir = makeRepo({ ...wireFiles, [REQUIRE]: requireWire });
    const r = await runCli(["check", "./...", "--format", "json"], dir);
    const report = JSON.parse(r.stdout) as JsonReport;
    // The lines that carry a `// contract-…` comment in the example are exactly the findings.
    const commented = Object.entries(wireFiles).flatMap(([path, text]) =>
      text.split("\n").flatMap((line, i) => {
        const m = /\/\/ (contract-[a-z-]+)/.exec(line);
        return m ? [`${path}:${i + 1}:${m[1]}`] : [];
      }),
    );
    expect(commented).toHaveLength(3);
    expect(marks(report).sort()).toEqual(commented.sort());
    expect(report.contractCoverage).toMatchObject({ functions: 5, covered: 5, waived: 0 });
    expect(r.code).toBe(1);
  });

  it("review: a borrowed buffer stored in a package-level cache of another file, and coverage of what the change adds", async () => {
    const cache = 'package wire\n\nimport "sync"\n\nvar (\n\tmu         sync.Mutex\n\tlastFrames = map[string][]byte{}\n)\n\nfunc Forget(id string) {\n\tmu.Lock()\n\tdefer mu.Unlock()\n\tdelete(lastFrames, id)\n}\n';
    const remember = (store: string) =>
      `package wire\n\n// Remember notes the last frame a session saw.\n//\n//memlint:borrow payload\nfunc Remember(id string, payload []byte) {\n\tmu.Lock()\n\tdefer mu.Unlock()\n\tlastFrames[id] = ${store}\n}\n`;
    const dir = makeRepo({ "internal/wire/cache.go": cache, "internal/wire/remember.go": remember("append([]byte(nil), payload...)"), [REQUIRE]: requireWire });
    writeFiles(dir, { "internal/wire/remember.go": `${remember("payload[:16]")}\n// Peek looks at a frame.\nfunc Peek(buf []byte, into *Header) byte { return buf[0] }\n\ntype Header struct{ Kind byte }\n` });
    commitAll(dir);
    const text = await runCli(["review", "--base", "HEAD~1"], dir);
    expect(text.stdout).toContain(
      "internal/wire/remember.go:9:2: error contract-borrow-escapes: `payload` is borrowed (`//memlint:borrow payload`, line 5) but `lastFrames[id] = payload[:16]` stores it in the package-level variable `lastFrames`, which lives for `process`",
    );
    expect(text.stdout).toContain("contract coverage: 1 of 2 exported functions covered\n  internal/wire/remember.go:13: Peek: no contract for buf, into\n");
    const json = JSON.parse((await runCli(["review", "--base", "HEAD~1", "--format", "json"], dir)).stdout) as JsonReport;
    expect(json.contractCoverage?.entries).toEqual([
      { path: "internal/wire/remember.go", function: "Remember", line: 6, status: "covered", uncovered: [] },
      { path: "internal/wire/remember.go", function: "Peek", line: 13, status: "missing", uncovered: ["buf", "into"] },
    ]);
  });

  it("no coverage is reported where contracts are not required", async () => {
    const dir = makeRepo(wireFiles);
    const report = JSON.parse((await runCli(["check", "./...", "--format", "json"], dir)).stdout) as JsonReport;
    expect(report.contractCoverage).toBeNull();
    expect((await runCli(["check", "./..."], dir)).stdout).not.toContain("contract coverage");
  });
});
