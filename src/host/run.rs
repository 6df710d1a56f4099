//! Runs a probe plan: every request on a thread of its own, all under one deadline. A request
//! still unanswered at the deadline is reported as timed out, whatever the client library is
//! doing, so `aiblint probe` returns on time even against a server that never answers.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{http, redis_ping};
use crate::live::probe::{
    parse_models, Failure, KeyHeader, ProbePlan, ProbeReport, ProviderProbe, ProviderResult, Served,
};

/// What finished, for a progress line: the name of the target, how many are done, of how many.
pub struct Progress<'a> {
    pub name: &'a str,
    pub done: usize,
    pub total: usize,
}

enum Done {
    Provider(usize, ProviderResult),
    Gateway(Result<Duration, Failure>),
    Cache(Result<Duration, Failure>),
}

/// Probes everything `plan` asks for within `timeout`, reading API keys with `env`.
pub fn probe(
    plan: ProbePlan,
    timeout: Duration,
    env: &dyn Fn(&str) -> Option<String>,
    progress: &dyn Fn(Progress),
) -> ProbeReport {
    let deadline = Instant::now() + timeout;
    let (send, receive) = mpsc::channel();
    let mut total = 0;
    for (index, (_, probe)) in plan.providers.iter().enumerate() {
        let Ok(probe) = probe else {
            continue;
        };
        total += 1;
        let headers = key_headers(probe, env);
        let (probe, send) = (probe.clone(), send.clone());
        std::thread::spawn(move || {
            let result = probe_provider(probe, &headers, deadline);
            let _ = send.send(Done::Provider(index, result));
        });
    }
    if let Some(gateway) = &plan.gateway {
        total += 1;
        let (url, send) = (gateway.url.clone(), send.clone());
        std::thread::spawn(move || {
            let started = Instant::now();
            let result = http::get(&url, &[], remaining(deadline)).and_then(|r| match r.status {
                200 => Ok(started.elapsed()),
                code => Err(Failure::Status(code)),
            });
            let _ = send.send(Done::Gateway(result));
        });
    }
    if let Some(cache) = &plan.cache {
        total += 1;
        let (cache, send) = (cache.clone(), send.clone());
        std::thread::spawn(move || {
            let started = Instant::now();
            let result = redis_ping::ping(&cache, remaining(deadline)).map(|()| started.elapsed());
            let _ = send.send(Done::Cache(result));
        });
    }
    drop(send);

    let mut providers: Vec<Option<ProviderResult>> = vec![None; plan.providers.len()];
    let mut gateway = None;
    let mut cache = None;
    let mut done = 0;
    while done < total {
        let Ok(finished) = receive.recv_timeout(remaining(deadline)) else {
            break; // The deadline passed (or every thread is gone).
        };
        done += 1;
        let name = match finished {
            Done::Provider(index, result) => {
                providers[index] = Some(result);
                plan.providers[index].0.value.as_str()
            }
            Done::Gateway(result) => {
                gateway = Some(result);
                plan.gateway.as_ref().map_or("gateway", |g| g.id.as_str())
            }
            Done::Cache(result) => {
                cache = Some(result);
                "cache"
            }
        };
        progress(Progress { name, done, total });
    }

    let late = || Failure::Timeout(timeout);
    ProbeReport {
        providers: plan
            .providers
            .into_iter()
            .zip(providers)
            .map(|((id, probe), result)| {
                let result = probe.map(|probe| {
                    result.unwrap_or_else(|| ProviderResult {
                        probe,
                        outcome: Err(late()),
                        alternative_answers: false,
                    })
                });
                (id, result)
            })
            .collect(),
        gateway: plan
            .gateway
            .map(|g| (g, gateway.unwrap_or_else(|| Err(late())))),
        cache: plan
            .cache
            .map(|c| (c, cache.unwrap_or_else(|| Err(late())))),
    }
}

fn remaining(deadline: Instant) -> Duration {
    deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1))
}

/// The provider's API key, read from its `env_var`, in the header its API expects. Only this
/// provider's own URL receives it.
fn key_headers(
    probe: &ProviderProbe,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<(&'static str, String)> {
    let mut headers = Vec::new();
    let key = probe
        .key_var
        .as_deref()
        .and_then(env)
        .filter(|k| !k.is_empty());
    match (probe.key_header, key) {
        (KeyHeader::Bearer, Some(key)) => headers.push(("authorization", format!("Bearer {key}"))),
        (KeyHeader::XApiKey, key) => {
            headers.push(("anthropic-version", "2023-06-01".to_string()));
            if let Some(key) = key {
                headers.push(("x-api-key", key));
            }
        }
        (KeyHeader::Bearer, None) => {}
    }
    headers
}

fn probe_provider(
    probe: ProviderProbe,
    headers: &[(&'static str, String)],
    deadline: Instant,
) -> ProviderResult {
    let started = Instant::now();
    let outcome =
        http::get(&probe.url, headers, remaining(deadline)).and_then(|r| match r.status {
            200 => parse_models(probe.api, &r.body)
                .map(|models| Served {
                    models,
                    elapsed: started.elapsed(),
                })
                .map_err(Failure::Garbage),
            300..=399 => Err(Failure::Redirect(
                r.location.unwrap_or_else(|| "nowhere".to_string()),
            )),
            code => Err(Failure::Status(code)),
        });
    // A 404 may mean the wrong `type`: does the same server answer the other API?
    let alternative_answers = outcome == Err(Failure::Status(404))
        && probe.api.alternative().is_some_and(|api| {
            probe.alternative_url.as_deref().is_some_and(|url| {
                http::get(url, headers, remaining(deadline))
                    .is_ok_and(|r| r.status == 200 && parse_models(api, &r.body).is_ok())
            })
        });
    ProviderResult {
        probe,
        outcome,
        alternative_answers,
    }
}
