//! `L302` self-fallback: a fallback chain that lists its own model.
use super::prelude::*;
use crate::model::FileKind;
use crate::syntax::{Node, NodeKind};
use crate::text::{LineIndex, TextRange};

declare_rule! {
    /// ## What it does
    /// Reports a fallback chain that contains its own key: the model falls back to itself.
    ///
    /// ## Why is this bad?
    /// Falling back to the model that just failed retries the same provider with the same
    /// request. At best it wastes the time of a retry; with a router that follows chains
    /// it loops until the request times out.
    ///
    /// ## Example
    /// ```yaml model-mappings.yaml
    /// fallback_chains:
    ///   "llama3.1:8b":
    ///     chain:
    ///       - gemma-2-9b-it
    ///       - "llama3.1:8b"
    /// ```
    ///
    /// ## How to fix
    /// Remove the model from its own chain (the fix does this). To retry a model, configure
    /// retries in LiteLLM's `router_settings` instead.
    ///
    /// ## Fix safety
    /// Unsafe: the chain changes, and the intent may have been to list another model.
    /// The fix removes the whole list item line in a block list, or the element and its
    /// comma in a flow list; a chain left empty becomes `[]`. No fix is offered for an
    /// anchored list, whose aliases would change too.
    code: "L302", name: "self-fallback", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) {
        return;
    }
    let Some(mappings) = ctx.set.mappings() else {
        return;
    };
    let chains_node = ctx.file.root().and_then(|r| r.get("fallback_chains"));
    let mut diagnostics = Vec::new();
    for chain in &mappings.fallback_chains {
        let name = chain.name.as_str();
        for member in chain.chain.iter().filter(|m| m.value == name) {
            let mut d = ctx
                .diagnostic(
                    format!("fallback chain `{name}` falls back to itself"),
                    Label::new(member.range, "the chain's own model"),
                )
                .with_secondary(Label::new(chain.name.range, "chain of this model"))
                .with_help(format!("remove `{name}` from its own chain"));
            let sequence = chains_node
                .and_then(|n| chain_entry(n, chain.name.range))
                .and_then(|entry| entry.get_entry("chain"));
            if let Some(edit) = sequence.and_then(|e| {
                removal(
                    &ctx.file.text,
                    ctx.file.line_index(),
                    &e.key,
                    &e.value,
                    member.range,
                )
            }) {
                d = d.with_fix(Fix {
                    title: format!("Remove `{name}` from its own chain"),
                    applicability: Applicability::Unsafe,
                    edits: vec![edit],
                });
            }
            diagnostics.push(d);
        }
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// The value of the `fallback_chains` entry whose key is at `key_range`.
fn chain_entry(chains: &Node, key_range: TextRange) -> Option<&Node> {
    chains
        .entries()
        .into_iter()
        .find(|e| e.key.range == key_range)
        .map(|e| &e.value)
}

/// The edit removing the item at `item` from the sequence `seq` (the value of `key`).
fn removal(text: &str, lines: &LineIndex, key: &Node, seq: &Node, item: TextRange) -> Option<Edit> {
    // Only the sequence written here: not an alias to one defined elsewhere.
    let NodeKind::Sequence(items) = &seq.kind else {
        return None;
    };
    let position = items.iter().position(|n| n.range == item)?;
    let written = text.get(seq.range.as_range())?;
    if written.starts_with(['&', '!']) {
        // An anchored or tagged list: editing it would also change its aliases.
        return None;
    }
    let flow = written.starts_with('[');
    if items.len() == 1 {
        if flow {
            return Some(Edit::replace(item, ""));
        }
        // The only item of a block list: `chain:\n  - x` becomes `chain: []`.
        let colon = text
            .get(key.range.end as usize..item.start as usize)?
            .find(':')?;
        let after_colon = key.range.end as usize + colon + 1;
        return Some(Edit::replace(
            TextRange::new(after_colon, item.end as usize),
            " []",
        ));
    }
    if flow {
        // `[a, x, b]` → `[a, b]`; the last element takes the comma before it.
        return Some(match (items.get(position + 1), position.checked_sub(1)) {
            (Some(next), _) => Edit::replace(
                TextRange::new(item.start as usize, next.range.start as usize),
                "",
            ),
            (None, Some(prev)) => {
                let prev = items.get(prev)?;
                Edit::replace(
                    TextRange::new(prev.range.end as usize, item.end as usize),
                    "",
                )
            }
            (None, None) => return None,
        });
    }
    // A block list item: remove its whole line when it holds only `- x` (and a comment).
    let line = lines.line_of(item.start as usize);
    let line_start = lines.line_start(line);
    let line_end = lines.line_start(line + 1);
    let before = text.get(line_start..item.start as usize)?;
    if before.trim() != "-" {
        return None;
    }
    let after = text.get(item.end as usize..line_end)?.trim();
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    Some(Edit::replace(TextRange::new(line_start, line_end), ""))
}
