/**
 * What a review reads of the rest of a touched package, in bytes (never time): the first review
 * reads each other file once and saves its summary; later reviews read only the files whose
 * declarations the changed code refers to, and still get the findings that need them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectChange, packageLoaderFor } from "../../src/cli/change.js";
import { analyzeInputs } from "../../src/cli/analyze.js";
import { defaultSummaryStore, PackageSummaryStore } from "../../src/cli/package-summaries.js";
import type { Revision } from "../../src/cli/git.js";
import { defaultConfig } from "../../src/config/load.js";
import { initParser } from "../../src/engine/parser.js";
import { cleanTempDirs, commitAll, git, GO_MOD, makeRepo, runCli, tempDir } from "./helpers.js";

beforeAll(initParser);
afterAll(cleanTempDirs);

const STORE = `package svc

import (
	"context"
	"database/sql"
)

// Store keeps items in a database.
type Store struct {
	db *sql.DB
}

func (s *Store) listQuery(ctx context.Context) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, "SELECT id FROM items")
}
`;

const HANDLER = `package svc

import (
	"context"
	"strings"
)

func greeting(name string) string {
	return "hello " + name
}

func (s *Store) Count(ctx context.Context) (int, error) {
	return 0, nil
}
`;

/** A file of the package that no change refers to: a few functions with names of their own. */
function unrelated(n: number): string {
	const fns = Array.from({ length: 4 }, (_, i) => `
// describe${n}x${i} formats record ${i} of kind ${n}: its label, the sum of its
// characters and whether the label is too long to print in a table cell.
func describe${n}x${i}(id int, label string) string {
	total := 0
	for _, c := range label {
		total += int(c)
	}
	if len(label) > 40 {
		label = label[:40] + "…"
	}
	return fmt.Sprintf("kind-${n}-${i} %d %s %d", id, label, total)
}
`);
	return `package svc\n\nimport "fmt"\n${fns.join("")}`;
}

/** The repository: a package of a store, a handler, `changed` files a change edits and `others` it does not. */
function repository(changed: number, others: number): string {
	const files: Record<string, string> = { "go.mod": GO_MOD, "svc/store.go": STORE, "svc/handler.go": HANDLER };
	for (let n = 0; n < changed; n++) files[`svc/edited${n}.go`] = unrelated(100 + n);
	for (let n = 0; n < others; n++) files[`svc/other${n}.go`] = unrelated(n);
	return makeRepo(files);
}

const edit = (root: string, path: string, from: string, to: string) => {
	const text = readFileSync(join(root, path), "utf8");
	expect(text).toContain(from);
	writeFileSync(join(root, path), text.replace(from, to));
};

/** Reviews the working tree (or a commit) against `base` with summaries kept in `store`. */
async function review(root: string, base: string, store: PackageSummaryStore, revision: Revision = { kind: "worktree" }) {
	const inputs = await collectChange(root, base, revision);
	const loader = packageLoaderFor(root, revision, new Set(inputs.map((i) => i.path)), store);
	const result = await analyzeInputs(root, inputs, defaultConfig(), loader);
	const changedBytes = inputs.reduce((sum, i) => sum + Buffer.byteLength(i.head ?? ""), 0);
	return { result, reads: loader.reads, changedBytes };
}

const otherBytes = (root: string, others: number) => Array.from({ length: others }, (_, n) => Buffer.byteLength(unrelated(n))).reduce((a, b) => a + b, 0);

/** Turns greeting's body into another that uses nothing of the package. */
const selfContained = (root: string) => edit(root, "svc/handler.go", `return "hello " + name`, `return "hello, " + strings.TrimSpace(name)`);

/** Makes Count call the store's helper in store.go and leave its rows open. */
const callsSibling = (root: string) =>
	edit(
		root,
		"svc/handler.go",
		"\treturn 0, nil\n}",
		"\trows, err := s.listQuery(ctx)\n\tif err != nil {\n\t\treturn 0, err\n\t}\n\tn := 0\n\tfor rows.Next() {\n\t\tvar id int\n\t\tif err := rows.Scan(&id); err != nil {\n\t\t\treturn 0, err\n\t\t}\n\t\tn++\n\t}\n\treturn n, nil\n}",
	);

describe("bytes read of a touched package", () => {
	it("the first review reads each other file once; then a change that refers to nothing outside its file reads none", async () => {
		const root = repository(0, 12);
		const base = git(root, "rev-parse", "HEAD").trim();
		const store = new PackageSummaryStore(tempDir("memlint-summaries-"));
		selfContained(root);

		const cold = await review(root, base, store);
		expect(cold.reads.files).toBe(13); // store.go and the 12 others, each once
		expect(cold.reads.bytes).toBe(Buffer.byteLength(STORE) + otherBytes(root, 12));
		expect(cold.reads.summaryBytes).toBe(0);

		const warm = await review(root, base, store);
		expect(warm.reads.files).toBe(0);
		expect(warm.reads.bytes).toBe(0);
		expect(warm.reads.summaryBytes).toBeGreaterThan(0);
		expect(warm.result.introduced).toEqual(cold.result.introduced);
	});

	it("a change that calls a function of another file reads that file, and only it, and gets the finding that needs it", async () => {
		const root = repository(0, 12);
		const base = git(root, "rev-parse", "HEAD").trim();
		const store = new PackageSummaryStore(tempDir("memlint-summaries-"));
		selfContained(root);
		await review(root, base, store); // summaries saved
		callsSibling(root);

		const { result, reads } = await review(root, base, store);
		expect(reads).toMatchObject({ files: 1, bytes: Buffer.byteLength(STORE) });
		expect(result.introduced.map((f) => [f.ruleId, f.path, f.line])).toEqual([["sql-resource-not-closed", "svc/handler.go", 13]]);

		// The finding needs store.go: without the rest of the package there is none.
		const inputs = await collectChange(root, base);
		const alone = await analyzeInputs(root, inputs, defaultConfig(), () => undefined);
		expect(alone.introduced).toEqual([]);
	});

	it("a commit's files are known by their blob ids: a summary saved for one commit serves another where the file is the same", async () => {
		const root = repository(0, 12);
		const base = git(root, "rev-parse", "HEAD").trim();
		const store = new PackageSummaryStore(tempDir("memlint-summaries-"));
		selfContained(root);
		commitAll(root);
		const first = await review(root, base, store, { kind: "commit", sha: git(root, "rev-parse", "HEAD").trim() });
		expect(first.reads.files).toBe(13);
		callsSibling(root);
		commitAll(root);

		const { result, reads } = await review(root, base, store, { kind: "commit", sha: git(root, "rev-parse", "HEAD").trim() });
		expect(reads).toMatchObject({ files: 1, bytes: Buffer.byteLength(STORE) });
		expect(result.introduced.map((f) => f.ruleId)).toEqual(["sql-resource-not-closed"]);
	});

	it("a 10-file change that refers to no other file reads at most 1.5 times its bytes, summaries included", async () => {
		// Seven times the changed bytes in other files of the package, as measured on real 10-file changes.
		const root = repository(10, 80);
		const base = git(root, "rev-parse", "HEAD").trim();
		const store = new PackageSummaryStore(tempDir("memlint-summaries-"));
		for (let n = 0; n < 10; n++) edit(root, `svc/edited${n}.go`, `kind-${100 + n}-0`, `kind ${100 + n}/0`);
		await review(root, base, store);

		const { reads, changedBytes } = await review(root, base, store);
		expect(otherBytes(root, 80) + Buffer.byteLength(STORE + HANDLER)).toBeGreaterThan(7 * changedBytes);
		expect(reads.bytes).toBe(0);
		expect(changedBytes + reads.bytes + reads.summaryBytes).toBeLessThanOrEqual(1.5 * changedBytes);
	});

	it("review --verbose says what it read: the files once, then the summaries only (kept where MEMLINT_CACHE says)", async () => {
		const root = repository(0, 3);
		selfContained(root);
		const first = await runCli(["review", "--base", "main", "--verbose"], root);
		expect(first.stderr).toMatch(/memlint: read 4 other files of the touched packages \(\d+ bytes\) and 0 bytes of saved package summaries/);
		const second = await runCli(["review", "--base", "main", "--verbose"], root);
		expect(second.stderr).toMatch(/memlint: read 0 other files of the touched packages \(0 bytes\) and [1-9]\d* bytes of saved package summaries/);
		expect(second.stdout).toBe(first.stdout);
		expect(defaultSummaryStore({ MEMLINT_CACHE: "off" })).toBeUndefined();
	});
});
