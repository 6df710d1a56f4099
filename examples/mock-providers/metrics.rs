//! The Prometheus metrics the mock servers export on `/metrics`, as a table: one row per
//! metric (name, type, help, the kinds of server that export it, and the function that gives
//! its samples from the server's counters). Add a metric by adding a row.

use std::fmt::Write;

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

/// One sample per served model, labelled `model_name` (vLLM) or `model` (LiteLLM).
fn per_model(stats: &Stats, label: &'static str, value: fn(&Stats, &str) -> f64) -> Vec<Sample> {
    stats
        .models
        .iter()
        .map(|m| (vec![(label, m.clone())], value(stats, m)))
        .collect()
}

fn unlabelled(value: f64) -> Vec<Sample> {
    vec![(Vec::new(), value)]
}

pub static METRICS: &[Metric] = &[
    // vLLM (names as vLLM's OpenAI server exports them).
    Metric {
        name: "vllm:num_requests_running",
        kind: "gauge",
        help: "Number of requests currently running on GPU.",
        exported_by: &[Kind::Vllm],
        samples: |s| per_model(s, "model_name", |_, _| 0.0),
    },
    Metric {
        name: "vllm:num_requests_waiting",
        kind: "gauge",
        help: "Number of requests waiting to be processed.",
        exported_by: &[Kind::Vllm],
        samples: |s| per_model(s, "model_name", |_, _| 0.0),
    },
    Metric {
        name: "vllm:gpu_cache_usage_perc",
        kind: "gauge",
        help: "GPU KV-cache usage. 1 means 100 percent usage.",
        exported_by: &[Kind::Vllm],
        samples: |s| per_model(s, "model_name", |_, _| 0.0),
    },
    Metric {
        name: "vllm:request_success_total",
        kind: "counter",
        help: "Count of successfully processed requests.",
        exported_by: &[Kind::Vllm],
        samples: |s| per_model(s, "model_name", |s, m| s.completions(m) as f64),
    },
    Metric {
        name: "vllm:prompt_tokens_total",
        kind: "counter",
        help: "Number of prefill tokens processed.",
        exported_by: &[Kind::Vllm],
        samples: |s| per_model(s, "model_name", |s, m| (s.completions(m) * 10) as f64),
    },
    Metric {
        name: "vllm:generation_tokens_total",
        kind: "counter",
        help: "Number of generation tokens processed.",
        exported_by: &[Kind::Vllm],
        samples: |s| per_model(s, "model_name", |s, m| (s.completions(m) * 5) as f64),
    },
    // llama.cpp's server (`--metrics`).
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
    // LiteLLM's proxy (its Prometheus callback).
    Metric {
        name: "litellm_proxy_total_requests_metric",
        kind: "counter",
        help: "Total number of requests made to the proxy server.",
        exported_by: &[Kind::Litellm],
        samples: |s| per_model(s, "model", |s, m| s.completions(m) as f64),
    },
    Metric {
        name: "litellm_proxy_failed_requests_metric",
        kind: "counter",
        help: "Total number of failed responses from the proxy.",
        exported_by: &[Kind::Litellm],
        samples: |s| per_model(s, "model", |_, _| 0.0),
    },
];

/// The Prometheus text exposition of every metric `kind` exports.
pub fn render(kind: Kind, stats: &Stats) -> String {
    let mut out = String::new();
    for metric in METRICS.iter().filter(|m| m.exported_by.contains(&kind)) {
        let _ = writeln!(out, "# HELP {} {}", metric.name, metric.help);
        let _ = writeln!(out, "# TYPE {} {}", metric.name, metric.kind);
        for (labels, value) in (metric.samples)(stats) {
            let labels: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect();
            let labels = if labels.is_empty() {
                String::new()
            } else {
                format!("{{{}}}", labels.join(","))
            };
            let _ = writeln!(out, "{}{labels} {value}", metric.name);
        }
    }
    out
}
