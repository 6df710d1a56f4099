//! `aiblint check` on monitoring files end to end: the shipped `monitoring/` is clean, a
//! broken copy gives each D7xx at its line with its hint, and monitoring files are found in
//! a tree by their content and checked with the gateway config beside them.

use crate::common;

use std::fs;
use std::path::Path;

use common::{aiblint, line_of, root, stderr, stdout};
use serde_json::Value;

/// A temp dir with copies of the repository's `config/` and `monitoring/`, `edit` applied to
/// each file's text (by its path relative to the copy).
fn copy_repository(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for top in ["config", "monitoring"] {
        copy_tree(&root().join(top), &dir.path().join(top), top, &edit);
    }
    dir
}

fn copy_tree(from: &Path, to: &Path, shown: &str, edit: &impl Fn(&str, String) -> String) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let shown = format!("{shown}/{name}");
        if path.is_dir() {
            copy_tree(&path, &to.join(&name), &shown, edit);
        } else {
            let text = fs::read_to_string(&path).unwrap();
            fs::write(to.join(&name), edit(&shown, text)).unwrap();
        }
    }
}

/// The JSON report of `aiblint check args...` run in `dir`, with its exit code.
fn check_json(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<Value>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let out = aiblint(dir, &all);
    let report: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    let diagnostics = report["diagnostics"].as_array().unwrap().clone();
    (out.status.code(), diagnostics)
}

#[test]
fn the_shipped_monitoring_is_clean() {
    let out = aiblint(root(), &["check", "monitoring"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // Three dashboards, two provisioning files, the Prometheus config and its rules.
    assert!(
        stdout(&out).contains("All checks passed (7 files checked)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_broken_copy_gives_each_d7xx_at_its_line_with_its_hint() {
    let dir = copy_repository(|path, text| match path {
        "monitoring/grafana/dashboards/overview.json" => text
            .replacen(
                "sum(increase(litellm_proxy_total_requests_metric_total",
                "sum(increase(litellm_requests_total",
                1,
            )
            .replacen(
                "(litellm_deployment_state{job=\\\"litellm\\\"} == 0))",
                "(litellm_deployment_state{job=\\\"litellm\\\"} == 0)",
                1,
            )
            .replacen(
                "\"uid\": \"${datasource}\"",
                "\"uid\": \"P1809F7CD0C75ACF3\"",
                1,
            )
            .replacen("\"x\": 18,", "\"x\": 10,", 1),
        "monitoring/grafana/dashboards/cache-efficiency.json" => text.replacen(
            "sum by (cmd) (rate(redis_commands_total{job=\\\"redis\\\"}",
            "sum by (cmd) (rate(redis_commands_total{job=\\\"redis\\\", command=~\\\"$cmd\\\"}",
            1,
        ),
        "monitoring/grafana/provisioning/dashboards/llm-gateway.yml" => text.replacen(
            "path: /var/lib/grafana/dashboards/llm-gateway",
            "path: /home/alice/gateway/monitoring/grafana/dashboards",
            1,
        ),
        "monitoring/prometheus/alerts.yml" => text
            .replacen(
                "expr: up{job=\"litellm\"} == 0",
                "expr: up{job=\"litelm\"} == 0",
                1,
            )
            .replacen("for: 10m", "for: 10 min", 1)
            .replacen("sum by (le) (rate(", "sum by (le, provider) (rate(", 1),
        "config/ports.yaml" => text.replacen("  port: 4000", "  port: 4001", 1),
        _ => text,
    });
    fs::write(
        dir.path()
            .join("monitoring/grafana/provisioning/datasources/prometheus-docker.yml"),
        "apiVersion: 1\ndatasources:\n  - name: Prometheus (docker)\n    type: prometheus\n    url: http://prometheus:9090\n    isDefault: true\n",
    )
    .unwrap();
    let (code, diagnostics) = check_json(dir.path(), &["monitoring"]);
    assert_eq!(code, Some(1));
    let d = dir.path();
    let overview = "monitoring/grafana/dashboards/overview.json";
    let cache = "monitoring/grafana/dashboards/cache-efficiency.json";
    let alerts = "monitoring/prometheus/alerts.yml";
    let expected = [
        (
            "D701",
            overview,
            line_of(d, overview, "(litellm_deployment_state{"),
            "",
        ),
        (
            "D702",
            overview,
            line_of(d, overview, "litellm_requests_total"),
            "did you mean `litellm_requests_metric_total`?",
        ),
        (
            "D703",
            alerts,
            line_of(d, alerts, "sum by (le, provider)"),
            "did you mean `api_provider`?",
        ),
        (
            "D704",
            overview,
            line_of(d, overview, "P1809F7CD0C75ACF3"),
            "`Prometheus` (uid `prometheus`)",
        ),
        (
            "D705",
            cache,
            line_of(d, cache, "$cmd"),
            "add `cmd` under `templating.list`",
        ),
        (
            "D707",
            overview,
            // The label covers the `gridPos` object, which opens on the line above.
            line_of(d, overview, "\"x\": 10,") - 1,
            "start this panel at",
        ),
        (
            // Grafana reads provisioning files in name order: prometheus-docker.yml first.
            "D708",
            "monitoring/grafana/provisioning/datasources/prometheus.yml",
            line_of(
                d,
                "monitoring/grafana/provisioning/datasources/prometheus.yml",
                "isDefault: true",
            ),
            "`Prometheus (docker)` is already the default",
        ),
        (
            "D709",
            "monitoring/grafana/provisioning/dashboards/llm-gateway.yml",
            line_of(
                d,
                "monitoring/grafana/provisioning/dashboards/llm-gateway.yml",
                "/home/alice",
            ),
            "the dashboards' path on the Grafana host",
        ),
        (
            "D710",
            "monitoring/prometheus/prometheus.yml",
            line_of(d, "monitoring/prometheus/prometheus.yml", "127.0.0.1:4000"),
            "scrape the port the service listens on, or correct ports.yaml",
        ),
        (
            "D711",
            alerts,
            line_of(d, alerts, "10 min"),
            "write digits and a unit",
        ),
        (
            "D712",
            alerts,
            line_of(d, alerts, "litelm"),
            "did you mean `litellm`?",
        ),
    ];
    for (code, file, line, help) in expected {
        let found = diagnostics.iter().find(|x| {
            x["code"] == code && x["file"] == file && x["start"]["line"].as_u64() == Some(line)
        });
        let Some(found) = found else {
            panic!("no {code} at {file}:{line} in {diagnostics:#?}");
        };
        let text = found["help"].as_str().unwrap_or("");
        assert!(text.contains(help), "{code}: help `{text}` lacks `{help}`");
    }
    // The other side of a cross-file problem is a label in its own file.
    for (code, file, needle) in [
        (
            "D708",
            "monitoring/grafana/provisioning/datasources/prometheus-docker.yml",
            "isDefault: true",
        ),
        ("D710", "config/ports.yaml", "port: 4001"),
    ] {
        let found = diagnostics.iter().find(|x| x["code"] == code).unwrap();
        let label = &found["labels"][0];
        assert_eq!(label["file"], file, "{code}: {found:#}");
        assert_eq!(label["start"]["line"], line_of(d, file, needle), "{code}");
    }
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), expected.len(), "{codes:?}");
}

#[test]
fn a_lone_monitoring_file_is_checked_with_its_tree_and_only_it_is_reported() {
    let dir = copy_repository(|path, text| match path {
        "monitoring/grafana/dashboards/overview.json" => text.replacen(
            "\"uid\": \"${datasource}\"",
            "\"uid\": \"prometheus-old\"",
            1,
        ),
        "monitoring/prometheus/alerts.yml" => text.replacen("for: 1m", "for: 1 min", 1),
        _ => text,
    });
    let (code, diagnostics) =
        check_json(dir.path(), &["monitoring/grafana/dashboards/overview.json"]);
    assert_eq!(code, Some(1));
    // D704 needs the provisioning files of the tree; the broken alerts file is not reported.
    let found: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|x| (x["code"].as_str().unwrap(), x["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        vec![("D704", "monitoring/grafana/dashboards/overview.json")]
    );
}

#[test]
fn check_without_a_path_takes_config_and_monitoring() {
    let dir = copy_repository(|path, text| match path {
        "monitoring/prometheus/alerts.yml" => text.replacen("for: 1m", "for: 1 min", 1),
        _ => text,
    });
    let (code, diagnostics) = check_json(dir.path(), &[]);
    assert_eq!(code, Some(1));
    let found: Vec<&str> = diagnostics
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert_eq!(found, vec!["D711"]);
    fs::remove_dir_all(dir.path().join("monitoring")).unwrap();
    let out = aiblint(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("(5 files checked)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn monitoring_files_are_found_by_content_and_other_files_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in [
        "ops/dashboards",
        "ops/node_modules/pkg",
        "ops/.hidden",
        "ops/misc",
    ] {
        fs::create_dir_all(d.join(sub)).unwrap();
    }
    let broken_rule = "groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: up ==\n";
    fs::write(d.join("ops/alerts.yaml"), broken_rule).unwrap();
    // The same content where the walk does not go, and files that are not monitoring files.
    fs::write(d.join("ops/node_modules/pkg/alerts.yml"), broken_rule).unwrap();
    fs::write(d.join("ops/.hidden/alerts.yml"), broken_rule).unwrap();
    fs::write(d.join("ops/misc/groups.yml"), "groups: [a, b]\n").unwrap();
    fs::write(d.join("ops/misc/package.json"), "{\"name\": \"x\"}\n").unwrap();
    fs::write(
        d.join("ops/dashboards/board.json"),
        "{\"panels\": [{\"id\": 1, \"targets\": [{\"expr\": \"rate(litellm_requests_total[5m])\"}]}]}\n",
    )
    .unwrap();
    let (code, diagnostics) = check_json(d, &["ops"]);
    assert_eq!(code, Some(1));
    let found: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|x| (x["code"].as_str().unwrap(), x["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("D701", "ops/alerts.yaml"),
            ("D702", "ops/dashboards/board.json"),
        ]
    );
}

#[test]
fn a_tree_without_any_config_file_is_still_nothing_to_check() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    fs::write(dir.path().join("empty/notes.yml"), "a: 1\n").unwrap();
    let out = aiblint(dir.path(), &["check", "empty"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing to check"),
        "{}",
        stderr(&out)
    );
}
