//! `D703` unknown-label: a query filters or groups by a label the metric does not carry.
use std::collections::BTreeSet;

use super::prelude::*;
use crate::diagnostic::suggest;
use crate::model::monitoring::promql::{MatchOp, Name};
use crate::model::monitoring::promql_queries;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a label that a query's metric does not carry: in a matcher
    /// (`litellm_requests_metric_total{provider="ollama"}`) or in the `by (...)` clause of
    /// an aggregation over it. A metric carries the labels its exporter gives it (read with
    /// the metric catalogue, options included), `job` and `instance`, and the labels the
    /// set's Prometheus config adds (static `labels`, relabelling targets); LiteLLM metrics
    /// also carry the custom labels of `litellm_settings` in litellm-unified.yaml.
    ///
    /// Negative matchers (`!=`, `!~`) and matchers that accept an empty value are not
    /// reported: they match series without the label. When the set has no Prometheus
    /// config (so the labels scraping adds are not known), only near misses of a real label
    /// are reported; with relabelling that maps labels wholesale (`labelmap`), none are.
    ///
    /// ## Why is this bad?
    /// A matcher on a label a series does not have selects nothing: the panel is empty. A
    /// `by` clause on it yields one series with the label empty, so the legend shows one
    /// unnamed line instead of one per provider.
    ///
    /// ## Example
    /// ```yaml alerts.yml
    /// groups:
    ///   - name: gateway
    ///     rules:
    ///       - alert: SlowModel
    ///         expr: histogram_quantile(0.95, sum by (le, model_grup) (rate(litellm_request_total_latency_metric_bucket[5m]))) > 10
    /// ```
    ///
    /// ## How to fix
    /// Use a label the metric carries (the help names the closest and lists them); LiteLLM
    /// calls the provider `api_provider` and the model group `model_group`.
    code: "D703", name: "unknown-label", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let scrape_known = ctx.set.scrape_labels().is_some();
    if !scrape_known && ctx.set.prometheus_configs().next().is_some() {
        return; // `labelmap` relabelling: any label may exist.
    }
    let mut found: Vec<(TextRange, String, String, BTreeSet<String>)> = Vec::new();
    for query in promql_queries(ctx.set, ctx.file) {
        let at = |name: &Name| query.source_range(&ctx.file.text, name.range.clone());
        for selector in &query.analysis.selectors {
            let Some(metric) = selector.metric().filter(|m| !m.templated) else {
                continue;
            };
            let Some(labels) = ctx.set.series_labels(&metric.text) else {
                continue;
            };
            for matcher in &selector.matchers {
                let label = &matcher.label;
                if label.templated || label.text.starts_with("__") || labels.contains(&label.text) {
                    continue;
                }
                if matcher.value.templated || !requires_label(matcher.op, &matcher.value.text) {
                    continue;
                }
                let what = format!("`{}` has no label `{}`", metric.text, label.text);
                found.push((at(label), label.text.clone(), what, labels.clone()));
            }
        }
        for grouping in &query.analysis.groupings {
            let lookup = |series: &str| ctx.set.series_labels(series);
            let Some(labels) = grouping.inner.labels(&lookup) else {
                continue;
            };
            for label in &grouping.labels {
                if label.templated || labels.contains(&label.text) {
                    continue;
                }
                let what = format!("the series grouped here have no label `{}`", label.text);
                found.push((at(label), label.text.clone(), what, labels.clone()));
            }
        }
    }
    for (range, label, message, labels) in found {
        let closest = suggest(&label, labels.iter().map(String::as_str));
        if closest.is_none() && !scrape_known {
            continue;
        }
        let mut d = ctx.diagnostic(message, Label::new(range, "not a label of these series"));
        let listed = labels
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ");
        d = d.with_help(match closest {
            Some(closest) => format!("did you mean `{closest}`? (labels: {listed})"),
            None => format!("labels: {listed}"),
        });
        ctx.report(d);
    }
}

/// Whether a matcher can only match series that have the label: an equality with a value,
/// or a regex that rejects the empty string.
fn requires_label(op: MatchOp, value: &str) -> bool {
    match op {
        MatchOp::Equal => !value.is_empty(),
        MatchOp::Regex => {
            regex::Regex::new(&format!("^(?:{value})$")).is_ok_and(|r| !r.is_match(""))
        }
        MatchOp::NotEqual | MatchOp::NotRegex => false,
    }
}
