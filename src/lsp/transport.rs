//! The stdio framing in front of tower-lsp. tower-lsp 0.20 stops reading for good after the
//! first message it cannot decode (its framed reader ends on an error), so the server would
//! exit on one malformed message. This layer reads each `Content-Length` frame itself,
//! answers a body that is not a JSON-RPC message with the JSON-RPC error (parse error or
//! invalid request, id null), and passes only well-formed messages on. Its output side merges
//! tower-lsp's frames and those errors onto stdout, one whole frame at a time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tower_lsp::jsonrpc::{Request, Response};

/// Bodies larger than this are refused (and skipped) rather than allocated.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// A framed message: `Content-Length` header, blank line, body.
pub(crate) fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// What one read from the client gave.
enum Incoming {
    Body(Vec<u8>),
    /// Headers without a usable `Content-Length`.
    BadHeader,
    Eof,
}

async fn read_frame(input: &mut (impl AsyncBufRead + Unpin)) -> Incoming {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    let mut bad = false;
    loop {
        let mut line = Vec::new();
        match input.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return Incoming::Eof,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !saw_header {
                continue;
            }
            break;
        }
        saw_header = true;
        let Some((name, value)) = text.split_once(':') else {
            bad = true;
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok();
        }
    }
    match length {
        Some(n) if !bad && n <= MAX_BODY => {
            let mut body = vec![0; n];
            match input.read_exact(&mut body).await {
                Ok(_) => Incoming::Body(body),
                Err(_) => Incoming::Eof,
            }
        }
        _ => Incoming::BadHeader,
    }
}

/// The JSON-RPC error for a body tower-lsp could not decode, or `None` when it can.
fn reject(body: &[u8]) -> Option<Vec<u8>> {
    let (code, message) = match serde_json::from_slice::<serde_json::Value>(body) {
        Err(_) => (-32700, "Parse error"),
        Ok(value) => {
            let request = serde_json::from_value::<Request>(value.clone()).is_ok();
            if request || serde_json::from_value::<Response>(value).is_ok() {
                return None;
            }
            (-32600, "Invalid request")
        }
    };
    let error = serde_json::json!({
        "jsonrpc": "2.0",
        "error": {"code": code, "message": message},
        "id": null,
    });
    Some(frame(error.to_string().as_bytes()))
}

/// Reads the client's frames: well-formed messages go to the server, errors to the client.
/// Sets `clean` when the client ends the session properly (`shutdown`, then `exit`). After
/// `exit` the server's input is closed, which is what makes tower-lsp stop.
pub(crate) async fn read_client(
    input: impl AsyncRead + Unpin,
    mut to_server: impl AsyncWrite + Unpin,
    to_client: UnboundedSender<Vec<u8>>,
    clean: Arc<AtomicBool>,
) {
    let mut input = tokio::io::BufReader::new(input);
    let mut shutdown = false;
    loop {
        let reply = match read_frame(&mut input).await {
            Incoming::Eof => break,
            Incoming::BadHeader => reject(b""),
            Incoming::Body(body) => match reject(&body) {
                Some(error) => Some(error),
                None => {
                    let sent = to_server.write_all(&frame(&body)).await;
                    if sent.and(to_server.flush().await).is_err() {
                        break;
                    }
                    match method(&body).as_deref() {
                        Some("shutdown") => shutdown = true,
                        Some("exit") => {
                            clean.store(shutdown, Ordering::SeqCst);
                            break;
                        }
                        _ => {}
                    }
                    None
                }
            },
        };
        if let Some(error) = reply {
            eprintln!("aiblint lsp: ignored a malformed message");
            if to_client.send(error).is_err() {
                break;
            }
        }
    }
    let _ = to_server.shutdown().await;
}

/// The method of a request or notification.
fn method(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Request>(body)
        .ok()
        .map(|r| r.method().to_string())
}

/// Reads the server's (well-formed) frames and queues each whole for the client.
pub(crate) async fn read_server(
    input: impl AsyncRead + Unpin,
    to_client: UnboundedSender<Vec<u8>>,
) {
    let mut input = tokio::io::BufReader::new(input);
    loop {
        match read_frame(&mut input).await {
            Incoming::Body(body) => {
                if to_client.send(frame(&body)).is_err() {
                    break;
                }
            }
            Incoming::BadHeader => continue,
            Incoming::Eof => break,
        }
    }
}

/// Writes queued frames to the client until every sender is gone.
pub(crate) async fn write_client(
    mut output: impl AsyncWrite + Unpin,
    mut frames: UnboundedReceiver<Vec<u8>>,
) {
    while let Some(frame) = frames.recv().await {
        if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_tower_lsp_cannot_decode() {
        assert!(reject(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#).is_none());
        assert!(reject(br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#).is_none());
        assert!(reject(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_none());
        let parse = String::from_utf8(reject(b"{nope").unwrap()).unwrap();
        assert!(
            parse.contains("-32700") && parse.contains("\"id\":null"),
            "{parse}"
        );
        let invalid = String::from_utf8(reject(b"[1, 2]").unwrap()).unwrap();
        assert!(invalid.contains("-32600"), "{invalid}");
    }

    #[tokio::test]
    async fn frames_survive_garbage_between_them() {
        let input: &[u8] = b"Content-Length: 2\r\n\r\n{}garbage line\r\n\r\nContent-Length: x\r\n\r\nContent-Length: 3\r\n\r\n[1]";
        let mut reader = tokio::io::BufReader::new(input);
        assert!(matches!(read_frame(&mut reader).await, Incoming::Body(b) if b == b"{}"));
        assert!(matches!(read_frame(&mut reader).await, Incoming::BadHeader));
        assert!(matches!(read_frame(&mut reader).await, Incoming::BadHeader));
        assert!(matches!(read_frame(&mut reader).await, Incoming::Body(b) if b == b"[1]"));
        assert!(matches!(read_frame(&mut reader).await, Incoming::Eof));
    }
}
