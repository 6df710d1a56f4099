//! The minimum supported Rust version that Cargo.toml declares is the true one for the
//! locked dependency graph: no locked package declares a newer `rust-version`, and one of
//! them declares exactly this one (so it cannot be lower).
//!
//! Checked for the platform the tests run on (CI's Linux); packages only other platforms use
//! (macOS's file watcher, Windows APIs) are not in that graph.
//!
//! What this proves, and what it does not: the machine has one toolchain, so nothing here
//! compiles with the declared version itself. Together with the MSRV-aware resolver
//! (`resolver = "3"`, which keeps `cargo update` within the declared version) and clippy's
//! `incompatible_msrv` lint (on by default, an error under `-D warnings` in CI: it rejects
//! standard-library APIs stabilised after the declared version), it covers the lockfile
//! and the library APIs aiblint calls, not language features or compiler behaviour.

use std::process::{Command, Stdio};

use serde_json::Value;

fn version(v: &str) -> (u64, u64, u64) {
    let mut parts = v.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn the_declared_rust_version_is_the_lockfiles() {
    let root = env!("CARGO_MANIFEST_DIR");
    // The packages of this platform: those of others are not downloaded here.
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    // Cargo asks rustc about the target with `rustc -` (source on stdin): give it an empty
    // stdin, whatever the test runner's is.
    let info = Command::new(rustc)
        .arg("-vV")
        .stdin(Stdio::null())
        .output()
        .expect("rustc runs");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let host = info
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc names its host");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--locked",
            "--offline",
            "--format-version",
            "1",
            "--filter-platform",
            host,
            "--manifest-path",
        ])
        .arg(format!("{root}/Cargo.toml"))
        .stdin(Stdio::null())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let ours = packages.iter().find(|p| p["name"] == "aiblint").unwrap();
    let declared = ours["rust_version"]
        .as_str()
        .expect("rust-version is declared");
    let resolved: Vec<&str> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let mut newest = ("", "0");
    for package in packages.iter().filter(|p| p["name"] != "aiblint") {
        let id = package["id"].as_str().unwrap();
        let Some(needs) = package["rust_version"].as_str() else {
            continue;
        };
        if !resolved.contains(&id) {
            continue;
        }
        assert!(
            version(needs) <= version(declared),
            "{} {} needs Rust {needs}, newer than the declared {declared}",
            package["name"],
            package["version"]
        );
        if version(needs) > version(newest.1) {
            newest = (package["name"].as_str().unwrap(), needs);
        }
    }
    assert_eq!(
        version(newest.1),
        version(declared),
        "the newest rust-version of a locked package is {} ({}): declare that",
        newest.1,
        newest.0
    );
    let manifest = std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("resolver = \"3\""),
        "the MSRV-aware resolver"
    );
}
