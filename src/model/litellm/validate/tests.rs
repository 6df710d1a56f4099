//! Unit tests of the LiteLLM config validation.

use super::*;
use crate::syntax::parse;

fn issues(yaml: &str) -> Vec<LitellmIssueKind> {
    let p = parse(yaml);
    analyze(p.root.as_ref().unwrap())
        .issues
        .into_iter()
        .map(|i| i.kind)
        .collect()
}

#[test]
fn reads_sections_as_litellm_does() {
    let found = issues(
            "model_list: []\nserver_settings: {port: 4000}\ngeneral_settings:\n  # nothing\nrouter_setings: {}\n",
        );
    assert_eq!(
        found,
        vec![
            LitellmIssueKind::IgnoredKey {
                key: "server_settings".into(),
                section: Section::Top
            },
            LitellmIssueKind::UnknownKey {
                key: "router_setings".into(),
                section: Section::Top,
                suggestion: "router_settings"
            },
        ]
    );
}

#[test]
fn misplaced_keys_name_their_section() {
    let found = issues(
            "litellm_settings:\n  master_key: os.environ/K\nrouter_settings:\n  health_check_interval: 30\n",
        );
    assert!(matches!(
        &found[0],
        LitellmIssueKind::MisplacedKey {
            belongs: Section::GeneralSettings,
            crashes: false,
            ..
        }
    ));
    assert!(matches!(
        &found[1],
        LitellmIssueKind::MisplacedKey {
            belongs: Section::GeneralSettings,
            crashes: true,
            ..
        }
    ));
}

#[test]
fn values_and_required_keys() {
    let found = issues(
            "model_list:\n  - model_name: a\n  - model_name: b\n    litellm_params: {api_base: x}\nrouter_settings:\n  routing_strategy: least_busy\n  num_retries: [1]\n",
        );
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(matches!(
        &found[0],
        LitellmIssueKind::MissingKey {
            key: "litellm_params",
            ..
        }
    ));
    assert!(matches!(
        &found[1],
        LitellmIssueKind::MissingKey { key: "model", .. }
    ));
    assert!(matches!(
        &found[2],
        LitellmIssueKind::BadEnum {
            suggestion: Some("least-busy"),
            ..
        }
    ));
    assert!(matches!(&found[3], LitellmIssueKind::WrongType { .. }));
}

#[test]
fn environment_references() {
    assert_eq!(
        env_reference("${OPENAI_API_KEY}"),
        Some(EnvProblem::ShellSyntax {
            name: "OPENAI_API_KEY".into()
        })
    );
    assert_eq!(
        env_reference("$KEY"),
        Some(EnvProblem::ShellSyntax { name: "KEY".into() })
    );
    assert_eq!(env_reference("os.environ/KEY"), None);
    assert_eq!(
        env_reference("os.environ/${KEY}"),
        Some(EnvProblem::Malformed {
            name: Some("KEY".into())
        })
    );
    assert_eq!(env_reference("$5 per month"), None);
    assert_eq!(env_reference("sk-1234"), None);
}
