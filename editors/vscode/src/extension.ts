// The aiblint extension: starts `aiblint lsp` for the files of LiteLLM gateway config sets
// and adds the command "aiblint: Migrate config set to schema 2.0.0". Everything else
// (diagnostics, quick fixes, hover, navigation, completion, rename) is the server's.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  Trace,
} from "vscode-languageclient/node";

import { findBinary } from "./binary";

/** The files aiblint analyses. Grafana dashboards are left out until the server reads them. */
export const CONFIG_FILES = "**/{providers,model-mappings,litellm-unified,ports}.{yaml,yml}";
export const LITELLM_FILES = "**/litellm*.{yaml,yml}";

/** The server's code action kind for the migration (see `aiblint lsp`). */
const MIGRATE_KIND = vscode.CodeActionKind.Source.append("migrate").append("aiblint");

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("aiblint");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("aiblint.migrate", migrate),
    vscode.commands.registerCommand("aiblint.restart", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("aiblint.path") || e.affectsConfiguration("aiblint.args")) {
        await stop();
        await start();
      } else if (e.affectsConfiguration("aiblint.trace.server") && client !== undefined) {
        await client.setTrace(traceSetting());
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

function traceSetting(): Trace {
  const value = vscode.workspace.getConfiguration("aiblint").get<string>("trace.server", "off");
  return Trace.fromString(value);
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration("aiblint");
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const found = findBinary(config.get<string>("path", ""), process.env, root);
  if (!found.ok) {
    output?.appendLine(found.message);
    const choice = await vscode.window.showErrorMessage(found.message, "Open Settings");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "aiblint.path");
    }
    return;
  }
  const args = ["lsp", ...config.get<string[]>("args", [])];
  const serverOptions: ServerOptions = {
    run: { command: found.path, args },
    debug: { command: found.path, args },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: CONFIG_FILES },
      { scheme: "file", pattern: LITELLM_FILES },
    ],
    outputChannel: output,
  };
  client = new LanguageClient("aiblint", "aiblint", serverOptions, clientOptions);
  output?.appendLine(`aiblint: starting ${found.path} ${args.join(" ")}`);
  try {
    await client.start();
    await client.setTrace(traceSetting());
  } catch (e) {
    const message = `aiblint: the language server did not start: ${String(e)}`;
    output?.appendLine(message);
    void vscode.window.showErrorMessage(message);
    client = undefined;
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    await running.stop();
  }
}

/** Applies the server's "Migrate config set to schema 2.0.0" to the active file's set. */
async function migrate(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || client === undefined) {
    void vscode.window.showInformationMessage(
      "aiblint: open a file of the config set to migrate (providers.yaml or model-mappings.yaml).",
    );
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      document.uri,
      whole,
      MIGRATE_KIND.value,
    )) ?? [];
  const migration = actions.find((a) => a.kind !== undefined && MIGRATE_KIND.contains(a.kind));
  if (migration?.edit === undefined) {
    void vscode.window.showInformationMessage(
      "aiblint: nothing to migrate: this config set is already at schema 2.0.0 (or a file does not parse).",
    );
    return;
  }
  if (!(await vscode.workspace.applyEdit(migration.edit))) {
    void vscode.window.showErrorMessage("aiblint: the migration could not be applied.");
    return;
  }
  void vscode.window.showInformationMessage(
    `aiblint: ${migration.title}: done. Review and save the changed files (undo reverts them).`,
  );
}
