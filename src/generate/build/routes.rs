//! The routes of the generated config beyond one deployment per model: load-balancing
//! groups, capability aliases, per-deployment settings and fallback chains.

use compact_str::CompactString;
use std::collections::{BTreeMap, BTreeSet};

use super::render::{set, value_of};
use super::{Builder, Deployment, Dropped};
use crate::model::data::Data;
use crate::model::routing::{self, Unresolved};
use crate::model::{Capability, DeploymentSettings, FileKind, Spanned};
use crate::syntax::writer::Value;

impl<'a> Builder<'a> {
    /// Load-balancing groups: each member's deployment under the group's name, with its
    /// weight. A member whose deployment already has the group's name (the group is named
    /// after the model) takes the weight itself; a group never removes a deployment.
    pub(super) fn load_balancing_groups(&mut self) {
        let mappings = self.mappings();
        let mut groups: Vec<_> = mappings.load_balancing.iter().collect();
        groups.sort_by(|a, b| a.name.value.cmp(&b.name.value));
        groups.dedup_by(|a, b| a.name.value == b.name.value);
        for group in groups {
            let name = group.name.as_str();
            // Index into `list` → weight, in member order.
            let mut members: Vec<(usize, Option<f64>)> = Vec::new();
            for member in &group.members {
                let resolved =
                    routing::resolve_member(self.sources.providers, mappings, name, member);
                let (provider, served) = match resolved {
                    Ok(found) => found,
                    Err(why) => {
                        let id = member.provider.as_ref().map_or("?", |p| p.as_str());
                        let at = member
                            .provider
                            .as_ref()
                            .map_or(group.name.range, |p| p.range);
                        let route = format!("load-balancing member `{id}` of `{name}`");
                        let why = match why {
                            Unresolved::UnknownProvider | Unresolved::Inactive { .. } => {
                                Dropped::Provider(why)
                            }
                            other => Dropped::Member(other),
                        };
                        self.omit(FileKind::Mappings, at, route, why);
                        continue;
                    }
                };
                let weight = member.weight.as_ref().map(|w| w.value);
                let own = self.list.iter().position(|d| {
                    d.provider == provider.id.value && d.served == served && d.model_name == name
                });
                let index = match own {
                    Some(i) => i,
                    None => {
                        let Some(base) = self
                            .list
                            .iter()
                            .find(|d| d.provider == provider.id.value && d.served == served)
                        else {
                            continue;
                        };
                        let copy = base.renamed(name);
                        self.list.push(copy);
                        self.list.len() - 1
                    }
                };
                match members.iter_mut().find(|(i, _)| *i == index) {
                    Some((_, w)) => *w = w.zip(weight).map(|(a, b)| a + b),
                    None => members.push((index, weight)),
                }
            }
            let weighted = !members.is_empty() && members.iter().all(|(_, w)| w.is_some());
            for (n, &(index, weight)) in members.iter().enumerate() {
                let d = &mut self.list[index];
                d.weight = weight.filter(|_| weighted);
                if n == 0 {
                    let strategy = group.strategy.as_ref().map_or("", |s| s.as_str());
                    d.comment.push(if strategy.is_empty() {
                        format!("load-balancing group {name}")
                    } else {
                        format!("load-balancing group {name} ({strategy})")
                    });
                }
            }
            if weighted {
                let in_group: Vec<usize> = members.iter().map(|(i, _)| *i).collect();
                let left_out: Vec<String> = self
                    .list
                    .iter()
                    .enumerate()
                    .filter(|(i, d)| d.model_name == name && !in_group.contains(i))
                    .map(|(_, d)| d.provider.clone())
                    .collect();
                for provider in left_out {
                    self.omit(
                        FileKind::Mappings,
                        group.name.range,
                        format!("the deployment of `{name}` on `{provider}`"),
                        Dropped::ZeroWeight {
                            group: name.to_string(),
                        },
                    );
                }
            }
        }
    }

    /// Capabilities become model groups of their own, copies of their first preferred
    /// model that is a generated group; the other preferred models are its fallbacks.
    pub(super) fn capabilities(&mut self) -> BTreeMap<String, Vec<String>> {
        let mut fallbacks = BTreeMap::new();
        let mut capabilities: Vec<&Capability> = self.mappings().capabilities.iter().collect();
        capabilities.sort_by(|a, b| a.name.value.cmp(&b.name.value));
        capabilities.dedup_by(|a, b| a.name.value == b.name.value);
        let groups: BTreeSet<String> = self.list.iter().map(|d| d.model_name.clone()).collect();
        for capability in capabilities {
            let name = capability.name.as_str();
            let route = format!("capability `{name}`");
            let mut preferred: Vec<&str> = Vec::new();
            for model in &capability.preferred_models {
                if groups.contains(model.as_str()) {
                    if !preferred.contains(&model.as_str()) {
                        preferred.push(model.as_str());
                    }
                } else {
                    self.omit(
                        FileKind::Mappings,
                        model.range,
                        format!("`{}` in {route}", model.value),
                        Dropped::NoSuchModel {
                            name: model.value.to_string(),
                        },
                    );
                }
            }
            if groups.contains(name) {
                // A capability named like a load-balancing group whose deployments serve the
                // model it prefers first is that group: its other preferred models become
                // the group's fallbacks. Any other clash leaves the capability out.
                let reached = |n: &str| -> BTreeSet<(String, String)> {
                    self.list
                        .iter()
                        .filter(|d| d.model_name == n)
                        .map(|d| (d.provider.clone(), d.served.clone()))
                        .collect()
                };
                let group = reached(name);
                let serves = |m: &str| !reached(m).is_disjoint(&group);
                let is_group = self
                    .mappings()
                    .load_balancing
                    .iter()
                    .any(|g| g.name.value == name);
                match preferred.split_first() {
                    Some((first, rest)) if is_group && serves(first) => {
                        let others = rest.iter().filter(|m| !serves(m)).map(|m| m.to_string());
                        fallbacks.insert(name.to_string(), others.collect());
                    }
                    _ => self.omit(
                        FileKind::Mappings,
                        capability.name.range,
                        route,
                        Dropped::NameTaken,
                    ),
                }
                continue;
            }
            let Some((&first, rest)) = preferred.split_first() else {
                self.omit(
                    FileKind::Mappings,
                    capability.name.range,
                    route,
                    Dropped::CapabilityWithoutModels,
                );
                continue;
            };
            let mut copies: Vec<Deployment> = self
                .list
                .iter()
                .filter(|d| d.model_name == first)
                .map(|d| {
                    let mut copy = d.renamed(name);
                    copy.weight = d.weight;
                    copy.info.retain(|(k, _)| k != "alias_of");
                    copy.info.push(("capability_of".into(), Value::str(first)));
                    copy
                })
                .collect();
            if let Some(head) = copies.first_mut() {
                head.comment = vec![format!("capability {name}: {first} first")];
            }
            self.list.extend(copies);
            fallbacks.insert(
                name.to_string(),
                rest.iter().map(|s| s.to_string()).collect(),
            );
        }
        fallbacks
    }

    /// litellm-settings.yaml's `model_list`: extra params and info for generated
    /// deployments of a name.
    pub(super) fn deployment_settings(&mut self) {
        let Some(settings) = self.sources.settings else {
            return;
        };
        for extra in &settings.deployments {
            let name = extra.model_name.as_str();
            let mut found = false;
            for d in self.list.iter_mut().filter(|d| d.model_name == name) {
                found = true;
                for (k, v) in extra.litellm_params.as_map().unwrap_or_default() {
                    set(&mut d.params, k, value_of(v));
                }
                for (k, v) in extra.model_info.as_map().unwrap_or_default() {
                    set(&mut d.info, k, value_of(v));
                }
            }
            if found {
                continue;
            }
            match settings_deployment(extra) {
                Some(d) => self.list.push(d),
                None => self.omit(
                    FileKind::LitellmSettings,
                    extra.model_name.range,
                    format!("the settings for `{name}`"),
                    Dropped::SettingsForUnknownDeployment,
                ),
            }
        }
    }

    /// `router_settings.fallbacks` (one list per chain, by model) and `default_fallbacks`
    /// (the `default` chain). Only model groups of the generated `model_list` appear; a
    /// provider id stands for its only model.
    pub(super) fn fallbacks(
        &mut self,
        names: &BTreeSet<String>,
    ) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
        let mappings = self.mappings();
        let mut chains: Vec<_> = mappings.fallback_chains.iter().collect();
        chains.sort_by(|a, b| a.name.value.cmp(&b.name.value));
        chains.dedup_by(|a, b| a.name.value == b.name.value);
        let mut fallbacks = BTreeMap::new();
        let mut default = Vec::new();
        for chain in chains {
            let key = chain.name.as_str();
            let is_default = key == "default";
            let route = format!("fallback chain `{key}`");
            if !is_default && !names.contains(key) {
                self.omit(
                    FileKind::Mappings,
                    chain.name.range,
                    route,
                    Dropped::NoSuchModel {
                        name: key.to_string(),
                    },
                );
                continue;
            }
            let mut members: Vec<String> = Vec::new();
            for member in &chain.chain {
                let Some(target) = self.chain_target(member, names, &route) else {
                    continue;
                };
                if target != key && !members.contains(&target) {
                    members.push(target);
                }
            }
            if is_default {
                default = members;
            } else if !members.is_empty() {
                fallbacks.insert(key.to_string(), members);
            }
        }
        (fallbacks, default)
    }

    /// The model group a chain entry stands for: a generated group of that name, or the
    /// only model of a provider named there.
    pub(super) fn chain_target(
        &mut self,
        member: &Spanned<CompactString>,
        names: &BTreeSet<String>,
        route: &str,
    ) -> Option<String> {
        let name = member.as_str();
        if names.contains(name) {
            return Some(name.to_string());
        }
        let entry = format!("`{name}` in {route}");
        let is_provider = self
            .sources
            .providers
            .providers
            .iter()
            .any(|p| p.id.value == name);
        if !is_provider {
            let why = Dropped::NoSuchModel {
                name: name.to_string(),
            };
            self.omit(FileKind::Mappings, member.range, entry, why);
            return None;
        }
        match routing::resolve_provider_entry(self.sources.providers, self.mappings(), name) {
            Ok((_, served)) if names.contains(served) => Some(served.to_string()),
            Ok((_, served)) => {
                let why = Dropped::NoSuchModel {
                    name: served.to_string(),
                };
                self.omit(FileKind::Mappings, member.range, entry, why);
                None
            }
            Err(why @ (Unresolved::UnknownProvider | Unresolved::Inactive { .. })) => {
                self.omit(
                    FileKind::Mappings,
                    member.range,
                    entry,
                    Dropped::Provider(why),
                );
                None
            }
            Err(why) => {
                let why = Dropped::ProviderInChain(why);
                self.omit(FileKind::Mappings, member.range, entry, why);
                None
            }
        }
    }
}

/// A deployment litellm-settings.yaml gives in full (its `litellm_params` name a `model`):
/// one the sources cannot express, written as it is.
pub(super) fn settings_deployment(extra: &DeploymentSettings) -> Option<Deployment> {
    let params = extra.litellm_params.as_map().unwrap_or_default();
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let model = get("model")?.as_str()?.to_string();
    let weight = match get("weight") {
        Some(Data::Int(i)) => Some(*i as f64),
        Some(Data::Float(f)) => Some(*f),
        _ => None,
    };
    let named = ["model", "api_base", "api_key", "weight"];
    Some(Deployment {
        model_name: extra.model_name.value.to_string(),
        provider: String::new(),
        served: model.clone(),
        model,
        api_base: get("api_base").and_then(Data::as_str).map(str::to_string),
        api_key: get("api_key").and_then(Data::as_str).map(str::to_string),
        weight,
        params: params
            .iter()
            .filter(|(k, _)| !named.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), value_of(v)))
            .collect(),
        info: extra
            .model_info
            .as_map()
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.clone(), value_of(v)))
            .collect(),
        comment: vec![format!(
            "{} (as litellm-settings.yaml gives it)",
            extra.model_name.value
        )],
    })
}

/// Adds the user's `fallbacks` (`[{group: [targets]}]`) to the generated ones: targets a
/// chain does not already list are appended.
pub(super) fn extend_fallbacks(fallbacks: &mut BTreeMap<String, Vec<String>>, user: Option<&Data>) {
    let Some(Data::Seq(items)) = user else {
        return;
    };
    for (group, targets) in items.iter().filter_map(Data::as_map).flatten() {
        let Data::Seq(targets) = targets else {
            continue;
        };
        let list = fallbacks.entry(group.clone()).or_default();
        for target in targets.iter().filter_map(Data::as_str) {
            if target != group && !list.iter().any(|t| t == target) {
                list.push(target.to_string());
            }
        }
    }
}
