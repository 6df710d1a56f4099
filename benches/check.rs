//! Times `aiblint check` in-process: the shipped example, and synthetic config sets of 1×,
//! 10× and 100× its size (each with its generated litellm-unified.yaml, which G401 compares
//! with a fresh generation), to show that the cost grows linearly; and `generate` alone.
//! Prints medians.
//!
//! Run with `cargo bench --bench check`.

mod common;

use std::hint::black_box;
use std::time::Duration;

use aiblint::generate::{generate, Sources};
use aiblint::lint::{check_set, RuleSelection};
use aiblint::model::{Config, FileKind, MappingsConfig, ProvidersConfig, SetMember, SourceFile};
use common::{lines, median, read_set};

/// The binary's allocator, so that what is measured is what ships.
#[global_allocator]
static ALLOCATOR: aiblint::alloc::Allocator = aiblint::alloc::Allocator;

const EXAMPLE: [(&str, FileKind); 4] = [
    ("providers.yaml", FileKind::Providers),
    ("model-mappings.yaml", FileKind::Mappings),
    ("ports.yaml", FileKind::Ports),
    ("litellm-unified.yaml", FileKind::Litellm),
];

/// The typed sources of a set (its first two files).
fn sources(files: &[(String, FileKind)]) -> (ProvidersConfig, MappingsConfig) {
    let analyze = |i: usize| SourceFile::analyze(Some(files[i].1), files[i].0.clone()).config;
    match (analyze(0), analyze(1)) {
        (Config::Providers(p), Config::Mappings(m)) => (p, *m),
        _ => panic!("the sources parse"),
    }
}

/// Analyses and checks the files as one config set; returns the number of diagnostics.
fn check(files: &[(String, FileKind)]) -> usize {
    let members = files
        .iter()
        .map(|(text, kind)| SetMember {
            path: kind.file_name().to_string(),
            file: SourceFile::analyze(Some(*kind), text.clone()).into(),
        })
        .collect();
    check_set(members, &RuleSelection::default())
        .iter()
        .map(|f| f.diagnostics.len())
        .sum()
}

/// A consistent config set with `providers` providers of 6 models each.
fn synthetic(providers: usize) -> Vec<(String, FileKind)> {
    let mut p = String::from("metadata:\n  schema_version: \"2.0.0\"\nproviders:\n");
    let mut m = String::from("metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n");
    let mut ports = String::new();
    let mut chains = String::from("fallback_chains:\n");
    for i in 0..providers {
        p += &format!(
            "  prov-{i}:  # provider {i}\n    type: ollama\n    base_url: http://gpu-{i}.lan:11434\n    status: active\n    description: Ollama on box {i} — café\n    health_endpoint: /api/tags\n    models:\n"
        );
        for j in 0..6 {
            p += &format!(
                "      - name: model-{i}-{j}:7b\n        size: \"7B\"\n        quantization: Q4_K_M\n        context_length: 8192\n        pulled_at: \"2025-10-19\"\n"
            );
            m += &format!(
                "  \"model-{i}-{j}:7b\":\n    provider: prov-{i}\n    priority: primary\n    description: route {i}/{j}\n"
            );
            // Each model falls back to the next of its provider; the last one is terminal.
            let next = if j < 5 {
                format!("\"model-{i}-{}:7b\"", j + 1)
            } else {
                String::new()
            };
            chains += &format!("  \"model-{i}-{j}:7b\":\n    chain: [{next}]\n");
        }
        ports += &format!(
            "svc-{i}:\n  port: {}\n  protocol: http\n  required: true\n  service: ollama-{i}.service\n  description: Ollama {i}\n  health_check: curl -fsS http://localhost/api/tags\n",
            10_000 + i
        );
    }
    m += "patterns:\n";
    for i in 0..providers {
        m += &format!("  - pattern: \"^family-{i}-.*\"\n    provider: prov-{i}\n    description: family {i}\n");
    }
    m += &chains;
    m += "routing_rules:\n  default_provider: prov-0\n  default_fallback: prov-1\n";
    let mut files = vec![
        (p, FileKind::Providers),
        (m, FileKind::Mappings),
        (ports, FileKind::Ports),
    ];
    let (providers, mappings) = sources(&files);
    let sources = Sources {
        providers: &providers,
        mappings: &mappings,
        settings: None,
    };
    files.push((generate(sources).text, FileKind::Litellm));
    files
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let example = read_set(&root, &EXAMPLE);
    assert_eq!(check(&example), 0, "the shipped example must be clean");
    let base_lines = lines(&example);
    let t = median(201, || {
        black_box(check(black_box(&example)));
    });
    report("shipped example", base_lines, t);
    // About 9 providers make a set the size of the example.
    for (label, providers, runs) in [
        ("synthetic 1x", 9, 101),
        ("synthetic 10x", 90, 31),
        ("synthetic 100x", 900, 11),
    ] {
        let set = synthetic(providers);
        assert_eq!(check(&set), 0, "the synthetic set must be clean");
        let n = lines(&set);
        let t = median(runs, || {
            black_box(check(black_box(&set)));
        });
        report(label, n, t);
    }
    // Did-you-mean must not dominate: the 100x set with 1 in 50 chain members mistyped.
    let mut set = synthetic(900);
    let mut typos = 0;
    let mut chains = 0;
    set[1].0 = set[1]
        .0
        .lines()
        .map(|l| {
            if !l.starts_with("    chain: [\"model-") {
                return l.to_string();
            }
            chains += 1;
            if chains % 50 == 0 {
                typos += 1;
                l.replacen(":7b", ":7bb", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let found = check(&set);
    let t = median(11, || {
        black_box(check(black_box(&set)));
    });
    report(&format!("100x, {typos} typos"), lines(&set), t);
    assert!(found >= typos, "every typo is reported");
    // The generator alone, from typed sources to text.
    for (label, providers, runs) in [("generate 1x", 9, 101), ("generate 100x", 900, 11)] {
        let set = synthetic(providers);
        let (p, m) = sources(&set);
        let n = set[3].0.lines().count();
        let t = median(runs, || {
            black_box(generate(black_box(Sources {
                providers: &p,
                mappings: &m,
                settings: None,
            })));
        });
        report(label, n, t);
    }
}

fn report(label: &str, n: usize, t: Duration) {
    println!(
        "{label:<20} {n:>7} lines  median {:>10.3} ms  ({:.0} ns/line)",
        t.as_secs_f64() * 1e3,
        t.as_nanos() as f64 / n as f64
    );
}
