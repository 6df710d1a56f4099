//! The metric catalogue: every metric LiteLLM, vLLM and redis_exporter publish at the versions
//! aiblint pins, with its series and labels. Generated data (`catalogue.json`, written by
//! `scripts/metric-catalogue.py` from the pinned packages), read once.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// Where the metrics of one exporter were read from.
#[derive(Debug, Deserialize)]
pub struct Source {
    pub exporter: String,
    pub package: String,
    pub version: String,
    /// Whether every metric of the exporter is listed (read from its sources), rather than
    /// those seen in one scrape.
    #[serde(default)]
    pub exhaustive: bool,
}

/// One metric family.
#[derive(Debug, Deserialize)]
pub struct Metric {
    pub name: String,
    pub exporter: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The series names a scrape shows (`_total`, `_bucket`, ... included).
    pub series: Vec<String>,
    /// `None` when the labels could not be read statically.
    pub labels: Option<Vec<String>>,
    /// Labels that settings of the exporter may add.
    #[serde(default)]
    pub optional_labels: Vec<String>,
    /// Whether user-configured labels (LiteLLM's custom metadata labels and `tag_*`) apply.
    #[serde(default)]
    pub custom_labels: bool,
    pub versions: Vec<String>,
    /// What the exporter needs for the metric to appear.
    pub requires: String,
    /// The LiteLLM setting that turns the metric on, when one does.
    #[serde(default)]
    pub callback: Option<Callback>,
}

/// A LiteLLM callback a metric needs: `value` listed in `litellm_settings.<setting>`.
#[derive(Debug, Deserialize, PartialEq, Eq)]
pub struct Callback {
    pub setting: String,
    pub value: String,
}

#[derive(Debug, Deserialize)]
pub struct Catalogue {
    pub sources: Vec<Source>,
    pub metrics: Vec<Metric>,
    #[serde(skip)]
    by_series: HashMap<String, usize>,
}

/// The exporters whose metric names share a prefix, with that prefix.
const NAMESPACES: [(&str, &str); 3] = [
    ("litellm", "litellm_"),
    ("vllm", "vllm:"),
    ("redis_exporter", "redis_"),
];

/// Words that say what kind of series a name is rather than what it measures.
const SUFFIX_WORDS: [&str; 6] = ["total", "metric", "count", "sum", "bucket", "created"];

/// Units: they say how a quantity is measured, not which one.
const UNIT_WORDS: [&str; 4] = ["seconds", "milliseconds", "bytes", "ratio"];

/// The catalogue shipped with aiblint.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::from_json(include_str!("catalogue.json")))
}

impl Catalogue {
    /// Reads a catalogue; malformed data gives an empty one (the data is generated and
    /// checked by tests, so this is not a user-facing failure).
    pub fn from_json(json: &str) -> Catalogue {
        let mut catalogue: Catalogue = serde_json::from_str(json).unwrap_or(Catalogue {
            sources: Vec::new(),
            metrics: Vec::new(),
            by_series: HashMap::new(),
        });
        for (i, metric) in catalogue.metrics.iter().enumerate() {
            for series in &metric.series {
                catalogue.by_series.entry(series.clone()).or_insert(i);
            }
        }
        catalogue
    }

    /// The metric a series name belongs to.
    pub fn series(&self, name: &str) -> Option<&Metric> {
        self.by_series.get(name).map(|&i| &self.metrics[i])
    }

    /// The exporter whose namespace `name` is in (`litellm_…`, `vllm:…`, `redis_…`).
    pub fn namespace_of(&self, name: &str) -> Option<&Source> {
        let (exporter, _) = NAMESPACES
            .iter()
            .find(|(_, prefix)| name.starts_with(prefix))?;
        self.sources.iter().find(|s| s.exporter == *exporter)
    }

    /// "LiteLLM 1.110.2 and 1.83.7": the exporter and the versions read.
    pub fn describe(&self, exporter: &str) -> String {
        let versions: Vec<&str> = self
            .sources
            .iter()
            .filter(|s| s.exporter == exporter)
            .map(|s| s.version.as_str())
            .collect();
        let name = match exporter {
            "litellm" => "LiteLLM",
            "vllm" => "vLLM",
            "prometheus" => "Prometheus",
            other => other,
        };
        match versions.as_slice() {
            [] => name.to_string(),
            [one] => format!("{name} {one}"),
            [rest @ .., last] => format!("{name} {} and {last}", rest.join(", ")),
        }
    }

    /// The series a misspelt or half-remembered name most likely means: the counter or
    /// histogram series of a bare family name, a close spelling, or the name of the same
    /// exporter that has the typo's words (`litellm_requests_total` →
    /// `litellm_requests_metric_total`).
    pub fn suggest(&self, name: &str) -> Option<&str> {
        for suffix in ["_total", "_bucket"] {
            let candidate = format!("{name}{suffix}");
            if let Some((series, _)) = self.by_series.get_key_value(&candidate) {
                return Some(series);
            }
        }
        let names = self.suggestable(name);
        self.with_the_same_words(name, &names)
            .or_else(|| crate::diagnostic::suggest(name, names.iter().copied()))
            .or_else(|| self.with_half_the_words(name, &names))
    }

    /// The series of the same exporter and kind (`_bucket`, `_total`, ...) that shares the
    /// most words with `name` that say what it measures, at least half of them.
    fn with_half_the_words<'a>(&self, name: &str, names: &[&'a str]) -> Option<&'a str> {
        let (namespace, prefix) = NAMESPACES
            .iter()
            .find(|(_, prefix)| name.starts_with(prefix))?;
        let namespace_word = prefix.trim_end_matches(['_', ':']);
        let meaningful =
            |w: &&str| !SUFFIX_WORDS.contains(w) && !UNIT_WORDS.contains(w) && *w != namespace_word;
        let wanted: Vec<&str> = words(name).filter(meaningful).collect();
        let kind = |n: &str| {
            words(n)
                .last()
                .filter(|w| SUFFIX_WORDS.contains(w))
                .map(str::to_string)
        };
        let shared = |candidate: &str| {
            words(candidate)
                .filter(meaningful)
                .filter(|w| wanted.contains(w))
                .count()
        };
        names
            .iter()
            .copied()
            .filter(|c| kind(c) == kind(name))
            .filter(|c| self.series(c).is_some_and(|m| m.exporter == *namespace))
            .filter(|c| shared(c) > 0 && 2 * shared(c) >= wanted.len())
            .min_by_key(|c| {
                let extra = words(c).filter(meaningful).count() - shared(c);
                (std::cmp::Reverse(shared(c)), extra, *c)
            })
    }

    /// The series of the same exporter that has every word of `name` that says what it
    /// measures, with the fewest other words.
    fn with_the_same_words<'a>(&self, name: &str, names: &[&'a str]) -> Option<&'a str> {
        let (namespace, _) = NAMESPACES
            .iter()
            .find(|(_, prefix)| name.starts_with(prefix))?;
        let meaningful = |w: &&str| !SUFFIX_WORDS.contains(w);
        let wanted: Vec<&str> = words(name).filter(meaningful).collect();
        if wanted.len() < 2 {
            return None;
        }
        let last = words(name).last();
        names
            .iter()
            .copied()
            .filter(|candidate| {
                self.series(candidate)
                    .is_some_and(|m| m.exporter == *namespace)
            })
            .filter(|candidate| wanted.iter().all(|w| words(candidate).any(|c| c == *w)))
            .min_by_key(|candidate| {
                let extra = |w: &&str| !wanted.contains(w);
                (
                    words(candidate).filter(meaningful).filter(extra).count(),
                    words(candidate).filter(extra).count(),
                    words(candidate).last() != last,
                    *candidate,
                )
            })
    }

    /// The series worth suggesting for `name`: never a `_created` series, and histogram or
    /// summary parts only when the typo has the same suffix.
    fn suggestable(&self, name: &str) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .by_series
            .keys()
            .map(String::as_str)
            .filter(|s| !s.ends_with("_created"))
            .filter(|s| {
                ["_bucket", "_sum", "_count"]
                    .iter()
                    .all(|suffix| !s.ends_with(suffix) || name.ends_with(suffix))
            })
            .collect();
        names.sort_unstable();
        names
    }
}

fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(['_', ':']).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_reads_and_covers_every_exporter() {
        let c = catalogue();
        for exporter in ["litellm", "vllm", "redis_exporter", "prometheus"] {
            assert!(
                c.metrics.iter().any(|m| m.exporter == exporter),
                "{exporter} has no metrics"
            );
            assert!(c.sources.iter().any(|s| s.exporter == exporter));
        }
        let requests = c.series("litellm_requests_metric_total").unwrap();
        assert_eq!(requests.kind, "counter");
        assert!(requests
            .labels
            .as_ref()
            .unwrap()
            .contains(&"model".to_string()));
        assert_eq!(
            c.series("vllm:num_requests_running").unwrap().exporter,
            "vllm"
        );
        assert_eq!(
            requests.callback,
            Some(Callback {
                setting: "callbacks".into(),
                value: "prometheus".into()
            })
        );
        assert!(c
            .series("litellm_in_flight_requests")
            .unwrap()
            .callback
            .is_none());
        assert!(c.series("redis_keyspace_hits_total").is_some());
        assert!(c.series("up").is_some());
        assert!(c.series("litellm_requests_metric").is_none());
        assert_eq!(c.describe("litellm"), "LiteLLM 1.110.2 and 1.83.7");
    }

    #[test]
    fn suggestions_find_the_real_name() {
        let c = catalogue();
        assert_eq!(
            c.suggest("litellm_requests_total"),
            Some("litellm_requests_metric_total")
        );
        assert_eq!(
            c.suggest("litellm_requests_metric"),
            Some("litellm_requests_metric_total")
        );
        assert_eq!(
            c.suggest("litellm_request_total_latency_metric"),
            Some("litellm_request_total_latency_metric_bucket")
        );
        assert_eq!(
            c.suggest("vllm:num_request_running"),
            Some("vllm:num_requests_running")
        );
        assert_eq!(
            c.suggest("litellm_request_duration_seconds_bucket"),
            Some("litellm_request_total_latency_metric_bucket")
        );
        assert_eq!(c.suggest("node_cpu_seconds_total"), None);
    }

    #[test]
    fn litellm_versions_are_those_of_the_litellm_catalogue() {
        use crate::model::litellm::{LITELLM_BASELINE, LITELLM_VERSION};
        let versions: Vec<&str> = catalogue()
            .sources
            .iter()
            .filter(|s| s.exporter == "litellm")
            .map(|s| s.version.as_str())
            .collect();
        assert_eq!(
            versions,
            vec![LITELLM_VERSION, LITELLM_BASELINE],
            "the LiteLLM pin moved: run scripts/metric-catalogue.py"
        );
    }

    #[test]
    fn malformed_data_gives_an_empty_catalogue() {
        let c = Catalogue::from_json("{");
        assert!(c.metrics.is_empty());
        assert!(c.series("up").is_none());
    }
}
