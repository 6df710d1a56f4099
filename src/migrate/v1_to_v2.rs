//! Step `1.0.0 → 2.0.0` (SPEC §2): declare `schema_version: "2.0.0"`, keep one active vLLM
//! provider, remove the routing blocks that only 1.x allowed, and name models where 1.x
//! chains named a provider that serves exactly one.
//!
//! The step is frozen in time: it names the 1.x-only keys itself rather than reading the
//! current schema, so later schema changes cannot change what this migration does.

use std::collections::{HashMap, HashSet};

use super::anchors::{is_aliased, keep_used_anchors};
use super::edits::{entries_named, normalize, own_entries, Doc};
use super::{Change, Data, StepError, StepInput, StepOutput};
use crate::diagnostic::Edit;
use crate::model::version::CURRENT;
use crate::model::{routing, FileKind, RefKind, RefRole};
use crate::syntax::{rewrite_scalar, Entry, Node, NodeKind, ScalarStyle};

pub(super) fn run(input: &StepInput<'_>) -> Result<StepOutput, StepError> {
    let members = &input.set.members;
    let mut output = StepOutput {
        edits: vec![Vec::new(); members.len()],
        changes: vec![Vec::new(); members.len()],
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
        let changes = &mut output.changes[index];
        let mut edits =
            schema_version(&doc, root, &member.path, &mut output.notes, changes).map_err(fail)?;
        match kind {
            FileKind::Providers => {
                edits.extend(
                    single_active_vllm(input, &doc, root, &member.path, &mut output.notes, changes)
                        .map_err(fail)?,
                );
            }
            FileKind::Mappings => {
                let removed =
                    remove_legacy_blocks(&doc, root, &member.path, &mut output.notes, changes);
                // An anchor defined in a removed block and used after it moves to its use.
                let (moved, notes) = keep_used_anchors(&doc, root, &removed).map_err(fail)?;
                let path = &member.path;
                output
                    .notes
                    .extend(notes.into_iter().map(|n| format!("{path}: {n}")));
                edits.extend(moved);
                edits.extend(removed);
                edits.extend(chain_providers_to_models(
                    input,
                    &doc,
                    root,
                    &member.path,
                    &mut output.notes,
                    changes,
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
    changes: &mut Vec<Change>,
) -> Result<Vec<Edit>, String> {
    let target = CURRENT.to_string();
    let quoted = format!("\"{target}\"");
    let Some(&meta_index) = entries_named(root, "metadata").last() else {
        changes.push(Change::InsertFirst {
            mapping: root.range,
            key: "metadata".to_string(),
            value: Data::Map(vec![(
                Data::string("schema_version"),
                Data::string(&target),
            )]),
        });
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
    if is_aliased(root, metadata.value.range) {
        return Err(format!(
            "`metadata` is anchored and repeated elsewhere by an alias, so a `schema_version` \
             written into it would appear there too: set `metadata.schema_version: {quoted}` by \
             hand (`metadata` then needs a block of its own)"
        ));
    }
    if let Some(&i) = entries_named(&metadata.value, "schema_version").last() {
        let value = &own_entries(&metadata.value)[i].value;
        let old = value.scalar_text().unwrap_or_default();
        if old == target {
            return Ok(Vec::new());
        }
        notes.push(format!("{path}: `schema_version` {old} → {target}"));
        changes.push(Change::SetString {
            node: value.range,
            value: target.clone(),
        });
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
    changes.push(Change::InsertFirst {
        mapping: metadata.value.range,
        key: "schema_version".to_string(),
        value: Data::string(&target),
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
    changes: &mut Vec<Change>,
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
                changes.push(Change::SetString {
                    node: status.range,
                    value: "disabled".to_string(),
                });
            }
            None => {
                let line = format!("status: disabled  # {comment}");
                edits.push(doc.insert_first(other, &line, doc.indent_unit(root))?);
                changes.push(Change::InsertFirst {
                    mapping: other.value.range,
                    key: "status".to_string(),
                    value: Data::string("disabled"),
                });
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
    notes.extend(references_to_disabled(input, &disabled_ids));
    Ok(edits)
}

/// A note listing every reference of model-mappings.yaml that leads to one of `disabled`:
/// a provider id naming it, or a model that only it serves.
fn references_to_disabled(input: &StepInput<'_>, disabled: &HashSet<&str>) -> Option<String> {
    let mappings = input.set.member(FileKind::Mappings)?;
    let symbols = input.set.symbols();
    // Exact-match name → its provider: such a name leads wherever its provider is.
    let routed_to: HashMap<&str, &str> = input
        .set
        .mappings()
        .map(|m| {
            m.exact_matches
                .iter()
                .filter_map(|e| Some((e.name.as_str(), e.provider.as_ref()?.as_str())))
                .collect()
        })
        .unwrap_or_default();
    let mut found: Vec<(u32, String)> = Vec::new();
    for r in symbols.references() {
        let target = match r.kind {
            RefKind::Provider => disabled.contains(r.name).then(|| format!("`{}`", r.name)),
            RefKind::Model => match routed_to.get(r.name) {
                Some(provider) => (r.role != RefRole::ChainKey && disabled.contains(provider))
                    .then(|| format!("`{}` (routed to `{provider}`)", r.name)),
                None if r.role == RefRole::ChainKey => None,
                None => {
                    let mut defs = symbols.model_defs(r.name);
                    defs.clone()
                        .all(|d| disabled.contains(d.provider))
                        .then(|| defs.next())
                        .flatten()
                        .map(|d| format!("`{}` (served only by `{}`)", r.name, d.provider))
                }
            },
        };
        let Some(target) = target else { continue };
        let line = mappings
            .file
            .line_index()
            .line_col(&mappings.file.text, r.range.start as usize)
            .line;
        found.push((
            line,
            format!(
                "line {line}: {} ({}) → {target}",
                r.route,
                r.role.describe()
            ),
        ));
    }
    if found.is_empty() {
        return None;
    }
    found.sort();
    let count = found.len();
    let list: Vec<String> = found.into_iter().map(|(_, what)| what).collect();
    Some(format!(
        "{}: {count} reference{} now lead{} to a provider this migration disabled (`aiblint check` reports the routes, L303):{}",
        mappings.path,
        if count == 1 { "" } else { "s" },
        if count == 1 { "s" } else { "" },
        sub_list(&list)
    ))
}

/// Replaces a provider id in a fallback chain by the one model that provider serves: 1.x
/// described chains as lists of providers, but LiteLLM falls back to model groups. A
/// provider that serves several models, or none, is left for people to decide (`L311`).
fn chain_providers_to_models(
    input: &StepInput<'_>,
    doc: &Doc<'_>,
    root: &Node,
    path: &str,
    notes: &mut Vec<String>,
    changes: &mut Vec<Change>,
) -> Vec<Edit> {
    let symbols = input.set.symbols();
    let mut edits = Vec::new();
    let mut replaced: Vec<String> = Vec::new();
    let mut left: Vec<String> = Vec::new();
    for &c in &entries_named(root, "fallback_chains") {
        for chain in own_entries(&own_entries(root)[c].value) {
            for &i in &entries_named(&chain.value, "chain") {
                let NodeKind::Sequence(items) = &own_entries(&chain.value)[i].value.kind else {
                    continue;
                };
                for item in items {
                    let Some(name) = item.as_str() else { continue };
                    if symbols.is_model(name) {
                        continue;
                    }
                    let Some(provider) = input.set.provider(name) else {
                        continue;
                    };
                    let mut models: Vec<&str> =
                        routing::served_models(provider, input.set.mappings())
                            .iter()
                            .map(|s| s.name)
                            .collect();
                    models.sort_unstable();
                    models.dedup();
                    let line = doc.line_number(item.range.start as usize);
                    let written = match models.as_slice() {
                        [model] => rewrite_scalar(doc.text, item.range, name, model)
                            .map(|text| (text, *model)),
                        _ => None,
                    };
                    match written {
                        Some((text, model)) => {
                            let comment = format!(
                                "was provider `{name}`: LiteLLM falls back to models (aiblint migrate)"
                            );
                            edits.extend(doc.replace_scalar(item, text, Some(&comment)));
                            changes.push(Change::SetString {
                                node: item.range,
                                value: model.to_string(),
                            });
                            replaced.push(format!("line {line}: `{name}` → `{model}`"));
                        }
                        None => left.push(format!("line {line}: `{name}`")),
                    }
                }
            }
        }
    }
    if !replaced.is_empty() {
        notes.push(format!(
            "{path}: fallback chains named providers; replaced by the one model each serves:{}",
            sub_list(&replaced)
        ));
    }
    if !left.is_empty() {
        notes.push(format!(
            "{path}: fallback chains still name providers that serve several models or list none, which LiteLLM skips (L311):{}",
            sub_list(&left)
        ));
    }
    edits
}

/// Removes `special_cases`, `routing_rules.request_metadata_routing`,
/// `load_balancing.*.parameters` and `load_balancing.*.providers[].condition`, each with its
/// whole value and the comments inside it.
fn remove_legacy_blocks(
    doc: &Doc<'_>,
    root: &Node,
    path: &str,
    notes: &mut Vec<String>,
    changes: &mut Vec<Change>,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut removed: Vec<(usize, String)> = Vec::new();
    let mut remove = |mapping: &Node, key: &str, parent: Option<&Node>, what: String| {
        let indices = entries_named(mapping, key);
        for &i in &indices {
            let key = &own_entries(mapping)[i].key;
            let line = doc.line_number(key.range.start as usize);
            removed.push((line, format!("{what} (line {line})")));
            changes.push(Change::Remove { key: key.range });
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

/// Items of a note, one per line below it.
fn sub_list(items: &[String]) -> String {
    items.iter().map(|i| format!("\n    - {i}")).collect()
}
