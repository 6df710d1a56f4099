//! Where a set's provider ids and model names stand: the name under an offset, and every
//! definition and use of a name across the set's files (for go-to-definition, references
//! and rename in the language server).

use super::{Config, ConfigSet, FileKind, RefKind};
use crate::text::TextRange;

/// One place where a provider id or a model name is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub kind: RefKind,
    pub name: String,
    /// The set file it stands in.
    pub file: FileKind,
    /// The scalar's range, quotes included.
    pub range: TextRange,
    /// A provider's id, a model listed under a provider, or an exact-match name.
    pub is_definition: bool,
}

impl ConfigSet {
    /// The provider id or model name whose scalar covers `offset` (its end included, where
    /// an editor's cursor stands after typing) in the set's file of kind `file`.
    pub fn occurrence_at(&self, file: FileKind, offset: usize) -> Option<Occurrence> {
        let touches = |r: TextRange| (r.start as usize) <= offset && offset <= r.end as usize;
        self.occurrences_in(file)
            .into_iter()
            .find(|o| touches(o.range))
    }

    /// Every occurrence of `name` as a `kind`: definitions first, then uses, each in file
    /// order (providers.yaml before model-mappings.yaml).
    pub fn occurrences(&self, kind: RefKind, name: &str) -> Vec<Occurrence> {
        let mut all: Vec<Occurrence> = [FileKind::Providers, FileKind::Mappings]
            .into_iter()
            .flat_map(|file| self.occurrences_in(file))
            .filter(|o| o.kind == kind && o.name == name)
            .collect();
        all.sort_by_key(|o| (!o.is_definition, o.file, o.range.start));
        all
    }

    /// The definitions of a name: a provider's id, or every provider model and exact match
    /// of that name.
    pub fn definitions(&self, kind: RefKind, name: &str) -> Vec<Occurrence> {
        let mut defs = self.occurrences(kind, name);
        defs.retain(|o| o.is_definition);
        defs
    }

    /// Every occurrence in one file of the set, in no particular order.
    fn occurrences_in(&self, file: FileKind) -> Vec<Occurrence> {
        let Some(member) = self.member(file) else {
            return Vec::new();
        };
        let occurrence = |kind, name: &str, range, is_definition| Occurrence {
            kind,
            name: name.to_string(),
            file,
            range,
            is_definition,
        };
        let mut out = Vec::new();
        match &member.file.config {
            Config::Providers(p) => {
                for provider in &p.providers {
                    let id = &provider.id;
                    out.push(occurrence(RefKind::Provider, &id.value, id.range, true));
                    for model in &provider.models {
                        let name = &model.name;
                        out.push(occurrence(RefKind::Model, &name.value, name.range, true));
                    }
                }
            }
            Config::Mappings(m) => {
                for exact in &m.exact_matches {
                    let name = &exact.name;
                    out.push(occurrence(RefKind::Model, &name.value, name.range, true));
                }
                for r in self.symbols().references() {
                    out.push(occurrence(r.kind, r.name, r.range, false));
                }
            }
            _ => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SetMember;

    fn set() -> ConfigSet {
        let providers = "providers:\n  ollama:\n    type: ollama\n    base_url: http://h:1\n    status: active\n    description: d\n    models:\n      - llama3\n      - name: \"qwen:7b\"\n";
        let mappings = "exact_matches:\n  \"qwen:7b\":\n    provider: ollama\n    fallback: ollama\nfallback_chains:\n  llama3:\n    chain: [\"qwen:7b\"]\n";
        ConfigSet::new(vec![
            SetMember::analyzed(FileKind::Providers, providers),
            SetMember::analyzed(FileKind::Mappings, mappings),
        ])
    }

    #[test]
    fn finds_the_name_under_an_offset() {
        let set = set();
        let text = &set.member(FileKind::Mappings).unwrap().file.text;
        let at = text.find("provider: ollama").unwrap() + "provider: oll".len();
        let o = set.occurrence_at(FileKind::Mappings, at).unwrap();
        assert_eq!(
            (o.kind, o.name.as_str(), o.is_definition),
            (RefKind::Provider, "ollama", false)
        );
        let end = text.find("provider: ollama").unwrap() + "provider: ollama".len();
        assert!(set.occurrence_at(FileKind::Mappings, end).is_some());
        assert!(set.occurrence_at(FileKind::Mappings, 2).is_none());
    }

    #[test]
    fn lists_definitions_then_uses_across_files() {
        let set = set();
        let all = set.occurrences(RefKind::Model, "qwen:7b");
        let summary: Vec<(FileKind, bool)> =
            all.iter().map(|o| (o.file, o.is_definition)).collect();
        assert_eq!(
            summary,
            [
                (FileKind::Providers, true),
                (FileKind::Mappings, true),
                (FileKind::Mappings, false)
            ]
        );
        assert_eq!(set.definitions(RefKind::Provider, "ollama").len(), 1);
        assert_eq!(set.occurrences(RefKind::Provider, "ollama").len(), 3);
        assert!(set.occurrences(RefKind::Provider, "nope").is_empty());
    }
}
