//! The YAML tree: scalars, mappings (with key nodes), sequences and aliases, each with a byte range.

use foldhash::HashSet;
use std::sync::Arc;

use compact_str::CompactString;

use crate::text::TextRange;

/// One YAML node. `range` covers the node's own text: quotes and properties (`&anchor`,
/// `!tag`) included, trailing blank lines and comments excluded, flow brackets included and,
/// for block scalars, the `|`/`>` header included.
#[derive(Clone, Debug)]
pub struct Node {
    pub range: TextRange,
    pub kind: NodeKind,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Scalar(Scalar),
    Mapping(Vec<Entry>),
    Sequence(Vec<Node>),
    /// `*name`. The node's own range is the use site; the target keeps the anchor's ranges.
    /// Boxed: aliases are rare, and every node is the size of the largest kind.
    Alias(Box<Alias>),
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    /// Whether this is a YAML merge key, `<<: *anchor`.
    pub fn is_merge(&self) -> bool {
        matches!(&self.key.kind, NodeKind::Scalar(s) if s.value == "<<" && s.style == ScalarStyle::Plain)
    }

    /// From the key's start to the value's end.
    pub fn range(&self) -> TextRange {
        self.key.range.cover(self.value.range)
    }
}

#[derive(Clone, Debug)]
pub struct Alias {
    pub name: String,
    /// `None` when the anchor is unknown or the expansion budget was exhausted.
    pub target: Option<Arc<Node>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug)]
pub struct Scalar {
    /// The cooked value: escapes resolved, block scalars folded. Values of up to 24 bytes
    /// (most keys and values) are stored inline, without an allocation of their own.
    pub value: CompactString,
    pub style: ScalarStyle,
    /// The type the scalar's tag names, when it has one.
    pub tag: Option<TagType>,
}

/// The type a tag names, read from the part after its last `:` (`tag:yaml.org,2002:int`
/// for `!!int` is an integer). Only the type is kept, in one byte: the tag's text is never
/// shown, and with it a scalar (and so every node) would be a pointer larger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagType {
    Null,
    Bool,
    Int,
    Float,
    /// `str`, and any tag of no core-schema type (`!custom`): the scalar is a string.
    Str,
}

impl TagType {
    /// The type of a tag as written after resolution (`tag:yaml.org,2002:int`, `!custom`).
    pub fn of(tag: &str) -> TagType {
        match tag.rsplit(':').next().unwrap_or("") {
            "null" => TagType::Null,
            "bool" => TagType::Bool,
            "int" => TagType::Int,
            "float" => TagType::Float,
            _ => TagType::Str,
        }
    }
}

/// The mappings a merge key's value names: one alias, or a list of them.
fn merge_sources(value: &Node) -> impl Iterator<Item = &Node> {
    let (list, one) = match value.as_sequence() {
        Some(items) => (items, None),
        None => (&[][..], Some(value)),
    };
    list.iter().chain(one)
}

/// A scalar's value under the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Scalar {
    pub fn resolve(&self) -> Value<'_> {
        let s = self.value.as_str();
        if let Some(tag) = self.tag {
            return match tag {
                TagType::Null => Value::Null,
                TagType::Bool => parse_bool(s).map_or(Value::Str(s), Value::Bool),
                TagType::Int => parse_int(s).map_or(Value::Str(s), Value::Int),
                TagType::Float => parse_float(s).map_or(Value::Str(s), Value::Float),
                TagType::Str => Value::Str(s),
            };
        }
        if self.style != ScalarStyle::Plain {
            return Value::Str(s);
        }
        if matches!(s, "" | "~" | "null" | "Null" | "NULL") {
            return Value::Null;
        }
        if let Some(b) = parse_bool(s) {
            return Value::Bool(b);
        }
        if let Some(i) = parse_int(s) {
            return Value::Int(i);
        }
        if let Some(f) = parse_float(s) {
            return Value::Float(f);
        }
        Value::Str(s)
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(s: &str) -> Option<i64> {
    if let Some(hex) = s.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_float(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let first = body.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'.') || !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
    {
        return None;
    }
    s.parse().ok()
}

impl Node {
    /// Follows aliases to the node they stand for (at most a few hops; aliases never nest
    /// deeper than their anchors).
    pub fn resolved(&self) -> &Node {
        let mut node = self;
        while let NodeKind::Alias(alias) = &node.kind {
            let Some(t) = &alias.target else { break };
            node = t;
        }
        node
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.resolved().kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text when it resolves to a string (or is quoted).
    pub fn as_str(&self) -> Option<&str> {
        match self.as_scalar()?.resolve() {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The raw text of any scalar, whatever it resolves to: keys such as `8080` or `true`
    /// are names here.
    pub fn scalar_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.value.as_str())
    }

    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.resolved().kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.resolved().kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.as_scalar().map(Scalar::resolve), Some(Value::Null))
    }

    /// The value of `key` in this mapping (the last one when a key is duplicated, as YAML
    /// loaders do), merge keys included.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|e| &e.value)
    }

    /// Without allocating: the own entries (last first), then each merged source in order,
    /// the way [`Node::entries`] orders them.
    pub fn get_entry(&self, key: &str) -> Option<&Entry> {
        self.find_entry(key, true)
    }

    /// The own entry named `key` (the last of duplicates when `last`, else the first, as
    /// [`Node::entries`] keeps it for a merged mapping), else the first merged one.
    fn find_entry(&self, key: &str, last: bool) -> Option<&Entry> {
        let own = self.as_mapping()?;
        let named = |e: &&Entry| !e.is_merge() && e.key.scalar_text() == Some(key);
        let found = if last {
            own.iter().rev().find(named)
        } else {
            own.iter().find(named)
        };
        if found.is_some() {
            return found;
        }
        own.iter()
            .filter(|e| e.is_merge())
            .flat_map(|merge| merge_sources(&merge.value))
            .find_map(|source| source.find_entry(key, false))
    }

    /// The mapping's entries as YAML merge keys define them (`<<: *base`, `<<: [*a, *b]`):
    /// its own entries without `<<`, then each merged entry whose key is not there yet.
    /// Merged entries keep the ranges of the anchored mapping they come from.
    pub fn entries(&self) -> Vec<&Entry> {
        let Some(own) = self.as_mapping() else {
            return Vec::new();
        };
        let mut out: Vec<&Entry> = own.iter().filter(|e| !e.is_merge()).collect();
        if !own.iter().any(Entry::is_merge) {
            return out;
        }
        // A set of the keys so far: merging a large anchor stays linear.
        let mut seen: HashSet<Option<&str>> = out.iter().map(|e| e.key.scalar_text()).collect();
        for merge in own.iter().filter(|e| e.is_merge()) {
            for source in merge_sources(&merge.value) {
                for entry in source.entries() {
                    if seen.insert(entry.key.scalar_text()) {
                        out.push(entry);
                    }
                }
            }
        }
        out
    }

    /// The mapping entry in this node's own text (aliases not followed, so an anchored
    /// value is found where it is written) whose value spans exactly `value`: where the key
    /// of a value kept by the typed config is, without the typed config keeping it. A
    /// binary search at each level, as entries and items are in text order.
    pub fn entry_with_value(&self, value: TextRange) -> Option<&Entry> {
        let contains = |r: TextRange| r.start <= value.start && value.end <= r.end;
        let mut node = self;
        loop {
            node = match &node.kind {
                NodeKind::Mapping(entries) => {
                    let entry =
                        entries.get(entries.partition_point(|e| e.range().end < value.end))?;
                    if entry.value.range == value {
                        return Some(entry);
                    }
                    if contains(entry.value.range) {
                        &entry.value
                    } else if contains(entry.key.range) {
                        &entry.key
                    } else {
                        return None;
                    }
                }
                NodeKind::Sequence(items) => {
                    let item = items.get(items.partition_point(|n| n.range.end < value.end))?;
                    if !contains(item.range) {
                        return None;
                    }
                    item
                }
                NodeKind::Scalar(_) | NodeKind::Alias(_) => return None,
            };
        }
    }

    /// A short name of the node's type for messages: "a string", "a mapping", ...
    pub fn type_name(&self) -> &'static str {
        match &self.resolved().kind {
            NodeKind::Scalar(s) => match s.resolve() {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Int(_) => "an integer",
                Value::Float(_) => "a number",
                Value::Str(_) => "a string",
            },
            NodeKind::Mapping(_) => "a mapping",
            NodeKind::Sequence(_) => "a list",
            NodeKind::Alias(_) => "an unresolved alias",
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every node of a tree is this size: a change that grows it grows memory per byte of
    /// YAML (`cargo bench --bench scale`).
    #[test]
    fn a_node_stays_small() {
        assert!(std::mem::size_of::<super::Node>() <= 40);
        assert!(std::mem::size_of::<super::Entry>() <= 80);
    }
}
