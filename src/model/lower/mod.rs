//! Lowers a tree to the typed config of each file. Lenient: values of the wrong type are
//! left out (the schema validator reports them), so rules see only well-typed data. One
//! file per kind of file; the helpers that read a node as a string, number or list are here.

use super::data::Data;
use crate::syntax::{Entry, Node, Value};
use crate::text::TextRange;

/// A value with the range of its source text and, for mapping values, of its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
    pub key_range: Option<TextRange>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Spanned {
            value,
            range,
            key_range: None,
        }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// Collects a list of the typed config at its exact length: the config is kept for the
/// whole check, and growth by doubling leaves up to half of a long list's slots empty.
trait CollectExact: Iterator + Sized {
    fn collect_exact(self) -> Vec<Self::Item> {
        let mut list: Vec<Self::Item> = self.collect();
        list.shrink_to_fit();
        list
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

fn key(entry: &Entry) -> Option<Spanned<String>> {
    Some(Spanned::new(
        entry.key.scalar_text()?.to_string(),
        entry.key.range,
    ))
}

fn string_node(node: &Node) -> Option<Spanned<String>> {
    node.as_str()
        .map(|s| Spanned::new(s.to_string(), node.range))
}

fn string_list(node: Option<&Node>) -> Vec<Spanned<String>> {
    node.and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(string_node)
        .collect()
}

fn with_key<T>(node: &Node, name: &str, f: impl FnOnce(&Node) -> Option<T>) -> Option<Spanned<T>> {
    let entry = node.get_entry(name)?;
    Some(Spanned {
        value: f(&entry.value)?,
        range: entry.value.range,
        key_range: Some(entry.key.range),
    })
}

fn string(node: &Node, name: &str) -> Option<Spanned<String>> {
    with_key(node, name, |v| v.as_str().map(str::to_string))
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
