//! `H807` cache-unreachable: the Redis cache the config set configures does not answer PING.
use super::prelude::*;
use crate::live::probe::Failure;

declare_rule! {
    /// ## What it does
    /// Reports a Redis response cache that does not answer `PING`. The cache is configured by
    /// providers.yaml `caching: {type: redis}` or litellm-unified.yaml `litellm_settings:
    /// {cache: true}`; aiblint reaches it as LiteLLM would, with `cache_params`' `host`,
    /// `port` and `password` (literals, or `os.environ/VAR` read from aiblint's environment),
    /// else the `REDIS_HOST`, `REDIS_PORT` and `REDIS_PASSWORD` variables, else 127.0.0.1 and
    /// the port of ports.yaml's Redis service (or 6379), saying which. It is reported at the
    /// `caching` type (or the `cache` key), with the error.
    ///
    /// ## Why is this bad?
    /// LiteLLM cannot cache responses, and with Redis also counting rate limits, requests may
    /// fail outright.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// caching:
    ///   type: redis
    ///   ttl: 600
    /// ```
    ///
    /// With no Redis listening, `aiblint probe` reports `the Redis cache at 127.0.0.1:6379
    /// does not answer PING: connection refused`.
    ///
    /// ## How to fix
    /// Start Redis, or make the cache parameters point at it (`REDIS_HOST`, `REDIS_PORT`,
    /// `cache_params`); for an authentication error, set the password (`REDIS_PASSWORD` or
    /// `cache_params.password`).
    code: "H807", name: "cache-unreachable", severity: Error, fix: None, reported_by: Probe
}

pub(crate) fn check(ctx: &mut LiveContext) {
    let Some((cache, Err(failure))) = ctx.probe().and_then(|r| r.cache.as_ref()) else {
        return;
    };
    let help = match failure {
        Failure::Auth(_) => "set the password LiteLLM uses (`cache_params.password` or $REDIS_PASSWORD)",
        Failure::Refused => "start Redis, or point the cache parameters (`cache_params`, $REDIS_HOST, $REDIS_PORT) at it",
        _ => "check that Redis runs and that the cache parameters point at it",
    };
    let mut d = ctx
        .diagnostic(
            format!(
                "the Redis cache at {} does not answer PING: {}",
                cache.address(),
                failure.describe()
            ),
            Label::new(cache.range, failure.describe()),
        )
        .with_help(help);
    if !cache.notes.is_empty() {
        d = d.with_note(format!("address: {}", cache.notes.join("; ")));
    }
    ctx.report(cache.file, d);
}
