// The client capabilities that VS Code's own client sends, computed by the pinned
// vscode-languageclient itself (its `computeClientCapabilities`, which asks every built-in
// feature), so that the end-to-end test speaks to the server exactly as VS Code would.
// vscode-languageclient imports the `vscode` module, which only exists inside VS Code: it is
// replaced here by an inert stand-in, which the capability code never calls into.

import Module = require("module");

export function inert(name: string): unknown {
  const target = function () {} as unknown as Record<string | symbol, unknown>;
  return new Proxy(target, {
    get(t, prop) {
      if (prop === "then") {
        return undefined; // not a promise
      }
      if (prop === "version") {
        return "1.82.0"; // the oldest VS Code the extension supports (package.json)
      }
      if (!(prop in t)) {
        t[prop] = inert(`${name}.${String(prop)}`);
      }
      return t[prop];
    },
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`) as object,
  });
}

/** Runs `f` while `require("vscode")` gives `vscode`. */
export function withVscode<T>(vscode: unknown, f: () => T): T {
  const loader = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  };
  const load = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean) {
    return request === "vscode" ? vscode : load.call(this, request, parent, isMain);
  };
  try {
    return f();
  } finally {
    loader._load = load;
  }
}

export function vscodeClientCapabilities(): Record<string, unknown> {
  return withVscode(inert("vscode"), () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LanguageClient } = require("vscode-languageclient/node");
    const client = new LanguageClient(
      "aiblint",
      "aiblint",
      { command: "aiblint", args: ["lsp"] },
      { documentSelector: [{ scheme: "file", pattern: "**/*.yaml" }] },
    );
    return client.computeClientCapabilities();
  });
}
