//! What real clients send that tower-lsp 0.20 and lsp-types 0.94 misread, put right before
//! tower-lsp routes the message:
//!
//! - `"params": null` on a request or notification: JSON-RPC 2.0 allows it where there are no
//!   parameters, and Emacs Eglot and IntelliJ's LSP4IJ send `shutdown` that way, but tower-lsp
//!   answers "Unexpected params: null". It is dropped, which means the same.
//! - the client capability `workspace.diagnostics` (LSP 3.17, what VS Code and the spec
//!   say), which lsp-types 0.94 reads from `workspace.diagnostic`: it is copied there, so
//!   that the server knows the client accepts `workspace/diagnostic/refresh`.
//! - messages sent right behind `initialize`, before its response (pipelining clients):
//!   tower-lsp takes them while `initialize` has not run yet and drops every notification
//!   before it has (`initialized`, `didOpen`), so they are held until it has answered.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use serde_json::Value;
use tower_lsp::jsonrpc::Request;
use tower_service::Service;

/// Wraps the language service; every request passes through [`normalize`], and nothing
/// passes while `initialize` is being answered.
pub struct Compat<S> {
    inner: S,
    gate: Arc<Gate>,
}

/// Closed while `initialize` runs; the waker of whoever waits for it to open.
#[derive(Default)]
struct Gate {
    closed: AtomicBool,
    waiting: Mutex<Option<Waker>>,
}

impl Gate {
    fn open(&self) {
        self.closed.store(false, Ordering::SeqCst);
        let waiting = self
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(waker) = waiting {
            waker.wake();
        }
    }
}

impl<S> Compat<S> {
    pub fn new(inner: S) -> Self {
        Compat {
            inner,
            gate: Arc::default(),
        }
    }
}

impl<S> Service<Request> for Compat<S>
where
    S: Service<Request>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        if self.gate.closed.load(Ordering::SeqCst) {
            *self
                .gate
                .waiting
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(cx.waker().clone());
            // Opened between the check and the waker being stored: go on.
            if self.gate.closed.load(Ordering::SeqCst) {
                return Poll::Pending;
            }
        }
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let initialize = request.method() == "initialize";
        let future = self.inner.call(normalize(request));
        if !initialize {
            return Box::pin(future);
        }
        self.gate.closed.store(true, Ordering::SeqCst);
        let gate = self.gate.clone();
        Box::pin(async move {
            let response = future.await;
            gate.open();
            response
        })
    }
}

/// The request as tower-lsp can read it.
pub(crate) fn normalize(request: Request) -> Request {
    let needs_work = match request.params() {
        Some(Value::Null) => true,
        Some(params) => request.method() == "initialize" && misnamed_capability(params),
        None => false,
    };
    if !needs_work {
        return request;
    }
    let (method, id, params) = request.into_parts();
    let params = match params {
        Some(Value::Null) | None => None,
        Some(mut params) => {
            let workspace = &mut params["capabilities"]["workspace"];
            if let Some(diagnostics) = workspace.get("diagnostics").cloned() {
                workspace["diagnostic"] = diagnostics;
            }
            Some(params)
        }
    };
    let mut builder = Request::build(method);
    if let Some(params) = params {
        builder = builder.params(params);
    }
    if let Some(id) = id {
        builder = builder.id(id);
    }
    builder.finish()
}

/// Whether `initialize` params carry `workspace.diagnostics` and no `workspace.diagnostic`.
fn misnamed_capability(params: &Value) -> bool {
    let workspace = &params["capabilities"]["workspace"];
    workspace.get("diagnostics").is_some() && workspace.get("diagnostic").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_params_are_dropped_and_the_refresh_capability_found() {
        let shutdown: Request = serde_json::from_value(
            json!({"jsonrpc": "2.0", "id": 1, "method": "shutdown", "params": null}),
        )
        .unwrap();
        let shutdown = normalize(shutdown);
        assert_eq!(shutdown.params(), None);
        assert_eq!(shutdown.method(), "shutdown");
        assert!(shutdown.id().is_some());

        let initialize: Request = serde_json::from_value(json!({
            "jsonrpc": "2.0", "id": 2, "method": "initialize",
            "params": {"capabilities": {"workspace": {"diagnostics": {"refreshSupport": true}}}},
        }))
        .unwrap();
        let params = normalize(initialize).params().cloned().unwrap();
        assert_eq!(
            params["capabilities"]["workspace"]["diagnostic"]["refreshSupport"],
            true
        );

        // Anything else passes unchanged.
        let open: Request = serde_json::from_value(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"x": 1}}),
        )
        .unwrap();
        assert_eq!(normalize(open.clone()), open);
    }
}
