//! Monitoring files beside the gateway config: Grafana dashboards and provisioning files,
//! Prometheus config and rule files, the PromQL in them, and the catalogue of metrics the
//! gateway's exporters publish.

pub mod catalogue;
mod dashboard;
mod grafana;
mod prometheus;
pub mod promql;
mod set;
pub mod template;

pub use dashboard::{
    json_as_yaml, lower_dashboard, Dashboard, DatasourceRef, Grid, Panel, Target, Variable,
};
pub use grafana::{
    lower_dashboard_providers, lower_datasources, DashboardProvider, DashboardProvidersFile,
    Datasource, DatasourcesFile,
};
pub use prometheus::{
    is_local_host, is_valid_duration, lower_prometheus, lower_rules, DurationValue,
    PrometheusConfig, Rule, RuleGroup, RulesFile, ScrapeJob, ScrapeTarget,
};
pub use set::promql_queries;

use std::ops::Range;

use super::{value_subrange, FileKind, Spanned};
use crate::syntax::{Node, ScalarStyle, Value};
use crate::text::TextRange;
use promql::Analysis;

/// A PromQL query as written in a file: its text, the scalar it came from (to map positions
/// in the text to the source), and what it holds.
#[derive(Clone, Debug)]
pub struct Query {
    pub text: String,
    node: Node,
    pub analysis: Analysis,
}

impl Query {
    /// The query of a string scalar; `None` for anything else or blank text.
    pub fn from_node(node: &Node) -> Option<Query> {
        let text = node.as_scalar()?.value.to_string();
        if text.trim().is_empty() {
            return None;
        }
        Some(Query {
            analysis: promql::analyze(&text),
            node: node.resolved().clone(),
            text,
        })
    }

    /// The node's range: the whole query as written.
    pub fn range(&self) -> TextRange {
        self.node.range
    }

    /// The source range of `range` of the query's text: exact for one-line plain and
    /// quoted scalars (escapes followed) and for literal block scalars, else the whole node.
    pub fn source_range(&self, source: &str, range: Range<usize>) -> TextRange {
        let is_literal = self
            .node
            .as_scalar()
            .is_some_and(|s| s.style == ScalarStyle::Literal);
        if !is_literal {
            return value_subrange(source, &self.node, range);
        }
        let raw = source.get(self.node.range.as_range()).unwrap_or("");
        match literal_offsets(raw, &self.text) {
            Some(map) if range.end < map.len() && range.start <= range.end => {
                let base = self.node.range.start as usize;
                TextRange::new(
                    base + map[range.start],
                    base + map[range.end].max(map[range.start]),
                )
            }
            _ => self.node.range,
        }
    }
}

/// For each byte of a literal block scalar's value (plus its end), its offset in the raw
/// text (`|` header included); `None` when the value is not the raw lines minus their
/// indentation (CRLF, tabs, explicit indentation indicators...).
fn literal_offsets(raw: &str, value: &str) -> Option<Vec<usize>> {
    let body_start = raw.find('\n')? + 1;
    let body = &raw[body_start..];
    let indent = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())?;
    let mut map = Vec::with_capacity(value.len() + 1);
    let mut offset = body_start;
    for line in body.split_inclusive('\n') {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        map.extend((indent.min(spaces)..line.len()).map(|i| offset + i));
        offset += line.len();
    }
    // The node's range ends at its last character: a kept final line break lies beyond.
    while map.len() < value.len() && value.as_bytes()[map.len()] == b'\n' {
        map.push(offset);
    }
    if map.len() < value.len() {
        return None;
    }
    map.truncate(value.len());
    let consistent = value
        .bytes()
        .zip(&map)
        .all(|(b, &at)| raw.as_bytes().get(at).map_or(b == b'\n', |&r| r == b));
    if !consistent {
        return None;
    }
    map.push(offset);
    Some(map)
}

/// Recognises a monitoring file by its content: the signature keys of a Grafana dashboard
/// (`panels`, or one wrapped in `dashboard`), a provisioning file (`apiVersion` with
/// `datasources` or `providers`), a Prometheus config (`scrape_configs`, or `global` with
/// `rule_files`/`alerting`) or a rule file (`groups` whose entries hold `rules`, at the top
/// or in a Kubernetes `PrometheusRule`).
pub fn detect(name: &str, text: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        let head = text.trim_start();
        return (head.starts_with('{')
            && (text.contains("\"panels\"") || text.contains("\"rows\"")))
        .then_some(FileKind::Dashboard);
    }
    if !(lower.ends_with(".yml") || lower.ends_with(".yaml")) {
        return None;
    }
    let top_level: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']) && l.contains(':'))
        .filter_map(|l| l.split(':').next())
        .map(|k| k.trim().trim_matches(['"', '\'']))
        .collect();
    let has = |k: &str| top_level.contains(&k);
    if has("apiVersion") && (has("datasources") || has("deleteDatasources")) {
        Some(FileKind::GrafanaDatasources)
    } else if has("apiVersion") && has("providers") {
        Some(FileKind::GrafanaDashboards)
    } else if has("scrape_configs") || (has("global") && (has("rule_files") || has("alerting"))) {
        Some(FileKind::PrometheusConfig)
    } else if (has("groups") || (has("kind") && text.contains("PrometheusRule")))
        && text.contains("rules:")
        && text.contains("expr:")
    {
        Some(FileKind::PrometheusRules)
    } else {
        None
    }
}

// ---------------------------------------------------------------- tree helpers

/// The value at `key` of a mapping, read by `read`, with its range.
fn spanned_at<T>(
    node: &Node,
    key: &str,
    read: impl FnOnce(&Node) -> Option<T>,
) -> Option<Spanned<T>> {
    let entry = node.get_entry(key)?;
    Some(Spanned::new(read(&entry.value)?, entry.value.range))
}

fn string_at(node: &Node, key: &str) -> Option<Spanned<String>> {
    spanned_at(node, key, |v| v.as_str().map(str::to_string))
}

/// A scalar's text whatever it resolves to (`for: 300` is a duration written wrong, not
/// something else).
fn scalar_at(node: &Node, key: &str) -> Option<Spanned<String>> {
    spanned_at(node, key, |v| v.scalar_text().map(str::to_string))
}

fn int_at(node: &Node, key: &str) -> Option<Spanned<i64>> {
    spanned_at(node, key, |v| match v.as_scalar()?.resolve() {
        Value::Int(i) => Some(i),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(f as i64),
        _ => None,
    })
}

fn bool_at(node: &Node, key: &str) -> Option<Spanned<bool>> {
    spanned_at(node, key, |v| match v.as_scalar()?.resolve() {
        Value::Bool(b) => Some(b),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

fn items<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    node.get(key)
        .and_then(Node::as_sequence)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_their_content() {
        assert_eq!(
            detect("a.json", "{\"panels\": []}"),
            Some(FileKind::Dashboard)
        );
        assert_eq!(detect("a.json", "{\"name\": 1}"), None);
        assert_eq!(
            detect("ds.yml", "apiVersion: 1\ndatasources:\n  - name: x\n"),
            Some(FileKind::GrafanaDatasources)
        );
        assert_eq!(
            detect("dashboards.yml", "apiVersion: 1\nproviders:\n  - name: x\n"),
            Some(FileKind::GrafanaDashboards)
        );
        assert_eq!(
            detect(
                "p.yml",
                "global:\n  scrape_interval: 15s\nscrape_configs: []\n"
            ),
            Some(FileKind::PrometheusConfig)
        );
        assert_eq!(
            detect(
                "alerts.yml",
                "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: up == 0\n"
            ),
            Some(FileKind::PrometheusRules)
        );
        assert_eq!(
            detect("rule.yaml", "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: a\n      rules:\n        - alert: X\n          expr: up == 0\n"),
            Some(FileKind::PrometheusRules)
        );
        assert_eq!(detect("x.yml", "groups: [a, b]\n"), None);
    }

    #[test]
    fn literal_block_positions_map_to_their_lines() {
        let source = "expr: |\n  sum(rate(x[5m]))\n    / 2\nnext: 1\n";
        let parse = crate::syntax::parse(source);
        let node = parse.root.as_ref().unwrap().get("expr").unwrap();
        let query = Query::from_node(node).unwrap();
        assert_eq!(query.text, "sum(rate(x[5m]))\n  / 2\n");
        let at = query.text.find('/').unwrap();
        let range = query.source_range(source, at..at + 1);
        assert_eq!(&source[range.as_range()], "/");
        let x = query.text.find('x').unwrap();
        assert_eq!(
            &source[query.source_range(source, x..x + 1).as_range()],
            "x"
        );
    }
}
