//! Helpers shared by the integration tests: running the real `aiblint` binary and reading
//! its output, copying the shipped example or a fixture set into a temp dir, listing and
//! inspecting the files there, and pseudo-random text for the robustness walks.
//!
//! Each test file that needs them declares `mod common;`; not every file uses every helper.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The legacy (1.x) fixture set, and the files it holds.
pub const LEGACY: &str = "fixtures/sets/legacy-homelab";
pub const SET: [&str; 2] = ["model-mappings.yaml", "providers.yaml"];

/// The crate root: the shipped example lives in its `config/`.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path below the crate root.
pub fn fixture(path: &str) -> PathBuf {
    root().join(path)
}

/// The binary run in `dir` with `args`, `NO_COLOR` unset.
pub fn aiblint(dir: &Path, args: &[&str]) -> Output {
    aiblint_env(dir, args, &[])
}

/// The binary run in `dir` with `args`, `NO_COLOR` unset and then `env` set (in order).
pub fn aiblint_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aiblint"));
    command.args(args).current_dir(dir).env_remove("NO_COLOR");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Stderr with miette's line wrapping undone: runs of whitespace and `│` become one space.
pub fn stderr_unwrapped(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .split(|c: char| c.is_whitespace() || c == '│')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A temp dir with `config/` holding the shipped example's `files`, `edit` applied to each
/// file's text.
pub fn copy_example(files: &[&str], edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("config")).unwrap();
    for name in files {
        let text = fs::read_to_string(root().join("config").join(name)).unwrap();
        fs::write(dir.path().join("config").join(name), edit(name, text)).unwrap();
    }
    dir
}

/// A temp dir with `config/` holding a copy of the fixture set at `from`.
pub fn copy_set(from: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    fs::create_dir(&config).unwrap();
    for entry in fs::read_dir(fixture(from)).unwrap() {
        let path = entry.unwrap().path();
        // The set's YAML files, not its expectation files (tests/it/precision.rs).
        if path.extension().is_some_and(|e| e == "yaml") {
            fs::copy(&path, config.join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// The names of the entries of `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Up to `max - 1` of `fragments` picked by a xorshift walk from `seed` (which it advances):
/// deterministic pseudo-random input for the never-panic tests.
pub fn random_text(fragments: &[&str], seed: &mut u64, max: u64) -> String {
    let mut text = String::new();
    for _ in 0..(*seed % max) {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        text += fragments[(*seed % fragments.len() as u64) as usize];
    }
    text
}

/// The 1-based line of the first occurrence of `needle` in `dir`'s `file`.
pub fn line_of(dir: &Path, file: &str, needle: &str) -> u64 {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {file}"));
    text[..at].matches('\n').count() as u64 + 1
}
