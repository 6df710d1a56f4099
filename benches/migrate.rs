//! Times `migrate::plan` (plus applying its edits) in-process: the legacy homelab set, and
//! synthetic legacy sets of 10× and 100× its size, to show the cost grows linearly. Prints
//! medians.
//!
//! Run with `cargo bench --bench migrate`.

mod common;

use std::hint::black_box;
use std::time::Duration;

use aiblint::diagnostic::apply_edits;
use aiblint::migrate::{plan, MigrationInput};
use aiblint::model::version::CURRENT;
use aiblint::model::FileKind;
use common::{lines, median, read_set};

/// The binary's allocator, so that what is measured is what ships.
#[global_allocator]
static ALLOCATOR: aiblint::alloc::Allocator = aiblint::alloc::Allocator;

/// Plans and applies the migration; returns the number of edits.
fn migrate(files: &[(String, FileKind)]) -> usize {
    let inputs: Vec<MigrationInput<'_>> = files
        .iter()
        .map(|(text, kind)| MigrationInput { kind: *kind, text })
        .collect();
    let planned = plan(&inputs, &CURRENT).unwrap();
    for f in &planned.files {
        black_box(apply_edits(inputs[f.index].text, &f.edits));
    }
    planned.files.iter().map(|f| f.edits.len()).sum()
}

/// A legacy set with `groups` of everything: vLLM providers (all active), load-balancing
/// groups with conditions and parameters, special cases, metadata routes.
fn synthetic(groups: usize) -> Vec<(String, FileKind)> {
    let mut p = String::from("# legacy\nmetadata:\n  version: \"1.7\"\nproviders:\n");
    let mut m = String::from("# legacy\nmetadata:\n  version: \"1.7\"\nexact_matches:\n");
    let mut lb = String::from("load_balancing:\n");
    let mut special = String::from("special_cases:\n");
    let mut routes =
        String::from("routing_rules:\n  default_provider: vllm-0\n  request_metadata_routing:\n");
    for i in 0..groups {
        p += &format!(
            "  # vLLM {i}\n  vllm-{i}:\n    type: vllm\n    base_url: http://gpu-{i}.lan:8000/v1\n    status: active   # box {i}\n    description: vLLM on box {i}\n    models:\n      - model-{i}\n"
        );
        m += &format!(
            "  model-{i}:\n    provider: vllm-{i}\n    priority: primary\n    description: route {i}\n"
        );
        lb += &format!(
            "  group-{i}:\n    strategy: least_loaded\n    providers:\n      - provider: vllm-{i}\n        weight: 0.5\n        condition: \"queue > {i}\"  # 1.x\n      - provider: vllm-0\n        weight: 0.5\n    # knobs\n    parameters:\n      interval: 30\n      threshold: 3\n"
        );
        special += &format!("  case-{i}:\n    # why\n    provider: vllm-{i}\n");
        routes += &format!("    route-{i}:\n      header: X-Route-{i}\n      route_to: vllm-{i}\n");
    }
    m += &lb;
    m += &special;
    m += &routes;
    vec![(m, FileKind::Mappings), (p, FileKind::Providers)]
}

fn report(label: &str, n: usize, edits: usize, t: Duration) {
    println!(
        "{label:<22} {n:>7} lines {edits:>6} edits  median {:>9.3} ms  ({:.0} ns/line)",
        t.as_secs_f64() * 1e3,
        t.as_nanos() as f64 / n as f64
    );
}

fn main() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sets/legacy-homelab");
    let legacy = read_set(
        &root,
        &[
            ("model-mappings.yaml", FileKind::Mappings),
            ("providers.yaml", FileKind::Providers),
        ],
    );
    let edits = migrate(&legacy);
    let t = median(201, || {
        black_box(migrate(black_box(&legacy)));
    });
    report("legacy-homelab", lines(&legacy), edits, t);
    // About 25 groups make a set the size of legacy-homelab.
    for (label, groups, runs) in [
        ("synthetic 1x", 25, 101),
        ("synthetic 10x", 250, 31),
        ("synthetic 100x", 2500, 11),
    ] {
        let set = synthetic(groups);
        let edits = migrate(&set);
        let t = median(runs, || {
            black_box(migrate(black_box(&set)));
        });
        report(label, lines(&set), edits, t);
    }
}
