//! From first run to first fix: what a new user runs into, through the real binary. Each
//! test is one thing that misled or blocked people trying aiblint on their own files.

use crate::common;

use std::fs;
use std::path::Path;

use common::{aiblint, aiblint_env, copy_example, root, stderr, stdout};

/// The shipped example's sources and generated config, `edit` applied to each file.
fn example(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    copy_example(
        &[
            "providers.yaml",
            "model-mappings.yaml",
            "litellm-settings.yaml",
            "litellm-unified.yaml",
            "ports.yaml",
        ],
        edit,
    )
}

/// The example with its `vllm-qwen` provider renamed in providers.yaml only: the mappings
/// that name it break.
fn renamed_provider() -> tempfile::TempDir {
    example(|name, text| match name {
        "providers.yaml" => text.replacen("\n  vllm-qwen:\n", "\n  vllm-qwen2:\n", 1),
        _ => text,
    })
}

// ------------------------------------------------------------------------------ pre-commit

/// One hook of `.pre-commit-hooks.yaml`: its entry split into words, and its `files` regex.
struct Hook {
    id: String,
    entry: Vec<String>,
    files: regex::Regex,
}

fn hooks() -> Vec<Hook> {
    use aiblint::model::data::Data;
    let text = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let parsed = aiblint::syntax::parse(&text);
    let Data::Seq(items) = Data::from_node(parsed.root.as_ref().unwrap()) else {
        panic!(".pre-commit-hooks.yaml is a list of hooks");
    };
    items
        .iter()
        .map(|h| {
            let field = |k: &str| h.get(k).and_then(|v| v.as_str()).unwrap().to_string();
            assert_eq!(field("language"), "rust");
            assert_eq!(h.get("pass_filenames"), Some(&Data::Bool(true)));
            Hook {
                id: field("id"),
                entry: field("entry")
                    .split_whitespace()
                    .map(String::from)
                    .collect(),
                files: regex::Regex::new(&field("files")).unwrap(),
            }
        })
        .collect()
}

/// Runs `hook` as pre-commit does: its entry, then the staged files its `files` matches.
fn run_hook(hook: &Hook, dir: &Path, staged: &[&str]) -> std::process::Output {
    assert_eq!(hook.entry[0], "aiblint");
    let mut args: Vec<&str> = hook.entry[1..].iter().map(String::as_str).collect();
    let matched: Vec<&str> = staged
        .iter()
        .copied()
        .filter(|f| hook.files.is_match(f))
        .collect();
    assert!(!matched.is_empty(), "{}: no staged file matches", hook.id);
    args.extend(matched);
    aiblint(dir, &args)
}

#[test]
fn the_pre_commit_hooks_check_the_whole_set_of_a_changed_file() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["aiblint", "aiblint-generate"]);

    // Only providers.yaml is staged; the breakage is in model-mappings.yaml.
    let dir = renamed_provider();
    let out = run_hook(&hooks[0], dir.path(), &["config/providers.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("error[R201]: unknown provider `vllm-qwen`")
            && text.contains("┌─ config/model-mappings.yaml:"),
        "{text}"
    );
    let out = run_hook(&hooks[1], dir.path(), &["config/providers.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // A clean set passes both; a stale generated config fails the second.
    let dir = example(|_, text| text);
    for hook in &hooks {
        let out = run_hook(hook, dir.path(), &["config/model-mappings.yaml"]);
        assert_eq!(out.status.code(), Some(0), "{}: {}", hook.id, stdout(&out));
    }
    let dir = example(|name, text| match name {
        "model-mappings.yaml" => {
            text.replacen("weight: 0.7", "weight: 0.6", 1)
                .replacen("weight: 0.3", "weight: 0.4", 1)
        }
        _ => text,
    });
    let out = run_hook(&hooks[1], dir.path(), &["config/model-mappings.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("is stale"), "{}", stdout(&out));
    // A changed file in a directory without sources (a plain LiteLLM config) is no error.
    let plain = tempfile::tempdir().unwrap();
    fs::create_dir(plain.path().join("gateway")).unwrap();
    fs::write(
        plain.path().join("gateway/litellm-unified.yaml"),
        "model_list: []\n",
    )
    .unwrap();
    let out = run_hook(&hooks[1], plain.path(), &["gateway/litellm-unified.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ------------------------------------------------------------------------------ line endings

/// `text` with Windows line endings and a byte-order mark, as `core.autocrlf` and some
/// editors leave it.
fn windows(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    bytes
}

#[test]
fn windows_line_endings_and_a_bom_are_not_a_stale_config() {
    let dir = example(|_, text| text);
    let config = dir.path().join("config");
    for name in [
        "providers.yaml",
        "model-mappings.yaml",
        "litellm-unified.yaml",
    ] {
        let text = fs::read_to_string(config.join(name)).unwrap();
        fs::write(config.join(name), windows(&text)).unwrap();
    }
    let out = aiblint(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "", "no G401 and nothing else");
    let out = aiblint(dir.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "config/litellm-unified.yaml is up to date\n");

    // Regenerating after a change keeps the file's line endings and byte-order mark.
    let mappings = fs::read_to_string(config.join("model-mappings.yaml")).unwrap();
    fs::write(
        config.join("model-mappings.yaml"),
        mappings.replacen("weight: 0.7", "weight: 0.6", 1).replacen(
            "weight: 0.3",
            "weight: 0.4",
            1,
        ),
    )
    .unwrap();
    let out = aiblint(dir.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out);
    assert!(diff.contains("weight 0.7 → 0.6"), "{diff}");
    let changed = diff
        .lines()
        .filter(|l| l.starts_with(['-', '+']) && !l.starts_with("---") && !l.starts_with("+++"))
        .count();
    assert!(
        !diff.contains('\r') && changed == 4,
        "only the changed lines differ:\n{diff}"
    );
    let out = aiblint(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = fs::read(config.join("litellm-unified.yaml")).unwrap();
    assert!(written.starts_with(&[0xef, 0xbb, 0xbf]));
    let text = String::from_utf8(written[3..].to_vec()).unwrap();
    assert!(text.contains("weight: 0.6\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    let out = aiblint(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(stdout(&out), "");
}

// ------------------------------------------------------------------------------ secrets

/// Every secret written into the set below, none of which may be printed.
const SECRETS: [&str; 6] = [
    "sk-proj-Xq81Lm2Vb7Tz9Kw4AbCdEfGh",
    "Sup3rSecretPw",
    "hf_QwErTyUiOpAsDfGhJk",
    "sk-7f3a9c2e41b84d6f0a1b",
    "dbpassword99",
    "sk-lf-0a1b2c3d4e5f6a7b",
];

fn set_with_secrets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    fs::create_dir(&config).unwrap();
    fs::write(
        config.join("providers.yaml"),
        "metadata:\n  schema_version: \"2.0.0\"\nproviders:\n  openai:\n    type: openai\n    \
         base_url: https://api.openai.com/v1\n    status: active\n    description: OpenAI\n    \
         api_key: sk-proj-Xq81Lm2Vb7Tz9Kw4AbCdEfGh\n    models:\n      - gpt-4o\n  lan:\n    \
         type: openai_compatible\n    base_url: http://admin:Sup3rSecretPw@192.168.1.42:1234/v1\n    \
         status: active\n    description: LAN box\n    configuration:\n      \
         hf_token: hf_QwErTyUiOpAsDfGhJk\n    models:\n      - llama3\n",
    )
    .unwrap();
    fs::write(
        config.join("model-mappings.yaml"),
        "metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n  gpt-4o:\n    provider: openai\n  \
         llama3:\n    provider: lan\n",
    )
    .unwrap();
    fs::write(
        config.join("config.yaml"),
        "model_list:\n  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-4o, \
         api_key: sk-proj-Xq81Lm2Vb7Tz9Kw4AbCdEfGh}\ngeneral_settings:\n  \
         master_key: sk-7f3a9c2e41b84d6f0a1b\n  \
         database_url: postgresql://litellm:dbpassword99@db:5432/litellm\n\
         environment_variables:\n  LANGFUSE_SECRET_KEY: sk-lf-0a1b2c3d4e5f6a7b\n",
    )
    .unwrap();
    dir
}

#[test]
fn secrets_are_masked_in_every_output_format() {
    let dir = set_with_secrets();
    let mut outputs = Vec::new();
    for format in ["full", "concise", "github", "json", "sarif"] {
        for extra in [&[][..], &["--color", "always"][..]] {
            let mut args = vec!["check", "config", "config/config.yaml", "--format", format];
            args.extend(extra);
            let out = aiblint(dir.path(), &args);
            assert_eq!(out.status.code(), Some(1), "{format}: {}", stdout(&out));
            outputs.push((format!("check --format {format} {extra:?}"), out));
        }
    }
    outputs.push((
        "check --statistics".to_string(),
        aiblint(dir.path(), &["check", "config", "--statistics"]),
    ));
    // generate prints the errors that stop it on stderr.
    outputs.push((
        "generate".to_string(),
        aiblint(dir.path(), &["generate", "config"]),
    ));
    outputs.push((
        "check -o FILE".to_string(),
        aiblint(dir.path(), &["check", "config", "-o", "report.txt"]),
    ));
    let report = fs::read_to_string(dir.path().join("report.txt")).unwrap();
    // The code frames show the lines, masked.
    let full = stdout(&outputs[0].1);
    assert!(
        full.contains(&format!("api_key: sk-p{}", "*".repeat(28))),
        "{full}"
    );
    assert!(
        full.contains("http://admin:*************@192.168.1.42"),
        "{full}"
    );
    for (what, out) in &outputs {
        let shown = format!("{}{}", stdout(out), stderr(out));
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{what} prints {secret}:\n{shown}");
        }
    }
    for secret in SECRETS {
        assert!(!report.contains(secret), "the report file holds {secret}");
    }
}

/// A file that does not parse still has its secrets masked in the frame of its error.
#[test]
fn a_secret_next_to_a_syntax_error_is_masked() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("litellm-unified.yaml"),
        "general_settings:\n  master_key: sk-7f3a9c2e41b84d6f0a1b\n  alerting: [slack\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "."]);
    let text = stdout(&out);
    assert!(text.contains("error[E001]"), "{text}");
    assert!(!text.contains("sk-7f3a9c2e41b84d6f0a1b"), "{text}");
}

// ------------------------------------------------------------------------------ bad bytes

#[test]
fn binary_content_is_not_a_text_file_and_shows_no_frame() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("providers.yaml"), [0u8; 64]).unwrap();
    let mut garbage: Vec<u8> = b"\x7fELF\x02\x01\x01\x00".to_vec();
    garbage.extend((0..4000u32).map(|i| (i * 7 % 251) as u8 | 0x80));
    fs::write(dir.path().join("ports.yaml"), &garbage).unwrap();
    let out = aiblint(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(
        text,
        "error[E003]: not a text file: binary data (a NUL byte at offset 7)\n  \
         ┌─ ports.yaml\n  \
         = note: the file was not checked; is it the file you meant?\n\n\
         error[E003]: not a text file: binary data (a NUL byte at offset 0)\n  \
         ┌─ providers.yaml\n  \
         = note: the file was not checked; is it the file you meant?\n\n\
         Found 2 errors in 2 files.\n"
    );
}

// ------------------------------------------------------------------------------ paths

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let dir = example(|_, text| text);
    let out = aiblint(dir.path(), &["check", "/does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("no such file or directory: /does/not/exist"),
        "{}",
        stderr(&out)
    );
    let out = aiblint(dir.path(), &["check", "config", "config/nope.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout(&out),
        "",
        "nothing is checked before the arguments are right"
    );
}

#[test]
fn an_unreadable_source_is_exit_2_for_check_and_generate_alike() {
    let dir = example(|_, text| text);
    let providers = dir.path().join("config/providers.yaml");
    fs::remove_file(&providers).unwrap();
    fs::create_dir(&providers).unwrap();
    let check = aiblint(dir.path(), &["check"]);
    let generate = aiblint(dir.path(), &["generate"]);
    assert_eq!(check.status.code(), Some(2), "{}", stdout(&check));
    assert_eq!(generate.status.code(), Some(2), "{}", stderr(&generate));
    assert!(
        stderr(&generate).contains("error[E008]: cannot read the file"),
        "{}",
        stderr(&generate)
    );
}

#[test]
fn output_options_are_the_same_in_check_and_generate() {
    let dir = example(|_, text| text);
    for option in ["-o", "--output-file", "--output"] {
        let out = aiblint(dir.path(), &["check", option, "-"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).starts_with("All checks passed"), "{option}");
        let out = aiblint(dir.path(), &["generate", option, "-"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).starts_with("# ===="), "{option}");
        let out = aiblint(dir.path(), &["check", option, "report.txt"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(fs::read_to_string(dir.path().join("report.txt"))
            .unwrap()
            .starts_with("All checks passed"));
    }
    assert!(!dir.path().join("-").exists(), "no file named `-`");
}

#[test]
fn inside_the_config_directory_every_command_works_on_it() {
    let dir = renamed_provider();
    let config = dir.path().join("config");
    let out = aiblint(&config, &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("model-mappings.yaml:40:15: error[R201]"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        aiblint(&config, &["generate", "--check"]).status.code(),
        Some(1)
    );
    let out = aiblint(&config, &["versions"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("schema versions in . (current: 2.0.0)"));
    assert_eq!(
        aiblint(&config, &["migrate", "--check"]).status.code(),
        Some(0)
    );
    // Where there is neither ./config nor a set, it still says so.
    let empty = tempfile::tempdir().unwrap();
    let out = aiblint(empty.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing to check"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_lone_mappings_file_says_its_references_went_unchecked() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        root().join("config/model-mappings.yaml"),
        dir.path().join("model-mappings.yaml"),
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "model-mappings.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "note: model-mappings.yaml: references to providers and models were not checked: \
         there is no providers.yaml beside it\nAll checks passed (1 file checked).\n"
    );
    // Other formats keep stdout a document; the note goes to stderr.
    let out = aiblint(
        dir.path(),
        &["check", "model-mappings.yaml", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert!(
        stderr(&out).contains("were not checked"),
        "{}",
        stderr(&out)
    );
    // With a providers.yaml that does not parse, the note says so.
    fs::write(dir.path().join("providers.yaml"), "providers: [\n").unwrap();
    let out = aiblint(dir.path(), &["check", "model-mappings.yaml"]);
    assert!(
        stdout(&out).contains("providers.yaml cannot be read or does not parse"),
        "{}",
        stdout(&out)
    );
    let out = aiblint(dir.path(), &["check", "model-mappings.yaml", "-q"]);
    assert_eq!(stdout(&out), "", "--quiet prints no notes");
}

// ------------------------------------------------------------------------------ syntax

#[test]
fn yaml_syntax_errors_name_the_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "providers.yaml",
            "providers:\n  ollama:\n    type: ollama\n    status active\n    base_url: http://127.0.0.1:11434\n",
            "providers.yaml:4:5: error[E001] invalid YAML: missing `:` after `status` (write `status: active`",
        ),
        (
            "model-mappings.yaml",
            "patterns:\n  - pattern: \"^claude-\\d+\"\n    provider: anthropic\n",
            "model-mappings.yaml:2:23: error[E001] invalid YAML: `\\d` is not an escape sequence in a double-quoted string (in double quotes `\\` starts an escape sequence; write it in single quotes, where `\\` is an ordinary character: '^claude-\\d+')",
        ),
        (
            "ports.yaml",
            "litellm:\n  description: \"the gateway\n  port: 4000\n",
            "ports.yaml:2:16: error[E001] invalid YAML: unclosed quote: the string that starts with this `\"` never ends",
        ),
        (
            "litellm-unified.yaml",
            "model_list:\n\t- model_name: llama3\n",
            "litellm-unified.yaml:2:1: error[E001] invalid YAML: a tab in the indentation",
        ),
        (
            "litellm-settings.yaml",
            "router_settings:\n  routing_strategy: simple-shuffle\n  - fallbacks\n",
            "litellm-settings.yaml:3:3: error[E001] invalid YAML: a list item where a key was expected (`routing_strategy` already has a value (`simple-shuffle`)",
        ),
    ];
    for (name, text, expected) in cases {
        fs::write(dir.path().join(name), text).unwrap();
        let out = aiblint(dir.path(), &["check", name, "--format", "concise"]);
        assert!(stdout(&out).starts_with(expected), "{}", stdout(&out));
    }
}

// ------------------------------------------------------------------------------ hints

#[test]
fn hints_say_what_is_meant() {
    // A typo of a key that is also present is a typo, not a remark.
    let dir = example(|name, text| match name {
        "providers.yaml" => text.replacen(
            "    status: active\n",
            "    status: active\n    stauts: disabled\n",
            1,
        ),
        _ => text,
    });
    let out = aiblint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&out);
    assert!(
        text.contains("looks like a misspelling of `status`, which this provider already sets"),
        "{text}"
    );
    assert!(!text.contains("notes"), "{text}");

    // `aiblint rules` ends every summary with a full stop, not mid-sentence.
    let out = aiblint(root(), &["rules"]);
    let rules = stdout(&out);
    let l310 = rules.lines().find(|l| l.starts_with("L310")).unwrap();
    assert!(
        l310.ends_with("where an environment variable belongs."),
        "{l310}"
    );
    assert!(rules.lines().all(|l| l.ends_with('.')), "{rules}");

    // The full format says `info` where the summary does.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("providers.yaml"),
        "metadata:\n  schema_version: \"2.0.0\"\nproviders:\n  ollama:\n    type: ollama\n    \
         base_url: http://127.0.0.1:11434\n    status: active\n    description: Ollama\n    \
         models:\n      - llama3.1:8b\n      - never-routed:1b\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("model-mappings.yaml"),
        "metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n  llama3.1:8b:\n    provider: ollama\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "providers.yaml"]);
    let text = stdout(&out);
    assert!(text.starts_with("info[L309]"), "{text}");
    assert!(text.ends_with("Found 1 info in 1 file.\n"), "{text}");
}

#[test]
fn help_wraps_between_words() {
    for command in [
        &["--help"][..],
        &["check", "--help"],
        &["generate", "--help"],
        &["init", "--help"],
        &["migrate", "--help"],
    ] {
        let narrow = aiblint_env(root(), command, &[("COLUMNS", "60")]);
        let wide = aiblint_env(root(), command, &[("COLUMNS", "1000")]);
        let (narrow, wide) = (stdout(&narrow), stdout(&wide));
        for line in narrow.lines() {
            assert!(line.chars().count() <= 60, "{command:?}: {line}");
        }
        // Every word of the wide help is still whole in the narrow one.
        let words =
            |text: &str| -> Vec<String> { text.split_whitespace().map(String::from).collect() };
        assert_eq!(words(&narrow), words(&wide), "{command:?}");
    }
}

#[test]
fn a_write_error_names_the_file_not_a_temporary_one() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = example(|_, text| text);
    let config = dir.path().join("config");
    fs::remove_file(config.join("litellm-unified.yaml")).unwrap();
    for path in [dir.path(), config.as_path()] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    for name in common::names(&config) {
        fs::set_permissions(config.join(name), fs::Permissions::from_mode(0o644)).unwrap();
    }
    let root_user = fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_aiblint"));
    command.args(["generate", "config"]).current_dir(dir.path());
    if root_user {
        // Root writes anywhere: the directory is read-only for `nobody`.
        command.uid(65534).gid(65534);
    } else {
        fs::set_permissions(&config, fs::Permissions::from_mode(0o555)).unwrap();
    }
    let out = command.output().unwrap();
    fs::set_permissions(&config, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("cannot write config/litellm-unified.yaml: Permission denied"),
        "{text}"
    );
    assert!(
        !text.contains(".aiblint-") && !text.contains(".tmp"),
        "{text}"
    );
}

// ------------------------------------------------------------------------------ conveniences

#[test]
fn rules_as_json_list_the_registry() {
    let out = aiblint(root(), &["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let rules = json["rules"].as_array().unwrap();
    let text = stdout(&aiblint(root(), &["rules"]));
    assert_eq!(rules.len(), text.lines().count());
    let l310 = rules.iter().find(|r| r["code"] == "L310").unwrap();
    assert_eq!(l310["name"], "literal-secret");
    assert_eq!(l310["severity"], "error");
    assert_eq!(l310["fix"], "sometimes");
    assert_eq!(l310["reported_by"], "aiblint check");
    assert!(l310["url"]
        .as_str()
        .unwrap()
        .ends_with("docs/rules.md#l310"));
    let h801 = rules.iter().find(|r| r["code"] == "H801").unwrap();
    assert_eq!(h801["reported_by"], "aiblint probe");
}

/// Runs the binary in `dir` with `input` on stdin.
fn with_stdin(dir: &Path, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn stdin_is_checked_as_the_file_it_stands_for() {
    let dir = renamed_provider();
    let mappings = fs::read_to_string(dir.path().join("config/model-mappings.yaml")).unwrap();
    let as_mappings = [
        "check",
        "-",
        "--stdin-filename",
        "config/model-mappings.yaml",
        "--format",
        "concise",
    ];
    // As config/model-mappings.yaml: checked against the providers.yaml beside that path,
    // the text on stdin standing for the file on disk.
    let fixed = mappings.replace("vllm-qwen\n", "vllm-qwen2\n");
    let out = with_stdin(dir.path(), &as_mappings, &fixed);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = with_stdin(dir.path(), &as_mappings, &mappings);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.lines()
            .all(|l| l.starts_with("config/model-mappings.yaml:") && l.contains("[R201]")),
        "{text}"
    );
    // Without a name: recognised by its keys, reported as <stdin>.
    let out = with_stdin(
        dir.path(),
        &["check", "-", "--format", "concise"],
        "providers:\n  x:\n    type: olama\n",
    );
    assert!(
        stdout(&out).contains("<stdin>:3:11: error[S104] `olama` is not a valid `type`"),
        "{}",
        stdout(&out)
    );
    let out = with_stdin(dir.path(), &["check", "--stdin-filename", "x.yaml"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn watch_checks_again_when_a_file_changes() {
    use std::io::{BufRead, BufReader, Read};
    use std::sync::mpsc;
    use std::time::Duration;
    let dir = example(|_, text| text);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(["check", "--watch", "--format", "concise"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (sender, lines) = mpsc::channel::<String>();
    let streams: [Box<dyn Read + Send>; 2] = [
        Box::new(child.stdout.take().unwrap()),
        Box::new(child.stderr.take().unwrap()),
    ];
    for stream in streams {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
    }
    // The next line that holds `what`; a minute without one fails the test rather than
    // hanging it (a bound on a broken watch, not a timing assertion).
    let wait_for = |what: &str| -> String {
        loop {
            match lines.recv_timeout(Duration::from_secs(60)) {
                Ok(line) if line.contains(what) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line with `{what}`"),
            }
        }
    };
    wait_for("watching config for changes");
    let providers = dir.path().join("config/providers.yaml");
    let text = fs::read_to_string(&providers).unwrap();
    fs::write(
        &providers,
        text.replacen("status: active", "status: actve", 1),
    )
    .unwrap();
    let line = wait_for("[S104]");
    assert!(line.starts_with("config/providers.yaml:"), "{line}");
    wait_for("watching config for changes");
    fs::write(&providers, &text).unwrap();
    wait_for("providers.yaml changed; checking again");
    wait_for("watching config for changes");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// `generate -o` a device or a pipe writes into it: renaming a temporary file over it, as a
/// config file is replaced, would replace `/dev/null` with a regular file.
#[test]
fn generate_into_a_pipe_writes_into_it_and_leaves_it_a_pipe() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let dir = example(|_, text| text);
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let out = aiblint(dir.path(), &["generate", "-o", "pipe"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = reader.join().unwrap();
    assert_eq!(
        text,
        fs::read_to_string(dir.path().join("config/litellm-unified.yaml")).unwrap()
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}
