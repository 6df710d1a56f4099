//! Grafana provisioning files: the datasources one provisions (`apiVersion`, `datasources`)
//! and the dashboard providers another declares (`apiVersion`, `providers`).

use super::{bool_at, int_at, items, string_at, Spanned};
use crate::syntax::Node;
use crate::text::TextRange;

#[derive(Clone, Debug, Default)]
pub struct DatasourcesFile {
    pub datasources: Vec<Datasource>,
}

#[derive(Clone, Debug)]
pub struct Datasource {
    pub name: Option<Spanned<String>>,
    pub uid: Option<Spanned<String>>,
    /// `type`: `prometheus`, `loki`, ...
    pub kind: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
    pub is_default: Option<Spanned<bool>>,
    /// `orgId`, 1 when absent (as Grafana reads it).
    pub org_id: i64,
    pub range: TextRange,
}

impl Datasource {
    pub fn is_default(&self) -> bool {
        self.is_default.as_ref().is_some_and(|d| d.value)
    }

    /// Whether it is a Prometheus datasource (or of no declared type).
    pub fn is_prometheus(&self) -> bool {
        self.kind.as_ref().is_none_or(|k| k.value == "prometheus")
    }

    /// Whether a dashboard's reference by name or uid is this datasource (Grafana looks a
    /// reference up by uid, then by name).
    pub fn answers_to(&self, reference: &str) -> bool {
        [&self.uid, &self.name]
            .into_iter()
            .flatten()
            .any(|v| v.value == reference)
    }
}

pub fn lower_datasources(root: &Node) -> DatasourcesFile {
    let datasources = items(root, "datasources")
        .iter()
        .filter(|d| d.as_mapping().is_some())
        .map(|d| Datasource {
            name: string_at(d, "name"),
            uid: string_at(d, "uid"),
            kind: string_at(d, "type"),
            url: string_at(d, "url"),
            is_default: bool_at(d, "isDefault"),
            org_id: int_at(d, "orgId").map_or(1, |o| if o.value == 0 { 1 } else { o.value }),
            range: d.range,
        })
        .collect();
    DatasourcesFile { datasources }
}

#[derive(Clone, Debug, Default)]
pub struct DashboardProvidersFile {
    pub providers: Vec<DashboardProvider>,
}

#[derive(Clone, Debug)]
pub struct DashboardProvider {
    pub name: Option<Spanned<String>>,
    /// `options.path`: the directory Grafana loads dashboards from.
    pub path: Option<Spanned<String>>,
}

pub fn lower_dashboard_providers(root: &Node) -> DashboardProvidersFile {
    let providers = items(root, "providers")
        .iter()
        .filter(|p| p.as_mapping().is_some())
        .map(|p| DashboardProvider {
            name: string_at(p, "name"),
            path: p.get("options").and_then(|o| string_at(o, "path")),
        })
        .collect();
    DashboardProvidersFile { providers }
}
