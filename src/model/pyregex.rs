//! Routing patterns are Python regexes (the gateway's router runs them through `re`): this
//! module both checks them as Python's `re` accepts them and matches them as it matches.
//! Nothing else in aiblint compiles a routing pattern, so validation and matching cannot
//! disagree (a pattern with look-around is valid Python and must match like Python).
use super::formats::FormatError;

/// A routing pattern compiled for matching model names.
#[derive(Debug)]
pub struct Pattern {
    regex: fancy_regex::Regex,
}

impl Pattern {
    /// Compiles `pattern` when Python's `re` accepts it; `None` when it does not (`S107`
    /// reports those) or when it uses Python syntax the matcher cannot follow.
    pub fn compile(pattern: &str) -> Option<Pattern> {
        check(pattern).ok()?;
        let (translated, _) = translate(pattern, Target::Matching);
        let regex = fancy_regex::RegexBuilder::new(&translated)
            .backtrack_limit(100_000)
            .build()
            .ok()?;
        Some(Pattern { regex })
    }

    /// Whether the pattern matches anywhere in `name` (`re.search`). `None` when matching
    /// gave up (a catastrophic backtrack): the caller must not conclude either way.
    pub fn search(&self, name: &str) -> Option<bool> {
        self.regex.is_match(name).ok()
    }
}

/// Checks a routing pattern as Python's `re` (which the gateway uses) would accept it.
/// regex-syntax does the parsing; Python-only syntax is translated first (`\\Z`, `{,n}`,
/// `(?#...)`), patterns with look-around or back-references are accepted unchecked (regex
/// has neither), and syntax only Rust accepts is rejected (`\\p{..}`, a repeated repetition).
pub fn check(pattern: &str) -> Result<(), FormatError> {
    use regex_syntax::ast::{parse::Parser, Ast, ErrorKind};
    if pattern.contains("(?P=") {
        return Ok(()); // A named back-reference.
    }
    if let Some(at) = rust_named_group(pattern) {
        return Err(FormatError::at(
            "invalid pattern: Python's `re` writes named groups `(?P<name>...)`",
            at..at + 3,
        ));
    }
    let (translated, origin) = translate(pattern, Target::Syntax);
    let at = |r: std::ops::Range<usize>| {
        origin[r.start.min(origin.len() - 1)]..origin[r.end.min(origin.len() - 1)]
    };
    let ast = match Parser::new().parse(&translated) {
        Ok(ast) => ast,
        Err(e) => {
            if matches!(
                e.kind(),
                ErrorKind::UnsupportedLookAround | ErrorKind::UnsupportedBackreference
            ) {
                return Ok(());
            }
            let span = e.span();
            return Err(FormatError::at(
                format!("invalid pattern: {}", e.kind()),
                at(span.start.offset..span.end.offset),
            ));
        }
    };
    let mut stack = vec![&ast];
    while let Some(node) = stack.pop() {
        match node {
            Ast::Repetition(rep) => {
                if let Ast::Repetition(_) = &*rep.ast {
                    return Err(FormatError::at(
                        "invalid pattern: multiple repeat (Python's `re` rejects a repeated repetition)",
                        at(rep.op.span.start.offset..rep.op.span.end.offset),
                    ));
                }
                stack.push(&rep.ast);
            }
            Ast::Flags(flags) => {
                use regex_syntax::ast::{Flag, FlagsItemKind};
                let rust_only = flags.flags.items.iter().find(|item| {
                    matches!(item.kind, FlagsItemKind::Flag(Flag::SwapGreed | Flag::CRLF))
                });
                if let Some(item) = rust_only {
                    return Err(FormatError::at(
                        "invalid pattern: Python's `re` has no `U` or `R` flag",
                        at(item.span.start.offset..item.span.end.offset),
                    ));
                }
                if flags.span.start.offset != 0 {
                    return Err(FormatError::at(
                        "invalid pattern: global flags must be at the start of the pattern in Python's `re`",
                        at(flags.span.start.offset..flags.span.end.offset),
                    ));
                }
            }
            Ast::ClassUnicode(class) => {
                return Err(FormatError::at(
                    "invalid pattern: Python's `re` has no `\\p{..}` Unicode classes",
                    at(class.span.start.offset..class.span.end.offset),
                ));
            }
            Ast::Group(group) => stack.push(&group.ast),
            Ast::Alternation(alt) => stack.extend(alt.asts.iter()),
            Ast::Concat(concat) => stack.extend(concat.asts.iter()),
            _ => {}
        }
    }
    match regex_syntax::hir::translate::Translator::new().translate(&translated, &ast) {
        Ok(_) => Ok(()),
        Err(e) => {
            let span = e.span();
            Err(FormatError::at(
                format!("invalid pattern: {}", e.kind()),
                at(span.start.offset..span.end.offset),
            ))
        }
    }
}

/// The offset of a `(?<name>` group (regex-syntax's spelling), outside escapes and classes.
fn rust_named_group(pattern: &str) -> Option<usize> {
    let bytes = pattern.as_bytes();
    let mut i = 0;
    let mut in_class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'(' if !in_class
                && pattern[i..].starts_with("(?<")
                && !pattern[i..].starts_with("(?<=")
                && !pattern[i..].starts_with("(?<!") =>
            {
                return Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// What a translated pattern is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// regex-syntax's parser, which has no look-around: look-around becomes a plain group.
    Syntax,
    /// fancy-regex, which matches look-around and back-references as Python does.
    Matching,
}

/// Rewrites Python-only regex syntax into the Rust dialect of `target`, returning the new
/// pattern and, for each of its bytes (and its end), the byte offset in the original.
fn translate(pattern: &str, target: Target) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(pattern.len());
    let mut origin = Vec::with_capacity(pattern.len() + 1);
    let push = |out: &mut String, origin: &mut Vec<usize>, s: &str, from: usize| {
        out.push_str(s);
        origin.extend(std::iter::repeat_n(from, s.len()));
    };
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < pattern.len() {
        let rest = &pattern[i..];
        if rest.starts_with("\\Z") {
            push(&mut out, &mut origin, "\\z", i);
            i += 2;
        } else if rest.starts_with('\\') && rest.len() > 1 {
            let len = 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
            push(&mut out, &mut origin, &rest[..len], i);
            i += len;
        } else if let Some(len) = (target == Target::Syntax)
            .then(|| {
                ["(?<=", "(?<!", "(?=", "(?!"]
                    .iter()
                    .find(|p| rest.starts_with(**p))
            })
            .flatten()
            .map(|p| p.len())
        {
            // Look-around (Python has it, regex-syntax does not): checked as a plain group,
            // padded to the same length so offsets stay put (`(?<=` → `(?:=`).
            let group = if len == 4 { &"(?:=" } else { &"(?:" };
            push(&mut out, &mut origin, group, i);
            i += len;
        } else if rest.starts_with("(?#") {
            // A comment group: everything up to the next `)`.
            let end = rest.find(')').map_or(pattern.len(), |e| i + e + 1);
            push(&mut out, &mut origin, "(?:)", i);
            i = end;
        } else if rest.starts_with("{,") && i > 0 && bytes[i - 1] != b'\\' {
            push(&mut out, &mut origin, "{0,", i);
            i += 2;
        } else {
            let len = rest.chars().next().map_or(1, char::len_utf8);
            push(&mut out, &mut origin, &rest[..len], i);
            i += len;
        }
    }
    origin.push(pattern.len());
    (out, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes() {
        assert!(check("^qwen.*coder").is_ok());
        assert!(check("^(?!gpt).*").is_ok());
        let err = check("^llama(3.*").unwrap_err();
        assert_eq!(err.within, Some(6..7));
        let err = check("^a[z-a]").unwrap_err();
        assert_eq!(err.within, Some(3..6));
        // Python-only syntax is accepted; Rust-only syntax is not.
        for ok in [
            "^llama\\Z",
            "^a{,3}$",
            "^(?P<n>x)(?P=n)$",
            "(?#comment)x",
            "^x(?#c)(y",
        ] {
            let result = check(ok);
            if ok.ends_with("(y") {
                assert_eq!(result.unwrap_err().within, Some(7..8), "{ok}");
            } else {
                assert!(result.is_ok(), "{ok}: {result:?}");
            }
        }
        assert_eq!(check("^\\p{L}+$").unwrap_err().within, Some(1..6));
        // Look-around is accepted, and the rest of the pattern still checked.
        assert!(check("^(?!foo)bar(?<=r)").is_ok());
        assert_eq!(check("^(?!foo)(bar").unwrap_err().within, Some(8..9));
        assert_eq!(check("^(?<name>llama)").unwrap_err().within, Some(1..4));
        assert!(check("^(?P<name>llama)").is_ok());
        assert_eq!(check("(?U)a+").unwrap_err().within, Some(2..3));
        assert!(check("(?i)abc").is_ok());
        assert_eq!(check("^foo(?i)bar").unwrap_err().within, Some(4..8));
        assert_eq!(check("^a{2}{3}").unwrap_err().within, Some(5..8));
    }

    #[test]
    fn matching_follows_python() {
        let search = |p: &str, name: &str| Pattern::compile(p).unwrap().search(name).unwrap();
        // Look-ahead: `re.search(r"^claude-(?=sonnet|haiku)", ...)`.
        assert!(search("^claude-(?=sonnet|haiku)", "claude-sonnet-4"));
        assert!(!search("^claude-(?=sonnet|haiku)", "claude-opus-4"));
        assert!(search("^(?!gpt).*", "llama3"));
        assert!(!search("^(?!gpt).*", "gpt-4o"));
        assert!(search("(?<=qwen)2", "qwen2.5"));
        // Python's `\Z` is the end of the string; `{,n}` is `{0,n}`; `(?#...)` is a comment.
        assert!(search("coder\\Z", "qwen-coder"));
        assert!(!search("coder\\Z", "qwen-coder\n"));
        assert!(search("^a{,2}b", "aab"));
        assert!(search("^llama(?#family)3", "llama3"));
        // Named groups and named back-references.
        assert!(search("^(?P<x>ab)(?P=x)$", "abab"));
        assert!(!search("^(?P<x>ab)(?P=x)$", "abba"));
        // Searched anywhere, as `re.search` does.
        assert!(search("coder", "qwen2.5-coder:7b"));
        assert!(Pattern::compile("^llama(3.*").is_none());
    }
}
