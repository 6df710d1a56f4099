//! The shipped monitoring shows real data: a real Prometheus (Debian's) scrapes the mock
//! LiteLLM proxy and vLLM server of the live stack (their `/metrics` export the catalogue's
//! metrics) and a real redis-server through Debian's prometheus-redis-exporter, with the jobs
//! of `monitoring/prometheus/prometheus.yml`; then every panel query of the three dashboards,
//! every template variable's query and every rule of `alerts.yml` (the signal it compares)
//! must return data through Prometheus's HTTP API. A query on a metric nobody exports returns
//! none, and the check says so (the test proves it on a changed panel).
//!
//! Run by `.ci/run` inside `.ci/live-stack`, which sets the `AIBLINT_LIVE_*` variables.
//! Without them, or without `prometheus` on the PATH, the test says SKIPPED on stderr and
//! passes, unless `AIBLINT_LIVE_REQUIRED` is set.

use crate::live_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aiblint::model::monitoring::template::variable_uses;
use aiblint::model::{Config, FileKind, SourceFile};
use live_support::{closed_port, skip};
use promql_parser::parser::{self, Expr};
use serde_json::Value;

/// Readiness and scrapes are waited for this long at most: a liveness bound, not a timing
/// assertion.
const DEADLINE: Duration = Duration::from_secs(120);

struct Stack {
    gateway: u16,
    gateway_model: String,
    vllm: u16,
    vllm_model: String,
    redis: u16,
    redis_password: String,
    redis_exporter: u16,
}

fn stack(test: &str) -> Option<Stack> {
    let var = |name: &str| std::env::var(format!("AIBLINT_LIVE_{name}")).ok();
    let port = |name: &str| var(name).and_then(|v| v.parse::<u16>().ok());
    let first = |name: &str| var(name).and_then(|v| v.split(',').next().map(str::to_string));
    let prometheus = Command::new("prometheus")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let found = (|| {
        Some(Stack {
            gateway: port("GATEWAY_PORT")?,
            gateway_model: first("GATEWAY_MODELS")?,
            vllm: port("VLLM_PORT")?,
            vllm_model: first("VLLM_MODELS")?,
            redis: port("REDIS_PORT")?,
            redis_password: var("REDIS_PASSWORD")?,
            redis_exporter: port("REDIS_EXPORTER_PORT")?,
        })
    })()
    .filter(|_| prometheus);
    if found.is_none() {
        assert!(
            var("REQUIRED").is_none(),
            "AIBLINT_LIVE_REQUIRED is set but the stack (with prometheus-redis-exporter) or \
             prometheus is missing"
        );
        skip(
            test,
            "no live stack with prometheus-redis-exporter, or no prometheus on the PATH \
             (.ci/run installs them and runs this test inside .ci/live-stack)",
        );
    }
    found
}

fn repository(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A Prometheus process with the shipped config, its targets moved to the stack's ports and
/// its intervals to one second; killed when dropped.
struct Prometheus {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Prometheus {
    fn start(stack: &Stack) -> Prometheus {
        let dir = tempfile::tempdir().unwrap();
        let port = closed_port();
        let mut config =
            std::fs::read_to_string(repository("monitoring/prometheus/prometheus.yml")).unwrap();
        for (from, to) in [
            (
                "scrape_interval: 15s".to_string(),
                "scrape_interval: 1s".to_string(),
            ),
            (
                "evaluation_interval: 15s".to_string(),
                "evaluation_interval: 1s".to_string(),
            ),
            (
                "127.0.0.1:4000".to_string(),
                format!("127.0.0.1:{}", stack.gateway),
            ),
            (
                "127.0.0.1:8001".to_string(),
                format!("127.0.0.1:{}", stack.vllm),
            ),
            (
                "127.0.0.1:9121".to_string(),
                format!("127.0.0.1:{}", stack.redis_exporter),
            ),
            ("127.0.0.1:9090".to_string(), format!("127.0.0.1:{port}")),
        ] {
            assert_eq!(
                config.matches(&from).count(),
                1,
                "monitoring/prometheus/prometheus.yml no longer has `{from}` once: update this test"
            );
            config = config.replace(&from, &to);
        }
        std::fs::write(dir.path().join("prometheus.yml"), config).unwrap();
        std::fs::copy(
            repository("monitoring/prometheus/alerts.yml"),
            dir.path().join("alerts.yml"),
        )
        .unwrap();
        let log = std::fs::File::create(dir.path().join("prometheus.log")).unwrap();
        let child = Command::new("prometheus")
            .arg(format!(
                "--config.file={}",
                dir.path().join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--log.level=warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("prometheus starts");
        Prometheus { child, port, dir }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("prometheus.log")).unwrap_or_default()
    }

    /// The result of an instant query, or Prometheus's error.
    fn query(&self, promql: &str) -> Result<Vec<Value>, String> {
        let url = format!("http://127.0.0.1:{}/api/v1/query", self.port);
        let mut response = ureq::get(&url)
            .query("query", promql)
            .config()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .call()
            .map_err(|e| format!("{e}"))?;
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("{e}"))?;
        let body: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
        if body["status"] != "success" {
            return Err(format!("{}: {}", body["errorType"], body["error"]));
        }
        let result = &body["data"]["result"];
        Ok(match body["data"]["resultType"].as_str() {
            Some("vector" | "matrix") => result.as_array().cloned().unwrap_or_default(),
            _ => vec![result.clone()],
        })
    }

    fn ready(&self) -> bool {
        let url = format!("http://127.0.0.1:{}/-/ready", self.port);
        ureq::get(&url)
            .config()
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .call()
            .is_ok()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (up to the deadline) until `done` says yes; fails with `what` otherwise.
fn wait_for(prometheus: &Prometheus, what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < DEADLINE,
            "{what} did not happen; prometheus log:\n{}",
            prometheus.log()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Sends Redis commands (RESP) as LiteLLM's cache would: some keys with a TTL, a hit, a miss.
fn use_the_cache(stack: &Stack) {
    let mut redis = TcpStream::connect(("127.0.0.1", stack.redis)).expect("redis-server");
    redis
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut command = |args: &[&str]| {
        let mut out = format!("*{}\r\n", args.len());
        for a in args {
            out += &format!("${}\r\n{a}\r\n", a.len());
        }
        redis.write_all(out.as_bytes()).unwrap();
        let mut reply = [0u8; 512];
        let n = redis.read(&mut reply).unwrap();
        assert!(
            n > 0 && reply[0] != b'-',
            "redis: {}",
            String::from_utf8_lossy(&reply[..n])
        );
    };
    command(&["AUTH", &stack.redis_password]);
    for i in 0..5 {
        let key = format!("aiblint:monitoring:{i}");
        command(&["SET", &key, "cached response", "EX", "3600"]);
        command(&["GET", &key]);
    }
    command(&["GET", "aiblint:monitoring:missing"]);
}

/// A completion through a mock server, which its counters count.
fn complete(port: u16, model: &str) {
    let url = format!("http://127.0.0.1:{port}/v1/chat/completions");
    let body = serde_json::json!({"model": model, "messages": [{"role": "user", "content": "hi"}]});
    ureq::post(&url)
        .header("content-type", "application/json")
        .config()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .send(body.to_string())
        .expect("the mock answers");
}

/// A query of the shipped files, and where it comes from.
struct Shipped {
    origin: String,
    promql: String,
}

/// Every panel target of the dashboards and every template variable's selector, with the
/// dashboard's variables and Grafana's global ones replaced as Grafana would.
fn dashboard_queries(prometheus: &Prometheus) -> Vec<Shipped> {
    let mut out = Vec::new();
    for name in ["overview", "provider-performance", "cache-efficiency"] {
        let path = format!("monitoring/grafana/dashboards/{name}.json");
        let text = std::fs::read_to_string(repository(&path)).unwrap();
        let file = SourceFile::analyze(Some(FileKind::Dashboard), text);
        let Config::Dashboard(dashboard) = &file.config else {
            panic!("{path} is not a dashboard");
        };
        // Each variable takes the first value its query finds, as Grafana's default would.
        let mut values: Vec<(String, String)> = Vec::new();
        for variable in &dashboard.variables {
            let Some(query) = &variable.query else {
                continue;
            };
            let (selector, label) = label_values(&query.text).unwrap_or_else(|| {
                panic!("{path}: variable `{}`: {}", variable.name.value, query.text)
            });
            let promql = format!("group by ({label}) ({selector})");
            let first = prometheus.query(&promql).ok().and_then(|r| {
                r.first()?["metric"][label.as_str()]
                    .as_str()
                    .map(str::to_string)
            });
            out.push(Shipped {
                origin: format!("{path}: variable `{}`", variable.name.value),
                promql: selector,
            });
            values.push((variable.name.value.clone(), first.unwrap_or_default()));
        }
        for panel in &dashboard.panels {
            let title = panel.title.as_ref().map_or("", |t| t.value.as_str());
            for (i, target) in panel.targets.iter().enumerate() {
                let Some(expr) = &target.expr else {
                    continue;
                };
                out.push(Shipped {
                    origin: format!("{path}: panel `{title}`, target {}", i + 1),
                    promql: substitute(&expr.text, &values),
                });
            }
        }
    }
    out
}

/// `label_values(selector, label)` → (selector, label).
fn label_values(text: &str) -> Option<(String, String)> {
    let inner = text
        .trim()
        .strip_prefix("label_values(")?
        .strip_suffix(')')?;
    let (selector, label) = inner.rsplit_once(',')?;
    Some((selector.trim().to_string(), label.trim().to_string()))
}

/// The query with every variable replaced: Grafana's intervals by fixed ranges, the
/// dashboard's by their values.
fn substitute(query: &str, values: &[(String, String)]) -> String {
    let mut out = query.to_string();
    for var in variable_uses(query).into_iter().rev() {
        let value = match var.name.as_str() {
            "__rate_interval" => "1m".to_string(),
            "__interval" => "15s".to_string(),
            "__range" => "5m".to_string(),
            name => values
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("variable `{name}` of `{query}` has no value")),
        };
        out.replace_range(var.range, &value);
    }
    out
}

/// Every rule of the shipped alerts.yml, as the signal it compares: an alert fires when a
/// comparison holds, so its data is the comparison's left side (both sides of `or`/`and`).
fn rule_queries() -> Vec<Shipped> {
    let path = "monitoring/prometheus/alerts.yml";
    let text = std::fs::read_to_string(repository(path)).unwrap();
    let file = SourceFile::analyze(Some(FileKind::PrometheusRules), text);
    let Config::PrometheusRules(rules) = &file.config else {
        panic!("{path} is not a rule file");
    };
    let mut out = Vec::new();
    for rule in rules.groups.iter().flat_map(|g| &g.rules) {
        let name = rule
            .alert
            .as_ref()
            .or(rule.record.as_ref())
            .map_or("?", |n| n.value.as_str());
        let expr = rule.expr.as_ref().expect("every rule has an expr");
        let parsed = parser::parse(&expr.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut signals = Vec::new();
        signal(&parsed, &mut signals);
        for promql in signals {
            out.push(Shipped {
                origin: format!("{path}: rule `{name}`"),
                promql,
            });
        }
    }
    out
}

fn signal(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Paren(p) => signal(&p.expr, out),
        Expr::Binary(b) if b.op.is_set_operator() => {
            signal(&b.lhs, out);
            signal(&b.rhs, out);
        }
        Expr::Binary(b)
            if b.op.is_comparison_operator()
                && !b.modifier.as_ref().is_some_and(|m| m.return_bool) =>
        {
            signal(&b.lhs, out)
        }
        other => out.push(other.to_string()),
    }
}

/// The shipped queries that return no data (or an error), with the reason.
fn without_data(prometheus: &Prometheus, queries: &[Shipped]) -> Vec<String> {
    queries
        .iter()
        .filter_map(|q| match prometheus.query(&q.promql) {
            Ok(result) if !result.is_empty() => None,
            Ok(_) => Some(format!("{}: no data for `{}`", q.origin, q.promql)),
            Err(e) => Some(format!("{}: `{}` failed: {e}", q.origin, q.promql)),
        })
        .collect()
}

#[test]
fn every_panel_variable_and_alert_of_the_shipped_monitoring_returns_data() {
    let test = "every_panel_variable_and_alert_of_the_shipped_monitoring_returns_data";
    let Some(stack) = stack(test) else {
        return;
    };
    use_the_cache(&stack);
    let prometheus = Prometheus::start(&stack);
    wait_for(&prometheus, "prometheus ready", || prometheus.ready());
    let jobs = ["litellm", "vllm-qwen", "redis", "prometheus"];
    wait_for(&prometheus, "every scrape target up", || {
        prometheus
            .query("count(up == 1)")
            .ok()
            .and_then(|r| r.first()?["value"][1].as_str()?.parse::<usize>().ok())
            == Some(jobs.len())
    });
    // Traffic between scrapes, so that rates over the last minute have several samples.
    wait_for(&prometheus, "five scrapes of every target", || {
        complete(stack.gateway, &stack.gateway_model);
        complete(stack.vllm, &stack.vllm_model);
        prometheus
            .query("min(count_over_time(up[1m]))")
            .ok()
            .and_then(|r| r.first()?["value"][1].as_str()?.parse::<f64>().ok())
            .is_some_and(|n| n >= 5.0)
    });

    let dashboards = dashboard_queries(&prometheus);
    let rules = rule_queries();
    assert!(
        dashboards.len() >= 40,
        "{} dashboard queries",
        dashboards.len()
    );
    assert_eq!(
        rules.len(),
        8,
        "the seven alerts, RedisDown with two signals"
    );
    let mut missing = without_data(&prometheus, &dashboards);
    missing.extend(without_data(&prometheus, &rules));
    assert!(
        missing.is_empty(),
        "{} of {} queries return no data:\n{}",
        missing.len(),
        dashboards.len() + rules.len(),
        missing.join("\n")
    );

    // The check fails for a panel changed to a metric nobody exports.
    let changed = Shipped {
        origin: "overview.json: panel `Total requests`, changed".to_string(),
        promql: dashboards[0].promql.replace(
            "litellm_proxy_total_requests_metric_total",
            "litellm_requests_total",
        ),
    };
    assert_ne!(
        changed.promql, dashboards[0].promql,
        "{}",
        dashboards[0].promql
    );
    assert_eq!(
        without_data(&prometheus, &[changed]).len(),
        1,
        "a query of a metric nobody exports returned data"
    );
}
