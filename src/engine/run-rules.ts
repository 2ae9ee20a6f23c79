/** Runs rules over the analyzed declarations of one file version and turns reports into findings. */
import type { GoNode } from "../analysis/node.js";
import { enclosingStatement } from "../analysis/syntax.js";
import { anchorKey, boundNames, Fingerprinter, normalizeAnchor, shortId } from "./fingerprint.js";
import { oneLineCode } from "./message.js";
import { byCodeUnits } from "./order.js";
import type { ParsedDeclaration, SourceFile } from "./source.js";
import { collectSuppressions, findSuppression, type Suppression } from "./suppress.js";
import { signatureEnd } from "./package-summary.js";
import { isTestFunctionName, takesTestingHandle } from "./test-code.js";
import type { ChangeContext, Finding, Report, Rule, RuleMeta, Severity } from "./types.js";

export interface RunOptions {
  rules: readonly Rule[];
  /** Every rule id that exists, enabled or not (directives may name disabled rules). */
  knownRuleIds: ReadonlySet<string>;
  /** Severity overrides from the configuration. */
  severity?: Readonly<Record<string, Severity>>;
  /** The `go` directive of go.mod, e.g. "1.22". */
  goVersion?: string;
  /** Path to put in findings and fingerprints (the head path, also for a renamed base). */
  path: string;
  /** Whether the file is test code (each rule's `inTests` says what its findings get). */
  testCode?: boolean;
  /** Meta of the rule that reports unused suppressions, when enabled. */
  unusedIgnore?: RuleMeta;
}

export interface SuppressedFinding {
  finding: Finding;
  line: number;
  reason: string;
}

export interface RunResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /**
   * Per finding (by fingerprint), what it is about whatever declaration holds it: its rule, anchor
   * key and the anchor's whole statement. A finding whose code moved, unchanged, to another
   * function keeps it.
   */
  anchors: ReadonlyMap<string, string>;
}

/**
 * Runs the rules over one file version; with `base` (the same file before the change), also the
 * rules that compare the two versions of each declaration analyzed in both.
 */
export function runRules(source: SourceFile, options: RunOptions, base?: SourceFile): RunResult {
  const pending: { meta: RuleMeta; report: Report }[] = [];
  const scopes = ruleScopes(source);
  const indices = new Map<ParsedDeclaration, NodeIndex>();
  const indexOf = (d: ParsedDeclaration) => {
    let index = indices.get(d);
    if (!index) indices.set(d, (index = indexNodes(d.node)));
    return index;
  };
  // What every rule's context shares: made once per file, not once per rule.
  const shared = {
    file: source,
    path: options.path,
    source: source.text,
    isKnownRule: (id: string) => options.knownRuleIds.has(id),
    lineOf: (node: GoNode) => source.lineOf(node),
    lineText: (line: number) => source.lines.lineText(line),
  };

  for (const rule of options.rules) {
    if (!rule.check || (rule.meta.inTests === "skip" && options.testCode)) continue;
    // A rule looks only at the declarations that mention its trigger words: it cannot report from the others.
    const decls = scopes ? (scopes.get(rule) ?? []) : source.analyzed;
    if (decls.length === 0) continue;
    rule.check({
      ...shared,
      declarations: decls.map((d) => d.node),
      // Read by the few rules about directives: gathered only for them.
      get comments() {
        return decls.flatMap((d) => d.comments);
      },
      nodes: (...types) => decls.flatMap((d) => nodesOfTypes(indexOf(d), types)),
      report: (report) => pending.push({ meta: rule.meta, report }),
    });
  }

  if (base) pending.push(...changeReports(source, base, options));
  const { findings, suppressed, suppressions, fingerprints, anchors } = toFindings(source, pending, options);
  if (options.unusedIgnore) findings.push(...unusedSuppressions(source, suppressions, options, options.unusedIgnore, fingerprints));
  return { findings, suppressed, anchors };
}

/**
 * The reports of the rules that compare versions (`checkChange`) on every declaration analyzed
 * in both `head` and `base` (paired by key and order), on head nodes.
 */
function changeReports(head: SourceFile, base: SourceFile, options: RunOptions): { meta: RuleMeta; report: Report }[] {
  const rules = options.rules.filter((r) => r.checkChange && !(r.meta.inTests === "skip" && options.testCode));
  const pending: { meta: RuleMeta; report: Report }[] = [];
  if (rules.length === 0) return pending;
  const baseByKey = new Map<string, GoNode[]>();
  for (const d of base.analyzed) baseByKey.set(d.decl.key, [...(baseByKey.get(d.decl.key) ?? []), d.node]);
  const seen = new Map<string, number>();
  for (const d of head.analyzed) {
    const index = seen.get(d.decl.key) ?? 0;
    seen.set(d.decl.key, index + 1);
    const old = baseByKey.get(d.decl.key)?.[index];
    if (!old) continue;
    for (const rule of rules) {
      const ctx: ChangeContext = {
        path: options.path,
        head: { file: head, node: d.node },
        base: { file: base, node: old },
        lineOf: (node) => head.lineOf(node),
        baseLineOf: (node) => base.lineOf(node),
        report: (report) => pending.push({ meta: rule.meta, report }),
      };
      rule.checkChange!(ctx);
    }
  }
  return pending;
}

/** Reports in source order as findings, with the suppressions of the file applied. */
function toFindings(source: SourceFile, pending: { meta: RuleMeta; report: Report }[], options: RunOptions) {
  pending.sort((a, b) => a.report.node.start - b.report.node.start || byCodeUnits(a.meta.id, b.meta.id));
  const fingerprints = new Fingerprinter();
  const suppressions = collectSuppressions(source, source.analyzed);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const anchors = new Map<string, string>();
  for (const { meta, report } of pending) {
    const decl = source.declarationAt(report.node.start);
    const declaration = decl?.key ?? "";
    const inTestFunction = (decl?.kind === "func" || decl?.kind === "method") && (isTestFunctionName(decl.names[0] ?? "") || takesTestingHandle(source.text.slice(decl.keywordStart, signatureEnd(source.text, decl))));
    if (meta.inTests === "skip" && inTestFunction) continue;
    const finding = toFinding(source, meta, report, declaration, fingerprints, options, inTestFunction);
    // What the finding is about wherever its code stands: rule, anchor and the anchor's whole statement.
    anchors.set(finding.fingerprint, `${meta.id} ${anchorKey(report.node)} ${normalizeAnchor((enclosingStatement(report.node) ?? report.node).text)}`);
    const suppression = findSuppression(suppressions, meta, finding.line);
    if (suppression) suppressed.push({ finding, line: suppression.line, reason: suppression.reason });
    else findings.push(finding);
  }
  return { findings, suppressed, suppressions, fingerprints, anchors };
}

function toFinding(
  source: SourceFile,
  meta: RuleMeta,
  report: Report,
  declaration: string,
  fingerprints: Fingerprinter,
  options: RunOptions,
  inTestFunction = false,
): Finding {
  const { node } = report;
  const fingerprint = fingerprints.next({ ruleId: meta.id, path: options.path, declaration, anchorText: anchorKey(node) });
  const line = source.lines.lineOf(node.start);
  const endLine = source.lines.lineOf(Math.max(node.start, node.end - 1));
  const subject = boundNames(node);
  return {
    ruleId: meta.id,
    severity: effectiveSeverity(meta, report, options, inTestFunction || options.testCode === true),
    category: meta.category,
    title: meta.title,
    message: oneLineCode(report.message),
    path: options.path,
    line,
    column: source.lines.columnOf(node.start),
    endLine,
    endColumn: source.lines.columnOf(node.end),
    declaration,
    fingerprint,
    id: shortId(fingerprint),
    related: (report.related ?? []).map((r) => ({ line: source.lines.lineOf(r.node.start), message: oneLineCode(r.message) })),
    ...(report.suggestion ? { suggestion: report.suggestion } : {}),
    ...(subject ? { subject } : {}),
  };
}

/**
 * Test code under an `info` policy says info; otherwise configuration overrides win, and a
 * pitfall the runtime fixed drops to info.
 */
function effectiveSeverity(meta: RuleMeta, report: Report, options: RunOptions, testCode: boolean): Severity {
  if (testCode && meta.inTests === "info") return "info";
  const configured = options.severity?.[meta.id];
  if (configured) return configured;
  const fixedInGo = report.fixedInGo === undefined ? meta.fixedInGo : report.fixedInGo;
  if (fixedInGo && options.goVersion && compareGoVersions(options.goVersion, fixedInGo) >= 0) return "info";
  return report.severity ?? meta.severity;
}

function unusedSuppressions(
  source: SourceFile,
  suppressions: Suppression[],
  options: RunOptions,
  meta: RuleMeta,
  fingerprints: Fingerprinter,
): Finding[] {
  const active = new Set(options.rules.filter((r) => !(options.testCode && r.meta.inTests === "skip")).map((r) => r.meta.id));
  return suppressions
    .filter((s): s is Suppression & { comment: GoNode } => s.comment !== undefined && !s.foreign && s.rules[0] !== "*")
    .filter((s) => !s.used && s.rules.every((id) => active.has(id)))
    .map((s) =>
      toFinding(
        source,
        meta,
        { node: s.comment, message: `This \`//memlint:ignore ${s.rules.join(",")}\` suppresses nothing here; remove it so it cannot hide a future finding.` },
        source.declarationAt(s.comment.start)?.key ?? "",
        fingerprints,
        options,
      ),
    );
}

/** Compares Go versions like "1.22", "1.23.4", "1.21rc2". */
export function compareGoVersions(a: string, b: string): number {
  const parse = (v: string) => v.replace(/^go/, "").split(/[.]/).map((p) => Number.parseInt(p, 10) || 0);
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Per rule, the analyzed declarations it looks at, in source order; undefined when every rule looks at all of them. */
function ruleScopes(source: SourceFile): Map<Rule, ParsedDeclaration[]> | undefined {
  const scopes = new Map<Rule, ParsedDeclaration[]>();
  for (const d of source.analyzed) {
    const rules = source.rulesFor(d.decl);
    if (!rules) return undefined;
    for (const rule of rules) {
      const list = scopes.get(rule);
      if (list) list.push(d);
      else scopes.set(rule, [d]);
    }
  }
  return scopes;
}

/**
 * The types rules have asked for (`ctx.nodes`), in this process: a declaration's index holds those
 * (a handful of statement and call types), not every node of the tree.
 */
const askedTypes = new Set<string>();
/** {@link askedTypes} as the indexes made since it last grew saw it. */
let indexedTypes: ReadonlySet<string> = new Set();

/** The nodes of a declaration by type, for the types asked for so far; others are gathered when first asked. */
interface NodeIndex {
  root: GoNode;
  byType: Map<string, GoNode[]>;
  /** The types the walk that made it gathered (those absent have no node here). */
  covered: ReadonlySet<string>;
}

/** A declaration's {@link NodeIndex}, each list in source order (a pre-order walk without a callback per node). */
function indexNodes(root: GoNode): NodeIndex {
  if (indexedTypes.size !== askedTypes.size) indexedTypes = new Set(askedTypes);
  const covered = indexedTypes;
  const byType = new Map<string, GoNode[]>();
  const stack: GoNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (covered.has(n.type)) {
      const list = byType.get(n.type);
      if (list) list.push(n);
      else byType.set(n.type, [n]);
    }
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return { root, byType, covered };
}

const NO_NODES: GoNode[] = [];

/** A declaration's nodes of one type, in source order. */
function nodesOfType(index: NodeIndex, type: string): GoNode[] {
  let list = index.byType.get(type);
  if (list) return list;
  if (index.covered.has(type)) return NO_NODES;
  askedTypes.add(type);
  list = index.root.descendants(type);
  index.byType.set(type, list);
  return list;
}

/** One declaration's nodes of any of the types, in source order. */
function nodesOfTypes(index: NodeIndex, types: readonly string[]): GoNode[] {
  if (types.length === 1) return nodesOfType(index, types[0]!);
  const lists = types.map((t) => nodesOfType(index, t)).filter((l) => l.length > 0);
  return lists.length <= 1 ? (lists[0] ?? []) : lists.flat().sort((a, b) => a.start - b.start);
}
