//! Grafana template variables in query text: finding `$name`, `${name}`, `${name:format}` and
//! `[[name]]`, and replacing them with PromQL placeholders so that the query can be parsed,
//! with a map from the replaced text back to the original.

use std::ops::Range;

/// One use of a template variable: its name (the part before any `.` or `:`) and the range
/// of the whole reference in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableUse {
    pub name: String,
    pub range: Range<usize>,
}

/// Whether Grafana defines the variable itself: the global variables (`$__interval`,
/// `$__rate_interval`, `$__range`, `${__user.login}`, ...: every `__` name is reserved) and
/// the older `$interval` and `$timeFilter`.
pub fn is_builtin(name: &str) -> bool {
    name.starts_with("__") || matches!(name, "interval" | "timeFilter")
}

/// Every variable reference in `text`, in order.
pub fn variable_uses(text: &str) -> Vec<VariableUse> {
    let bytes = text.as_bytes();
    let mut uses = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let found = match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let close = text[i + 2..].find('}').map(|j| i + 2 + j);
                close.and_then(|end| {
                    let inner = &text[i + 2..end];
                    let name = inner.split([':', '.']).next().unwrap_or("");
                    is_name(name).then(|| (name.to_string(), end + 1))
                })
            }
            b'$' => {
                let len = word_len(&bytes[i + 1..]);
                (len > 0).then(|| (text[i + 1..i + 1 + len].to_string(), i + 1 + len))
            }
            b'[' if bytes.get(i + 1) == Some(&b'[') => {
                let close = text[i + 2..].find("]]").map(|j| i + 2 + j);
                close.and_then(|end| {
                    let inner = &text[i + 2..end];
                    let name = inner.split([':', '.']).next().unwrap_or("");
                    is_name(name).then(|| (name.to_string(), end + 2))
                })
            }
            _ => None,
        };
        match found {
            Some((name, end)) => {
                uses.push(VariableUse {
                    name,
                    range: i..end,
                });
                i = end;
            }
            None => i += 1,
        }
    }
    uses
}

fn word_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count()
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && word_len(name.as_bytes()) == name.len()
}

/// What a variable outside strings and ranges stands for while parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placeholder {
    /// An identifier: a metric, a label name, a vector.
    Vector,
    /// A number, for variables used as scalars (`topk($n, ...)`, `> $threshold`).
    Scalar,
}

/// The identifier that stands for a variable in vector position.
pub const VECTOR_PLACEHOLDER: &str = "__grafana_var__";

/// A query with its variables replaced.
#[derive(Clone, Debug)]
pub struct Substituted {
    pub text: String,
    /// For each byte of `text`, the range of original text it stands for: one character, or
    /// the whole variable reference for a placeholder.
    origin: Vec<(usize, usize)>,
    /// The placeholders, as ranges of `text`.
    pub placeholders: Vec<Range<usize>>,
}

impl Substituted {
    /// The original range that `range` of the replaced text came from.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        let Some(&(_, text_end)) = self.origin.last() else {
            return 0..0;
        };
        let Some(&(start, _)) = self.origin.get(range.start) else {
            return text_end..text_end;
        };
        let end = if range.end > range.start {
            self.origin[(range.end - 1).min(self.origin.len() - 1)].1
        } else {
            start
        };
        start..end.max(start)
    }

    /// Whether `range` of the replaced text touches a placeholder.
    pub fn touches_placeholder(&self, range: &Range<usize>) -> bool {
        self.placeholders
            .iter()
            .any(|p| p.start < range.end.max(range.start + 1) && range.start < p.end)
    }
}

/// Replaces every variable of `query`: inside a string it stays (PromQL strings may hold
/// `$`), inside `[...]` or after `offset` it becomes a duration, elsewhere `placeholder`.
pub fn substitute(query: &str, placeholder: Placeholder) -> Substituted {
    let uses = variable_uses(query);
    let contexts = contexts(query);
    let mut out = Substituted {
        text: String::with_capacity(query.len()),
        origin: Vec::with_capacity(query.len()),
        placeholders: Vec::new(),
    };
    let copy = |out: &mut Substituted, from: usize, to: usize| {
        for (i, c) in query[from..to].char_indices() {
            let at = from + i;
            out.text.push(c);
            out.origin
                .extend(std::iter::repeat_n((at, at + c.len_utf8()), c.len_utf8()));
        }
    };
    let mut at = 0;
    for var in uses {
        let context = contexts
            .get(var.range.start)
            .copied()
            .unwrap_or(Context::Code);
        if context == Context::String {
            continue;
        }
        copy(&mut out, at, var.range.start);
        let replacement = match (context, placeholder) {
            (Context::Duration, _) => "5m",
            (_, Placeholder::Vector) => VECTOR_PLACEHOLDER,
            (_, Placeholder::Scalar) => "1",
        };
        let start = out.text.len();
        out.text.push_str(replacement);
        out.origin.extend(std::iter::repeat_n(
            (var.range.start, var.range.end),
            replacement.len(),
        ));
        out.placeholders.push(start..out.text.len());
        at = var.range.end;
    }
    copy(&mut out, at, query.len());
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    Code,
    String,
    /// Inside `[...]` or right after `offset`.
    Duration,
}

/// The PromQL context of every byte: in a string literal, in a range or offset, or code.
fn contexts(query: &str) -> Vec<Context> {
    let bytes = query.as_bytes();
    let mut out = vec![Context::Code; bytes.len()];
    let mut quote: Option<u8> = None;
    let mut brackets = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            out[i] = Context::String;
            if b == b'\\' && q != b'`' && i + 1 < bytes.len() {
                out[i + 1] = Context::String;
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'\'' | b'`' => {
                quote = Some(b);
                out[i] = Context::String;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = Context::String;
                    i += 1;
                }
                continue;
            }
            b'[' => brackets += 1,
            b']' => brackets = brackets.saturating_sub(1),
            _ => {
                let before = &query.as_bytes()[i.saturating_sub(32)..i];
                let after_offset = b == b'$' && before.trim_ascii_end().ends_with(b"offset");
                if brackets > 0 || after_offset {
                    out[i] = Context::Duration;
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_reference_form() {
        let text = "rate(x{a=\"$job\", b=~\"${model:regex}\"}[$__rate_interval]) by ([[group]]) $ 5 ${__user.login}";
        let names: Vec<(String, &str)> = variable_uses(text)
            .into_iter()
            .map(|u| (u.name, &text[u.range]))
            .collect();
        assert_eq!(
            names,
            vec![
                ("job".to_string(), "$job"),
                ("model".to_string(), "${model:regex}"),
                ("__rate_interval".to_string(), "$__rate_interval"),
                ("group".to_string(), "[[group]]"),
                ("__user".to_string(), "${__user.login}"),
            ]
        );
        assert!(is_builtin("__rate_interval") && is_builtin("timeFilter"));
        assert!(!is_builtin("job"));
    }

    #[test]
    fn placeholders_by_context_with_a_map_back() {
        let q = "sum by ($g) (rate(m{job=\"$job\"}[$__rate_interval] offset $o)) > $t";
        let s = substitute(q, Placeholder::Vector);
        assert_eq!(
            s.text,
            "sum by (__grafana_var__) (rate(m{job=\"$job\"}[5m] offset 5m)) > __grafana_var__"
        );
        let at = s.text.find("5m]").unwrap();
        assert_eq!(&q[s.original(at..at + 2)], "$__rate_interval");
        let m = s.text.find("m{").unwrap();
        assert_eq!(&q[s.original(m..m + 1)], "m");
        assert!(s.touches_placeholder(&(at..at + 1)));
        assert!(!s.touches_placeholder(&(m..m + 1)));
        let scalar = substitute("topk($n, x)", Placeholder::Scalar);
        assert_eq!(scalar.text, "topk(1, x)");
    }
}
