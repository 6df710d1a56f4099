//! Free-form YAML values as plain data: what `aiblint generate` copies into the LiteLLM
//! config from blocks it does not interpret (LiteLLM settings, model `options`).

use foldhash::{HashMap, HashMapExt};

use crate::syntax::{Node, Value};

/// A YAML value under the core schema, with aliases and merge keys resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Data>),
    /// Entries in document order; a key given twice keeps its last value, as YAML loaders do.
    Map(Vec<(String, Data)>),
}

impl Data {
    /// The value of a node. Keys that are not scalars are skipped.
    pub fn from_node(node: &Node) -> Data {
        let node = node.resolved();
        if node.as_mapping().is_some() {
            let mut map: Vec<(String, Data)> = Vec::new();
            // Where each key is in `map`: a mapping of thousands of keys stays linear.
            let mut at: HashMap<&str, usize> = HashMap::new();
            for entry in node.entries() {
                let Some(key) = entry.key.scalar_text() else {
                    continue;
                };
                let value = Data::from_node(&entry.value);
                match at.get(key) {
                    Some(&i) => map[i].1 = value,
                    None => {
                        at.insert(key, map.len());
                        map.push((key.to_string(), value));
                    }
                }
            }
            return Data::Map(map);
        }
        if let Some(items) = node.as_sequence() {
            return Data::Seq(items.iter().map(Data::from_node).collect());
        }
        match node.as_scalar().map(|s| s.resolve()) {
            Some(Value::Bool(b)) => Data::Bool(b),
            Some(Value::Int(i)) => Data::Int(i),
            Some(Value::Float(f)) => Data::Float(f),
            Some(Value::Str(s)) => Data::Str(s.to_string()),
            Some(Value::Null) | None => Data::Null,
        }
    }

    pub fn as_map(&self) -> Option<&[(String, Data)]> {
        match self {
            Data::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Data::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Data> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}
