//! The only conversion between aiblint's byte ranges and LSP positions, in the position
//! encoding negotiated with the client (UTF-8 when it offers it, else UTF-16).

use tower_lsp::lsp_types::{ClientCapabilities, Position, PositionEncodingKind, Range};

use crate::text::{LineIndex, PositionEncoding, TextRange, WidePosition};

/// The encoding to use with a client: UTF-8 when it lists it in
/// `general.positionEncodings` (no conversion from byte offsets at all), else UTF-16, which
/// every client must support.
pub(crate) fn negotiate(capabilities: &ClientCapabilities) -> PositionEncoding {
    let offered = capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
        _ => PositionEncoding::Utf16,
    }
}

/// The LSP name of an encoding, for `ServerCapabilities::position_encoding`.
pub(crate) fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// One text seen through LSP positions.
#[derive(Clone, Copy)]
pub(crate) struct Lines<'a> {
    text: &'a str,
    index: &'a LineIndex,
    encoding: PositionEncoding,
}

impl<'a> Lines<'a> {
    /// The text the positions are in.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    pub(crate) fn new(text: &'a str, index: &'a LineIndex, encoding: PositionEncoding) -> Self {
        Lines {
            text,
            index,
            encoding,
        }
    }

    /// The length of the text in bytes.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let wide = self.index.to_wide(self.text, offset, self.encoding);
        Position::new(wide.line, wide.character)
    }

    pub(crate) fn range(&self, range: TextRange) -> Range {
        Range::new(
            self.position(range.start as usize),
            self.position(range.end as usize),
        )
    }

    /// The byte offset of a position. Out-of-range positions clamp: past a line's end to
    /// that end, past the last line to the end of the text, inside a character to its start.
    pub(crate) fn offset(&self, position: Position) -> usize {
        let wide = WidePosition {
            line: position.line,
            character: position.character,
        };
        self.index.offset_of(self.text, wide, self.encoding)
    }

    /// The byte range of an LSP range; an inverted range is put in order.
    pub(crate) fn text_range(&self, range: Range) -> TextRange {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        TextRange::new(a.min(b), a.max(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp::lsp_types::GeneralClientCapabilities;

    #[test]
    fn utf8_only_when_offered() {
        let mut caps = ClientCapabilities::default();
        assert_eq!(negotiate(&caps), PositionEncoding::Utf16);
        caps.general = Some(GeneralClientCapabilities {
            position_encodings: Some(vec![
                PositionEncodingKind::UTF16,
                PositionEncodingKind::UTF8,
            ]),
            ..Default::default()
        });
        assert_eq!(negotiate(&caps), PositionEncoding::Utf8);
    }

    #[test]
    fn ranges_round_trip_in_both_encodings() {
        let text = "# café 🦙\nkey: é🦙x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        for (encoding, character) in [(PositionEncoding::Utf8, 11), (PositionEncoding::Utf16, 8)] {
            let lines = Lines::new(text, &index, encoding);
            let range = lines.range(TextRange::new(x, x + 1));
            assert_eq!(range.start, Position::new(1, character));
            assert_eq!(lines.text_range(range), TextRange::new(x, x + 1));
        }
        let lines = Lines::new(text, &index, PositionEncoding::Utf16);
        assert_eq!(lines.offset(Position::new(99, 0)), text.len());
        assert_eq!(
            lines.offset(Position::new(0, 999)),
            text.find('\n').unwrap()
        );
        let inverted = Range::new(Position::new(1, 2), Position::new(0, 0));
        assert_eq!(
            lines.text_range(inverted),
            TextRange::new(0, text.find("y:").unwrap())
        );
    }
}
