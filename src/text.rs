//! Byte ranges and the conversion of byte offsets to lines and columns (characters, UTF-16, UTF-8).

use std::fmt;
use std::ops::Range;

/// A half-open byte range `[start, end)` into one source text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    /// The range `start..end`; an inverted pair becomes empty at `start`, and offsets past
    /// `u32::MAX` saturate (files that large are refused before analysis).
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |o: usize| u32::try_from(o).unwrap_or(u32::MAX);
        TextRange {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    pub fn empty(at: usize) -> Self {
        TextRange::new(at, at)
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> Self {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset < self.end as usize
    }

    pub fn as_range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A position for people: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The code unit an editor counts columns in (LSP `positionEncoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PositionEncoding {
    Utf8,
    Utf16,
    Utf32,
}

/// A zero-based line and a zero-based column in some [`PositionEncoding`], as LSP uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WidePosition {
    pub line: u32,
    pub character: u32,
}

/// Line starts of one text. `\n`, `\r\n` and a lone `\r` end a line, as in YAML.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Editors hide a byte-order mark: line 1 starts after it, so columns match theirs.
        let first = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut line_starts = vec![first];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i as u32 + 1);
            }
        }
        // Kept with the file for the whole check: not the up to half empty slots of growth.
        LineIndex {
            line_starts: crate::alloc::exact_len(line_starts),
            len: text.len() as u32,
            ascii: text.is_ascii(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where the zero-based `line` starts (clamped to the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len) as usize
    }

    /// Zero-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len as usize) as u32;
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// 1-based line and 1-based column in characters. An offset inside a character counts
    /// from that character's start.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let offset = floor_char_boundary(text, offset.min(text.len())).max(start);
        let col = if self.ascii {
            offset - start
        } else {
            text[start..offset].chars().count()
        };
        LineCol {
            line: line as u32 + 1,
            col: col as u32 + 1,
        }
    }

    /// Where a zero-based line starts for [`LineIndex::to_wide`] and [`LineIndex::offset_of`]:
    /// a byte-order mark at the start of a buffer an editor sent is a character of that text,
    /// which the editor counts in its positions (people never see one in an editor, and for
    /// them `line_col` skips it).
    fn wide_line_start(&self, line: usize) -> usize {
        if line == 0 {
            0
        } else {
            self.line_start(line)
        }
    }

    /// Zero-based line and column in the given encoding's code units.
    pub fn to_wide(&self, text: &str, offset: usize, encoding: PositionEncoding) -> WidePosition {
        let line = self.line_of(offset);
        let start = self.wide_line_start(line);
        let offset = floor_char_boundary(text, offset.min(text.len())).max(start);
        let segment = &text[start..offset];
        let character = if self.ascii {
            segment.len()
        } else {
            match encoding {
                PositionEncoding::Utf8 => segment.len(),
                PositionEncoding::Utf16 => segment.chars().map(char::len_utf16).sum(),
                PositionEncoding::Utf32 => segment.chars().count(),
            }
        };
        WidePosition {
            line: line as u32,
            character: character as u32,
        }
    }

    /// Byte offset of a zero-based line and column in the given encoding. Positions past the
    /// end of a line clamp to the line end (before its terminator), past the last line to the
    /// end of the text, and inside a character to that character's start.
    pub fn offset_of(&self, text: &str, pos: WidePosition, encoding: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let start = self.wide_line_start(line);
        let end = self.line_content_end(text, line);
        let mut units = 0usize;
        for (i, c) in text[start..end].char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += match encoding {
                PositionEncoding::Utf8 => c.len_utf8(),
                PositionEncoding::Utf16 => c.len_utf16(),
                PositionEncoding::Utf32 => 1,
            };
            if units > pos.character as usize {
                return start + i;
            }
        }
        end
    }

    /// The content of a zero-based line, without its line terminator (empty past the end).
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        if line >= self.line_starts.len() {
            return "";
        }
        let start = self.line_start(line).min(text.len());
        let end = self.line_content_end(text, line).clamp(start, text.len());
        text.get(start..end).unwrap_or("")
    }

    /// Byte offset of the end of a zero-based line's content, before its line terminator.
    pub fn line_content_end(&self, text: &str, line: usize) -> usize {
        let next = self.line_start(line + 1);
        let bytes = text.as_bytes();
        let mut end = next;
        if line + 1 < self.line_starts.len() {
            if end > 0 && bytes[end - 1] == b'\n' {
                end -= 1;
            }
            if end > 0 && bytes[end - 1] == b'\r' {
                end -= 1;
            }
        }
        end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Converts char indices (as the YAML parser's markers count) to byte offsets of one text, in O(1)
/// for ASCII texts and O(32) otherwise.
pub struct CharToByte<'a> {
    text: &'a str,
    /// Byte offset of every 32nd character; empty for ASCII text.
    checkpoints: Vec<u32>,
}

impl<'a> CharToByte<'a> {
    const STRIDE: usize = 32;

    pub fn new(text: &'a str) -> Self {
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            char_starts(text.as_bytes())
                .step_by(Self::STRIDE)
                .map(|b| b as u32)
                .collect()
        };
        CharToByte { text, checkpoints }
    }

    pub fn byte_offset(&self, char_index: usize) -> usize {
        if self.checkpoints.is_empty() {
            return char_index.min(self.text.len());
        }
        let slot = char_index / Self::STRIDE;
        let Some(&base) = self.checkpoints.get(slot) else {
            return self.text.len();
        };
        let rest = char_index % Self::STRIDE;
        char_starts(&self.text.as_bytes()[base as usize..])
            .nth(rest)
            .map_or(self.text.len(), |b| base as usize + b)
    }
}

/// The byte offsets where the characters of UTF-8 `bytes` start: the bytes that do not
/// continue a character, found without decoding one.
fn char_starts(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| (b as i8) >= -0x40)
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_offsets_are_found_as_decoding_finds_them() {
        let text = "a\u{e9}\u{2014}\u{1f999}b\r\n".repeat(40);
        let by_decoding: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        assert_eq!(
            char_starts(text.as_bytes()).collect::<Vec<_>>(),
            by_decoding
        );
        let to_byte = CharToByte::new(&text);
        for (i, &b) in by_decoding.iter().enumerate() {
            assert_eq!(to_byte.byte_offset(i), b);
        }
        assert_eq!(to_byte.byte_offset(by_decoding.len()), text.len());
        assert_eq!(to_byte.byte_offset(by_decoding.len() + 100), text.len());
    }

    #[test]
    fn lines_end_at_every_kind_of_break() {
        let index = LineIndex::new("a\nb\r\nc\rd\r\r\n");
        assert_eq!(
            (0..index.line_count())
                .map(|l| index.line_start(l))
                .collect::<Vec<_>>(),
            [0, 2, 5, 7, 9, 11]
        );
    }

    #[test]
    fn ascii_line_col() {
        let text = "a: 1\nbb: 2\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, col: 1 });
        assert_eq!(idx.line_col(text, 5), LineCol { line: 2, col: 1 });
        assert_eq!(idx.line_col(text, 9), LineCol { line: 2, col: 5 });
        assert_eq!(idx.line_col(text, text.len()), LineCol { line: 3, col: 1 });
    }

    #[test]
    fn multibyte_columns_count_characters() {
        // "é" is 2 bytes / 1 UTF-16 unit; "🦙" is 4 bytes / 2 UTF-16 units.
        let text = "d: é🦙 x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(x, 10);
        assert_eq!(idx.line_col(text, x), LineCol { line: 1, col: 7 });
        let wide = |e| idx.to_wide(text, x, e).character;
        assert_eq!(wide(PositionEncoding::Utf8), 10);
        assert_eq!(wide(PositionEncoding::Utf16), 7);
        assert_eq!(wide(PositionEncoding::Utf32), 6);
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            assert_eq!(idx.offset_of(text, idx.to_wide(text, x, enc), enc), x);
        }
    }

    #[test]
    fn position_inside_a_surrogate_pair_snaps_to_char_start() {
        let text = "🦙x";
        let idx = LineIndex::new(text);
        let pos = WidePosition {
            line: 0,
            character: 1,
        };
        assert_eq!(idx.offset_of(text, pos, PositionEncoding::Utf16), 0);
        assert_eq!(idx.line_col(text, 2), LineCol { line: 1, col: 1 });
    }

    #[test]
    fn crlf_lines() {
        let text = "a: 1\r\nb: é\r\nc: 3";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        let c = text.find('c').unwrap();
        assert_eq!(idx.line_col(text, c), LineCol { line: 3, col: 1 });
        assert_eq!(idx.line_content_end(text, 0), 4);
        assert_eq!(idx.line_content_end(text, 1), text.find("\r\nc").unwrap());
        // Past the end of line 1 clamps before the CRLF.
        let pos = WidePosition {
            line: 0,
            character: 99,
        };
        assert_eq!(idx.offset_of(text, pos, PositionEncoding::Utf16), 4);
        assert_eq!(
            idx.offset_of(
                text,
                WidePosition {
                    line: 9,
                    character: 0
                },
                PositionEncoding::Utf8
            ),
            text.len()
        );
    }

    #[test]
    fn line_text_excludes_terminators() {
        let text = "a: 1\r\nb: é\rc\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_text(text, 0), "a: 1");
        assert_eq!(idx.line_text(text, 1), "b: é");
        assert_eq!(idx.line_text(text, 2), "c");
        assert_eq!(idx.line_text(text, 3), "");
        assert_eq!(idx.line_text(text, 9), "");
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}ab: 1\nc: 2";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, col: 1 });
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, col: 1 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 1, col: 2 });
        // An editor's buffer holding a byte-order mark counts it as a character (found by the
        // lsp fuzz target: edits at the start of such a buffer went after the mark).
        let pos = idx.to_wide(text, 4, PositionEncoding::Utf16);
        assert_eq!(
            pos,
            WidePosition {
                line: 0,
                character: 2
            }
        );
        assert_eq!(idx.offset_of(text, pos, PositionEncoding::Utf16), 4);
        let start = WidePosition {
            line: 0,
            character: 0,
        };
        assert_eq!(idx.offset_of(text, start, PositionEncoding::Utf16), 0);
        assert_eq!(
            idx.line_col(text, text.find('c').unwrap()),
            LineCol { line: 2, col: 1 }
        );
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let idx = LineIndex::new("a\rb");
        assert_eq!(idx.line_count(), 2);
    }

    #[test]
    fn char_to_byte() {
        let text = "é".repeat(100) + "🦙abc";
        let map = CharToByte::new(&text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.byte_offset(ci), bi);
        }
        assert_eq!(map.byte_offset(text.chars().count()), text.len());
        assert_eq!(map.byte_offset(10_000), text.len());
        assert_eq!(CharToByte::new("abc").byte_offset(2), 2);
    }
}
