/**
 * `memlint lsp`: a language server over standard input and output. For every open Go file of the
 * workspace's repository it publishes what `memlint review` would report for that file as the
 * editor holds it — the buffer compared with the file at the merge base of HEAD and the base
 * branch — so the editor shows what the branch introduces, not every finding of the file. A
 * finding with a mechanical suggestion offers it as a quick fix.
 *
 * Analysis runs a short while after the last keystroke, one file at a time; a newer version of a
 * document makes an older analysis of it moot.
 */
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  CodeActionKind,
  createConnection,
  type CodeAction,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from "vscode-languageserver/node";
import { ruleDocsUrl } from "../comments/docs.js";
import type { MemlintConfig } from "../config/types.js";
import type { FileInput } from "../engine/analyze.js";
import type { Finding, Severity } from "../engine/types.js";
import { analyzeInputs } from "./analyze.js";
import { loadConfig } from "./config.js";
import { comparisonBase, findRepoRoot, readBlobs } from "./git.js";
import { CliError, EXIT_OK, type CliIO } from "./io.js";
import { toolVersion } from "./report.js";

/** Quiet time after an edit before the file is analyzed. */
const DEBOUNCE_MS = 150;

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };

/** What a diagnostic carries for its quick fix. */
interface DiagnosticData {
  fingerprint: string;
  suggestion?: Finding["suggestion"];
}

interface Workspace {
  root: string;
  config: MemlintConfig;
  /** The base ref given with `--base`, or undefined for the default branch. */
  ref: string | undefined;
  /** Why there is no base to compare with, once that is known (then every finding of a file is shown). */
  noBase?: string;
}

export async function runLanguageServer(io: CliIO, options: { base?: string }): Promise<number> {
  const connection = createConnection(process.stdin, process.stdout);
  const server = new MemlintLanguageServer(connection, io, options.base);
  server.listen();
  await new Promise<void>((resolve) => connection.onExit(resolve));
  return EXIT_OK;
}

export class MemlintLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private workspace: Promise<Workspace | undefined> | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Analyses run one at a time: they share the parser. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    private readonly io: CliIO,
    private readonly baseRef: string | undefined,
  ) {}

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => {
      const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
      const dir = folder?.startsWith("file:") ? fileURLToPath(folder) : this.io.cwd;
      this.workspace = this.openWorkspace(dir);
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        },
        serverInfo: { name: "memlint", version: toolVersion() },
      };
    });
    documents.onDidOpen((e) => this.schedule(e.document.uri, 0));
    documents.onDidChangeContent((e) => this.schedule(e.document.uri, DEBOUNCE_MS));
    documents.onDidClose((e) => {
      clearTimeout(this.timers.get(e.document.uri));
      this.timers.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    connection.onCodeAction((params) => {
      const actions: CodeAction[] = [];
      for (const diagnostic of params.context.diagnostics) {
        const data = diagnostic.data as DiagnosticData | undefined;
        if (diagnostic.source !== "memlint" || !data?.suggestion) continue;
        const { startLine, endLine, replacement } = data.suggestion;
        actions.push({
          title: `memlint: apply the suggested fix (${String(diagnostic.code)})`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: {
            changes: {
              [params.textDocument.uri]: [{ range: { start: { line: startLine - 1, character: 0 }, end: { line: endLine, character: 0 } }, newText: `${replacement}\n` }],
            },
          },
        });
      }
      return actions;
    });
    documents.listen(connection);
    connection.listen();
  }

  /** The repository of the workspace and its configuration; undefined (and said once) when there is none. */
  private async openWorkspace(dir: string): Promise<Workspace | undefined> {
    try {
      const root = await findRepoRoot(dir);
      if (!root) throw new CliError(`${dir} is not in a git repository, so there is no base to compare with`);
      return { root, config: await loadConfig(root, root, undefined), ref: this.baseRef };
    } catch (err) {
      const message = err instanceof CliError ? err.message : `internal error: ${(err as Error).message}`;
      this.tell(MessageType.Error, `memlint: ${message}; no diagnostics.`);
      return undefined;
    }
  }

  /** A message for the user (a notification: nothing waits for an answer). */
  private tell(type: MessageType, message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  private schedule(uri: string, delay: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.queue = this.queue.then(() => this.analyze(uri));
      }, delay),
    );
  }

  private async analyze(uri: string): Promise<void> {
    const document = this.documents.get(uri);
    const workspace = await this.workspace;
    if (!document || !workspace || !uri.startsWith("file:")) return;
    const file = fileURLToPath(uri);
    const path = relative(workspace.root, file).split(sep).join("/");
    if (!path.endsWith(".go") || path.startsWith("../")) return;
    const version = document.version;
    let diagnostics: Diagnostic[];
    try {
      const input: FileInput = { path, head: document.getText(), base: await this.baseText(workspace, path) };
      const result = await analyzeInputs(workspace.root, [input], workspace.config);
      diagnostics = result.introduced.map((f) => toDiagnostic(f, uri));
    } catch (err) {
      const message = err instanceof CliError ? err.message : `internal error: ${(err as Error).message}`;
      this.connection.console.error(`memlint: ${path}: ${message}`);
      return;
    }
    // A newer version is queued or being typed: its analysis will publish.
    if (this.documents.get(uri)?.version !== version) return;
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /**
   * The file at the merge base of HEAD and the base branch (null where it did not exist). Without
   * a base (no base branch, no commit yet) the whole file counts as new, as in `memlint check`;
   * the editor is told so once.
   */
  private async baseText(workspace: Workspace, path: string): Promise<string | null> {
    try {
      const { base } = await comparisonBase(workspace.root, workspace.ref);
      workspace.noBase = undefined;
      return (await readBlobs(workspace.root, base, [path])).get(path) ?? null;
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      if (workspace.noBase !== err.message) {
        workspace.noBase = err.message;
        this.tell(MessageType.Warning, `memlint: ${err.message}; showing every finding of the open files until there is a base.`);
      }
      return null;
    }
  }
}

export function toDiagnostic(f: Finding, uri: string): Diagnostic {
  const data: DiagnosticData = { fingerprint: f.fingerprint, ...(f.suggestion ? { suggestion: f.suggestion } : {}) };
  return {
    range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } },
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: ruleDocsUrl(f.ruleId) },
    source: "memlint",
    message: `${f.message} (${f.title})`,
    relatedInformation: f.related.map((r) => ({
      location: { uri, range: { start: { line: r.line - 1, character: 0 }, end: { line: r.line - 1, character: 0 } } },
      message: r.message,
    })),
    data,
  };
}
