//! `aiblint ports [DIR] [--required]`: who holds each port the config set declares.

use clap::Args;
use miette::{miette, Result};

use super::live::{finish, load_set, require_readable, LiveArgs};
use crate::emit::live::{ports_summary, ports_table};
use crate::host;
use crate::live::{ports, Observed};
use crate::model::FileKind;

#[derive(Args, Debug)]
pub(crate) struct PortsArgs {
    #[command(flatten)]
    live: LiveArgs,
    /// Check only the services of ports.yaml marked `required: true`
    #[arg(long)]
    required: bool,
}

pub(super) fn run(args: PortsArgs) -> Result<u8> {
    let set = load_set(&args.live.dir())?;
    require_readable(&set, &[FileKind::Ports, FileKind::Providers])?;
    if set.ports().is_none() && set.providers().is_none() {
        return Err(miette!(
            help = "aiblint ports reads ports.yaml and the providers of providers.yaml",
            "no ports.yaml or providers.yaml in {}",
            args.live.dir().display()
        ));
    }
    let listeners = host::sockets::listening().map_err(|e| miette!("{e}"))?;
    let targets = ports::plan(&set, args.required, &host::is_this_host);
    let checks = ports::assess(targets, &listeners);
    let table = ports_table(&checks);
    let summary = ports_summary(&checks);
    finish(&args.live, set, &Observed::Ports(checks), &table, &summary)
}
