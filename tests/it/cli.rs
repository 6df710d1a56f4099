//! `aiblint` end to end: the real binary, its output and its exit codes.

use crate::common;

use std::fs;
use std::process::Command;

use common::{aiblint, root as example_dir, stderr, stdout};

/// A copy of the shipped example set with `edit` applied to each file's text.
fn broken_set(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    common::copy_example(
        &["providers.yaml", "model-mappings.yaml", "ports.yaml"],
        edit,
    )
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

/// Four mistakes in three files of the example.
fn four_problems(name: &str, text: String) -> String {
    match name {
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
    }
}

#[test]
fn four_problems_in_two_files_with_positions_and_hints() {
    let dir = broken_set(four_problems);
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

/// A set of over a mebibyte is analysed and checked with its files spread over threads
/// (`parallel::WORTH_A_THREAD`): the findings are those of the same set checked on one.
#[test]
fn a_large_set_checked_in_parallel_finds_what_a_small_one_finds() {
    let small = broken_set(four_problems);
    let padding = "# padding that makes the set large\n".repeat(24 * 1024);
    let large = broken_set(|name, text| four_problems(name, text) + &padding);
    for format in ["concise", "json"] {
        let one = aiblint(small.path(), &["check", "--format", format]);
        let many = aiblint(large.path(), &["check", "--format", format]);
        assert_eq!(one.status.code(), Some(1));
        assert_eq!(many.status.code(), Some(1));
        assert_eq!(stdout(&one), stdout(&many));
    }
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
fn an_unreadable_file_does_not_stop_the_others() {
    let dir = broken_set(|name, text| {
        if name == "ports.yaml" {
            text.replacen("  port: 4000", "  port: 99999", 1)
        } else {
            text
        }
    });
    // A directory where a config file should be: it exists, but cannot be read as a file.
    fs::remove_file(dir.path().join("config/model-mappings.yaml")).unwrap();
    fs::create_dir(dir.path().join("config/model-mappings.yaml")).unwrap();
    let out = aiblint(dir.path(), &["check", "--format", "concise", "config"]);
    assert_eq!(out.status.code(), Some(2), "I/O problems exit 2");
    let text = stdout(&out);
    assert!(
        text.contains("config/model-mappings.yaml:1:1: error[E008] cannot read the file"),
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
    assert!(
        text.contains(
            "ports.yaml:1:1: error[E003] not a text file: binary data (a NUL byte at offset 0)"
        ),
        "{text}"
    );
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

#[test]
fn settings_override_severity_and_ignore_per_file() {
    let dir = broken_set(|name, text| match name {
        "providers.yaml" => text.replacen("status: active", "status: actve", 1),
        "ports.yaml" => text.replacen("  port: 4000", "  port: 99999", 1),
        _ => text,
    });
    // S104 becomes a warning everywhere; S106 is ignored in ports.yaml.
    fs::write(
        dir.path().join("aiblint.toml"),
        "[rules]\ninvalid-enum = \"warning\"\n\n[per-file-ignores]\n\"ports.yaml\" = [\"S106\"]\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&out);
    assert!(text.contains("warning[S104]"), "{text}");
    assert!(!text.contains("S106"), "{text}");
    assert_eq!(out.status.code(), Some(0), "warnings alone pass: {text}");
    let out = aiblint(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));

    // A rule turned off does not run; an unknown rule name is a usage error with a hint.
    fs::write(
        dir.path().join("aiblint.toml"),
        "[rules]\nS104 = \"off\"\nS106 = \"off\"\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    fs::write(
        dir.path().join("aiblint.toml"),
        "[rules]\nunknown-kee = \"off\"\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `unknown-key`?"),
        "{}",
        stderr(&out)
    );

    // --config points elsewhere.
    let other = dir.path().join("other.toml");
    fs::write(&other, "[rules]\nS104 = \"info\"\nS106 = \"info\"\n").unwrap();
    let out = aiblint(
        dir.path(),
        &["check", "--format", "concise", "--config", "other.toml"],
    );
    assert!(stdout(&out).contains("info[S104]"), "{}", stdout(&out));
}

#[test]
fn a_single_file_is_checked_against_its_siblings_but_only_it_is_reported() {
    let dir = broken_set(|name, text| match name {
        "ports.yaml" => text.replacen("  port: 4000", "  port: 99999", 1),
        _ => text,
    });
    let out = aiblint(
        dir.path(),
        &["check", "--format", "concise", "config/providers.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("ports.yaml"));
}

/// The acceptance scenario for cross-file rules: every mistake at its place, with
/// its hint, and `aiblint explain` for every code printed.
#[test]
fn cross_file_mistakes_at_their_positions_with_hints() {
    let dir = broken_set(|name, text| match name {
        "model-mappings.yaml" => text
            .replacen("provider: vllm-qwen", "provider: vllm-qwn", 1)
            .replacen("      - nomic-embed-text", "      - ollama", 1)
            .replacen(
                "      - \"qwen2.5-coder:7b\"\n      - \"qwen3-coder:480b\"",
                "      - \"qwen2.5-coder:7bb\"\n      - \"qwen3-coder:480b\"",
                1,
            )
            .replacen(
                "    chain:\n      - claude-sonnet-4\n",
                "    chain:\n      - \"qwen3-coder:480b\"\n",
                1,
            )
            .replacen("weight: 0.7", "weight: 0.6", 1),
        _ => text,
    });
    let out = aiblint(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let mappings = fs::read_to_string(dir.path().join("config/model-mappings.yaml")).unwrap();
    // The position of `needle`, skipping its first `skip` bytes.
    let at = |needle: &str, skip: usize| {
        let offset = mappings.find(needle).unwrap() + skip;
        let line = mappings[..offset].matches('\n').count() + 1;
        let col = mappings[..offset]
            .rsplit('\n')
            .next()
            .unwrap()
            .chars()
            .count()
            + 1;
        format!("config/model-mappings.yaml:{line}:{col}:")
    };
    let expect = [
        (
            at("vllm-qwn", 0),
            "error[R201] unknown provider `vllm-qwn` (did you mean `vllm-qwen`?)",
        ),
        (
            at("      - ollama\n", 8),
            "error[R202] `ollama` is a provider, not a model",
        ),
        (
            at("\"qwen2.5-coder:7bb\"", 0),
            "error[R202] unknown model `qwen2.5-coder:7bb` (did you mean `qwen2.5-coder:7b`?",
        ),
        (
            at("general_chat:\n    description: Everyday chat", 0),
            "error[L305] weights of `general_chat` sum to 0.9, not 1.0",
        ),
    ];
    for (position, message) in &expect {
        assert!(
            text.lines()
                .any(|l| l.starts_with(position.as_str()) && l.contains(message)),
            "expected `{position} … {message}` in:\n{text}"
        );
    }
    assert!(
        text.contains(
            "error[L301] fallback cycle: `qwen3-coder:480b` → `gpt-4o` → `qwen3-coder:480b`"
        ),
        "{text}"
    );
    // `aiblint explain` knows every code printed.
    let codes: std::collections::BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    assert!(codes.len() >= 4, "{codes:?}");
    for code in codes {
        let out = aiblint(dir.path(), &["explain", code]);
        assert_eq!(out.status.code(), Some(0), "explain {code}");
        assert!(stdout(&out).contains("## What it does"));
    }
}

/// Beside the one V505 note per 1.x file (schema 1.x: run `aiblint migrate`).
#[test]
fn the_legacy_homelab_set_only_warns_about_its_second_vllm() {
    let out = aiblint(
        example_dir(),
        &[
            "check",
            "--format",
            "concise",
            "fixtures/sets/legacy-homelab",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[2].contains("warning[L307]") && lines[2].contains("`vllm-dolphin`"),
        "{text}"
    );
    for (line, file) in lines[..2]
        .iter()
        .zip(["model-mappings.yaml", "providers.yaml"])
    {
        assert!(
            line.contains(file) && line.contains("info[V505] schema 1.x: run `aiblint migrate`"),
            "{text}"
        );
    }
}

/// A 1.x file in a set whose other file is 2.x gets V501, not V505 as well.
#[test]
fn a_half_migrated_set_gets_v501_without_v505() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("providers.yaml"),
        "metadata:\n  schema_version: \"2.0.0\"\nproviders: {}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("model-mappings.yaml"),
        "metadata:\n  version: \"1.6\"\nexact_matches: {}\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "--format", "concise", "."]);
    let text = stdout(&out);
    assert!(text.contains("[V501]"), "{text}");
    assert!(!text.contains("[V505]"), "{text}");
}

#[test]
fn a_huge_file_is_reported_not_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("exact_matches:\n");
    while text.len() <= aiblint::model::MAX_FILE_SIZE {
        text += "  \"some-model-name\":\n    provider: ollama\n    priority: primary\n";
    }
    fs::write(dir.path().join("model-mappings.yaml"), text).unwrap();
    let out = aiblint(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("model-mappings.yaml:1:1: error[E009] the file is 64.0 MiB"),
        "{}",
        stdout(&out)
    );
}

/// A LiteLLM config with three keys in sections that do not read them (G407, whose fixes
/// are unsafe: once moved, a key takes effect), written with a byte-order mark and CRLF line
/// endings.
const MISPLACED_KEYS: &str = "\u{feff}model_list:\r\n  - model_name: llama3.1\r\n    litellm_params:\r\n      model: ollama_chat/llama3.1\r\n      api_base: http://127.0.0.1:11434\r\nlitellm_settings:\r\n  drop_params: true\r\n  master_key: os.environ/LITELLM_MASTER_KEY # keep this comment\r\ngeneral_settings:\r\n  json_logs: true\r\n  database_url: os.environ/DATABASE_URL\r\nrouter_settings:\r\n  num_retries: 2\r\n  health_check_interval: 300\r\n";

#[test]
fn check_fix_applies_unsafe_fixes_only_when_asked_keeping_bom_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    fs::write(&config, MISPLACED_KEYS).unwrap();

    // Safe fixes only: nothing to apply, and the unsafe ones are named.
    let safe = aiblint(dir.path(), &["check", "--fix", "config.yaml"]);
    assert_eq!(safe.status.code(), Some(1), "{}", stderr(&safe));
    assert!(
        stdout(&safe).contains("note: 3 more fixes are unsafe"),
        "{}",
        stdout(&safe)
    );
    assert_eq!(fs::read_to_string(&config).unwrap(), MISPLACED_KEYS);

    let diff = aiblint(
        dir.path(),
        &["check", "--diff", "--unsafe-fixes", "config.yaml"],
    );
    assert_eq!(diff.status.code(), Some(1), "{}", stderr(&diff));
    assert!(stdout(&diff)
        .contains("+  master_key: os.environ/LITELLM_MASTER_KEY # keep this comment\r\n"));
    assert!(stderr(&diff).contains("Would fix 3 problems in 1 file."));
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        MISPLACED_KEYS,
        "--diff writes nothing"
    );

    let fixed = aiblint(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "config.yaml"],
    );
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}{}",
        stdout(&fixed),
        stderr(&fixed)
    );
    assert!(stdout(&fixed).contains("note: fixed 3 problems in config.yaml (G407)"));
    assert!(
        stdout(&fixed).contains("All checks passed"),
        "{}",
        stdout(&fixed)
    );
    let text = fs::read_to_string(&config).unwrap();
    assert!(text.starts_with('\u{feff}'), "the byte-order mark is kept");
    assert_eq!(
        text,
        "\u{feff}model_list:\r\n  - model_name: llama3.1\r\n    litellm_params:\r\n      model: ollama_chat/llama3.1\r\n      api_base: http://127.0.0.1:11434\r\nlitellm_settings:\r\n  drop_params: true\r\n  json_logs: true\r\ngeneral_settings:\r\n  database_url: os.environ/DATABASE_URL\r\n  master_key: os.environ/LITELLM_MASTER_KEY # keep this comment\r\n  health_check_interval: 300\r\nrouter_settings:\r\n  num_retries: 2\r\n"
    );

    let again = aiblint(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "config.yaml"],
    );
    assert_eq!(again.status.code(), Some(0));
    assert!(!stdout(&again).contains("fixed"), "{}", stdout(&again));
    assert_eq!(fs::read_to_string(&config).unwrap(), text);
    let diff = aiblint(
        dir.path(),
        &["check", "--diff", "--unsafe-fixes", "config.yaml"],
    );
    assert_eq!(
        (diff.status.code(), stdout(&diff)),
        (Some(0), String::new())
    );
}

#[test]
fn did_you_means_are_applied_only_with_unsafe_fixes() {
    let dir = broken_set(|name, text| match name {
        "providers.yaml" => text.replacen("status: active", "status: actve", 1),
        _ => text,
    });
    let providers = dir.path().join("config/providers.yaml");
    let before = fs::read_to_string(&providers).unwrap();
    let safe = aiblint(dir.path(), &["check", "--fix"]);
    assert_eq!(safe.status.code(), Some(1), "{}", stdout(&safe));
    assert!(stdout(&safe).contains("error[S104]"));
    assert_eq!(fs::read_to_string(&providers).unwrap(), before);

    let refused = aiblint(dir.path(), &["check", "--unsafe-fixes"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--unsafe-fixes needs --fix or --diff"));

    let unsafe_ = aiblint(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(unsafe_.status.code(), Some(0), "{}", stdout(&unsafe_));
    assert!(stdout(&unsafe_).contains("note: fixed 1 problem in config/providers.yaml (S104)"));
    assert_eq!(
        fs::read_to_string(&providers).unwrap(),
        before.replacen("status: actve", "status: active", 1)
    );
}

#[test]
fn fixes_are_never_written_to_stdin_or_while_watching() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["check", "-", "--fix"][..], &["check", "--watch", "--fix"]] {
        let out = aiblint(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn the_diff_of_fixes_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("config.yaml"),
        "model_list:\n  - model_name: gpt\n    litellm_params:\n      model: openai/gpt-4o\n      api_key: sk-proj-abcdefghijklmnop1234\nlitellm_settings:\n  master_key: sk-master-secretvalue-999\n",
    )
    .unwrap();
    let out = aiblint(
        dir.path(),
        &["check", "--diff", "--unsafe-fixes", "config.yaml"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(
        diff.contains("+general_settings:\n   master_key: sk-m*********************\n"),
        "{diff}"
    );
    assert!(
        !diff.contains("secretvalue") && !diff.contains("abcdefghijklmnop"),
        "{diff}"
    );
}
