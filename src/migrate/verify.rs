//! The check of every migration step's output as YAML data: the tree of the migrated text
//! must equal the tree of the original with the step's declared [`Change`]s applied, aliases
//! resolved. Re-parsing alone let through a text that parses but means something else (a
//! root mapping moved under `metadata:`, a second document, an alias that now resolves to
//! another anchor).

use std::collections::{HashMap, HashSet};

use crate::syntax::{Node, NodeKind, Value};
use crate::text::TextRange;

/// A change to the data that a step documents making, addressed by the original node's
/// range, so that it applies wherever that node is used (through an alias too).
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The mapping entry whose key is at `key` is removed.
    Remove { key: TextRange },
    /// The scalar at `node` becomes the string `value`.
    SetString { node: TextRange, value: String },
    /// The mapping at `mapping` (or the null there, which becomes a mapping) gets `key: value`
    /// as its first entry.
    InsertFirst {
        mapping: TextRange,
        key: String,
        value: Data,
    },
    /// The mapping key at `key` becomes the string `to`.
    RenameKey { key: TextRange, to: String },
}

/// YAML data: what a loader would see, aliases followed.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    Null,
    Bool(bool),
    Int(i64),
    /// The bits of the float, so that equal texts compare equal (NaN too).
    Float(u64),
    Str(String),
    Seq(Vec<Data>),
    /// Entries in order, duplicated keys kept.
    Map(Vec<(Data, Data)>),
    /// An alias whose anchor is unknown (or beyond the alias budget).
    Unresolved(String),
}

impl Data {
    pub fn string(s: &str) -> Data {
        Data::Str(s.to_string())
    }
}

/// At most this many nodes are compared per file (aliases expanded); the alias budget of
/// the parser keeps real expansions far below.
const MAX_NODES: usize = 4_000_000;

/// Whether `after` is `before` with `changes` applied; `Err` says where it is not.
pub fn check(before: &Node, after: &Node, changes: &[Change]) -> Result<(), String> {
    let changes = Changes::new(changes);
    let mut budget = MAX_NODES;
    let expected = changes.data(before, &mut budget);
    let actual = Changes::default().data(after, &mut budget);
    if budget == 0 {
        return Err("the file is too large to compare".to_string());
    }
    match difference(&expected, &actual) {
        None => Ok(()),
        Some(path) => Err(format!(
            "it would change {} beyond what the migration documents",
            if path.is_empty() {
                "the whole document".to_string()
            } else {
                format!("`{path}`")
            }
        )),
    }
}

#[derive(Default)]
struct Changes {
    removed: HashSet<(u32, u32)>,
    set: HashMap<(u32, u32), String>,
    inserted: HashMap<(u32, u32), Vec<(String, Data)>>,
    renamed: HashMap<(u32, u32), String>,
}

fn key(range: TextRange) -> (u32, u32) {
    (range.start, range.end)
}

impl Changes {
    fn new(list: &[Change]) -> Changes {
        let mut changes = Changes::default();
        for change in list {
            match change {
                Change::Remove { key: k } => {
                    changes.removed.insert(key(*k));
                }
                Change::SetString { node, value } => {
                    changes.set.insert(key(*node), value.clone());
                }
                Change::InsertFirst {
                    mapping,
                    key: k,
                    value,
                } => changes
                    .inserted
                    .entry(key(*mapping))
                    .or_default()
                    .push((k.clone(), value.clone())),
                Change::RenameKey { key: k, to } => {
                    changes.renamed.insert(key(*k), to.clone());
                }
            }
        }
        changes
    }

    fn data(&self, node: &Node, budget: &mut usize) -> Data {
        if *budget == 0 {
            return Data::Null;
        }
        *budget -= 1;
        // A scalar set where it is written, even when that is an alias (`status: *on`).
        if let Some(value) = self.set.get(&key(node.range)) {
            return Data::Str(value.clone());
        }
        // Otherwise through an alias to the anchored node, whose range the changes address.
        let node = node.resolved();
        let range = key(node.range);
        let inserted = self.inserted.get(&range).map_or(&[][..], Vec::as_slice);
        let mut data = match &node.kind {
            NodeKind::Alias(alias) => Data::Unresolved(alias.name.clone()),
            NodeKind::Scalar(scalar) => match self.set.get(&range) {
                Some(value) => Data::Str(value.clone()),
                None if !inserted.is_empty() && scalar.resolve() == Value::Null => {
                    Data::Map(Vec::new())
                }
                None => match scalar.resolve() {
                    Value::Null => Data::Null,
                    Value::Bool(b) => Data::Bool(b),
                    Value::Int(i) => Data::Int(i),
                    Value::Float(f) => Data::Float(f.to_bits()),
                    Value::Str(s) => Data::string(s),
                },
            },
            NodeKind::Sequence(items) => {
                Data::Seq(items.iter().map(|i| self.data(i, budget)).collect())
            }
            NodeKind::Mapping(entries) => Data::Map(
                entries
                    .iter()
                    .filter(|e| !self.removed.contains(&key(e.key.range)))
                    .map(|e| {
                        let k = match self.renamed.get(&key(e.key.range)) {
                            Some(to) => Data::Str(to.clone()),
                            None => self.data(&e.key, budget),
                        };
                        (k, self.data(&e.value, budget))
                    })
                    .collect(),
            ),
        };
        if let Data::Map(entries) = &mut data {
            for (k, v) in inserted.iter().rev() {
                entries.insert(0, (Data::string(k), v.clone()));
            }
        }
        data
    }
}

/// The path to the first place where `a` and `b` differ (empty for the root), or `None`.
fn difference(a: &Data, b: &Data) -> Option<String> {
    match (a, b) {
        (Data::Map(x), Data::Map(y)) => {
            for (i, (ea, eb)) in x.iter().zip(y).enumerate() {
                let name = match &ea.0 {
                    Data::Str(s) => s.clone(),
                    _ => format!("[{i}]"),
                };
                if ea.0 != eb.0 {
                    // Other keys: the mapping itself changed.
                    return Some(String::new());
                }
                if let Some(inner) = difference(&ea.1, &eb.1) {
                    return Some(join(&name, &inner));
                }
            }
            (x.len() != y.len()).then(String::new)
        }
        (Data::Seq(x), Data::Seq(y)) => {
            for (i, (ia, ib)) in x.iter().zip(y).enumerate() {
                if let Some(inner) = difference(ia, ib) {
                    return Some(join(&format!("[{i}]"), &inner));
                }
            }
            (x.len() != y.len()).then(|| format!("[{}]", x.len().min(y.len())))
        }
        _ => (a != b).then(String::new),
    }
}

fn join(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        (o, "") => o.to_string(),
        (o, i) if i.starts_with('[') => format!("{o}{i}"),
        (o, i) => format!("{o}.{i}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn root(text: &str) -> Node {
        parse(text).root.unwrap()
    }

    #[test]
    fn declared_changes_pass_and_others_are_named() {
        let before = root("metadata:\n  version: 1\nspecial_cases: {a: 1}\nx: &a {k: 1}\ny: *a\n");
        let after =
            root("metadata:\n  schema_version: \"2.0.0\"\n  version: 1\nx: &a {k: 1}\ny: *a\n");
        let meta = before.get_entry("metadata").unwrap();
        let removed = before.get_entry("special_cases").unwrap();
        let changes = [
            Change::InsertFirst {
                mapping: meta.value.range,
                key: "schema_version".into(),
                value: Data::string("2.0.0"),
            },
            Change::Remove {
                key: removed.key.range,
            },
        ];
        assert_eq!(check(&before, &after, &changes), Ok(()));
        let err = check(&before, &after, &changes[1..]).unwrap_err();
        assert!(err.contains("`metadata`"), "{err}");
        // The whole file moved under `metadata`.
        let moved = root("metadata:\n  schema_version: \"2.0.0\"\n  version: 1\n  x: {k: 1}\n");
        assert!(check(&before, &moved, &changes).is_err());
    }

    #[test]
    fn aliases_are_compared_resolved() {
        let before = root("a: &p {provider: x}\nr: &p {provider: y}\nb: *p\n");
        let after = root("a: &p {provider: x}\nb: *p\n");
        let removed = before.get_entry("r").unwrap();
        let changes = [Change::Remove {
            key: removed.key.range,
        }];
        let err = check(&before, &after, &changes).unwrap_err();
        assert!(err.contains("`b.provider`"), "{err}");
        let moved = root("a: &p {provider: x}\nb: &p {provider: y}\n");
        assert_eq!(check(&before, &moved, &changes), Ok(()));
    }
}
