/**
 * One version of one Go file, parsed only where needed: the package clause, the imports and
 * the declarations under analysis up front; any other declaration when a rule asks for it.
 */
import type { FileScope } from "../analysis/file.js";
import { Imports } from "../analysis/imports.js";
import type { GoNode } from "../analysis/node.js";
import { type Declaration, scanDeclarations } from "./declarations.js";
import { parseGo, type TextRange } from "./parser.js";
import { LineIndex } from "./position.js";

export interface ParsedDeclaration {
  decl: Declaration;
  node: GoNode;
  /** Every comment of the declaration, its doc comment included, in source order. */
  comments: GoNode[];
}

export interface SkippedDeclaration {
  decl: Declaration;
  /** 1-based line of the first syntax error. */
  errorLine: number;
}

export class SourceFile implements FileScope {
  readonly lines: LineIndex;
  readonly declarations: Declaration[];
  readonly imports: Imports;
  /** Declarations under analysis that parsed cleanly. */
  readonly analyzed: ParsedDeclaration[] = [];
  /** Declarations under analysis that contain syntax errors. */
  readonly skipped: SkippedDeclaration[] = [];
  private readonly onDemand = new Map<Declaration, GoNode | null>();

  constructor(
    readonly path: string,
    readonly text: string,
    selectedKeys: ReadonlySet<string> | "all",
    declarations: Declaration[] = scanDeclarations(text),
    private readonly packageIndex?: PackageIndex,
  ) {
    this.lines = new LineIndex(text);
    this.declarations = declarations;
    const header = this.declarations.filter((d) => d.kind === "package" || d.kind === "import");
    const selected = this.declarations.filter(
      (d) => d.kind !== "package" && d.kind !== "import" && (selectedKeys === "all" || selectedKeys.has(d.key)),
    );
    const parsed = parseGo(text, this.lines, ranges([...header, ...selected]));
    this.imports = new Imports(parsed.root);
    const tops = parsed.root.children;
    for (const decl of selected) {
      const errors = parsed.errors.filter((e) => e.start < decl.end && e.end > decl.start);
      if (errors.length > 0) {
        this.skipped.push({ decl, errorLine: this.lines.lineOf(Math.min(...errors.map((e) => e.start))) });
        continue;
      }
      const node = tops.find((n) => n.start >= decl.keywordStart && n.start < decl.end && n.type !== "comment");
      if (node) {
        const doc = tops.filter((n) => n.type === "comment" && n.start >= decl.start && n.start < decl.keywordStart);
        this.analyzed.push({ decl, node, comments: [...doc, ...node.descendants("comment")] });
      }
      this.onDemand.set(decl, node ?? null);
    }
  }

  lineOf(node: GoNode): number {
    return this.lines.lineOf(node.start);
  }

  /** The declaration (under analysis or not) that contains an offset. */
  declarationAt(offset: number): Declaration | undefined {
    return this.declarations.find((d) => d.start <= offset && offset < d.end);
  }

  functionNamed(name: string): GoNode | undefined {
    const decl = this.declarations.find((d) => d.kind === "func" && d.key === name);
    return decl ? this.parsedNode(decl) : undefined;
  }

  methodsNamed(name: string): GoNode[] {
    return this.declarations
      .filter((d) => d.kind === "method" && d.names[0] === name)
      .map((d) => this.parsedNode(d))
      .filter((n): n is GoNode => n !== undefined);
  }

  packageFunction(name: string): GoNode | undefined {
    const own = this.functionNamed(name);
    if (own) return own;
    for (const sibling of this.packageIndex?.siblingsOf(this.path) ?? []) {
      const found = sibling.functionNamed(name);
      if (found) return found;
    }
    return undefined;
  }

  packageMethods(name: string): GoNode[] {
    return [...this.methodsNamed(name), ...(this.packageIndex?.siblingsOf(this.path) ?? []).flatMap((s) => s.methodsNamed(name))];
  }

  packageLevel(name: string): GoNode | undefined {
    for (const decl of this.declarations) {
      if ((decl.kind !== "var" && decl.kind !== "const" && decl.kind !== "type") || !decl.names.includes(name)) continue;
      const node = this.parsedNode(decl);
      const spec = node
        ?.descendants("var_spec", "const_spec", "type_spec", "type_alias")
        .find((s) => s.childrenOf("name").some((n) => n.text === name));
      if (spec) return spec;
    }
    return undefined;
  }

  declarationsMentioning(word: string): GoNode[] {
    const re = new RegExp(`(?<![\\w])${word.replace(/[^\w]/g, "\\$&")}(?![\\w])`);
    return this.declarations
      .filter((d) => d.kind !== "package" && d.kind !== "import" && re.test(this.text.slice(d.start, d.end)))
      .map((d) => this.parsedNode(d))
      .filter((n): n is GoNode => n !== undefined);
  }

  /** Parses a declaration on its own (with the package clause) the first time it is needed. */
  private parsedNode(decl: Declaration): GoNode | undefined {
    const cached = this.onDemand.get(decl);
    if (cached !== undefined) return cached ?? undefined;
    const header = this.declarations.filter((d) => d.kind === "package");
    const parsed = parseGo(this.text, this.lines, ranges([...header, decl]));
    const clean = !parsed.errors.some((e) => e.start < decl.end && e.end > decl.start);
    const node = clean ? parsed.root.children.find((n) => n.start >= decl.keywordStart && n.type !== "comment") : undefined;
    this.onDemand.set(decl, node ?? null);
    return node;
  }
}

/** Sorted, merged parse ranges for declarations (each already spans whole lines). */
function ranges(decls: Declaration[]): TextRange[] {
  const sorted = decls.map((d) => ({ start: d.start, end: d.end })).sort((a, b) => a.start - b.start);
  const out: TextRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/**
 * The other non-test Go files of each package (directory), read through `load` once per
 * directory and parsed only where a declaration is asked for.
 */
export class PackageIndex {
  private readonly byDir = new Map<string, SourceFile[]>();

  constructor(private readonly load: (dir: string) => { path: string; text: string }[]) {}

  siblingsOf(path: string): SourceFile[] {
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    let files = this.byDir.get(dir);
    if (!files) {
      files = this.load(dir)
        .filter((f) => f.path.endsWith(".go") && !f.path.endsWith("_test.go"))
        .map((f) => new SourceFile(f.path, f.text, new Set()));
      this.byDir.set(dir, files);
    }
    return files.filter((f) => f.path !== path);
  }
}
