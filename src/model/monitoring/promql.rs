//! PromQL through the `promql-parser` crate, with the positions it does not give: where a
//! query fails to parse, and the range of every metric name, label matcher and `by` label.
//! Grafana variables are replaced before parsing (see `template`); every range is in the
//! query's own text.
//!
//! The crate reports errors as bare messages (its LR parser's positions stay inside it), so
//! the position is found here: a lexer error at the shortest prefix that gives the same
//! error (or at the bracket or quote left open), a syntax error at the first token after
//! which no completion of the query parses, a type error at the function it names.

use std::collections::BTreeSet;
use std::ops::Range;

use lrpar::{Lexeme, Lexer};
use promql_parser::parser::token::{self, TokenId};
use promql_parser::parser::value::ValueType;
use promql_parser::parser::{self, Expr, LabelModifier, VectorMatchCardinality};

use super::template::{self, Placeholder, Substituted, VariableUse};

/// Queries longer than this are checked, but a parse error is not searched for inside them
/// (the search parses prefixes of the query).
const MAX_LOCATE_LEN: usize = 4096;

/// Queries longer than this are not analysed at all: real ones are a few hundred bytes, and
/// the parser's tree (and the walks over it) grow as deep as the query is long.
pub const MAX_QUERY_LEN: usize = 8192;

/// How deep the walks over a query's tree go: deeper subtrees are not looked into (their
/// labels are unknown), which keeps the walks' stack bounded.
const MAX_WALK_DEPTH: usize = 128;

/// promql-parser's message for every syntax error.
const SYNTAX_ERROR: &str = "invalid promql query";

/// What a query holds, with ranges into its text.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub error: Option<QueryError>,
    pub selectors: Vec<Selector>,
    /// `by (...)` clauses of aggregations, with what flows into them.
    pub groupings: Vec<Grouping>,
    pub variables: Vec<VariableUse>,
}

impl Analysis {
    /// The same analysis for a query that starts `offset` bytes into a longer text.
    pub fn shifted(mut self, offset: usize) -> Analysis {
        let shift = |r: &mut Range<usize>| *r = r.start + offset..r.end + offset;
        if let Some(e) = &mut self.error {
            shift(&mut e.range);
        }
        for s in &mut self.selectors {
            if let Some(n) = &mut s.name {
                shift(&mut n.range);
            }
            for m in &mut s.matchers {
                shift(&mut m.label.range);
                shift(&mut m.value.range);
            }
        }
        for l in self.groupings.iter_mut().flat_map(|g| &mut g.labels) {
            shift(&mut l.range);
        }
        for v in &mut self.variables {
            shift(&mut v.range);
        }
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    pub range: Range<usize>,
}

/// A name in the query; `templated` when a Grafana variable is part of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub range: Range<usize>,
    pub templated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchOp {
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

/// `label op "value"`; the value's range covers its quotes.
#[derive(Clone, Debug)]
pub struct Matcher {
    pub label: Name,
    pub op: MatchOp,
    pub value: Name,
}

/// A vector selector: `name{matchers}`.
#[derive(Clone, Debug)]
pub struct Selector {
    pub name: Option<Name>,
    pub matchers: Vec<Matcher>,
}

impl Selector {
    /// The metric selected: the name, or an exact `__name__` matcher.
    pub fn metric(&self) -> Option<&Name> {
        self.name.as_ref().or_else(|| {
            self.matchers
                .iter()
                .find(|m| m.label.text == "__name__" && m.op == MatchOp::Equal)
                .map(|m| &m.value)
        })
    }
}

/// The labels of an aggregation's `by` clause and the expression they group.
#[derive(Clone, Debug)]
pub struct Grouping {
    pub labels: Vec<Name>,
    pub inner: LabelFlow,
}

/// How labels flow through an expression: enough to tell which labels a `by` clause can
/// find. Where the flow is not known, it is `Unknown`, and nothing is concluded.
#[derive(Clone, Debug, PartialEq)]
pub enum LabelFlow {
    /// A selector of this metric.
    Metric(String),
    /// No labels: numbers, strings, aggregations without `by`.
    Nothing,
    /// Exactly these labels: an aggregation `by` them, a match `on` them.
    Exactly(Vec<String>),
    Unknown,
    Plus(Box<LabelFlow>, Vec<String>),
    Minus(Box<LabelFlow>, Vec<String>),
    Union(Box<LabelFlow>, Box<LabelFlow>),
}

impl LabelFlow {
    /// The labels the expression's series may carry, given each metric's labels (`None`:
    /// unknown).
    pub fn labels(
        &self,
        metric: &dyn Fn(&str) -> Option<BTreeSet<String>>,
    ) -> Option<BTreeSet<String>> {
        match self {
            LabelFlow::Metric(name) => metric(name),
            LabelFlow::Nothing => Some(BTreeSet::new()),
            LabelFlow::Exactly(labels) => Some(labels.iter().cloned().collect()),
            LabelFlow::Unknown => None,
            LabelFlow::Plus(inner, added) => {
                let mut labels = inner.labels(metric)?;
                labels.extend(added.iter().cloned());
                Some(labels)
            }
            LabelFlow::Minus(inner, removed) => {
                let mut labels = inner.labels(metric)?;
                for label in removed {
                    labels.remove(label);
                }
                Some(labels)
            }
            LabelFlow::Union(a, b) => {
                let mut labels = a.labels(metric)?;
                labels.extend(b.labels(metric)?);
                Some(labels)
            }
        }
    }
}

/// Parses `query` and locates what it holds.
pub fn analyze(query: &str) -> Analysis {
    if query.len() > MAX_QUERY_LEN {
        return Analysis::default();
    }
    let variables = template::variable_uses(query);
    let attempt = |placeholder| {
        let substituted = template::substitute(query, placeholder);
        let result = parser::parse(&substituted.text);
        (substituted, result)
    };
    let (mut substituted, mut result) = attempt(Placeholder::Vector);
    if result.is_err() && !variables.is_empty() {
        let (scalar, scalar_result) = attempt(Placeholder::Scalar);
        if scalar_result.is_ok() {
            (substituted, result) = (scalar, scalar_result);
        }
    }
    let mut analysis = Analysis {
        variables,
        ..Analysis::default()
    };
    match result {
        Ok(expr) => {
            let tokens = tokens(&substituted.text).unwrap_or_default();
            let (selectors, clauses) = scan(&substituted, &tokens);
            analysis.selectors = selectors;
            analysis.groupings = groupings(&expr, clauses);
        }
        Err(message) => {
            let (message, range, kind) = locate(&substituted.text, &message);
            // A variable may stand for what makes the query valid: with variables, only a
            // syntax error away from all of them is certain (a type error may come from a
            // placeholder of the wrong type).
            let certain = analysis.variables.is_empty()
                || (!substituted.touches_placeholder(&range) && kind != ErrorKind::Type);
            if certain {
                analysis.error = Some(QueryError {
                    message,
                    range: substituted.original(range),
                });
            }
        }
    }
    analysis
}

#[derive(Clone, Copy, Debug)]
struct Token {
    id: TokenId,
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Option<Vec<Token>> {
    let lexer = parser::lexer(text).ok()?;
    let tokens = lexer
        .iter()
        .filter_map(Result::ok)
        .map(|l| {
            let span = l.span();
            Token {
                id: l.tok_id(),
                start: span.start(),
                end: span.end(),
            }
        })
        .filter(|t| t.id != token::T_EOF)
        .collect();
    Some(tokens)
}

// ---------------------------------------------------------------- names and their ranges

/// A `by`/`without`/`on`/... clause found in the tokens.
struct Clause {
    keyword: TokenId,
    labels: Vec<Name>,
}

fn name_at(s: &Substituted, t: &Token) -> Name {
    Name {
        text: s.text[t.start..t.end].to_string(),
        range: s.original(t.start..t.end),
        templated: s.touches_placeholder(&(t.start..t.end)),
    }
}

/// The selectors and grouping clauses of a query that parsed, from its tokens.
fn scan(s: &Substituted, tokens: &[Token]) -> (Vec<Selector>, Vec<Clause>) {
    use token::*;
    let mut selectors = Vec::new();
    let mut clauses = Vec::new();
    let id_at = |i: usize| tokens.get(i).map(|t| t.id);
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        match t.id {
            T_IDENTIFIER | T_METRIC_IDENTIFIER => {
                if id_at(i + 1) == Some(T_LEFT_PAREN) {
                    i += 1; // a function call
                    continue;
                }
                let mut selector = Selector {
                    name: Some(name_at(s, &t)),
                    matchers: Vec::new(),
                };
                i += 1;
                if id_at(i) == Some(T_LEFT_BRACE) {
                    i = matchers(s, tokens, i + 1, &mut selector.matchers);
                }
                selectors.push(selector);
            }
            T_LEFT_BRACE => {
                let mut selector = Selector {
                    name: None,
                    matchers: Vec::new(),
                };
                i = matchers(s, tokens, i + 1, &mut selector.matchers);
                selectors.push(selector);
            }
            T_BY | T_WITHOUT | T_ON | T_IGNORING | T_GROUP_LEFT | T_GROUP_RIGHT
                if id_at(i + 1) == Some(T_LEFT_PAREN) =>
            {
                let mut labels = Vec::new();
                i += 2;
                while i < tokens.len() && tokens[i].id != T_RIGHT_PAREN {
                    if tokens[i].id != T_COMMA {
                        labels.push(name_at(s, &tokens[i]));
                    }
                    i += 1;
                }
                clauses.push(Clause {
                    keyword: t.id,
                    labels,
                });
            }
            _ => i += 1,
        }
    }
    (selectors, clauses)
}

/// Reads `label op "value"` pairs from `i` (just after `{`) to the closing brace; returns
/// the index after it.
fn matchers(s: &Substituted, tokens: &[Token], mut i: usize, out: &mut Vec<Matcher>) -> usize {
    use token::*;
    while i < tokens.len() && tokens[i].id != T_RIGHT_BRACE {
        let (Some(label), Some(op), Some(value)) =
            (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
        else {
            return tokens.len();
        };
        let op = match op.id {
            T_EQL => MatchOp::Equal,
            T_NEQ => MatchOp::NotEqual,
            T_EQL_REGEX => MatchOp::Regex,
            T_NEQ_REGEX => MatchOp::NotRegex,
            _ => {
                i += 1;
                continue;
            }
        };
        let raw = &s.text[value.start..value.end];
        let text = promql_parser::util::unquote_string(raw).unwrap_or_else(|_| raw.to_string());
        out.push(Matcher {
            label: name_at(s, label),
            op,
            value: Name {
                templated: text.contains('$') || s.touches_placeholder(&(value.start..value.end)),
                text,
                range: s.original(value.start..value.end),
            },
        });
        i += 3;
        if tokens.get(i).map(|t| t.id) == Some(T_COMMA) {
            i += 1;
        }
    }
    i + 1
}

// ---------------------------------------------------------------- label flow

/// Pairs each aggregation `by` clause of the tree with its clause in the text (by label
/// list; the tree and the text may order nested clauses differently).
fn groupings(expr: &Expr, clauses: Vec<Clause>) -> Vec<Grouping> {
    let mut found = Vec::new();
    aggregations(expr, 0, &mut found);
    let mut clauses: Vec<Option<Clause>> = clauses
        .into_iter()
        .filter(|c| c.keyword == token::T_BY)
        .map(Some)
        .collect();
    let mut out = Vec::new();
    for (labels, inner) in found {
        let mut wanted = labels.clone();
        wanted.sort();
        let slot = clauses.iter_mut().find(|c| {
            c.as_ref().is_some_and(|c| {
                let mut have: Vec<&str> = c.labels.iter().map(|l| l.text.as_str()).collect();
                have.sort_unstable();
                have == wanted
            })
        });
        if let Some(clause) = slot.and_then(Option::take) {
            out.push(Grouping {
                labels: clause.labels,
                inner,
            });
        }
    }
    out
}

/// Every aggregation with a `by` clause: its labels and the flow of its operand.
fn aggregations(expr: &Expr, depth: usize, out: &mut Vec<(Vec<String>, LabelFlow)>) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    let deeper = depth + 1;
    match expr {
        Expr::Aggregate(a) => {
            if let Some(LabelModifier::Include(labels)) = &a.modifier {
                out.push((labels.labels.clone(), flow_at(&a.expr, deeper)));
            }
            if let Some(param) = &a.param {
                aggregations(param, deeper, out);
            }
            aggregations(&a.expr, deeper, out);
        }
        Expr::Unary(u) => aggregations(&u.expr, deeper, out),
        Expr::Binary(b) => {
            aggregations(&b.lhs, deeper, out);
            aggregations(&b.rhs, deeper, out);
        }
        Expr::Paren(p) => aggregations(&p.expr, deeper, out),
        Expr::Subquery(q) => aggregations(&q.expr, deeper, out),
        Expr::Call(c) => c
            .args
            .args
            .iter()
            .for_each(|a| aggregations(a, deeper, out)),
        _ => {}
    }
}

fn string_arg(args: &[Box<Expr>], i: usize) -> Option<String> {
    match args.get(i).map(|a| a.as_ref()) {
        Some(Expr::StringLiteral(s)) => Some(s.val.clone()),
        _ => None,
    }
}

/// The labels an expression's series carry, as a flow over its metrics.
pub fn flow(expr: &Expr) -> LabelFlow {
    flow_at(expr, 0)
}

fn flow_at(expr: &Expr, depth: usize) -> LabelFlow {
    use token::*;
    if depth > MAX_WALK_DEPTH {
        return LabelFlow::Unknown;
    }
    let flow = |e: &Expr| flow_at(e, depth + 1);
    match expr {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => LabelFlow::Nothing,
        Expr::Unary(u) => flow(&u.expr),
        Expr::Paren(p) => flow(&p.expr),
        Expr::Subquery(q) => flow(&q.expr),
        Expr::VectorSelector(v) => selector_flow(v),
        Expr::MatrixSelector(m) => selector_flow(&m.vs),
        Expr::Aggregate(a) => {
            let op = a.op.id();
            if matches!(op, T_TOPK | T_BOTTOMK | T_LIMITK | T_LIMIT_RATIO) {
                return flow(&a.expr);
            }
            let mut by = match &a.modifier {
                Some(LabelModifier::Include(labels)) => labels.labels.clone(),
                Some(LabelModifier::Exclude(labels)) => {
                    return LabelFlow::Minus(Box::new(flow(&a.expr)), labels.labels.clone())
                }
                None => Vec::new(),
            };
            if op == T_COUNT_VALUES {
                match a.param.as_deref() {
                    Some(Expr::StringLiteral(s)) => by.push(s.val.clone()),
                    _ => return LabelFlow::Unknown,
                }
            }
            LabelFlow::Exactly(by)
        }
        Expr::Call(c) => {
            let args = &c.args.args;
            match c.func.name {
                "label_replace" | "label_join" => match (args.first(), string_arg(args, 1)) {
                    (Some(v), Some(dst)) => LabelFlow::Plus(Box::new(flow(v)), vec![dst]),
                    _ => LabelFlow::Unknown,
                },
                "histogram_quantile" => match args.get(1) {
                    Some(v) => LabelFlow::Minus(Box::new(flow(v)), vec!["le".to_string()]),
                    None => LabelFlow::Unknown,
                },
                "absent" | "absent_over_time" | "info" => LabelFlow::Unknown,
                _ if c.func.return_type == ValueType::Scalar => LabelFlow::Nothing,
                "vector" | "time" => LabelFlow::Nothing,
                _ => args
                    .iter()
                    .find(|a| matches!(a.value_type(), ValueType::Vector | ValueType::Matrix))
                    .map_or(LabelFlow::Nothing, |a| flow(a)),
            }
        }
        Expr::Binary(b) => {
            let (lhs, rhs) = (flow(&b.lhs), flow(&b.rhs));
            let scalar = |e: &Expr| e.value_type() == ValueType::Scalar;
            if scalar(&b.lhs) {
                return rhs;
            }
            if scalar(&b.rhs) {
                return lhs;
            }
            let op = b.op.id();
            if op == T_LOR {
                return LabelFlow::Union(Box::new(lhs), Box::new(rhs));
            }
            if matches!(op, T_LAND | T_LUNLESS) {
                return lhs;
            }
            let Some(modifier) = &b.modifier else {
                return lhs;
            };
            let filter = b.op.is_comparison_operator() && !modifier.return_bool;
            match &modifier.card {
                VectorMatchCardinality::ManyToOne(include) => {
                    LabelFlow::Plus(Box::new(lhs), include.labels.clone())
                }
                VectorMatchCardinality::OneToMany(include) => {
                    LabelFlow::Plus(Box::new(rhs), include.labels.clone())
                }
                _ if filter => lhs,
                _ => match &modifier.matching {
                    Some(LabelModifier::Include(on)) => LabelFlow::Exactly(on.labels.clone()),
                    Some(LabelModifier::Exclude(ignoring)) => {
                        LabelFlow::Minus(Box::new(lhs), ignoring.labels.clone())
                    }
                    None => lhs,
                },
            }
        }
        _ => LabelFlow::Unknown,
    }
}

fn selector_flow(v: &promql_parser::parser::VectorSelector) -> LabelFlow {
    let name = v.name.clone().or_else(|| {
        v.matchers
            .matchers
            .iter()
            .find(|m| m.name == "__name__" && matches!(m.op, promql_parser::label::MatchOp::Equal))
            .map(|m| m.value.clone())
    });
    match name {
        Some(name) if !name.contains(template::VECTOR_PLACEHOLDER) => LabelFlow::Metric(name),
        _ => LabelFlow::Unknown,
    }
}

// ---------------------------------------------------------------- error positions

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ErrorKind {
    Lex,
    Syntax,
    Type,
}

/// A readable message, the range of `text` where the query goes wrong, and the kind of
/// error.
fn locate(text: &str, message: &str) -> (String, Range<usize>, ErrorKind) {
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
    use super::*;

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

    #[test]
    fn selectors_matchers_and_groupings_with_ranges() {
        let q = "sum by (model, job) (rate(litellm_requests_metric_total{job=\"litellm\", status_code=~\"5..\"}[5m])) / on (job) vllm:num_requests_running{engine!=\"1\"}";
        let a = analyze(q);
        let names: Vec<&str> = a
            .selectors
            .iter()
            .map(|s| &q[s.name.as_ref().unwrap().range.clone()])
            .collect();
        assert_eq!(
            names,
            vec!["litellm_requests_metric_total", "vllm:num_requests_running"]
        );
        let m = &a.selectors[0].matchers[1];
        assert_eq!(
            (&q[m.label.range.clone()], m.op, m.value.text.as_str()),
            ("status_code", MatchOp::Regex, "5..")
        );
        assert_eq!(&q[m.value.range.clone()], "\"5..\"");
        assert_eq!(a.groupings.len(), 1);
        let labels: Vec<&str> = a.groupings[0]
            .labels
            .iter()
            .map(|l| &q[l.range.clone()])
            .collect();
        assert_eq!(labels, vec!["model", "job"]);
        assert_eq!(
            a.groupings[0].inner,
            LabelFlow::Metric("litellm_requests_metric_total".to_string())
        );
    }

    #[test]
    fn templated_names_are_marked() {
        let q = "sum by ($group) (${metric}_total{job=\"$job\"})";
        let a = analyze(q);
        assert!(a.error.is_none(), "{:?}", a.error);
        let s = &a.selectors[0];
        assert!(s.name.as_ref().unwrap().templated);
        assert_eq!(
            &q[s.name.as_ref().unwrap().range.clone()],
            "${metric}_total"
        );
        assert!(s.matchers[0].value.templated);
        assert!(a.groupings[0].labels[0].templated);
    }

    #[test]
    fn label_flow_through_functions_and_operators() {
        let labels = |q: &str| {
            let expr = parser::parse(q).unwrap();
            let metric = |name: &str| {
                Some(
                    match name {
                        "a" => vec!["x", "le", "job"],
                        _ => vec!["y", "job"],
                    }
                    .into_iter()
                    .map(String::from)
                    .collect::<BTreeSet<_>>(),
                )
            };
            flow(&expr)
                .labels(&metric)
                .map(|s| s.into_iter().collect::<Vec<_>>().join(","))
        };
        assert_eq!(
            labels("histogram_quantile(0.9, rate(a[5m]))").as_deref(),
            Some("job,x")
        );
        assert_eq!(
            labels("label_replace(b, \"z\", \"$1\", \"y\", \"(.*)\")").as_deref(),
            Some("job,y,z")
        );
        assert_eq!(labels("sum by (job) (a) / b").as_deref(), Some("job"));
        assert_eq!(labels("a / on (job) b").as_deref(), Some("job"));
        assert_eq!(
            labels("a * on (job) group_left (y) b").as_deref(),
            Some("job,le,x,y")
        );
        assert_eq!(labels("a or b").as_deref(), Some("job,le,x,y"));
        assert_eq!(labels("sum(a)").as_deref(), Some(""));
        assert_eq!(labels("absent(a)"), None);
    }

    #[test]
    fn long_and_odd_input_stays_bounded() {
        let long = format!("sum({})", "x + ".repeat(1000));
        assert!(analyze(&long).error.is_some());
        // The deepest trees a query under the limit can build.
        let n = MAX_QUERY_LEN / 4;
        for deep in [
            format!("sum by (a) ({})", vec!["x"; n].join(" + ")),
            format!(
                "{}x{}",
                "(".repeat(MAX_QUERY_LEN / 2 - 1),
                ")".repeat(MAX_QUERY_LEN / 2 - 1)
            ),
            format!("{}x", "-".repeat(MAX_QUERY_LEN - 1)),
            format!("{}x", "sum(".repeat(n - 1) + &")".repeat(n - 1)),
        ] {
            let _ = analyze(&deep);
        }
        assert!(analyze(&"x".repeat(MAX_QUERY_LEN + 1)).error.is_none());
        for q in [
            "{", "}", "((((", "\"", "`", "#", "x[", "x{a=", "é(", "$", "${", "[[x",
        ] {
            let _ = analyze(q);
        }
    }
}
