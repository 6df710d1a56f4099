//! Line-aware YAML text surgery for migration steps: remove entries as whole lines, set a
//! scalar while keeping its quotes and trailing comment, insert a key with the file's own
//! indentation and line endings. Every function returns edits; none re-serialises YAML.

use crate::diagnostic::Edit;
use crate::syntax::{Entry, Node, NodeKind, ScalarStyle};
use crate::text::{LineIndex, TextRange};

/// One source text with its lines, ready for editing.
pub(super) struct Doc<'a> {
    pub text: &'a str,
    index: LineIndex,
    /// The file's own line ending: `\n`, `\r\n` or `\r`.
    pub eol: &'static str,
}

/// The entries of a mapping node as written (not through aliases or merge keys).
pub(super) fn own_entries(node: &Node) -> &[Entry] {
    match &node.kind {
        NodeKind::Mapping(entries) => entries,
        _ => &[],
    }
}

/// The own entries of `node` whose key is `key`, by index (a duplicated key gives several).
pub(super) fn entries_named(node: &Node, key: &str) -> Vec<usize> {
    own_entries(node)
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.is_merge() && e.key.scalar_text() == Some(key))
        .map(|(i, _)| i)
        .collect()
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Self {
        let eol = match text.find(['\n', '\r']) {
            Some(i) if text[i..].starts_with("\r\n") => "\r\n",
            Some(i) if text[i..].starts_with('\r') => "\r",
            _ => "\n",
        };
        Doc {
            text,
            index: LineIndex::new(text),
            eol,
        }
    }

    /// Zero-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line_of(offset)
    }

    fn line_start(&self, line: usize) -> usize {
        self.index.line_start(line)
    }

    /// Start of the line after `line` (the end of the text for the last line).
    fn next_line_start(&self, line: usize) -> usize {
        if line + 1 >= self.index.line_count() {
            self.text.len()
        } else {
            self.index.line_start(line + 1)
        }
    }

    fn line_text(&self, line: usize) -> &'a str {
        let start = self.line_start(line);
        &self.text[start..self.index.line_content_end(self.text, line)]
    }

    fn is_blank(&self, line: usize) -> bool {
        self.line_text(line).trim().is_empty()
    }

    fn is_comment(&self, line: usize) -> bool {
        self.line_text(line).trim_start().starts_with('#')
    }

    /// Whether only indentation precedes `offset` on its line.
    pub fn first_on_line(&self, offset: usize) -> bool {
        let start = self.line_start(self.line_of(offset));
        self.text[start..offset].trim().is_empty()
    }

    /// Bytes from the start of the line to `offset` (the indentation, for a first-on-line key).
    fn column(&self, offset: usize) -> usize {
        offset - self.line_start(self.line_of(offset))
    }

    /// Where a node's content starts, after any `&anchor` and `!tag` properties.
    fn content_start(&self, node: &Node) -> usize {
        let mut at = node.range.start as usize;
        let end = node.range.end as usize;
        while at < end && self.text[at..].starts_with(['&', '!']) {
            let rest = &self.text[at..end];
            let token = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let after = &rest[token..];
            at += token + (after.len() - after.trim_start().len());
        }
        at
    }

    /// Whether a collection node is written in flow style (`{...}`, `[...]`).
    fn is_flow(&self, node: &Node) -> bool {
        self.text[self.content_start(node)..].starts_with(['{', '['])
    }

    /// The `:` after a mapping key.
    fn colon_after(&self, key: &Node) -> Option<usize> {
        let from = key.range.end as usize;
        let rest = &self.text[from..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        rest[skipped..].starts_with(':').then_some(from + skipped)
    }

    /// The end of an entry: its value's end, or its `:` when the value is empty.
    fn entry_end(&self, entry: &Entry) -> usize {
        let mut end = (entry.value.range.end).max(entry.key.range.end) as usize;
        if entry.value.range.end <= entry.key.range.end || entry.value.range.is_empty() {
            if let Some(colon) = self.colon_after(&entry.key) {
                end = end.max(colon + 1);
            }
        }
        end
    }

    /// The line of the last non-blank character of `start..end`.
    fn last_content_line(&self, start: usize, end: usize) -> usize {
        let trimmed = self.text[start..end].trim_end().len();
        self.line_of(start + trimmed.saturating_sub(1))
    }

    /// The offset of a `#` comment on the line of `offset`, after it, when there is one.
    fn comment_after(&self, offset: usize) -> Option<usize> {
        let line = self.line_of(offset);
        let end = self.index.line_content_end(self.text, line);
        if offset >= end {
            return None;
        }
        let rest = &self.text[offset..end];
        let gap = rest.len() - rest.trim_start().len();
        let preceded_by_space = gap > 0 || self.text[..offset].ends_with([' ', '\t']);
        (rest[gap..].starts_with('#') && preceded_by_space).then_some(offset + gap)
    }

    /// The file's own indentation width: how far the first nested block mapping is indented
    /// past its parent key (2 when the file never nests one).
    pub fn indent_unit(&self, root: &Node) -> usize {
        fn find(doc: &Doc<'_>, node: &Node, depth: usize) -> Option<usize> {
            if depth > 8 || doc.is_flow(node) {
                return None;
            }
            for entry in own_entries(node) {
                let children = own_entries(&entry.value);
                if let Some(child) = children.first() {
                    let (parent, child) = (entry.key.range.start, child.key.range.start);
                    if !doc.is_flow(&entry.value)
                        && doc.first_on_line(parent as usize)
                        && doc.first_on_line(child as usize)
                        && doc.column(child as usize) > doc.column(parent as usize)
                    {
                        return Some(doc.column(child as usize) - doc.column(parent as usize));
                    }
                }
                if let Some(unit) = find(doc, &entry.value, depth + 1) {
                    return Some(unit);
                }
            }
            None
        }
        find(self, root, 0).unwrap_or(2)
    }

    /// Removes whole lines from the line of `start` to the last line with content before
    /// `end`, and keeps blank-line separation tidy: when a blank line (or the start of the
    /// file) precedes the block, the blank lines after it go too; at the end of the file, the
    /// blank lines before it go, and a missing final newline stays missing.
    fn remove_lines(&self, start: usize, end: usize) -> Edit {
        let first = self.line_of(start);
        let last = self.last_content_line(start, end);
        let mut s = self.line_start(first);
        let mut e = self.next_line_start(last);
        let len = self.text.len();
        let only_blank_after = self.text[e..].trim().is_empty();
        let blank_before = first == 0 || self.is_blank(first - 1);
        if blank_before || only_blank_after {
            while e < len && self.is_blank(self.line_of(e)) {
                e = self.next_line_start(self.line_of(e));
            }
        }
        if e >= len {
            while s > 0 && self.is_blank(self.line_of(s) - 1) {
                s = self.line_start(self.line_of(s) - 1);
            }
            if s > 0 && !self.text.ends_with(['\n', '\r']) {
                s = self.index.line_content_end(self.text, self.line_of(s) - 1);
            }
        }
        Edit::replace(TextRange::new(s, e), "")
    }

    /// Removes the entries `remove` (indices, ascending) of `mapping`. `parent_key` is the key
    /// whose value the mapping is, if any: when every entry goes, the parent gets ` {}` so the
    /// value stays a mapping; a mapping that is a list item becomes `{}`.
    pub fn remove_entries(
        &self,
        mapping: &Node,
        remove: &[usize],
        parent_key: Option<&Node>,
    ) -> Vec<Edit> {
        let entries = own_entries(mapping);
        if remove.is_empty() || entries.is_empty() {
            return Vec::new();
        }
        let first = &entries[0];
        let last_end = entries.last().map_or(0, |e| self.entry_end(e));
        if remove.len() == entries.len() {
            let colon = parent_key.and_then(|k| self.colon_after(k));
            return match colon {
                Some(colon)
                    if !self.is_flow(mapping)
                        && self.first_on_line(first.key.range.start as usize)
                        && self.line_of(colon) < self.line_of(first.key.range.start as usize) =>
                {
                    vec![
                        Edit::replace(TextRange::empty(colon + 1), " {}"),
                        self.remove_lines(first.key.range.start as usize, last_end),
                    ]
                }
                _ => vec![Edit::replace(
                    TextRange::new(first.key.range.start as usize, last_end),
                    if self.is_flow(mapping) { "" } else { "{}" },
                )],
            };
        }
        let flow = self.is_flow(mapping);
        let mut edits = Vec::new();
        for (a, b) in runs(remove) {
            let start = entries[a].key.range.start as usize;
            let end = self.entry_end(&entries[b]);
            if flow {
                // Take one separator with the run: the comma before it, or the one after.
                if a > 0 {
                    let prev_end = self.entry_end(&entries[a - 1]);
                    edits.push(Edit::replace(TextRange::new(prev_end, end), ""));
                } else {
                    let next = entries
                        .get(b + 1)
                        .map_or(end, |e| e.key.range.start as usize);
                    edits.push(Edit::replace(TextRange::new(start, next), ""));
                }
            } else if self.first_on_line(start) {
                for entry in &entries[a..=b] {
                    edits.push(
                        self.remove_lines(entry.key.range.start as usize, self.entry_end(entry)),
                    );
                }
            } else {
                // The run shares its first line with what precedes it (`- key: value`): the
                // next entry moves up onto that line, and whole comment lines in between move
                // above it.
                let Some(next) = entries.get(b + 1).map(|e| e.key.range.start as usize) else {
                    edits.push(Edit::replace(TextRange::new(start, end), ""));
                    continue;
                };
                let moved: String = (self.last_content_line(start, end) + 1..self.line_of(next))
                    .filter(|&l| self.is_comment(l))
                    .map(|l| format!("{}{}", self.line_text(l), self.eol))
                    .collect();
                if !moved.is_empty() {
                    let line_start = self.line_start(self.line_of(start));
                    edits.push(Edit::replace(TextRange::empty(line_start), moved));
                }
                edits.push(Edit::replace(TextRange::new(start, next), ""));
            }
        }
        edits
    }

    /// Replaces a scalar's value, keeping its quoting, and appends `comment` (without `#`)
    /// after any comment already on the line. The existing comment keeps its column when the
    /// padding before it allows, and at least two spaces (as many as it had, if fewer) before
    /// its `#` otherwise.
    pub fn set_scalar(&self, node: &Node, value: &str, comment: Option<&str>) -> Vec<Edit> {
        let style = node.as_scalar().map(|s| s.style);
        let new = match style {
            Some(ScalarStyle::DoubleQuoted) => format!("\"{value}\""),
            Some(ScalarStyle::SingleQuoted) => format!("'{value}'"),
            _ => value.to_string(),
        };
        self.replace_scalar(node, new, comment)
    }

    /// Replaces a scalar's source text with `new` (written as it must appear, quotes
    /// included), appending `comment` as [`Doc::set_scalar`] does.
    pub fn replace_scalar(&self, node: &Node, new: String, comment: Option<&str>) -> Vec<Edit> {
        // After any `&anchor` or `!tag`: an anchor stays where aliases expect it.
        let (start, end) = (self.content_start(node), node.range.end as usize);
        let line_end = self.index.line_content_end(self.text, self.line_of(end));
        let appended = comment.map(|c| format!("  # {c}"));
        let mut edits = Vec::new();
        match self.comment_after(end) {
            Some(hash) => {
                let gap = hash - end;
                let growth = new.len() as i64 - (end - start) as i64;
                let padding = (gap as i64 - growth).max(gap.min(2) as i64) as usize;
                edits.push(Edit::replace(
                    TextRange::new(start, hash),
                    format!("{new}{}", " ".repeat(padding)),
                ));
                if let Some(appended) = appended {
                    edits.push(Edit::replace(TextRange::empty(line_end), appended));
                }
            }
            None if line_end == end => {
                edits.push(Edit::replace(
                    TextRange::new(start, end),
                    format!("{new}{}", appended.unwrap_or_default()),
                ));
            }
            None => {
                edits.push(Edit::replace(TextRange::new(start, end), new));
                if let Some(appended) = appended {
                    edits.push(Edit::replace(TextRange::empty(line_end), appended));
                }
            }
        }
        edits
    }

    /// Inserts `key: value` (already formatted, e.g. `schema_version: "2.0.0"`) as the first
    /// entry of the mapping that is the value of `entry`, on its own line with the mapping's
    /// indentation (or the file's indentation width when the mapping is empty).
    pub fn insert_first(&self, entry: &Entry, line: &str, unit: usize) -> Result<Edit, String> {
        let value = &entry.value;
        let key = entry.key.scalar_text().unwrap_or("the mapping");
        match &value.kind {
            NodeKind::Mapping(entries) if self.is_flow(value) => Ok(match entries.first() {
                Some(first) => Edit::replace(
                    TextRange::empty(first.key.range.start as usize),
                    format!("{line}, "),
                ),
                None => Edit::replace(
                    TextRange::empty(self.content_start(value) + 1),
                    line.to_string(),
                ),
            }),
            NodeKind::Mapping(entries) => {
                let Some(first) = entries.first() else {
                    return Err(format!("`{key}` is an empty mapping"));
                };
                let first_key = first.key.range.start as usize;
                if !self.first_on_line(first_key)
                    || self.line_of(first_key) == self.line_of(entry.key.range.start as usize)
                {
                    return Err(format!("`{key}` is laid out in a way aiblint cannot edit"));
                }
                let indent = " ".repeat(self.column(first_key));
                let at = self.next_line_start(self.line_of(entry.key.range.start as usize));
                Ok(self.insert_line_at(at, &format!("{indent}{line}")))
            }
            NodeKind::Scalar(_) if value.is_null() && value.range.is_empty() => {
                let colon = self
                    .colon_after(&entry.key)
                    .ok_or_else(|| format!("`{key}` has no `:`"))?;
                let line_end = self.index.line_content_end(self.text, self.line_of(colon));
                let indent = " ".repeat(self.column(entry.key.range.start as usize) + unit);
                Ok(Edit::replace(
                    TextRange::empty(line_end),
                    format!("{}{indent}{line}", self.eol),
                ))
            }
            NodeKind::Scalar(_) if value.is_null() => Ok(Edit::replace(
                TextRange::new(value.range.start as usize, value.range.end as usize),
                format!("{{{line}}}"),
            )),
            NodeKind::Alias(_) => Err(format!(
                "`{key}` is an alias; edit the anchored mapping by hand"
            )),
            _ => Err(format!("`{key}` is not a mapping")),
        }
    }

    /// Inserts a top-level block (lines without line endings) before the root mapping's
    /// first key: after the file's leading comment block and the blank line that ends it,
    /// followed by a blank line when one preceded it.
    pub fn insert_top_level(&self, root: &Node, lines: &[String]) -> Result<Edit, String> {
        let entries = own_entries(root);
        if self.is_flow(root) {
            let (at, sep) = match entries.first() {
                Some(first) => (first.key.range.start as usize, ", "),
                None => (self.content_start(root) + 1, ""),
            };
            let flow: Vec<String> = lines.iter().map(|l| l.trim().to_string()).collect();
            let text = match flow.split_first() {
                Some((head, rest)) if !rest.is_empty() => {
                    format!("{head} {{{}}}{sep}", rest.join(", "))
                }
                Some((head, _)) => format!("{head}{sep}"),
                None => String::new(),
            };
            return Ok(Edit::replace(TextRange::empty(at), text));
        }
        let Some(first) = entries.first() else {
            return Err("the file's top level is not a mapping".to_string());
        };
        let first_key = first.key.range.start as usize;
        if !self.first_on_line(first_key) {
            return Err("the first key does not start its line".to_string());
        }
        let first_line = self.line_of(first_key);
        // Never above a `---` (or a directive): that would start a document of its own.
        let document_start = (0..first_line)
            .rev()
            .find(|&l| self.line_text(l).starts_with(['-', '%']))
            .map_or(0, |l| l + 1);
        let last_blank = (document_start..first_line)
            .rev()
            .find(|&l| self.is_blank(l));
        let line = last_blank.map_or(first_line, |l| l + 1);
        // At the root mapping's own indentation, which need not be column 0.
        let indent = " ".repeat(self.column(first_key));
        let mut block: String = lines
            .iter()
            .map(|l| format!("{indent}{l}{}", self.eol))
            .collect();
        if last_blank.is_some() {
            block.push_str(self.eol);
        }
        Ok(Edit::replace(
            TextRange::empty(self.line_start(line)),
            block,
        ))
    }

    /// An insertion of `line` (plus a line ending) at the start of a line; at the end of a
    /// text without a final newline, the newline goes first.
    fn insert_line_at(&self, at: usize, line: &str) -> Edit {
        if at >= self.text.len() && !self.text.is_empty() && !self.text.ends_with(['\n', '\r']) {
            return Edit::replace(TextRange::empty(at), format!("{}{line}", self.eol));
        }
        Edit::replace(TextRange::empty(at), format!("{line}{}", self.eol))
    }

    /// 1-based line of an offset, for notes.
    pub fn line_number(&self, offset: usize) -> usize {
        self.line_of(offset) + 1
    }
}

/// Consecutive runs of ascending indices: `[1, 2, 4]` → `[(1, 2), (4, 4)]`.
fn runs(indices: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &i in indices {
        match out.last_mut() {
            Some(run) if run.1 + 1 == i => run.1 = i,
            _ => out.push((i, i)),
        }
    }
    out
}

/// Sorts edits and merges overlapping or touching deletions; any other overlap is a bug in
/// the step and is reported.
pub(super) fn normalize(mut edits: Vec<Edit>) -> Result<Vec<Edit>, String> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits {
        if let Some(prev) = out.last_mut() {
            let deletions = prev.replacement.is_empty() && edit.replacement.is_empty();
            if deletions && edit.range.start <= prev.range.end {
                prev.range = prev.range.cover(edit.range);
                continue;
            }
            let both_insertions = prev.range.is_empty() && edit.range.is_empty();
            if edit.range.start < prev.range.end
                || (both_insertions && edit.range.start == prev.range.start)
            {
                return Err(format!(
                    "overlapping edits at {:?} and {:?}",
                    prev.range, edit.range
                ));
            }
        }
        out.push(edit);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
