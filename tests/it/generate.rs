//! `aiblint generate` end to end (the real binary on copies of the shipped example) and
//! the generator's contract as a library: deterministic, order-independent, what LiteLLM
//! documents, and clean under aiblint's own rules.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

use aiblint::generate;
use aiblint::lint::{check_set, RuleSelection};
use aiblint::model::{Config, FileKind, LitellmConfig, SetMember, SourceFile};
use common::{root, stderr, stdout};

/// The binary run in `dir` with `NO_COLOR=1`.
fn aiblint(dir: &Path, args: &[&str]) -> Output {
    common::aiblint_env(dir, args, &[("NO_COLOR", "1")])
}

fn committed() -> String {
    fs::read_to_string(root().join("config/litellm-unified.yaml")).unwrap()
}

/// A copy of the shipped example (generated file included) with `edit` applied.
fn example_copy(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    common::copy_example(
        &[
            "providers.yaml",
            "model-mappings.yaml",
            "ports.yaml",
            "litellm-settings.yaml",
            "litellm-unified.yaml",
        ],
        edit,
    )
}

// ------------------------------------------------------------------ the binary

#[test]
fn the_committed_config_is_what_generate_writes() {
    let out = aiblint(root(), &["generate", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out) == committed(),
        "config/litellm-unified.yaml is stale: run `cargo run -- generate`"
    );

    let out = aiblint(root(), &["generate", "--check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out), "config/litellm-unified.yaml is up to date\n");
}

#[test]
fn generate_writes_the_file_byte_for_byte() {
    let dir = example_copy(|_, text| text);
    let path = dir.path().join("config/litellm-unified.yaml");
    fs::remove_file(&path).unwrap();
    let out = aiblint(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "wrote config/litellm-unified.yaml from providers.yaml and model-mappings.yaml\n"
    );
    assert!(fs::read_to_string(&path).unwrap() == committed());
    // No temporary file is left behind.
    let names: Vec<String> = fs::read_dir(dir.path().join("config"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");

    // A second run changes nothing; an explicit directory and -o work alike.
    let out = aiblint(dir.path(), &["generate", "config"]);
    assert_eq!(stdout(&out), "config/litellm-unified.yaml is up to date\n");
    let out = aiblint(dir.path(), &["generate", "config", "-o", "other.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(fs::read_to_string(dir.path().join("other.yaml")).unwrap() == committed());

    // The generated file is part of the set and passes aiblint's own checks.
    let out = aiblint(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("All checks passed (5 files checked)."));
}

/// Files whose name marks them as the atomic writer's temporary files.
fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".aiblint-") || n.ends_with(".tmp"))
        .collect()
}

/// A stale litellm-unified.yaml (it may hold secrets, so it is private) is rewritten with
/// its mode kept.
#[cfg(unix)]
#[test]
fn generate_keeps_the_mode_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = example_copy(|name, text| match name {
        "litellm-unified.yaml" => format!("{text}# stale\n"),
        _ => text,
    });
    let path = dir.path().join("config/litellm-unified.yaml");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let out = aiblint(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::read_to_string(&path).unwrap() == committed());
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the mode is {mode:o}");
    assert_eq!(temp_files(&dir.path().join("config")), Vec::<String>::new());

    // A new file gets the usual mode (0666 less the umask), as any other new file would.
    let usual = dir.path().join("usual");
    fs::write(&usual, "").unwrap();
    let out = aiblint(dir.path(), &["generate", "-o", "new.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("new.yaml")), mode(&usual));
}

/// A symlinked litellm-unified.yaml stays a symlink, and the file it points at gets the
/// new text; no temporary file is left on either side.
#[cfg(unix)]
#[test]
fn generate_writes_through_a_symlink() {
    let dir = example_copy(|name, text| match name {
        "litellm-unified.yaml" => format!("{text}# stale\n"),
        _ => text,
    });
    let config = dir.path().join("config");
    fs::create_dir(dir.path().join("deploy")).unwrap();
    let real = dir.path().join("deploy/litellm.yaml");
    fs::rename(config.join("litellm-unified.yaml"), &real).unwrap();
    std::os::unix::fs::symlink(
        "../deploy/litellm.yaml",
        config.join("litellm-unified.yaml"),
    )
    .unwrap();
    let out = aiblint(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "wrote config/litellm-unified.yaml from providers.yaml and model-mappings.yaml\n"
    );
    let link = fs::symlink_metadata(config.join("litellm-unified.yaml")).unwrap();
    assert!(link.file_type().is_symlink(), "the symlink was replaced");
    assert!(fs::read_to_string(&real).unwrap() == committed());
    assert_eq!(temp_files(&config), Vec::<String>::new());
    assert_eq!(temp_files(&dir.path().join("deploy")), Vec::<String>::new());
    let out = aiblint(dir.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn disabling_a_provider_makes_the_file_stale_until_regenerated() {
    let dir = example_copy(|name, text| match name {
        "providers.yaml" => text.replacen(
            "    base_url: http://127.0.0.1:8080/v1\n    status: active",
            "    base_url: http://127.0.0.1:8080/v1\n    status: disabled",
            1,
        ),
        _ => text,
    });
    let out = aiblint(dir.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    // First what changes in LiteLLM's terms: the llama.cpp deployment, its place in the
    // general_chat group and its fallback go.
    let semantic = "config/litellm-unified.yaml: what regenerating changes, in LiteLLM's terms \
         (deployments: 0 added, 2 removed, 1 changed; 1 fallback lists differ):\n  \
         - `gemma-2-9b-it` no longer reaches `openai/gemma-2-9b-it` at http://127.0.0.1:8080/v1\n  \
         - `general_chat` no longer reaches `openai/gemma-2-9b-it` at http://127.0.0.1:8080/v1 (weight 0.3)\n  \
         ~ `general_chat` → `ollama_chat/llama3.1:8b` at http://127.0.0.1:11434: weight 0.7 → 1\n  \
         ~ fallbacks of `llama3.1:8b`: [gemma-2-9b-it, gpt-4o-mini] → [gpt-4o-mini]\n\
         --- config/litellm-unified.yaml\n+++ config/litellm-unified.yaml (generated)\n@@ ";
    assert!(text.starts_with(semantic), "{text}");
    // Then the text diff.
    for removed in [
        "-  # llama_cpp (llama_cpp) at http://127.0.0.1:8080/v1",
        "-  - model_name: gemma-2-9b-it",
        "-      model: openai/gemma-2-9b-it",
        "-        - gemma-2-9b-it",
    ] {
        assert!(
            text.lines().any(|l| l == removed),
            "no `{removed}` in\n{text}"
        );
    }
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with('+') && !l.starts_with("+++")),
        "{text}"
    );
    assert!(
        text.ends_with("config/litellm-unified.yaml is stale: run `aiblint generate config`\n"),
        "{text}"
    );

    // `check` says the same, at the first differing line.
    let out = aiblint(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let stale: Vec<&str> = text.lines().filter(|l| l.contains("[G401]")).collect();
    assert_eq!(stale.len(), 1, "{text}");
    assert!(
        stale[0].starts_with("config/litellm-unified.yaml:"),
        "{text}"
    );
    assert!(stale[0].contains("stale generated config: run `aiblint generate`"));

    // Regenerating fixes it; the routes to the disabled provider stay warnings.
    let out = aiblint(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        aiblint(dir.path(), &["generate", "--check"]).status.code(),
        Some(0)
    );
    let out = aiblint(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("[G40"), "{}", stdout(&out));
}

#[test]
fn a_broken_source_generates_nothing() {
    let dir = example_copy(|name, text| match name {
        "model-mappings.yaml" => text.replacen("provider: vllm-qwen", "provider: vllm-qwn", 1),
        _ => text,
    });
    let path = dir.path().join("config/litellm-unified.yaml");
    fs::remove_file(&path).unwrap();
    let out = aiblint(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains("error[R201]: unknown provider `vllm-qwn`"),
        "{err}"
    );
    assert!(
        err.contains(
            "aiblint: not generating: 1 error above changes what would be generated; fix it first"
        ),
        "{err}"
    );
    assert!(!path.exists());
    assert_eq!(
        aiblint(dir.path(), &["generate", "-o", "-"]).status.code(),
        Some(1)
    );
}

#[test]
fn check_reports_a_missing_file_and_usage_errors() {
    let dir = example_copy(|_, text| text);
    fs::remove_file(dir.path().join("config/litellm-unified.yaml")).unwrap();
    let out = aiblint(dir.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "config/litellm-unified.yaml is missing: run `aiblint generate config` and commit it\n"
    );
    let out = aiblint(dir.path(), &["generate", "--check", "-o", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot check `-o -`"),
        "{}",
        stderr(&out)
    );
    let out = aiblint(dir.path(), &["generate", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere is not a directory"));
    fs::remove_file(dir.path().join("config/model-mappings.yaml")).unwrap();
    let out = aiblint(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("there is no model-mappings.yaml in config"));
}

#[test]
fn the_check_diff_is_short() {
    // Every line differs: the diff stops after a screenful.
    let dir = example_copy(|name, text| match name {
        "litellm-unified.yaml" => text.replace("  ", "\t"),
        _ => text,
    });
    let out = aiblint(dir.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // A line for the semantic part (the file no longer parses), the diff cut at 120 lines,
    // the count of the rest and the verdict.
    assert!(text.lines().count() <= 123, "{}", text.lines().count());
    assert!(text.contains(" more diff lines\n"), "{text}");
}

/// Every case of `fixtures/generate/<case>/` (a config set, with a litellm-unified.yaml to
/// compare with when the case has one), through the binary: what `generate` writes, the
/// routes it leaves out (its notes), and `generate --check` for people and as JSON. One
/// snapshot per case, `fixtures/generate/<case>.snap`.
#[test]
fn generate_fixtures() {
    let fixtures = root().join("fixtures/generate");
    let mut cases: Vec<_> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let name = case.file_name().unwrap().to_str().unwrap().to_string();
        let dir = tempfile::tempdir().unwrap();
        let set = dir.path().join("config");
        fs::create_dir(&set).unwrap();
        let mut inputs = String::new();
        let mut files: Vec<_> = fs::read_dir(&case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let file_name = file.file_name().unwrap().to_str().unwrap().to_string();
            let text = fs::read_to_string(&file).unwrap();
            inputs += &format!("## {file_name}\n{text}\n");
            fs::write(set.join(&file_name), text).unwrap();
        }
        let printed = aiblint(dir.path(), &["generate", "-o", "-"]);
        assert_eq!(
            printed.status.code(),
            Some(0),
            "{name}: {}",
            stderr(&printed)
        );
        let mut snapshot = format!(
            "# Input\n{inputs}# Generated\n{}\n# Notes\n{}\n",
            stdout(&printed),
            stderr(&printed)
        );
        if set.join("litellm-unified.yaml").exists() {
            let check = aiblint(dir.path(), &["generate", "--check"]);
            let json = aiblint(dir.path(), &["generate", "--check", "--format", "json"]);
            snapshot += &format!(
                "# Check (exit {:?})\n{}\n# Check as JSON (exit {:?})\n{}",
                check.status.code(),
                stdout(&check),
                json.status.code(),
                stdout(&json)
            );
        }
        insta::with_settings!({
            snapshot_path => fixtures.clone(),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, snapshot);
        });
    }
}

/// Only errors that change what would be generated stop `generate`: a bad port in
/// ports.yaml is reported by `check` but generates; an unknown provider in a route does not.
#[test]
fn only_errors_that_change_the_config_block_generation() {
    let dir = example_copy(|name, text| match name {
        "ports.yaml" => text.replacen("port: 4000", "port: 99999", 1),
        _ => text,
    });
    assert_eq!(
        aiblint(dir.path(), &["check", "--format", "concise"])
            .status
            .code(),
        Some(1)
    );
    let out = aiblint(dir.path(), &["generate", "--check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("is up to date"), "{}", stdout(&out));

    let dir = example_copy(|name, text| match name {
        "model-mappings.yaml" => text.replacen("provider: vllm-qwen", "provider: vllm-qwn", 1),
        "ports.yaml" => text.replacen("port: 4000", "port: 99999", 1),
        _ => text,
    });
    let out = aiblint(dir.path(), &["generate", "--check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["status"], "blocked");
    let blocking = report["blocking"].as_array().unwrap();
    assert_eq!(blocking.len(), 1, "{blocking:?}");
    assert_eq!(blocking[0]["code"], "R201");
    assert_eq!(blocking[0]["file"], "config/model-mappings.yaml");
}

// ------------------------------------------------------------------ the library

fn analyze(kind: FileKind, text: &str) -> SourceFile {
    SourceFile::analyze(Some(kind), text.to_string())
}

fn generate_from(providers: &str, mappings: &str) -> String {
    let p = analyze(FileKind::Providers, providers);
    let m = analyze(FileKind::Mappings, mappings);
    match (&p.config, &m.config) {
        (Config::Providers(p), Config::Mappings(m)) => {
            generate::generate(generate::Sources {
                providers: p,
                mappings: m,
                settings: None,
            })
            .text
        }
        _ => panic!("sources do not parse"),
    }
}

fn lowered(text: &str) -> LitellmConfig {
    match analyze(FileKind::Litellm, text).config {
        Config::Litellm(l) => l,
        _ => panic!("generated text does not parse:\n{text}"),
    }
}

/// Lints a set and returns the codes reported on each file.
fn codes(files: &[(&str, &str)]) -> Vec<(String, Vec<&'static str>)> {
    let members = files
        .iter()
        .map(|(name, text)| SetMember {
            path: name.to_string(),
            file: analyze(FileKind::from_file_name(name).unwrap(), text).into(),
        })
        .collect();
    check_set(members, &RuleSelection::default())
        .into_iter()
        .map(|f| (f.path, f.diagnostics.iter().map(|d| d.code).collect()))
        .collect()
}

const PROVIDERS: &str = r#"metadata:
  schema_version: "2.0.0"
providers:
  lan:
    type: openai_compatible
    base_url: http://192.168.1.42:1234
    status: active
    description: LAN box
    models:
      - "llama3.1:8b"
  ollama:
    type: ollama
    base_url: http://127.0.0.1:11434/
    status: active
    description: Local Ollama
    models:
      - name: "llama3.1:8b"
        size: "8B"
        quantization: Q4_K_M
        specialty: general_chat
        context_length: 131072
      - name: nomic-embed-text
        specialty: embeddings
  cloud:
    type: ollama
    base_url: https://ollama.com
    status: active
    description: Ollama Cloud
    requires_api_key: true
    env_var: OLLAMA_API_KEY
    models:
      - "gpt-oss:120b-cloud"
  old:
    type: vllm
    base_url: http://127.0.0.1:8002/v1
    status: disabled
    description: Disabled vLLM
    models:
      - dolphin
  tools:
    type: tool_server
    base_url: http://127.0.0.1:9000
    status: active
    description: Not a model server
    models:
      - search
caching:
  type: local
  ttl: 90.5
"#;

const MAPPINGS: &str = r#"metadata:
  schema_version: "2.0.0"
exact_matches:
  "llama3.1:8b":
    provider: ollama
    priority: primary
    description: Chat
  "gpt-oss:120b":
    provider: cloud
    priority: secondary
    backend_model: "gpt-oss:120b-cloud"
    description: Hosted
  dolphin:
    provider: old
    priority: tertiary
    description: Disabled
load_balancing:
  chat:
    providers:
      - provider: ollama
        weight: 0.5
        preferred_model: "llama3.1:8b"
      - provider: lan
        weight: 0.25
      - provider: lan
        weight: 0.25
fallback_chains:
  "llama3.1:8b":
    chain: [dolphin, "gpt-oss:120b"]
  dolphin:
    chain: ["gpt-oss:120b"]
  "gpt-oss:120b":
    chain: []
  default:
    chain: [dolphin, "gpt-oss:120b"]
"#;

#[test]
fn deterministic_and_independent_of_mapping_order() {
    let once = generate_from(PROVIDERS, MAPPINGS);
    assert_eq!(once, generate_from(PROVIDERS, MAPPINGS));
    // Providers, exact matches, groups and chains are YAML mappings: their order in the
    // sources does not matter. (Swap the first two providers and the first two matches.)
    let (head, rest) = PROVIDERS.split_once("  lan:\n").unwrap();
    let (lan, rest) = rest.split_once("  ollama:\n").unwrap();
    let (ollama, rest) = rest.split_once("  cloud:\n").unwrap();
    let reordered = format!("{head}  ollama:\n{ollama}  lan:\n{lan}  cloud:\n{rest}");
    let mappings = MAPPINGS.replacen(
        "  \"llama3.1:8b\":\n    provider: ollama\n    priority: primary\n    description: Chat\n",
        "",
        1,
    ) + "";
    let mappings = mappings.replacen(
        "  dolphin:\n    provider: old",
        "  \"llama3.1:8b\":\n    provider: ollama\n    priority: primary\n    description: Chat\n  dolphin:\n    provider: old",
        1,
    );
    assert_ne!(mappings, MAPPINGS);
    assert_eq!(generate_from(&reordered, &mappings), once);
}

#[test]
fn what_the_generated_config_contains() {
    let text = generate_from(PROVIDERS, MAPPINGS);
    let litellm = lowered(&text);
    let entries: Vec<(&str, &str, Option<&str>, Option<&str>)> = litellm
        .model_list
        .iter()
        .map(|d| {
            (
                d.model_name.as_str(),
                d.model.as_ref().unwrap().as_str(),
                d.api_base.as_ref().map(|s| s.as_str()),
                d.api_key.as_ref().map(|s| s.as_str()),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            // Sorted by provider id. The exact match pins `llama3.1:8b` to ollama, so the
            // LAN box's model of that name is qualified with its provider id.
            (
                "gpt-oss:120b-cloud",
                "ollama_chat/gpt-oss:120b-cloud",
                Some("https://ollama.com"),
                Some("os.environ/OLLAMA_API_KEY")
            ),
            (
                "gpt-oss:120b",
                "ollama_chat/gpt-oss:120b-cloud",
                Some("https://ollama.com"),
                Some("os.environ/OLLAMA_API_KEY")
            ),
            (
                "lan/llama3.1:8b",
                "openai/llama3.1:8b",
                Some("http://192.168.1.42:1234/v1"),
                Some("none")
            ),
            (
                "llama3.1:8b",
                "ollama_chat/llama3.1:8b",
                Some("http://127.0.0.1:11434"),
                None
            ),
            (
                "nomic-embed-text",
                "ollama/nomic-embed-text",
                Some("http://127.0.0.1:11434"),
                None
            ),
            // The load-balancing group: two members (the LAN box twice counts once).
            (
                "chat",
                "ollama_chat/llama3.1:8b",
                Some("http://127.0.0.1:11434"),
                None
            ),
            (
                "chat",
                "openai/llama3.1:8b",
                Some("http://192.168.1.42:1234/v1"),
                Some("none")
            ),
        ]
    );
    assert!(
        text.contains("      weight: 0.5\n") && !text.contains("weight: 0.25"),
        "{text}"
    );
    assert!(text.contains("      mode: embedding\n"), "{text}");
    assert!(
        text.contains("      alias_of: gpt-oss:120b-cloud\n"),
        "{text}"
    );
    // Fallbacks: the disabled model is dropped from chains and as a key, an empty chain
    // is terminal, `default` becomes default_fallbacks.
    let fallbacks: Vec<(&str, Vec<&str>)> = litellm
        .fallbacks
        .iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(|s| s.as_str()).collect()))
        .collect();
    assert_eq!(fallbacks, [("llama3.1:8b", vec!["gpt-oss:120b"])]);
    let defaults: Vec<&str> = litellm
        .default_fallbacks
        .iter()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(defaults, ["gpt-oss:120b"]);
    assert!(text.contains("  routing_strategy: simple-shuffle\n"));
    assert!(
        text.contains("  cache: true\n  cache_params:\n    type: local\n    ttl: 90.5\n"),
        "{text}"
    );
    assert!(!text.contains("REDIS"), "{text}");
    assert!(
        !text.contains("search") && !text.contains("dolphin"),
        "{text}"
    );
}

#[test]
fn no_caching_block_no_cache() {
    let providers = PROVIDERS.split("caching:").next().unwrap();
    let text = generate_from(providers, MAPPINGS);
    assert!(!text.contains("cache"), "{text}");
}

#[test]
fn the_generated_config_is_clean_under_every_rule() {
    let text = generate_from(PROVIDERS, MAPPINGS);
    let result = codes(&[
        ("providers.yaml", PROVIDERS),
        ("model-mappings.yaml", MAPPINGS),
        ("litellm-unified.yaml", &text),
    ]);
    let litellm = result
        .iter()
        .find(|(p, _)| p == "litellm-unified.yaml")
        .unwrap();
    assert!(litellm.1.is_empty(), "{:?}\n{text}", litellm.1);
}

#[test]
fn g401_waits_for_error_free_sources() {
    let stale =
        "# litellm-unified.yaml — GENERATED by `aiblint generate`. DO NOT EDIT.\nmodel_list: []\n";
    let result = codes(&[
        ("providers.yaml", PROVIDERS),
        ("model-mappings.yaml", MAPPINGS),
        ("litellm-unified.yaml", stale),
    ]);
    assert!(
        result.iter().any(|(_, c)| c.contains(&"G401")),
        "{result:?}"
    );
    // A source with an error (an unknown provider): no G401, the R201 comes first.
    let broken = MAPPINGS.replacen("provider: cloud", "provider: clowd", 1);
    let result = codes(&[
        ("providers.yaml", PROVIDERS),
        ("model-mappings.yaml", &broken),
        ("litellm-unified.yaml", stale),
    ]);
    assert!(
        result.iter().any(|(_, c)| c.contains(&"R201")),
        "{result:?}"
    );
    assert!(
        !result.iter().any(|(_, c)| c.contains(&"G401")),
        "{result:?}"
    );
    // An error turned into a warning by the settings no longer holds it back.
    let settings = aiblint::settings::Settings::from_toml("[rules]\nR201 = \"warning\"\n").unwrap();
    let selection = RuleSelection::from_settings(&settings).unwrap();
    let members = [
        ("providers.yaml", PROVIDERS),
        ("model-mappings.yaml", broken.as_str()),
        ("litellm-unified.yaml", stale),
    ]
    .iter()
    .map(|(name, text)| SetMember {
        path: name.to_string(),
        file: analyze(FileKind::from_file_name(name).unwrap(), text).into(),
    })
    .collect();
    let linted = check_set(members, &selection);
    assert!(linted[2].diagnostics.iter().any(|d| d.code == "G401"));
}

#[test]
fn every_set_fixture_generates_a_clean_config() {
    // The sets of the rule fixtures and fixtures/sets whose sources are error-free.
    let mut dirs = Vec::new();
    for base in ["fixtures/rules", "fixtures/sets"] {
        for entry in fs::read_dir(root().join(base)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && base == "fixtures/rules" {
                for case in fs::read_dir(&path).unwrap() {
                    dirs.push(case.unwrap().path());
                }
            } else if path.is_dir() {
                dirs.push(path);
            }
        }
    }
    let mut checked = 0;
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let read = |name: &str| fs::read_to_string(dir.join(name)).ok();
        let (Some(p), Some(m)) = (read("providers.yaml"), read("model-mappings.yaml")) else {
            continue;
        };
        let text = generate_from(&p, &m);
        let result = codes(&[
            ("providers.yaml", &p),
            ("model-mappings.yaml", &m),
            ("litellm-unified.yaml", &text),
        ]);
        let g = &result[2].1;
        let bad: Vec<&&str> = g
            .iter()
            .filter(|c| {
                c.starts_with('G') || **c == "L310" || c.starts_with('S') || c.starts_with('E')
            })
            .collect();
        assert!(bad.is_empty(), "{}: {bad:?}\n{text}", dir.display());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} sets");
}
