//! A small YAML writer for the files aiblint writes (the generated LiteLLM config, the
//! settings `aiblint migrate` lifts): block style, two-space indentation, comment lines, and
//! strings quoted only when a YAML 1.1 or 1.2 loader could read them as something other
//! than that string.
//!
//! Why not a serializer crate: serde_yaml is archived and unmaintained, and neither its
//! forks nor the other YAML crates' emitters write comments (the do-not-edit header and the
//! section comments are part of the output); their quoting also follows YAML 1.2, while
//! LiteLLM loads its config with PyYAML, a YAML 1.1 loader (`yes`, `on`, `0777`, `1:20` and
//! `2025-10-19` are not strings there). The whole writer is one recursive function over
//! [`Value`] plus [`quote`], which is unit-tested on the strings that trip loaders up.

use std::borrow::Cow;

use crate::text::TextRange;

/// A YAML value to write.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// Entries in the order given.
    Map(Vec<(String, Value)>),
    Seq(Vec<Value>),
    /// A value preceded by comment lines (one per element, without the `# `).
    Commented(Vec<String>, Box<Value>),
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    /// The value without its comments.
    fn bare(&self) -> &Value {
        match self {
            Value::Commented(_, inner) => inner.bare(),
            other => other,
        }
    }

    fn comments(&self) -> &[String] {
        match self {
            Value::Commented(lines, _) => lines,
            _ => &[],
        }
    }
}

/// Writes `value` as a block-style YAML document body (no `---`), each line ending in `\n`.
pub fn render(value: &Value) -> String {
    let mut out = String::new();
    write_block(&mut out, value, 0);
    out
}

/// `s` as a YAML scalar: plain when every YAML 1.1 and 1.2 loader reads it back as this
/// exact string, double-quoted (with escapes) otherwise.
pub fn quote(s: &str) -> Cow<'_, str> {
    if needs_quotes(s) {
        Cow::Owned(double_quoted(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// A mapping key: as [`quote`], and also quoted when it contains a `:` (`qwen2.5:7b:` is
/// valid YAML but hard to read).
fn quote_key(s: &str) -> Cow<'_, str> {
    if s.contains(':') {
        Cow::Owned(double_quoted(s))
    } else {
        quote(s)
    }
}

/// The text that replaces the scalar written as `raw` with the string `value`, for fixes:
/// double-quoted when `raw` was quoted, or when plain text could be misread anywhere a
/// scalar may stand (a key, a flow collection: `:`, `,`, brackets and braces), plain
/// otherwise.
pub fn replacement(raw: &str, value: &str) -> String {
    let quoted = raw.starts_with(['"', '\''])
        || value.contains([':', ',', '[', ']', '{', '}'])
        || needs_quotes(value);
    if quoted {
        double_quoted(value)
    } else {
        value.to_string()
    }
}

/// The text that writes `new` in place of the scalar written as `old` at `range` of
/// `source`, keeping its quote style (fixes and the editor's rename): a plain scalar stays
/// plain when `new` is safe unquoted anywhere a scalar may stand, a quoted one keeps its
/// quotes (single quotes only while `new` has no character they cannot hold). `None` when
/// the text there is not `old` written plainly or in quotes (an alias, an escape).
pub fn rewrite_scalar(source: &str, range: TextRange, old: &str, new: &str) -> Option<String> {
    let text = source.get(range.start as usize..range.end as usize)?;
    if text == old {
        return Some(if is_plain_safe(new) {
            new.to_string()
        } else {
            double_quoted(new)
        });
    }
    if text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) == Some(old) {
        return Some(double_quoted(new));
    }
    if text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) == Some(old) {
        let single_safe = !new.chars().any(|c| c.is_control() || c == '\u{feff}');
        return Some(if single_safe {
            format!("'{}'", new.replace('\'', "''"))
        } else {
            double_quoted(new)
        });
    }
    None
}

/// Whether `s` reads back as the same string when written as a plain scalar, in block and
/// flow context alike and for YAML 1.1 and 1.2 loaders (a name such as `qwen2.5-coder:7b`).
fn is_plain_safe(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '+' | '@')
        })
        && !needs_quotes(s)
}

fn needs_quotes(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().last()) else {
        return true; // The empty string is null when plain.
    };
    // Leading or trailing spaces are dropped from plain scalars.
    first.is_whitespace() || last.is_whitespace()
        // Indicators that start something else: a sequence entry, a key, a flow collection,
        // a comment, an anchor, an alias, a tag, a block scalar, a quoted scalar, a
        // directive, or a reserved character.
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        // `: ` ends a key and ` #` starts a comment anywhere; a trailing `:` makes a key.
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        // Line breaks (YAML 1.1 also breaks lines at NEL, LS and PS), tabs, control
        // characters and the byte-order mark only survive inside double quotes.
        || s.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
        || reads_as_non_string(s)
}

/// Whether a YAML 1.1 or 1.2 loader could resolve the plain scalar `s` to null, a boolean, a
/// number, a date or a special key. Conservative: anything starting with a digit (or a sign
/// or dot before a digit) is quoted, which covers decimal, octal, hex, binary, sexagesimal
/// (`1:20`) and underscored (`1_000`) numbers and timestamps (`2025-10-19`).
fn reads_as_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "true", "false", "yes", "no", "y", "n", "on", "off", ".inf", "+.inf", "-.inf",
        ".nan", "=", "<<",
    ];
    let lower = s.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('+' | '.') => chars.next().is_some_and(|c| c.is_ascii_digit() || c == '.'),
        _ => false,
    }
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn scalar(value: &Value) -> Option<String> {
    Some(match value.bare() {
        Value::Str(s) => quote(s).into_owned(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float(*f),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        Value::Map(m) if m.is_empty() => "{}".to_string(),
        Value::Seq(s) if s.is_empty() => "[]".to_string(),
        _ => return None,
    })
}

/// A float that reads back as a float: `1.0`, not `1`; `.inf`, `.nan` as YAML spells them.
fn float(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_string()
    } else {
        let s = f.to_string();
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

fn comment_lines(out: &mut String, lines: &[String], indent: usize) {
    for line in lines {
        if line.is_empty() {
            out.push_str(&format!("{:indent$}#\n", ""));
        } else {
            out.push_str(&format!("{:indent$}# {line}\n", ""));
        }
    }
}

/// Appends one item of a block sequence whose `-` stands at `indent`, as [`render`] writes
/// it: for a writer that makes a long sequence's items one at a time rather than all first.
pub fn render_item(out: &mut String, item: &Value, indent: usize) {
    comment_lines(out, item.comments(), indent);
    match scalar(item) {
        Some(s) => out.push_str(&format!("{:indent$}- {s}\n", "")),
        None => {
            // The item's first line goes after `- `, the rest two columns in.
            let mut nested = String::new();
            write_block(&mut nested, item.bare(), indent + 2);
            let pad = " ".repeat(indent + 2);
            out.push_str(&format!("{:indent$}- ", ""));
            out.push_str(nested.strip_prefix(&pad).unwrap_or(&nested));
        }
    }
}

/// Writes a mapping's entries or a sequence's items at `indent`; a scalar on its own line.
fn write_block(out: &mut String, value: &Value, indent: usize) {
    comment_lines(out, value.comments(), indent);
    match value.bare() {
        Value::Map(entries) if !entries.is_empty() => {
            for (key, value) in entries {
                comment_lines(out, value.comments(), indent);
                let key = quote_key(key);
                match scalar(value) {
                    Some(s) => out.push_str(&format!("{:indent$}{key}: {s}\n", "")),
                    None => {
                        out.push_str(&format!("{:indent$}{key}:\n", ""));
                        write_block(out, value.bare(), indent + 2);
                    }
                }
            }
        }
        Value::Seq(items) if !items.is_empty() => {
            for item in items {
                render_item(out, item, indent);
            }
        }
        other => {
            if let Some(s) = scalar(other) {
                out.push_str(&format!("{:indent$}{s}\n", ""));
            }
        }
    }
}

#[cfg(test)]
mod tests;
