//! Precision: every config set under `fixtures/sets/` (and the shipped example) yields exactly
//! the diagnostics its expectation file lists, each with the reason it is a real defect. A new
//! false positive, or a lost finding, fails here.
//!
//! `expected-diagnostics.txt` lists what `aiblint check` reports on the set;
//! `expected-after-migrate.txt`, when present, what it reports after `aiblint migrate` on a
//! copy. One line per diagnostic: `<file>:<line>:<column> <CODE>  # <why it is a defect>`.
//! The shipped example has no file: it must stay clean.
//! `AIBLINT_UPDATE_EXPECTED=1 cargo test --test it precision::` rewrites the files, keeping the
//! reasons of lines that stay and marking new lines `# (unreviewed)`, which fails until a
//! person writes the reason.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{aiblint, root};

const UNREVIEWED: &str = "(unreviewed)";

/// `file:line:col CODE` of every diagnostic `aiblint check --format json` reports in `dir`.
fn reported(dir: &Path) -> Vec<String> {
    let out = aiblint(dir, &["check", ".", "--format", "json"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: check failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let mut found: Vec<(String, u64, u64, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let file = file.rsplit('/').next().unwrap().to_string();
            let at = |k: &str| d["start"][k].as_u64().unwrap();
            (
                file,
                at("line"),
                at("column"),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|(file, line, col, code)| format!("{file}:{line}:{col} {code}"))
        .collect()
}

/// The expectation file: diagnostic → reason.
fn expected(path: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once("  # ") {
            Some((d, why)) => (d.trim().to_string(), why.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

/// Compares what a set yields with its expectation file; returns the failures.
fn compare(set: &str, file: &Path, got: &[String]) -> Vec<String> {
    let want = expected(file);
    let example = set == "config";
    if std::env::var_os("AIBLINT_UPDATE_EXPECTED").is_some() && !example {
        let mut text = String::from(
            "# Every diagnostic aiblint reports on this set, and why it is a real defect.\n",
        );
        for d in got {
            let why = want.get(d).map_or(UNREVIEWED, String::as_str);
            text += &format!("{d}  # {why}\n");
        }
        fs::write(file, text).unwrap();
        return Vec::new();
    }
    let mut failures = Vec::new();
    for d in got {
        if !want.contains_key(d) {
            failures.push(format!("{set}: unexpected {d}"));
        }
    }
    for (d, why) in &want {
        if !got.contains(d) {
            failures.push(format!("{set}: expected but not reported {d}"));
        } else if why.is_empty() || why == UNREVIEWED {
            failures.push(format!("{set}: {d} has no reason in {}", file.display()));
        }
    }
    failures
}

#[test]
fn every_set_yields_exactly_its_expected_diagnostics() {
    let mut sets: Vec<_> = fs::read_dir(root().join("fixtures/sets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    sets.sort();
    sets.push(root().join("config"));
    let mut failures = Vec::new();
    for dir in &sets {
        let name = dir.file_name().unwrap().to_str().unwrap().to_string();
        let expectation = dir.join("expected-diagnostics.txt");
        if name != "config" {
            assert!(
                expectation.exists() || std::env::var_os("AIBLINT_UPDATE_EXPECTED").is_some(),
                "{name}: no expected-diagnostics.txt"
            );
        }
        failures.extend(compare(&name, &expectation, &reported(dir)));
        let after = dir.join("expected-after-migrate.txt");
        if after.exists() {
            let copy = tempfile::tempdir().unwrap();
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    fs::copy(&path, copy.path().join(path.file_name().unwrap())).unwrap();
                }
            }
            let out = aiblint(copy.path(), &["migrate", "."]);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{name}: migrate failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            failures.extend(compare(
                &format!("{name} after migrate"),
                &after,
                &reported(copy.path()),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
