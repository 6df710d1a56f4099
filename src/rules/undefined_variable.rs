//! `D705` undefined-variable: a dashboard uses a template variable it does not define.
use super::prelude::*;
use crate::diagnostic::suggest;
use crate::model::monitoring::template::{is_builtin, variable_uses};
use crate::model::monitoring::{promql_queries, DatasourceRef};
use crate::model::Config;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a template variable (`$model`, `${job}`, `${model:regex}`, `[[model]]`) used
    /// in a dashboard's queries, datasource references or panel `repeat` but defined neither
    /// in `templating.list` nor in `__inputs`. Grafana's global variables (`$__interval`,
    /// `$__rate_interval`, `$__range`, `${__user.login}`, ...: every `__` name) are always
    /// defined.
    ///
    /// ## Why is this bad?
    /// Grafana leaves an undefined variable in the query as it is: `$model` reaches
    /// Prometheus literally, the query fails or matches nothing, and the panel is empty. It
    /// usually means a variable was renamed or a panel was copied from another dashboard.
    ///
    /// ## Example
    /// ```json overview.json
    /// {"panels": [{"id": 1, "type": "timeseries",
    ///   "targets": [{"expr": "sum(rate(litellm_requests_metric_total{model=~\"$modle\"}[5m]))"}]}],
    ///  "templating": {"list": [{"name": "model", "type": "query",
    ///   "query": "label_values(litellm_requests_metric_total, model)"}]}}
    /// ```
    ///
    /// ## How to fix
    /// Correct the name (the help offers the closest variable), or add the variable under
    /// `templating.list`.
    code: "D705", name: "undefined-variable", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::Dashboard(dashboard) = &ctx.file.config else {
        return;
    };
    let defined: Vec<&str> = dashboard
        .variables
        .iter()
        .map(|v| v.name.value.as_str())
        .chain(dashboard.inputs.iter().map(String::as_str))
        .collect();
    let mut uses: Vec<(String, TextRange)> = Vec::new();
    for query in promql_queries(ctx.set, ctx.file) {
        for var in &query.analysis.variables {
            let range = query.source_range(&ctx.file.text, var.range.clone());
            uses.push((var.name.clone(), range));
        }
    }
    for reference in dashboard.datasource_references() {
        uses.extend(datasource_variables(reference));
    }
    for panel in &dashboard.panels {
        if let Some(repeat) = &panel.repeat {
            uses.push((repeat.value.clone(), repeat.range));
        }
    }
    for (name, range) in uses {
        if is_builtin(&name) || defined.contains(&name.as_str()) {
            continue;
        }
        let mut d = ctx.diagnostic(
            format!("template variable `{name}` is not defined"),
            Label::new(range, "not in `templating.list`"),
        );
        d = d.with_help(match suggest(&name, defined.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if defined.is_empty() => {
                "the dashboard defines no variables: add it under `templating.list`".to_string()
            }
            None => format!(
                "defined: {}; or add `{name}` under `templating.list`",
                defined
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        ctx.report(d);
    }
}

fn datasource_variables(reference: &DatasourceRef) -> Vec<(String, TextRange)> {
    let Some(name) = &reference.name else {
        return Vec::new();
    };
    variable_uses(name)
        .into_iter()
        .map(|u| (u.name, reference.range))
        .collect()
}
