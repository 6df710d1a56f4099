#!/usr/bin/env python3
"""Runs aiblint on hostile inputs and tables what each costs.

Each case is a config directory built in a temporary directory (an alias bomb, nested anchors,
100k-deep nesting, a 5 MB line, NUL bytes, invalid UTF-8, a FIFO, a directory or /dev/zero
named providers.yaml, a symlink loop, a huge sparse file, tens of thousands of unknown keys,
merge keys and near-miss names). For each, `aiblint check` (and, where the issue was a hang,
`versions` and `migrate --dry-run`) runs with a time limit, and the wall time, the peak
resident memory (from wait4) and the exit code are recorded. Every case whose file is under
the size cap is also opened in `aiblint lsp`, and the time until its diagnostics and until
the answers to documentSymbol, hover and completion requests is recorded.

    scripts/hostile-inputs.py [--binary target/release/aiblint] [--markdown docs/hostile-inputs.md]

Exits 1 when a case breaks a bound (BOUNDS below): more than the time or memory allowed, an
exit code other than 0, 1 or 2, a crash, or a language server answer later than 2 s.
"""

import argparse
import json
import multiprocessing
import os
import platform
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docs_section import replace_section

# The bounds every case must stay within.
MAX_SECONDS = 10.0
MAX_RSS_MIB = 1024
LSP_ANSWER_SECONDS = 2.0
KILL_AFTER_SECONDS = 60.0

PROVIDERS_HEAD = 'metadata:\n  schema_version: "2.0.0"\nproviders:\n'
MAPPINGS_HEAD = 'metadata:\n  schema_version: "2.0.0"\n'


def provider(pid, extra=""):
    return (
        f"  {pid}:\n    type: ollama\n    base_url: http://127.0.0.1:11434\n"
        f"    status: active\n    description: d\n    models: [m-{pid}]\n{extra}"
    )


# ---------------------------------------------------------------- the cases


def alias_bomb(d):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    (d / "providers.yaml").write_text(PROVIDERS_HEAD + "  x: {}\n" + "\n".join(lines) + "\n")


def nested_anchors(levels, target_bytes):
    # `x: &n0 {n1: &n1 {n2: ... {k0: value-0, k1: value-1, ...}}}`: each anchor holds all the
    # anchors inside it, and no alias is used.
    def build(d):
        leaf = ", ".join(f"k{i}: value-{i}" for i in range(target_bytes // 18))
        opening = "".join(f"n{i}: &n{i} {{" for i in range(levels))
        text = "providers:\n  x: {" + opening + leaf + "}" * (levels + 1) + "\n"
        (d / "providers.yaml").write_text(text)

    return build


def deep_flow(d):
    n = 100_000
    (d / "providers.yaml").write_text("providers: " + "[" * n + "]" * n + "\n")


def deep_block(d):
    # `- - - - x`: one block sequence inside another, 100k levels on one line.
    (d / "providers.yaml").write_text("providers:\n  " + "- " * 100_000 + "x\n")


def long_line(d):
    (d / "providers.yaml").write_text("providers:\n  description: " + "a" * 5_000_000 + "\n")


def flow_line(items):
    # Every item is a wrong value (a pattern must be a mapping): an error each.
    def build(d):
        (d / "model-mappings.yaml").write_text("patterns: [" + ",".join(["1"] * items) + "]\n")

    return build


def flow_keys(d):
    keys = ",".join(f"k{i}" for i in range(500_000))
    (d / "model-mappings.yaml").write_text("metadata: {" + keys + "}\n")


def nul_bytes(d):
    (d / "providers.yaml").write_bytes(b"providers:\n  a: \x00\x00\x00\n" + b"\x00" * 1_000_000)


def invalid_utf8(d):
    (d / "providers.yaml").write_bytes(b"providers:\n  a: \xff\xfe\xc3\n" * 100_000)


def fifo(d):
    os.mkfifo(d / "providers.yaml")


def directory(d):
    (d / "providers.yaml").mkdir()


def dev_zero(d):
    (d / "providers.yaml").symlink_to("/dev/zero")


def symlink_loop(d):
    (d / "providers.yaml").symlink_to("model-mappings.yaml")
    (d / "model-mappings.yaml").symlink_to("providers.yaml")


def sparse(d):
    with open(d / "providers.yaml", "wb") as f:
        f.truncate(3 * 1024**3)


def unknown_keys(d):
    keys = "".join(f"    unknown_key_{i}: 1\n" for i in range(40_000))
    (d / "providers.yaml").write_text(PROVIDERS_HEAD + provider("p", keys))


def near_miss_keys(d):
    typos = ["base_ur", "stauts", "descriptin", "modles", "typ", "health_endpoit"]
    keys = "".join(f"    {typos[i % len(typos)]}{i}: 1\n" for i in range(40_000))
    (d / "providers.yaml").write_text(PROVIDERS_HEAD + provider("p", keys))


def merged_anchor(d):
    shared = "".join(f"  key_{i}: {i}\n" for i in range(20_000))
    text = "x-shared: &shared\n" + shared + PROVIDERS_HEAD + provider("p", "    <<: *shared\n")
    (d / "providers.yaml").write_text(text)


def top_level_merge(d):
    shared = "".join(f"  key_{i}: {i}\n" for i in range(150_000))
    text = "x-shared: &shared\n" + shared + "<<: *shared\n" + PROVIDERS_HEAD + provider("p")
    (d / "providers.yaml").write_text(text)


def near_miss_providers(d):
    ids = [f"provider-{i:05d}" for i in range(20_000)]
    (d / "providers.yaml").write_text(PROVIDERS_HEAD + "".join(provider(i) for i in ids))
    routes = "".join(
        f'  "model-{i}":\n    provider: {pid[:-1]}x\n    priority: primary\n'
        for i, pid in enumerate(ids)
    )
    (d / "model-mappings.yaml").write_text(MAPPINGS_HEAD + "exact_matches:\n" + routes)


def unrelated_providers(d):
    ids = [f"p{i * 7919 % 100_003:06d}-{'abcdefghij'[i % 10]}" for i in range(20_000)]
    (d / "providers.yaml").write_text(PROVIDERS_HEAD + "".join(provider(i) for i in ids))
    routes = "".join(
        f'  "model-{i}":\n    provider: zz{i:08d}qq\n    priority: primary\n' for i in range(20_000)
    )
    (d / "model-mappings.yaml").write_text(MAPPINGS_HEAD + "exact_matches:\n" + routes)


CASES = [
    ("alias bomb (billion laughs)", alias_bomb),
    ("120 nested anchors, 200 KB", nested_anchors(120, 200_000)),
    ("120 nested anchors, 1.6 MB", nested_anchors(120, 1_600_000)),
    ("100k-deep flow nesting", deep_flow),
    ("100k-deep block nesting", deep_block),
    ("5 MB single line", long_line),
    ("4 MB single-line flow sequence", flow_line(2_000_000)),
    ("8 MB single-line flow sequence (the former size cap)", flow_line(4_000_000)),
    ("4 MB flow mapping of bare keys", flow_keys),
    ("NUL bytes", nul_bytes),
    ("invalid UTF-8", invalid_utf8),
    ("FIFO named providers.yaml", fifo),
    ("directory named providers.yaml", directory),
    ("/dev/zero named providers.yaml", dev_zero),
    ("symlink loop", symlink_loop),
    ("3 GiB sparse providers.yaml", sparse),
    ("40k unknown keys", unknown_keys),
    ("40k near-miss keys", near_miss_keys),
    ("provider merging a 20k-key anchor", merged_anchor),
    ("top-level merge of a 150k-key anchor", top_level_merge),
    ("20k near-miss provider references", near_miss_providers),
    ("20k unrelated provider references", unrelated_providers),
]

# The commands run on each case; `migrate --dry-run` and `versions` only where reading hung.
READ_CASES = {"FIFO named providers.yaml", "/dev/zero named providers.yaml", "symlink loop"}


# GNU time (Debian package `time`) measures the peak RSS of aiblint alone. Without it, the
# peak is read from wait4, where a child forked from this script starts with the script's own
# resident memory (about 10 MiB), so small figures are overstated by that much.
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def run(binary, args, cwd):
    """Runs one command; returns (seconds, peak RSS in MiB, exit code or signal name)."""
    report = Path(cwd) / ".time"
    command = [binary, *args]
    if GNU_TIME:
        command = [GNU_TIME, "-q", "-f", "%M %x", "-o", str(report), *command]
    start = time.monotonic()
    proc = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"}, start_new_session=True,
    )
    deadline = start + KILL_AFTER_SECONDS
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            return KILL_AFTER_SECONDS, usage.ru_maxrss / 1024, "hung (killed)"
        time.sleep(0.005)
    seconds = time.monotonic() - start
    rss = usage.ru_maxrss / 1024
    if os.WIFSIGNALED(status):
        code = signal.Signals(os.WTERMSIG(status)).name
    else:
        code = os.WEXITSTATUS(status)
    if GNU_TIME:
        rss = int(report.read_text().split()[0]) / 1024
        # GNU time exits with 128 + N when the command was killed by signal N.
        if isinstance(code, int) and code > 128:
            code = signal.Signals(code - 128).name
    return seconds, rss, code


# ---------------------------------------------------------------- the language server


class Lsp:
    def __init__(self, binary):
        self.proc = subprocess.Popen(
            [binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.buffer = b""
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def read(self, timeout):
        """The next message, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = int(head.split(b":")[1])
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return json.loads(rest[:length])
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk

    def wait_for(self, predicate, timeout):
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            message = self.read(timeout - (time.monotonic() - start))
            if message is None:
                return None
            if predicate(message):
                return time.monotonic() - start
        return None

    def close(self):
        try:
            self.request("shutdown", None)
            self.send({"jsonrpc": "2.0", "method": "exit"})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def lsp_case(binary, path):
    """Seconds from didOpen to the file's diagnostics, and to the slowest answer of three
    requests sent right after didOpen (each timed from when it was sent)."""
    text = path.read_bytes().decode("utf-8", "replace")
    uri = path.resolve().as_uri()
    lsp = Lsp(binary)
    try:
        lsp.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        lsp.wait_for(lambda m: m.get("id") == 1, 30)
        lsp.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        opened = time.monotonic()
        lsp.send({
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        })
        doc = {"textDocument": {"uri": uri}}
        at = {**doc, "position": {"line": 2, "character": 3}}
        sent = {}
        for method, params in [("textDocument/documentSymbol", doc), ("textDocument/hover", at),
                               ("textDocument/completion", at)]:
            sent[lsp.request(method, params)] = time.monotonic()
        diagnostics, slowest = None, 0.0
        deadline = opened + KILL_AFTER_SECONDS
        while (sent or diagnostics is None) and time.monotonic() < deadline:
            message = lsp.read(deadline - time.monotonic())
            if message is None:
                break
            now = time.monotonic()
            if message.get("method") == "textDocument/publishDiagnostics" and diagnostics is None:
                diagnostics = now - opened
            if message.get("id") in sent:
                slowest = max(slowest, now - sent.pop(message["id"]))
        if sent:
            slowest = KILL_AFTER_SECONDS
        return diagnostics, slowest
    finally:
        lsp.close()


# ---------------------------------------------------------------- the table


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="target/release/aiblint")
    parser.add_argument("--markdown", help="write the table to this file")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    binary = str(Path(args.binary).resolve())
    rows, broken = [], []
    for name, build in CASES:
        if args.only and args.only not in name:
            continue
        with tempfile.TemporaryDirectory(prefix="aiblint-hostile-") as tmp:
            config = Path(tmp) / "config"
            config.mkdir()
            # Built in a child process, so that this script stays small (see GNU_TIME).
            builder = multiprocessing.get_context("fork").Process(target=build, args=(config,))
            builder.start()
            builder.join()
            commands = [["check", "config"]]
            if name in READ_CASES:
                commands += [["versions", "config"], ["migrate", "--dry-run", "config"]]
            for command in commands:
                seconds, rss, code = run(binary, command, tmp)
                ok = code in (0, 1, 2) and seconds <= MAX_SECONDS and rss <= MAX_RSS_MIB
                lsp = ""
                if command[0] == "check":
                    files = [p for p in sorted(config.iterdir())
                             if p.is_file() and not p.is_symlink()
                             and p.stat().st_size <= 64 * 1024 * 1024]
                    timings = [lsp_case(binary, p) for p in files]
                    if timings:
                        first = max((t[0] if t[0] is not None else KILL_AFTER_SECONDS) for t in timings)
                        answer = max(t[1] for t in timings)
                        lsp = f"{first:.2f} s / {answer:.2f} s"
                        ok = ok and answer <= LSP_ANSWER_SECONDS
                    else:
                        lsp = "not opened (not a file under the cap)"
                row = (name, " ".join(command), f"{seconds:.2f} s", f"{rss:.0f} MiB", str(code), lsp)
                rows.append(row)
                if not ok:
                    broken.append(row)
                print(" | ".join(row), flush=True)
    header = ("case", "command", "time", "peak RSS", "exit", "lsp: diagnostics / slowest answer")
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    if args.markdown:
        cpu = platform.processor() or platform.machine()
        section = SECTION.format(
            seconds=MAX_SECONDS, rss=MAX_RSS_MIB, lsp=LSP_ANSWER_SECONDS,
            machine=f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores",
        ) + "\n".join(table) + "\n"
        replace_section(Path(args.markdown), "hostile-inputs", section)
    if broken:
        print(f"\n{len(broken)} case(s) out of bounds:", file=sys.stderr)
        for row in broken:
            print("  " + " | ".join(row), file=sys.stderr)
        return 1
    return 0


SECTION = """Measured by `scripts/hostile-inputs.py` (release build; {machine}):

    cargo build --release && scripts/hostile-inputs.py --markdown docs/hostile-inputs.md

The script fails when a case exceeds {seconds:.0f} s or {rss} MiB for `aiblint check`, exits
with anything but 0, 1 or 2, or when the language server, with the file open, takes more
than {lsp:.0f} s to answer documentSymbol, hover or completion sent right after opening the
file. "lsp" gives the time from `didOpen` to the file's diagnostics, then the slowest of
those three answers (each from when it was sent).

"""


if __name__ == "__main__":
    sys.exit(main())
