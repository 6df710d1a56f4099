//! The tables of the live commands, for people: one line per port (`aiblint ports`) or per
//! probed target (`aiblint probe`), then a one-line summary. Their diagnostics are rendered by
//! the other emitters like those of `aiblint check`.

use std::time::Duration;

use unicode_width::UnicodeWidthStr;

use super::printable;
use crate::live::ports::{ExpectedFrom, PortCheck, PortState};
use crate::live::probe::{humantime_short, ProbeReport};

/// `✓ 6379   redis      RUNNING    redis-server (pid 812)`, one line per port.
pub fn ports_table(checks: &[PortCheck]) -> String {
    let width = checks
        .iter()
        .map(|c| c.target.declared.id().width())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for check in checks {
        let target = &check.target;
        let mark = match check.state {
            PortState::Available | PortState::Running => "✓",
            PortState::Conflict => "✗",
            PortState::InUse | PortState::Hidden => "?",
        };
        let mut detail = match check.state {
            PortState::Available if target.declared.is_reserved() => "free, reserved".to_string(),
            PortState::Available => String::new(),
            PortState::Running => check
                .holders
                .iter()
                .map(|h| match h.forwarder {
                    Some(what) => format!("{} ({what})", h.describe()),
                    None => h.describe(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            PortState::Conflict if target.declared.is_reserved() => {
                format!("held by {}; reserved", check.holders_text(false))
            }
            PortState::Conflict => format!(
                "held by {}; expected {}",
                check.holders_text(true),
                target.expected.join(", ")
            ),
            PortState::InUse => format!(
                "held by {}; no expected process known (set `expected_process`)",
                check.holders_text(false)
            ),
            PortState::Hidden => format!("held by {}", check.holders_text(false)),
        };
        if target.expected_from == ExpectedFrom::Unknown && check.state == PortState::Available {
            detail.clear();
        }
        let line = format!(
            "{mark} {:<6} {}  {:<9}  {detail}",
            target.port,
            pad(target.declared.id(), width),
            check.state.as_str(),
        );
        out += printable(line.trim_end()).as_ref();
        out.push('\n');
    }
    out
}

/// `9 ports: 3 running, 1 conflict, 4 available, 1 in use`.
pub fn ports_summary(checks: &[PortCheck]) -> String {
    let count = |states: &[PortState]| checks.iter().filter(|c| states.contains(&c.state)).count();
    let parts: Vec<String> = [
        (count(&[PortState::Running]), "running"),
        (
            count(&[PortState::Conflict]),
            if count(&[PortState::Conflict]) == 1 {
                "conflict"
            } else {
                "conflicts"
            },
        ),
        (count(&[PortState::Available]), "available"),
        (count(&[PortState::InUse, PortState::Hidden]), "in use"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| format!("{n} {word}"))
    .collect();
    match checks.len() {
        0 => "No port to check: ports.yaml declares none and no active provider is on this host."
            .to_string(),
        1 => format!("1 port: {}.", parts.join(", ")),
        n => format!("{n} ports: {}.", parts.join(", ")),
    }
}

/// One line per provider (probed or skipped), then the gateway and the cache.
pub fn probe_table(report: &ProbeReport) -> String {
    let mut rows: Vec<(&str, String, String, String)> = Vec::new();
    for (id, result) in &report.providers {
        match result {
            Err(skip) => rows.push(("-", id.value.to_string(), String::new(), skip.describe())),
            Ok(result) => {
                let disabled = if result.probe.disabled {
                    ", disabled"
                } else {
                    ""
                };
                let (mark, detail) = match &result.outcome {
                    Ok(served) => (
                        if result.probe.disabled { "!" } else { "✓" },
                        format!(
                            "{} ({}){disabled}",
                            plural(served.models.len(), "model"),
                            millis(served.elapsed)
                        ),
                    ),
                    Err(failure) if result.probe.disabled => {
                        ("-", format!("{}{disabled}", failure.describe()))
                    }
                    Err(failure) => ("✗", failure.describe()),
                };
                rows.push((mark, id.value.to_string(), result.probe.url.clone(), detail));
            }
        }
    }
    if let Some((gateway, outcome)) = &report.gateway {
        let (mark, detail) = match outcome {
            Ok(elapsed) => ("✓", format!("alive ({})", millis(*elapsed))),
            Err(failure) => ("✗", failure.describe()),
        };
        rows.push((
            mark,
            format!("{} (gateway)", gateway.id),
            gateway.url.clone(),
            detail,
        ));
    }
    if let Some((cache, outcome)) = &report.cache {
        let (mark, mut detail) = match outcome {
            Ok(elapsed) => ("✓", format!("PONG ({})", millis(*elapsed))),
            Err(failure) => ("✗", failure.describe()),
        };
        if !cache.notes.is_empty() {
            detail += &format!(" [{}]", cache.notes.join("; "));
        }
        rows.push((mark, "redis (cache)".to_string(), cache.address(), detail));
    }
    let id_width = rows.iter().map(|r| r.1.width()).max().unwrap_or(0);
    let url_width = rows.iter().map(|r| r.2.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (mark, id, url, detail) in rows {
        let line = format!(
            "{mark} {}  {}  {detail}",
            pad(&id, id_width),
            pad(&url, url_width)
        );
        out += printable(line.trim_end()).as_ref();
        out.push('\n');
    }
    out
}

/// `Probed 3 of 5 providers, the gateway and the cache in 1.2s.`
pub fn probe_summary(report: &ProbeReport, elapsed: Duration) -> String {
    let probed = report.probed().count();
    let mut what = format!("{probed} of {}", plural(report.providers.len(), "provider"));
    match (report.gateway.is_some(), report.cache.is_some()) {
        (true, true) => what += ", the gateway and the cache",
        (true, false) => what += " and the gateway",
        (false, true) => what += " and the cache",
        (false, false) => {}
    }
    format!("Probed {what} in {}.", humantime_short(elapsed))
}

/// `text` and spaces up to `width` terminal columns (ids may hold wide characters).
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}
