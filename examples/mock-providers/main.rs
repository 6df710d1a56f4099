//! Mock model servers for the live tests and `docker-compose.test.yml`: one process plays one
//! server (Ollama, vLLM, llama.cpp's server or the LiteLLM proxy) with the HTTP endpoints
//! `aiblint probe` and the monitoring use, built on axum.
//!
//! ```text
//! mock-providers --kind vllm --listen 127.0.0.1:0 --models qwen2.5-coder:7b,llama3.1:8b
//!                [--behaviour normal|hang|garbage|status=503] [--api-key KEY] [--port-file FILE]
//! ```
//!
//! It prints `listening on ADDR` once bound (and writes the port to `--port-file`), then serves
//! until killed. `hang` accepts connections and never answers; `garbage` answers 200 with a body
//! that is not JSON; `status=N` answers N everywhere; `redirect=URL` answers 307 to URL + path; `--api-key` answers 401 to a request
//! without `Authorization: Bearer KEY` (or `x-api-key: KEY`), health endpoints aside.

mod metrics;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// The server a process plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ollama,
    Vllm,
    LlamaCpp,
    Litellm,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Behaviour {
    Normal,
    Hang,
    Garbage,
    Status(u16),
    Redirect(String),
}

/// What the server serves and has counted.
pub struct Stats {
    pub models: Vec<String>,
    completions: Mutex<HashMap<String, u64>>,
    started: std::time::Instant,
}

impl Stats {
    /// Seconds since the server started.
    pub fn uptime_seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    pub fn completions(&self, model: &str) -> u64 {
        self.completions
            .lock()
            .map(|c| c.get(model).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    pub fn total_completions(&self) -> u64 {
        self.completions
            .lock()
            .map(|c| c.values().sum())
            .unwrap_or(0)
    }
}

struct Server {
    kind: Kind,
    behaviour: Behaviour,
    api_key: Option<String>,
    stats: Stats,
}

type Shared = Arc<Server>;

struct Options {
    kind: Kind,
    listen: SocketAddr,
    models: Vec<String>,
    behaviour: Behaviour,
    api_key: Option<String>,
    port_file: Option<String>,
}

fn usage(problem: &str) -> ! {
    eprintln!("mock-providers: {problem}");
    eprintln!(
        "usage: mock-providers --kind ollama|vllm|llama-cpp|litellm [--listen ADDR] [--models A,B] \
         [--behaviour normal|hang|garbage|status=N|redirect=URL] [--api-key KEY] [--port-file FILE]"
    );
    std::process::exit(2);
}

fn options() -> Options {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        kind: Kind::Vllm,
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        models: Vec::new(),
        behaviour: Behaviour::Normal,
        api_key: None,
        port_file: None,
    };
    let mut kind = None;
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            usage(&format!("{flag} needs a value"));
        };
        match flag.as_str() {
            "--kind" => {
                kind = Some(match value.as_str() {
                    "ollama" => Kind::Ollama,
                    "vllm" => Kind::Vllm,
                    "llama-cpp" => Kind::LlamaCpp,
                    "litellm" => Kind::Litellm,
                    other => usage(&format!("unknown kind `{other}`")),
                })
            }
            "--listen" => {
                options.listen = value
                    .parse()
                    .unwrap_or_else(|_| usage(&format!("bad address `{value}`")))
            }
            "--models" => {
                options.models = value
                    .split(',')
                    .filter(|m| !m.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "--behaviour" => {
                options.behaviour = match value.as_str() {
                    "normal" => Behaviour::Normal,
                    "hang" => Behaviour::Hang,
                    "garbage" => Behaviour::Garbage,
                    other => match (
                        other.strip_prefix("status="),
                        other.strip_prefix("redirect="),
                    ) {
                        (Some(code), _) => Behaviour::Status(
                            code.parse()
                                .unwrap_or_else(|_| usage(&format!("bad status `{code}`"))),
                        ),
                        (_, Some(to)) => Behaviour::Redirect(to.to_string()),
                        _ => usage(&format!("unknown behaviour `{other}`")),
                    },
                }
            }
            "--port-file" => options.port_file = Some(value),
            "--api-key" => options.api_key = Some(value),
            other => usage(&format!("unknown option `{other}`")),
        }
    }
    options.kind = kind.unwrap_or_else(|| usage("--kind is required"));
    options
}

fn main() {
    let options = options();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(serve(options));
}

async fn serve(options: Options) {
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .unwrap_or_else(|e| usage(&format!("cannot listen on {}: {e}", options.listen)));
    let addr = listener.local_addr().expect("a bound address");
    if let Some(path) = &options.port_file {
        // Written whole, then renamed, so a reader never sees half a port number.
        let partial = format!("{path}.partial");
        std::fs::write(&partial, format!("{}\n", addr.port()))
            .and_then(|()| std::fs::rename(&partial, path))
            .unwrap_or_else(|e| usage(&format!("cannot write {path}: {e}")));
    }
    println!("listening on {addr}");
    let _ = std::io::stdout().flush();
    let server = Arc::new(Server {
        kind: options.kind,
        behaviour: options.behaviour,
        api_key: options.api_key,
        stats: Stats {
            models: options.models,
            completions: Mutex::new(HashMap::new()),
            started: std::time::Instant::now(),
        },
    });
    let app = Router::new()
        .route("/", get(root))
        .route("/health", get(health))
        .route("/health/liveliness", get(liveliness))
        .route("/health/readiness", get(readiness))
        .route("/v1/models", get(openai_models))
        .route("/v1/chat/completions", post(chat_completions))
        .route("/api/tags", get(ollama_tags))
        .route("/api/version", get(ollama_version))
        .route("/metrics", get(metrics_text))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(server.clone(), misbehave))
        .with_state(server);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .expect("the server runs");
}

/// What every request meets before its endpoint: the API key check (`--api-key`; health
/// endpoints are open, as on real servers), then the behaviour: hang, answer garbage or a
/// status, or go on.
async fn misbehave(State(server): State<Shared>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if let Some(key) = &server.api_key {
        let bearer = format!("Bearer {key}");
        let headers = request.headers();
        let sent = |name: &str, want: &str| headers.get(name).is_some_and(|v| v == want);
        if !path.starts_with("/health")
            && !sent("authorization", &bearer)
            && !sent("x-api-key", key)
        {
            return (
                StatusCode::UNAUTHORIZED,
                Json(json!({"error": {"message": "Invalid API key", "code": 401}})),
            )
                .into_response();
        }
    }
    match &server.behaviour {
        Behaviour::Normal => next.run(request).await,
        Behaviour::Redirect(to) => (
            StatusCode::TEMPORARY_REDIRECT,
            [("location", format!("{to}{path}"))],
        )
            .into_response(),
        Behaviour::Hang => {
            std::future::pending::<()>().await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Behaviour::Garbage => (
            StatusCode::OK,
            [("content-type", "application/json")],
            "<html><body>Welcome to nginx!</body></html>",
        )
            .into_response(),
        Behaviour::Status(code) => (
            StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "mock failure\n",
        )
            .into_response(),
    }
}

async fn root(State(server): State<Shared>) -> Response {
    match server.kind {
        Kind::Ollama => "Ollama is running".into_response(),
        _ => not_found().await,
    }
}

async fn health(State(server): State<Shared>) -> Response {
    match server.kind {
        Kind::LlamaCpp => Json(json!({"status": "ok"})).into_response(),
        Kind::Vllm => StatusCode::OK.into_response(),
        _ => not_found().await,
    }
}

async fn liveliness(State(server): State<Shared>) -> Response {
    match server.kind {
        Kind::Litellm => Json(json!("I'm alive!")).into_response(),
        _ => not_found().await,
    }
}

async fn readiness(State(server): State<Shared>) -> Response {
    match server.kind {
        Kind::Litellm => Json(json!({"status": "healthy", "db": "Not connected"})).into_response(),
        _ => not_found().await,
    }
}

async fn openai_models(State(server): State<Shared>) -> Response {
    let owner = match server.kind {
        Kind::Ollama => "library",
        Kind::Vllm => "vllm",
        Kind::LlamaCpp => "llamacpp",
        Kind::Litellm => "openai",
    };
    let data: Vec<Value> = server
        .stats
        .models
        .iter()
        .map(|m| json!({"id": m, "object": "model", "created": 0, "owned_by": owner}))
        .collect();
    Json(json!({"object": "list", "data": data})).into_response()
}

async fn chat_completions(State(server): State<Shared>, Json(request): Json<Value>) -> Response {
    let model = request.get("model").and_then(Value::as_str).unwrap_or("");
    // llama.cpp answers any name with the model it loaded; the others know their models.
    let served = server.kind == Kind::LlamaCpp || server.stats.models.iter().any(|m| m == model);
    if !served {
        let message = format!("The model `{model}` does not exist.");
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"message": message, "type": "NotFoundError", "code": 404}})),
        )
            .into_response();
    }
    if let Ok(mut counts) = server.stats.completions.lock() {
        *counts.entry(model.to_string()).or_insert(0) += 1;
    }
    Json(json!({
        "id": "chatcmpl-mock",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "mock answer"},
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    }))
    .into_response()
}

async fn ollama_tags(State(server): State<Shared>) -> Response {
    if server.kind != Kind::Ollama {
        return not_found().await;
    }
    let models: Vec<Value> = server
        .stats
        .models
        .iter()
        .map(|m| {
            json!({
                "name": m, "model": m, "modified_at": "2025-10-19T00:00:00Z", "size": 0,
                "digest": "", "details": {"format": "gguf", "family": "mock"}
            })
        })
        .collect();
    Json(json!({"models": models})).into_response()
}

async fn ollama_version(State(server): State<Shared>) -> Response {
    match server.kind {
        Kind::Ollama => Json(json!({"version": "0.0.0-mock"})).into_response(),
        _ => not_found().await,
    }
}

async fn metrics_text(State(server): State<Shared>) -> Response {
    if server.kind == Kind::Ollama {
        return not_found().await; // Ollama exports no Prometheus metrics.
    }
    (
        [("content-type", "text/plain; version=0.0.4")],
        metrics::render(server.kind, &server.stats),
    )
        .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "404 page not found\n").into_response()
}
