//! `D708` multiple-default-datasources: provisioning marks more than one datasource default.
use super::prelude::*;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a provisioned datasource with `isDefault: true` when an earlier one of the
    /// same organisation (`orgId`, 1 by default) is already the default, in the same file
    /// or another provisioning file of the set (files are read in path order, as Grafana
    /// reads its provisioning directory).
    ///
    /// ## Why is this bad?
    /// Grafana refuses the whole datasource provisioning: "datasource.yaml config is invalid.
    /// Only one datasource per organization can be marked as default". No datasource is
    /// provisioned and every dashboard is empty. Several files each written with their own
    /// default (and their own URL) is the usual cause.
    ///
    /// ## Example
    /// ```yaml datasources.yml
    /// apiVersion: 1
    /// datasources:
    ///   - name: Prometheus
    ///     type: prometheus
    ///     url: http://127.0.0.1:9090
    ///     isDefault: true
    ///   - name: Prometheus (lab)
    ///     type: prometheus
    ///     url: http://prometheus:9090
    ///     isDefault: true
    /// ```
    ///
    /// ## How to fix
    /// Keep `isDefault: true` on one datasource per organisation, and remove duplicate
    /// provisioning files that describe the same server.
    code: "D708", name: "multiple-default-datasources", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::GrafanaDatasources(file) = &ctx.file.config else {
        return;
    };
    let mut found = Vec::new();
    for datasource in file.datasources.iter().filter(|d| d.is_default()) {
        let first = ctx
            .set
            .provisioned_datasources()
            .find(|(_, d)| d.is_default() && d.org_id == datasource.org_id);
        let Some((member, first)) = first else {
            continue;
        };
        if std::ptr::eq(first, datasource) {
            continue;
        }
        let first_default = first.is_default.as_ref().map_or(first.range, |f| f.range);
        found.push((
            datasource,
            first,
            ctx.label_in(member, first_default, "the first default"),
        ));
    }
    for (datasource, first, first_label) in found {
        let Some(flag) = &datasource.is_default else {
            continue;
        };
        let name = |d: &crate::model::monitoring::Datasource| {
            d.name
                .as_ref()
                .map_or("a datasource".to_string(), |n| format!("`{}`", n.value))
        };
        let d = ctx
            .diagnostic(
                format!(
                    "{} is a second default datasource of organisation {}",
                    name(datasource),
                    datasource.org_id
                ),
                Label::new(flag.range, "a second default"),
            )
            .with_help(format!(
                "{} is already the default; Grafana provisions no datasource when two are",
                name(first)
            ))
            .with_secondary(first_label);
        ctx.report(d);
    }
}
