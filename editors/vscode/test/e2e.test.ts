// The real `aiblint lsp` driven as VS Code drives it: VS Code's client capabilities (pull
// diagnostics with refresh, UTF-16 positions, versioned workspace edits), URIs spelled by
// vscode-uri (VS Code's own URI code), over vscode-languageserver-protocol's node connection.
//
// The binary is $AIBLINT_BIN, else target/release/aiblint of this repository.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as cp from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CodeAction,
  CodeActionRequest,
  Diagnostic,
  DiagnosticRefreshRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InitializeResult,
  Position,
  ProtocolConnection,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentEdit,
  TextEdit,
  createProtocolConnection,
} from "vscode-languageserver-protocol/node";
import { URI } from "vscode-uri";

import { vscodeClientCapabilities } from "./vscodeCapabilities";

const repository = path.resolve(__dirname, "../../../..");
const binary = process.env.AIBLINT_BIN ?? path.join(repository, "target/release/aiblint");

const PROVIDERS = `metadata:
  schema_version: "2.0.0"
providers:
  ollama:
    type: ollama
    base_url: http://127.0.0.1:11434
    status: active
    description: Local Ollama — café
    models:
      - llama3.1:8b
  vllm-qwen:
    type: vllm
    base_url: http://127.0.0.1:8001
    status: active
    description: vLLM serving Qwen
    models:
      - Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
`;

// Line 5 has 🦙 (two UTF-16 units) and ☕ before the unknown provider `vllm-qwn`.
const MAPPINGS = `metadata:
  schema_version: "2.0.0"
exact_matches:
  "llama3.1:8b": {description: "général", provider: ollama}
  "qwen-coder": {description: "café ☕ 🦙", provider: vllm-qwn, backend_model: Qwen/Qwen2.5-Coder-14B-Instruct-AWQ}
`;

/** `aiblint lsp` and a connection to it, initialized with VS Code's capabilities. */
class Server {
  readonly refreshes: Array<() => void> = [];
  refreshCount = 0;
  private constructor(
    readonly proc: cp.ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    readonly initialized: InitializeResult,
  ) {}

  static async start(root: string): Promise<Server> {
    assert.ok(fs.existsSync(binary), `no aiblint binary at ${binary} (set AIBLINT_BIN)`);
    const proc = cp.spawn(binary, ["lsp"], { stdio: "pipe" });
    proc.stderr.resume();
    const connection = createProtocolConnection(
      new StreamMessageReader(proc.stdout),
      new StreamMessageWriter(proc.stdin),
    );
    let server: Server | undefined;
    connection.onRequest(RegistrationRequest.type, () => null);
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      if (server !== undefined) {
        server.refreshCount += 1;
        server.refreshes.splice(0).forEach((resolve) => resolve());
      }
      return null;
    });
    connection.onUnhandledNotification(() => {}); // logs; no pushed diagnostics: VS Code pulls
    connection.listen();
    const folder = URI.file(root).toString();
    const initialized = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: path.basename(root) }],
      capabilities: vscodeClientCapabilities(),
    });
    await connection.sendNotification(InitializedNotification.type, {});
    server = new Server(proc, connection, initialized);
    return server;
  }

  async open(uri: string, text: string): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "yaml", version: 1, text },
    });
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const report = (await this.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
    })) as DocumentDiagnosticReport;
    assert.equal(report.kind, "full");
    return report.kind === "full" ? report.items : [];
  }

  nextRefresh(): Promise<void> {
    return new Promise((resolve) => this.refreshes.push(resolve));
  }

  async actions(uri: string, diagnostics: Diagnostic[], only: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: pos(0, 0), end: pos(0, 0) };
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, only },
    });
    return (result ?? []) as CodeAction[];
  }

  /** Shuts the server down as VS Code does and returns its exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.on("exit", resolve));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

function pos(line: number, character: number): Position {
  return { line, character };
}

/** A fresh directory `name` (under a temporary one) holding `files`. */
function setDir(name: string, files: Record<string, string>): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "aiblint-vscode-")), name);
  fs.mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** The UTF-16 offset of an LSP position (JavaScript strings count UTF-16 units too). */
function offsetOf(text: string, p: Position): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    offset = text.indexOf("\n", offset) + 1;
  }
  return offset + p.character;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort(
    (a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start),
  );
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offsetOf(out, e.range.start)) + e.newText + out.slice(offsetOf(out, e.range.end));
  }
  return out;
}

test("VS Code's client gets pulled diagnostics at UTF-16 positions in a directory with + in its name", async () => {
  const root = setDir("gateway+lab (x)", { "providers.yaml": PROVIDERS });
  const server = await Server.start(root);
  assert.equal(server.initialized.capabilities.positionEncoding, "utf-16");
  assert.ok(server.initialized.capabilities.diagnosticProvider, "pull diagnostics offered");
  const mappings = URI.file(path.join(root, "model-mappings.yaml")).toString();
  assert.match(mappings, /gateway%2Blab%20%28x%29/, "VS Code's spelling");
  await server.open(mappings, MAPPINGS);
  const items = await server.pull(mappings);
  const unknown = items.find((d) => d.code === "R201");
  assert.ok(unknown, `R201 in ${JSON.stringify(items)}`);
  const line = MAPPINGS.split("\n")[4];
  const character = line.indexOf("vllm-qwn");
  assert.deepEqual(unknown.range, {
    start: pos(4, character),
    end: pos(4, character + "vllm-qwn".length),
  });
  assert.match(unknown.message, /did you mean `vllm-qwen`\?/, "providers.yaml was found");
  assert.equal(await server.stop(), 0);
});

test("an edit of providers.yaml asks VS Code to pull model-mappings.yaml again", async () => {
  const fixed = MAPPINGS.replace("vllm-qwn", "vllm-qwen");
  const root = setDir("gateway+lab", { "providers.yaml": PROVIDERS, "model-mappings.yaml": fixed });
  const server = await Server.start(root);
  const mappings = URI.file(path.join(root, "model-mappings.yaml")).toString();
  const providers = URI.file(path.join(root, "providers.yaml")).toString();
  await server.open(mappings, fixed);
  await server.open(providers, PROVIDERS);
  assert.deepEqual(await server.pull(mappings), []);
  const refreshed = server.nextRefresh();
  const at = PROVIDERS.split("\n").indexOf("  vllm-qwen:");
  await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: providers, version: 2 },
    contentChanges: [{ range: { start: pos(at, 2), end: pos(at, 11) }, text: "vllm-qwen2" }],
  });
  await refreshed;
  const items = await server.pull(mappings);
  assert.deepEqual(
    items.map((d) => d.code),
    ["R201"],
    JSON.stringify(items),
  );
  assert.match(items[0].message, /did you mean `vllm-qwen2`\?/);
  assert.equal(await server.stop(), 0);
});

test("a legacy set offers 'Migrate config set to schema 2.0.0' on V505, editing both files as aiblint migrate does", async () => {
  const legacy = path.join(repository, "fixtures/sets/legacy-homelab");
  const texts = {
    "providers.yaml": fs.readFileSync(path.join(legacy, "providers.yaml"), "utf8"),
    "model-mappings.yaml": fs.readFileSync(path.join(legacy, "model-mappings.yaml"), "utf8"),
  };
  const root = setDir("legacy+set", texts);
  const server = await Server.start(root);
  const mappings = URI.file(path.join(root, "model-mappings.yaml")).toString();
  const providers = URI.file(path.join(root, "providers.yaml")).toString();
  await server.open(mappings, texts["model-mappings.yaml"]);
  const items = await server.pull(mappings);
  const v505 = items.filter((d) => d.code === "V505");
  assert.equal(v505.length, 1, JSON.stringify(items));
  assert.match(v505[0].message, /^schema 1\.x: run `aiblint migrate`/);

  const actions = await server.actions(mappings, v505, ["quickfix"]);
  const migrate = actions.find((a) => a.title === "Migrate config set to schema 2.0.0");
  assert.ok(migrate, JSON.stringify(actions));
  assert.equal(migrate.kind, "quickfix");
  const changes = (migrate.edit?.documentChanges ?? []) as TextDocumentEdit[];
  assert.deepEqual(
    changes.map((c) => [c.textDocument.uri, c.textDocument.version]),
    [
      [mappings, 1],
      [providers, null],
    ],
  );
  const migrated = changes.map((c) =>
    applyEdits(
      c.textDocument.uri === mappings ? texts["model-mappings.yaml"] : texts["providers.yaml"],
      c.edits as TextEdit[],
    ),
  );

  // The command palette entry asks for the source action of this kind.
  const source = await server.actions(mappings, [], ["source.migrate.aiblint"]);
  assert.deepEqual(
    source.map((a) => [a.title, a.kind]),
    [["Migrate config set to schema 2.0.0", "source.migrate.aiblint"]],
  );
  assert.equal(await server.stop(), 0);

  // The CLI on a copy of the set writes the same bytes.
  const copy = setDir("cli", texts);
  cp.execFileSync(binary, ["migrate", "--no-backup", copy]);
  assert.equal(migrated[0], fs.readFileSync(path.join(copy, "model-mappings.yaml"), "utf8"));
  assert.equal(migrated[1], fs.readFileSync(path.join(copy, "providers.yaml"), "utf8"));
});

test("the extension declares the command palette entry and the files it serves", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
  const commands = manifest.contributes.commands.map((c: { command: string; category: string; title: string }) =>
    `${c.category}: ${c.title}`,
  );
  assert.ok(commands.includes("aiblint: Migrate config set to schema 2.0.0"), commands.join(", "));
  const settings = Object.keys(manifest.contributes.configuration.properties);
  assert.deepEqual(settings, ["aiblint.path", "aiblint.args", "aiblint.trace.server"]);
});
