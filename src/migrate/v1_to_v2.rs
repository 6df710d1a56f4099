//! Step `1.0.0 → 2.0.0` (SPEC §2): declare `schema_version: "2.0.0"`, keep one active vLLM
//! provider, and remove the routing blocks that only 1.x allowed.
//!
//! The step is frozen in time: it names the 1.x-only keys itself rather than reading the
//! current schema, so later schema changes cannot change what this migration does.

use std::collections::HashSet;

use super::edits::{entries_named, normalize, own_entries, Doc};
use super::{StepError, StepInput, StepOutput};
use crate::diagnostic::Edit;
use crate::model::version::CURRENT;
use crate::model::{FileKind, RefKind};
use crate::syntax::{Entry, Node, NodeKind, ScalarStyle};

pub(super) fn run(input: &StepInput<'_>) -> Result<StepOutput, StepError> {
    let members = &input.set.members;
    let mut output = StepOutput {
        edits: vec![Vec::new(); members.len()],
        notes: Vec::new(),
    };
    for (index, member) in members.iter().enumerate() {
        let (Some(kind), Some(root), true) = (
            member.file.kind,
            member.file.root(),
            input.selected.get(index).copied().unwrap_or(false),
        ) else {
            continue;
        };
        if !kind.is_versioned() {
            continue;
        }
        let doc = Doc::new(&member.file.text);
        let fail = |reason: String| StepError { index, reason };
        let mut edits =
            schema_version(&doc, root, &member.path, &mut output.notes).map_err(fail)?;
        match kind {
            FileKind::Providers => {
                edits.extend(
                    single_active_vllm(input, &doc, root, &member.path, &mut output.notes)
                        .map_err(fail)?,
                );
            }
            FileKind::Mappings => {
                edits.extend(remove_legacy_blocks(
                    &doc,
                    root,
                    &member.path,
                    &mut output.notes,
                ));
            }
            _ => {}
        }
        output.edits[index] = normalize(edits).map_err(fail)?;
    }
    Ok(output)
}

/// Sets `metadata.schema_version: "2.0.0"`: replaces a 1.x `schema_version`, or inserts one as
/// the first key of `metadata`, or adds a `metadata` block at the top. A free-form
/// `metadata.version` is kept: 2.0.0 allows free-form metadata, and it is the file's history.
fn schema_version(
    doc: &Doc<'_>,
    root: &Node,
    path: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Edit>, String> {
    let target = CURRENT.to_string();
    let quoted = format!("\"{target}\"");
    let Some(&meta_index) = entries_named(root, "metadata").last() else {
        let unit = " ".repeat(doc.indent_unit(root));
        let lines = [
            "metadata:".to_string(),
            format!("{unit}schema_version: {quoted}"),
        ];
        notes.push(format!(
            "{path}: add `metadata:` with `schema_version: {quoted}`"
        ));
        return Ok(vec![doc.insert_top_level(root, &lines)?]);
    };
    let metadata = &own_entries(root)[meta_index];
    if let Some(&i) = entries_named(&metadata.value, "schema_version").last() {
        let value = &own_entries(&metadata.value)[i].value;
        let old = value.scalar_text().unwrap_or_default();
        if old == target {
            return Ok(Vec::new());
        }
        notes.push(format!("{path}: `schema_version` {old} → {target}"));
        // A plain `1.5.0` becomes the quoted string the schema documents.
        let plain = value
            .as_scalar()
            .is_some_and(|s| s.style == ScalarStyle::Plain);
        let new = if plain { &quoted } else { &target };
        return Ok(doc.set_scalar(value, new, None));
    }
    let free_form = entries_named(&metadata.value, "version")
        .last()
        .and_then(|&i| {
            own_entries(&metadata.value)[i]
                .value
                .scalar_text()
                .map(str::to_string)
        });
    notes.push(match free_form {
        Some(v) => format!(
            "{path}: add `schema_version: {quoted}` (the free-form `metadata.version: \"{v}\"` stays)"
        ),
        None => format!("{path}: add `schema_version: {quoted}` under `metadata`"),
    });
    let edit = doc.insert_first(
        metadata,
        &format!("schema_version: {quoted}"),
        doc.indent_unit(root),
    )?;
    Ok(vec![edit])
}

/// Keeps the first active `vllm` provider (document order) and disables the others, with a
/// comment saying why.
fn single_active_vllm(
    input: &StepInput<'_>,
    doc: &Doc<'_>,
    root: &Node,
    path: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Edit>, String> {
    let Some(&providers_index) = entries_named(root, "providers").last() else {
        return Ok(Vec::new());
    };
    let providers = &own_entries(root)[providers_index].value;
    let active: Vec<_> = own_entries(providers)
        .iter()
        .filter(|e| !e.is_merge())
        .filter(|e| {
            let field = |k: &str| e.value.get(k).and_then(Node::as_str);
            field("type") == Some("vllm") && field("status") == Some("active")
        })
        .collect();
    let [keep, others @ ..] = active.as_slice() else {
        return Ok(Vec::new());
    };
    if others.is_empty() {
        return Ok(Vec::new());
    }
    let id = |e: &&Entry| e.key.scalar_text().unwrap_or_default().to_string();
    let kept = id(keep);
    let comment = format!(
        "disabled by aiblint migrate: schema {CURRENT} allows one active vllm provider ({kept} stays active)"
    );
    let mut edits = Vec::new();
    for other in others {
        // The provider's own `status` (not one merged in from an anchor shared with others).
        match entries_named(&other.value, "status").last() {
            Some(&i) => {
                let status = &own_entries(&other.value)[i].value;
                edits.extend(doc.set_scalar(status, "disabled", Some(&comment)));
            }
            None => {
                let line = format!("status: disabled  # {comment}");
                edits.push(doc.insert_first(other, &line, doc.indent_unit(root))?);
            }
        }
    }
    let all: Vec<String> = active.iter().map(id).collect();
    let disabled: Vec<String> = others.iter().map(id).collect();
    notes.push(format!(
        "{path}: {} active vLLM providers: {} — disabling {}",
        all.len(),
        all.join(", "),
        disabled.join(", ")
    ));
    let disabled_ids: HashSet<&str> = disabled.iter().map(String::as_str).collect();
    let routes = input
        .set
        .symbols()
        .references
        .iter()
        .filter(|r| {
            r.kind == RefKind::Provider
                && r.role.routes_traffic()
                && disabled_ids.contains(r.name.as_str())
        })
        .count();
    if let (Some(mappings), true) = (input.set.member(FileKind::Mappings), routes > 0) {
        notes.push(format!(
            "{}: {routes} route{} now lead to a disabled provider; `aiblint check` lists them (L303)",
            mappings.path,
            if routes == 1 { "" } else { "s" }
        ));
    }
    Ok(edits)
}

/// Removes `special_cases`, `routing_rules.request_metadata_routing`,
/// `load_balancing.*.parameters` and `load_balancing.*.providers[].condition`, each with its
/// whole value and the comments inside it.
fn remove_legacy_blocks(
    doc: &Doc<'_>,
    root: &Node,
    path: &str,
    notes: &mut Vec<String>,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut removed: Vec<(usize, String)> = Vec::new();
    let mut remove = |mapping: &Node, key: &str, parent: Option<&Node>, what: String| {
        let indices = entries_named(mapping, key);
        for &i in &indices {
            let line = doc.line_number(own_entries(mapping)[i].key.range.start as usize);
            removed.push((line, format!("{what} (line {line})")));
        }
        edits.extend(doc.remove_entries(mapping, &indices, parent));
    };
    remove(root, "special_cases", None, "`special_cases`".to_string());
    for &r in &entries_named(root, "routing_rules") {
        let rules = &own_entries(root)[r];
        remove(
            &rules.value,
            "request_metadata_routing",
            Some(&rules.key),
            "`routing_rules.request_metadata_routing`".to_string(),
        );
    }
    for &l in &entries_named(root, "load_balancing") {
        for group in own_entries(&own_entries(root)[l].value) {
            let name = group.key.scalar_text().unwrap_or_default();
            remove(
                &group.value,
                "parameters",
                Some(&group.key),
                format!("`load_balancing.{name}.parameters`"),
            );
            for &p in &entries_named(&group.value, "providers") {
                let members = &own_entries(&group.value)[p].value;
                let NodeKind::Sequence(items) = &members.kind else {
                    continue;
                };
                for (n, member) in items.iter().enumerate() {
                    remove(
                        member,
                        "condition",
                        None,
                        format!("`load_balancing.{name}.providers[{n}].condition`"),
                    );
                }
            }
        }
    }
    if !removed.is_empty() {
        removed.sort();
        let list: Vec<String> = removed.into_iter().map(|(_, what)| what).collect();
        notes.push(format!("{path}: remove 1.x-only {}", list.join(", ")));
    }
    edits
}
