//! The symbol table of a config set: every provider id and model name with the range of its
//! definition, and every reference to them in model-mappings.yaml.

// foldhash: SipHash was a tenth of a large set's check, and the names come from files, not
// from an interactive adversary that could learn the per-process seed.
use std::hash::BuildHasher;
use std::sync::Arc;

use compact_str::CompactString;
use foldhash::fast::RandomState;
use hashbrown::hash_table::{Entry, HashTable};

use super::{
    Config, ConfigSet, FileKind, MappingsConfig, Provider, ProvidersConfig, SourceFile, Spanned,
};
use crate::text::TextRange;

mod references;

use references::{collect_references, resolve, RefSlot};
pub use references::{RefKind, RefRole, Reference, Route};

/// A model served by a provider.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelDef<'a> {
    pub provider: &'a str,
    pub range: TextRange,
}

/// Every definition and reference of a set, built once. It stores positions in the typed
/// config of providers.yaml and model-mappings.yaml (whose files it shares with the set),
/// not copies of the names: lookups hash the name and compare it with the one in place.
#[derive(Debug, Default)]
pub struct Symbols {
    providers: Option<Arc<SourceFile>>,
    mappings: Option<Arc<SourceFile>>,
    hasher: RandomState,
    /// Each provider id once: the index of its first provider.
    provider_ids: HashTable<u32>,
    /// Each model name that providers serve once: its index in `model_starts`.
    model_names: HashTable<u32>,
    /// Every model of every provider, grouped by name (names in the order they first
    /// appear), in file order within a name.
    model_defs: Vec<DefSlot>,
    /// Where each name's definitions start in `model_defs`, and a last entry at its end.
    model_starts: Vec<u32>,
    /// Each exact-match name once: the index of its first exact match.
    exact_matches: HashTable<u32>,
    references: Vec<RefSlot>,
}

/// A model of providers.yaml: the index of its provider, and its index in its `models`.
#[derive(Clone, Copy, Debug, Default)]
struct DefSlot {
    provider: u32,
    model: u32,
}

fn config_of(file: &Option<Arc<SourceFile>>) -> Option<&Config> {
    file.as_deref().map(|f| &f.config)
}

fn name_of(
    providers: &ProvidersConfig,
    def: DefSlot,
) -> Option<(&Provider, &Spanned<CompactString>)> {
    let provider = providers.providers.get(def.provider as usize)?;
    let model = provider.models.get(def.model as usize)?;
    Some((provider, &model.name))
}

/// Index `index` in `table`, unless an entry of the same name is there (its index is
/// returned).
fn insert_once<'n>(
    table: &mut HashTable<u32>,
    hasher: &RandomState,
    name: &str,
    index: u32,
    name_at: impl Fn(u32) -> &'n str,
) -> Option<u32> {
    let hash = hasher.hash_one(name);
    match table.entry(
        hash,
        |&i| name_at(i) == name,
        |&i| hasher.hash_one(name_at(i)),
    ) {
        Entry::Occupied(found) => Some(*found.get()),
        Entry::Vacant(slot) => {
            slot.insert(index);
            None
        }
    }
}

/// Indexes the first of each name among `count` names (`name_at` reads each in place).
fn index_names<'n>(
    table: &mut HashTable<u32>,
    hasher: &RandomState,
    count: usize,
    name_at: impl Fn(u32) -> &'n str + Copy,
) {
    table.reserve(count, |&i| hasher.hash_one(name_at(i)));
    for index in 0..count as u32 {
        insert_once(table, hasher, name_at(index), index, name_at);
    }
}

impl Symbols {
    pub(super) fn build(set: &ConfigSet) -> Symbols {
        let mut symbols = Symbols {
            providers: set.member(FileKind::Providers).map(|m| m.file.clone()),
            mappings: set.member(FileKind::Mappings).map(|m| m.file.clone()),
            ..Symbols::default()
        };
        let hasher = symbols.hasher.clone();
        let (providers_file, mappings_file) = (symbols.providers.clone(), symbols.mappings.clone());
        if let Some(Config::Providers(providers)) = config_of(&providers_file) {
            let list = &providers.providers;
            let id_at = |i: u32| list.get(i as usize).map_or("", |p| p.id.as_str());
            index_names(&mut symbols.provider_ids, &hasher, list.len(), id_at);
            symbols.index_models(providers);
        }
        if let Some(Config::Mappings(mappings)) = config_of(&mappings_file) {
            let list = &mappings.exact_matches;
            let name_at = |i: u32| list.get(i as usize).map_or("", |m| m.name.as_str());
            index_names(&mut symbols.exact_matches, &hasher, list.len(), name_at);
            symbols.references = collect_references(mappings);
        }
        symbols
    }

    /// Groups the models of `providers` by name (`model_names`, `model_defs`,
    /// `model_starts`).
    fn index_models(&mut self, providers: &ProvidersConfig) {
        let hasher = &self.hasher;
        let all = || {
            providers
                .providers
                .iter()
                .enumerate()
                .flat_map(|(p, provider)| {
                    (0..provider.models.len()).map(move |m| DefSlot {
                        provider: p as u32,
                        model: m as u32,
                    })
                })
        };
        let count = providers.providers.iter().map(|p| p.models.len()).sum();
        // Sized at once: growing would rehash every name, each read where the sources
        // hold it.
        self.model_names = HashTable::with_capacity(count);
        // The first definition of each name, then the name of each definition.
        let mut firsts: Vec<DefSlot> = Vec::new();
        let mut group_of: Vec<u32> = Vec::with_capacity(count);
        for def in all() {
            let Some((_, name)) = name_of(providers, def) else {
                continue;
            };
            let name_at = |g: u32| {
                firsts
                    .get(g as usize)
                    .and_then(|&d| name_of(providers, d))
                    .map_or("", |(_, n)| n.as_str())
            };
            let next = firsts.len() as u32;
            match insert_once(&mut self.model_names, hasher, name.as_str(), next, name_at) {
                Some(group) => group_of.push(group),
                None => {
                    firsts.push(def);
                    group_of.push(next);
                }
            }
        }
        // A counting sort of the definitions by name, stable.
        let mut starts = vec![0u32; firsts.len() + 1];
        for &g in &group_of {
            starts[g as usize + 1] += 1;
        }
        for g in 0..firsts.len() {
            starts[g + 1] += starts[g];
        }
        let mut next = starts.clone();
        let mut defs = vec![DefSlot::default(); group_of.len()];
        for (def, &g) in all().zip(&group_of) {
            defs[next[g as usize] as usize] = def;
            next[g as usize] += 1;
        }
        self.model_defs = defs;
        self.model_starts = starts;
    }

    fn providers_config(&self) -> Option<&ProvidersConfig> {
        match config_of(&self.providers)? {
            Config::Providers(p) => Some(p),
            _ => None,
        }
    }

    fn mappings_config(&self) -> Option<&MappingsConfig> {
        match config_of(&self.mappings)? {
            Config::Mappings(m) => Some(m),
            _ => None,
        }
    }

    /// The index in providers.yaml's providers of the first provider `id`.
    pub fn provider_index(&self, id: &str) -> Option<usize> {
        let list = &self.providers_config()?.providers;
        let found = self.provider_ids.find(self.hasher.hash_one(id), |&i| {
            list.get(i as usize).is_some_and(|p| p.id.as_str() == id)
        })?;
        Some(*found as usize)
    }

    /// Whether providers.yaml defines the provider `id`.
    pub fn has_provider(&self, id: &str) -> bool {
        self.provider_index(id).is_some()
    }

    /// The index of the name `name` in `model_starts`.
    fn model_group(&self, name: &str) -> Option<usize> {
        let providers = self.providers_config()?;
        let found = self.model_names.find(self.hasher.hash_one(name), |&g| {
            self.group_name(providers, g as usize) == Some(name)
        })?;
        Some(*found as usize)
    }

    fn group_name<'a>(&'a self, providers: &'a ProvidersConfig, group: usize) -> Option<&'a str> {
        let first = *self
            .model_defs
            .get(*self.model_starts.get(group)? as usize)?;
        name_of(providers, first).map(|(_, n)| n.as_str())
    }

    fn group_defs(&self, group: usize) -> ModelDefs<'_> {
        let start = self.model_starts.get(group).map_or(0, |&s| s as usize);
        let end = self
            .model_starts
            .get(group + 1)
            .map_or(start, |&e| e as usize);
        ModelDefs {
            providers: self.providers_config(),
            defs: self.model_defs.get(start..end).unwrap_or_default().iter(),
        }
    }

    /// The providers that serve the model `name`, in file order (none when no provider
    /// lists it).
    pub fn model_defs(&self, name: &str) -> ModelDefs<'_> {
        match self.model_group(name) {
            Some(group) => self.group_defs(group),
            None => ModelDefs {
                providers: None,
                defs: [].iter(),
            },
        }
    }

    /// Whether some provider serves a model `name`.
    pub fn is_served(&self, name: &str) -> bool {
        self.model_group(name).is_some()
    }

    /// Every model name that providers serve, with the providers that serve it, in the
    /// order the names first appear in providers.yaml.
    pub fn models(&self) -> impl Iterator<Item = (&str, ModelDefs<'_>)> + '_ {
        let providers = self.providers_config();
        (0..self.model_starts.len().saturating_sub(1)).filter_map(move |g| {
            let name = self.group_name(providers?, g)?;
            Some((name, self.group_defs(g)))
        })
    }

    /// The range of the first exact match named `name` in model-mappings.yaml.
    pub fn exact_match(&self, name: &str) -> Option<TextRange> {
        let list = &self.mappings_config()?.exact_matches;
        let found = self.exact_matches.find(self.hasher.hash_one(name), |&i| {
            list.get(i as usize)
                .is_some_and(|m| m.name.as_str() == name)
        })?;
        list.get(*found as usize).map(|m| m.name.range)
    }

    /// Every reference of model-mappings.yaml, in file order by section.
    pub fn references(&self) -> impl Iterator<Item = Reference<'_>> + '_ {
        let mappings = self.mappings_config();
        self.references
            .iter()
            .filter_map(move |&slot| resolve(mappings?, slot))
    }

    /// Whether `name` is a known model: an exact-match name or a model some provider serves.
    pub fn is_model(&self, name: &str) -> bool {
        self.is_served(name) || self.exact_match(name).is_some()
    }

    /// Every known model name, sorted (for deterministic suggestions).
    pub fn model_names(&self) -> Vec<&str> {
        let exact = self.mappings_config().map_or(&[][..], |m| &m.exact_matches);
        let mut names: Vec<&str> = self
            .models()
            .map(|(name, _)| name)
            .chain(
                self.exact_matches
                    .iter()
                    .filter_map(|&i| Some(exact.get(i as usize)?.name.as_str())),
            )
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Every provider id, sorted.
    pub fn provider_ids(&self) -> Vec<&str> {
        let list = self.providers_config().map_or(&[][..], |p| &p.providers);
        let mut ids: Vec<&str> = self
            .provider_ids
            .iter()
            .filter_map(|&i| Some(list.get(i as usize)?.id.as_str()))
            .collect();
        ids.sort_unstable();
        ids
    }
}

/// The providers that serve one model name.
#[derive(Clone, Debug)]
pub struct ModelDefs<'a> {
    providers: Option<&'a ProvidersConfig>,
    defs: std::slice::Iter<'a, DefSlot>,
}

impl ModelDefs<'_> {
    /// How many definitions there are.
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.len() == 0
    }
}

impl<'a> Iterator for ModelDefs<'a> {
    type Item = ModelDef<'a>;

    fn next(&mut self) -> Option<ModelDef<'a>> {
        let providers = self.providers?;
        self.defs.find_map(|&def| {
            let (provider, name) = name_of(providers, def)?;
            Some(ModelDef {
                provider: provider.id.as_str(),
                range: name.range,
            })
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.defs.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SetMember;

    fn set(providers: &str, mappings: &str) -> ConfigSet {
        ConfigSet::new(vec![
            SetMember::analyzed(FileKind::Providers, providers),
            SetMember::analyzed(FileKind::Mappings, mappings),
        ])
    }

    const PROVIDERS: &str = "providers:\n  a:\n    type: ollama\n    models:\n      - m1\n      - m2\n  b:\n    type: vllm\n    models:\n      - m2\n      - m3\n      - m2\n";

    #[test]
    fn models_are_grouped_by_name_in_file_order() {
        let set = set(PROVIDERS, "exact_matches: {}\n");
        let symbols = set.symbols();
        let served: Vec<&str> = symbols.model_defs("m2").map(|d| d.provider).collect();
        assert_eq!(served, ["a", "b", "b"]);
        assert_eq!(symbols.model_defs("m2").len(), 3);
        assert!(symbols.model_defs("nope").is_empty());
        let names: Vec<&str> = symbols.models().map(|(name, _)| name).collect();
        assert_eq!(names, ["m1", "m2", "m3"]);
        assert_eq!(symbols.provider_ids(), ["a", "b"]);
        assert_eq!(symbols.provider_index("b"), Some(1));
        assert!(!symbols.has_provider("c"));
    }

    #[test]
    fn the_first_exact_match_of_a_name_is_its_definition() {
        let mappings =
            "exact_matches:\n  x:\n    provider: a\n  y:\n    provider: b\n    backend_model: m3\n";
        let set = set(PROVIDERS, mappings);
        let symbols = set.symbols();
        let x = symbols.exact_match("x").map(|r| r.start as usize);
        assert_eq!(x, mappings.find("x:"));
        assert!(symbols.is_model("y") && symbols.is_model("m1") && !symbols.is_model("a"));
        assert_eq!(symbols.model_names(), ["m1", "m2", "m3", "x", "y"]);
    }

    #[test]
    fn references_read_back_their_name_owner_and_route() {
        let mappings = "exact_matches:\n  y:\n    provider: b\n    backend_model: m3\nfallback_chains:\n  default:\n    chain: [m1, a]\n  m2:\n    chain: [m3]\nrouting_rules:\n  default_fallback: a\n  model_size_routing:\n    - size: large\n      provider: b\n    - fallback: a\n";
        let set = set(PROVIDERS, mappings);
        let refs: Vec<String> = set
            .symbols()
            .references()
            .map(|r| {
                let at = &mappings[r.range.start as usize..r.range.end as usize];
                format!("{:?} {} {at} {:?} {}", r.role, r.name, r.owner, r.route)
            })
            .collect();
        assert_eq!(
            refs,
            [
                "ExactMatchProvider b b None exact match `y`",
                "BackendModel m3 m3 Some(\"b\") exact match `y`",
                "ChainMember m1 m1 None fallback chain `default`",
                "ChainMember a a None fallback chain `default`",
                "ChainKey m2 m2 None fallback chain `m2`",
                "ChainMember m3 m3 None fallback chain `m2`",
                "DefaultFallback a a None `routing_rules`",
                "SizeRouteProvider b b None size route `large`",
                "SizeRouteFallback a a None a size route",
            ]
        );
    }
}
