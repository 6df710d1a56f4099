//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and every minimised finding
//! (`fuzz/regressions/<target>/`) through the fuzz targets' oracles, on the stable toolchain,
//! so that what a fuzzing campaign found stays fixed. The oracles are those of the cargo-fuzz
//! targets, `fuzz/oracles.rs`; README's Development section says how to run a campaign.

#[path = "../../fuzz/oracles.rs"]
mod oracles;

use std::cell::Cell;
use std::fs;
use std::path::Path;
use std::sync::Once;

thread_local! {
    /// Whether this thread panicked, caught or not (the language server catches panics in
    /// its analyses and goes on; a fuzzer would still see them).
    static PANICKED: Cell<bool> = const { Cell::new(false) };
}

fn watch_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.with(|p| p.set(true));
            default(info);
        }));
    });
}

/// Runs `oracle` on every input of the target's corpus and regressions; a panic anywhere,
/// even one the language server catches and survives, fails the test with the input's name.
fn replay(target: &str, oracle: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            inputs.push((path.clone(), fs::read(&path).unwrap()));
        }
    }
    assert!(!inputs.is_empty(), "no corpus for {target}");
    inputs.sort();
    watch_panics();
    for (path, bytes) in &inputs {
        PANICKED.with(|p| p.set(false));
        let result = std::panic::catch_unwind(|| oracle(bytes));
        assert!(
            result.is_ok() && !PANICKED.with(Cell::get),
            "{target}: {} fails its oracle",
            path.display()
        );
    }
}

#[test]
fn parse() {
    replay("parse", oracles::parse);
}

#[test]
fn lint() {
    replay("lint", oracles::lint);
}

#[test]
fn emit() {
    replay("emit", oracles::emit);
}

#[test]
fn migrate() {
    replay("migrate", oracles::migrate);
}

#[test]
fn lsp() {
    replay("lsp", oracles::lsp);
}

#[test]
fn framing() {
    replay("framing", oracles::framing);
}
