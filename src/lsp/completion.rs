//! Completion: the keys the schema allows where the cursor stands, enum values, and the
//! provider ids and model names of the config set where a reference is expected.

use tower_lsp::lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, TextEdit,
};

use super::documents::Snapshot;
use super::schema_path::{map_schema, shape_at, sibling_keys, typing_at, Segment, Typing};
use crate::model::schema::Shape;
use crate::model::{ConfigSet, FileKind};
use crate::syntax::rewrite_scalar;
use crate::text::TextRange;

/// Keys whose values name a provider in model-mappings.yaml.
const PROVIDER_KEYS: &[&str] = &[
    "provider",
    "fallback",
    "default_provider",
    "default_fallback",
];
/// Keys whose values (or list items) name a model in model-mappings.yaml.
const MODEL_KEYS: &[&str] = &[
    "backend_model",
    "preferred_model",
    "preferred_models",
    "chain",
];

/// The completions at `offset` of member `index`.
pub(crate) fn completions(snapshot: &Snapshot, index: usize, offset: usize) -> Vec<CompletionItem> {
    let (Some(file), Some(lines)) = (snapshot.file(index), snapshot.lines(index)) else {
        return Vec::new();
    };
    let Some(kind) = file.kind else {
        return Vec::new();
    };
    let Some((path, typing)) = typing_at(&file.text, file.line_index(), offset) else {
        return Vec::new();
    };
    let root = kind.shape();
    let (start, candidates) = match &typing {
        Typing::Key { start } => {
            let mut out = Vec::new();
            if kind == FileKind::Mappings && path == [Segment::Key("exact_matches".into())] {
                out.extend(models(&snapshot.set).into_iter().map(|mut c| {
                    c.insert = format!("{}:", written(&c.label));
                    c
                }));
            }
            out.extend(shape_at(root, &path).map(keys).unwrap_or_default());
            // A key written already would be a duplicate key.
            let present = sibling_keys(&file.text, file.line_index(), offset);
            out.retain(|c| !present.contains(&c.label));
            (*start, out)
        }
        Typing::Value { key, start } => {
            let mut value_path = path.clone();
            value_path.push(Segment::Key(key.clone()));
            let shape = shape_at(root, &value_path);
            (*start, values(&snapshot.set, kind, &path, key, shape))
        }
        Typing::Item { start } => {
            let mut item_path = path.clone();
            item_path.push(Segment::Item);
            let shape = shape_at(root, &item_path);
            let list_key = match path.last() {
                Some(Segment::Key(k)) => k.as_str(),
                _ => "",
            };
            let mut out = values(&snapshot.set, kind, &path, list_key, shape);
            out.extend(shape.map(keys).unwrap_or_default());
            (*start, out)
        }
    };
    let quoted = start > 0 && matches!(file.text.as_bytes().get(start - 1), Some(b'"' | b'\''));
    // `key:|` with no space yet: the value needs one before it.
    let space = matches!(typing, Typing::Value { .. })
        && start > 0
        && file.text.as_bytes().get(start - 1) == Some(&b':');
    let range = lines.range(TextRange::new(start.min(offset), offset));
    candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let new_text = match c.kind {
                CompletionItemKind::PROPERTY => c.insert,
                _ if quoted => c.label.clone(),
                _ if space => format!(" {}", c.insert),
                _ => c.insert,
            };
            CompletionItem {
                label: c.label,
                kind: Some(c.kind),
                detail: c.detail,
                documentation: c.doc.map(|value| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value,
                    })
                }),
                sort_text: Some(format!("{i:05}")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, new_text))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

/// A completion before it becomes an LSP item.
struct Candidate {
    label: String,
    insert: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
}

impl Candidate {
    fn value(label: &str, kind: CompletionItemKind, detail: Option<String>) -> Self {
        Candidate {
            label: label.to_string(),
            insert: written(label),
            kind,
            detail,
            doc: None,
        }
    }
}

/// The keys of the mapping a shape describes (1.x-only keys left out), each inserted as
/// `key: `.
fn keys(shape: &Shape) -> Vec<Candidate> {
    let Some(schema) = map_schema(shape) else {
        return Vec::new();
    };
    schema
        .fields
        .iter()
        .filter(|f| !f.legacy && !f.key.starts_with('*'))
        .map(|f| Candidate {
            label: f.key.to_string(),
            insert: format!("{}: ", f.key),
            kind: CompletionItemKind::PROPERTY,
            detail: Some(if f.required {
                format!("{} key (required)", schema.name)
            } else {
                format!("{} key", schema.name)
            }),
            doc: Some(f.doc.to_string()),
        })
        .collect()
}

/// The values that fit `key` of the mapping at `path`: enum values, booleans, and in
/// model-mappings.yaml the set's provider ids and model names.
fn values(
    set: &ConfigSet,
    kind: FileKind,
    path: &[Segment],
    key: &str,
    shape: Option<&Shape>,
) -> Vec<Candidate> {
    let mut shape = shape;
    while let Some(Shape::Nullable(inner)) = shape {
        shape = Some(inner);
    }
    match shape {
        Some(Shape::Enum(values)) => {
            return values
                .iter()
                .map(|v| Candidate::value(v, CompletionItemKind::ENUM_MEMBER, None))
                .collect();
        }
        Some(Shape::Bool) => {
            return ["true", "false"]
                .iter()
                .map(|v| Candidate::value(v, CompletionItemKind::VALUE, None))
                .collect();
        }
        _ => {}
    }
    if kind != FileKind::Mappings {
        return Vec::new();
    }
    let in_thresholds = path
        .iter()
        .any(|s| matches!(s, Segment::Key(k) if k.ends_with("_thresholds")));
    if PROVIDER_KEYS.contains(&key) && !in_thresholds {
        return providers(set);
    }
    if MODEL_KEYS.contains(&key) || in_thresholds {
        return models(set);
    }
    Vec::new()
}

fn providers(set: &ConfigSet) -> Vec<Candidate> {
    set.symbols()
        .provider_ids()
        .into_iter()
        .map(|id| {
            let detail = set.provider(id).map(|p| {
                format!(
                    "{} · {}",
                    p.provider_type().unwrap_or("?"),
                    p.status().unwrap_or("?")
                )
            });
            let mut c = Candidate::value(id, CompletionItemKind::MODULE, detail);
            c.doc = set
                .provider(id)
                .and_then(|p| p.base_url.as_ref())
                .map(|u| format!("`{}`", u.value));
            c
        })
        .collect()
}

fn models(set: &ConfigSet) -> Vec<Candidate> {
    set.symbols()
        .model_names()
        .into_iter()
        .map(|name| {
            let served: Vec<&str> = set.symbols().model_defs(name).map(|d| d.provider).collect();
            let detail = if served.is_empty() {
                "exact match".to_string()
            } else {
                format!("served by {}", served.join(", "))
            };
            Candidate::value(name, CompletionItemKind::VALUE, Some(detail))
        })
        .collect()
}

/// `name` as a YAML scalar: plain when it reads back as the same string, else quoted.
fn written(name: &str) -> String {
    // Rewriting a plain scalar `name` with itself yields the safe way to write it.
    rewrite_scalar(name, TextRange::new(0, name.len()), name, name).unwrap_or_else(|| name.into())
}
