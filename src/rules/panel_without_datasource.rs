//! `D713` panel-without-datasource: a PromQL panel with no datasource, when the default one
//! is not Prometheus.
use super::prelude::*;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a panel that has PromQL targets but no `datasource`, neither on the panel
    /// nor on its targets, when the set provisions a default datasource that is not a
    /// Prometheus one.
    ///
    /// ## Why is this bad?
    /// Grafana sends the queries of a panel without datasource to the default datasource.
    /// When that is Loki or another type, the PromQL goes there and the panel shows an
    /// error or nothing. The panel works only as long as Prometheus happens to be the
    /// default.
    ///
    /// ## Example
    /// With a default datasource that is not Prometheus:
    ///
    /// ```yaml monitoring/grafana/provisioning/datasources/datasources.yml
    /// apiVersion: 1
    /// datasources:
    ///   - name: Loki
    ///     type: loki
    ///     url: http://127.0.0.1:3100
    ///     isDefault: true
    /// ```
    ///
    /// a panel relies on the default:
    ///
    /// ```json monitoring/grafana/dashboards/requests.json
    /// {"panels": [{"id": 1, "title": "Requests",
    ///   "targets": [{"expr": "sum(rate(litellm_requests_metric_total[5m]))"}]}]}
    /// ```
    ///
    /// ## How to fix
    /// Give the panel its datasource: `"datasource": {"type": "prometheus", "uid": "..."}`
    /// with the uid of the provisioned Prometheus datasource.
    code: "D713", name: "panel-without-datasource", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::Dashboard(dashboard) = &ctx.file.config else {
        return;
    };
    let Some((_, default)) = ctx.set.default_datasource() else {
        return;
    };
    if default.is_prometheus() {
        return;
    }
    let default_name = default
        .name
        .as_ref()
        .map_or("(unnamed)", |n| n.value.as_str());
    let default_kind = default.kind.as_ref().map_or("", |k| k.value.as_str());
    let prometheus = ctx
        .set
        .provisioned_datasources()
        .find(|(_, d)| d.kind.as_ref().is_some_and(|k| k.value == "prometheus"))
        .and_then(|(_, d)| d.uid.as_ref().or(d.name.as_ref()))
        .map(|v| v.value.clone());
    let mut found = Vec::new();
    for panel in &dashboard.panels {
        let relies_on_default = panel.datasource.is_none()
            && panel
                .targets
                .iter()
                .any(|t| t.expr.is_some() && t.datasource.is_none());
        if !relies_on_default {
            continue;
        }
        let range = panel
            .title
            .as_ref()
            .map(|t| t.range)
            .or_else(|| panel.targets.first().map(|t| t.range))
            .unwrap_or(panel.range);
        found.push((panel, range));
    }
    for (panel, range) in found {
        let title = panel
            .title
            .as_ref()
            .map_or("a panel".to_string(), |t| format!("panel `{}`", t.value));
        let help = match &prometheus {
            Some(uid) => format!(
                "set the panel's datasource: `\"datasource\": {{\"type\": \"prometheus\", \"uid\": \"{uid}\"}}`"
            ),
            None => "set the panel's datasource to a Prometheus datasource".to_string(),
        };
        let d = ctx
            .diagnostic(
                format!("{title} has no datasource, so its PromQL goes to the default `{default_name}`, a `{default_kind}` datasource"),
                Label::new(range, "no datasource on this panel or its targets"),
            )
            .with_help(help);
        ctx.report(d);
    }
}
