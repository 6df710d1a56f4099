//! What differs between two LiteLLM configs in LiteLLM's terms: which deployments a
//! requested model name reaches (through `model_list` or `model_group_alias`) and with
//! which share of its traffic, the fallbacks of each group, and every setting. Comments,
//! key order, quoting and the way a name is made (an alias or a copied deployment) do not
//! count, nor does writing out what LiteLLM does by default: an `api_base` it would call
//! anyway (`model::litellm::default_api_base`), a setting at its default value
//! (`default_setting`), weights in another scale (`simple-shuffle` picks by relative
//! weight, else by `rpm`, else by `tpm`, else evenly).
//!
//! Works on [`Data`], so that the generator stays free of the syntax tree: callers turn
//! each document into data with `Data::from_node`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::model::data::Data;

mod read;

use read::{default_fallbacks, fallback_map, reach, settings};

/// The differences, each list sorted; empty when the configs mean the same.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SemanticDiff {
    /// Per requested name: deployments it reaches that were added, removed or changed.
    pub groups: Vec<GroupChange>,
    /// Fallback lists that differ: `fallbacks`, `context_window_fallbacks`,
    /// `content_policy_fallbacks` per group, and `default_fallbacks`.
    pub fallbacks: Vec<FallbackChange>,
    /// Settings that differ, by dotted path (`litellm_settings.cache_params.ttl`).
    pub settings: Vec<SettingChange>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupChange {
    pub name: String,
    pub added: Vec<Target>,
    pub removed: Vec<Target>,
    /// The same deployment (model, server) with other parameters: before, after, and what.
    pub changed: Vec<(Target, Target, Vec<String>)>,
}

/// A deployment as LiteLLM calls it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// `litellm_params.model`, with `custom_llm_provider` as a prefix when set.
    pub model: String,
    pub api_base: Option<String>,
    /// The deployment's share of its group's traffic under `simple-shuffle` (from `weight`,
    /// else `rpm`, else `tpm`, else even), rounded to four decimals (a hundredth of a
    /// percent); `None` when it is the group's only deployment.
    pub weight: Option<f64>,
    /// Every other `litellm_params` key (the API key, options), as YAML-ish text.
    pub params: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FallbackChange {
    /// `fallbacks`, `context_window_fallbacks`, `content_policy_fallbacks` or
    /// `default_fallbacks`.
    pub list: String,
    /// The group (empty for `default_fallbacks`).
    pub group: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SettingChange {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Whether LiteLLM ignores the setting (a section or key it does not read): losing it
    /// changes nothing the gateway does.
    pub ignored: bool,
}

impl SemanticDiff {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.fallbacks.is_empty() && self.settings.is_empty()
    }

    /// Deployments added, removed and changed, over all groups.
    pub fn counts(&self) -> (usize, usize, usize) {
        self.groups.iter().fold((0, 0, 0), |(a, r, c), g| {
            (a + g.added.len(), r + g.removed.len(), c + g.changed.len())
        })
    }

    /// One line: "2 deployments added, 1 removed; 3 fallback lists and 4 settings differ".
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no difference in LiteLLM's terms".to_string();
        }
        let (added, removed, changed) = self.counts();
        let mut parts = Vec::new();
        if added + removed + changed > 0 {
            parts.push(format!(
                "deployments: {added} added, {removed} removed, {changed} changed"
            ));
        }
        if !self.fallbacks.is_empty() {
            parts.push(format!("{} fallback lists differ", self.fallbacks.len()));
        }
        if !self.settings.is_empty() {
            let ignored = self.settings.iter().filter(|s| s.ignored).count();
            parts.push(match ignored {
                0 => format!("{} settings differ", self.settings.len()),
                n if n == self.settings.len() => {
                    format!("{n} settings differ, all of which LiteLLM ignores")
                }
                n => format!(
                    "{} settings differ ({n} of them LiteLLM ignores)",
                    self.settings.len()
                ),
            });
        }
        parts.join("; ")
    }

    /// The differences for people, one per line, at most `max_lines` lines (then a count
    /// of the rest).
    pub fn render(&self, max_lines: usize) -> String {
        let mut lines: Vec<String> = Vec::new();
        for g in &self.groups {
            for t in &g.added {
                lines.push(format!("+ `{}` reaches {}", g.name, t.describe()));
            }
            for t in &g.removed {
                lines.push(format!("- `{}` no longer reaches {}", g.name, t.describe()));
            }
            for (_, after, what) in &g.changed {
                lines.push(format!(
                    "~ `{}` → {}: {}",
                    g.name,
                    after.describe(),
                    what.join("; ")
                ));
            }
        }
        for f in &self.fallbacks {
            let which = if f.group.is_empty() {
                f.list.clone()
            } else {
                format!("{} of `{}`", f.list, f.group)
            };
            let sign = match (f.before.is_empty(), f.after.is_empty()) {
                (true, _) => '+',
                (_, true) => '-',
                _ => '~',
            };
            lines.push(format!(
                "{sign} {which}: {} → {}",
                list(&f.before),
                list(&f.after)
            ));
        }
        for s in &self.settings {
            let sign = match (&s.before, &s.after) {
                (None, _) => '+',
                (_, None) => '-',
                _ => '~',
            };
            let ignored = if s.ignored {
                " (LiteLLM ignores it)"
            } else {
                ""
            };
            lines.push(format!(
                "{sign} {}: {} → {}{ignored}",
                s.path,
                s.before.as_deref().unwrap_or("(unset)"),
                s.after.as_deref().unwrap_or("(unset)")
            ));
        }
        let mut out = String::new();
        for line in lines.iter().take(max_lines) {
            let _ = writeln!(out, "{line}");
        }
        if lines.len() > max_lines {
            let _ = writeln!(out, "… and {} more", lines.len() - max_lines);
        }
        out
    }
}

impl Target {
    pub fn describe(&self) -> String {
        let mut s = format!("`{}`", self.model);
        if let Some(base) = &self.api_base {
            s += &format!(" at {base}");
        }
        if let Some(w) = self.weight {
            s += &format!(" (weight {w})");
        }
        s
    }

    /// Whether two targets are the same model on the same server.
    fn same_deployment(&self, other: &Target) -> bool {
        model_id(&self.model) == model_id(&other.model) && self.api_base == other.api_base
    }
}

/// The model without its provider prefix: `ollama_chat/llama3` and `ollama/llama3` name the
/// same model.
fn model_id(model: &str) -> &str {
    model.split_once('/').map_or(model, |(_, rest)| rest)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        format!("[{}]", items.join(", "))
    }
}

/// The router keys whose meaning is compared per group, not as settings.
const ROUTED_KEYS: [&str; 5] = [
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "default_fallbacks",
    "model_group_alias",
];

/// What differs from `before` to `after` (each a whole LiteLLM config document).
pub fn compare(before: &Data, after: &Data) -> SemanticDiff {
    let mut diff = SemanticDiff::default();
    let (b, a) = (reach(before), reach(after));
    let names: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    for name in names {
        let empty = Vec::new();
        let (old, new) = (b.get(name).unwrap_or(&empty), a.get(name).unwrap_or(&empty));
        if let Some(change) = group_change(name, old, new) {
            diff.groups.push(change);
        }
    }
    for list_name in &ROUTED_KEYS[..3] {
        let (old, new) = (
            fallback_map(before, list_name),
            fallback_map(after, list_name),
        );
        let groups: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for group in groups {
            let (o, n) = (
                old.get(group).cloned().unwrap_or_default(),
                new.get(group).cloned().unwrap_or_default(),
            );
            if o != n {
                diff.fallbacks.push(FallbackChange {
                    list: list_name.to_string(),
                    group: group.clone(),
                    before: o,
                    after: n,
                });
            }
        }
    }
    let (od, nd) = (default_fallbacks(before), default_fallbacks(after));
    if od != nd {
        diff.fallbacks.push(FallbackChange {
            list: "default_fallbacks".into(),
            group: String::new(),
            before: od,
            after: nd,
        });
    }
    let (os, ns) = (settings(before), settings(after));
    let paths: BTreeSet<&String> = os.keys().chain(ns.keys()).collect();
    for path in paths {
        let (o, n) = (os.get(path), ns.get(path));
        // A setting at LiteLLM's default is the same as none.
        let default = crate::model::litellm::default_setting(path);
        let same = match (o, n) {
            (Some(v), None) | (None, Some(v)) => default == Some(v.0.as_str()),
            _ => o.map(|o| &o.0) == n.map(|n| &n.0),
        };
        if !same {
            diff.settings.push(SettingChange {
                path: path.clone(),
                before: o.map(|o| o.0.clone()),
                after: n.map(|n| n.0.clone()),
                ignored: o.or(n).is_some_and(|v| v.1),
            });
        }
    }
    diff
}

fn group_change(name: &str, old: &[Target], new: &[Target]) -> Option<GroupChange> {
    let mut removed: Vec<Target> = Vec::new();
    let mut changed = Vec::new();
    let mut unmatched: Vec<&Target> = new.iter().collect();
    for o in old {
        if let Some(i) = unmatched.iter().position(|n| *n == o) {
            unmatched.remove(i);
            continue;
        }
        // The same model on the same server; else the same server (its model renamed).
        let same = unmatched
            .iter()
            .position(|n| n.same_deployment(o))
            .or_else(|| unmatched.iter().position(|n| n.api_base == o.api_base));
        match same {
            Some(i) => {
                let n = unmatched.remove(i);
                changed.push((o.clone(), n.clone(), fields(o, n)));
            }
            None => removed.push(o.clone()),
        }
    }
    let added: Vec<Target> = unmatched.into_iter().cloned().collect();
    (!(added.is_empty() && removed.is_empty() && changed.is_empty())).then(|| GroupChange {
        name: name.to_string(),
        added,
        removed,
        changed,
    })
}

/// What differs between two targets of the same deployment.
fn fields(old: &Target, new: &Target) -> Vec<String> {
    let mut out = Vec::new();
    if old.model != new.model {
        out.push(format!("model `{}` → `{}`", old.model, new.model));
    }
    if old.weight != new.weight {
        // No share: the group's only deployment, all of its traffic.
        let w = |w: Option<f64>| w.map_or("1".to_string(), |w| w.to_string());
        out.push(format!("weight {} → {}", w(old.weight), w(new.weight)));
    }
    let keys: BTreeSet<&String> = old.params.keys().chain(new.params.keys()).collect();
    for k in keys {
        match (old.params.get(k), new.params.get(k)) {
            (Some(o), Some(n)) if o != n => out.push(format!("{k} {o} → {n}")),
            (Some(o), None) => out.push(format!("{k} {o} removed")),
            (None, Some(n)) => out.push(format!("{k} {n} added")),
            _ => {}
        }
    }
    out
}
