#!/usr/bin/env python3
"""Writes synthetic config sets of 1x, 10x, 100x and 1000x the shipped example's size.

Each set is a consistent 2.0.0 set in the shape of `config/`: providers.yaml (Ollama
providers, six models each), model-mappings.yaml (an exact match, a fallback chain and a
pattern per model family), ports.yaml (one service per provider) and, when an aiblint
binary is given, the litellm-unified.yaml that `aiblint generate` makes of them. The
`metadata` blocks and the header comments are taken from `config/`. Every set checks
clean, so the benches time a full check rather than error reporting.

    scripts/synthetic-sets.py [--out target/synthetic] [--aiblint target/release/aiblint]
        [--scales 1,10,100,1000] [--sources-only 130,1300]

`--sources-only` scales get no litellm-unified.yaml: three-file sets of about 2.5 MB and
25 MB, the pair the linear-growth figure compares.

Never commit the output: the 1000x set is tens of megabytes.
"""

import argparse
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# About nine providers of six models make a set the size of the shipped example.
PROVIDERS_PER_SCALE = 9


def header(name):
    """The leading comment block of config/<name>, so the set reads like the example."""
    lines = []
    for line in (ROOT / "config" / name).read_text().splitlines():
        if line.startswith("#") or not line.strip():
            lines.append(line)
        else:
            break
    return "\n".join(lines) + "\n"


def synthetic(providers):
    p = [header("providers.yaml"), 'metadata:\n  schema_version: "2.0.0"\nproviders:\n']
    m = [header("model-mappings.yaml"), 'metadata:\n  schema_version: "2.0.0"\nexact_matches:\n']
    ports = [header("ports.yaml")]
    chains = ["fallback_chains:\n"]
    for i in range(providers):
        p.append(
            f"  prov-{i}:  # provider {i}\n    type: ollama\n"
            f"    base_url: http://gpu-{i}.lan:11434\n    status: active\n"
            f"    description: Ollama on box {i} \u2014 caf\u00e9\n"
            f"    health_endpoint: /api/tags\n    models:\n"
        )
        for j in range(6):
            p.append(
                f"      - name: model-{i}-{j}:7b\n        size: \"7B\"\n"
                f"        quantization: Q4_K_M\n        context_length: 8192\n"
                f"        pulled_at: \"2025-10-19\"\n"
            )
            m.append(
                f'  "model-{i}-{j}:7b":\n    provider: prov-{i}\n'
                f"    priority: primary\n    description: route {i}/{j}\n"
            )
            nxt = f'"model-{i}-{j + 1}:7b"' if j < 5 else ""
            chains.append(f'  "model-{i}-{j}:7b":\n    chain: [{nxt}]\n')
        ports.append(
            f"svc-{i}:\n  port: {10000 + i}\n  protocol: http\n  required: true\n"
            f"  service: ollama-{i}.service\n  description: Ollama {i}\n"
            f"  health_check: curl -fsS http://localhost/api/tags\n"
        )
    m.append("patterns:\n")
    for i in range(providers):
        m.append(f'  - pattern: "^family-{i}-.*"\n    provider: prov-{i}\n    description: family {i}\n')
    m.extend(chains)
    m.append("routing_rules:\n  default_provider: prov-0\n  default_fallback: prov-1\n")
    return {
        "providers.yaml": "".join(p),
        "model-mappings.yaml": "".join(m),
        "ports.yaml": "".join(ports),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "target" / "synthetic"))
    ap.add_argument("--aiblint", help="binary that generates litellm-unified.yaml")
    ap.add_argument("--scales", default="1,10,100,1000")
    ap.add_argument("--sources-only", default="130,1300",
                    help="scales written as three-file sets, without litellm-unified.yaml")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    sources_only = [int(s) for s in args.sources_only.split(",") if s]
    for scale in [int(s) for s in args.scales.split(",") if s] + sources_only:
        directory = out / f"{scale}x"
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in synthetic(PROVIDERS_PER_SCALE * scale).items():
            (directory / name).write_text(text)
        if args.aiblint and scale not in sources_only:
            subprocess.run([args.aiblint, "generate", str(directory)], check=True,
                           stdout=subprocess.DEVNULL)
        size = sum(f.stat().st_size for f in directory.iterdir())
        print(f"{directory}: {size / 1e6:.2f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
