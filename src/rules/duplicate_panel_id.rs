//! `D706` duplicate-panel-id: two panels of a dashboard share an `id`.
use std::collections::HashMap;

use super::prelude::*;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a panel whose `id` an earlier panel of the same dashboard already has (the
    /// panels of rows included).
    ///
    /// ## Why is this bad?
    /// Grafana identifies panels by id: links to a panel (`viewPanel=`, `editPanel=`),
    /// panel-level alert annotations and library panels point at one id. With two panels of
    /// one id, Grafana renumbers one of them when loading the dashboard, and links and
    /// alerts land on the wrong panel.
    ///
    /// ## Example
    /// ```json overview.json
    /// {"panels": [
    ///   {"id": 1, "title": "Requests", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}},
    ///   {"id": 1, "title": "Errors", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8}}]}
    /// ```
    ///
    /// ## How to fix
    /// Give the panel an id no other panel of the dashboard has.
    code: "D706", name: "duplicate-panel-id", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::Dashboard(dashboard) = &ctx.file.config else {
        return;
    };
    let mut first = HashMap::new();
    let mut found = Vec::new();
    for panel in &dashboard.panels {
        let Some(id) = &panel.id else {
            continue;
        };
        match first.get(&id.value) {
            None => {
                first.insert(id.value, panel);
            }
            Some(earlier) => found.push((panel, id, *earlier)),
        }
    }
    for (panel, id, earlier) in found {
        let title = |p: &crate::model::monitoring::Panel| {
            p.title
                .as_ref()
                .map_or("an untitled panel".to_string(), |t| {
                    format!("`{}`", t.value)
                })
        };
        let mut d = ctx
            .diagnostic(
                format!(
                    "panel id `{}` of {} is already used by {}",
                    id.value,
                    title(panel),
                    title(earlier)
                ),
                Label::new(id.range, "used a second time here"),
            )
            .with_help("give this panel an id that no other panel of the dashboard has");
        if let Some(earlier_id) = &earlier.id {
            d = d.with_secondary(Label::new(earlier_id.range, "first used here"));
        }
        ctx.report(d);
    }
}
