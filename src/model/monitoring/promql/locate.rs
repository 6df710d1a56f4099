//! Where a PromQL query goes wrong. promql-parser reports errors as bare messages (its LR
//! parser's positions stay inside it), so the position is found here: a lexer error at the
//! shortest prefix that gives the same error (or at the bracket or quote left open), a
//! syntax error at the first token after which no completion of the query parses, a type
//! error at the function it names.

use std::ops::Range;

use promql_parser::parser::{self, token};

use super::{tokens, Token};

/// Queries longer than this are checked, but a parse error is not searched for inside them
/// (the search parses prefixes of the query).
const MAX_LOCATE_LEN: usize = 4096;

/// promql-parser's message for every syntax error.
const SYNTAX_ERROR: &str = "invalid promql query";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ErrorKind {
    Lex,
    Syntax,
    Type,
}

/// A readable message, the range of `text` where the query goes wrong, and the kind of
/// error.
pub(super) fn locate(text: &str, message: &str) -> (String, Range<usize>, ErrorKind) {
    let whole = 0..text.len();
    let tokens = match parser::lexer(text) {
        Err(lex_message) if text.len() > MAX_LOCATE_LEN => {
            return (lex_message, whole, ErrorKind::Lex)
        }
        Err(lex_message) => {
            let at = locate_lex_error(text, &lex_message);
            return (lex_message, at, ErrorKind::Lex);
        }
        Ok(_) => tokens(text).unwrap_or_default(),
    };
    if message != SYNTAX_ERROR {
        // A type error names the function or operator it is about: point at it.
        let named = message.split('\'').nth(1).unwrap_or("");
        let at = tokens
            .iter()
            .find(|t| !named.is_empty() && &text[t.start..t.end] == named)
            .map_or(whole, |t| t.start..t.end);
        return (message.to_string(), at, ErrorKind::Type);
    }
    let Some(last) = tokens.last() else {
        return ("empty query".to_string(), whole, ErrorKind::Syntax);
    };
    if text.len() > MAX_LOCATE_LEN {
        return ("syntax error".to_string(), whole, ErrorKind::Syntax);
    }
    if viable(text, &tokens, tokens.len()) {
        let what = &text[last.start..last.end];
        return (
            format!("unexpected end of the query after `{what}`"),
            last.start..last.end,
            ErrorKind::Syntax,
        );
    }
    // The first token after which no completion parses (viability only shrinks as the
    // prefix grows, so a binary search finds it).
    let (mut low, mut high) = (1, tokens.len());
    while low < high {
        let mid = (low + high) / 2;
        if viable(text, &tokens, mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    let t = tokens[low - 1];
    (
        format!("unexpected `{}`", &text[t.start..t.end]),
        t.start..t.end,
        ErrorKind::Syntax,
    )
}

/// What may follow a prefix to complete it, before the brackets left open are closed.
const FILLERS: [&str; 12] = [
    "", " x", " 1", " \"a\"", "=\"a\"", " a=\"a\"", "5m", " 5m", "()", " (x)", "\"a\", x", "1, x",
];

/// Whether the first `k` tokens start some valid query: a completion of them parses, or
/// fails for a reason other than syntax.
fn viable(text: &str, tokens: &[Token], k: usize) -> bool {
    let prefix = &text[..tokens[k - 1].end];
    let mut open: Vec<char> = Vec::new();
    for t in &tokens[..k] {
        match t.id {
            token::T_LEFT_PAREN => open.push(')'),
            token::T_LEFT_BRACE => open.push('}'),
            token::T_LEFT_BRACKET => open.push(']'),
            token::T_RIGHT_PAREN | token::T_RIGHT_BRACE | token::T_RIGHT_BRACKET => {
                open.pop();
            }
            _ => {}
        }
    }
    let closers: String = open.iter().rev().collect();
    FILLERS.iter().any(|filler| {
        ["", " (x)"].iter().any(|tail| {
            let candidate = format!("{prefix}{filler}{closers}{tail}");
            !matches!(parser::parse(&candidate), Err(e) if e == SYNTAX_ERROR || parser::lexer(&candidate).is_err())
        })
    })
}

/// Where a lexer error is: at the bracket or quote left open for the errors found at the
/// end of the text, else at the character that made the shortest failing prefix fail.
fn locate_lex_error(text: &str, message: &str) -> Range<usize> {
    let open = open_brackets(text);
    let last_open = |c: char| {
        open.iter()
            .rev()
            .find(|(o, _)| *o == c)
            .map(|&(_, at)| at..at + 1)
    };
    let at_end = if message.contains("unclosed left parenthesis") {
        last_open('(')
    } else if message.contains("inside braces") && message.contains("end of input") {
        last_open('{')
    } else if message.contains("inside brackets") && message.contains("end of input") {
        last_open('[')
    } else if message.starts_with("unterminated quoted string") {
        open_quote(text).map(|at| at..at + 1)
    } else {
        None
    };
    if let Some(range) = at_end {
        return range;
    }
    // The same message appears for every prefix that includes the bad character, and for
    // none that stops before it.
    let boundaries: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    let fails = |end: usize| matches!(parser::lexer(&text[..end]), Err(m) if m == message);
    let (mut low, mut high) = (0, boundaries.len());
    while low < high {
        let mid = (low + high) / 2;
        if fails(boundaries[mid]) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    match boundaries.get(low) {
        Some(&end) => {
            let start = text[..end].char_indices().last().map_or(0, |(i, _)| i);
            start..end
        }
        None => 0..text.len(),
    }
}

/// The brackets still open at the end of the text (strings and comments skipped).
fn open_brackets(text: &str) -> Vec<(char, usize)> {
    let mut open = Vec::new();
    scan_code(text, |c, at| match c {
        '(' | '{' | '[' => open.push((c, at)),
        ')' | '}' | ']' => {
            open.pop();
        }
        _ => {}
    });
    open
}

/// The opening quote of a string left open at the end of the text.
fn open_quote(text: &str) -> Option<usize> {
    let mut quote: Option<(char, usize)> = None;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some((q, _)) if c == '\\' && q != '`' => {
                chars.next();
            }
            Some((q, _)) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some((c, i)),
            None => {}
        }
    }
    quote.map(|(_, at)| at)
}

/// Calls `f` with every character outside strings and comments.
fn scan_code(text: &str, mut f: impl FnMut(char, usize)) {
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if comment {
            comment = c != '\n';
            continue;
        }
        match quote {
            Some(q) if c == '\\' && q != '`' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if c == '#' => comment = true,
            None => f(c, i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::analyze;

    fn error_at(query: &str) -> (String, &str) {
        let e = analyze(query).error.expect("an error");
        (e.message, &query[e.range])
    }

    #[test]
    fn valid_queries_have_no_error() {
        for q in [
            "sum by (model) (rate(litellm_requests_metric_total{job=\"litellm\"}[5m]))",
            "histogram_quantile(0.95, sum(rate(x_bucket[5m])) by (le))",
            "rate(x[$__rate_interval])",
            "topk($n, sum by (model) (x))",
            "x{model=~\"$model\"} > $threshold",
            "",
        ] {
            if q.is_empty() {
                continue;
            }
            let a = analyze(q);
            assert!(a.error.is_none(), "{q}: {:?}", a.error);
        }
    }

    #[test]
    fn syntax_errors_point_at_the_token() {
        assert_eq!(
            error_at("sum(rate(x[5m])) by job"),
            ("unexpected `job`".to_string(), "job")
        );
        assert_eq!(
            error_at("x{a=\"b\"} and"),
            ("unexpected end of the query after `and`".to_string(), "and")
        );
        assert_eq!(error_at("sum(x) sum(y)").1, "sum");
    }

    #[test]
    fn lexer_errors_point_at_the_open_bracket_or_bad_character() {
        assert_eq!(
            error_at("sum(rate(x[5m])"),
            ("unclosed left parenthesis".to_string(), "(")
        );
        let (_, at) = error_at("sum(rate(x[5m])");
        assert_eq!(at, "(");
        let q = "rate(x[5m]) + sum(y";
        let e = analyze(q).error.unwrap();
        assert_eq!(e.range.start, q.rfind('(').unwrap());
        let q = "x{a=\"b\", c=\"d}";
        let e = analyze(q).error.unwrap();
        assert_eq!(e.range.start, q.rfind('"').unwrap());
        assert_eq!(error_at("x{a&\"b\"}").1, "&");
    }

    #[test]
    fn type_errors_point_at_the_function() {
        let (message, at) = error_at("1 + rate(x)");
        assert!(message.contains("rate"), "{message}");
        assert_eq!(at, "rate");
        assert_eq!(error_at("rat(x[5m])").1, "rat");
    }

    #[test]
    fn errors_that_a_variable_could_explain_are_not_reported() {
        assert!(analyze("$aggregation(x)").error.is_none());
        assert!(analyze("rate($metric)").error.is_none());
        // A syntax error away from every variable still is one.
        assert!(analyze("sum(x{a=\"$a\"}) by job").error.is_some());
    }
}
