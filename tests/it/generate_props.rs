//! Property: `aiblint generate` drops nothing silently. Over generated config sets, every
//! route of the sources (exact match, load-balancing member, fallback chain entry,
//! capability and its preferred models) either is part of the generated LiteLLM config, or
//! `aiblint check` reports a diagnostic at that route's source line.
//!
//! Sets with an error that stops `generate` are counted but not judged (nothing is
//! generated from them); the test requires enough judged sets to mean something.

use std::cell::Cell;

use aiblint::generate;
use aiblint::lint::{blocks_generation, check_set, RuleSelection};
use aiblint::model::litellm::FallbackShape;
use aiblint::model::{Config, ConfigSet, FileKind, MappingsConfig, SetMember, SourceFile};
use aiblint::text::TextRange;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};

const MODELS: [&str; 5] = ["m0", "m1", "m2", "m3", "m4"];
const PROVIDERS: [&str; 4] = ["p0", "p1", "p2", "p3"];

#[derive(Clone, Debug)]
struct Provider {
    kind: &'static str,
    active: bool,
    models: Vec<&'static str>,
}

/// A load-balancing member: its provider and `preferred_model`.
type Member = (&'static str, Option<&'static str>);

#[derive(Clone, Debug)]
struct Sources {
    providers: Vec<Provider>,
    exact: Vec<(String, &'static str, Option<&'static str>)>,
    groups: Vec<(String, Vec<Member>)>,
    chains: Vec<(String, Vec<String>)>,
    capabilities: Vec<(String, Vec<String>)>,
}

fn provider() -> impl Strategy<Value = Provider> {
    (
        prop::sample::select(vec!["ollama", "ollama", "vllm", "llama_cpp", "web_ui"]),
        prop::bool::weighted(0.8),
        prop::sample::subsequence(MODELS.to_vec(), 0..=4),
    )
        .prop_map(|(kind, active, models)| Provider {
            kind,
            active,
            models,
        })
}

/// A model name, a provider id, or (rarely) a name nothing defines.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(MODELS.to_vec()).prop_map(str::to_string),
        2 => prop::sample::select(PROVIDERS.to_vec()).prop_map(str::to_string),
        1 => Just("nowhere".to_string()),
    ]
}

fn sources() -> impl Strategy<Value = Sources> {
    let exact = prop::collection::vec(
        (
            prop::sample::select(vec!["m0", "m1", "m2", "e0", "e1"]).prop_map(str::to_string),
            prop::sample::select(PROVIDERS.to_vec()),
            prop::option::weighted(0.3, prop::sample::select(MODELS.to_vec())),
        ),
        0..4,
    );
    let member = (
        prop::sample::select(PROVIDERS.to_vec()),
        prop::option::weighted(0.3, prop::sample::select(MODELS.to_vec())),
    );
    let groups = prop::collection::vec(
        (
            prop::sample::select(vec!["m0", "m1", "g0"]).prop_map(str::to_string),
            prop::collection::vec(member, 1..4),
        ),
        0..3,
    );
    let chains = prop::collection::vec(
        (
            prop::sample::select(vec!["m0", "m1", "m2", "e0", "default"]).prop_map(str::to_string),
            prop::collection::vec(name(), 0..4),
        ),
        0..4,
    );
    let capabilities = prop::collection::vec(
        (
            prop::sample::select(vec!["c0", "c1", "m0"]).prop_map(str::to_string),
            prop::collection::vec(name(), 0..4),
        ),
        0..3,
    );
    (
        prop::collection::vec(provider(), 4..=4),
        exact,
        groups,
        chains,
        capabilities,
    )
        .prop_map(|(providers, exact, groups, chains, capabilities)| Sources {
            providers,
            exact,
            groups,
            chains,
            capabilities,
        })
}

fn providers_yaml(s: &Sources) -> String {
    let mut out = String::from("providers:\n");
    for (i, p) in s.providers.iter().enumerate() {
        out += &format!(
            "  p{i}:\n    type: {}\n    base_url: http://127.0.0.1:{}\n    status: {}\n    description: provider {i}\n",
            p.kind,
            8000 + i,
            if p.active { "active" } else { "disabled" }
        );
        if !p.models.is_empty() {
            out += "    models:\n";
            for m in &p.models {
                out += &format!("      - \"{m}\"\n");
            }
        }
    }
    out
}

fn mappings_yaml(s: &Sources) -> String {
    let mut out = String::new();
    let mut seen = Vec::new();
    if !s.exact.is_empty() {
        out += "exact_matches:\n";
        for (name, provider, backend) in &s.exact {
            if seen.contains(name) {
                continue; // Duplicate keys are E002's, not this property's.
            }
            seen.push(name.clone());
            out += &format!("  \"{name}\":\n    provider: {provider}\n    description: route\n");
            if let Some(b) = backend {
                out += &format!("    backend_model: \"{b}\"\n");
            }
        }
    }
    let dedup = |items: &[(String, Vec<String>)]| -> Vec<(String, Vec<String>)> {
        let mut keys = Vec::new();
        items
            .iter()
            .filter(|(k, _)| {
                let fresh = !keys.contains(k);
                keys.push(k.clone());
                fresh
            })
            .cloned()
            .collect()
    };
    let groups: Vec<_> = {
        let mut keys = Vec::new();
        s.groups
            .iter()
            .filter(|(k, _)| {
                let fresh = !keys.contains(k);
                keys.push(k.clone());
                fresh
            })
            .collect()
    };
    if !groups.is_empty() {
        out += "load_balancing:\n";
        for (name, members) in groups {
            out += &format!("  \"{name}\":\n    providers:\n");
            // Weights that always sum to 1 (L305 is not this property's).
            let n = members.len();
            for (i, (provider, preferred)) in members.iter().enumerate() {
                let weight = if i + 1 == n {
                    1.0 - (n as f64 - 1.0) * (1.0 / n as f64 * 100.0).floor() / 100.0
                } else {
                    (1.0 / n as f64 * 100.0).floor() / 100.0
                };
                out += &format!("      - provider: {provider}\n        weight: {weight:.2}\n");
                if let Some(p) = preferred {
                    out += &format!("        preferred_model: \"{p}\"\n");
                }
            }
        }
    }
    let chains = dedup(&s.chains);
    if !chains.is_empty() {
        out += "fallback_chains:\n";
        for (key, members) in chains {
            out += &format!("  \"{key}\":\n    chain:\n");
            if members.is_empty() {
                out.truncate(out.len() - 1);
                out += " []\n";
            }
            for m in members {
                out += &format!("      - \"{m}\"\n");
            }
        }
    }
    let capabilities = dedup(&s.capabilities);
    if !capabilities.is_empty() {
        out += "capabilities:\n";
        for (name, preferred) in capabilities {
            out += &format!("  \"{name}\":\n    description: capability\n");
            if !preferred.is_empty() {
                out += "    preferred_models:\n";
                for p in preferred {
                    out += &format!("      - \"{p}\"\n");
                }
            }
        }
    }
    if out.is_empty() {
        out += "exact_matches: {}\n";
    }
    out
}

/// A route and where its source text is.
struct Route {
    what: String,
    ranges: Vec<TextRange>,
    generated: bool,
}

fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// Every route of the mappings, with whether the generated config has it.
fn routes(m: &MappingsConfig, set: &ConfigSet, text: &str) -> Vec<Route> {
    let generated = SourceFile::analyze(Some(FileKind::Litellm), text.to_string());
    let Config::Litellm(litellm) = &generated.config else {
        panic!("the generated config does not parse:\n{text}");
    };
    let root = generated.root().unwrap();
    let deployment = |name: &str, provider: Option<&str>| {
        litellm
            .model_list
            .iter()
            .zip(root.get("model_list").unwrap().as_sequence().unwrap())
            .any(|(d, node)| {
                d.model_name.value == name
                    && provider.is_none_or(|p| {
                        node.get("model_info")
                            .and_then(|i| i.get("provider"))
                            .and_then(|v| v.as_str())
                            == Some(p)
                    })
            })
    };
    let fallbacks = |key: &str| -> Vec<String> {
        if key == "default" {
            return litellm
                .analysis
                .default_fallbacks
                .iter()
                .map(|f| f.value.to_string())
                .collect();
        }
        litellm
            .analysis
            .fallbacks
            .iter()
            .filter_map(|f| match &f.shape {
                FallbackShape::Group { group, fallbacks } if group.value == key => {
                    Some(fallbacks.iter().map(|t| t.value.to_string()))
                }
                _ => None,
            })
            .flatten()
            .collect()
    };
    let resolve = |name: &str| -> String {
        match set.providers().and_then(|_| {
            aiblint::model::routing::resolve_provider_entry(set.provider(name), m).ok()
        }) {
            Some((_, served)) if set.provider(name).is_some() => served.to_string(),
            _ => name.to_string(),
        }
    };
    let mut out = Vec::new();
    for e in &m.exact_matches {
        out.push(Route {
            what: format!("exact match {}", e.name.value),
            ranges: vec![e.entry_range],
            generated: deployment(&e.name.value, None),
        });
    }
    for g in &m.load_balancing {
        for member in &g.members {
            let Some(p) = &member.provider else { continue };
            let mut ranges = vec![p.range];
            ranges.extend(member.preferred_model.as_ref().map(|m| m.range));
            out.push(Route {
                what: format!("member {} of {}", p.value, g.name.value),
                ranges,
                generated: deployment(&g.name.value, Some(&p.value)),
            });
        }
    }
    for chain in &m.fallback_chains {
        let list = fallbacks(&chain.name.value);
        for member in &chain.chain {
            out.push(Route {
                what: format!("{} in chain {}", member.value, chain.name.value),
                ranges: vec![member.range, chain.name.range],
                generated: member.value == chain.name.value
                    || list.contains(&resolve(&member.value)),
            });
        }
    }
    for c in &m.capabilities {
        let list = fallbacks(&c.name.value);
        out.push(Route {
            what: format!("capability {}", c.name.value),
            ranges: vec![c.name.range],
            generated: deployment(&c.name.value, None),
        });
        for p in &c.preferred_models {
            let first = litellm
                .model_list
                .iter()
                .any(|d| d.model_name.value == c.name.value);
            out.push(Route {
                what: format!("{} preferred by {}", p.value, c.name.value),
                ranges: vec![p.range, c.name.range],
                generated: first
                    && (list.iter().any(|f| *f == p.value) || deployment(&p.value, None)),
            });
        }
    }
    out
}

#[test]
fn every_route_is_generated_or_reported() {
    let judged = Cell::new(0usize);
    // A fixed seed: the same 3,000 sets on every run (set AIBLINT_PROPTEST_CASES for a
    // longer, random exploration).
    let cases: Option<u32> = std::env::var("AIBLINT_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok());
    let runner_cases = cases.unwrap_or(3000) as usize;
    let config = RunnerConfig {
        cases: runner_cases as u32,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let mut runner = match cases {
        Some(_) => TestRunner::new(config),
        None => TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha)),
    };
    runner
        .run(&sources(), |s| {
            let members = vec![
                SetMember {
                    path: "providers.yaml".into(),
                    file: SourceFile::analyze(Some(FileKind::Providers), providers_yaml(&s)).into(),
                },
                SetMember {
                    path: "model-mappings.yaml".into(),
                    file: SourceFile::analyze(Some(FileKind::Mappings), mappings_yaml(&s)).into(),
                },
            ];
            let linted = check_set(members.clone(), &RuleSelection::default());
            let blocked = linted
                .iter()
                .any(|f| f.diagnostics.iter().any(|d| blocks_generation(f.file.kind, d)));
            if blocked {
                return Ok(());
            }
            judged.set(judged.get() + 1);
            let set = ConfigSet::new(members);
            let generated = generate::from_set(&set).expect("both sources parse");
            let mappings = set.mappings().unwrap();
            let diagnostics = &linted[1].diagnostics;
            for route in routes(mappings, &set, &generated.text) {
                let reported = diagnostics
                    .iter()
                    .any(|d| route.ranges.iter().any(|r| overlaps(d.primary.range, *r)));
                prop_assert!(
                    route.generated || reported,
                    "{} is neither generated nor reported\n--- providers.yaml\n{}--- model-mappings.yaml\n{}--- generated\n{}\n--- diagnostics\n{:#?}",
                    route.what,
                    providers_yaml(&s),
                    mappings_yaml(&s),
                    generated.text,
                    diagnostics.iter().map(|d| (d.code, &d.message)).collect::<Vec<_>>()
                );
            }
            Ok(())
        })
        .unwrap();
    assert!(
        judged.get() * 15 >= runner_cases,
        "only {} of {runner_cases} sets could be generated: the property was hardly tested",
        judged.get()
    );
}
