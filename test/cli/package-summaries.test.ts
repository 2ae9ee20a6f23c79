/** The CLI's saved package summaries: what is read back is what was saved. */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { noReads, PackageSummaryStore } from "../../src/cli/package-summaries.js";
import { summarize, SummaryLookup } from "../../src/engine/package-summary.js";
import { cleanTempDirs, tempDir } from "./helpers.js";

afterAll(cleanTempDirs);

const FILES: Record<string, string> = {
  "svc/store.go": 'package svc\n\nimport (\n\t"context"\n\t"database/sql"\n)\n\ntype Store struct{ db *sql.DB }\n\nfunc (s *Store) Rows(ctx context.Context) (*sql.Rows, error) {\n\treturn s.db.QueryContext(ctx, "SELECT 1")\n}\n',
  "svc/pool.go": "package svc\n\nvar bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\nfunc (a, b Pipe) Flush() {}\n",
  "svc/empty.go": "package svc\n",
};

describe("PackageSummaryStore", () => {
  it("reads back each file's summary as it was made, words in any order", () => {
    const store = new PackageSummaryStore(tempDir("memlint-summaries-"));
    const made = new Map(Object.entries(FILES).map(([path, text]) => [path, { version: `v-${path}`, summary: summarize(text) }]));
    store.write("/repo", "svc", made);

    const reads = noReads();
    const back = store.read("/repo", "svc", reads);
    expect(reads.summaryBytes).toBeGreaterThan(0);
    expect([...back.keys()].sort()).toEqual([...made.keys()].sort());
    for (const [path, { version, summary }] of made) {
      const read = back.get(path)!;
      expect(read.version).toBe(version);
      const { words, sharedWords, ...rest } = read.summary;
      const { words: madeWords, ...madeRest } = summary;
      expect(rest).toEqual(madeRest);
      expect([...words].sort()).toEqual([...madeWords].sort());
      // The directory's words hold the file's, and answer as the file's own would.
      for (const w of madeWords) expect(sharedWords).toContain(`\n${w}\n`);
      const lookup = new SummaryLookup(read.summary);
      const original = new SummaryLookup(summary);
      for (const text of ["Pool", "QueryContext", '"database/sql"', "memlint:owned", ".Flush()", "Rows", "ctx"]) {
        expect(lookup.contains(text), `${path}: ${text}`).toBe(original.contains(text));
      }
    }
    expect(store.read("/repo", "other", noReads()).size).toBe(0);
  });

  it("reads a damaged directory file as no summaries (its files are then read again), never as wrong ones", () => {
    const dir = tempDir("memlint-summaries-");
    const store = new PackageSummaryStore(dir);
    store.write("/repo", "svc", new Map([["svc/pool.go", { version: "v1", summary: summarize(FILES["svc/pool.go"]!) }]]));
    const [name] = readdirSync(dir);
    const file = join(dir, name!);
    const saved = JSON.parse(brotliDecompressSync(readFileSync(file)).toString("utf8")) as { files: Record<string, { words: unknown }> };
    saved.files["svc/pool.go"]!.words = [3, 1, 4];
    writeFileSync(file, brotliCompressSync(JSON.stringify(saved)));
    expect(store.read("/repo", "svc", noReads()).size).toBe(0);
    writeFileSync(file, "not brotli");
    expect(store.read("/repo", "svc", noReads()).size).toBe(0);
  });
});
