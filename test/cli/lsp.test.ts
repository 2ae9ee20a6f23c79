/**
 * `memlint lsp` driven by a scripted client over stdio, as an editor drives it: initialize, open a
 * Go file, type, ask for code actions, shut down. Diagnostics compare the buffer with the merge
 * base, so what the branch already had is not shown.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  type CodeAction,
  type Diagnostic,
  type MessageConnection,
  type PublishDiagnosticsParams,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver/node";
import { cleanTempDirs, commitAll, git, GIT_ENV, GO_MOD, makeRepo, writeFiles } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

afterAll(cleanTempDirs);

/** On main: a worker whose ticker was never stopped (pre-existing, not the branch's doing). */
const BASE = `package svc

import (
	"net/http"
	"time"
)

func Poll(stop chan struct{}) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-t.C:
		case <-stop:
			return
		}
	}
}

func Fetch(client *http.Client, url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}
`;

/** The branch drops the Close: an error the branch introduces, with a suggestion. */
const LEAKY = BASE.replace("\tdefer resp.Body.Close()\n", "");

interface Client {
  connection: MessageConnection;
  child: ChildProcess;
  /** Resolves with the next diagnostics published for `uri` at `version` or later. */
  diagnostics(uri: string, version: number): Promise<Diagnostic[]>;
}

const clients: Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) {
    c.connection.dispose();
    c.child.kill();
  }
});

function startServer(cwd: string): Client {
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "src/cli/main.ts"), "lsp", "--stdio"], {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  let exited: string | undefined;
  child.on("exit", (code) => {
    exited = `the server exited (${code})`;
    for (const w of waiters.splice(0)) w();
  });
  connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    published.push(params);
    for (const w of waiters.splice(0)) w();
  });
  connection.listen();
  const client: Client = {
    connection,
    child,
    diagnostics: (uri, version) =>
      new Promise((resolve, reject) => {
        const look = () => {
          const hit = published.find((p) => p.uri === uri && (p.version ?? 0) >= version);
          if (hit) {
            published.splice(published.indexOf(hit), 1);
            resolve(hit.diagnostics);
          } else if (exited) reject(new Error(exited));
          else waiters.push(look);
        };
        look();
      }),
  };
  clients.push(client);
  return client;
}

async function initialize(client: Client, root: string): Promise<void> {
  const result = (await client.connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: {},
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: "svc" }],
  })) as { capabilities: { codeActionProvider: unknown; textDocumentSync: number }; serverInfo: { name: string } };
  expect(result.serverInfo.name).toBe("memlint");
  expect(result.capabilities.textDocumentSync).toBe(2);
  await client.connection.sendNotification("initialized", {});
}

describe("memlint lsp", () => {
  it("publishes what the buffer introduces against the merge base, as the user types, with the suggestion as a quick fix", async () => {
    const repo = makeRepo({ "go.mod": GO_MOD, "svc/worker.go": BASE });
    git(repo, "checkout", "-q", "-b", "feature");
    writeFiles(repo, { "svc/notes.go": "package svc\n" });
    commitAll(repo, "feature work");
    const uri = pathToFileURL(join(repo, "svc/worker.go")).href;
    const client = startServer(repo);
    await initialize(client, repo);

    // Opened as on disk: nothing new (the unstopped ticker was there before the branch).
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "go", version: 1, text: BASE } });
    expect(await client.diagnostics(uri, 1)).toEqual([]);

    // The user deletes the Close (an incremental edit, not saved): the leak appears.
    const closeLine = BASE.split("\n").indexOf("\tdefer resp.Body.Close()");
    await client.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: closeLine, character: 0 }, end: { line: closeLine + 1, character: 0 } }, text: "" }],
    });
    const diagnostics = await client.diagnostics(uri, 2);
    expect(diagnostics.map((d) => [d.code, d.severity, d.range.start.line + 1, d.source])).toEqual([["http-body-not-closed", 1, 20, "memlint"]]);
    expect(diagnostics[0]!.codeDescription?.href).toBe("https://github.com/memlint/memlint/blob/main/docs/rules.md#http-body-not-closed");
    expect(diagnostics[0]!.message).toMatch(/`resp.Body` from `client.Get\(url\)` is never closed/);

    // The quick fix puts the Close back.
    const actions = (await client.connection.sendRequest("textDocument/codeAction", {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics },
    })) as CodeAction[];
    expect(actions).toHaveLength(1);
    expect(actions[0]!.kind).toBe("quickfix");
    const [edit] = actions[0]!.edit!.changes![uri]!;
    const lines = LEAKY.split("\n");
    const fixed = [...lines.slice(0, edit!.range.start.line), ...edit!.newText.replace(/\n$/, "").split("\n"), ...lines.slice(edit!.range.end.line)].join("\n");
    expect(fixed).toBe(BASE);

    // Applying it clears the diagnostic.
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 3 }, contentChanges: [{ text: fixed }] });
    expect(await client.diagnostics(uri, 3)).toEqual([]);

    // Closing the file clears what was shown for it.
    await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
    expect(await client.diagnostics(uri, 0)).toEqual([]);

    await client.connection.sendRequest("shutdown");
    const exited = new Promise<number | null>((resolve) => client.child.on("exit", resolve));
    await client.connection.sendNotification("exit");
    expect(await exited).toBe(0);
  }, 60_000);

  it("outside a base branch, shows every finding of the file and says why", async () => {
    const repo = makeRepo({ "go.mod": GO_MOD });
    git(repo, "branch", "-m", "main", "trunk");
    const uri = pathToFileURL(join(repo, "worker.go")).href;
    const client = startServer(repo);
    const warnings: string[] = [];
    client.connection.onNotification("window/showMessage", (p: { message: string }) => void warnings.push(p.message));
    await initialize(client, repo);
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "go", version: 1, text: LEAKY } });
    const diagnostics = await client.diagnostics(uri, 1);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(["http-body-not-closed", "ticker-not-stopped"]);
    expect(warnings).toEqual([
      "memlint: cannot tell the base branch (origin/HEAD, main and master do not exist); pass --base <ref>; showing every finding of the open files until there is a base.",
    ]);
  }, 60_000);
});
