//! `D712` unknown-scrape-job: a query matches a `job` that no scrape job of the set defines.
use super::prelude::*;
use super::unknown_provider::name_list;
use crate::diagnostic::suggest;
use crate::model::monitoring::promql::MatchOp;
use crate::model::monitoring::promql_queries;

declare_rule! {
    /// ## What it does
    /// Reports a `job` matcher in an alert, recording rule or dashboard query
    /// (`up{job="litelm"}`, `job=~"vllm-.*"`) that matches none of the `job_name`s of the
    /// set's Prometheus config. It runs only when the set has a Prometheus config, and not
    /// when relabelling may change `job` (a `target_label: job`, `labelmap`, or
    /// `honor_labels: true`).
    ///
    /// ## Why is this bad?
    /// Prometheus gives every scraped series the `job` of its scrape config. A matcher on
    /// another job selects nothing: a "gateway down" alert on `up{job="litelm"} == 0` never
    /// fires, even when the gateway is down, and a panel filtered on it stays empty.
    ///
    /// ## Example
    /// With this `prometheus.yml` in the set:
    ///
    /// ```yaml monitoring/prometheus/prometheus.yml
    /// scrape_configs:
    ///   - job_name: litellm
    ///     static_configs:
    ///       - targets: ["127.0.0.1:4000"]
    /// ```
    ///
    /// an alert watches another job:
    ///
    /// ```yaml monitoring/prometheus/alerts.yml
    /// groups:
    ///   - name: gateway
    ///     rules:
    ///       - alert: GatewayDown
    ///         expr: up{job="litelm"} == 0
    ///         for: 1m
    /// ```
    ///
    /// ## How to fix
    /// Use the `job_name` of the scrape config (the help offers the closest one).
    code: "D712", name: "unknown-scrape-job", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if ctx.set.prometheus_configs().any(|c| c.rewrites_jobs()) {
        return;
    }
    let jobs: Vec<&str> = ctx
        .set
        .scrape_jobs()
        .map(|j| j.name.value.as_str())
        .collect();
    if jobs.is_empty() {
        return;
    }
    let mut found = Vec::new();
    for query in promql_queries(ctx.set, ctx.file) {
        for matcher in query.analysis.selectors.iter().flat_map(|s| &s.matchers) {
            if matcher.label.text != "job" || matcher.value.templated {
                continue;
            }
            let value = matcher.value.text.as_str();
            let matches = match matcher.op {
                MatchOp::Equal => jobs.contains(&value),
                MatchOp::Regex => match regex::Regex::new(&format!("^(?:{value})$")) {
                    Ok(pattern) => jobs.iter().any(|j| pattern.is_match(j)) || pattern.is_match(""),
                    Err(_) => true,
                },
                MatchOp::NotEqual | MatchOp::NotRegex => true,
            };
            if !matches {
                let range = query.source_range(&ctx.file.text, matcher.value.range.clone());
                found.push((range, value.to_string(), matcher.op));
            }
        }
    }
    for (range, value, op) in found {
        let message = match op {
            MatchOp::Regex => format!("no scrape job matches `{value}`"),
            _ => format!("no scrape job is named `{value}`"),
        };
        let help = match suggest(&value, jobs.iter().copied()) {
            Some(close) => format!(
                "did you mean `{close}`? (scrape jobs: {})",
                name_list(jobs.iter().copied(), 8)
            ),
            None => format!("scrape jobs: {}", name_list(jobs.iter().copied(), 8)),
        };
        let d = ctx
            .diagnostic(message, Label::new(range, "selects nothing"))
            .with_help(help);
        ctx.report(d);
    }
}
