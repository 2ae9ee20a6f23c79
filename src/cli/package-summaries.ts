/**
 * The CLI's package index between runs: the summaries of the files of each package directory
 * (see `engine/package-summary.ts`), kept in the user's cache directory by the version of the
 * file they were made from (a git blob id, or a working-tree file's size, modification time and
 * inode). A review then reads a sibling file only when a touched declaration refers to what it
 * declares; the first review of a package reads its files once and saves their summaries.
 *
 * Loaders count what they read ({@link PackageReads}), so that the cost of the package context
 * can be measured and tested as bytes, not time.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from "node:zlib";
import type { DeclarationKind } from "../engine/declarations.js";
import { type DeclaredNames, type FileSummary, SUMMARY_FORMAT } from "../engine/package-summary.js";
import type { PackageFileText, PackageListing, PackageLoader, SummarizedPackageFile } from "../engine/source.js";
import { toolVersion } from "./report.js";
import { cacheDirectory } from "./cache-directory.js";

/** What a package loader has read so far: sibling files (their bytes, UTF-8) and saved summaries. */
export interface PackageReads {
  files: number;
  bytes: number;
  /** Bytes of the summary files read from the cache. */
  summaryBytes: number;
}

/** A package loader that counts what it reads. */
export type CountingPackageLoader = PackageLoader & { readonly reads: PackageReads };

export const noReads = (): PackageReads => ({ files: 0, bytes: 0, summaryBytes: 0 });

interface SavedSummary {
  /** A digest of the file's version (see {@link versionDigest}). */
  version: string;
  summary: FileSummary;
}

/** The summaries live in `package-index/` of memlint's cache directory (`$MEMLINT_CACHE`, …; see result-cache.ts); `MEMLINT_CACHE=off` keeps none. */
export function defaultSummaryStore(env: Readonly<Record<string, string | undefined>> = process.env): PackageSummaryStore | undefined {
  const base = cacheDirectory(env);
  return base === undefined ? undefined : new PackageSummaryStore(join(base, "package-index"));
}

/**
 * One JSON file (Brotli-compressed) per repository directory, rewritten whole when a file of it was
 * summarized anew. The files' words are kept once for the directory (most are shared), and that
 * list answers first (see `FileSummary.sharedWords`): a word no file has is no file's. Each file
 * marks its own words in a string of bits, made into a list only when a question needs it. (The
 * 100-file review of bench/review.ts spent 47 ms in CPU profiles loading its 28 directories'
 * summaries with a list of word indices per file, all decoded; 27 ms so.)
 */
export class PackageSummaryStore {
  constructor(private readonly dir: string) {}

  /** The summaries saved for a directory of the repository at `root`, by path (none when there is no readable file). */
  read(root: string, dir: string, reads: PackageReads): Map<string, SavedSummary> {
    try {
      const bytes = readFileSync(this.fileOf(root, dir));
      reads.summaryBytes += bytes.length;
      const saved = JSON.parse(brotliDecompressSync(bytes).toString("utf8")) as StoredDirectory;
      return saved.format === formatKey() ? decode(saved) : new Map();
    } catch {
      return new Map();
    }
  }

  /** Saves a directory's summaries; a cache that cannot be written is no error (the next run reads the files again). */
  write(root: string, dir: string, files: ReadonlyMap<string, SavedSummary>): void {
    const file = this.fileOf(root, dir);
    try {
      mkdirSync(this.dir, { recursive: true });
      // Written aside and renamed: a concurrent run reads the old file or the new one, never half of one.
      const temporary = `${file}.${process.pid}.tmp`;
      // Quality 5: within 3 % of quality 9's size at a twentieth of its time (net/http's summaries: 6 ms beside 115).
      writeFileSync(temporary, brotliCompressSync(JSON.stringify(encode(files)), { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }));
      renameSync(temporary, file);
    } catch {
      // best effort
    }
  }

  private fileOf(root: string, dir: string): string {
    return join(this.dir, `${createHash("sha256").update(`${resolve(root)}\0${dir}`).digest("hex").slice(0, 32)}.json.br`);
  }
}

interface StoredDirectory {
  format: string;
  /** Every word of the directory's files, sorted, one per line. */
  words: string;
  files: Record<string, StoredFile>;
}

interface StoredFile {
  version: string;
  packageName: string;
  length: number;
  binary: boolean;
  declarations: StoredDeclaration[];
  /** Its words: bit `i & 7` of byte `i >> 3` set for the directory's word `i`, in base64. */
  words: string;
  signatures: [WordRef, WordRef[]][];
  /** Only when there are any. */
  looseReceivers?: string[];
  /** Only when there are any. */
  imports?: string[];
}

/** A word of the directory's table by its index, or a string that is not one of them (`Recv.Name`). */
type WordRef = number | string;

/**
 * A declaration in few characters: what the key says is not repeated (`["f", name]`, `["m",
 * "Recv.Name"]`, `["v", ...names]` for `var`, `c` const, `t` type), anything else in full;
 * each word stored as a {@link WordRef}.
 */
type StoredDeclaration = [string, ...WordRef[]];
const LETTERS: Partial<Record<DeclarationKind, string>> = { func: "f", method: "m", var: "v", const: "c", type: "t" };
const KINDS = new Map(Object.entries(LETTERS).map(([kind, letter]) => [letter, kind as DeclarationKind]));

function decodeDeclaration([letter, ...rest]: [string, ...string[]]): DeclaredNames {
  const kind = KINDS.get(letter);
  if (kind === "func") return { kind, key: rest[0]!, names: [rest[0]!] };
  if (kind === "method") return { kind, key: rest[0]!, names: [rest[0]!.slice(rest[0]!.lastIndexOf(".") + 1)] };
  if (kind) return { kind, key: `${kind} ${rest[0] ?? "_"}`, names: rest };
  const [full, key, ...names] = rest;
  return { kind: full as DeclarationKind, key: key!, names };
}

function encodeDeclaration(d: DeclaredNames): [string, ...string[]] {
  const letter = LETTERS[d.kind];
  const short: [string, ...string[]] | undefined = letter === undefined ? undefined : d.kind === "func" || d.kind === "method" ? [letter, d.key] : [letter, ...d.names];
  const same = (a: DeclaredNames) => a.kind === d.kind && a.key === d.key && a.names.join(",") === d.names.join(",");
  return short && same(decodeDeclaration(short)) ? short : ["", d.kind, d.key, ...d.names];
}

/** A file's version as saved: short (a collision between two versions of one path is not a concern at 48 bits). */
const versionDigest = (version: string) => createHash("sha256").update(version).digest("base64url").slice(0, 8);

function encode(files: ReadonlyMap<string, SavedSummary>): StoredDirectory {
  const words = [...new Set([...files.values()].flatMap(({ summary }) => summary.words))].sort();
  const indexOf = new Map(words.map((w, i) => [w, i]));
  const ref = (word: string): WordRef => indexOf.get(word) ?? word;
  const stored: Record<string, StoredFile> = {};
  for (const [path, { version, summary }] of files) {
    const bits = Buffer.alloc((words.length + 7) >> 3);
    for (const w of summary.words) {
      const i = indexOf.get(w)!;
      bits[i >> 3]! |= 1 << (i & 7);
    }
    stored[path] = {
      version,
      packageName: summary.packageName,
      length: summary.length,
      binary: summary.binary,
      declarations: summary.declarations.map((d) => encodeDeclaration(d).map((part, k) => (k === 0 ? part : ref(part as string))) as StoredDeclaration),
      words: bits.toString("base64"),
      signatures: summary.signatures.map(([name, mentioned]) => [ref(name), mentioned.map(ref)]),
      ...(summary.looseReceivers.length > 0 ? { looseReceivers: summary.looseReceivers } : {}),
      ...(summary.imports.length > 0 ? { imports: summary.imports } : {}),
    };
  }
  return { format: formatKey(), words: words.join("\n"), files: stored };
}

function decode(saved: StoredDirectory): Map<string, SavedSummary> {
  const out = new Map<string, SavedSummary>();
  const table = saved.words === "" ? [] : saved.words.split("\n");
  const word = (r: WordRef) => (typeof r === "number" ? table[r]! : r);
  const sharedWords = `\n${saved.words}\n`;
  for (const [path, f] of Object.entries(saved.files)) {
    // The words are decoded when first asked, outside `read`'s try: what would make that throw is checked here.
    if (typeof f.words !== "string") throw new Error(`malformed summary of ${path}`);
    let words: string[] | undefined;
    const summary: FileSummary = {
      packageName: f.packageName,
      length: f.length,
      binary: f.binary,
      declarations: f.declarations.map(([letter, ...rest]) => decodeDeclaration([letter, ...rest.map(word)])),
      get words() {
        words ??= wordsMarked(table, Buffer.from(f.words, "base64"));
        return words;
      },
      sharedWords,
      signatures: f.signatures.map(([name, mentioned]): [string, string[]] => [word(name), mentioned.map(word)]),
      looseReceivers: f.looseReceivers ?? [],
      imports: f.imports ?? [],
    };
    out.set(path, { version: f.version, summary });
  }
  return out;
}

/** The words of `table` whose bits are set. */
function wordsMarked(table: readonly string[], bits: Uint8Array): string[] {
  const words: string[] = [];
  const end = Math.min(bits.length << 3, table.length);
  for (let i = 0; i < end; i++) if (bits[i >> 3]! & (1 << (i & 7))) words.push(table[i]!);
  return words;
}

/** Summaries made by another scanner may say otherwise: they are kept per memlint version and summary format. */
const formatKey = () => `${toolVersion()}/${SUMMARY_FORMAT}`;

/** A Go file a loader lists: its path, its version (undefined when it has none) and how to read it. */
export interface ListedFile {
  path: string;
  version: string | undefined;
  read: () => string | undefined;
}

/**
 * A directory's listing for the package index: files whose summary of this very version is
 * saved are handed over unread (read, and counted, when the index asks); the others are read
 * now (by `readNow` at once, when given) and their summaries saved once the index has made them.
 */
export function listingWithSummaries(
  root: string,
  dir: string,
  listed: readonly ListedFile[],
  store: PackageSummaryStore | undefined,
  reads: PackageReads,
  readNow: (files: readonly ListedFile[]) => ReadonlyMap<string, string | undefined> = (files) => new Map(files.map((f) => [f.path, f.read()])),
): { files: (PackageFileText | SummarizedPackageFile)[]; keepSummaries?: PackageListing["keepSummaries"]; unreadable: number } {
  const saved = store && listed.some((f) => f.version !== undefined) ? store.read(root, dir, reads) : new Map<string, SavedSummary>();
  const counted = (read: () => string | undefined) => () => {
    const text = read();
    if (text !== undefined) {
      reads.files++;
      reads.bytes += Buffer.byteLength(text);
    }
    return text;
  };
  const isSaved = (f: ListedFile) => f.version !== undefined && saved.get(f.path)?.version === versionDigest(f.version);
  const texts = readNow(listed.filter((f) => !isSaved(f)));
  const files: (PackageFileText | SummarizedPackageFile)[] = [];
  const versions = new Map<string, string>();
  let unreadable = 0;
  for (const f of listed) {
    if (isSaved(f)) {
      files.push({ path: f.path, summary: saved.get(f.path)!.summary, read: counted(f.read) });
      continue;
    }
    const text = counted(() => texts.get(f.path))();
    if (text === undefined) unreadable++;
    else files.push({ path: f.path, text });
    if (f.version !== undefined) versions.set(f.path, versionDigest(f.version));
  }
  if (!store || versions.size === 0) return { files, unreadable };
  const keepSummaries = (summaries: ReadonlyMap<string, FileSummary>) => {
    // Entries of files no longer listed are dropped; those of unread files stay as they were.
    const next = new Map<string, SavedSummary>();
    for (const f of listed) {
      const made = summaries.get(f.path);
      const version = versions.get(f.path);
      if (made && version !== undefined) next.set(f.path, { version, summary: made });
      else if (saved.has(f.path)) next.set(f.path, saved.get(f.path)!);
    }
    store.write(root, dir, next);
  };
  return { files, keepSummaries, unreadable };
}
