//! `D704` unknown-datasource: a dashboard names a datasource that the set does not provision.
use super::prelude::*;
use super::unknown_provider::name_list;
use crate::diagnostic::suggest;
use crate::model::monitoring::DatasourceRef;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a datasource reference of a dashboard (a panel's, a target's or a template
    /// variable's `datasource`, by name or by `uid`) that no datasource provisioning file of
    /// the set provides. Grafana's own pseudo datasources (`-- Grafana --`, `-- Mixed --`,
    /// `-- Dashboard --`) and references through variables (`$datasource`,
    /// `${DS_PROMETHEUS}`) are not checked.
    ///
    /// The rule needs the provisioning: it runs when the set has a Grafana datasource
    /// provisioning file (`apiVersion` and `datasources`).
    ///
    /// ## Why is this bad?
    /// Grafana cannot run the panel's queries and shows "Datasource ... was not found"
    /// instead of data. This happens when a dashboard exported from one Grafana (where the
    /// datasource had a generated uid) is provisioned into another.
    ///
    /// ## Example
    /// A datasource provisioned as:
    ///
    /// ```yaml monitoring/grafana/provisioning/datasources/datasources.yml
    /// apiVersion: 1
    /// datasources:
    ///   - name: Prometheus
    ///     uid: prometheus
    ///     type: prometheus
    ///     url: http://127.0.0.1:9090
    /// ```
    ///
    /// and a panel that asks for another one:
    ///
    /// ```json monitoring/grafana/dashboards/requests.json
    /// {"panels": [{"id": 1, "datasource": {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"},
    ///   "targets": [{"expr": "up"}]}]}
    /// ```
    ///
    /// ## How to fix
    /// Reference the provisioned datasource by its `uid` (give it one in the provisioning
    /// file: otherwise Grafana makes one up), or use a datasource variable.
    code: "D704", name: "unknown-datasource", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::Dashboard(dashboard) = &ctx.file.config else {
        return;
    };
    if !ctx.set.has_datasource_provisioning() {
        return;
    }
    let references = dashboard.datasource_references();
    let mut unknown: Vec<(&DatasourceRef, &str)> = Vec::new();
    for reference in references {
        let Some(name) = reference.name.as_deref() else {
            continue;
        };
        if reference.is_builtin() || reference.is_templated() || name.is_empty() {
            continue;
        }
        if ctx
            .set
            .provisioned_datasources()
            .any(|(_, d)| d.answers_to(name))
        {
            continue;
        }
        unknown.push((reference, name));
    }
    if unknown.is_empty() {
        return;
    }
    let mut shown: Vec<String> = Vec::new();
    let mut files: Vec<&str> = Vec::new();
    for (member, datasource) in ctx.set.provisioned_datasources() {
        if !files.contains(&member.path.as_str()) {
            files.push(&member.path);
        }
        shown.extend(datasource.name.as_ref().map(|name| match &datasource.uid {
            Some(uid) => format!("`{}` (uid `{}`)", name.value, uid.value),
            None => format!("`{}` (no uid)", name.value),
        }));
    }
    let listed = if shown.len() > 8 {
        format!("{}, and {} more", shown[..8].join(", "), shown.len() - 8)
    } else {
        shown.join(", ")
    };
    let candidates: Vec<&str> = ctx
        .set
        .provisioned_datasources()
        .flat_map(|(_, d)| [&d.uid, &d.name])
        .flatten()
        .map(|v| v.value.as_str())
        .collect();
    for (reference, name) in unknown {
        let mut d = ctx.diagnostic(
            format!("datasource `{name}` is not provisioned"),
            Label::new(
                reference.range,
                "no provisioned datasource has this uid or name",
            ),
        );
        let files = name_list(files.iter().copied(), 3);
        d = d.with_help(match suggest(name, candidates.iter().copied()) {
            Some(close) => format!("did you mean `{close}`? (provisioned: {listed})"),
            None if shown.is_empty() => format!("no named datasource is provisioned in {files}"),
            None => format!("provisioned in {files}: {listed}"),
        });
        ctx.report(d);
    }
}
