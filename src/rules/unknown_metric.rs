//! `D702` unknown-metric: a query selects a metric that no exporter of the gateway publishes.
use super::prelude::*;
use crate::model::monitoring::catalogue::catalogue;
use crate::model::monitoring::promql_queries;

declare_rule! {
    /// ## What it does
    /// Reports a metric name in a dashboard or rule query that the gateway's exporters do
    /// not publish, with the real name as a suggestion. aiblint knows every metric of
    /// LiteLLM's Prometheus integration and of vLLM's `/metrics` (read from the packages it
    /// pins), the redis_exporter metrics of a scrape, and the series Prometheus adds (`up`,
    /// `scrape_*`); series recorded by the set's recording rules count as known.
    ///
    /// A name in the `litellm_` or `vllm:` namespace that is not known is reported; a
    /// `redis_` name or any other only when it is a near miss of a known one, since other
    /// exporters (node_exporter, ...) publish their own names.
    ///
    /// ## Why is this bad?
    /// Prometheus answers a query for a metric nobody exports with no data, not an error:
    /// the panel stays empty, the alert never fires, and nothing says why. Dashboards copied
    /// from elsewhere often use another naming scheme (`litellm_requests_total`) than the
    /// one LiteLLM exports (`litellm_requests_metric_total`), and a counter or histogram
    /// queried without its `_total` or `_bucket` suffix selects nothing.
    ///
    /// ## Example
    /// ```yaml alerts.yml
    /// groups:
    ///   - name: gateway
    ///     rules:
    ///       - alert: GatewayErrors
    ///         expr: sum(rate(litellm_requests_total{status="error"}[5m])) > 1
    /// ```
    ///
    /// ## How to fix
    /// Use the name the exporter publishes (the fix offers the closest one). The help says
    /// what the exporter needs for the metric to appear, e.g. `callbacks: ["prometheus"]`
    /// in LiteLLM's `litellm_settings`.
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is the closest name, which may measure something else.
    code: "D702", name: "unknown-metric", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let queries = promql_queries(ctx.set, ctx.file);
    if queries.is_empty() {
        return; // Without a query, the metric catalogue is not even loaded.
    }
    let catalogue = catalogue();
    let recorded = ctx.set.recorded_metrics();
    let mut found = Vec::new();
    for query in queries {
        for selector in &query.analysis.selectors {
            let Some(name) = selector.metric() else {
                continue;
            };
            let text = name.text.as_str();
            if name.templated || catalogue.series(text).is_some() || recorded.contains(text) {
                continue;
            }
            let namespace = catalogue.namespace_of(text);
            let suggestion = catalogue.suggest(text);
            if suggestion.is_none() && !namespace.is_some_and(|n| n.exhaustive) {
                continue;
            }
            found.push((
                query.source_range(&ctx.file.text, name.range.clone()),
                text,
                namespace,
                suggestion,
            ));
        }
    }
    for (range, name, namespace, suggestion) in found {
        let publisher = namespace.map(|n| catalogue.describe(&n.exporter));
        let message = match &publisher {
            Some(publisher) => format!("`{name}` is not a metric of {publisher}"),
            None => format!("no exporter of the gateway publishes `{name}`"),
        };
        let mut d = ctx.diagnostic(message, Label::new(range, "no such metric"));
        match suggestion.and_then(|s| Some((s, catalogue.series(s)?))) {
            Some((suggestion, metric)) => {
                d = d.with_help(format!(
                    "did you mean `{suggestion}`? ({}, a {}; it needs {})",
                    catalogue.describe(&metric.exporter),
                    metric.kind,
                    metric.requires
                ));
                let source = &ctx.file.text[range.as_range()];
                if source == name {
                    d = d.with_fix(Fix {
                        title: format!("Replace `{name}` with `{suggestion}`"),
                        applicability: Applicability::Unsafe,
                        edits: vec![Edit::replace(range, suggestion)],
                    });
                }
            }
            None => {
                d = d.with_help(format!(
                    "{} publishes no metric with this name or a close one: `aiblint explain D702` says where the names come from",
                    publisher.unwrap_or_else(|| "the gateway".to_string())
                ));
            }
        }
        ctx.report(d);
    }
}
