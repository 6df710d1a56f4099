//! Anchors that a migration step removes along with a block, but that aliases after the block
//! still use. Left alone, such an alias either names no anchor any more (the file no longer
//! parses) or, when an earlier anchor of the same name exists, silently resolves to that one.
//! The anchored node's text moves to the first alias that uses it, so that it and every later
//! alias resolve as before. Whether the moved text means the same there is for `verify` to
//! say.

use super::edits::Doc;
use crate::diagnostic::Edit;
use crate::syntax::{Node, NodeKind};
use crate::text::TextRange;

/// The edits that move each anchor defined inside `removed` (removal edits of `root`'s text)
/// to its first use outside them, and a note for each (`&name` to line N).
pub(super) fn keep_used_anchors(
    doc: &Doc<'_>,
    root: &Node,
    removed: &[Edit],
) -> Result<(Vec<Edit>, Vec<String>), String> {
    let inside = |range: TextRange| {
        removed.iter().any(|e| {
            e.range.start <= range.start && range.end <= e.range.end && !e.range.is_empty()
        })
    };
    let mut aliases = Vec::new();
    collect_aliases(root, &mut aliases, 0);
    let mut moved: Vec<TextRange> = Vec::new();
    let mut edits = Vec::new();
    let mut notes = Vec::new();
    for (alias, target) in aliases {
        if inside(alias.range) || !inside(target.range) || moved.contains(&target.range) {
            continue;
        }
        moved.push(target.range);
        edits.push(Edit::replace(
            alias.range,
            reindented(doc, target.range, alias.range.start as usize)?,
        ));
        let name = match &alias.kind {
            NodeKind::Alias(a) => a.name.as_str(),
            _ => "",
        };
        notes.push(format!(
            "the anchor `&{name}`, defined in a removed block, moves to its first use (`*{name}`, line {} before the migration)",
            doc.line_number(alias.range.start as usize)
        ));
    }
    Ok((edits, notes))
}

/// Whether an alias in `root` repeats the node at `range` (or a node holding it): an edit
/// inside that node would change every place the alias stands for it too.
pub(super) fn is_aliased(root: &Node, range: TextRange) -> bool {
    let mut aliases = Vec::new();
    collect_aliases(root, &mut aliases, 0);
    aliases
        .iter()
        .any(|(_, target)| target.range.start <= range.start && range.end <= target.range.end)
}

/// Every alias written in the tree (not those inside anchored nodes it stands for), with the
/// anchored node, in document order.
fn collect_aliases<'n>(node: &'n Node, out: &mut Vec<(&'n Node, &'n Node)>, depth: usize) {
    if depth > crate::syntax::MAX_DEPTH {
        return;
    }
    match &node.kind {
        NodeKind::Alias(alias) => {
            if let Some(target) = &alias.target {
                out.push((node, target));
            }
        }
        NodeKind::Mapping(entries) => {
            for entry in entries {
                collect_aliases(&entry.key, out, depth + 1);
                collect_aliases(&entry.value, out, depth + 1);
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                collect_aliases(item, out, depth + 1);
            }
        }
        NodeKind::Scalar(_) => {}
    }
}

/// The text of the anchored node at `source`, its lines after the first shifted from the
/// indentation of the place it was defined to that of `at`.
fn reindented(doc: &Doc<'_>, source: TextRange, at: usize) -> Result<String, String> {
    let text = &doc.text[source.as_range()];
    let mut lines = text.split_inclusive(['\n']);
    let first = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines.collect();
    if rest.is_empty() {
        return Ok(text.to_string());
    }
    let from = owner_column(doc.text, source.start as usize);
    let to = owner_column(doc.text, at);
    let mut out = first.to_string();
    for line in rest {
        if line.trim().is_empty() {
            out.push_str(line.trim_start_matches([' ', '\t']));
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if to >= from {
            out.push_str(&" ".repeat(to - from));
            out.push_str(line);
        } else if indent >= from - to {
            out.push_str(&line[from - to..]);
        } else {
            return Err("an anchor used after a removed block cannot be moved there".to_string());
        }
    }
    Ok(out)
}

/// The column of what owns the node starting at `offset`: the key on its line whose value it
/// is, or the `-` of the sequence item it is (a nested block is indented relative to that).
fn owner_column(text: &str, offset: usize) -> usize {
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    let mut column = prefix.len() - prefix.trim_start_matches(' ').len();
    let mut dash = None;
    // Past `- ` markers to the key, if there is one before the node.
    while prefix[column..].starts_with("- ") || prefix[column..] == *"-" {
        dash = Some(column);
        let rest = &prefix[column + 1..];
        column += 1 + rest.len() - rest.trim_start_matches(' ').len();
    }
    if column >= prefix.len() {
        return dash.unwrap_or(column);
    }
    column
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners() {
        let text = "a:\n  x: &p\n  - &q\n  - k: &r\n";
        assert_eq!(owner_column(text, text.find("&p").unwrap()), 2);
        assert_eq!(owner_column(text, text.find("&q").unwrap()), 2);
        assert_eq!(owner_column(text, text.find("&r").unwrap()), 4);
    }
}
