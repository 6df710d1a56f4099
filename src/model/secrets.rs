//! Where a file holds secrets, and how they are shown: masked, in every output. The rules
//! that report literal secrets (`L310`, `G412`) decide with the tests below; every output
//! masks with [`Secrets`]: `lint` the diagnostics' words, `emit` the code frames, the
//! language server its hovers. Masking is generous: any literal value under a key that
//! names a secret is masked, reported or not (a rule may be off), and so is the password
//! of a URL.

use std::borrow::Cow;

use super::litellm::{env_reference, is_placeholder_key};
use super::SourceFile;
use crate::syntax::{Node, NodeKind};
use crate::text::TextRange;

/// The secrets a [`SourceFile`] was found to hold, found once: a check masks twice (the
/// diagnostics' words, then the frames).
#[derive(Clone, Debug, Default)]
pub(crate) struct Found(std::sync::OnceLock<Secrets>);

/// The secrets of one file: their ranges in its text and their values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Secrets {
    /// Sorted and disjoint.
    ranges: Vec<TextRange>,
    /// The secret values, longest first (so that a value is masked before a part of it).
    values: Vec<String>,
}

impl Secrets {
    /// The secrets written in `file`: found in its tree (what parsed), and by lines in its
    /// text (what a syntax error kept out of the tree). Found once per file and text.
    pub fn of(file: &SourceFile) -> Secrets {
        file.secrets
            .0
            .get_or_init(|| Secrets::in_text(&file.text, file.root()))
            .clone()
    }

    /// The secrets of `text`, whose tree (when it parsed) is `root`.
    pub fn in_text(text: &str, root: Option<&Node>) -> Secrets {
        let mut ranges = Vec::new();
        if let Some(root) = root {
            walk(root, None, 0, &mut ranges);
        }
        scan_lines(text, &mut ranges);
        ranges.retain(|r| r.end as usize <= text.len() && !r.is_empty());
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<TextRange> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let mut values: Vec<String> = merged
            .iter()
            .filter_map(|r| text.get(r.as_range()))
            // Shorter values are masked in frames only: as words they would mask common ones.
            .filter(|v| v.chars().count() >= 8)
            .map(str::to_string)
            .collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        values.dedup();
        Secrets {
            ranges: merged,
            values,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// `text` (the file's) with every secret masked: characters replaced one for one by
    /// characters of the same UTF-8 length, so that byte offsets, lines and columns stay
    /// right. The first four characters of a long secret stay, as in messages (they tell an
    /// `sk-p…` key from an `hf_Q…` token), except of a URL's password.
    pub fn mask_text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for r in &self.ranges {
            let (start, end) = (r.start as usize, r.end as usize);
            let (Some(before), Some(secret)) = (text.get(at..start), text.get(start..end)) else {
                continue;
            };
            out.push_str(before);
            // A URL's password shows nothing: its first characters are not a key's kind.
            let password = text[..start].ends_with(':') && text[end..].starts_with('@');
            let shown = if password { 0 } else { shown_prefix(secret) };
            for (i, c) in secret.chars().enumerate() {
                out.push(if i < shown { c } else { filler(c) });
            }
            at = end;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        Cow::Owned(out)
    }

    /// `words` (a message, a label, a hover) with every secret value replaced by its first
    /// four characters and `…`.
    /// The password of any URL in them is masked too, however short.
    pub fn mask_words<'w>(&self, words: &'w str) -> Cow<'w, str> {
        let found = self.values.iter().any(|v| words.contains(v.as_str()));
        let mut out = if found {
            let mut out = words.to_string();
            for value in &self.values {
                out = out.replace(value.as_str(), &masked_value(value));
            }
            Cow::Owned(out)
        } else {
            Cow::Borrowed(words)
        };
        let mut passwords = Vec::new();
        scan_urls(&out, 0, &mut passwords);
        if !passwords.is_empty() {
            let mut masked = String::with_capacity(out.len());
            let mut at = 0;
            for p in passwords {
                masked.push_str(&out[at..p.start as usize]);
                masked.push('…');
                at = p.end as usize;
            }
            masked.push_str(&out[at..]);
            out = Cow::Owned(masked);
        }
        out
    }
}

/// How many leading characters of a secret are shown: four of a long one, none of a short
/// one (as the literal-secret rules' labels do).
fn shown_prefix(secret: &str) -> usize {
    if secret.chars().nth(8).is_some() {
        4
    } else {
        0
    }
}

/// A secret as messages show it: `sk-p…`, or `…` when it is short.
pub fn masked_value(secret: &str) -> String {
    let shown: String = secret.chars().take(shown_prefix(secret)).collect();
    format!("{shown}…")
}

/// A character of the same UTF-8 length as `c` (and one column wide).
fn filler(c: char) -> char {
    match c.len_utf8() {
        1 => '*',
        2 => '·',
        3 => '•',
        _ => '\u{1D7CE}',
    }
}

/// A label for a literal secret that shows at most its first four characters.
pub fn secret_label(value: &str) -> String {
    if value.chars().nth(8).is_some() {
        format!("literal secret `{}`", masked_value(value))
    } else {
        "literal secret".to_string()
    }
}

// ----------------------------------------------------------------------------- detection

/// A key that names a secret in providers.yaml: `api_key`, `token`, `password`, `secret`,
/// or one ending in `_api_key`, `_token`, `_password`, `_secret`.
pub fn is_secret_key(key: &str) -> bool {
    ["api_key", "apikey", "token", "password", "secret"]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k))
        || ["_api_key", "_token", "_password", "_secret"]
            .iter()
            .any(|s| ends_with_ignore_case(key, s))
}

/// A LiteLLM settings key that holds a secret: `master_key`, `auth_value`, `database_url`,
/// anything with `api_key`, `password` or `secret`, or ending in `_token` (not
/// `max_tokens` and the like: counts of tokens are not secrets).
pub fn holds_secret(key: &str) -> bool {
    may_name_secret(key) && holds_secret_unfiltered(key)
}

fn holds_secret_unfiltered(key: &str) -> bool {
    if ["master_key", "auth_value", "database_url"]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k))
    {
        return true;
    }
    if ["api_key", "password", "secret"]
        .iter()
        .any(|w| contains_ignore_case(key, w))
    {
        return true;
    }
    // `access_token`, `auth_token`; not `max_tokens`, `token_url` or `tokenizer`.
    ends_with_ignore_case(key, "_token")
        && !contains_ignore_case(key, "max")
        && !contains_ignore_case(key, "count")
}

/// An environment variable whose name says it holds a key, password, secret or token.
pub fn env_name_holds_secret(name: &str) -> bool {
    may_name_secret(name) && env_name_holds_secret_unfiltered(name)
}

fn env_name_holds_secret_unfiltered(name: &str) -> bool {
    ["KEY", "PASSWORD", "SECRET", "TOKEN"].iter().any(|w| {
        ends_with_ignore_case(name, w)
            || name
                .as_bytes()
                .windows(w.len() + 1)
                .any(|at| at[..w.len()].eq_ignore_ascii_case(w.as_bytes()) && at[w.len()] == b'_')
    }) && !contains_ignore_case(name, "MAX_TOKEN")
}

/// Whether `key` holds one of the words every secret-naming key or variable name above holds
/// (`key`, `token`, `password`, `secret`, `auth_value`, `database_url`, in any case): the cheap
/// test before those, as most keys hold none.
fn may_name_secret(key: &str) -> bool {
    const fn letters(word: &[u8]) -> u32 {
        let mut mask = 0;
        let mut i = 0;
        while i < word.len() {
            if word[i].is_ascii_lowercase() {
                mask |= 1 << (word[i] - b'a');
            }
            i += 1;
        }
        mask
    }
    const WORDS: [u32; 6] = [
        letters(b"key"),
        letters(b"token"),
        letters(b"password"),
        letters(b"secret"),
        letters(b"auth_value"),
        letters(b"database_url"),
    ];
    // First the letters alone, without a branch per byte: most keys lack one of each word's.
    let present = key.bytes().fold(0u32, |mask, b| {
        let lower = b | 0x20;
        if lower.is_ascii_lowercase() {
            mask | 1 << (lower - b'a')
        } else {
            mask
        }
    });
    if WORDS.iter().all(|&word| present & word != word) {
        return false;
    }
    let bytes = key.as_bytes();
    (0..bytes.len()).any(|i| {
        let word: &[u8] = match bytes[i].to_ascii_lowercase() {
            b'k' => b"key",
            b't' => b"token",
            b'p' => b"password",
            b's' => b"secret",
            b'a' => b"auth_value",
            b'd' => b"database_url",
            _ => return false,
        };
        bytes[i..]
            .get(..word.len())
            .is_some_and(|at| at.eq_ignore_ascii_case(word))
    })
}

// Keys are compared without allocating: these run on every key of every file.
fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    let (text, suffix) = (text.as_bytes(), suffix.as_bytes());
    text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn contains_ignore_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|at| at.eq_ignore_ascii_case(word.as_bytes()))
}

/// Where `://` first is in `text`, found by its colon: a substring search sets up a searcher
/// at each call, and this runs on every scalar and line.
fn find_scheme_separator(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).find(|&i| bytes[i + 1..].starts_with(b"//"))
}

/// `postgresql://user:password@host/db` carries a password.
pub fn url_has_password(url: &str) -> bool {
    url_password(url).is_some()
}

/// The byte range of a URL's password (`scheme://user:PASSWORD@host`) within `url`.
fn url_password(url: &str) -> Option<std::ops::Range<usize>> {
    let separator = find_scheme_separator(url)?;
    let (scheme, rest) = (&url[..separator], &url[separator + 3..]);
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let authority_start = scheme.len() + 3;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    if password.is_empty() {
        return None;
    }
    let start = authority_start + userinfo.len() - password.len();
    Some(start..start + password.len())
}

/// A value that looks like a key: a known key prefix (`sk-`, `ghp_`, `hf_`, ...), or a
/// long random-looking token (20 characters or more of letters, digits and `-_.+/=`, with
/// both letters and digits).
pub fn looks_secret(value: &str) -> bool {
    let v = value.trim();
    if v.starts_with("os.environ/") || v.starts_with('$') || v.contains(['<', '{', ' ']) {
        return false;
    }
    const PREFIXES: [&str; 6] = ["sk-", "sk_", "ghp_", "github_pat_", "hf_", "xoxb-"];
    if PREFIXES
        .iter()
        .any(|p| v.len() > p.len() + 4 && v.starts_with(p))
    {
        return true;
    }
    v.chars().nth(19).is_some()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '/' | '='))
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && v.chars().any(|c| c.is_ascii_digit())
        && !v.starts_with('/')
        && super::formats::check_env_var(v).is_err()
}

/// Whether the value under a secret-named key is a literal (not a reference LiteLLM
/// resolves, not a placeholder for a server that needs no key, not a boolean or a number).
fn is_literal(value: &str) -> bool {
    let v = value.trim();
    // A URL is a secret only by its password (found on its own); `sk-1234` is LiteLLM's
    // public example key, which G412 names.
    v.chars().count() >= 4
        && !v.contains("://")
        && v != "sk-1234"
        && !v.starts_with("os.environ/")
        && !v.starts_with("oidc/")
        && !v.starts_with('$')
        && env_reference(v).is_none()
        && !is_placeholder_key(v)
        && !matches!(v.to_ascii_lowercase().as_str(), "true" | "false" | "null")
}

/// `top` is the top-level key the node is under (`None` at the root).
fn walk(node: &Node, top: Option<&str>, depth: usize, out: &mut Vec<TextRange>) {
    if depth > 64 {
        return;
    }
    match &node.kind {
        NodeKind::Mapping(entries) => {
            for entry in entries {
                let Some(key) = entry.key.scalar_text() else {
                    continue;
                };
                let named = is_secret_key(key)
                    || holds_secret(key)
                    || key == "env_var"
                    || (top == Some("environment_variables") && env_name_holds_secret(key));
                if named {
                    if let (NodeKind::Scalar(_), Some(value)) =
                        (&entry.value.kind, entry.value.as_str())
                    {
                        let secret = if key == "env_var" {
                            looks_secret(value)
                        } else {
                            is_literal(value)
                        };
                        if secret {
                            out.push(inner(&entry.value));
                        }
                    }
                }
                walk(&entry.value, top.or(Some(key)), depth + 1, out);
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                walk(item, top, depth + 1, out);
            }
        }
        NodeKind::Scalar(_) => {
            if let Some(value) = node.as_str() {
                if let Some(password) = url_password(value) {
                    let range = inner(node);
                    // Written plainly, the value's bytes are the source's.
                    let start = range.start as usize + password.start;
                    let end = range.start as usize + password.end;
                    if end <= range.end as usize {
                        out.push(TextRange::new(start, end));
                    }
                }
            }
        }
        NodeKind::Alias(_) => {}
    }
}

/// A scalar's range without its quotes.
fn inner(node: &Node) -> TextRange {
    let quoted = matches!(
        node.as_scalar().map(|s| s.style),
        Some(crate::syntax::ScalarStyle::SingleQuoted | crate::syntax::ScalarStyle::DoubleQuoted)
    );
    if quoted && node.range.len() >= 2 {
        TextRange::new(node.range.start as usize + 1, node.range.end as usize - 1)
    } else {
        node.range
    }
}

/// `key: value` lines whose key names a secret, and URL passwords, found in the text line by
/// line, for what a syntax error kept out of the tree.
fn scan_lines(text: &str, out: &mut Vec<TextRange>) {
    let mut offset = 0;
    // A lone carriage return ends a line too, as in the line index that places frames.
    for line in text.split_inclusive(['\n', '\r']) {
        let content = line.trim_end_matches(['\n', '\r']);
        let start = offset;
        offset += line.len();
        let body = content.trim_start_matches([' ', '-']).trim_start();
        let body_at = start + content.len() - body.len();
        if let Some((key, rest)) = body.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            let value = before_comment(rest).trim();
            let value_unquoted = value.trim_matches(['"', '\'']);
            if (is_secret_key(key) || holds_secret(key) || env_name_holds_secret(key))
                && is_literal(value_unquoted)
                && !value.starts_with(['[', '{', '|', '>', '&', '*'])
            {
                if let Some(i) = body.find(value_unquoted).filter(|&i| i > key.len()) {
                    out.push(TextRange::new(
                        body_at + i,
                        body_at + i + value_unquoted.len(),
                    ));
                }
            }
        }
        scan_urls(content, start, out);
    }
}

/// `rest` up to its first ` #` (a comment, roughly: this reads lines, not YAML).
fn before_comment(rest: &str) -> &str {
    let bytes = rest.as_bytes();
    rest.match_indices('#')
        .find(|&(i, _)| i > 0 && bytes[i - 1] == b' ')
        .map_or(rest, |(i, _)| &rest[..i - 1])
}

/// The passwords of the URLs in `content` (one line), as ranges shifted by `offset`.
fn scan_urls(content: &str, offset: usize, out: &mut Vec<TextRange>) {
    let mut from = 0;
    while let Some(i) = find_scheme_separator(&content[from..]) {
        // After the separator, which may be wider than a byte (U+2028 is whitespace).
        let word_start = content[..from + i]
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace() || "\"'`[{(,".contains(c))
            .map_or(0, |(j, c)| j + c.len_utf8());
        let word_end = content[from + i..]
            .find(|c: char| c.is_whitespace() || "\"'`]}),".contains(c))
            .map_or(content.len(), |j| from + i + j);
        if let Some(password) = url_password(&content[word_start..word_end]) {
            out.push(TextRange::new(
                offset + word_start + password.start,
                offset + word_start + password.end,
            ));
        }
        from = word_end.max(from + i + 3);
    }
}

#[cfg(test)]
mod tests;
