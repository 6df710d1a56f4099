// Finds the aiblint binary: the `aiblint.path` setting when set, else `aiblint` on PATH.
// No VS Code API here, so that the tests run it under plain Node.

import * as fs from "fs";
import * as path from "path";

export type Found = { ok: true; path: string } | { ok: false; message: string };

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** The names a command may have on this platform (`aiblint.exe` on Windows). */
function candidates(name: string, env: NodeJS.ProcessEnv): string[] {
  if (process.platform !== "win32" || path.extname(name) !== "") {
    return [name];
  }
  const extensions = (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").filter((e) => e !== "");
  return extensions.map((e) => name + e.toLowerCase());
}

/**
 * Resolves the binary. `configured` is the `aiblint.path` setting (`~` is the home
 * directory; a relative path is taken from `workspaceRoot`); empty means PATH.
 */
export function findBinary(
  configured: string,
  env: NodeJS.ProcessEnv = process.env,
  workspaceRoot?: string,
): Found {
  const setting = configured.trim();
  if (setting !== "") {
    let file = setting.startsWith("~/") ? path.join(env.HOME ?? "", setting.slice(2)) : setting;
    if (!path.isAbsolute(file) && workspaceRoot !== undefined) {
      file = path.join(workspaceRoot, file);
    }
    if (isExecutable(file)) {
      return { ok: true, path: file };
    }
    return {
      ok: false,
      message: `aiblint: the binary set in "aiblint.path" (${setting}) is not an executable file.`,
    };
  }
  const dirs = (env.PATH ?? "").split(path.delimiter).filter((d) => d !== "");
  for (const dir of dirs) {
    for (const name of candidates("aiblint", env)) {
      const file = path.join(dir, name);
      if (isExecutable(file)) {
        return { ok: true, path: file };
      }
    }
  }
  return {
    ok: false,
    message:
      'aiblint: the "aiblint" binary is not on PATH. Install it (cargo install --path . in the ' +
      'aiblint repository) or set "aiblint.path" to where it is.',
  };
}
