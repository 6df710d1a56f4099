//! Checks a tree against a schema of `schema/` and records every mismatch as a
//! [`SchemaIssue`]; the S1xx rules turn issues into diagnostics.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::RefCell;

use super::schema::{conditional_shape, Field, Format, MapSchema, Shape};
use crate::diagnostic::{edit_distance, suggest};
use crate::syntax::{Node, NodeKind, Value};
use crate::text::TextRange;

mod format;

pub use format::value_subrange;

#[derive(Clone, Debug, PartialEq)]
pub enum IssueKind {
    /// A key the schema does not know at that level. Recorded when it looks like a
    /// misspelling of a key that is read (`typo`), or when the mapping is not free-form
    /// (reported only in strict mode).
    UnknownKey {
        key: String,
        /// The mapping's schema (its name is used in messages: "provider").
        schema: SchemaRef,
        /// The key that is read at this level and that `key` most likely misspells.
        typo: Option<&'static str>,
        /// Where the mapping already sets `typo`, when it does.
        already_set: Option<TextRange>,
    },
    WrongType {
        expected: String,
        found: &'static str,
    },
    MissingKey {
        key: &'static str,
        context: String,
    },
    BadEnum {
        /// The key holding the value, when it is a mapping value.
        key: Option<String>,
        value: String,
        allowed: &'static [&'static str],
        suggestion: Option<&'static str>,
    },
    BadFormat {
        format: Format,
        message: String,
    },
    PortOutOfRange {
        port: String,
    },
    OutOfRange {
        message: String,
    },
    DuplicateName {
        name: String,
        first: TextRange,
    },
}

/// A schema table, compared by identity.
#[derive(Clone, Copy, Debug)]
pub struct SchemaRef(pub &'static MapSchema);

impl PartialEq for SchemaRef {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaIssue {
    pub kind: IssueKind,
    pub range: TextRange,
}

/// Validates a whole file's root against its top-level shape.
pub fn validate(
    text: &str,
    root: &Node,
    shape: &Shape,
    file_name: &'static str,
) -> Vec<SchemaIssue> {
    let mut v = Validator {
        text,
        issues: Vec::new(),
    };
    if root.as_mapping().is_none() {
        v.push(
            IssueKind::WrongType {
                expected: format!("a mapping at the top of {file_name}"),
                found: root.type_name(),
            },
            root.range,
        );
        return v.issues;
    }
    v.check(root, shape, None);
    v.issues
}

struct Validator<'t> {
    text: &'t str,
    issues: Vec<SchemaIssue>,
}

/// The most schema issues recorded per file. Rules report at most
/// `rules::MAX_DIAGNOSTICS_PER_RULE` + 1 each; past this many, a hostile file (millions of
/// wrong values on one line) would only cost memory.
pub const MAX_SCHEMA_ISSUES: usize = 100_000;

impl Validator<'_> {
    fn push(&mut self, kind: IssueKind, range: TextRange) {
        if self.issues.len() < MAX_SCHEMA_ISSUES {
            self.issues.push(SchemaIssue { kind, range });
        }
    }

    fn wrong_type(&mut self, node: &Node, expected: &str) {
        self.push(
            IssueKind::WrongType {
                expected: expected.to_string(),
                found: node.type_name(),
            },
            node.range,
        );
    }

    /// `key` is the range of the key that holds `node`, for issues about the whole entry.
    fn check(&mut self, node: &Node, shape: &Shape, key: Option<TextRange>) {
        if matches!(node.resolved().kind, NodeKind::Alias(_)) {
            return; // An unresolved alias is reported by the syntax layer.
        }
        match shape {
            Shape::Any => {}
            Shape::Nullable(inner) => {
                if !node.is_null() {
                    self.check(node, inner, key);
                }
            }
            Shape::Str(format) => match node.as_str() {
                Some(s) => self.check_format(node, s, *format),
                None => self.wrong_type(node, "a string"),
            },
            Shape::Enum(allowed) => match node.as_str() {
                Some(s) if allowed.contains(&s) => {}
                Some(s) => self.push(
                    IssueKind::BadEnum {
                        key: key.map(|k| {
                            self.text[k.as_range()]
                                .trim_matches(['"', '\''])
                                .to_string()
                        }),
                        value: s.to_string(),
                        allowed,
                        suggestion: suggest(s, allowed.iter().copied()),
                    },
                    node.range,
                ),
                None => self.wrong_type(node, &format!("one of {}", list(allowed))),
            },
            Shape::Bool => {
                if !matches!(node.as_scalar().map(|s| s.resolve()), Some(Value::Bool(_))) {
                    self.wrong_type(node, "a boolean (`true` or `false`)");
                }
            }
            Shape::Int { min, max } => match node.as_scalar().map(|s| s.resolve()) {
                Some(Value::Int(i)) if i < *min || i > *max => {
                    let message = if *max == i64::MAX {
                        format!("`{i}` is below the minimum of {min}")
                    } else {
                        format!("`{i}` is outside {min}..={max}")
                    };
                    self.push(IssueKind::OutOfRange { message }, node.range);
                }
                Some(Value::Int(_)) => {}
                _ => self.wrong_type(node, "an integer"),
            },
            Shape::Port => match node.as_scalar().map(|s| s.resolve()) {
                Some(Value::Int(i)) if !(1..=65535).contains(&i) => self.push(
                    IssueKind::PortOutOfRange {
                        port: i.to_string(),
                    },
                    node.range,
                ),
                Some(Value::Int(_)) => {}
                _ => self.wrong_type(node, "a port number (an integer from 1 to 65535)"),
            },
            Shape::Number {
                min,
                max,
                min_exclusive,
            } => {
                let value = match node.as_scalar().map(|s| s.resolve()) {
                    Some(Value::Int(i)) => i as f64,
                    Some(Value::Float(f)) => f,
                    _ => return self.wrong_type(node, "a number"),
                };
                let below = if *min_exclusive {
                    value <= *min
                } else {
                    value < *min
                };
                if below || value > *max || value.is_nan() {
                    let low = if *min_exclusive { "<" } else { "<=" };
                    let shown = node.scalar_text().unwrap_or_default();
                    let message = if *max == f64::MAX {
                        format!("`{shown}` must be greater than {min}")
                    } else if *max == 1.0 && (2.0..=100.0).contains(&value) && value.fract() == 0.0
                    {
                        format!(
                            "`{shown}` must be in {min} {low} x <= {max}: a fraction, so write {} for {shown}%",
                            value / 100.0
                        )
                    } else {
                        format!("`{shown}` must be in {min} {low} x <= {max}")
                    };
                    self.push(IssueKind::OutOfRange { message }, node.range);
                }
            }
            Shape::AnyMap => {
                if node.as_mapping().is_none() {
                    self.wrong_type(node, "a mapping");
                }
            }
            Shape::List(item) => match node.as_sequence() {
                Some(items) => {
                    for it in items {
                        self.check(it, item, None);
                    }
                }
                None => self.wrong_type(node, "a list"),
            },
            Shape::StrOrMap(format, schema) => {
                if let Some(s) = node.as_str() {
                    self.check_format(node, s, *format);
                } else if node.as_mapping().is_some() {
                    self.check_map(node, schema, key);
                } else {
                    self.wrong_type(node, &format!("a {} name or a mapping", schema.name));
                }
            }
            Shape::Map(schema) => {
                if node.as_mapping().is_some() {
                    self.check_map(node, schema, key);
                } else {
                    self.wrong_type(node, &format!("a {} mapping", schema.name));
                }
            }
            Shape::Dict {
                key: key_format,
                value,
            } => {
                if node.as_mapping().is_none() {
                    return self.wrong_type(node, "a mapping");
                }
                for entry in node.entries() {
                    if entry.key.scalar_text().is_some_and(is_extension_key) {
                        continue;
                    }
                    if let Some(k) = entry.key.scalar_text() {
                        if *key_format != Format::Text {
                            self.check_format(&entry.key, k, *key_format);
                        }
                    }
                    self.check(&entry.value, value, Some(entry.key.range));
                }
            }
        }
    }

    fn check_map(&mut self, node: &Node, schema: &'static MapSchema, key: Option<TextRange>) {
        let entries = node.entries();
        // Hash lookups, not scans: a mapping may hold tens of thousands of keys.
        let mut first_of: HashMap<&str, TextRange> = HashMap::with_capacity(entries.len());
        for entry in &entries {
            if let Some(k) = entry.key.scalar_text() {
                first_of.entry(k).or_insert(entry.key.range);
            }
        }
        let siblings: RefCell<HashMap<String, Option<String>>> = RefCell::default();
        let sibling = |k: &str| {
            siblings
                .borrow_mut()
                .entry(k.to_string())
                .or_insert_with(|| node.get(k).and_then(Node::as_str).map(str::to_string))
                .clone()
        };
        let mut typo_targets: HashSet<&'static str> = HashSet::new();
        for entry in entries.iter().copied() {
            let Some(name) = entry.key.scalar_text() else {
                continue;
            };
            if is_extension_key(name) {
                continue;
            }
            if let Some(field) = schema.field(name) {
                let shape = conditional_shape(schema, field, sibling).unwrap_or(&field.shape);
                self.check(&entry.value, shape, Some(entry.key.range));
                continue;
            }
            if let Some((key_format, shape)) = schema.rest {
                if key_format != Format::Text {
                    self.check_format(&entry.key, name, key_format);
                }
                self.check(&entry.value, shape, Some(entry.key.range));
                continue;
            }
            let typo = typo_target(name, &entry.value, schema);
            if typo.is_none() && schema.open {
                continue;
            }
            let already_set = typo.and_then(|t| first_of.get(t.key).copied());
            typo_targets.extend(typo.map(|f| f.key));
            self.push(
                IssueKind::UnknownKey {
                    key: name.to_string(),
                    schema: SchemaRef(schema),
                    typo: typo.map(|f| f.key),
                    already_set,
                },
                entry.key.range,
            );
        }
        let present = |f: &Field| {
            first_of.contains_key(f.key)
                || (f.key.starts_with('*')
                    && entries
                        .iter()
                        .any(|e| e.key.scalar_text().is_some_and(|k| f.matches(k))))
        };
        let anchor = key.unwrap_or(TextRange::new(
            node.range.start as usize,
            node.range.start as usize,
        ));
        // A key reported as a typo of a required key is not reported missing as well.
        let missing: Vec<&'static Field> = schema
            .fields
            .iter()
            .filter(|f| f.required && !present(f) && !typo_targets.contains(f.key))
            .collect();
        for field in missing {
            self.push(
                IssueKind::MissingKey {
                    key: field.key,
                    context: schema.name.to_string(),
                },
                anchor,
            );
        }
        self.check_map_extras(node, schema, anchor);
    }

    /// Constraints a table cannot express.
    fn check_map_extras(&mut self, node: &Node, schema: &'static MapSchema, anchor: TextRange) {
        if schema.name != "provider" {
            return;
        }
        let needs_key = node
            .get("requires_api_key")
            .and_then(|n| n.as_scalar())
            .is_some_and(|s| s.resolve() == Value::Bool(true));
        if needs_key && node.get("env_var").is_none() {
            self.push(
                IssueKind::MissingKey {
                    key: "env_var",
                    context: "provider with `requires_api_key: true`".to_string(),
                },
                anchor,
            );
        }
        if let Some(models) = node.get("models").and_then(|m| m.as_sequence()) {
            let mut seen: HashMap<&str, TextRange> = HashMap::new();
            for model in models {
                let name_node = if model.as_mapping().is_some() {
                    model.get("name")
                } else {
                    Some(model)
                };
                let Some(name_node) = name_node else { continue };
                let Some(name) = name_node.scalar_text() else {
                    continue;
                };
                if let Some(first) = seen.get(name) {
                    self.push(
                        IssueKind::DuplicateName {
                            name: name.to_string(),
                            first: *first,
                        },
                        name_node.range,
                    );
                } else {
                    seen.insert(name, name_node.range);
                }
            }
        }
    }
}

/// The key read at this level of `schema` that `key` most likely misspells: the same key
/// but for case and `-`/`_`, or one edit away (two for keys of eight characters or more;
/// a swap of neighbours counts as one), whose value has the shape `value` has. A key that
/// merely resembles a documentation key (`notes`), or whose value could not be meant for
/// the near key (a list under `providers` is not a misspelt `provider: <id>`), is not a typo.
fn typo_target(key: &str, value: &Node, schema: &'static MapSchema) -> Option<&'static Field> {
    let key = normalize_key(key);
    schema
        .literal_fields()
        .filter(|f| f.read && !f.legacy)
        .filter_map(|f| {
            let known = normalize_key(f.key);
            let max = match f.key.chars().count() {
                0..=3 => 0,
                4..=7 => 1,
                _ => 2,
            };
            let distance = edit_distance(&key, &known, max)?;
            (shape_accepts(&f.shape, value)).then_some((distance, f))
        })
        .min_by_key(|(distance, f)| (*distance, f.key))
        .map(|(_, f)| f)
}

fn normalize_key(key: &str) -> String {
    key.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '-' { '_' } else { c })
        .collect()
}

/// Whether a value of this kind could be meant for a key of `shape` (types aside).
fn shape_accepts(shape: &Shape, value: &Node) -> bool {
    let value = value.resolved();
    if value.is_null() {
        return true;
    }
    let (scalar, mapping, sequence) = (
        value.as_scalar().is_some(),
        value.as_mapping().is_some(),
        value.as_sequence().is_some(),
    );
    match shape {
        Shape::Any => true,
        Shape::Nullable(inner) => shape_accepts(inner, value),
        Shape::Str(_)
        | Shape::Int { .. }
        | Shape::Port
        | Shape::Number { .. }
        | Shape::Bool
        | Shape::Enum(_) => scalar,
        Shape::Map(_) | Shape::AnyMap | Shape::Dict { .. } => mapping,
        Shape::List(_) => sequence,
        Shape::StrOrMap(..) => scalar || mapping,
    }
}

/// Keys starting with `x-` are extension fields, ignored everywhere (as in docker-compose):
/// the place for anchors shared through merge keys, `x-defaults: &defaults`.
pub fn is_extension_key(key: &str) -> bool {
    key.starts_with("x-")
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
