// The packaged bundle (dist/extension.js, what the .vsix ships) activated against a stand-in
// for the VS Code API that records what the extension asks of it.

import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";

import { inert, withVscode } from "./vscodeCapabilities";

type Recorder = { errors: string[]; commands: string[]; output: string[] };

function fakeVscode(settings: Record<string, unknown>): { vscode: unknown; seen: Recorder } {
  const seen: Recorder = { errors: [], commands: [], output: [] };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const vscode: any = inert("vscode");
  // The bundle's `import * as vscode` copies the module's own properties when it loads:
  // the names src/extension.ts uses must exist by then.
  for (const name of ["CodeActionKind", "Range", "window", "commands", "workspace"]) {
    void vscode[name];
  }
  vscode.window.createOutputChannel = () => ({
    appendLine: (line: string) => seen.output.push(line),
    dispose: () => {},
  });
  vscode.window.showErrorMessage = async (message: string) => {
    seen.errors.push(message);
    return undefined;
  };
  vscode.commands.registerCommand = (id: string) => {
    seen.commands.push(id);
    return { dispose: () => {} };
  };
  vscode.workspace.getConfiguration = () => ({
    get: (key: string, fallback: unknown) => (key in settings ? settings[key] : fallback),
  });
  vscode.workspace.workspaceFolders = undefined;
  vscode.workspace.onDidChangeConfiguration = () => ({ dispose: () => {} });
  return { vscode, seen };
}

test("the bundle activates, registers its commands and says clearly when the binary is missing", async () => {
  const { vscode, seen } = fakeVscode({ path: "/nonexistent/aiblint" });
  const bundle = path.join(__dirname, "../../dist/extension.js");
  const extension = withVscode(vscode, () => {
    delete require.cache[bundle];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(bundle);
  });
  await extension.activate({ subscriptions: [] });
  assert.deepEqual(seen.commands, ["aiblint.migrate", "aiblint.restart"]);
  assert.equal(seen.errors.length, 1, JSON.stringify(seen));
  assert.match(seen.errors[0], /"aiblint\.path" \(\/nonexistent\/aiblint\) is not an executable file/);
  assert.deepEqual(seen.output, seen.errors);
  await extension.deactivate();
});
