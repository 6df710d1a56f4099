//! The Prometheus metrics the mock servers export on `/metrics`. The mock LiteLLM proxy and
//! vLLM server export every metric aiblint's metric catalogue lists for their exporter (the
//! names and labels LiteLLM and vLLM publish at the pinned versions), with plausible values
//! that grow with the completions served and with time; llama.cpp's server exports the rows of
//! a small table. Add a llama.cpp metric by adding a row.

use std::fmt::Write;

use aiblint::model::monitoring::catalogue::{catalogue, Metric as Catalogued};

use super::{Kind, Stats};

/// One sample: label pairs and a value.
pub type Sample = (Vec<(&'static str, String)>, f64);

pub struct Metric {
    pub name: &'static str,
    pub kind: &'static str,
    pub help: &'static str,
    pub exported_by: &'static [Kind],
    pub samples: fn(&Stats) -> Vec<Sample>,
}

fn unlabelled(value: f64) -> Vec<Sample> {
    vec![(Vec::new(), value)]
}

/// llama.cpp's server (`--metrics`), which the catalogue does not cover.
pub static METRICS: &[Metric] = &[
    Metric {
        name: "llamacpp:prompt_tokens_total",
        kind: "counter",
        help: "Number of prompt tokens processed.",
        exported_by: &[Kind::LlamaCpp],
        samples: |s| unlabelled((s.total_completions() * 10) as f64),
    },
    Metric {
        name: "llamacpp:tokens_predicted_total",
        kind: "counter",
        help: "Number of generation tokens processed.",
        exported_by: &[Kind::LlamaCpp],
        samples: |s| unlabelled((s.total_completions() * 5) as f64),
    },
    Metric {
        name: "llamacpp:requests_processing",
        kind: "gauge",
        help: "Number of requests processing.",
        exported_by: &[Kind::LlamaCpp],
        samples: |_| unlabelled(0.0),
    },
    Metric {
        name: "llamacpp:kv_cache_usage_ratio",
        kind: "gauge",
        help: "KV-cache usage. 1 means 100 percent usage.",
        exported_by: &[Kind::LlamaCpp],
        samples: |_| unlabelled(0.0),
    },
];

/// The Prometheus text exposition of every metric `kind` exports.
pub fn render(kind: Kind, stats: &Stats) -> String {
    let mut out = String::new();
    for metric in METRICS.iter().filter(|m| m.exported_by.contains(&kind)) {
        let _ = writeln!(out, "# HELP {} {}", metric.name, metric.help);
        let _ = writeln!(out, "# TYPE {} {}", metric.name, metric.kind);
        for (labels, value) in (metric.samples)(stats) {
            let _ = writeln!(out, "{}{} {value}", metric.name, label_text(&labels));
        }
    }
    let exporter = match kind {
        Kind::Litellm => "litellm",
        Kind::Vllm => "vllm",
        _ => return out,
    };
    for metric in catalogue()
        .metrics
        .iter()
        .filter(|m| m.exporter == exporter)
    {
        render_catalogued(&mut out, metric, stats);
    }
    out
}

/// Bucket bounds of the mock's histograms (seconds, as LiteLLM's and vLLM's latencies are).
const BUCKETS: [f64; 8] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// One family of the catalogue: a sample per served model, with a value for every label.
fn render_catalogued(out: &mut String, metric: &Catalogued, stats: &Stats) {
    let kind = match metric.kind.as_str() {
        "counter" | "gauge" | "histogram" => metric.kind.as_str(),
        _ => return, // names the catalogue could not type statically
    };
    let series = |suffix: &str| {
        metric
            .series
            .iter()
            .find(|s| s.ends_with(suffix))
            .cloned()
            .unwrap_or_else(|| metric.name.clone())
    };
    // As prometheus_client writes the text format: a counter's family is its `_total` series.
    let family = if kind == "counter" {
        series("_total")
    } else {
        metric.name.clone()
    };
    let _ = writeln!(out, "# HELP {family} Mock values of {family}.");
    let _ = writeln!(out, "# TYPE {family} {kind}");
    for (index, model) in stats.models.iter().enumerate() {
        let labels = label_values(metric, model);
        // Grows with the completions served and, a little, with time, so that rates are
        // positive even before traffic.
        let served = stats.completions(model) as f64;
        let count = 1.0 + served + stats.uptime_seconds() / 10.0 + index as f64;
        match kind {
            "counter" => {
                let _ = writeln!(out, "{}{} {count}", series("_total"), label_text(&labels));
            }
            "gauge" => {
                let _ = writeln!(
                    out,
                    "{}{} {}",
                    metric.name,
                    label_text(&labels),
                    gauge_value(metric)
                );
            }
            _ => {
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let mut with_le = labels.clone();
                    with_le.push(("le".to_string(), bound.to_string()));
                    // The observations spread evenly over the buckets, all under 10 s.
                    let share = ((i + 1) as f64 / BUCKETS.len() as f64).min(1.0);
                    let _ = writeln!(
                        out,
                        "{}{} {}",
                        series("_bucket"),
                        label_text(&with_le),
                        (count * share).floor()
                    );
                }
                let mut inf = labels.clone();
                inf.push(("le".to_string(), "+Inf".to_string()));
                let _ = writeln!(out, "{}{} {count}", series("_bucket"), label_text(&inf));
                let _ = writeln!(
                    out,
                    "{}{} {}",
                    series("_sum"),
                    label_text(&labels),
                    count * 0.8
                );
                let _ = writeln!(out, "{}{} {count}", series("_count"), label_text(&labels));
            }
        }
    }
}

/// A plausible value for every label of a catalogued metric, for one served model.
fn label_values(metric: &Catalogued, model: &str) -> Vec<(String, String)> {
    let labels = metric.labels.as_deref().unwrap_or_default();
    labels
        .iter()
        .map(|label| {
            let value = match label.as_str() {
                "model" | "model_name" | "litellm_model_name" | "model_group"
                | "requested_model" => model.to_string(),
                "fallback_model" => format!("{model}-fallback"),
                "api_provider" => if model.contains(':') {
                    "ollama"
                } else {
                    "openai"
                }
                .to_string(),
                "api_base" => "http://127.0.0.1:11434".to_string(),
                "model_id" => format!("{model}-id"),
                "exception_status" | "status_code" => "500".to_string(),
                "exception_class" => "APIConnectionError".to_string(),
                "engine" => "0".to_string(),
                "finished_reason" => "stop".to_string(),
                _ => "mock".to_string(),
            };
            (label.clone(), value)
        })
        .collect()
}

/// Gauges the dashboards read as states or ratios; others count something.
fn gauge_value(metric: &Catalogued) -> f64 {
    match metric.name.as_str() {
        "litellm_deployment_state" => 0.0, // healthy
        name if name.ends_with("_perc") || name.ends_with("_ratio") => 0.42,
        _ => 3.0,
    }
}

fn label_text<K: AsRef<str>>(labels: &[(K, String)]) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = labels
        .iter()
        .map(|(k, v)| {
            let v = v.replace('\\', "\\\\").replace('"', "\\\"");
            format!("{}=\"{v}\"", k.as_ref())
        })
        .collect();
    format!("{{{}}}", pairs.join(","))
}
