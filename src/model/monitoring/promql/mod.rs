//! PromQL through the `promql-parser` crate, with the positions it does not give: where a
//! query fails to parse (`locate`), and the range of every metric name, label matcher and
//! `by` label, found in its tokens. Grafana variables are replaced before parsing (see
//! `template`); every range is in the query's own text.

mod flow;
mod locate;

use flow::flow_at;
pub use flow::{flow, LabelFlow};

use std::ops::Range;

use lrpar::{Lexeme, Lexer};
use promql_parser::parser::token::{self, TokenId};
use promql_parser::parser::{self, Expr, LabelModifier};

use super::template::{self, Placeholder, Substituted, VariableUse};

/// Queries longer than this are not analysed at all: real ones are a few hundred bytes, and
/// the parser's tree (and the walks over it) grow as deep as the query is long.
pub const MAX_QUERY_LEN: usize = 8192;

/// How deep the walks over a query's tree go: deeper subtrees are not looked into (their
/// labels are unknown), which keeps the walks' stack bounded.
const MAX_WALK_DEPTH: usize = 128;

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
            let (message, range, kind) = locate::locate(&substituted.text, &message);
            // A variable may stand for what makes the query valid: with variables, only a
            // syntax error away from all of them is certain (a type error may come from a
            // placeholder of the wrong type).
            let certain = analysis.variables.is_empty()
                || (!substituted.touches_placeholder(&range) && kind != locate::ErrorKind::Type);
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

#[cfg(test)]
mod tests {
    use super::*;

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
