//! `aiblint init` end to end: the starter set, and `init --from` on LiteLLM configs in the
//! shapes of LiteLLM's documented examples (`fixtures/init/<case>.yaml`), each of which must
//! come back through `aiblint generate` as the same config in LiteLLM's terms, every
//! difference explained. One snapshot per case: `fixtures/init/<case>.snap`.

use crate::common;

use std::fs;
use std::path::Path;

use aiblint::generate::semantic;
use aiblint::model::data::Data;
use common::{aiblint, root, stderr, stdout};

fn data(path: &Path) -> Data {
    let text = fs::read_to_string(path).unwrap();
    let parsed = aiblint::syntax::parse(&text);
    Data::from_node(parsed.root.as_ref().expect("parses"))
}

#[test]
fn init_writes_a_starter_set_that_checks_clean_and_is_generated() {
    let dir = tempfile::tempdir().unwrap();
    let out = aiblint(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "wrote config/providers.yaml\nwrote config/model-mappings.yaml\nwrote config/litellm-unified.yaml\n"
        ),
        "{text}"
    );
    assert!(text.contains("aiblint check config "), "{text}");
    let out = aiblint(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(stdout(&out), "All checks passed (3 files checked).\n");
    let out = aiblint(dir.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stderr(&out), "", "no route of the starter set is left out");
    // The starter's files teach: they are commented.
    let providers = fs::read_to_string(dir.path().join("config/providers.yaml")).unwrap();
    assert!(
        providers
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 20
    );

    // Never over a file that exists: all or nothing.
    let before = fs::read(dir.path().join("config/providers.yaml")).unwrap();
    let out = aiblint(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exist"), "{}", stderr(&out));
    assert_eq!(
        fs::read(dir.path().join("config/providers.yaml")).unwrap(),
        before
    );
    let other = tempfile::tempdir().unwrap();
    fs::write(other.path().join("providers.yaml"), "mine\n").unwrap();
    let out = aiblint(other.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(common::names(other.path()), ["providers.yaml"]);
    assert_eq!(
        fs::read_to_string(other.path().join("providers.yaml")).unwrap(),
        "mine\n"
    );
}

/// `init --from` on each case: the report and the files written (snapshot), a clean check,
/// then `generate`, whose config differs from the source only as the report says, each
/// difference with its reason.
#[test]
fn init_from_litellm_configs_round_trips_through_generate() {
    let fixtures = root().join("fixtures/init");
    let mut cases: Vec<_> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "{cases:?}");
    for case in cases {
        let name = case.file_stem().unwrap().to_str().unwrap().to_string();
        let dir = tempfile::tempdir().unwrap();
        let source = fs::read_to_string(&case).unwrap();
        fs::write(dir.path().join("config.yaml"), &source).unwrap();
        let out = aiblint(dir.path(), &["init", "gateway", "--from", "config.yaml"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let report = stdout(&out);
        assert_eq!(
            fs::read_to_string(dir.path().join("config.yaml")).unwrap(),
            source,
            "{name}: the source is never touched"
        );
        let mut snapshot = format!("# aiblint init gateway --from config.yaml\n{report}");
        for file in common::names(&dir.path().join("gateway")) {
            let text = fs::read_to_string(dir.path().join("gateway").join(&file)).unwrap();
            snapshot += &format!("\n# gateway/{file}\n{text}");
        }
        insta::with_settings!({
            snapshot_path => fixtures.clone(),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name.clone(), snapshot);
        });

        // The new set is clean, and generates.
        let check = aiblint(dir.path(), &["check", "gateway", "--deny-warnings"]);
        assert_eq!(check.status.code(), Some(0), "{name}: {}", stdout(&check));
        let generate = aiblint(dir.path(), &["generate", "gateway"]);
        assert_eq!(
            generate.status.code(),
            Some(0),
            "{name}: {}",
            stderr(&generate)
        );
        assert_eq!(stderr(&generate), "", "{name}: no route is left out");

        // What the real generated config changes, in LiteLLM's terms, is exactly what the
        // report listed, each with a reason.
        let diff = semantic::compare(
            &data(&dir.path().join("config.yaml")),
            &data(&dir.path().join("gateway/litellm-unified.yaml")),
        );
        let rendered = diff.render(usize::MAX);
        let listed: Vec<&str> = report
            .lines()
            .skip_while(|l| !l.starts_with("what `aiblint generate gateway` will write"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .collect();
        let changes: Vec<&str> = listed
            .iter()
            .filter(|l| !l.starts_with("      why: "))
            .map(|l| l.trim_start())
            .collect();
        let masked = rendered.replace("sk-ant-api03-Qw9Er8Ty7Ui6Op5As4Df", "sk-a…");
        assert_eq!(changes, masked.lines().collect::<Vec<_>>(), "{name}");
        // Each change is followed by its reason (changes of one reason share it).
        assert!(
            listed.is_empty() || listed.last().unwrap().starts_with("      why: "),
            "{name}: {listed:?}"
        );
        assert!(
            !listed.iter().any(|l| l.contains("not explained")),
            "{name}: {listed:?}"
        );
        // A key written into the source is not printed, nor copied.
        assert!(!report.contains("Qw9Er8Ty7Ui6Op5As4Df"), "{report}");
        for file in common::names(&dir.path().join("gateway")) {
            let text = fs::read_to_string(dir.path().join("gateway").join(&file)).unwrap();
            assert!(!text.contains("Qw9Er8Ty7Ui6Op5As4Df"), "{file}");
        }
    }
}

/// The docs-shaped config comes back as it was but for one route LiteLLM itself
/// recommends, and an extra name.
#[test]
fn the_documented_proxy_config_changes_only_the_ollama_route() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        root().join("fixtures/init/proxy_config_docs.yaml"),
        dir.path().join("config.yaml"),
    )
    .unwrap();
    let out = aiblint(dir.path(), &["init", "--from", "config.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(aiblint(dir.path(), &["generate"]).status.code(), Some(0));
    let diff = semantic::compare(
        &data(&dir.path().join("config.yaml")),
        &data(&dir.path().join("config/litellm-unified.yaml")),
    );
    assert!(diff.fallbacks.is_empty(), "{diff:?}");
    assert!(diff.settings.is_empty(), "{diff:?}");
    assert_eq!(
        diff.render(usize::MAX),
        "+ `claude-3-5-sonnet-20240620` reaches `anthropic/claude-3-5-sonnet-20240620` at https://api.anthropic.com\n\
         ~ `llama3` → `ollama_chat/llama3` at http://localhost:11434: model `ollama/llama3` → `ollama_chat/llama3`\n"
    );
}

#[test]
fn init_from_what_is_not_a_litellm_config_says_so() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("broken.yaml"), "model_list:\n  - [\n").unwrap();
    fs::write(dir.path().join("other.yaml"), "services: {}\n").unwrap();
    let out = aiblint(dir.path(), &["init", "--from", "broken.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("broken.yaml is not valid YAML"),
        "{}",
        stderr(&out)
    );
    let out = aiblint(dir.path(), &["init", "--from", "other.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no `model_list`"),
        "{}",
        stderr(&out)
    );
    let out = aiblint(dir.path(), &["init", "--from", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("config").exists(), "nothing written");
}
