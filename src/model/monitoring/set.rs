//! What the monitoring files of a set say together: the provisioned datasources, the scrape
//! jobs, the recorded series, the labels a scraped series carries, and every PromQL query
//! of a file that goes to Prometheus.

use std::collections::BTreeSet;

use super::catalogue::catalogue;
use super::{Dashboard, Datasource, DatasourceRef, PrometheusConfig, Query, RulesFile, ScrapeJob};
use crate::model::{Config, ConfigSet, FileKind, SetMember, SourceFile};

impl ConfigSet {
    pub fn dashboards(&self) -> impl Iterator<Item = (&SetMember, &Dashboard)> {
        self.members.iter().filter_map(|m| match &m.file.config {
            Config::Dashboard(d) => Some((m, d.as_ref())),
            _ => None,
        })
    }

    /// Every provisioned datasource, with the file that provisions it.
    pub fn provisioned_datasources(&self) -> impl Iterator<Item = (&SetMember, &Datasource)> {
        self.members
            .iter()
            .filter_map(|m| match &m.file.config {
                Config::GrafanaDatasources(d) => Some((m, d)),
                _ => None,
            })
            .flat_map(|(m, d)| d.datasources.iter().map(move |ds| (m, ds)))
    }

    /// Whether the set has a Grafana datasource provisioning file that parsed: only then is
    /// what it provisions known.
    pub fn has_datasource_provisioning(&self) -> bool {
        self.members
            .iter()
            .any(|m| matches!(m.file.config, Config::GrafanaDatasources(_)))
    }

    /// The first datasource marked default for organisation 1, the one dashboards use.
    pub fn default_datasource(&self) -> Option<(&SetMember, &Datasource)> {
        self.provisioned_datasources()
            .find(|(_, d)| d.org_id == 1 && d.is_default())
    }

    pub fn prometheus_configs(&self) -> impl Iterator<Item = &PrometheusConfig> {
        self.members.iter().filter_map(|m| match &m.file.config {
            Config::PrometheusConfig(p) => Some(p),
            _ => None,
        })
    }

    pub fn scrape_jobs(&self) -> impl Iterator<Item = &ScrapeJob> {
        self.prometheus_configs().flat_map(|p| &p.jobs)
    }

    pub fn rule_files(&self) -> impl Iterator<Item = &RulesFile> {
        self.members.iter().filter_map(|m| match &m.file.config {
            Config::PrometheusRules(r) => Some(r),
            _ => None,
        })
    }

    /// The series the set's recording rules record: nobody exports them, yet they exist.
    pub fn recorded_metrics(&self) -> BTreeSet<&str> {
        self.rule_files()
            .flat_map(|f| &f.groups)
            .flat_map(|g| &g.rules)
            .filter_map(|r| r.record.as_ref().map(|r| r.value.as_str()))
            .collect()
    }

    /// The labels scraping adds to every series (`job`, `instance`, static labels,
    /// relabelling targets), when the set's Prometheus config says: `None` without one, or
    /// when relabelling may add labels not written in it.
    pub fn scrape_labels(&self) -> Option<BTreeSet<String>> {
        let mut configs = self.prometheus_configs().peekable();
        configs.peek()?;
        let mut labels: BTreeSet<String> = ["job", "instance"].map(String::from).into();
        for config in configs {
            if config.jobs.iter().any(|j| j.labelmap) {
                return None;
            }
            labels.extend(
                config
                    .jobs
                    .iter()
                    .flat_map(|j| j.added_labels.iter().cloned()),
            );
        }
        Some(labels)
    }

    /// The labels LiteLLM adds from `litellm_settings.custom_prometheus_metadata_labels`
    /// and `custom_prometheus_tags` of the set's litellm-unified.yaml, named as LiteLLM
    /// sanitises them.
    pub fn litellm_custom_labels(&self) -> Vec<String> {
        let Some(settings) = self
            .member(FileKind::Litellm)
            .and_then(|m| m.file.root())
            .and_then(|r| r.get("litellm_settings"))
        else {
            return Vec::new();
        };
        let sanitise = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        let list = |key: &str| -> Vec<String> {
            settings
                .get(key)
                .and_then(|n| n.as_sequence())
                .unwrap_or_default()
                .iter()
                .filter_map(|n| n.as_str())
                .map(str::to_string)
                .collect()
        };
        let mut labels: Vec<String> = list("custom_prometheus_metadata_labels")
            .iter()
            .map(|l| sanitise(l))
            .collect();
        labels.extend(
            list("custom_prometheus_tags")
                .iter()
                .map(|t| sanitise(&format!("tag_{t}"))),
        );
        labels
    }

    /// The labels a scraped series of `series` may carry: the catalogue's (optional ones
    /// included), `le` of a histogram bucket, the scrape's labels and LiteLLM's custom
    /// ones. `None` when the metric or its labels are not known.
    pub fn series_labels(&self, series: &str) -> Option<BTreeSet<String>> {
        let metric = catalogue().series(series)?;
        let mut labels: BTreeSet<String> = metric.labels.as_ref()?.iter().cloned().collect();
        labels.extend(metric.optional_labels.iter().cloned());
        if series.ends_with("_bucket") && metric.kind == "histogram" {
            labels.insert("le".to_string());
        }
        if metric.kind == "summary" && series == metric.name {
            labels.insert("quantile".to_string());
        }
        labels.extend(["job", "instance"].map(String::from));
        labels.extend(self.scrape_labels().unwrap_or_default());
        if metric.custom_labels {
            labels.extend(self.litellm_custom_labels());
        }
        Some(labels)
    }

    /// Whether a query with this datasource goes to Prometheus: a Prometheus reference, a
    /// variable or a name not provisioned here (assumed to), or no reference when the default
    /// datasource is one. Grafana's own pseudo datasources and other types do not.
    pub fn is_prometheus(&self, datasource: Option<&DatasourceRef>) -> bool {
        let Some(reference) = datasource else {
            return self
                .default_datasource()
                .is_none_or(|(_, d)| d.is_prometheus());
        };
        if reference.is_templated() {
            return true;
        }
        if reference.is_builtin() {
            return false;
        }
        if let Some(kind) = &reference.kind {
            return kind == "prometheus";
        }
        let name = reference.name.as_deref().unwrap_or("");
        self.provisioned_datasources()
            .find(|(_, d)| d.answers_to(name))
            .is_none_or(|(_, d)| d.is_prometheus())
    }
}

/// Every PromQL query of a file: a dashboard's Prometheus targets and query variables, a
/// rule file's expressions.
pub fn promql_queries<'a>(set: &ConfigSet, file: &'a SourceFile) -> Vec<&'a Query> {
    match &file.config {
        Config::Dashboard(d) => {
            let targets = d.panels.iter().flat_map(|p| {
                p.targets.iter().filter_map(move |t| {
                    let datasource = match &t.datasource {
                        Some(ds) if ds.kind.as_deref() != Some("__expr__") => Some(ds),
                        _ => p.datasource.as_ref(),
                    };
                    t.expr.as_ref().filter(|_| set.is_prometheus(datasource))
                })
            });
            let variables = d.variables.iter().filter_map(|v| {
                v.query
                    .as_ref()
                    .filter(|_| set.is_prometheus(v.datasource.as_ref()))
            });
            targets.chain(variables).collect()
        }
        Config::PrometheusRules(r) => r
            .groups
            .iter()
            .flat_map(|g| &g.rules)
            .filter_map(|r| r.expr.as_ref())
            .collect(),
        _ => Vec::new(),
    }
}
