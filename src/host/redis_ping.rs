//! Redis's answer to `PING`, through the `redis` crate, within a deadline.

use std::time::Duration;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use crate::live::probe::{CacheProbe, Failure};

/// Connects (authenticating with the probe's password, if any) and sends `PING`.
pub(super) fn ping(cache: &CacheProbe, timeout: Duration) -> Result<(), Failure> {
    let auth = cache
        .password
        .as_deref()
        .map(|p| format!(":{}@", utf8_percent_encode(p, NON_ALPHANUMERIC)))
        .unwrap_or_default();
    let url = format!("redis://{auth}{}/", cache.address());
    let client = redis::Client::open(url.as_str()).map_err(|e| failure(&e, timeout))?;
    let mut connection = client
        .get_connection_with_timeout(timeout)
        .map_err(|e| failure(&e, timeout))?;
    connection
        .set_read_timeout(Some(timeout))
        .and_then(|()| connection.set_write_timeout(Some(timeout)))
        .map_err(|e| failure(&e, timeout))?;
    let answer: String = redis::cmd("PING")
        .query(&mut connection)
        .map_err(|e| failure(&e, timeout))?;
    if answer == "PONG" {
        Ok(())
    } else {
        Err(Failure::Garbage(format!(
            "answered `{}` to PING",
            answer.escape_debug()
        )))
    }
}

fn failure(error: &redis::RedisError, timeout: Duration) -> Failure {
    if matches!(error.code(), Some("NOAUTH" | "WRONGPASS"))
        || error.kind() == redis::ErrorKind::AuthenticationFailed
    {
        return Failure::Auth(format!("authentication failed: {error}"));
    }
    if error.is_connection_refusal() {
        return Failure::Refused;
    }
    if error.is_timeout() {
        return Failure::Timeout(timeout);
    }
    Failure::Other(error.to_string())
}
