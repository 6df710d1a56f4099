//! Hover, go-to-definition, find-references and rename over a checked config set: provider
//! ids and model names are followed across its files; keys show their schema docs.

use compact_str::CompactString;
use std::fmt::Write as _;

use tower_lsp::lsp_types::{Location, Range, WorkspaceEdit};

use super::actions::set_edit;
use super::documents::Snapshot;
use super::schema_path::{key_at, map_schema, shape_at};
use crate::diagnostic::Edit;
use crate::model::secrets::Secrets;
use crate::model::{ConfigSet, FileKind, Occurrence, RefKind};
use crate::syntax::rewrite_scalar;
use crate::text::TextRange;

/// The provider id or model name at `offset` of member `index`, if that member is its
/// set's file of its kind (a second providers file of one directory has no symbols).
pub(crate) fn occurrence_at(
    snapshot: &Snapshot,
    index: usize,
    offset: usize,
) -> Option<Occurrence> {
    let kind = snapshot.file(index)?.kind?;
    if snapshot.index_of_kind(kind) != Some(index) {
        return None;
    }
    snapshot.set.occurrence_at(kind, offset)
}

/// Where an occurrence is, as an LSP location.
fn location(snapshot: &Snapshot, o: &Occurrence) -> Option<Location> {
    let index = snapshot.index_of_kind(o.file)?;
    let lines = snapshot.lines(index)?;
    Some(Location::new(
        snapshot.members.get(index)?.uri.clone(),
        lines.range(o.range),
    ))
}

/// The definitions of the name under the cursor, in any file of the set.
pub(crate) fn definition(snapshot: &Snapshot, index: usize, offset: usize) -> Vec<Location> {
    let Some(o) = occurrence_at(snapshot, index, offset) else {
        return Vec::new();
    };
    snapshot
        .set
        .definitions(o.kind, &o.name)
        .iter()
        .filter_map(|d| location(snapshot, d))
        .collect()
}

/// Every use of the name under the cursor, and its definitions when asked.
pub(crate) fn references(
    snapshot: &Snapshot,
    index: usize,
    offset: usize,
    include_declaration: bool,
) -> Vec<Location> {
    let Some(o) = occurrence_at(snapshot, index, offset) else {
        return Vec::new();
    };
    snapshot
        .set
        .occurrences(o.kind, &o.name)
        .iter()
        .filter(|x| include_declaration || !x.is_definition)
        .filter_map(|x| location(snapshot, x))
        .collect()
}

/// Markdown for the provider, model or key under the cursor, and the range it covers.
pub(crate) fn hover(
    snapshot: &Snapshot,
    index: usize,
    offset: usize,
) -> Option<(String, TextRange)> {
    let (text, range) = match occurrence_at(snapshot, index, offset) {
        Some(o) => {
            let text = match o.kind {
                RefKind::Provider => provider_hover(&snapshot.set, &o.name),
                RefKind::Model => model_hover(&snapshot.set, &o.name),
            };
            (text, o.range)
        }
        None => key_hover(snapshot, index, offset)?,
    };
    // A hover quotes values (a provider's URL): the set's secrets are masked, as in every
    // output.
    let mut text = text;
    for member in &snapshot.set.members {
        if let std::borrow::Cow::Owned(masked) = Secrets::of(&member.file).mask_words(&text) {
            text = masked;
        }
    }
    Some((text, range))
}

fn provider_hover(set: &ConfigSet, id: &str) -> String {
    let Some(p) = set.provider(id) else {
        return format!(
            "**provider** `{id}`\n\nnot defined in {}",
            FileKind::Providers.file_name()
        );
    };
    let value = |v: &Option<crate::model::Spanned<CompactString>>| {
        v.as_ref().map_or("?".to_string(), |s| s.value.to_string())
    };
    let mut out = format!(
        "**provider** `{id}` — `{}`, {}\n\n`{}`",
        value(&p.provider_type),
        value(&p.status),
        value(&p.base_url)
    );
    if let Some(d) = &p.description {
        let _ = write!(out, "\n\n{}", d.value);
    }
    let names: Vec<String> = p
        .models
        .iter()
        .map(|m| format!("`{}`", m.name.value))
        .collect();
    if names.is_empty() {
        out.push_str("\n\nno models listed");
    } else {
        let _ = write!(out, "\n\nmodels ({}): {}", names.len(), names.join(", "));
    }
    if let Some(at) = set.location(FileKind::Providers, p.id.range) {
        let _ = write!(out, "\n\ndefined at {at}");
    }
    out
}

fn model_hover(set: &ConfigSet, name: &str) -> String {
    let mut out = format!("**model** `{name}`");
    let defs = set.symbols().model_defs(name);
    let served = !defs.is_empty();
    for def in defs {
        let Some(p) = set.provider(def.provider) else {
            continue;
        };
        let _ = write!(
            out,
            "\n\n- served by `{}` ({}, {})",
            def.provider,
            p.provider_type().unwrap_or("?"),
            p.status().unwrap_or("?")
        );
        if let Some(m) = p.models.iter().find(|m| m.name.value == name) {
            let details: Vec<String> = [
                m.size.as_ref().map(|s| s.value.to_string()),
                m.quantization.as_ref().map(|q| q.value.to_string()),
                m.context_length
                    .as_ref()
                    .map(|c| format!("{} tokens", c.value)),
                m.specialty.as_ref().map(|s| s.value.to_string()),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !details.is_empty() {
                let _ = write!(out, ": {}", details.join(", "));
            }
        }
    }
    let exact = set
        .mappings()
        .and_then(|m| m.exact_matches.iter().find(|e| e.name.value == name));
    if let Some(e) = exact {
        let provider = e.provider.as_ref().map_or("?", |p| p.as_str());
        let _ = write!(out, "\n\n- exact match → `{provider}`");
        if let Some(p) = &e.priority {
            let _ = write!(out, " ({})", p.value);
        }
        if let Some(f) = &e.fallback {
            let _ = write!(out, ", fallback `{}`", f.value);
        }
        if let Some(b) = &e.backend_model {
            let _ = write!(out, ", backend model `{}`", b.value);
        }
    }
    if !served && exact.is_none() {
        if set.provider(name).is_some() {
            // A provider id where a model belongs (a 1.x chain): say so, then show it.
            let _ = write!(
                out,
                "\n\n`{name}` is a **provider**, not a model: LiteLLM falls back to and routes models\n\n{}",
                provider_hover(set, name)
            );
        } else {
            out.push_str("\n\nnot served by any provider and not an exact match");
        }
    }
    out
}

/// The schema documentation of the key under the cursor.
fn key_hover(snapshot: &Snapshot, index: usize, offset: usize) -> Option<(String, TextRange)> {
    let file = snapshot.file(index)?;
    let kind = file.kind?;
    let (path, key) = key_at(file.root()?, offset)?;
    let schema = map_schema(shape_at(kind.shape(), &path)?)?;
    let field = schema.field(&key)?;
    let entry_key = file
        .root()
        .and_then(|root| key_range(root, offset))
        .unwrap_or(TextRange::empty(offset));
    let mut text = format!("**`{key}`** · {} key", schema.name);
    if field.required {
        text.push_str(" (required)");
    }
    let _ = write!(text, "\n\n{}", field.doc);
    if field.legacy {
        text.push_str("\n\nSchema 1.x only: removed in 2.0.0.");
    }
    Some((text, entry_key))
}

/// The range of the key scalar under `offset`.
fn key_range(node: &crate::syntax::Node, offset: usize) -> Option<TextRange> {
    let touches = |r: TextRange| (r.start as usize) <= offset && offset <= r.end as usize;
    if let Some(entries) = node.as_mapping() {
        for entry in entries {
            if touches(entry.key.range) {
                return Some(entry.key.range);
            }
            if touches(entry.value.range) {
                if let Some(r) = key_range(&entry.value, offset) {
                    return Some(r);
                }
            }
        }
    }
    node.as_sequence()?
        .iter()
        .filter(|i| touches(i.range))
        .find_map(|i| key_range(i, offset))
}

/// `prepareRename`: the range and current name of a provider id or model name; anything
/// else cannot be renamed.
pub(crate) fn prepare_rename(
    snapshot: &Snapshot,
    index: usize,
    offset: usize,
) -> Result<(Range, String), String> {
    let o = occurrence_at(snapshot, index, offset)
        .ok_or("only provider ids and model names can be renamed")?;
    let lines = snapshot.lines(index).ok_or("unknown document")?;
    Ok((lines.range(o.range), o.name))
}

/// Renames the provider id or model name under the cursor everywhere in the set, keeping
/// each occurrence's quoting.
pub(crate) fn rename(
    snapshot: &Snapshot,
    index: usize,
    offset: usize,
    new_name: &str,
    document_changes: bool,
) -> Result<WorkspaceEdit, String> {
    let o = occurrence_at(snapshot, index, offset)
        .ok_or("only provider ids and model names can be renamed")?;
    check_name(&snapshot.set, o.kind, &o.name, new_name)?;
    let mut per_member: Vec<(usize, Vec<Edit>)> = Vec::new();
    for x in snapshot.set.occurrences(o.kind, &o.name) {
        let member = snapshot
            .index_of_kind(x.file)
            .ok_or("file not in the set")?;
        let file = snapshot.file(member).ok_or("file not in the set")?;
        let replacement = rewrite_scalar(&file.text, x.range, &x.name, new_name).ok_or_else(|| {
            let at = file.line_index().line_col(&file.text, x.range.start as usize);
            format!(
                "`{}` at {}:{}:{} is not written literally (an alias or escapes); rename it by hand",
                x.name,
                x.file.file_name(),
                at.line,
                at.col
            )
        })?;
        let edit = Edit::replace(x.range, replacement);
        match per_member.iter_mut().find(|(i, _)| *i == member) {
            Some((_, edits)) => edits.push(edit),
            None => per_member.push((member, vec![edit])),
        }
    }
    Ok(set_edit(snapshot, per_member, document_changes))
}

fn check_name(set: &ConfigSet, kind: RefKind, old: &str, new: &str) -> Result<(), String> {
    if new.is_empty() || new.chars().any(char::is_control) || new.trim() != new {
        return Err(format!("`{new}` is not a valid name"));
    }
    if kind == RefKind::Provider {
        let valid = new
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !valid {
            return Err(format!(
                "`{new}` is not a valid provider id: use letters, digits, `_`, `.` and `-`"
            ));
        }
        if new != old && set.provider(new).is_some() {
            return Err(format!("a provider `{new}` already exists"));
        }
    }
    // Renaming onto a model that exists would merge two models: a second `exact_matches`
    // key of the same name, or a provider serving one model twice.
    let symbols = set.symbols();
    let exists = symbols.is_model(new);
    if kind == RefKind::Model && new != old && exists {
        return Err(format!(
            "a model `{new}` already exists; renaming `{old}` onto it would define it twice"
        ));
    }
    Ok(())
}
