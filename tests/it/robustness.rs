//! Bad input through the whole pipeline: wrong types everywhere and hostile bytes give
//! diagnostics, never a panic.

use crate::common;

use aiblint::lint::check_source;
use aiblint::model::FileKind;

fn example(name: &str) -> String {
    std::fs::read_to_string(common::root().join("config").join(name)).unwrap()
}

/// Replaces every value of a `key: value` line with `replacement`.
fn replace_values(text: &str, replacement: &str) -> String {
    text.lines()
        .map(|line| match line.split_once(": ") {
            Some((key, _)) if !key.trim_start().starts_with('#') => format!("{key}: {replacement}"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn wrong_types_everywhere() {
    for kind in [FileKind::Providers, FileKind::Mappings, FileKind::Ports] {
        let text = example(kind.file_name());
        for replacement in [
            "[x, 1]",
            "{a: 1}",
            "12",
            "true",
            "~",
            "\"é🦙\"",
            "-1.5e300",
            "*nope",
        ] {
            let broken = replace_values(&text, replacement);
            let linted = check_source(kind.file_name(), &broken);
            if replacement != "*nope" {
                assert!(
                    !linted.diagnostics.is_empty() || replacement == "\"é🦙\"",
                    "{} with every value {replacement}: no diagnostics",
                    kind.file_name()
                );
            }
            for d in &linted.diagnostics {
                assert_ranges_are_whole_characters(&broken, d);
            }
        }
    }
}

#[test]
fn hostile_text_through_every_file_kind() {
    let fragments = [
        "providers:",
        "exact_matches:",
        "model_list:",
        "  ",
        "\n",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "type: ",
        "ollama",
        "base_url: ",
        "http://:99999",
        "http://a🦙b:80/",
        "\"^é(🦙\"",
        "env_var: é🦙",
        "pattern: ",
        "\"(\"",
        "port: ",
        "0x10",
        "é",
        "🦙",
        ": ",
        "|\n",
        "'",
        "\"",
        "#",
        ",",
        "? ",
        "---\n",
        "<<: *a\n",
        "models:",
        "name: ",
        "weight: ",
        ".nan",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..2_000 {
        let text = common::random_text(&fragments, &mut seed, 60);
        for kind in FileKind::ALL {
            let linted = check_source(kind.file_name(), &text);
            for d in &linted.diagnostics {
                assert_ranges_are_whole_characters(&text, d);
            }
        }
    }
}

/// Every label and fix edit of `d` lies inside `text` on character boundaries.
fn assert_ranges_are_whole_characters(text: &str, d: &aiblint::diagnostic::Diagnostic) {
    let labels = std::iter::once(&d.primary)
        .chain(&d.secondary)
        .map(|l| l.range);
    let edits = d.fix.iter().flat_map(|f| &f.edits).map(|e| e.range);
    for range in labels.chain(edits) {
        let (start, end) = (range.start as usize, range.end as usize);
        assert!(
            start <= end && end <= text.len(),
            "{} {range:?} outside the text",
            d.code
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{} {range:?} cuts a character in {text:?}",
            d.code
        );
    }
}

#[test]
fn hostile_queries_through_every_monitoring_file_kind() {
    let fragments = [
        "sum(rate(",
        "histogram_quantile(0.95, ",
        "litellm_requests_total",
        "litellm_request_total_latency_metric_bucket",
        "vllm:num_requests_running",
        "redis_keyspace_hit_total",
        "{job=\"",
        "litelm",
        "\"}",
        "{model_grup=~\"",
        "\\\"",
        "[5m]",
        "[$__rate_interval]",
        "$model",
        "${",
        "[[x]]",
        " by (",
        " offset ",
        "le",
        ", ",
        ")",
        "}",
        "]",
        " == ",
        "1",
        "é",
        "🦙",
        "`",
        "'",
        "#",
        "\n",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut monitoring_diagnostics = 0;
    for round in 0..600 {
        let query = common::random_text(&fragments, &mut seed, 14);
        let json = serde_json::to_string(&query).unwrap();
        // Now and then an escaped surrogate, which JSON allows and YAML does not.
        let json = if round % 7 == 0 {
            json.replacen('é', "\\ud83d\\ude80", 1)
        } else {
            json
        };
        let block = query.replace('\n', "\n          ");
        let files = [
            (
                FileKind::Dashboard,
                format!(
                    "{{\"panels\": [{{\"id\": 1, \"gridPos\": {{\"x\": 0, \"y\": 0, \"w\": 12, \"h\": {round}}}, \"datasource\": {{\"uid\": {json}}}, \"targets\": [{{\"expr\": {json}}}]}}, {{\"id\": 1, \"gridPos\": {{\"x\": 6, \"y\": 0, \"w\": 12, \"h\": 4}}}}], \"templating\": {{\"list\": [{{\"name\": \"m\", \"query\": {}}}]}}}}",
                    serde_json::to_string(&format!("label_values({query}, m)")).unwrap()
                ),
            ),
            (
                FileKind::PrometheusRules,
                format!("groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: |\n          {block}\n        for: {round} min\n      - record: r\n        expr: {json}\n"),
            ),
            (
                FileKind::PrometheusConfig,
                format!("global:\n  scrape_interval: {round}\nscrape_configs:\n  - job_name: {json}\n    static_configs:\n      - targets: [{json}]\n"),
            ),
            (
                FileKind::GrafanaDatasources,
                format!("apiVersion: 1\ndatasources:\n  - name: {json}\n    isDefault: true\n  - name: b\n    isDefault: true\n"),
            ),
            (
                FileKind::GrafanaDashboards,
                format!("apiVersion: 1\nproviders:\n  - options:\n      path: {json}\n"),
            ),
        ];
        for (kind, text) in files {
            let linted = aiblint::lint::check_file(
                "monitoring",
                aiblint::model::SourceFile::analyze(Some(kind), text.clone()),
                &aiblint::lint::RuleSelection::default(),
            );
            for d in &linted.diagnostics {
                assert_ranges_are_whole_characters(&text, d);
                monitoring_diagnostics += usize::from(d.code.starts_with('D'));
            }
        }
    }
    // The walk reaches the D7xx rules, not only the parsers.
    assert!(monitoring_diagnostics > 1000, "{monitoring_diagnostics}");
}
