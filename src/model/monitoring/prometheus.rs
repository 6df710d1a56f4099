//! Prometheus files: the config (scrape jobs and their targets, the labels scraping adds,
//! rule files, durations) and rule files (groups of alerting and recording rules).

use std::sync::OnceLock;

use regex::Regex;

use super::{bool_at, items, scalar_at, string_at, Query, Spanned};
use crate::syntax::Node;
use crate::text::TextRange;

#[derive(Clone, Debug, Default)]
pub struct PrometheusConfig {
    pub jobs: Vec<ScrapeJob>,
    pub rule_files: Vec<Spanned<String>>,
    /// Every duration setting (`scrape_interval`, `evaluation_interval`, ...).
    pub durations: Vec<DurationValue>,
}

impl PrometheusConfig {
    /// Whether a series' `job` may be other than its scrape job's name: relabelling
    /// rewrites it, maps labels wholesale, or the job keeps the labels it scrapes
    /// (`honor_labels`, as federation does).
    pub fn rewrites_jobs(&self) -> bool {
        self.jobs
            .iter()
            .any(|j| j.labelmap || j.honor_labels || j.added_labels.iter().any(|l| l == "job"))
    }
}

#[derive(Clone, Debug)]
pub struct ScrapeJob {
    pub name: Spanned<String>,
    pub targets: Vec<ScrapeTarget>,
    /// Labels the job attaches to every series: `static_configs[].labels` and the
    /// `target_label`s of its relabelling.
    pub added_labels: Vec<String>,
    /// Whether a `labelmap` relabelling adds labels whose names are not written here.
    pub labelmap: bool,
    /// `honor_labels: true`: the scraped series keep their own `job` and `instance`.
    pub honor_labels: bool,
}

/// One `static_configs` target, `host:port`.
#[derive(Clone, Debug)]
pub struct ScrapeTarget {
    pub host: String,
    pub port: Option<u16>,
    pub range: TextRange,
}

impl ScrapeTarget {
    fn parse(node: &Node) -> Option<ScrapeTarget> {
        let text = node.as_str()?.trim();
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest.split_once(']')?;
            (host, after.strip_prefix(':'))
        } else {
            match text.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            }
        };
        Some(ScrapeTarget {
            host: host.to_string(),
            port: port.and_then(|p| p.parse().ok()),
            range: node.range,
        })
    }

    /// Whether the target is this machine (where ports.yaml's ports are).
    pub fn is_local(&self) -> bool {
        is_local_host(&self.host)
    }
}

/// Whether a host name or address is this machine.
pub fn is_local_host(host: &str) -> bool {
    matches!(
        host,
        "localhost" | "127.0.0.1" | "::1" | "[::1]" | "0.0.0.0"
    ) || host.starts_with("127.")
}

/// A duration setting as written (`for: 5m`, and `for: 300`, which is not one).
#[derive(Clone, Debug)]
pub struct DurationValue {
    pub key: String,
    pub value: Spanned<String>,
}

/// Whether Prometheus reads `text` as a duration: units from `y` to `ms` in that order,
/// each once (`1h30m`), or `0`.
pub fn is_valid_duration(text: &str) -> bool {
    static DURATION: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = DURATION.get_or_init(|| {
        Regex::new(r"^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$").ok()
    });
    text == "0" || (!text.is_empty() && pattern.as_ref().is_some_and(|p| p.is_match(text)))
}

fn durations_of(node: &Node, keys: &[&str], out: &mut Vec<DurationValue>) {
    for key in keys {
        if let Some(value) = scalar_at(node, key) {
            out.push(DurationValue {
                key: key.to_string(),
                value,
            });
        }
    }
}

pub fn lower_prometheus(root: &Node) -> PrometheusConfig {
    let mut config = PrometheusConfig::default();
    if let Some(global) = root.get("global") {
        durations_of(
            global,
            &["scrape_interval", "scrape_timeout", "evaluation_interval"],
            &mut config.durations,
        );
    }
    config.rule_files = items(root, "rule_files")
        .iter()
        .filter_map(|n| Some(Spanned::new(n.as_str()?.to_string(), n.range)))
        .collect();
    for job in items(root, "scrape_configs") {
        let Some(name) = string_at(job, "job_name") else {
            continue;
        };
        durations_of(
            job,
            &["scrape_interval", "scrape_timeout"],
            &mut config.durations,
        );
        let mut scrape = ScrapeJob {
            name,
            targets: Vec::new(),
            added_labels: Vec::new(),
            labelmap: false,
            honor_labels: bool_at(job, "honor_labels").is_some_and(|h| h.value),
        };
        for static_config in items(job, "static_configs") {
            scrape.targets.extend(
                items(static_config, "targets")
                    .iter()
                    .filter_map(ScrapeTarget::parse),
            );
            if let Some(labels) = static_config.get("labels") {
                scrape.added_labels.extend(
                    labels
                        .entries()
                        .iter()
                        .filter_map(|e| e.key.scalar_text().map(str::to_string)),
                );
            }
        }
        for key in ["relabel_configs", "metric_relabel_configs"] {
            for relabel in items(job, key) {
                if let Some(target) = string_at(relabel, "target_label") {
                    scrape.added_labels.push(target.value);
                }
                if string_at(relabel, "action").is_some_and(|a| a.value == "labelmap") {
                    scrape.labelmap = true;
                }
            }
        }
        config.jobs.push(scrape);
    }
    config
}

#[derive(Clone, Debug, Default)]
pub struct RulesFile {
    pub groups: Vec<RuleGroup>,
    pub durations: Vec<DurationValue>,
}

#[derive(Clone, Debug)]
pub struct RuleGroup {
    pub name: Option<Spanned<String>>,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub alert: Option<Spanned<String>>,
    pub record: Option<Spanned<String>>,
    pub expr: Option<Query>,
}

/// A rule file: `groups` at the top, or under `spec` (a Kubernetes PrometheusRule).
pub fn lower_rules(root: &Node) -> RulesFile {
    let root = match root.get("spec") {
        Some(spec) if root.get("groups").is_none() => spec,
        _ => root,
    };
    let mut file = RulesFile::default();
    for group in items(root, "groups") {
        durations_of(group, &["interval"], &mut file.durations);
        let rules = items(group, "rules")
            .iter()
            .filter(|r| r.as_mapping().is_some())
            .map(|r| {
                durations_of(r, &["for", "keep_firing_for"], &mut file.durations);
                Rule {
                    alert: string_at(r, "alert"),
                    record: string_at(r, "record"),
                    expr: r.get("expr").and_then(Query::from_node),
                }
            })
            .collect();
        file.groups.push(RuleGroup {
            name: string_at(group, "name"),
            rules,
        });
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_prometheus_reads_them() {
        for ok in ["5m", "1h30m", "0", "30s", "1y2w3d4h5m6s7ms", "500ms"] {
            assert!(is_valid_duration(ok), "{ok}");
        }
        for bad in ["", "5 m", "5min", "300", "1.5h", "m", "30m1h", "-5m", "5M"] {
            assert!(!is_valid_duration(bad), "{bad}");
        }
    }

    #[test]
    fn jobs_targets_and_labels() {
        let text = "scrape_configs:\n  - job_name: litellm\n    static_configs:\n      - targets: ['localhost:4000', '[::1]:9121', 'gpu-box']\n        labels: {env: lab}\n    relabel_configs:\n      - target_label: instance\n        replacement: gateway\n";
        let parse = crate::syntax::parse(text);
        let config = lower_prometheus(parse.root.as_ref().unwrap());
        let job = &config.jobs[0];
        assert_eq!(job.name.value, "litellm");
        let targets: Vec<(&str, Option<u16>)> = job
            .targets
            .iter()
            .map(|t| (t.host.as_str(), t.port))
            .collect();
        assert_eq!(
            targets,
            vec![
                ("localhost", Some(4000)),
                ("::1", Some(9121)),
                ("gpu-box", None)
            ]
        );
        assert_eq!(
            job.added_labels,
            vec!["env".to_string(), "instance".to_string()]
        );
        assert!(!config.rewrites_jobs());
    }
}
