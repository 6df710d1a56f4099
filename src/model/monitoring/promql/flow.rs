//! How labels flow through a PromQL expression: which labels its series may carry, given
//! each metric's, through functions (`histogram_quantile` drops `le`, `label_replace` adds
//! one), aggregations and binary operators. Enough to tell which labels a `by` clause can
//! group by; where the flow is not known it is `Unknown`, and nothing is concluded.

use std::collections::BTreeSet;

use promql_parser::parser::token;
use promql_parser::parser::value::ValueType;
use promql_parser::parser::{Expr, LabelModifier, VectorMatchCardinality};

use super::super::template;
use super::MAX_WALK_DEPTH;

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

pub(super) fn flow_at(expr: &Expr, depth: usize) -> LabelFlow {
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

#[cfg(test)]
mod tests {
    use super::*;
    use promql_parser::parser;

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
}
