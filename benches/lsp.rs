//! Times the language server in-process, through tower-lsp's service exactly as stdio
//! drives it: from handing it a `textDocument/didChange` to the matching
//! `textDocument/publishDiagnostics` leaving it (the server-side latency of a keystroke).
//! On the shipped example and on a 10,000-line model-mappings.yaml. Prints medians.
//! Then the time from the first of 100 back-to-back edits to the diagnostics of the last
//! (superseded versions are not checked), and how many checks that took.
//!
//! Run with `cargo bench --bench lsp`.

use std::path::Path;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp::jsonrpc::Request;

/// The binary's allocator, so that what is measured is what ships.
#[global_allocator]
static ALLOCATOR: aiblint::alloc::Allocator = aiblint::alloc::Allocator;

/// Builds a JSON-RPC message for the service.
fn message(method: &'static str, id: Option<i64>, params: Value) -> Request {
    let builder = Request::build(method).params(params);
    match id {
        Some(id) => builder.id(id).finish(),
        None => builder.finish(),
    }
}

/// Opens `files` from `dir`, sends `edits` didChange of `target` back to back (a comment
/// added at its end each time) and returns the time until the diagnostics of the last
/// version, and the number of checks the server made for the burst.
fn burst(dir: &Path, files: &[(&str, String)], target: &str, edits: usize) -> (Duration, u64) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (mut service, mut socket) = aiblint::lsp::service();
        let (arrived, mut arrivals) = mpsc::unbounded_channel::<(Value, Instant)>();
        tokio::spawn(async move {
            while let Some(request) = socket.next().await {
                if request.method() == "textDocument/publishDiagnostics" {
                    let params = request.params().cloned().unwrap_or(Value::Null);
                    let _ = arrived.send((params, Instant::now()));
                }
            }
        });
        let root = format!("file://{}", dir.display());
        let init = json!({"processId": null, "rootUri": root, "capabilities": {}});
        call(&mut service, message("initialize", Some(1), init)).await;
        call(&mut service, message("initialized", None, json!({}))).await;
        let uri = format!("file://{}", dir.join(target).display());
        let text = &files.iter().find(|(n, _)| *n == target).unwrap().1;
        for (name, text) in files {
            let doc = json!({"textDocument": {"uri": format!("file://{}", dir.join(name).display()),
                                              "languageId": "yaml", "version": 1, "text": text}});
            call(&mut service, message("textDocument/didOpen", None, doc)).await;
        }
        while arrivals.recv().await.unwrap().0["version"] != 1 {}
        let before = checks(&mut service).await;
        let lines = text.lines().count();
        let start = Instant::now();
        for n in 0..edits {
            let line = lines + n;
            let range = json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}});
            let change = json!({"textDocument": {"uri": uri, "version": n + 2},
                                "contentChanges": [{"range": range, "text": "# edited\n"}]});
            call(&mut service, message("textDocument/didChange", None, change)).await;
        }
        let last = edits + 1;
        let at = loop {
            let (params, at) = arrivals.recv().await.unwrap();
            if params["version"] == last {
                break at;
            }
        };
        (at - start, checks(&mut service).await - before)
    })
}

/// Opens `files` (name, text) from `dir`, then edits `target` `runs` times (a comment added
/// at its end, then removed) and returns the time from each didChange to its diagnostics.
fn measure(dir: &Path, files: &[(&str, String)], target: &str, runs: usize) -> Vec<Duration> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (mut service, mut socket) = aiblint::lsp::service();
        // What the server sends: the arrival time of each publishDiagnostics, by version.
        let (arrived, mut arrivals) = mpsc::unbounded_channel::<(Value, Instant, usize)>();
        tokio::spawn(async move {
            while let Some(request) = socket.next().await {
                if request.method() == "textDocument/publishDiagnostics" {
                    let now = Instant::now();
                    let params = request.params().cloned().unwrap_or(Value::Null);
                    let count = params["diagnostics"].as_array().map_or(0, Vec::len);
                    let _ = arrived.send((params, now, count));
                }
            }
        });
        let root = format!("file://{}", dir.display());
        let init = json!({"processId": null, "rootUri": root, "capabilities": {}});
        call(&mut service, message("initialize", Some(1), init)).await;
        call(&mut service, message("initialized", None, json!({}))).await;
        let uri = |name: &str| format!("file://{}", dir.join(name).display());
        for (name, text) in files {
            let doc = json!({"textDocument": {"uri": uri(name), "languageId": "yaml", "version": 1, "text": text}});
            call(&mut service, message("textDocument/didOpen", None, doc)).await;
        }
        let target_uri = uri(target);
        let target_text = &files.iter().find(|(n, _)| *n == target).unwrap().1;
        let last_line = target_text.lines().count();
        let mut times = Vec::with_capacity(runs);
        let mut clean_count = None;
        for run in 0..runs {
            let version = run as i64 + 2;
            let (range, text) = if run % 2 == 0 {
                (json!({"start": {"line": last_line, "character": 0}, "end": {"line": last_line, "character": 0}}), "# edited\n")
            } else {
                (json!({"start": {"line": last_line, "character": 0}, "end": {"line": last_line + 1, "character": 0}}), "")
            };
            let change = json!({"textDocument": {"uri": target_uri, "version": version},
                                "contentChanges": [{"range": range, "text": text}]});
            let start = Instant::now();
            call(&mut service, message("textDocument/didChange", None, change)).await;
            let (at, count) = loop {
                let (params, at, count) = arrivals.recv().await.unwrap();
                if params["uri"] == target_uri && params["version"] == version {
                    break (at, count);
                }
            };
            times.push(at - start);
            // The edit only adds or removes a comment: the result must not change.
            assert_eq!(*clean_count.get_or_insert(count), count);
        }
        times
    })
}

/// The server's count of config set checks (`aiblint/stats`).
async fn checks<S>(service: &mut S) -> u64
where
    S: Service<Request, Response = Option<tower_lsp::jsonrpc::Response>>,
    S::Error: std::fmt::Debug,
{
    let request = Request::build(aiblint::lsp::STATS_METHOD).id(2).finish();
    let response = service.ready().await.unwrap().call(request).await.unwrap();
    let value = serde_json::to_value(response.unwrap()).unwrap();
    value["result"]["checks"].as_u64().unwrap()
}

async fn call<S>(service: &mut S, request: Request)
where
    S: Service<Request>,
    S::Error: std::fmt::Debug,
{
    service.ready().await.unwrap().call(request).await.unwrap();
}

fn median(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 9 / 10])
}

/// A consistent set whose model-mappings.yaml has 10,000 lines: 2,000 exact matches of
/// five lines over 200 providers of 10 models.
fn large_set() -> (String, String) {
    let mut p = String::from("metadata:\n  schema_version: \"2.0.0\"\nproviders:\n");
    let mut m = String::from("metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n");
    for i in 0..200 {
        p += &format!(
            "  prov-{i}:\n    type: ollama\n    base_url: http://gpu-{i}.lan:11434\n    status: active\n    description: box {i} — café\n    models:\n"
        );
        for j in 0..10 {
            p += &format!("      - model-{i}-{j}:7b\n");
            m += &format!(
                "  \"model-{i}-{j}:7b\":\n    provider: prov-{i}\n    priority: primary\n    fallback: prov-{}\n    description: route {i}/{j} ☕\n",
                (i + 1) % 200
            );
        }
    }
    (p, m)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let example: Vec<(&str, String)> = ["providers.yaml", "model-mappings.yaml", "ports.yaml"]
        .into_iter()
        .map(|name| (name, std::fs::read_to_string(config.join(name)).unwrap()))
        .collect();
    let example_dir = root.join("example");
    std::fs::create_dir(&example_dir).unwrap();
    for (name, text) in &example {
        std::fs::write(example_dir.join(name), text).unwrap();
    }
    let mappings_only = vec![example[1].clone()];
    let (providers, mappings) = large_set();
    let large_dir = root.join("large");
    std::fs::create_dir(&large_dir).unwrap();
    std::fs::write(large_dir.join("providers.yaml"), &providers).unwrap();
    let large = vec![("model-mappings.yaml", mappings.clone())];

    println!("didChange → publishDiagnostics, server side (median, p90):");
    for (label, dir, files, runs) in [
        ("example, mappings open", &example_dir, &mappings_only, 201),
        ("example, all 3 files open", &example_dir, &example, 201),
        ("10,000-line mappings", &large_dir, &large, 41),
    ] {
        let lines: usize = files
            .iter()
            .find(|(n, _)| *n == "model-mappings.yaml")
            .map(|(_, t)| t.lines().count())
            .unwrap_or(0);
        let (median, p90) = median(measure(dir, files, "model-mappings.yaml", runs));
        println!(
            "  {label:<28} {lines:>6} lines  median {:>8.3} ms  p90 {:>8.3} ms",
            median.as_secs_f64() * 1e3,
            p90.as_secs_f64() * 1e3
        );
    }
    let (took, checks) = burst(&large_dir, &large, "model-mappings.yaml", 100);
    println!(
        "100 back-to-back edits of the 10,000-line mappings → last diagnostics: {:.1} ms, {checks} check(s)",
        took.as_secs_f64() * 1e3
    );
}
