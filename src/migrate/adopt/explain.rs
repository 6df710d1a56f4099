//! Why the generated config differs from the adopted one, difference by difference.

use super::{Difference, Member, Sources};
use crate::generate::semantic::{self, SemanticDiff};
use crate::model::data::Data;
use crate::model::litellm;
use crate::syntax::Node;
use crate::text::TextRange;

impl Sources {
    /// Each difference with the reason it exists, when it is one this adoption makes.
    pub(super) fn explain(&self, diff: &SemanticDiff) -> Vec<Difference> {
        let mut out = Vec::new();
        // Each line of one change, with its reason.
        let mut explained = |change: SemanticDiff, why: Option<String>| {
            out.extend(change.render(usize::MAX).lines().map(|line| Difference {
                change: line.to_string(),
                why: why.clone(),
            }));
        };
        for g in &diff.groups {
            let change = SemanticDiff {
                groups: vec![g.clone()],
                ..SemanticDiff::default()
            };
            explained(change, self.group_reason(g));
        }
        for f in &diff.fallbacks {
            let group = if f.group.is_empty() {
                "default"
            } else {
                f.group.as_str()
            };
            let dropped = f.before.iter().filter(|t| !f.after.contains(t)).all(|t| {
                self.dropped_fallbacks
                    .contains(&(group.to_string(), t.clone()))
            });
            let default_group = (f.list == "fallbacks" && f.group == "default")
                || (f.list == "default_fallbacks" && self.default_group);
            let why = if default_group {
                Some(
                    "LiteLLM matches no model named `default`, so a fallback group of that name \
                     never takes effect; it is written as `default_fallbacks`, the catch-all it \
                     was meant to be (G404), which does"
                        .to_string(),
                )
            } else {
                (f.after.iter().all(|t| f.before.contains(t)) && dropped).then(|| {
                    "a fallback to a model that was left out (see the notes above)".to_string()
                })
            };
            let change = SemanticDiff {
                fallbacks: vec![f.clone()],
                ..SemanticDiff::default()
            };
            explained(change, why);
        }
        for s in &diff.settings {
            // `lift_sections` says "`path`: why" of what it leaves behind, and counts keys
            // that are commented-out lines (`'# master_key': ...`).
            let commented = s
                .path
                .split_once('.')
                .is_some_and(|(_, key)| key.trim_start().starts_with('#'));
            let why = self
                .left
                .iter()
                .find(|l| {
                    let about = l
                        .strip_prefix('`')
                        .and_then(|l| l.split_once("`:"))
                        .map(|(p, _)| p);
                    about.is_some_and(|p| s.path == p || s.path.starts_with(&format!("{p}.")))
                        || (commented && l.contains("commented-out"))
                })
                .map(|l| format!("not carried over: {l}"));
            let change = SemanticDiff {
                settings: vec![s.clone()],
                ..SemanticDiff::default()
            };
            explained(change, why);
        }
        out
    }

    /// Why the deployments a name reaches change, when every change is one this adoption
    /// makes: deployments left out, and what `aiblint generate` writes its own way.
    fn group_reason(&self, g: &semantic::GroupChange) -> Option<String> {
        let mut reasons: Vec<&str> = Vec::new();
        let mut add = |reason: &'static str| {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        };
        // Deployments left out: the rest of the name then takes all of its traffic.
        let mut removed: Vec<&semantic::Target> = Vec::new();
        let mut lost = false;
        for r in &g.removed {
            if self.unmapped_models.contains(&r.model) {
                lost = true;
                add("deployments the adoption left out (see the notes above)");
            } else {
                removed.push(r);
            }
        }
        // A name only the generated config has.
        if !self.source_names.contains(&g.name) {
            if !(removed.is_empty() && g.changed.is_empty()) {
                return None;
            }
            let qualified = self.providers.iter().any(|p| {
                p.models
                    .iter()
                    .any(|(s, _, _)| g.name == format!("{}/{s}", p.id))
            });
            add(if qualified {
                "`aiblint generate` lists a model as `<provider>/<model>` where an exact match \
                 gives its name to another provider"
            } else {
                "`aiblint generate` lists every model of a provider under the provider's own \
                 name too"
            });
            return Some(reasons.join("; "));
        }
        let model_id = |m: &str| m.split_once('/').map_or(m, |(_, rest)| rest).to_string();
        let mut fields: Vec<String> = g.changed.iter().flat_map(|(_, _, f)| f.clone()).collect();
        // A deployment whose api_base changed shows as one removed and one added.
        for added in &g.added {
            let i = removed
                .iter()
                .position(|r| model_id(&r.model) == model_id(&added.model))?;
            let before = removed.remove(i);
            if before.api_base.as_deref().map(|b| format!("{b}/v1")) != added.api_base {
                return None;
            }
            add(
                "`aiblint generate` adds `/v1` to an OpenAI-compatible server's api_base: \
                 LiteLLM calls `<api_base>/chat/completions` and such servers answer under \
                 `/v1` (G414)",
            );
            if before.model != added.model {
                fields.push(format!("model `{}` → `{}`", before.model, added.model));
            }
            for (k, v) in &added.params {
                match before.params.get(k) {
                    None => fields.push(format!("{k} {v} added")),
                    Some(old) if old != v => fields.push(format!("{k} {old} → {v}")),
                    Some(_) => {}
                }
            }
        }
        if !removed.is_empty() {
            return None;
        }
        for field in &fields {
            add(if field.starts_with("weight ") && lost {
                "its share of the traffic grows, as deployments of the name were left out"
            } else if field.starts_with("model `ollama/") && field.contains("`ollama_chat/") {
                "`aiblint generate` calls Ollama chat models through `ollama_chat/` (POST \
                 /api/chat, which LiteLLM recommends); a model is called through `ollama/` when \
                 providers.yaml gives it `specialty: embeddings`"
            } else if field.starts_with("model `ollama_chat/") && field.contains("`ollama/") {
                "`aiblint generate` calls embedding models through `ollama/` (POST /api/embed), \
                 which the chat route does not serve"
            } else if field.starts_with("model `hosted_vllm/") {
                "`aiblint generate` calls vLLM through LiteLLM's OpenAI-compatible route \
                 (`openai/`)"
            } else if field.starts_with("model `")
                && !field["model `".len()..]
                    .split('`')
                    .next()
                    .unwrap_or("/")
                    .contains('/')
            {
                "`aiblint generate` writes out the provider LiteLLM infers from the model's name"
            } else if field == "api_key none added"
                || (field.starts_with("api_key ") && field.ends_with("→ none"))
            {
                "`aiblint generate` gives a server that needs no key `api_key: none`: without \
                 one, LiteLLM's OpenAI route would send it your OPENAI_API_KEY (G415)"
            } else if field.starts_with("api_key ") && field.contains("os.environ/") {
                "the literal API key is read from the environment variable providers.yaml names \
                 (`env_var`); set it where LiteLLM runs"
            } else {
                return None;
            });
        }
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }
}

/// The shares of a name's deployments as LiteLLM's `simple-shuffle` picks them, rounded so
/// that they sum to 1.
pub(super) fn shares(sources: &Sources, members: &[Member]) -> Vec<f64> {
    let option = |index: usize, served: &str, key: &str| -> f64 {
        sources.providers[index]
            .models
            .iter()
            .find(|(s, _, _)| s == served)
            .and_then(|(_, options, _)| options.iter().find(|(k, _)| k == key))
            .map_or(0.0, |(_, v)| match v {
                Data::Int(i) => *i as f64,
                Data::Float(f) => *f,
                _ => 0.0,
            })
    };
    let mut shares: Vec<f64> = litellm::simple_shuffle_shares(members.len(), |m, key| {
        let (index, served, weight) = &members[m];
        match key {
            "weight" => weight.unwrap_or(0.0),
            _ => option(*index, served, key),
        }
    })
    .iter()
    .map(|share| (share * 1e6).round() / 1e6)
    .collect();
    // The last share takes the rounding, so that the group sums to 1 (L305).
    let rest: f64 = shares[..shares.len() - 1].iter().sum();
    if let Some(last) = shares.last_mut() {
        *last = ((1.0 - rest) * 1e6).round() / 1e6;
    }
    shares
}

/// The range of the first fallback entry that names `name`, in either settings section.
pub(super) fn fallback_range(root: &Node, name: &str) -> TextRange {
    for section in ["router_settings", "litellm_settings"] {
        for list in ["fallbacks", "default_fallbacks"] {
            let Some(items) = root
                .get(section)
                .and_then(|s| s.get(list))
                .and_then(Node::as_sequence)
            else {
                continue;
            };
            for item in items {
                if item.as_str() == Some(name) {
                    return item.range;
                }
                for entry in item.entries() {
                    if entry.key.scalar_text() == Some(name) {
                        return entry.key.range;
                    }
                    for target in entry.value.as_sequence().unwrap_or_default() {
                        if target.as_str() == Some(name) {
                            return target.range;
                        }
                    }
                }
            }
        }
    }
    root.get("router_settings")
        .or_else(|| root.get("litellm_settings"))
        .map_or(TextRange::empty(0), |n| n.range)
}
