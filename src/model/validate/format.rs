//! A scalar checked against its format (URL, identifier, port, duration...), and where in
//! its source a part of its value stands, so that a diagnostic points at the bad part.

use super::{IssueKind, Validator};
use crate::model::formats::{self, FormatError};
use crate::model::schema::Format;
use crate::syntax::{Node, ScalarStyle};
use crate::text::TextRange;

impl Validator<'_> {
    pub(super) fn check_format(&mut self, node: &Node, value: &str, format: Format) {
        let result: Result<(), FormatError> = match format {
            Format::Text => Ok(()),
            Format::Identifier => formats::check_identifier(value),
            Format::Url | Format::TemplateUrl => match if format == Format::Url {
                formats::parse_url(value)
            } else {
                formats::parse_template_url(value)
            } {
                Ok(url) => {
                    if url.port_number().is_some_and(|p| !(1..=65535).contains(&p)) {
                        let range = url
                            .port
                            .clone()
                            .map_or(node.range, |r| self.subrange(node, r));
                        self.push(
                            IssueKind::PortOutOfRange {
                                port: url.port_text().unwrap_or_default().to_string(),
                            },
                            range,
                        );
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            },
            Format::Date => formats::check_date(value),
            Format::Size => formats::check_size(value),
            Format::SemVer => formats::check_semver(value).map(|_| ()),
            Format::EnvVar => formats::check_env_var(value),
            Format::Regex => crate::model::pyregex::check(value),
            Format::UrlPath => formats::check_url_path(value),
            Format::SizeRange => formats::check_size_range(value),
            Format::PortRanges => formats::check_port_ranges(value),
        };
        if let Err(mut e) = result {
            if format == Format::Url && formats::parse_template_url(value).is_ok() {
                e.message = format!(
                    "{}: a placeholder port is allowed only in a provider with `status: template`",
                    e.message
                );
            }
            let range = match e.within {
                Some(within) => self.subrange(node, within),
                None => node.range,
            };
            self.push(
                IssueKind::BadFormat {
                    format,
                    message: e.message,
                },
                range,
            );
        }
    }

    /// Maps a byte range inside a scalar's cooked value to the source, when the source
    /// spells the value literally (no escapes or folding); else the whole scalar.
    pub(super) fn subrange(&self, node: &Node, within: std::ops::Range<usize>) -> TextRange {
        value_subrange(self.text, node, within)
    }
}

/// See [`Validator::subrange`]; shared with rules that point inside values. Escapes of
/// one-line quoted scalars are followed; folded or block scalars map to the whole node.
pub fn value_subrange(text: &str, node: &Node, within: std::ops::Range<usize>) -> TextRange {
    let Some(scalar) = node.as_scalar() else {
        return node.range;
    };
    let raw = text.get(node.range.as_range()).unwrap_or("");
    let offsets = match scalar.style {
        ScalarStyle::Plain if raw == scalar.value => Some((0..=raw.len()).collect()),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if raw.len() >= 2 => {
            cooked_to_raw(&raw[1..raw.len() - 1], scalar.style)
                .filter(|map| map.len() == scalar.value.len() + 1)
                .map(|map| map.into_iter().map(|o| o + 1).collect())
        }
        _ => None,
    };
    let Some(offsets) = offsets else {
        return node.range;
    };
    let offsets: Vec<usize> = offsets;
    if within.end >= offsets.len() {
        return node.range;
    }
    let start = offsets[within.start];
    let end = if within.start == within.end {
        // An empty range: cover the character there, if any.
        let next = within.end
            + scalar.value[within.end..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        offsets[next.min(offsets.len() - 1)]
    } else {
        offsets[within.end]
    };
    let base = node.range.start as usize;
    TextRange::new(base + start, base + end.max(start))
}

/// For each byte of a quoted scalar's cooked value (plus its end), the offset of the raw
/// text it came from; `None` for multi-line scalars, whose folding is not followed.
fn cooked_to_raw(raw: &str, style: ScalarStyle) -> Option<Vec<usize>> {
    if raw.contains(['\n', '\r']) {
        return None;
    }
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let cooked_len = match (style, c) {
            (ScalarStyle::SingleQuoted, '\'') => {
                chars.next();
                1
            }
            (ScalarStyle::DoubleQuoted, '\\') => {
                let (_, e) = chars.next()?;
                let hex_digits = match e {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => 0,
                };
                if hex_digits == 0 {
                    match e {
                        'N' | '_' => 2, // U+0085, U+00A0
                        'L' | 'P' => 3, // U+2028, U+2029
                        _ => 1,
                    }
                } else {
                    let mut code = 0u32;
                    for _ in 0..hex_digits {
                        code = code * 16 + chars.next()?.1.to_digit(16)?;
                    }
                    char::from_u32(code)?.len_utf8()
                }
            }
            _ => c.len_utf8(),
        };
        map.extend(std::iter::repeat_n(i, cooked_len));
    }
    map.push(raw.len());
    Some(map)
}
