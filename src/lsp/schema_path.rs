//! Where in a file's schema a position stands: the path of keys and list items leading to
//! it, found from the tree (hover) or, for text being typed that may not parse, from the
//! indentation of the lines above (completion), and the schema shape at that path.

use crate::model::schema::{MapSchema, Shape};
use crate::syntax::Node;
use crate::text::LineIndex;

/// One step from a mapping or a list to a child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Item,
}

/// The shape at `path` below `root`, following mappings, dictionaries and lists.
pub(crate) fn shape_at<'s>(root: &'s Shape, path: &[Segment]) -> Option<&'s Shape> {
    let mut shape = root;
    for segment in path {
        shape = child(shape, segment)?;
    }
    Some(shape)
}

fn child<'s>(shape: &'s Shape, segment: &Segment) -> Option<&'s Shape> {
    match (shape, segment) {
        (Shape::Nullable(inner), _) => child(inner, segment),
        (Shape::Map(schema) | Shape::StrOrMap(_, schema), Segment::Key(key)) => schema
            .field(key)
            .map(|f| &f.shape)
            .or(schema.rest.map(|(_, shape)| shape)),
        (Shape::Dict { value, .. }, Segment::Key(_)) => Some(value),
        (Shape::List(item), Segment::Item) => Some(item),
        _ => None,
    }
}

/// The mapping schema a shape stands for, if it is (or may be) a mapping with known keys.
pub(crate) fn map_schema(shape: &Shape) -> Option<&'static MapSchema> {
    match shape {
        Shape::Map(schema) | Shape::StrOrMap(_, schema) => Some(schema),
        Shape::Nullable(inner) => map_schema(inner),
        _ => None,
    }
}

/// The key under `offset` in a parsed tree: the path of the mapping that holds it, and the
/// key itself.
pub(crate) fn key_at(root: &Node, offset: usize) -> Option<(Vec<Segment>, String)> {
    let mut path = Vec::new();
    let mut node = root;
    'descend: loop {
        let touches =
            |r: crate::text::TextRange| (r.start as usize) <= offset && offset <= r.end as usize;
        if let Some(entries) = node.as_mapping() {
            for entry in entries {
                let key = entry.key.scalar_text()?.to_string();
                if touches(entry.key.range) {
                    return Some((path, key));
                }
                if touches(entry.value.range) && entry.value.range.start as usize <= offset {
                    path.push(Segment::Key(key));
                    node = &entry.value;
                    continue 'descend;
                }
            }
        } else if let Some(items) = node.as_sequence() {
            if let Some(item) = items.iter().find(|i| touches(i.range)) {
                path.push(Segment::Item);
                node = item;
                continue 'descend;
            }
        }
        return None;
    }
}

/// What the cursor is typing, from the text of its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Typing {
    /// A key of the mapping at `path`; `partial` starts at byte `start`.
    Key { start: usize },
    /// The value of `key` in the mapping at `path`.
    Value { key: String, start: usize },
    /// An item of the list at `path` (block `- x` or flow `[a, x`).
    Item { start: usize },
}

/// The path of the mapping or list the cursor at `offset` is in, from indentation alone, and
/// what is being typed there. Works on text that does not parse, as text being typed often
/// does not.
pub(crate) fn typing_at(
    text: &str,
    index: &LineIndex,
    offset: usize,
) -> Option<(Vec<Segment>, Typing)> {
    let line = index.line_of(offset);
    let prefix = text.get(index.line_start(line)..offset)?;
    // In a comment (`key: value  # note|`) there is nothing to complete.
    if comment_start(prefix).is_some() {
        return None;
    }
    let indent = prefix.len() - prefix.trim_start_matches(' ').len();
    let mut rest = &prefix[indent..];
    let mut items = 0;
    while let Some(after) = rest
        .strip_prefix("- ")
        .or_else(|| (rest == "-").then_some(""))
    {
        rest = after.trim_start_matches(' ');
        items += 1;
    }
    // The mapping (or item) being typed: below the keys above, one item per `- ` here.
    let mut path = if items > 0 {
        parents_above(text, index, line, indent, true)
    } else {
        parents_above(text, index, line, indent, false)
    };
    let at = |start: usize| skip_quote(text, start, offset);
    if let Some((key, value_at)) = key_value(rest) {
        path.extend(std::iter::repeat_n(Segment::Item, items));
        let value = &rest[value_at..];
        if value.starts_with('[') {
            let i = value.rfind(['[', ','])?;
            let skip = value[i + 1..].len() - value[i + 1..].trim_start().len();
            path.push(Segment::Key(key));
            let start = at(offset - value.len() + i + 1 + skip);
            return Some((path, Typing::Item { start }));
        }
        let start = at(offset - value.len());
        return Some((path, Typing::Value { key, start }));
    }
    // Not a key or a value being typed: text with a colon, a comment, words with spaces.
    if rest.contains([':', '#', ' ']) {
        return None;
    }
    let start = offset - rest.len();
    if items > 0 {
        path.extend(std::iter::repeat_n(Segment::Item, items - 1));
        return Some((path, Typing::Item { start: at(start) }));
    }
    Some((path, Typing::Key { start }))
}

/// Where a comment starts in `line` (the text of a line from its start), if it does: a `#`
/// at the start or after a space or tab, outside quoted scalars.
pub(crate) fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut prev = b' ';
    // The last byte outside quotes that is not blank: a quote opens a scalar only after
    // the start of the line, an indicator or a flow separator (`it's` is plain text).
    let mut last = 0u8;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') if b == b'\\' => {
                i += 2;
                prev = 0;
                continue;
            }
            // `''` inside single quotes is an escaped quote.
            Some(b'\'') if b == b'\'' && bytes.get(i + 1) == Some(&b'\'') => {
                i += 2;
                continue;
            }
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => {
                if b == b'#' && matches!(prev, b' ' | b'\t') {
                    return Some(i);
                }
                if matches!(b, b'"' | b'\'')
                    && matches!(last, 0 | b':' | b'-' | b'[' | b'{' | b',' | b'?')
                {
                    quote = Some(b);
                }
                if !matches!(b, b' ' | b'\t') {
                    last = b;
                }
            }
        }
        prev = b;
        i += 1;
    }
    None
}

/// The keys already written in the block mapping whose key is being typed at `offset`,
/// found by indentation as [`typing_at`] finds the path (the key being typed left out), so
/// that completion does not offer them again.
pub(crate) fn sibling_keys(text: &str, index: &LineIndex, offset: usize) -> Vec<String> {
    let line = index.line_of(offset);
    let Some(prefix) = text.get(index.line_start(line)..offset) else {
        return Vec::new();
    };
    // A key is typed after the indentation and any dashes (on a blank line: the cursor).
    let (column, dash) = match LineShape::of(prefix) {
        Some(cursor) => (cursor.body_column, cursor.dash),
        None if prefix.trim_start_matches(' ').is_empty() => (prefix.len(), false),
        None => return Vec::new(),
    };
    let content = |n: usize| &text[index.line_start(n)..index.line_content_end(text, n)];
    let mut keys = Vec::new();
    // Above, unless the cursor's own line starts the list item (and so the mapping).
    if !dash {
        for above in (0..line).rev() {
            let Some(shape) = LineShape::of(content(above)) else {
                continue;
            };
            if shape.dash && shape.body_column == column {
                keys.extend(shape.key); // The item's first key, on its dash line.
                break;
            }
            if shape.indent < column {
                break;
            }
            if !shape.dash && shape.indent == column {
                keys.extend(shape.key);
            }
        }
    }
    for below in line + 1..index.line_count() {
        let Some(shape) = LineShape::of(content(below)) else {
            continue;
        };
        if shape.indent < column {
            break;
        }
        if !shape.dash && shape.indent == column {
            keys.extend(shape.key);
        }
    }
    keys
}

/// A line of a block collection as indentation reads it.
struct LineShape {
    /// Spaces before the first character.
    indent: usize,
    /// Whether the line starts a list item (`- `).
    dash: bool,
    /// Where the content after the dashes starts.
    body_column: usize,
    /// The key written there, if any.
    key: Option<String>,
}

impl LineShape {
    /// `None` for a blank or comment line.
    fn of(content: &str) -> Option<LineShape> {
        let trimmed = content.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return None;
        }
        let indent = content.len() - trimmed.len();
        let mut body = trimmed;
        let mut dash = false;
        while let Some(after) = body
            .strip_prefix("- ")
            .or_else(|| (body == "-").then_some(""))
        {
            body = after.trim_start_matches(' ');
            dash = true;
        }
        Some(LineShape {
            indent,
            dash,
            body_column: content.len() - body.len(),
            key: key_value(body).map(|(k, _)| k),
        })
    }
}

/// After an opening quote, the text starts one byte later.
fn skip_quote(text: &str, start: usize, offset: usize) -> usize {
    match text.as_bytes().get(start) {
        Some(b'"' | b'\'') if start < offset => start + 1,
        _ => start,
    }
}

/// `key: value` (or `key:`) at the start of `s`: the key and the byte where the value starts.
fn key_value(s: &str) -> Option<(String, usize)> {
    let bytes = s.as_bytes();
    let (key, after) = match bytes.first()? {
        q @ (b'"' | b'\'') => {
            let close = s[1..].find(*q as char)? + 1;
            (s[1..close].to_string(), close + 1)
        }
        _ => {
            let colon = s
                .find(": ")
                .or_else(|| s.strip_suffix(':').map(|k| k.len()))?;
            (s[..colon].to_string(), colon)
        }
    };
    let rest = s.get(after..)?.strip_prefix(':')?;
    let spaces = rest.len() - rest.trim_start().len();
    if key.contains('#') || key.is_empty() {
        return None;
    }
    Some((key, after + 1 + spaces))
}

/// The keys (and list items) enclosing a mapping whose keys stand at `column` on `line`,
/// read from the lines above by indentation. `in_item` says the line itself starts a list
/// item, whose parent key may stand at the dash's own column (an indentless sequence).
fn parents_above(
    text: &str,
    index: &LineIndex,
    line: usize,
    column: usize,
    in_item: bool,
) -> Vec<Segment> {
    let mut path = Vec::new();
    let mut column = column;
    let mut after_item = in_item;
    for above in (0..line).rev() {
        if column == 0 && !after_item {
            break;
        }
        let start = index.line_start(above);
        let end = index.line_content_end(text, above);
        let content = &text[start..end];
        let trimmed = content.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = content.len() - trimmed.len();
        if trimmed.starts_with("- ") || trimmed == "-" {
            // A list item above: it contains the cursor only when it is shallower.
            if indent >= column {
                continue;
            }
            let body = trimmed[1..].trim_start_matches(' ');
            let body_column = indent + (trimmed.len() - body.len());
            let key = key_value(body).map(|(k, _)| k);
            match key {
                // Below the key written on the dash line: `- chain:` then our lines.
                Some(key) if body_column < column || (after_item && body_column == column) => {
                    path.push(Segment::Key(key));
                    path.push(Segment::Item);
                }
                // A sibling key of the item's mapping, written on the dash line.
                _ if body_column == column => path.push(Segment::Item),
                _ => continue,
            }
            column = indent;
            after_item = true;
            continue;
        }
        let deeper = if after_item {
            indent > column
        } else {
            indent >= column
        };
        if deeper {
            continue;
        }
        if let Some((key, _)) = key_value(trimmed) {
            path.push(Segment::Key(key));
            column = indent;
            after_item = false;
        }
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileKind;

    fn typing(text_with_cursor: &str) -> (Vec<Segment>, Typing) {
        let offset = text_with_cursor.find('|').unwrap();
        let text = text_with_cursor.replace('|', "");
        typing_at(&text, &LineIndex::new(&text), offset).unwrap()
    }

    fn keys(path: &[Segment]) -> Vec<String> {
        path.iter()
            .map(|s| match s {
                Segment::Key(k) => k.clone(),
                Segment::Item => "-".into(),
            })
            .collect()
    }

    #[test]
    fn key_being_typed_in_a_provider() {
        let (path, t) = typing("providers:\n  ollama:\n    type: ollama\n    bas|\n");
        assert_eq!(keys(&path), ["providers", "ollama"]);
        assert!(matches!(t, Typing::Key { .. }));
        let shape = shape_at(FileKind::Providers.shape(), &path).unwrap();
        assert_eq!(map_schema(shape).unwrap().name, "provider");
    }

    #[test]
    fn value_and_list_items() {
        let (path, t) = typing("exact_matches:\n  \"a:1\":\n    provider: vl|");
        assert_eq!(keys(&path), ["exact_matches", "a:1"]);
        assert_eq!(
            t,
            Typing::Value {
                key: "provider".into(),
                start: 38
            }
        );
        let (path, t) = typing("fallback_chains:\n  a:\n    chain:\n      - x\n      - |");
        assert_eq!(keys(&path), ["fallback_chains", "a", "chain"]);
        assert!(matches!(t, Typing::Item { .. }));
        let (path, _) = typing("fallback_chains:\n  a:\n    chain: [x, |");
        assert_eq!(keys(&path), ["fallback_chains", "a", "chain"]);
    }

    #[test]
    fn keys_inside_list_items() {
        let text = "providers:\n  o:\n    models:\n      - name: m\n        si|";
        let (path, _) = typing(text);
        assert_eq!(keys(&path), ["providers", "o", "models", "-"]);
        let (path, _) = typing("patterns:\n- pattern: x\n  prov|");
        assert_eq!(keys(&path), ["patterns", "-"]);
        let (path, t) = typing("patterns:\n  - |");
        assert_eq!(keys(&path), ["patterns"]);
        assert!(matches!(t, Typing::Item { .. }));
    }

    #[test]
    fn nothing_to_complete_in_comments_or_prose() {
        for text in ["a:\n  # a comment |", "a:\n  two words|", "a:\n  x:y|"] {
            let offset = text.find('|').unwrap();
            let text = text.replace('|', "");
            assert_eq!(
                typing_at(&text, &LineIndex::new(&text), offset),
                None,
                "{text}"
            );
        }
    }

    #[test]
    fn comments_start_at_a_hash_after_a_blank_outside_quotes() {
        assert_eq!(comment_start("  provider: ollama  # note"), Some(20));
        assert_eq!(comment_start("# top"), Some(0));
        assert_eq!(comment_start("  url: http://x/#frag"), None);
        assert_eq!(comment_start("  d: \"a # b\""), None);
        assert_eq!(comment_start("  d: 'it''s # x'"), None);
        assert_eq!(comment_start("  d: it's # x"), Some(10));
        assert_eq!(comment_start("  d: \"a \\\" # b\" # c"), Some(16));
        // Completion inside a trailing comment does not touch the value before it.
        let text = "exact_matches:\n  a:\n    provider: ollama  # vl";
        assert_eq!(typing_at(text, &LineIndex::new(text), text.len()), None);
    }

    #[test]
    fn sibling_keys_of_the_mapping_being_typed() {
        let siblings = |text_with_cursor: &str| {
            let offset = text_with_cursor.find('|').unwrap();
            let text = text_with_cursor.replace('|', "");
            let mut keys = sibling_keys(&text, &LineIndex::new(&text), offset);
            keys.sort();
            keys
        };
        let text = "providers:\n  o:\n    type: ollama\n    models:\n      - a\n    b|\n    # c\n\n    status: active\n  p:\n    description: x\n";
        assert_eq!(siblings(text), ["models", "status", "type"]);
        let text = "patterns:\n  - pattern: x\n    provider: y\n    f|\n  - pattern: z\n    description: w\n";
        assert_eq!(siblings(text), ["pattern", "provider"]);
        let text = "patterns:\n- pattern: x\n  |\n- description: d\n";
        assert_eq!(siblings(text), ["pattern"]);
        let text = "models:\n  - na|\n    size: 7B\n  - name: other\n";
        assert_eq!(siblings(text), ["size"]);
        assert_eq!(siblings("a: 1\n|\nb: 2\n"), ["a", "b"]);
    }

    #[test]
    fn key_under_offset_in_a_tree() {
        let text = "providers:\n  o:\n    base_url: http://x\n";
        let root = crate::syntax::parse(text).root.unwrap();
        let (path, key) = key_at(&root, text.find("base").unwrap() + 2).unwrap();
        assert_eq!(
            (keys(&path), key.as_str()),
            (vec!["providers".into(), "o".into()], "base_url")
        );
        assert!(key_at(&root, text.find("http").unwrap() + 2).is_none());
    }
}
