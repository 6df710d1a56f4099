//! `D701` invalid-promql: a dashboard or rule query that Prometheus cannot parse.
use super::prelude::*;
use crate::model::monitoring::promql_queries;

declare_rule! {
    /// ## What it does
    /// Reports a PromQL query that does not parse: a panel target's `expr`, the query of a
    /// Prometheus template variable (`label_values(...)`, `query_result(...)`), or an
    /// alerting or recording rule's `expr`. The position is inside the query: the token
    /// where it stops making sense, the bracket or quote left open, the function with the
    /// wrong argument type.
    ///
    /// Grafana variables (`$model`, `${job}`, `$__rate_interval`) are replaced by
    /// placeholders before parsing, and an error that a variable's value could explain is
    /// not reported.
    ///
    /// ## Why is this bad?
    /// Grafana shows an error instead of the panel; Prometheus refuses to load a rule file
    /// with a broken expression (`promtool check rules` fails), so every alert of the file
    /// is lost.
    ///
    /// ## Example
    /// ```yaml alerts.yml
    /// groups:
    ///   - name: gateway
    ///     rules:
    ///       - alert: GatewayErrors
    ///         expr: sum(rate(litellm_proxy_failed_requests_metric_total[5m])) by job > 1
    ///         for: 5m
    /// ```
    ///
    /// ## How to fix
    /// Correct the query at the position shown (here: `by (job)` needs parentheses).
    /// `promtool check rules` and Grafana's query editor show the same problem.
    code: "D701", name: "invalid-promql", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    for query in promql_queries(ctx.set, ctx.file) {
        let Some(error) = &query.analysis.error else {
            continue;
        };
        let range = query.source_range(&ctx.file.text, error.range.clone());
        let mut d = ctx.diagnostic(
            format!("PromQL does not parse: {}", error.message),
            Label::new(range, "here"),
        );
        let wants_range = error
            .message
            .strip_prefix("expected type matrix in call to function '")
            .and_then(|rest| rest.split('\'').next());
        if let Some(function) = wants_range {
            d = d.with_help(format!(
                "`{function}` takes a range vector: give the selector a range, e.g. `[5m]` or `[$__rate_interval]`"
            ));
        }
        ctx.report(d);
    }
}
