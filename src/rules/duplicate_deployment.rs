//! `G402` duplicate-deployment: two `model_list` entries with the same `model_name` and the
//! same `litellm_params`.
use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashMapExt};

use super::prelude::*;
use crate::model::FileKind;
use crate::syntax::{Node, NodeKind, Value};

declare_rule! {
    /// ## What it does
    /// Reports a `model_list` entry of litellm-unified.yaml that repeats an earlier entry:
    /// the same `model_name` and the same `litellm_params` (compared as data: key order,
    /// quoting and comments do not matter). `model_info` is not compared.
    ///
    /// Two entries that share a `model_name` but differ in `litellm_params` are fine and
    /// not reported: LiteLLM treats them as two deployments of one model group and
    /// load-balances between them. This is why aiblint checks for exact copies rather than
    /// for unique `model_name`s, as LiteLLM's config format has it.
    ///
    /// ## Why is this bad?
    /// LiteLLM counts each entry as a deployment of its own, so an exact copy sends that
    /// server twice its share of the group's traffic and doubles its weight in the
    /// router's cooldown and rate-limit bookkeeping. It is usually a copy-paste left behind
    /// when a second server was meant to get its own `api_base`.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1:8b
    ///     litellm_params:
    ///       model: ollama_chat/llama3.1:8b
    ///       api_base: http://127.0.0.1:11434
    ///   - model_name: llama3.1:8b
    ///     litellm_params:
    ///       api_base: http://127.0.0.1:11434
    ///       model: ollama_chat/llama3.1:8b
    /// ```
    ///
    /// ## How to fix
    /// Remove the copy, or point it at the second server it was meant for (`api_base`).
    /// For a generated file, fix the sources and run `aiblint generate`.
    code: "G402", name: "duplicate-deployment", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Litellm) {
        return;
    }
    let Some(entries) = ctx
        .file
        .root()
        .and_then(|r| r.get("model_list"))
        .and_then(Node::as_sequence)
    else {
        return;
    };
    // (model_name, canonical litellm_params) → the model_name node of the first such entry.
    let mut seen: HashMap<(&str, String), &Node> = HashMap::with_capacity(entries.len());
    let mut diagnostics = Vec::new();
    for entry in entries {
        let (Some(name_node), Some(params)) =
            (entry.get("model_name"), entry.get("litellm_params"))
        else {
            continue;
        };
        let Some(name) = name_node.as_str() else {
            continue;
        };
        match seen.entry((name, canonical(params))) {
            Entry::Occupied(first) => diagnostics.push(
                ctx.diagnostic(
                    format!("duplicate deployment of `{name}`"),
                    Label::new(
                        name_node.range,
                        "same `model_name` and `litellm_params` as an earlier entry",
                    ),
                )
                .with_secondary(Label::new(first.get().range, "first defined here"))
                .with_help(
                    "remove this copy, or give it the `api_base` of the other server it was \
                     meant for",
                ),
            ),
            Entry::Vacant(slot) => {
                slot.insert(name_node);
            }
        }
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// A node as data: scalars by their resolved value, mappings with sorted keys (the last of
/// a duplicated key, as loaders keep it), aliases through to their target.
fn canonical(node: &Node) -> String {
    let node = node.resolved();
    match &node.kind {
        NodeKind::Scalar(s) => match s.resolve() {
            Value::Null => "~".to_string(),
            Value::Bool(b) => format!("b:{b}"),
            Value::Int(i) => format!("n:{}", i as f64),
            Value::Float(f) => format!("n:{f}"),
            Value::Str(s) => format!("s:{s:?}"),
        },
        NodeKind::Mapping(_) => {
            let mut entries: Vec<(String, String)> = Vec::new();
            for e in node.entries() {
                let key = e
                    .key
                    .scalar_text()
                    .map_or_else(|| canonical(&e.key), str::to_string);
                entries.retain(|(k, _)| *k != key);
                entries.push((key, canonical(&e.value)));
            }
            entries.sort();
            let inner: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{k:?}:{v}"))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        NodeKind::Sequence(items) => {
            let inner: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", inner.join(","))
        }
        NodeKind::Alias(_) => "*".to_string(),
    }
}
