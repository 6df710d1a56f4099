//! Grafana dashboard JSON, read through the YAML front end (JSON is YAML): panels (rows'
//! panels included) with their ids, grid positions, datasources and PromQL targets, and the
//! dashboard's template variables.

use std::borrow::Cow;

use super::{bool_at, int_at, items, string_at, Query, Spanned};
use crate::syntax::Node;
use crate::text::TextRange;

#[derive(Clone, Debug, Default)]
pub struct Dashboard {
    pub uid: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    /// Every panel in document order; a row's own panels follow it.
    pub panels: Vec<Panel>,
    pub variables: Vec<Variable>,
    /// The names of `__inputs`, filled in when the dashboard is imported (`DS_PROMETHEUS`).
    pub inputs: Vec<String>,
}

impl Dashboard {
    /// Every datasource reference: of the panels, their targets and the variables.
    pub fn datasource_references(&self) -> impl Iterator<Item = &DatasourceRef> {
        let panels = self.panels.iter().flat_map(|p| {
            p.datasource
                .iter()
                .chain(p.targets.iter().filter_map(|t| t.datasource.as_ref()))
        });
        panels.chain(self.variables.iter().filter_map(|v| v.datasource.as_ref()))
    }
}

#[derive(Clone, Debug)]
pub struct Panel {
    pub id: Option<Spanned<i64>>,
    pub title: Option<Spanned<String>>,
    pub kind: Option<String>,
    pub grid: Option<Grid>,
    pub datasource: Option<DatasourceRef>,
    pub targets: Vec<Target>,
    /// The variable a repeated panel repeats over.
    pub repeat: Option<Spanned<String>>,
    /// The index (in `panels`) of the collapsed row that holds this panel: such panels are
    /// laid out only when the row is expanded.
    pub collapsed_in: Option<usize>,
    /// The panel's own mapping.
    pub range: TextRange,
}

/// `gridPos`: the panel's place on the 24-column grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    pub range: TextRange,
}

impl Grid {
    pub fn overlaps(&self, other: &Grid) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

#[derive(Clone, Debug)]
pub struct Target {
    pub expr: Option<Query>,
    pub datasource: Option<DatasourceRef>,
    pub range: TextRange,
}

/// A datasource reference: a string (a name, or a uid), or `{ "type", "uid" }`.
#[derive(Clone, Debug)]
pub struct DatasourceRef {
    /// The string, or the object's `uid`.
    pub name: Option<String>,
    /// The object's `type` (`prometheus`, `loki`, ...).
    pub kind: Option<String>,
    /// The range of the name or uid when there is one, else of the reference.
    pub range: TextRange,
}

impl DatasourceRef {
    fn from_node(node: &Node) -> Option<DatasourceRef> {
        if let Some(name) = node.as_str() {
            return Some(DatasourceRef {
                name: Some(name.to_string()),
                kind: None,
                range: node.range,
            });
        }
        node.as_mapping()?;
        let uid = string_at(node, "uid");
        Some(DatasourceRef {
            range: uid.as_ref().map_or(node.range, |u| u.range),
            name: uid.map(|u| u.value),
            kind: string_at(node, "type").map(|t| t.value),
        })
    }

    /// Whether it names one of Grafana's own pseudo datasources (`-- Grafana --`,
    /// `-- Mixed --`, `-- Dashboard --`, or the `grafana`/`datasource` types).
    pub fn is_builtin(&self) -> bool {
        let name = self.name.as_deref().unwrap_or("");
        matches!(
            name,
            "-- Grafana --" | "-- Mixed --" | "-- Dashboard --" | "grafana" | "default"
        ) || matches!(self.kind.as_deref(), Some("datasource" | "grafana"))
    }

    /// Whether it is a template variable (`$ds`, `${DS_PROMETHEUS}`).
    pub fn is_templated(&self) -> bool {
        self.name.as_deref().is_some_and(|n| n.contains('$'))
    }
}

/// A template variable of `templating.list`.
#[derive(Clone, Debug)]
pub struct Variable {
    pub name: Spanned<String>,
    pub kind: Option<String>,
    /// The PromQL of a query variable (`label_values(selector, label)`,
    /// `query_result(query)`), positioned inside the variable's query string.
    pub query: Option<Query>,
    pub datasource: Option<DatasourceRef>,
}

/// The dashboard of a file: the root, or the `dashboard` of an API export.
pub fn lower_dashboard(root: &Node) -> Dashboard {
    let root = match root.get("dashboard") {
        Some(inner) if inner.as_mapping().is_some() && root.get("panels").is_none() => inner,
        _ => root,
    };
    let mut dashboard = Dashboard {
        uid: string_at(root, "uid"),
        title: string_at(root, "title"),
        ..Dashboard::default()
    };
    for panel in items(root, "panels") {
        lower_panel(panel, None, &mut dashboard.panels);
    }
    // Dashboards older than schema 16 keep their panels in `rows`.
    for row in items(root, "rows") {
        for panel in items(row, "panels") {
            lower_panel(panel, None, &mut dashboard.panels);
        }
    }
    let templating = root.get("templating").unwrap_or(root);
    dashboard.variables = items(templating, "list")
        .iter()
        .filter_map(lower_variable)
        .collect();
    dashboard.inputs = items(root, "__inputs")
        .iter()
        .filter_map(|i| i.get("name")?.as_str().map(str::to_string))
        .collect();
    dashboard
}

fn lower_panel(node: &Node, collapsed_in: Option<usize>, out: &mut Vec<Panel>) {
    if node.as_mapping().is_none() {
        return;
    }
    let grid = node.get("gridPos").and_then(|g| {
        Some(Grid {
            x: int_at(g, "x").map_or(0, |v| v.value),
            y: int_at(g, "y").map_or(0, |v| v.value),
            w: int_at(g, "w")?.value,
            h: int_at(g, "h")?.value,
            range: g.range,
        })
    });
    let kind = string_at(node, "type").map(|t| t.value);
    let targets = items(node, "targets")
        .iter()
        .filter(|t| t.as_mapping().is_some())
        .map(|t| Target {
            expr: t.get("expr").and_then(Query::from_node),
            datasource: t.get("datasource").and_then(DatasourceRef::from_node),
            range: t.range,
        })
        .collect();
    let index = out.len();
    let is_collapsed_row =
        kind.as_deref() == Some("row") && bool_at(node, "collapsed").is_some_and(|c| c.value);
    out.push(Panel {
        id: int_at(node, "id"),
        title: string_at(node, "title"),
        kind,
        grid,
        datasource: node.get("datasource").and_then(DatasourceRef::from_node),
        targets,
        repeat: string_at(node, "repeat").filter(|r| !r.value.is_empty()),
        collapsed_in,
        range: node.range,
    });
    let children_in = if is_collapsed_row {
        Some(index)
    } else {
        collapsed_in
    };
    for child in items(node, "panels") {
        lower_panel(child, children_in, out);
    }
}

fn lower_variable(node: &Node) -> Option<Variable> {
    let name = string_at(node, "name")?;
    let kind = string_at(node, "type").map(|t| t.value);
    let query = match kind.as_deref() {
        Some("query") | None => {
            let query = node.get("query");
            let text = query.and_then(|q| {
                if q.as_mapping().is_some() {
                    q.get("query")
                } else {
                    Some(q)
                }
            });
            text.and_then(variable_query)
        }
        _ => None,
    };
    Some(Variable {
        name,
        kind,
        query,
        datasource: node.get("datasource").and_then(DatasourceRef::from_node),
    })
}

/// The PromQL inside a Prometheus query variable: the selector of
/// `label_values(selector, label)` or the query of `query_result(query)`.
fn variable_query(node: &Node) -> Option<Query> {
    let text = node.as_str()?.trim();
    let (inner_start, inner) = if let Some(args) = call_args(text, "query_result") {
        args
    } else {
        let (start, args) = call_args(text, "label_values")?;
        // The selector is everything before the last comma; one argument is a label only.
        let comma = args.rfind(',')?;
        (start, &args[..comma])
    };
    let value = node.as_scalar()?.value.to_string();
    let offset = value.find(text).unwrap_or(0) + inner_start;
    Some(Query {
        analysis: super::promql::analyze(inner).shifted(offset),
        node: node.resolved().clone(),
        text: value,
    })
}

/// `name(args)` → (offset of `args` in `text`, `args`).
fn call_args<'a>(text: &'a str, name: &str) -> Option<(usize, &'a str)> {
    let rest = text.strip_prefix(name)?;
    let open = rest.len() - rest.trim_start().len();
    let body = rest.trim_start().strip_prefix('(')?.strip_suffix(')')?;
    Some((name.len() + open + 1, body))
}

/// `text` ready for the YAML front end: JSON is YAML except for escaped UTF-16 surrogates
/// (`"\ud83d\ude00"`), which YAML rejects. Each such escape becomes `\ufffd`, the same
/// length, so every offset stays where it was; only the value of that string changes.
pub fn json_as_yaml(text: &str) -> Cow<'_, str> {
    if !text.contains("\\u") && !text.contains("\\U") {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => {
                let is_surrogate = matches!(bytes.get(i + 1), Some(b'u' | b'U'))
                    && bytes.get(i + 2..i + 6).is_some_and(|hex| {
                        std::str::from_utf8(hex)
                            .ok()
                            .and_then(|h| u16::from_str_radix(h, 16).ok())
                            .is_some_and(|code| (0xD800..=0xDFFF).contains(&code))
                    });
                if is_surrogate {
                    let buffer = out.get_or_insert_with(|| bytes.to_vec());
                    buffer[i + 1..i + 6].copy_from_slice(b"ufffd");
                    i += 6;
                    continue;
                }
                i += 1; // the escaped character
            }
            _ => {}
        }
        i += 1;
    }
    match out {
        Some(bytes) => Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dashboard(json: &str) -> Dashboard {
        let parse = crate::syntax::parse(&json_as_yaml(json));
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        lower_dashboard(parse.root.as_ref().unwrap())
    }

    #[test]
    fn panels_rows_targets_and_variables() {
        let d = dashboard(
            r#"{"uid": "gw", "panels": [
                {"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
                 "datasource": {"type": "prometheus", "uid": "prom"},
                 "targets": [{"expr": "up{job=\"litellm\"}", "refId": "A"}]},
                {"id": 2, "type": "row", "collapsed": true, "gridPos": {"x": 0, "y": 8, "w": 24, "h": 1},
                 "panels": [{"id": 3, "datasource": "Prometheus", "targets": [{"expr": "x"}]}]}
              ],
              "templating": {"list": [
                {"name": "model", "type": "query", "query": {"query": "label_values(litellm_requests_metric_total{job=\"litellm\"}, model)"}},
                {"name": "ds", "type": "datasource", "query": "prometheus"}
              ]},
              "__inputs": [{"name": "DS_PROMETHEUS"}]}"#,
        );
        assert_eq!(d.uid.unwrap().value, "gw");
        assert_eq!(d.panels.len(), 3);
        assert_eq!(
            d.panels[0].targets[0].expr.as_ref().unwrap().text,
            "up{job=\"litellm\"}"
        );
        assert_eq!(
            d.panels[0].datasource.as_ref().unwrap().name.as_deref(),
            Some("prom")
        );
        assert_eq!(d.panels[2].collapsed_in, Some(1));
        assert_eq!(
            d.panels[2].datasource.as_ref().unwrap().name.as_deref(),
            Some("Prometheus")
        );
        assert_eq!(d.variables.len(), 2);
        let q = d.variables[0].query.as_ref().unwrap();
        let selector = &q.analysis.selectors[0];
        let name = selector.name.as_ref().unwrap();
        assert_eq!(&q.text[name.range.clone()], "litellm_requests_metric_total");
        assert_eq!(d.inputs, vec!["DS_PROMETHEUS".to_string()]);
    }

    #[test]
    fn surrogate_escapes_keep_every_offset() {
        let json = r#"{"title": "\ud83d\ude80 rocket \\ud800", "panels": []}"#;
        let yaml = json_as_yaml(json);
        assert_eq!(yaml.len(), json.len());
        assert_eq!(
            yaml,
            r#"{"title": "\ufffd\ufffd rocket \\ud800", "panels": []}"#
        );
        assert_eq!(
            dashboard(json).title.unwrap().value,
            "\u{fffd}\u{fffd} rocket \\ud800"
        );
        assert!(matches!(json_as_yaml("{\"a\": 1}"), Cow::Borrowed(_)));
    }

    #[test]
    fn grids_overlap_only_when_they_share_cells() {
        let g = |x, y, w, h| Grid {
            x,
            y,
            w,
            h,
            range: TextRange::new(0, 0),
        };
        assert!(g(0, 0, 12, 8).overlaps(&g(6, 4, 12, 8)));
        assert!(!g(0, 0, 12, 8).overlaps(&g(12, 0, 12, 8)));
        assert!(!g(0, 0, 12, 8).overlaps(&g(0, 8, 12, 8)));
    }
}
