//! Lowers a tree to the typed config of each file. Lenient: values of the wrong type are
//! left out (the schema validator reports them), so rules see only well-typed data. One
//! file per kind of file; the helpers that read a node as a string, number or list are here.

use compact_str::CompactString;

use super::data::Data;
use crate::syntax::{Entry, Node, Value};
use crate::text::TextRange;

/// A value with the range of its source text.
///
/// Strings of the typed config are `CompactString`s, as in the tree: names of up to 24
/// bytes (most of them) are kept inline, without an allocation of their own. A mapping
/// value's key is not kept (8 bytes of every value, for the rare diagnostic that points at
/// a key): [`Node::entry_with_value`] finds it in the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Spanned { value, range }
    }
}

impl<T: std::ops::Deref<Target = str>> Spanned<T> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// Collects a list of the typed config at its exact length: the config is kept for the
/// whole check, and growth by doubling leaves up to half of a long list's slots empty.
trait CollectExact: Iterator + Sized {
    fn collect_exact(self) -> Vec<Self::Item> {
        crate::alloc::exact_len(self.collect())
    }
}

impl<I: Iterator> CollectExact for I {}

mod litellm;
mod mappings;
mod ports;
mod providers;
mod settings;

pub use litellm::*;
pub use mappings::*;
pub use ports::*;
pub use providers::*;
pub use settings::*;

fn entries(node: Option<&Node>) -> Vec<&Entry> {
    let mut entries = node.map(Node::entries).unwrap_or_default();
    entries.retain(|e| {
        !e.key
            .scalar_text()
            .is_some_and(super::validate::is_extension_key)
    });
    entries
}

fn key(entry: &Entry) -> Option<Spanned<CompactString>> {
    Some(Spanned::new(
        CompactString::from(entry.key.scalar_text()?),
        entry.key.range,
    ))
}

fn string_node(node: &Node) -> Option<Spanned<CompactString>> {
    node.as_str()
        .map(|s| Spanned::new(CompactString::from(s), node.range))
}

fn string_list(node: Option<&Node>) -> Vec<Spanned<CompactString>> {
    node.and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(string_node)
        .collect_exact()
}

fn with_key<T>(node: &Node, name: &str, f: impl FnOnce(&Node) -> Option<T>) -> Option<Spanned<T>> {
    let entry = node.get_entry(name)?;
    Some(Spanned::new(f(&entry.value)?, entry.value.range))
}

fn string(node: &Node, name: &str) -> Option<Spanned<CompactString>> {
    with_key(node, name, |v| v.as_str().map(CompactString::from))
}

fn integer(node: &Node, name: &str) -> Option<Spanned<i64>> {
    with_key(node, name, |v| match v.as_scalar()?.resolve() {
        Value::Int(i) => Some(i),
        _ => None,
    })
}

fn number(node: &Node, name: &str) -> Option<Spanned<f64>> {
    with_key(node, name, |v| match v.as_scalar()?.resolve() {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    })
}

fn boolean(node: &Node, name: &str) -> Option<Spanned<bool>> {
    with_key(node, name, |v| match v.as_scalar()?.resolve() {
        Value::Bool(b) => Some(b),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed config is mostly spanned strings, present or not: a change that grows
    /// them grows memory per byte of YAML (`cargo bench --bench scale`).
    #[test]
    fn a_spanned_string_stays_small() {
        assert!(std::mem::size_of::<Spanned<CompactString>>() <= 32);
        assert!(std::mem::size_of::<Option<Spanned<CompactString>>>() <= 32);
    }
}
