#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from fixtures/ and
config/. Set inputs join the files of a set with two NUL bytes, in the order of
`SET_FILES` in fuzz/oracles.rs: providers, model-mappings, litellm-unified, ports.

    fuzz/seed.py        # rewrites fuzz/corpus; the names are content hashes, so it is stable
"""

import hashlib
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
SET_FILES = ["providers.yaml", "model-mappings.yaml", "litellm-unified.yaml", "ports.yaml"]
# Larger inputs slow every fuzzing run down and rarely teach the fuzzer anything new.
MAX_SEED = 16 * 1024


def kind_of(name):
    for i, file_name in enumerate(SET_FILES):
        stem = file_name.removesuffix(".yaml")
        if name in (file_name, stem + ".yml") or name.endswith("." + file_name):
            return i
    return None


def sets():
    """Every config set of the fixtures: a directory of set files, or one `<case>.<file>`."""
    found = []
    for directory in sorted(p for p in [ROOT / "config", *ROOT.glob("fixtures/**/")] if p.is_dir()):
        members = [None] * len(SET_FILES)
        for path in sorted(directory.iterdir()):
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                continue
            kind = kind_of(path.name)
            if kind is None:
                continue
            if path.name in SET_FILES:
                members[kind] = path.read_bytes()
            else:
                single = [b""] * len(SET_FILES)
                single[kind] = path.read_bytes()
                found.append(single)
        if any(m is not None for m in members):
            found.append([m or b"" for m in members])
    return found


def joined(files, count=len(SET_FILES)):
    files = list(files[:count])
    while len(files) > 1 and not files[-1]:
        files.pop()
    return b"\0\0".join(files)


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def lsp_seeds(texts):
    """Op streams for the lsp oracle: encoding, file, opening text, then operations."""
    seeds = []
    for n, text in enumerate(texts):
        text = text[:63]
        ops = bytes([n % 2, n % 3, len(text)]) + text
        # An edit, a hover, a completion, a symbol request, a close and a reopen.
        ops += bytes([0, 2, 4, 2, 9, 3]) + b"x: y"
        ops += bytes([8, 1, 2, 0, 0, 9, 3, 5, 0, 0, 12, 7, 7, 5]) + b"a: 1\n"
        ops += bytes([0, 255, 255, 0, 1, 4]) + "é🦙\r\n".encode()
        seeds.append(ops)
    return seeds


def framing_seeds():
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    hover = {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
             "params": {"textDocument": {"uri": "file:///x.yaml"}, "position": {"line": 0, "character": 0}}}
    bodies = [json.dumps(m).encode() for m in (init, hover)]
    dup = b'{"jsonrpc":"2.0","method":"initialized","method":"initialized","params":{}}'
    strict = b"\0" + b"\xfe".join(b"\0" + b for b in bodies + [dup, b"{nope"])
    raw = b"\0" + b"\xfe".join([b"\1garbage line\r\n\r\n", b"\0" + bodies[1]])
    loose = b"\1" + frame(init) + b"Content-Length: 3\r\n\r\n[1]" + b"Content-Length: x\r\n\r\n"
    return [strict, raw, loose]


def write(target, seeds):
    directory = CORPUS / target
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for seed in seeds:
        if 0 < len(seed) <= MAX_SEED:
            (directory / hashlib.sha1(seed).hexdigest()).write_bytes(seed)


def main():
    all_sets = sets()
    files = [f for s in all_sets for f in s if f]
    write("parse", files)
    write("lint", [joined(s) for s in all_sets])
    write("emit", [joined(s) for s in all_sets if any(s[2:])] + [joined(s) for s in all_sets[:20]])
    write("migrate", [joined(s, 2) for s in all_sets if any(s[:2])])
    write("lsp", lsp_seeds([f for f in files if len(f) < 2000][:12]))
    write("framing", framing_seeds())
    for target in sorted(p.name for p in CORPUS.iterdir()):
        print(target, len(list((CORPUS / target).iterdir())))


if __name__ == "__main__":
    main()
