//! A plain LiteLLM proxy config through the real binary: found by name and content, or
//! named with `--kind litellm`, checked with no providers.yaml beside it, its `include:`
//! files followed; and `--version` naming the LiteLLM release of the catalogue.

use crate::common;

use std::fs;

use common::{aiblint, root, stdout};

const CLEAN: &str = "\
model_list:
  - model_name: llama3.1
    litellm_params:
      model: ollama_chat/llama3.1
      api_base: http://127.0.0.1:11434
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
";

#[test]
fn a_plain_config_yaml_is_checked_alone() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    fs::write(&config, CLEAN).unwrap();
    let out = aiblint(dir.path(), &["check", "config.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    fs::write(
        &config,
        CLEAN.replace("ollama_chat/", "olama/").replace(
            "general_settings:",
            "litellm_settings:\n  set_verbose: true\ngeneral_settings:\n  enable_cors: true",
        ),
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "config.yaml", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("config.yaml:4:14: error[G403] unknown LiteLLM provider prefix `olama/`"),
        "{text}"
    );
    assert!(
        text.contains("config.yaml:9:3: warning[G406] LiteLLM ignores unknown keys in `general_settings`: `enable_cors` has no effect"),
        "{text}"
    );
    // A directory is searched for it too.
    let out = aiblint(dir.path(), &["check", ".", "--format", "concise"]);
    assert!(
        stdout(&out).contains("config.yaml:4:14"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn kind_names_a_file_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("gateway.yaml"),
        "model_list:\n  - model_name: a\n",
    )
    .unwrap();
    let out = aiblint(
        dir.path(),
        &[
            "check",
            "gateway.yaml",
            "--kind",
            "litellm",
            "--format",
            "concise",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("error[G410] model_list entry without `litellm_params`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn included_files_are_checked_and_their_models_known() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("models")).unwrap();
    fs::write(
        dir.path().join("config.yaml"),
        "include:\n  - models/local.yaml\nrouter_settings:\n  fallbacks:\n    - llama3.1: [qwen]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("models/local.yaml"),
        "model_list:\n  - model_name: llama3.1\n    litellm_params:\n      model: ollama_chat/llama3.1\n      api_key: ${OLLAMA_KEY}\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "config.yaml", "--format", "concise"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("models/local.yaml:5:16: error[G411]"),
        "the included file is checked: {text}"
    );
    assert!(
        !text.contains("G404"),
        "groups may come from included files: {text}"
    );
}

#[test]
fn version_names_the_litellm_release() {
    let out = aiblint(root(), &["--version"]);
    assert_eq!(
        stdout(&out).trim(),
        format!(
            "aiblint {} (LiteLLM catalogue {})",
            env!("CARGO_PKG_VERSION"),
            aiblint::model::litellm::LITELLM_VERSION
        )
    );
}

#[test]
fn env_checks_references_against_this_environment() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("config.yaml"),
        CLEAN.replace("LITELLM_MASTER_KEY", "AIBLINT_TEST_MASTER_KEY"),
    )
    .unwrap();
    let args = ["check", "config.yaml", "--format", "concise"];
    let out = common::aiblint(dir.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "without --env: {}",
        stdout(&out)
    );
    let out = common::aiblint(dir.path(), &[&args[..], &["--env"]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("config.yaml:7:15: error[G416] environment variable `AIBLINT_TEST_MASTER_KEY` is not set"),
        "{}",
        stdout(&out)
    );
    let out = common::aiblint_env(
        dir.path(),
        &[&args[..], &["--env"]].concat(),
        &[("AIBLINT_TEST_MASTER_KEY", "sk-set")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
