//! The stdio framing in front of tower-lsp. tower-lsp 0.20 stops reading for good after the
//! first message it cannot decode (its framed reader ends on an error), so the server would
//! exit on one malformed message. This layer reads each `Content-Length` frame itself,
//! answers a body that is not a JSON-RPC message with the JSON-RPC error (parse error or
//! invalid request, id null), and passes only well-formed messages on. Its output side merges
//! tower-lsp's frames and those errors onto stdout, one whole frame at a time.
//!
//! Nothing the client sends makes it allocate more than it must: a body over `MAX_BODY` is
//! skipped unread, and a header line is kept to its last `MAX_HEADER_LINE` bytes. A frame
//! glued onto garbage (a line that ends in `Content-Length: N`, as when a broken message had
//! no line end) is found again by that header, so one bad message costs at most itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tower_lsp::jsonrpc::{Request, Response};

/// Bodies larger than this are refused (and skipped) rather than allocated.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// A header line longer than this is a bad header; only its last this many bytes are kept.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// The size of the input buffers (also the step by which a refused body is skipped).
const READ_BUFFER: usize = 64 * 1024;

/// The header that frames a message, lower-cased.
const CONTENT_LENGTH: &str = "content-length:";

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

/// One header line without its line end (`None` at the end of the input), and whether it
/// was longer than `MAX_HEADER_LINE`, in which case only its last `MAX_HEADER_LINE` bytes are
/// kept: the rest is read and dropped, never buffered.
async fn read_header_line(
    input: &mut (impl AsyncBufRead + Unpin),
) -> std::io::Result<Option<(Vec<u8>, bool)>> {
    let mut line = Vec::new();
    let mut truncated = false;
    loop {
        let (used, done) = {
            let available = input.fill_buf().await?;
            if available.is_empty() {
                return Ok(None);
            }
            let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
                Some(end) => (&available[..end], true),
                None => (available, false),
            };
            line.extend_from_slice(chunk);
            (chunk.len() + usize::from(done), done)
        };
        input.consume(used);
        if done && line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.len() > MAX_HEADER_LINE {
            line.drain(..line.len() - MAX_HEADER_LINE);
            truncated = true;
        }
        if done {
            return Ok(Some((line, truncated)));
        }
    }
}

async fn read_frame(input: &mut (impl AsyncBufRead + Unpin)) -> Incoming {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    let mut bad = false;
    loop {
        let (line, truncated) = match read_header_line(input).await {
            Ok(Some(line)) => line,
            Ok(None) | Err(_) => return Incoming::Eof,
        };
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches('\r');
        if text.is_empty() && !truncated {
            if !saw_header {
                continue;
            }
            break;
        }
        saw_header = true;
        // A frame glued onto the end of garbage: what came before belongs to another,
        // broken message, and this frame starts at its `Content-Length`.
        if let Some(at) = text.to_ascii_lowercase().rfind(CONTENT_LENGTH) {
            if at > 0 || truncated {
                bad = false;
                length = text[at + CONTENT_LENGTH.len()..].trim().parse().ok();
                continue;
            }
        }
        if truncated {
            bad = true;
            continue;
        }
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
        // A refused frame that says how long its body is: skip exactly that, unread, so
        // that the next frame is read from its start.
        Some(n) => {
            let n = u64::try_from(n).unwrap_or(u64::MAX);
            let mut body = (&mut *input).take(n);
            match tokio::io::copy_buf(&mut body, &mut tokio::io::sink()).await {
                Ok(skipped) if skipped == n => Incoming::BadHeader,
                _ => Incoming::Eof,
            }
        }
        None => Incoming::BadHeader,
    }
}

/// What tower-lsp decodes each body into: the same untagged enum as its private
/// `jsonrpc::Message`, decoded the same way (`serde_json::from_str` on the UTF-8 text). Going
/// through `serde_json::Value` instead would accept what tower-lsp refuses: a `Value` keeps
/// the last of duplicated keys, while the untagged enum fails on them ("duplicate field").
#[derive(serde::Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // Decoded to decide, never read.
enum Message {
    Response(Response),
    Request(Request),
}

/// Whether tower-lsp 0.20's codec decodes `body` into a message (an empty body it skips).
fn decodes(body: &[u8]) -> bool {
    std::str::from_utf8(body).is_ok_and(|text| serde_json::from_str::<Message>(text).is_ok())
}

/// The JSON-RPC error for a body tower-lsp could not decode, or `None` when it can.
fn reject(body: &[u8]) -> Option<Vec<u8>> {
    if decodes(body) {
        return None;
    }
    let (code, message) = match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        Err(_) => (-32700, "Parse error"),
        Ok(_) => (-32600, "Invalid request"),
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
    let mut input = tokio::io::BufReader::with_capacity(READ_BUFFER, input);
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
    let mut input = tokio::io::BufReader::with_capacity(READ_BUFFER, input);
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
        // Valid JSON that tower-lsp's untagged decoding refuses: a duplicated key.
        for duplicated in [
            &br#"{"jsonrpc":"2.0","method":"initialized","method":"initialized","params":{}}"#[..],
            br#"{"jsonrpc":"2.0","id":1,"id":1,"method":"shutdown"}"#,
        ] {
            let error = String::from_utf8(reject(duplicated).unwrap()).unwrap();
            assert!(error.contains("-32600"), "{error}");
        }
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

    /// `n` zero bytes, made as they are read.
    struct Zeros(usize);

    impl AsyncRead for Zeros {
        fn poll_read(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            buf: &mut tokio::io::ReadBuf<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            let n = self.0.min(buf.remaining());
            buf.put_slice(&vec![0; n]);
            self.0 -= n;
            std::task::Poll::Ready(Ok(()))
        }
    }

    /// A body over the cap is skipped to its last byte: the next frame is read whole, even
    /// when the refused body's own bytes look like a frame that would swallow it.
    #[tokio::test]
    async fn a_body_over_the_cap_is_skipped_exactly() {
        let n = MAX_BODY + 1;
        let inner = format!("Content-Length: {MAX_BODY}\r\n\r\n");
        let head = format!("Content-Length: {n}\r\n\r\n{inner}");
        let input = head
            .as_bytes()
            .chain(Zeros(n - inner.len()))
            .chain(&b"Content-Length: 3\r\n\r\n[1]"[..]);
        let mut reader = tokio::io::BufReader::with_capacity(READ_BUFFER, input);
        assert!(matches!(read_frame(&mut reader).await, Incoming::BadHeader));
        assert!(matches!(read_frame(&mut reader).await, Incoming::Body(b) if b == b"[1]"));
        assert!(matches!(read_frame(&mut reader).await, Incoming::Eof));
        // A body that ends early ends the input.
        let input: &[u8] = b"Content-Length: 999999999999\r\n\r\nshort";
        let mut reader = tokio::io::BufReader::new(input);
        assert!(matches!(read_frame(&mut reader).await, Incoming::Eof));
    }

    /// A megabyte without a line end is read in pieces and cut to the cap; the frame glued
    /// onto its end is found by its `Content-Length`.
    #[tokio::test]
    async fn a_huge_header_line_is_capped_and_a_glued_frame_found() {
        let garbage = vec![b'x'; 1024 * 1024];
        let input = garbage
            .as_slice()
            .chain(&b"Content-Length: 2\r\n\r\n{}"[..])
            .chain(&b"{\"x\": \"content-length: 9\"}Content-Length: 3\r\n\r\n[1]"[..])
            .chain(Zeros(3 * MAX_HEADER_LINE))
            .chain(&b"\r\n\r\n"[..]);
        let mut reader = tokio::io::BufReader::new(input);
        assert!(matches!(read_frame(&mut reader).await, Incoming::Body(b) if b == b"{}"));
        assert!(matches!(read_frame(&mut reader).await, Incoming::Body(b) if b == b"[1]"));
        assert!(matches!(read_frame(&mut reader).await, Incoming::BadHeader));
        assert!(matches!(read_frame(&mut reader).await, Incoming::Eof));

        let input = Zeros(MAX_HEADER_LINE + 10).chain(&b"\r\nnext\n"[..]);
        let mut reader = tokio::io::BufReader::new(input);
        let (line, truncated) = read_header_line(&mut reader).await.unwrap().unwrap();
        assert!(truncated);
        assert_eq!(line.len(), MAX_HEADER_LINE);
        let (line, truncated) = read_header_line(&mut reader).await.unwrap().unwrap();
        assert_eq!((line.as_slice(), truncated), (&b"next"[..], false));
        assert!(read_header_line(&mut reader).await.unwrap().is_none());
    }
}
