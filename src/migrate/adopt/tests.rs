//! Unit tests of `aiblint init --from`: shares, fallbacks and notes of adopted configs.

use super::explain::shares;
use super::*;

fn adopted(text: &str) -> Adoption {
    adopt(text, "config.yaml").expect("adopts")
}

fn file(a: &Adoption, kind: FileKind) -> &str {
    &a.files
        .iter()
        .find(|f| f.kind == kind)
        .expect("written")
        .text
}

#[test]
fn a_cloud_and_a_local_deployment() {
    let a = adopted(
        "model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n      api_key: os.environ/OPENAI_API_KEY\n  - model_name: llama3\n    litellm_params:\n      model: ollama_chat/llama3\n      api_base: http://localhost:11434\n",
    );
    let providers = file(&a, FileKind::Providers);
    assert!(
        providers
            .contains("  openai:\n    type: openai\n    base_url: https://api.openai.com/v1\n"),
        "{providers}"
    );
    assert!(
        providers.contains("    requires_api_key: true\n    env_var: OPENAI_API_KEY\n"),
        "{providers}"
    );
    assert!(
        providers.contains("  ollama:\n    type: ollama\n    base_url: http://localhost:11434\n"),
        "{providers}"
    );
    let mappings = file(&a, FileKind::Mappings);
    assert!(
        mappings.contains("  gpt-4o:\n    provider: openai\n"),
        "{mappings}"
    );
    assert_eq!(a.notes, Vec::new());
    assert!(
        a.differences.iter().all(|d| d.why.is_some()),
        "{:?}",
        a.differences
    );
}

#[test]
fn shares_follow_simple_shuffle() {
    let sources = Sources {
        providers: vec![Provider {
            id: "p".into(),
            provider_type: "ollama",
            base_url: "http://h".into(),
            key: Key::None,
            models: vec![
                ("a".into(), vec![("rpm".into(), Data::Int(100))], false),
                ("b".into(), vec![("rpm".into(), Data::Int(300))], false),
            ],
        }],
        names: Vec::new(),
        infos: Vec::new(),
        chains: Vec::new(),
        unmapped_models: BTreeSet::new(),
        source_names: BTreeSet::new(),
        dropped_fallbacks: BTreeSet::new(),
        left: Vec::new(),
        default_group: false,
    };
    let by_rpm = [(0, "a".to_string(), None), (0, "b".to_string(), None)];
    assert_eq!(shares(&sources, &by_rpm), vec![0.25, 0.75]);
    let by_weight = [
        (0, "a".to_string(), Some(1.0)),
        (0, "b".to_string(), Some(2.0)),
    ];
    assert_eq!(shares(&sources, &by_weight), vec![0.333333, 0.666667]);
    let even = [
        (0, "x".to_string(), None),
        (0, "y".to_string(), None),
        (0, "z".to_string(), None),
    ];
    let s = shares(&sources, &even);
    assert_eq!(s, vec![0.333333, 0.333333, 0.333334]);
}

#[test]
fn not_a_config() {
    assert_eq!(adopt("a: [\n", "x").unwrap_err(), AdoptError::DoesNotParse);
    assert_eq!(
        adopt("general_settings: {}\n", "x").unwrap_err(),
        AdoptError::NotALitellmConfig
    );
}
