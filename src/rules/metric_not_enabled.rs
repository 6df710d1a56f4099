//! `D715` metric-not-enabled: a query needs a LiteLLM metric whose callback the gateway's
//! LiteLLM config does not turn on.
use std::collections::BTreeMap;

use super::prelude::*;
use crate::model::monitoring::catalogue::catalogue;
use crate::model::monitoring::promql_queries;
use crate::model::FileKind;
use crate::syntax::Node;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a dashboard or rule file that queries LiteLLM metrics which only a callback
    /// publishes, when the gateway's `litellm-unified.yaml` does not turn that callback on:
    /// `callbacks: ["prometheus"]` (or `success_callback`/`failure_callback`) in
    /// `litellm_settings` for the metrics of LiteLLM's Prometheus integration, and
    /// `service_callback: ["prometheus_system"]` for the latency of its Redis, database and
    /// router calls (`litellm_redis_latency`, ...). One diagnostic per file and callback, at
    /// the first query that needs it.
    ///
    /// The rule needs the LiteLLM config: it runs when the monitoring files are checked with
    /// the gateway config set beside them.
    ///
    /// ## Why is this bad?
    /// Without the callback, LiteLLM's `/metrics` has none of these series: every panel and
    /// alert on them stays empty (an alert never fires), while the queries are right.
    ///
    /// ## Example
    /// With a `litellm-unified.yaml` whose `litellm_settings` has no callbacks:
    ///
    /// ```yaml litellm-unified.yaml
    /// litellm_settings:
    ///   drop_params: true
    /// ```
    ///
    /// an alert on LiteLLM's request counters never fires:
    ///
    /// ```yaml monitoring/prometheus/alerts.yml
    /// groups:
    ///   - name: gateway
    ///     rules:
    ///       - alert: GatewayErrors
    ///         expr: sum(rate(litellm_proxy_failed_requests_metric_total[5m])) > 1
    /// ```
    ///
    /// ## How to fix
    /// Turn the callback on: add it under `litellm_settings` in `litellm-settings.yaml` (then
    /// `aiblint generate`), or in the LiteLLM config you run.
    code: "D715", name: "metric-not-enabled", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(litellm) = ctx.set.member(FileKind::Litellm) else {
        return;
    };
    let Some(root) = litellm
        .file
        .root()
        .filter(|_| litellm.file.parse.is_complete())
    else {
        return;
    };
    let settings = root.get("litellm_settings");
    let enabled = |setting: &str, value: &str| -> bool {
        let keys: &[&str] = if setting == "callbacks" {
            &["callbacks", "success_callback", "failure_callback"]
        } else {
            &[setting]
        };
        keys.iter()
            .filter_map(|k| settings.and_then(|s| s.get(k)))
            .any(|node| lists(node, value))
    };
    // Setting and value → (first use, metric, number of uses).
    let mut missing: BTreeMap<(&str, &str), (TextRange, &str, usize)> = BTreeMap::new();
    for query in promql_queries(ctx.set, ctx.file) {
        for selector in &query.analysis.selectors {
            let Some(name) = selector.metric().filter(|n| !n.templated) else {
                continue;
            };
            let Some(metric) = catalogue().series(&name.text) else {
                continue;
            };
            let Some(callback) = &metric.callback else {
                continue;
            };
            if enabled(&callback.setting, &callback.value) {
                continue;
            }
            let range = query.source_range(&ctx.file.text, name.range.clone());
            missing
                .entry((callback.setting.as_str(), callback.value.as_str()))
                .or_insert((range, name.text.as_str(), 0))
                .2 += 1;
        }
    }
    for ((setting, value), (range, metric, uses)) in missing {
        let mut d = ctx
            .diagnostic(
                format!(
                    "LiteLLM publishes `{metric}` only with `litellm_settings.{setting}: [\"{value}\"]`, which {} does not set",
                    litellm.path
                ),
                Label::new(range, "empty until the callback is on"),
            )
            .with_help(format!(
                "add `{setting}: [\"{value}\"]` under `litellm_settings` in litellm-settings.yaml and run `aiblint generate`"
            ));
        if uses > 1 {
            d = d.with_note(format!(
                "{uses} metric selections of this file need the callback"
            ));
        }
        ctx.report(d);
    }
}

/// Whether a callback setting lists `value`. LiteLLM iterates the setting, so a lone string
/// (which G408 reports) registers no callback.
fn lists(node: &Node, value: &str) -> bool {
    node.as_sequence()
        .is_some_and(|items| items.iter().any(|i| i.as_str() == Some(value)))
}
