//! `aiblint probe [DIR]`: ask each provider what it serves, the gateway whether it lives and
//! Redis whether it answers, and compare with the config set.

use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use miette::{miette, Result};

use super::live::{finish, load_set, require_readable, LiveArgs};
use crate::diagnostic::suggest;
use crate::emit::live::{probe_summary, probe_table};
use crate::host::run::{probe, Progress};
use crate::live::probe::{plan, ProbeOptions};
use crate::live::Observed;
use crate::model::FileKind;

#[derive(Args, Debug)]
pub(crate) struct ProbeArgs {
    #[command(flatten)]
    live: LiveArgs,
    /// How long the whole probe may take (`2s`, `500ms`, `1m`)
    #[arg(long, default_value = "2s", value_parser = humantime::parse_duration)]
    timeout: Duration,
    /// Probe only this provider (repeatable); the gateway and the cache are left out
    #[arg(long, value_name = "ID")]
    provider: Vec<String>,
    /// Probe cloud APIs too (types `openai` and `anthropic`, and providers on public hosts)
    #[arg(long)]
    cloud: bool,
}

pub(super) fn run(args: ProbeArgs) -> Result<u8> {
    let set = load_set(&args.live.dir())?;
    require_readable(
        &set,
        &[FileKind::Providers, FileKind::Ports, FileKind::Litellm],
    )?;
    let Some(providers) = set.providers() else {
        return Err(miette!(
            "no providers.yaml in {}",
            args.live.dir().display()
        ));
    };
    for id in &args.provider {
        if set.provider(id).is_none() {
            let ids = providers.providers.iter().map(|p| p.id.value.as_str());
            let help = suggest(id, ids).map_or_else(
                || "`--provider` takes an id of providers.yaml".to_string(),
                |s| format!("did you mean `{s}`?"),
            );
            return Err(miette!(help = help, "no provider `{id}` in providers.yaml"));
        }
    }
    if args.timeout.is_zero() {
        return Err(miette!("--timeout must be longer than zero"));
    }
    let env = |var: &str| std::env::var(var).ok();
    let options = ProbeOptions {
        only: args.provider.clone(),
        cloud: args.cloud,
    };
    let plan = plan(&set, &options, &env);
    let total = plan.providers.iter().filter(|(_, p)| p.is_ok()).count()
        + usize::from(plan.gateway.is_some())
        + usize::from(plan.cache.is_some());
    let bar = progress_bar(total as u64);
    let started = Instant::now();
    let report = probe(plan, args.timeout, &env, &|p: Progress| {
        bar.set_position(p.done as u64);
        bar.set_message(format!("{} answered", p.name));
    });
    bar.finish_and_clear();
    let table = probe_table(&report);
    let summary = probe_summary(&report, started.elapsed());
    finish(
        &args.live,
        set,
        &Observed::Probe(Box::new(report)),
        &table,
        &summary,
    )
}

/// A progress line on stderr, drawn only when stderr is a terminal.
fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} probing {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}
