//! `D707` overlapping-panels: two panels of a dashboard cover the same grid cells.
use super::prelude::*;
use crate::model::monitoring::Panel;
use crate::model::Config;

/// Dashboards with more panels than this are not compared pairwise.
const MAX_PANELS: usize = 2000;

declare_rule! {
    /// ## What it does
    /// Reports a panel whose `gridPos` overlaps an earlier panel's on the dashboard's grid
    /// (24 columns wide). Panels inside a collapsed row are compared with each other, since
    /// they are laid out together when the row is expanded.
    ///
    /// ## Why is this bad?
    /// Grafana does not draw panels over each other: it pushes one of them down, so the
    /// layout shown is not the one in the file, and the next save from the UI rewrites every
    /// position below, which makes a noisy diff of a file kept in git.
    ///
    /// ## Example
    /// ```json overview.json
    /// {"panels": [
    ///   {"id": 1, "title": "Requests", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}},
    ///   {"id": 2, "title": "Errors", "gridPos": {"x": 6, "y": 4, "w": 12, "h": 8}}]}
    /// ```
    ///
    /// ## How to fix
    /// Move or resize one of the panels (`x + w` at most 24; a panel below another starts
    /// at the other's `y + h`).
    code: "D707", name: "overlapping-panels", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::Dashboard(dashboard) = &ctx.file.config else {
        return;
    };
    if dashboard.panels.len() > MAX_PANELS {
        return;
    }
    let mut found = Vec::new();
    for (i, panel) in dashboard.panels.iter().enumerate() {
        let Some(grid) = &panel.grid else {
            continue;
        };
        let earlier = dashboard.panels[..i]
            .iter()
            .filter(|p| p.collapsed_in == panel.collapsed_in)
            .find(|p| p.grid.as_ref().is_some_and(|g| g.overlaps(grid)));
        if let Some(earlier) = earlier {
            found.push((panel, earlier));
        }
    }
    for (panel, earlier) in found {
        let (Some(grid), Some(other)) = (&panel.grid, &earlier.grid) else {
            continue;
        };
        let d = ctx
            .diagnostic(
                format!(
                    "panel {} overlaps panel {}",
                    describe(panel),
                    describe(earlier)
                ),
                Label::new(
                    grid.range,
                    format!(
                        "x {}..{}, y {}..{}",
                        grid.x,
                        grid.x + grid.w,
                        grid.y,
                        grid.y + grid.h
                    ),
                ),
            )
            .with_secondary(Label::new(
                other.range,
                format!(
                    "x {}..{}, y {}..{}",
                    other.x,
                    other.x + other.w,
                    other.y,
                    other.y + other.h
                ),
            ))
            .with_help(format!(
                "start this panel at `\"y\": {}` (below the other) or beside it",
                other.y + other.h
            ));
        ctx.report(d);
    }
}

fn describe(panel: &Panel) -> String {
    match (&panel.title, &panel.id) {
        (Some(title), _) => format!("`{}`", title.value),
        (None, Some(id)) => format!("{}", id.value),
        (None, None) => "without title".to_string(),
    }
}
