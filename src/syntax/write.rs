//! Writing a scalar back into YAML source: the text that replaces one scalar with another
//! value while keeping its quote style (shared by fixes and the editor's rename).

use super::{Scalar, ScalarStyle, Value};
use crate::text::TextRange;

/// The text that writes `new` in place of the scalar at `range`, keeping its quote style: a
/// plain scalar stays plain when `new` is safe unquoted, a quoted one keeps its quotes.
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
        return Some(format!("'{}'", new.replace('\'', "''")));
    }
    None
}

fn double_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Whether `s` reads back as the same string when written as a plain scalar, in block and
/// flow context alike.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let plain = Scalar {
        value: s.to_string(),
        style: ScalarStyle::Plain,
        tag: None,
    };
    (first.is_ascii_alphanumeric() || first == '_')
        && !s.ends_with(':')
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '+' | '@')
        })
        && matches!(plain.resolve(), Value::Str(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_safety() {
        assert!(is_plain_safe("vllm-qwen"));
        assert!(is_plain_safe("qwen2.5-coder:7b"));
        assert!(is_plain_safe("Qwen/Qwen2.5-Coder-14B-Instruct-AWQ"));
        assert!(!is_plain_safe("1.5"));
        assert!(!is_plain_safe("true"));
        assert!(!is_plain_safe("null"));
        assert!(!is_plain_safe("a b"));
        assert!(!is_plain_safe("a:"));
        assert!(!is_plain_safe(""));
    }

    #[test]
    fn replacements_keep_the_quote_style() {
        let src = "a: vllm-qwn\nb: \"vllm-qwn\"\nc: 'vllm-qwn'\nd: *x\n";
        let at = |needle: &str| {
            let start = src.find(needle).unwrap();
            TextRange::new(start, start + needle.len())
        };
        let r = |needle| rewrite_scalar(src, at(needle), "vllm-qwn", "vllm-qwen");
        assert_eq!(
            rewrite_scalar(src, TextRange::new(3, 11), "vllm-qwn", "vllm-qwen").as_deref(),
            Some("vllm-qwen")
        );
        assert_eq!(r("\"vllm-qwn\"").as_deref(), Some("\"vllm-qwen\""));
        assert_eq!(r("'vllm-qwn'").as_deref(), Some("'vllm-qwen'"));
        assert_eq!(rewrite_scalar(src, at("*x"), "vllm-qwn", "vllm-qwen"), None);
        assert_eq!(
            rewrite_scalar(src, TextRange::new(3, 11), "vllm-qwn", "1.0").as_deref(),
            Some("\"1.0\"")
        );
    }
}
