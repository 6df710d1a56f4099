//! One HTTP GET with a deadline, through `ureq`: no redirects followed, no proxy from the
//! environment, so that a request (and its API key) reaches the URL asked for and nothing else.

use std::time::Duration;

use crate::live::probe::Failure;

/// A response: its status, `Location` header and body (at most [`MAX_BODY`] bytes).
pub(super) struct Response {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// Model lists of real servers are kilobytes; a larger answer is not one.
const MAX_BODY: u64 = 8 * 1024 * 1024;

/// `GET url` with `headers`, answered within `timeout` (connection, headers and body).
pub(super) fn get(
    url: &str,
    headers: &[(&str, String)],
    timeout: Duration,
) -> Result<Response, Failure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .proxy(None)
        .user_agent(concat!("aiblint/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut request = agent.get(url);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let https = url.starts_with("https://");
    let mut response = request.call().map_err(|e| failure(e, timeout, https))?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => {
                Failure::Garbage(format!("the answer is larger than {} MiB", MAX_BODY >> 20))
            }
            e => failure(e, timeout, https),
        })?;
    Ok(Response {
        status,
        location,
        body,
    })
}

/// The failure, in the terms of `live`. Over `https`, rustls reports a failed handshake
/// (a server that does not speak TLS, an unknown certificate) as invalid data.
fn failure(error: ureq::Error, timeout: Duration, https: bool) -> Failure {
    match error {
        ureq::Error::Timeout(_) => Failure::Timeout(timeout),
        ureq::Error::HostNotFound => Failure::UnknownHost,
        ureq::Error::Io(e) => match e.kind() {
            std::io::ErrorKind::ConnectionRefused => Failure::Refused,
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                Failure::Timeout(timeout)
            }
            std::io::ErrorKind::InvalidData if https => Failure::Tls(e.to_string()),
            std::io::ErrorKind::InvalidData => Failure::Garbage(format!("unreadable answer: {e}")),
            _ => Failure::Other(e.to_string()),
        },
        ureq::Error::Tls(why) => Failure::Tls(why.to_string()),
        ureq::Error::Rustls(e) => Failure::Tls(e.to_string()),
        ureq::Error::Protocol(e) => Failure::Garbage(format!("not an HTTP answer: {e}")),
        e => Failure::Other(e.to_string()),
    }
}
