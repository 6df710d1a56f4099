#!/usr/bin/env python3
"""Kills `aiblint migrate` with SIGKILL at random moments, and edits the files it migrates
while it runs, many times over, and checks what `migrate` promises (README, "What `migrate`
guarantees"):

kill   each run is killed at a random moment; afterwards every config file is either its
       original or its migrated text (never torn), every backup present is a whole copy of
       its original, and the next `aiblint migrate` recovers: it exits 0, the files are
       exactly what an uninterrupted run writes, one backup each, no journal or temp file.
edit   while each run migrates, another process appends numbered lines to providers.yaml
       and model-mappings.yaml at random moments (open, append, close, as `>>` does);
       afterwards every line appended is in its file (or kept aside, in the
       `<file>.aiblint-conflict` or `<file>.aiblint-replaced` that aiblint names), and any
       backup is a whole
       copy of the file as aiblint read it (the original and the edits made before).

    scripts/migrate-faults.py [--binary target/release/aiblint] [--runs 300] [kill|edit]...

`AIBLINT_PAUSE_MS` (a test hook) slows each run's transaction down by a random few
milliseconds per step, so that the faults land inside it. Exits 1 if any check fails.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from docs_section import replace_section

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "fixtures" / "sets" / "legacy-homelab"
FILES = ["model-mappings.yaml", "providers.yaml"]
JOURNAL = ".aiblint-migrate.journal"


def fresh(tmp):
    config = Path(tmp) / "config"
    shutil.rmtree(config, ignore_errors=True)
    # The set's YAML files only (the fixture directory also holds expectation files).
    shutil.copytree(SET, config, ignore=lambda _, names: [n for n in names if not n.endswith(".yaml")])
    return config


def migrate(binary, config, env=None):
    return subprocess.run(
        [binary, "migrate", str(config)], capture_output=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


def reference(binary):
    """The original and the migrated bytes of each file, from an uninterrupted run."""
    with tempfile.TemporaryDirectory() as tmp:
        config = fresh(tmp)
        original = {f: (config / f).read_bytes() for f in FILES}
        result = migrate(binary, config)
        assert result.returncode == 0, result.stderr.decode()
        migrated = {f: (config / f).read_bytes() for f in FILES}
    return original, migrated


def backups(config):
    return sorted(p for p in config.iterdir()
                  if ".backup-v" in p.name and not p.name.startswith(".") and ".aiblint-" not in p.name)


def kill_runs(binary, runs, original, migrated, rng):
    counts = {"runs": 0, "killed inside the transaction": 0, "torn files": 0,
              "backups not a whole copy": 0, "recoveries failed": 0, "left over after recovery": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            config = fresh(tmp)
            counts["runs"] += 1
            proc = subprocess.Popen(
                [binary, "migrate", str(config)], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "NO_COLOR": "1", "AIBLINT_PAUSE_MS": str(rng.randint(0, 8))},
            )
            time.sleep(rng.uniform(0, 0.06))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if (config / JOURNAL).exists():
                counts["killed inside the transaction"] += 1
            for f in FILES:
                if (config / f).read_bytes() not in (original[f], migrated[f]):
                    counts["torn files"] += 1
            for backup in backups(config):
                name = backup.name.split(".backup-v")[0]
                if backup.read_bytes() != original[name]:
                    counts["backups not a whole copy"] += 1
            result = migrate(binary, config)
            ok = result.returncode == 0 and all(
                (config / f).read_bytes() == migrated[f] for f in FILES)
            if not ok:
                counts["recoveries failed"] += 1
                print(result.stdout.decode(), result.stderr.decode(), file=sys.stderr)
            expected = sorted(FILES + [f"{f}.backup-v1.0.0" for f in FILES])
            names = sorted(p.name for p in config.iterdir())
            if names != expected:
                counts["left over after recovery"] += 1
                print("left:", sorted(set(names) - set(expected)), file=sys.stderr)
    return counts


def appender(config, stop, lines, rng):
    n = 0
    # From a burst of edits to one now and then, so that runs both migrate and abandon.
    gap = rng.choice([0.004, 0.02, 0.1])
    while not stop.is_set():
        name = rng.choice(FILES)
        line = f"# concurrent edit {n}\n".encode()
        with open(config / name, "ab") as f:
            f.write(line)
        lines.append((name, line))
        n += 1
        time.sleep(rng.uniform(0, gap))


def edit_runs(binary, runs, original, rng):
    counts = {"runs": 0, "migrated": 0, "abandoned (changed on disk)": 0, "other outcomes": 0,
              "edits appended": 0, "edits kept aside": 0, "edits lost": 0,
              "backups not a whole copy": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            config = fresh(tmp)
            counts["runs"] += 1
            stop, lines = threading.Event(), []
            thread = threading.Thread(target=appender, args=(config, stop, lines, rng))
            proc = subprocess.Popen(
                [binary, "migrate", str(config)], stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "NO_COLOR": "1", "AIBLINT_PAUSE_MS": str(rng.randint(0, 3))},
            )
            time.sleep(rng.uniform(0, 0.02))
            thread.start()
            _, err = proc.communicate()
            stop.set()
            thread.join()
            if proc.returncode == 0:
                counts["migrated"] += 1
            elif b"changed on disk" in err:
                counts["abandoned (changed on disk)"] += 1
            else:
                counts["other outcomes"] += 1
                print(err.decode(), file=sys.stderr)
            for name in FILES:
                text = (config / name).read_bytes()
                aside = b"".join(
                    (config / f"{name}.aiblint-{kind}").read_bytes()
                    for kind in ("conflict", "replaced")
                    if (config / f"{name}.aiblint-{kind}").exists())
                for file, line in lines:
                    if file == name:
                        counts["edits appended"] += 1
                        if line in text:
                            continue
                        if line in aside:
                            counts["edits kept aside"] += 1
                        else:
                            counts["edits lost"] += 1
                            print(f"lost {line!r} from {name}", file=sys.stderr)
            # A backup copies the file as aiblint read it: the original and the edits made
            # before that, in order.
            for backup in backups(config):
                name = backup.name.split(".backup-v")[0]
                appended = [line for file, line in lines if file == name]
                prefixes = {original[name] + b"".join(appended[:k]) for k in range(len(appended) + 1)}
                if backup.read_bytes() not in prefixes:
                    counts["backups not a whole copy"] += 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(ROOT / "target" / "release" / "aiblint"))
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--markdown", help="write the results into this page's migrate-faults section")
    parser.add_argument("modes", nargs="*", default=["kill", "edit"])
    args = parser.parse_args()
    binary = str(Path(args.binary).resolve())
    rng = random.Random(args.seed)
    original, migrated = reference(binary)
    failed = False
    rows = []
    for mode in args.modes:
        if mode == "kill":
            counts = kill_runs(binary, args.runs, original, migrated, rng)
            bad = ["torn files", "backups not a whole copy", "recoveries failed",
                   "left over after recovery"]
        else:
            counts = edit_runs(binary, args.runs, original, rng)
            bad = ["edits lost", "backups not a whole copy", "other outcomes"]
        print(f"{mode}: " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        rows += [f"| {mode} | {k} | {v} |" for k, v in counts.items()]
        failed |= any(counts[k] for k in bad)
    if args.markdown:
        text = (f"Measured by `scripts/migrate-faults.py --runs {args.runs}` (release build) on "
                f"fixtures/sets/legacy-homelab, seed {args.seed}:\n\n"
                "| loop | count | |\n|---|---|---|\n" + "\n".join(rows) + "\n")
        replace_section(Path(args.markdown), "migrate-faults", text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
