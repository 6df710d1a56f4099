//! Syntax errors told as the mistake that most likely caused them. saphyr reports where its
//! scanner gave up and why, in its own terms ("mapping values are not allowed in this
//! context", one line after a missing `:`); `scan_error` reads its message into a kind once,
//! and each case below starts from one of those kinds, then reads the text around the position
//! to name the mistake people make: a missing `:` or a missing space after it, a quote never
//! closed, a backslash in double quotes (a regex), a tab in the indentation, a list item
//! where a key belongs. Anything else keeps saphyr's words.

use super::{ScanProblem, SyntaxError, SyntaxErrorKind};
use crate::text::TextRange;

/// A syntax error for people: what is wrong, where, and how to put it right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    /// Lowercase, no trailing period: "missing `:` after `status`".
    pub message: String,
    pub range: TextRange,
    pub label: String,
    pub help: Option<String>,
    /// When the intent is plain enough to write it: a fix's title, the range it replaces
    /// and the replacement.
    pub fix: Option<(String, TextRange, String)>,
}

/// `error` explained from `text` (the text it was found in).
pub fn explain(text: &str, error: &SyntaxError) -> Explained {
    let at = (error.range.start as usize).min(text.len());
    let SyntaxErrorKind::Invalid(problem) = error.kind else {
        return bare(error);
    };
    let found = match problem {
        ScanProblem::UnknownEscape => bad_escape(text, at),
        ScanProblem::MappingValue => missing_colon(text, at),
        ScanProblem::TrailingContent => text_after_quote(text, at),
        ScanProblem::UnclosedQuote => unclosed_quote(text, at),
        ScanProblem::Tab => tab_indentation(text, at),
        ScanProblem::NeedsWhitespace => no_space_after_colon(text, at),
        ScanProblem::ExpectedKey => list_item_for_key(text, at),
        ScanProblem::ExpectedDash => key_in_list(text, at),
        ScanProblem::Unprintable => control_character(text, at),
        ScanProblem::RecursionLimit | ScanProblem::Other => None,
    };
    found.unwrap_or_else(|| bare(error))
}

/// The error as saphyr described it.
fn bare(error: &SyntaxError) -> Explained {
    Explained {
        message: error.message.clone(),
        range: error.range,
        label: "the parser stopped here".to_string(),
        help: None,
        fix: None,
    }
}

// ------------------------------------------------------------------------------- lines

/// The start and end (before the line break) of the line holding `at`. A carriage return
/// alone ends a line, as for the parser and the line index.
fn line_bounds(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let breaks =
        |i: &usize| bytes[*i] == b'\n' || (bytes[*i] == b'\r' && bytes.get(*i + 1) != Some(&b'\n'));
    let start = (0..at).rev().find(breaks).map_or(0, |i| i + 1);
    let end = (at..text.len()).find(breaks).unwrap_or(text.len());
    // Before a CR ending the line, unless `at` is on the line break itself.
    let end = if text[start..end].ends_with('\r') && end > at {
        end - 1
    } else {
        end
    };
    (start, end)
}

/// The last line before the one holding `at` that holds more than blanks and a comment:
/// its start and end.
fn previous_content_line(text: &str, at: usize) -> Option<(usize, usize)> {
    let (mut start, _) = line_bounds(text, at);
    while start > 0 {
        let (s, e) = line_bounds(text, start - 1);
        let content = text[s..e].trim();
        if !content.is_empty() && !content.starts_with('#') {
            return Some((s, e));
        }
        start = s;
    }
    None
}

/// Where the content of the line `start..end` begins: after the indentation and any `- `
/// list markers.
fn content_start(text: &str, start: usize, end: usize) -> usize {
    let mut at = start;
    let bytes = text.as_bytes();
    loop {
        while at < end && bytes[at] == b' ' {
            at += 1;
        }
        if at + 1 < end && bytes[at] == b'-' && bytes[at + 1] == b' ' {
            at += 2;
        } else {
            return at;
        }
    }
}

fn indentation(text: &str, start: usize, end: usize) -> usize {
    text[start..end].len() - text[start..end].trim_start_matches(' ').len()
}

/// Whether `s` is a bare word that can be a key (`status`, `base_url`, `qwen2.5`).
fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
}

// ------------------------------------------------------------------------------- cases

/// `status active` (no `:`) or `status:active` (no space): saphyr reads the line as text
/// that goes on into the next line, and stops at the next line's `:`.
fn missing_colon(text: &str, at: usize) -> Option<Explained> {
    let (start, end) = line_bounds(text, at);
    // The error is on the line after the mistake, or, at the end of the text, past it.
    let candidates = [previous_content_line(text, at), Some((start, end))];
    for (s, e) in candidates.into_iter().flatten() {
        let from = content_start(text, s, e);
        let content = text[from..e].split(" #").next().unwrap_or("").trim_end();
        if content.is_empty() || content.starts_with(['"', '\'', '[', '{', '#', '&', '*', '!']) {
            continue;
        }
        if let Some(colon) = content.find(':') {
            let (key, rest) = content.split_at(colon);
            let value = &rest[1..];
            if is_word(key) && !value.is_empty() && !value.starts_with([' ', '/']) {
                let colon_at = from + colon;
                return Some(Explained {
                    message: format!("missing space after `:` in `{content}`"),
                    range: TextRange::new(colon_at, colon_at + 1),
                    label: "a space must follow this `:`".to_string(),
                    help: Some(format!(
                        "YAML reads `{content}` as one piece of text; write `{key}: {value}`"
                    )),
                    fix: Some((
                        "Add a space after `:`".to_string(),
                        TextRange::new(colon_at + 1, colon_at + 1),
                        " ".to_string(),
                    )),
                });
            }
            continue;
        }
        let Some((key, value)) = content.split_once(' ') else {
            continue;
        };
        if !is_word(key) || value.trim().is_empty() {
            continue;
        }
        let key_end = from + key.len();
        return Some(Explained {
            message: format!("missing `:` after `{key}`"),
            range: TextRange::new(from, key_end),
            label: "a `:` is missing after this key".to_string(),
            help: Some(format!(
                "write `{key}: {}`; without the `:` YAML reads the line as text that goes on \
                 into the next one",
                value.trim()
            )),
            fix: Some((
                format!("Add `:` after `{key}`"),
                TextRange::new(key_end, key_end),
                ":".to_string(),
            )),
        });
    }
    None
}

/// The characters a double-quoted YAML string may escape (YAML 1.2, 5.7).
const ESCAPES: &str = "0abt\tnvfre \"/\\N_LPxuU";

/// `"^claude-\d+"`: in double quotes a backslash starts an escape, and `\d` is none.
fn bad_escape(text: &str, at: usize) -> Option<Explained> {
    let quote = text[at..].find('"')? + at;
    let body_start = quote + 1;
    let mut chars = text[body_start..].char_indices();
    let mut close = None;
    let mut bad = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                close = Some(body_start + i);
                break;
            }
            '\\' => match chars.next() {
                Some((_, next)) if ESCAPES.contains(next) || next == '\n' => {}
                Some((j, next)) if bad.is_none() => {
                    bad = Some((body_start + i, body_start + j + next.len_utf8(), next));
                }
                Some(_) => {}
                None => break,
            },
            '\n' => break,
            _ => {}
        }
    }
    let (from, to, escaped) = bad?;
    let shown = &text[from..to];
    let mut fix = None;
    let mut help = format!(
        "in double quotes `\\` starts an escape sequence; a regex belongs in single quotes, \
         where `\\` is an ordinary character, or write `\\\\{escaped}`"
    );
    if let Some(close) = close {
        let body = &text[body_start..close];
        // Verbatim in single quotes only when no quote and no valid escape would change.
        let verbatim = !body.contains('\'')
            && body
                .match_indices('\\')
                .all(|(i, _)| !ESCAPES.contains(body[i + 1..].chars().next().unwrap_or('x')));
        if verbatim {
            help = format!(
                "in double quotes `\\` starts an escape sequence; write it in single quotes, \
                 where `\\` is an ordinary character: '{body}'"
            );
            fix = Some((
                "Use single quotes".to_string(),
                TextRange::new(quote, close + 1),
                format!("'{body}'"),
            ));
        }
    }
    Some(Explained {
        message: format!("`{shown}` is not an escape sequence in a double-quoted string"),
        range: TextRange::new(from, to),
        label: "not a valid escape".to_string(),
        help: Some(help),
        fix,
    })
}

/// A quote opened at `at` and not closed on its line.
fn unclosed_quote(text: &str, at: usize) -> Option<Explained> {
    let (_, end) = line_bounds(text, at);
    let quote = text[at..end].find(['"', '\''])? + at;
    let q = text[quote..].chars().next()?;
    let rest = &text[quote + 1..end];
    let closed = if q == '\'' {
        rest.replace("''", "").contains('\'')
    } else {
        let mut escaped = false;
        rest.chars().any(|c| {
            let close = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            close
        })
    };
    if closed {
        return None;
    }
    Some(Explained {
        message: format!("unclosed quote: the string that starts with this `{q}` never ends"),
        range: TextRange::new(quote, end.max(quote + 1)),
        label: format!("no closing `{q}` on this line"),
        help: Some(format!(
            "add the closing `{q}` at the end of the value; YAML otherwise reads on into the \
             next lines"
        )),
        fix: None,
    })
}

/// `'it's'`: the string closed early, and the rest of the line is left over.
fn text_after_quote(text: &str, at: usize) -> Option<Explained> {
    let (start, end) = line_bounds(text, at);
    let before = text[start..at].trim_end();
    let q = before.chars().last().filter(|c| matches!(c, '\'' | '"'))?;
    let leftover = text[at..end].split(" #").next().unwrap_or("").trim_end();
    let help = if leftover.is_empty() {
        "delete it: YAML does not read it as a space".to_string()
    } else if let Some(next) = leftover.strip_prefix(',') {
        format!(
            "outside `{{ }}` a `,` does not start another key: put `{}` on a line of its own",
            next.trim()
        )
    } else if q == '\'' {
        "inside single quotes, write a quote as two: 'it''s'; or use double quotes".to_string()
    } else {
        "inside double quotes, write a quote as `\\\"`; or use single quotes".to_string()
    };
    // What is left over may be only whitespace YAML does not take for a space (U+2028).
    let (shown, len) = match (leftover.is_empty(), text[at..].chars().next()) {
        (true, Some(c)) => (
            format!("the invisible character U+{:04X}", u32::from(c)),
            c.len_utf8(),
        ),
        _ => (format!("`{leftover}`"), leftover.len()),
    };
    Some(Explained {
        message: format!("text after the closing `{q}`: {shown}"),
        range: TextRange::new(at, at + len.max(1).min(text.len() - at)),
        label: format!("the string ended at the `{q}` before this"),
        help: Some(help),
        fix: None,
    })
}

/// A tab in the indentation (YAML indents with spaces only).
fn tab_indentation(text: &str, at: usize) -> Option<Explained> {
    let (start, end) = line_bounds(text, at);
    let indent: &str = &text[start..end]
        [..text[start..end].len() - text[start..end].trim_start_matches([' ', '\t']).len()];
    if !indent.contains('\t') {
        return None;
    }
    let previous = previous_content_line(text, at)
        .map(|(s, e)| indentation(text, s, e))
        .unwrap_or(0);
    Some(Explained {
        message: "a tab in the indentation".to_string(),
        range: TextRange::new(start, start + indent.len()),
        label: "indented with a tab".to_string(),
        help: Some(format!(
            "YAML indents with spaces only: replace the tab with spaces (the line above is \
             indented by {previous})"
        )),
        fix: None,
    })
}

/// `key:<TAB>value`: saphyr wants a space after the `:`.
fn no_space_after_colon(text: &str, at: usize) -> Option<Explained> {
    let at = at.min(text.len());
    if !text.is_char_boundary(at) {
        return None;
    }
    // Up to and including the character at `at`, which may be wider than a byte.
    let upto = at + text[at..].chars().next().map_or(0, char::len_utf8);
    let colon = text[..upto].rfind(':')?;
    let next = text[colon + 1..].chars().next()?;
    let what = if next == '\t' { "a tab" } else { "no space" };
    Some(Explained {
        message: format!("{what} after `:`"),
        range: TextRange::new(colon, colon + 1),
        label: "a space must follow this `:`".to_string(),
        help: Some("write one space between `key:` and its value".to_string()),
        fix: None,
    })
}

/// `- item` where the mapping above expects a key: a list under a key that already has a
/// value, or a list item at a key's indentation.
fn list_item_for_key(text: &str, at: usize) -> Option<Explained> {
    let (start, end) = line_bounds(text, at);
    let from = start + indentation(text, start, end);
    if !text[from..end].starts_with('-') {
        return None;
    }
    let item_indent = from - start;
    let owner = std::iter::successors(previous_content_line(text, at), |&(s, _)| {
        previous_content_line(text, s)
    })
    .find(|&(s, e)| indentation(text, s, e) <= item_indent || s == 0);
    let help = match owner {
        Some((s, e)) => {
            let line = text[s..e].trim();
            match line.split_once(": ") {
                Some((key, value)) if !value.trim().is_empty() => format!(
                    "`{key}` already has a value (`{}`), so a list cannot follow it: write \
                     `{key}:` alone and the items under it, indented",
                    value.trim()
                ),
                _ => "a list goes under a key of its own: `key:`, then the `- ` items \
                      indented below it"
                    .to_string(),
            }
        }
        None => "a list goes under a key of its own: `key:`, then the `- ` items indented \
                 below it"
            .to_string(),
    };
    Some(Explained {
        message: "a list item where a key was expected".to_string(),
        range: TextRange::new(from, from + 1),
        label: "this list item belongs to no key".to_string(),
        help: Some(help),
        fix: None,
    })
}

/// `key: value` among the `- ` items of a list, at their indentation.
fn key_in_list(text: &str, at: usize) -> Option<Explained> {
    let (start, end) = line_bounds(text, at);
    let from = start + indentation(text, start, end);
    let key = text[from..end].split(':').next()?.trim();
    if !is_word(key) {
        return None;
    }
    Some(Explained {
        message: format!("the key `{key}` stands among the items of a list"),
        range: TextRange::new(from, from + key.len()),
        label: "expected a `- ` list item here".to_string(),
        help: Some(format!(
            "if `{key}` belongs to the last item, indent it like that item's keys; if it \
             belongs to the mapping that holds the list, indent it less, like the list's key"
        )),
        fix: None,
    })
}

/// A control character YAML does not allow in a file.
fn control_character(text: &str, at: usize) -> Option<Explained> {
    let (start, _) = line_bounds(text, at);
    let (i, c) = text[start..].char_indices().find(|(_, c)| {
        c.is_control() && !matches!(c, '\t' | '\n' | '\r') || matches!(c, '\u{fffe}' | '\u{ffff}')
    })?;
    let from = start + i;
    Some(Explained {
        message: format!(
            "a control character (U+{:04X}) that YAML does not allow",
            c as u32
        ),
        range: TextRange::new(from, from + c.len_utf8()),
        label: "not allowed in YAML".to_string(),
        help: Some("remove it; it often comes from copying out of a terminal or a PDF".to_string()),
        fix: None,
    })
}

#[cfg(test)]
mod tests;
