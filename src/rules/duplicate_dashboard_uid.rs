//! `D714` duplicate-dashboard-uid: two dashboards of the set have the same `uid`.
use super::prelude::*;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a dashboard whose `uid` another dashboard of the set (earlier in path order)
    /// already has.
    ///
    /// ## Why is this bad?
    /// Grafana provisions one dashboard per uid: the other is skipped ("the same UID is used
    /// more than once") or replaces the first at every reload, so one of the two dashboards
    /// never shows up. Copying a dashboard file to start a new one keeps its uid.
    ///
    /// ## Example
    /// Two files of `monitoring/grafana/dashboards/`, the second a copy of the first:
    ///
    /// ```json monitoring/grafana/dashboards/overview.json
    /// {"uid": "gateway-overview", "title": "Gateway overview", "panels": []}
    /// ```
    ///
    /// ```json monitoring/grafana/dashboards/performance.json
    /// {"uid": "gateway-overview", "title": "Provider performance", "panels": []}
    /// ```
    ///
    /// ## How to fix
    /// Give each dashboard its own `uid` (letters, digits, `-` and `_`, at most 40).
    code: "D714", name: "duplicate-dashboard-uid", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::Dashboard(dashboard) = &ctx.file.config else {
        return;
    };
    let Some(uid) = &dashboard.uid else {
        return;
    };
    let first = ctx
        .set
        .dashboards()
        .find(|(_, d)| d.uid.as_ref().is_some_and(|u| u.value == uid.value));
    let Some((member, first)) = first else {
        return;
    };
    if std::ptr::eq(first, dashboard.as_ref()) {
        return;
    }
    let Some(first_uid) = &first.uid else {
        return;
    };
    let title = first
        .title
        .as_ref()
        .map_or(String::new(), |t| format!(" (`{}`)", t.value));
    let d = ctx
        .diagnostic(
            format!(
                "dashboard uid `{}` is already used by {}{title}",
                uid.value, member.path
            ),
            Label::new(uid.range, "used by another dashboard"),
        )
        .with_help("give this dashboard a uid of its own")
        .with_secondary(ctx.label_in(member, first_uid.range, "the other dashboard's uid"));
    ctx.report(d);
}
