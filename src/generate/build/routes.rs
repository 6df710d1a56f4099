//! The routes of the generated config beyond one deployment per model: load-balancing
//! groups, capability aliases, per-deployment settings and fallback chains.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::BuildHasher;

use super::{
    indices_by_name, name_set, omit, Builder, Deployment, Dropped, NameSet, Source, TextParts,
};
use crate::model::data::Data;
use crate::model::routing::{self, Unresolved};
use compact_str::CompactString;
use foldhash::HashSet;
use hashbrown::hash_table::{Entry, HashTable};

use crate::model::{Capability, DeploymentSettings, FileKind, Spanned};

/// Fallback lists by model group, in name order.
pub(super) type Fallbacks<'a> = BTreeMap<&'a str, Vec<&'a str>>;

impl<'a> Builder<'a> {
    /// Load-balancing groups: each member's deployment under the group's name, with its
    /// weight. A member whose deployment already has the group's name (the group is named
    /// after the model) takes the weight itself; a group never removes a deployment.
    pub(super) fn load_balancing_groups(&mut self) {
        let mappings = self.mappings();
        let mut groups: Vec<_> = mappings.load_balancing.iter().collect();
        groups.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        groups.dedup_by(|a, b| a.name.as_str() == b.name.as_str());
        if groups.is_empty() {
            return;
        }
        // Looked up, not searched for each member: the deployments named like each group,
        // and the first deployment of each (provider, served model).
        let mut by_name = indices_by_name(&self.list, groups.iter().map(|g| g.name.as_str()));
        let hasher = foldhash::fast::RandomState::default();
        let mut first_of: HashTable<usize> = HashTable::with_capacity(self.list.len());
        for (i, d) in self.list.iter().enumerate() {
            let list = &self.list;
            let same = |&j: &usize| list[j].provider == d.provider && list[j].served == d.served;
            let key = |&j: &usize| hasher.hash_one((list[j].provider, list[j].served));
            if let Entry::Vacant(slot) =
                first_of.entry(hasher.hash_one((d.provider, d.served)), same, key)
            {
                slot.insert(i);
            }
        }
        for group in groups {
            let name = group.name.as_str();
            let named = by_name.entry(name).or_default();
            // Index into `list` → weight, in member order.
            let mut members: Vec<(usize, Option<f64>)> = Vec::new();
            for member in &group.members {
                let by_id = &self.by_id;
                let provider = |id: &str| by_id.get(id).map(|&(p, _)| p);
                let resolved = routing::resolve_member(provider, mappings, name, member);
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
                let id = provider.id.as_str();
                let list = &self.list;
                let own = named
                    .iter()
                    .copied()
                    .find(|&i| list[i].provider == id && list[i].served == served);
                let index = match own {
                    Some(i) => i,
                    None => {
                        let first = first_of.find(hasher.hash_one((id, served)), |&j| {
                            list[j].provider == id && list[j].served == served
                        });
                        let Some(&base) = first else {
                            continue;
                        };
                        let copy = list[base].renamed(name);
                        self.list.push(copy);
                        named.push(self.list.len() - 1);
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
                if let (0, Some(text)) = (n, &mut d.text) {
                    let strategy = group.strategy.as_ref().map_or("", |s| s.as_str());
                    text.comment.push(if strategy.is_empty() {
                        format!("load-balancing group {name}")
                    } else {
                        format!("load-balancing group {name} ({strategy})")
                    });
                }
            }
            if weighted {
                let in_group: Vec<usize> = members.iter().map(|(i, _)| *i).collect();
                let left_out: Vec<&str> = named
                    .iter()
                    .filter(|&&i| !in_group.contains(&i))
                    .map(|&i| self.list[i].provider)
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
    pub(super) fn capabilities(&mut self) -> Fallbacks<'a> {
        let mut fallbacks = BTreeMap::new();
        let mappings = self.mappings();
        let mut capabilities: Vec<&Capability> = mappings.capabilities.iter().collect();
        if capabilities.is_empty() {
            return fallbacks;
        }
        capabilities.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        capabilities.dedup_by(|a, b| a.name.as_str() == b.name.as_str());
        let list = &self.list;
        let omissions = &mut self.omissions;
        // The groups before any capability: a capability's copies, named after it, are
        // added once all are decided (none is a group another capability could reach).
        let groups = name_set(list);
        // The deployments of each name a capability uses, found in one pass.
        let wanted = capabilities.iter().copied().flat_map(|c: &'a Capability| {
            std::iter::once(c.name.as_str()).chain(c.preferred_models.iter().map(|m| m.as_str()))
        });
        let by_name = indices_by_name(list, wanted);
        let named = |n: &str| {
            let indices = by_name.get(n).map_or(&[][..], Vec::as_slice);
            indices.iter().map(|&i| &list[i])
        };
        let balanced: HashSet<&str> = mappings
            .load_balancing
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        let mut copies: Vec<Deployment<'a>> = Vec::new();
        for capability in capabilities {
            let name = capability.name.as_str();
            let route = || format!("capability `{name}`");
            let mut preferred: Vec<&'a str> = Vec::new();
            for model in &capability.preferred_models {
                if groups.contains(model.as_str()) {
                    if !preferred.contains(&model.as_str()) {
                        preferred.push(model.as_str());
                    }
                } else {
                    omit(
                        omissions,
                        FileKind::Mappings,
                        model.range,
                        format!("`{}` in {}", model.as_str(), route()),
                        Dropped::NoSuchModel {
                            name: model.as_str().to_string(),
                        },
                    );
                }
            }
            if groups.contains(name) {
                // A capability named like a load-balancing group whose deployments serve the
                // model it prefers first is that group: its other preferred models become
                // the group's fallbacks. Any other clash leaves the capability out.
                let reached = |n: &str| -> BTreeSet<(&str, &str)> {
                    named(n).map(|d| (d.provider, d.served)).collect()
                };
                let group = reached(name);
                let serves = |m: &str| !reached(m).is_disjoint(&group);
                let is_group = balanced.contains(name);
                match preferred.split_first() {
                    Some((first, rest)) if is_group && serves(first) => {
                        let others = rest.iter().copied().filter(|m| !serves(m));
                        fallbacks.insert(name, others.collect());
                    }
                    _ => omit(
                        omissions,
                        FileKind::Mappings,
                        capability.name.range,
                        route(),
                        Dropped::NameTaken,
                    ),
                }
                continue;
            }
            let Some((&first, rest)) = preferred.split_first() else {
                omit(
                    omissions,
                    FileKind::Mappings,
                    capability.name.range,
                    route(),
                    Dropped::CapabilityWithoutModels,
                );
                continue;
            };
            let start = copies.len();
            for d in named(first) {
                let mut copy = d.renamed(name);
                copy.weight = d.weight;
                if let Some(text) = &mut copy.text {
                    text.tags.retain(|(k, _)| *k != "alias_of");
                    text.tags.push(("capability_of", first));
                }
                copies.push(copy);
            }
            if let Some(text) = copies.get_mut(start).and_then(|head| head.text.as_mut()) {
                text.comment = vec![format!("capability {name}: {first} first")];
            }
            fallbacks.insert(name, rest.to_vec());
        }
        self.list.extend(copies);
        fallbacks
    }

    /// litellm-settings.yaml's `model_list`: extra params and info for generated
    /// deployments of a name.
    pub(super) fn deployment_settings(&mut self) {
        let Some(settings) = self.sources.settings else {
            return;
        };
        let names = settings.deployments.iter().map(|e| e.model_name.as_str());
        let mut by_name = indices_by_name(&self.list, names);
        for extra in &settings.deployments {
            let name = extra.model_name.as_str();
            let named = by_name.entry(name).or_default();
            if !named.is_empty() {
                for &i in named.iter() {
                    if let Some(text) = &mut self.list[i].text {
                        text.settings.push(extra);
                    }
                }
                continue;
            }
            match settings_deployment(extra, self.with_text) {
                Some(d) => {
                    self.list.push(d);
                    named.push(self.list.len() - 1);
                }
                None => self.omit(
                    FileKind::LitellmSettings,
                    extra.model_name.range,
                    format!("the settings for `{name}`"),
                    Dropped::SettingsForUnknownDeployment,
                ),
            }
        }
    }

    /// `router_settings.fallbacks` (one list per chain, by model; built only with the text)
    /// and `default_fallbacks` (the `default` chain). Only model groups of the generated
    /// `model_list` (`names`) appear; a provider id stands for its only model.
    pub(super) fn fallbacks(&mut self, names: &NameSet) -> (Fallbacks<'a>, Vec<&'a str>) {
        let mappings = self.mappings();
        let mut chains: Vec<_> = mappings.fallback_chains.iter().collect();
        chains.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        chains.dedup_by(|a, b| a.name.as_str() == b.name.as_str());
        let mut fallbacks = BTreeMap::new();
        let mut default = Vec::new();
        for chain in chains {
            let key = chain.name.as_str();
            let is_default = key == "default";
            if !is_default && !names.contains(key) {
                self.omit(
                    FileKind::Mappings,
                    chain.name.range,
                    format!("fallback chain `{key}`"),
                    Dropped::NoSuchModel {
                        name: key.to_string(),
                    },
                );
                continue;
            }
            let mut members: Vec<&'a str> = Vec::new();
            for member in &chain.chain {
                let Some(target) = self.chain_target(member, names, key) else {
                    continue;
                };
                if target != key && !members.contains(&target) {
                    members.push(target);
                }
            }
            if is_default {
                default = members;
            } else if self.with_text && !members.is_empty() {
                fallbacks.insert(key, members);
            }
        }
        (fallbacks, default)
    }

    /// The model group an entry of the fallback chain `chain` stands for: a generated group
    /// of that name, or the only model of a provider named there.
    pub(super) fn chain_target(
        &mut self,
        member: &'a Spanned<CompactString>,
        names: &NameSet,
        chain: &str,
    ) -> Option<&'a str> {
        let name = member.as_str();
        if names.contains(name) {
            return Some(name);
        }
        let entry = || format!("`{name}` in fallback chain `{chain}`");
        if !self.by_id.contains_key(name) {
            let why = Dropped::NoSuchModel {
                name: name.to_string(),
            };
            self.omit(FileKind::Mappings, member.range, entry(), why);
            return None;
        }
        let provider = self.by_id.get(name).map(|&(p, _)| p);
        match routing::resolve_provider_entry(provider, self.mappings()) {
            Ok((_, served)) if names.contains(served) => Some(served),
            Ok((_, served)) => {
                let why = Dropped::NoSuchModel {
                    name: served.to_string(),
                };
                self.omit(FileKind::Mappings, member.range, entry(), why);
                None
            }
            Err(why @ (Unresolved::UnknownProvider | Unresolved::Inactive { .. })) => {
                self.omit(
                    FileKind::Mappings,
                    member.range,
                    entry(),
                    Dropped::Provider(why),
                );
                None
            }
            Err(why) => {
                let why = Dropped::ProviderInChain(why);
                self.omit(FileKind::Mappings, member.range, entry(), why);
                None
            }
        }
    }
}

/// A deployment litellm-settings.yaml gives in full (its `litellm_params` name a `model`):
/// one the sources cannot express, written as it is.
pub(super) fn settings_deployment(
    extra: &DeploymentSettings,
    with_text: bool,
) -> Option<Deployment<'_>> {
    let params = extra.litellm_params.as_map().unwrap_or_default();
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let model = get("model")?.as_str()?;
    let weight = match get("weight") {
        Some(Data::Int(i)) => Some(*i as f64),
        Some(Data::Float(f)) => Some(*f),
        _ => None,
    };
    let text = with_text.then(|| {
        let mut text = TextParts::new(Source::Settings(extra));
        text.comment = vec![format!(
            "{} (as litellm-settings.yaml gives it)",
            extra.model_name.as_str()
        )];
        Box::new(text)
    });
    Some(Deployment {
        model_name: Cow::Borrowed(extra.model_name.as_str()),
        provider: "",
        served: model,
        prefix: "",
        api_base: get("api_base").and_then(Data::as_str).map(Into::into),
        api_key: get("api_key").and_then(Data::as_str).map(Into::into),
        weight,
        text,
    })
}

/// Adds the user's `fallbacks` (`[{group: [targets]}]`) to the generated ones: targets a
/// chain does not already list are appended.
pub(super) fn extend_fallbacks<'a>(fallbacks: &mut Fallbacks<'a>, user: Option<&'a Data>) {
    let Some(Data::Seq(items)) = user else {
        return;
    };
    for (group, targets) in items.iter().filter_map(Data::as_map).flatten() {
        let Data::Seq(targets) = targets else {
            continue;
        };
        let list = fallbacks.entry(group.as_str()).or_default();
        for target in targets.iter().filter_map(Data::as_str) {
            if target != group && !list.contains(&target) {
                list.push(target);
            }
        }
    }
}
