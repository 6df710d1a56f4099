//! `D711` invalid-duration: a Prometheus duration setting that Prometheus cannot read.
use super::prelude::*;
use crate::model::monitoring::{is_valid_duration, DurationValue};
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a duration of a Prometheus config (`scrape_interval`, `scrape_timeout`,
    /// `evaluation_interval`) or rule file (a group's `interval`, an alert's `for` and
    /// `keep_firing_for`) that is not a Prometheus duration: digits and a unit, from `y`
    /// down to `ms`, each unit at most once and in that order (`5m`, `1h30m`), or `0`.
    ///
    /// ## Why is this bad?
    /// Prometheus refuses the whole file: the config does not load, or no rule of the rule
    /// file is evaluated, so every alert in it is silently off. `for: 300` (no unit),
    /// `for: 5 min` and `for: 1.5h` are the usual mistakes.
    ///
    /// ## Example
    /// ```yaml alerts.yml
    /// groups:
    ///   - name: gateway
    ///     rules:
    ///       - alert: GatewayDown
    ///         expr: up{job="litellm"} == 0
    ///         for: 5 min
    /// ```
    ///
    /// ## How to fix
    /// Write digits and a unit without spaces: `5m`, `30s`, `1h30m`. The fix does that
    /// when the meaning is clear (`5 min` → `5m`).
    ///
    /// ## Fix safety
    /// Unsafe: it changes when an alert fires or how often a target is scraped.
    code: "D711", name: "invalid-duration", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let durations: &[DurationValue] = match &ctx.file.config {
        Config::PrometheusConfig(c) => &c.durations,
        Config::PrometheusRules(r) => &r.durations,
        _ => return,
    };
    let mut found = Vec::new();
    for duration in durations {
        if !is_valid_duration(&duration.value.value) {
            found.push(duration);
        }
    }
    for duration in found {
        let value = &duration.value;
        let mut d = ctx
            .diagnostic(
                format!("`{}` is not a Prometheus duration", value.value),
                Label::new(value.range, format!("`{}` must be a duration", duration.key)),
            )
            .with_help("write digits and a unit without spaces: `ms`, `s`, `m`, `h`, `d`, `w` or `y` (`5m`, `1h30m`)");
        let written = &ctx.file.text[value.range.as_range()];
        if let Some(fixed) = repaired(&value.value).filter(|_| written == value.value) {
            d = d.with_fix(Fix {
                title: format!("Write `{fixed}`"),
                applicability: Applicability::Unsafe,
                edits: vec![Edit::replace(value.range, fixed)],
            });
        }
        ctx.report(d);
    }
}

/// The duration meant by a common misspelling: spaces, and units spelt out.
fn repaired(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = compact.to_ascii_lowercase();
    let digits: String = lower.chars().take_while(char::is_ascii_digit).collect();
    let unit = &lower[digits.len()..];
    let unit = match unit {
        "ms" | "msec" | "millisecond" | "milliseconds" => "ms",
        "s" | "sec" | "secs" | "second" | "seconds" => "s",
        "m" | "min" | "mins" | "minute" | "minutes" => "m",
        "h" | "hr" | "hrs" | "hour" | "hours" => "h",
        "d" | "day" | "days" => "d",
        "w" | "week" | "weeks" => "w",
        _ => return None,
    };
    let fixed = format!("{digits}{unit}");
    (!digits.is_empty() && is_valid_duration(&fixed)).then_some(fixed)
}
