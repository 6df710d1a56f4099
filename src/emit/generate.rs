//! Renders the report of `aiblint generate --check --format json`: whether the file is up to
//! date, the errors that stop generation, the routes left out, and what differs in LiteLLM's
//! terms.
//!
//! JSON shape (version 1): `{ "version": 1, "target", "status", "written_by_aiblint",
//! "blocking": [{file, line, column, code, message}], "omissions": [{file, line, column,
//! route, reason}], "semantic": null | {summary, deployments: [{name, change, model,
//! api_base, weight, fields}], fallbacks: [{list, group, before, after}], settings: [{path,
//! before, after, ignored_by_litellm}]} }`.

use serde::Serialize;

use crate::generate::semantic::{SemanticDiff, Target};

/// The JSON format's own version; bumped on incompatible changes.
pub const GENERATE_FORMAT: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct GenerateReport {
    /// Always [`GENERATE_FORMAT`].
    pub version: u32,
    /// The file compared, as shown to people.
    pub target: String,
    /// `up-to-date`, `stale`, `missing` or `blocked`.
    pub status: String,
    /// Whether the file on disk carries the header `aiblint generate` writes.
    pub written_by_aiblint: bool,
    pub blocking: Vec<Located>,
    pub omissions: Vec<Omitted>,
    pub semantic: Option<Semantic>,
}

/// An error that stops generation.
#[derive(Clone, Debug, Serialize)]
pub struct Located {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub code: String,
    pub message: String,
}

/// A route of the sources that is not part of the generated config.
#[derive(Clone, Debug, Serialize)]
pub struct Omitted {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub route: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Semantic {
    pub summary: String,
    pub deployments: Vec<DeploymentChange>,
    pub fallbacks: Vec<FallbackChange>,
    pub settings: Vec<SettingChange>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeploymentChange {
    /// The requested name.
    pub name: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    pub model: String,
    pub api_base: Option<String>,
    pub weight: Option<f64>,
    /// For `changed`: what differs.
    pub fields: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FallbackChange {
    pub list: String,
    pub group: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SettingChange {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// LiteLLM ignores this setting: losing it changes nothing.
    pub ignored_by_litellm: bool,
}

impl Semantic {
    pub fn from_diff(diff: &SemanticDiff) -> Semantic {
        let deployment =
            |name: &str, change: &str, t: &Target, fields: Vec<String>| DeploymentChange {
                name: name.to_string(),
                change: change.to_string(),
                model: t.model.clone(),
                api_base: t.api_base.clone(),
                weight: t.weight,
                fields,
            };
        let mut deployments = Vec::new();
        for g in &diff.groups {
            for t in &g.added {
                deployments.push(deployment(&g.name, "added", t, Vec::new()));
            }
            for t in &g.removed {
                deployments.push(deployment(&g.name, "removed", t, Vec::new()));
            }
            for (_, after, fields) in &g.changed {
                deployments.push(deployment(&g.name, "changed", after, fields.clone()));
            }
        }
        Semantic {
            summary: diff.summary(),
            deployments,
            fallbacks: diff
                .fallbacks
                .iter()
                .map(|f| FallbackChange {
                    list: f.list.clone(),
                    group: f.group.clone(),
                    before: f.before.clone(),
                    after: f.after.clone(),
                })
                .collect(),
            settings: diff
                .settings
                .iter()
                .map(|s| SettingChange {
                    path: s.path.clone(),
                    before: s.before.clone(),
                    after: s.after.clone(),
                    ignored_by_litellm: s.ignored,
                })
                .collect(),
        }
    }
}

/// Pretty JSON with a final newline.
pub fn to_json(report: &GenerateReport) -> String {
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"version\": {GENERATE_FORMAT}, \"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
