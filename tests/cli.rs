//! `aiblint` end to end: the real binary, its output and its exit codes.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn aiblint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn example_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the shipped example set with `edit` applied to each file's text.
fn broken_set(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("config")).unwrap();
    for name in ["providers.yaml", "model-mappings.yaml", "ports.yaml"] {
        let text = fs::read_to_string(example_dir().join("config").join(name)).unwrap();
        fs::write(dir.path().join("config").join(name), edit(name, text)).unwrap();
    }
    dir
}

#[test]
fn the_shipped_example_is_clean() {
    let out = aiblint(example_dir(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("All checks passed"));
}

#[test]
fn four_problems_in_two_files_with_positions_and_hints() {
    let dir = broken_set(|name, text| match name {
        "providers.yaml" => text
            .replacen(
                "    base_url: http://127.0.0.1:11434",
                "    base_ur: http://127.0.0.1:11434",
                1,
            )
            .replacen("status: active", "status: actve", 1),
        "model-mappings.yaml" => {
            text.replacen("pattern: \"^qwen.*coder\"", "pattern: \"^qwen(.*coder\"", 1)
        }
        "ports.yaml" => text.replacen("  port: 4000", "  port: [4000", 1),
        _ => text,
    });
    let out = aiblint(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let expect = [
        (
            "config/model-mappings.yaml:",
            "error[S107] invalid pattern: unclosed group",
        ),
        ("config/ports.yaml:", "error[E001] invalid YAML"),
        (
            "config/providers.yaml:",
            "error[S101] unknown key `base_ur` in provider (did you mean `base_url`?)",
        ),
        (
            "config/providers.yaml:",
            "error[S104] `actve` is not a valid `status` (did you mean `active`?)",
        ),
    ];
    assert_eq!(lines.len(), expect.len(), "{text}");
    for (line, (file, message)) in lines.iter().zip(expect) {
        assert!(
            line.starts_with(file) && line.contains(message),
            "{line}\nexpected {file}…{message}"
        );
    }
    // Positions are exact: find each span in the broken text.
    let providers = fs::read_to_string(dir.path().join("config/providers.yaml")).unwrap();
    let typo_line = providers
        .lines()
        .position(|l| l.contains("base_ur:"))
        .unwrap()
        + 1;
    assert!(
        lines[2].starts_with(&format!("config/providers.yaml:{typo_line}:5:")),
        "{}",
        lines[2]
    );
    let mappings = fs::read_to_string(dir.path().join("config/model-mappings.yaml")).unwrap();
    let (n, l) = mappings
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("^qwen("))
        .unwrap();
    let col = l.find('(').unwrap() + 1;
    assert!(
        lines[0].starts_with(&format!("config/model-mappings.yaml:{}:{col}:", n + 1)),
        "{}",
        lines[0]
    );

    let full = aiblint(dir.path(), &["check"]);
    let full_text = stdout(&full);
    assert!(
        full_text.contains("= help: did you mean `base_url`?"),
        "{full_text}"
    );
    assert!(
        full_text.contains("┌─ config/providers.yaml:"),
        "{full_text}"
    );
    assert!(
        full_text.contains("Found 4 errors in 3 files."),
        "{full_text}"
    );
    assert!(
        !full_text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn colour_is_opt_in_off_a_terminal_and_never_with_no_color() {
    let dir = broken_set(|name, text| {
        if name == "providers.yaml" {
            text.replacen("status: active", "status: actve", 1)
        } else {
            text
        }
    });
    let out = aiblint(dir.path(), &["check", "--color", "always"]);
    assert!(stdout(&out).contains('\u{1b}'));
    let out = Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(["check"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&out).contains('\u{1b}'));
}

#[test]
fn nothing_to_check_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = aiblint(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing to check"),
        "{}",
        stderr(&out)
    );
    let out = aiblint(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no configuration files"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_or_unreadable_file_does_not_stop_the_others() {
    let dir = broken_set(|name, text| {
        if name == "ports.yaml" {
            text.replacen("  port: 4000", "  port: 99999", 1)
        } else {
            text
        }
    });
    let out = aiblint(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "config/ports.yaml",
            "config/nope.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "I/O problems exit 2");
    let text = stdout(&out);
    assert!(
        text.contains("config/nope.yaml:1:1: error[E008] cannot read the file"),
        "{text}"
    );
    assert!(
        text.contains("config/ports.yaml:") && text.contains("[S106]"),
        "{text}"
    );
}

#[test]
fn non_utf8_and_binary_files_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("providers.yaml"),
        b"providers:\n  caf\xe9:\n    type: ollama\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("ports.yaml"),
        [0u8, 159, 146, 150, 0, 1, 2, 255],
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("ports.yaml:1:2: error[E003]"), "{text}");
    assert!(text.contains("providers.yaml:2:6: error[E003]"), "{text}");
}

#[test]
fn single_files_of_any_name_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("old-providers.yml"),
        "providers:\n  x:\n    type: olama\n",
    )
    .unwrap();
    let out = aiblint(
        dir.path(),
        &["check", "--format", "concise", "old-providers.yml"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("old-providers.yml:3:11: error[S104] `olama` is not a valid `type` (did you mean `ollama`?)"), "{text}");
}

#[test]
fn deny_warnings_keeps_a_clean_run_clean() {
    let out = aiblint(example_dir(), &["check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn explain_and_rules() {
    let out = aiblint(example_dir(), &["explain", "S101"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for section in [
        "# S101 unknown-key",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## How to fix",
    ] {
        assert!(text.contains(section), "{text}");
    }
    assert_eq!(
        aiblint(example_dir(), &["explain", "unknown-key"])
            .status
            .code(),
        Some(0)
    );
    let out = aiblint(example_dir(), &["explain", "X999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no rule has the code"));
    let out = aiblint(example_dir(), &["rules"]);
    let text = stdout(&out);
    assert!(text
        .lines()
        .any(|l| l.starts_with("E001") && l.contains("syntax-error")));
    assert!(text.lines().any(|l| l.starts_with("S115")));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        aiblint(example_dir(), &["check", "--format", "nope"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        aiblint(example_dir(), &["frobnicate"]).status.code(),
        Some(2)
    );
}
