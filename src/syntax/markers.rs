//! The only code that reads saphyr markers: char-index markers become byte offsets, and the
//! known span-edge quirks of saphyr-parser 0.3 are corrected here (see ARCHITECTURE.md).

use saphyr_parser::{Marker, Span};

use super::node::ScalarStyle;
use crate::text::{CharToByte, TextRange};

pub(crate) struct Markers<'a> {
    /// The whole source text, BOM included.
    text: &'a str,
    /// Bytes skipped before the text given to the parser (a UTF-8 BOM).
    base: usize,
    chars: CharToByte<'a>,
}

impl<'a> Markers<'a> {
    pub(crate) fn new(text: &'a str, base: usize) -> Self {
        Markers {
            text,
            base,
            chars: CharToByte::new(&text[base..]),
        }
    }

    pub(crate) fn offset(&self, marker: &Marker) -> usize {
        self.base + self.chars.byte_offset(marker.index())
    }

    pub(crate) fn range(&self, span: &Span) -> TextRange {
        let start = self.offset(&span.start);
        TextRange::new(start, self.offset(&span.end).max(start))
    }

    /// A scalar's range: block scalars get their `|`/`>` header back and lose the trailing
    /// blank lines their chomping keeps.
    pub(crate) fn scalar_range(&self, span: &Span, style: ScalarStyle) -> TextRange {
        let range = self.range(span);
        match style {
            ScalarStyle::Plain => return range,
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                // saphyr ends a quoted scalar at the next token: stop at the closing quote.
                let end = self.closing_quote_end(range, style);
                return TextRange::new(range.start as usize, end);
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {}
        }
        let start = self.block_header_start(range.start as usize);
        let content = &self.text[range.as_range()];
        let end = range.start as usize + content.trim_end().len();
        // At least the character at `start`, whole.
        let first = self.text[start..].chars().next().map_or(0, char::len_utf8);
        TextRange::new(start, end.max(start + first).min(self.text.len()))
    }

    /// The offset just past the closing quote of a quoted scalar starting in `range` (after
    /// any `&anchor`/`!tag` properties); the range's end when none is found.
    fn closing_quote_end(&self, range: TextRange, style: ScalarStyle) -> usize {
        let quote = if style == ScalarStyle::SingleQuoted {
            '\''
        } else {
            '"'
        };
        let text = &self.text[range.start as usize..];
        let Some(open) = text.find(quote) else {
            return range.end as usize;
        };
        let mut chars = text[open + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if quote == '"' => {
                    chars.next();
                }
                c if c == quote => {
                    let after = open + 1 + i + 1;
                    if quote == '\'' && text[after..].starts_with('\'') {
                        chars.next(); // `''` is an escaped quote.
                        continue;
                    }
                    return range.start as usize + after;
                }
                _ => {}
            }
        }
        range.end as usize
    }

    /// Finds the `|` or `>` that introduces a block scalar whose content starts at `start`:
    /// the last indicator on the nearest non-blank line at or before `start`, outside a comment.
    fn block_header_start(&self, start: usize) -> usize {
        let before = &self.text[..start];
        // A lone `\r` ends a line too: a comment on the line before is not on this one.
        for line in before.rsplit(['\n', '\r']) {
            if line.trim().is_empty() {
                continue;
            }
            let code = line.find(" #").map_or(line, |i| &line[..i]);
            return match code.rfind(['|', '>']) {
                Some(i) => line.as_ptr() as usize - before.as_ptr() as usize + i,
                None => start,
            };
        }
        start
    }

    /// A collection's range from its start event, its end event and its children.
    /// Block collections end at their last child (saphyr ends them at the next token, which
    /// swallows blank lines and comments); flow collections include the closing bracket;
    /// block sequences start at the first `-` (saphyr starts indentless ones at the content).
    pub(crate) fn collection_range(
        &self,
        start: usize,
        end_span: &Span,
        children: Option<(TextRange, TextRange)>,
    ) -> TextRange {
        let end_event = self.range(end_span);
        if self.is_flow(start) {
            let close = end_event.start as usize;
            let end = match self.text.as_bytes().get(close) {
                Some(b']' | b'}') => close + 1,
                _ => end_event.end as usize,
            };
            return TextRange::new(start, end.max(start));
        }
        let Some((first, last)) = children else {
            return TextRange::new(start, end_event.start.max(start as u32) as usize);
        };
        let mut start = start.min(first.start as usize);
        let dash = self.text[..first.start as usize].trim_end_matches([' ', '\t']);
        if dash.ends_with('-') && dash.len() < start {
            start = dash.len() - 1;
        }
        TextRange::new(start, (last.end as usize).max(start))
    }

    /// Whether the collection starting at `start` is a flow collection, skipping `&anchor`
    /// and `!tag` properties.
    fn is_flow(&self, start: usize) -> bool {
        let mut rest = &self.text[start.min(self.text.len())..];
        loop {
            rest = rest.trim_start();
            if rest.starts_with('&') || rest.starts_with('!') {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                rest = &rest[end..];
                continue;
            }
            return rest.starts_with('[') || rest.starts_with('{');
        }
    }

    /// The name written after `&` or `*` at `offset`.
    pub(crate) fn property_name(&self, offset: usize) -> String {
        let rest = self.text.get(offset + 1..).unwrap_or("");
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .unwrap_or(rest.len());
        rest[..end].to_string()
    }

    pub(crate) fn text(&self) -> &'a str {
        self.text
    }
}
