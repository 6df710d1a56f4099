//! `os.environ/NAME` references: where a config's strings are, and which references
//! LiteLLM would not resolve.

use super::is_comment_key;
use crate::syntax::{Node, NodeKind};

/// Calls `f` with every string scalar of a LiteLLM config and the keys that lead to it
/// (list items add no key), skipping keys written as comments (`'# master_key': ...`).
pub fn walk_strings<'n>(node: &'n Node, f: &mut impl FnMut(&[&'n str], &'n Node)) {
    fn go<'n>(
        node: &'n Node,
        path: &mut Vec<&'n str>,
        depth: usize,
        f: &mut impl FnMut(&[&'n str], &'n Node),
    ) {
        if depth > 64 {
            return;
        }
        match &node.kind {
            NodeKind::Scalar(_) if node.as_str().is_some() => f(path, node),
            NodeKind::Mapping(entries) => {
                for e in entries {
                    let Some(key) = e.key.scalar_text() else {
                        continue;
                    };
                    if is_comment_key(key) {
                        continue;
                    }
                    path.push(key);
                    go(&e.value, path, depth + 1, f);
                    path.pop();
                }
            }
            NodeKind::Sequence(items) => {
                for item in items {
                    go(item, path, depth + 1, f);
                }
            }
            // An alias's target is walked where it is defined.
            _ => {}
        }
    }
    go(node, &mut Vec::new(), 0, f);
}

/// What is wrong with a string meant to name an environment variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvProblem {
    /// `${NAME}` or `$NAME`, which LiteLLM never expands.
    ShellSyntax { name: String },
    /// `os.environ.NAME`, `os.environ[...]`, `os.getenv(...)`, or `os.environ/` with a
    /// name that no variable can have.
    Malformed { name: Option<String> },
}

/// Whether a whole string value is an environment reference LiteLLM does not resolve.
pub fn env_reference(value: &str) -> Option<EnvProblem> {
    let v = value.trim();
    let is_name = |n: &str| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if let Some(name) = v.strip_prefix("os.environ/") {
        if is_name(name) {
            return None;
        }
        let inner = name
            .trim_start_matches("${")
            .trim_start_matches('$')
            .trim_end_matches('}');
        return Some(EnvProblem::Malformed {
            name: is_name(inner).then(|| inner.to_string()),
        });
    }
    if let Some(inner) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        // `${NAME:-default}` and `${NAME-default}` name a variable too.
        let name = inner.split([':', '-']).next().unwrap_or("");
        if is_name(name) {
            return Some(EnvProblem::ShellSyntax {
                name: name.to_string(),
            });
        }
    }
    if let Some(name) = v.strip_prefix('$') {
        if is_name(name) && name.chars().any(|c| c.is_ascii_alphabetic()) {
            return Some(EnvProblem::ShellSyntax {
                name: name.to_string(),
            });
        }
    }
    for prefix in ["os.environ.", "os.environ[", "os.getenv("] {
        if let Some(rest) = v.strip_prefix(prefix) {
            let name = rest.trim_matches(|c: char| "\"'[]()".contains(c));
            return Some(EnvProblem::Malformed {
                name: is_name(name).then(|| name.to_string()),
            });
        }
    }
    None
}
