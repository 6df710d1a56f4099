import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { findBinary } from "../src/binary";

function executable(dir: string, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, 0o755);
  return file;
}

test("finds aiblint on PATH, skipping what is not an executable file", () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "aiblint-bin-"));
  const empty = path.join(base, "empty");
  const notExecutable = path.join(base, "plain");
  const good = path.join(base, "good");
  for (const d of [empty, notExecutable, good]) {
    fs.mkdirSync(d);
  }
  fs.writeFileSync(path.join(notExecutable, "aiblint"), "");
  fs.chmodSync(path.join(notExecutable, "aiblint"), 0o644);
  fs.mkdirSync(path.join(empty, "aiblint")); // a directory of that name
  const expected = executable(good, "aiblint");
  const PATH = [empty, notExecutable, good].join(path.delimiter);
  assert.deepEqual(findBinary("", { PATH }), { ok: true, path: expected });
});

test("says clearly when the binary is missing or the setting is wrong", () => {
  const missing = findBinary("", { PATH: "/nonexistent" });
  assert.equal(missing.ok, false);
  assert.match(!missing.ok ? missing.message : "", /not on PATH.*aiblint\.path/);
  const wrong = findBinary("/nonexistent/aiblint", { PATH: "" });
  assert.match(!wrong.ok ? wrong.message : "", /"aiblint\.path" \(\/nonexistent\/aiblint\) is not an executable file/);
});

test("the setting wins over PATH; relative to the workspace, ~ is home", () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "aiblint-bin-"));
  const onPath = path.join(base, "path");
  fs.mkdirSync(onPath);
  executable(onPath, "aiblint");
  const custom = executable(base, "my-aiblint");
  assert.deepEqual(findBinary(custom, { PATH: onPath }), { ok: true, path: custom });
  assert.deepEqual(findBinary("my-aiblint", { PATH: onPath }, base), { ok: true, path: custom });
  assert.deepEqual(findBinary("~/my-aiblint", { PATH: onPath, HOME: base }), {
    ok: true,
    path: custom,
  });
});
