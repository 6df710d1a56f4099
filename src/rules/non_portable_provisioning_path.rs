//! `D709` non-portable-provisioning-path: a dashboard provider's path depends on one
//! person's machine or on Grafana's working directory.
use super::prelude::*;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports the `options.path` of a dashboard provider (Grafana dashboard provisioning)
    /// that starts with `~`, is inside a home directory (`/home/<user>/`, `/Users/<user>/`,
    /// `/root/`), or is relative. Absolute system paths (`/var/lib/grafana/dashboards`,
    /// `/etc/grafana/...`) and paths from environment variables (`$DASHBOARDS`,
    /// `${DASHBOARDS}`, `$__env{DASHBOARDS}`) are fine.
    ///
    /// ## Why is this bad?
    /// Grafana does not expand `~`: the path names a directory called `~`. A home directory
    /// exists on the machine of the person who wrote the file, not on the server or in a
    /// container. A relative path is resolved against Grafana's working directory (usually
    /// `/usr/share/grafana`), not against the provisioning file. In each case Grafana logs
    /// "Cannot read directory" and provisions no dashboard.
    ///
    /// ## Example
    /// ```yaml dashboards.yml
    /// apiVersion: 1
    /// providers:
    ///   - name: gateway
    ///     type: file
    ///     options:
    ///       path: /home/alice/ai-gateway/monitoring/grafana/dashboards
    /// ```
    ///
    /// ## How to fix
    /// Use the path where the dashboards are on the Grafana host or in its container (copy or
    /// mount them there, e.g. `/var/lib/grafana/dashboards/gateway`), or an environment
    /// variable set where Grafana runs.
    code: "D709", name: "non-portable-provisioning-path", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::GrafanaDashboards(file) = &ctx.file.config else {
        return;
    };
    let mut found = Vec::new();
    for provider in &file.providers {
        let Some(path) = &provider.path else {
            continue;
        };
        if let Some(problem) = problem(&path.value) {
            found.push((path, problem));
        }
    }
    for (path, (message, label)) in found {
        let d = ctx
            .diagnostic(message, Label::new(path.range, label))
            .with_help("use the dashboards' path on the Grafana host or in its container (e.g. `/var/lib/grafana/dashboards/gateway`), or an environment variable");
        ctx.report(d);
    }
}

/// What is wrong with a provider path, as (message, label).
fn problem(path: &str) -> Option<(String, &'static str)> {
    let path = path.trim();
    if path.is_empty() || path.contains('$') {
        return None;
    }
    if path.starts_with('~') {
        return Some((
            format!("Grafana does not expand `~` in `{path}`"),
            "read as a directory named `~`",
        ));
    }
    let home = ["/home/", "/Users/"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty())
    }) || path == "/root"
        || path.starts_with("/root/");
    if home {
        return Some((
            format!("`{path}` is inside a home directory"),
            "exists on one person's machine",
        ));
    }
    let absolute = path.starts_with('/')
        || path.starts_with('\\')
        || path.as_bytes().get(1..3) == Some(b":\\")
        || path.as_bytes().get(1..3) == Some(b":/");
    (!absolute).then(|| {
        (
            format!("the relative path `{path}` is resolved against Grafana's working directory"),
            "not against this file",
        )
    })
}
