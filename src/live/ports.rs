//! The pure half of `aiblint ports`: which ports a config set declares, which processes may
//! hold each, and the state of each port given the host's listening sockets.
//!
//! `host::sockets` reads the sockets; the P61x rules turn the [`PortCheck`]s into
//! diagnostics; `emit::live` prints them as a table. The services whose processes it
//! recognises are in `well_known.rs`.

use compact_str::CompactString;
use std::collections::HashSet;
use std::net::SocketAddr;

use super::endpoint::Endpoint;
use super::well_known::{normalise, well_known_by_id, well_known_by_type, WellKnown, FORWARDERS};
use crate::model::{ConfigSet, PortEntry, Provider, Spanned};
use crate::text::TextRange;

/// A process, as `/proc/<pid>` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    pub pid: u32,
    /// The kernel's name for it (`comm`, at most 15 bytes).
    pub name: String,
    /// The executable's path, when readable.
    pub exe: Option<String>,
    pub cmdline: Vec<String>,
}

/// A TCP socket in the LISTEN state, IPv4 or IPv6.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listener {
    pub addr: SocketAddr,
    /// The socket's owner, from the kernel's socket table (visible even when the process is not).
    pub uid: u32,
    /// The process holding it; `None` when aiblint may not inspect it (another user's
    /// process, seen without root, or `/proc` mounted with `hidepid`).
    pub process: Option<ProcessInfo>,
}

/// Where the config declares a port: where its diagnostics point.
#[derive(Clone, Debug)]
pub enum Declared {
    /// A service of ports.yaml; `reserved` for an entry of its `reserved` section.
    Service {
        id: Spanned<CompactString>,
        port: Spanned<i64>,
        required: bool,
        reserved: bool,
    },
    /// An active provider whose `base_url` is on this host and whose port no service of
    /// ports.yaml declares.
    Provider {
        id: Spanned<CompactString>,
        base_url: Spanned<CompactString>,
    },
}

impl Declared {
    pub fn id(&self) -> &str {
        match self {
            Declared::Service { id, .. } | Declared::Provider { id, .. } => &id.value,
        }
    }

    /// The range a diagnostic about this port points at: the `port` value of a service, the
    /// `base_url` value of a provider.
    pub fn range(&self) -> TextRange {
        match self {
            Declared::Service { port, .. } => port.range,
            Declared::Provider { base_url, .. } => base_url.range,
        }
    }

    pub fn is_required(&self) -> bool {
        matches!(self, Declared::Service { required: true, .. })
    }

    pub fn is_reserved(&self) -> bool {
        matches!(self, Declared::Service { reserved: true, .. })
    }
}

/// Why these process names are the expected ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectedFrom {
    /// `expected_process` in ports.yaml.
    Configured,
    /// The defaults of a well-known service (`Redis`, `vLLM`, ...).
    WellKnown(&'static str),
    /// Nothing: aiblint cannot tell a right holder from a wrong one.
    Unknown,
    /// A reserved port: nothing should hold it.
    Nobody,
}

/// One port to check.
#[derive(Clone, Debug)]
pub struct PortTarget {
    pub declared: Declared,
    pub port: u16,
    pub expected: Vec<String>,
    pub expected_from: ExpectedFrom,
}

/// What holds a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortState {
    /// Nothing listens on it.
    Available,
    /// An expected process (or a container runtime's port forwarder) holds it.
    Running,
    /// Another process holds it.
    Conflict,
    /// A process holds it, and the config names no process to compare it with.
    InUse,
    /// Only processes aiblint may not inspect hold it.
    Hidden,
}

impl PortState {
    pub fn as_str(self) -> &'static str {
        match self {
            PortState::Available => "AVAILABLE",
            PortState::Running => "RUNNING",
            PortState::Conflict => "CONFLICT",
            PortState::InUse | PortState::Hidden => "IN USE",
        }
    }
}

/// A visible process listening on the port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub process: ProcessInfo,
    pub addrs: Vec<SocketAddr>,
    pub expected: bool,
    /// Set when the holder forwards the port to a container or starts the service on demand
    /// (`docker-proxy`, `rootlessport`, `systemd`): what it says about the real service.
    pub forwarder: Option<&'static str>,
}

impl Holder {
    /// `` `nc` (pid 4242) ``.
    pub fn describe(&self) -> String {
        format!("`{}` (pid {})", self.process.name, self.process.pid)
    }
}

/// A port, who may hold it and who does.
#[derive(Clone, Debug)]
pub struct PortCheck {
    pub target: PortTarget,
    pub state: PortState,
    pub holders: Vec<Holder>,
    /// Owners of the listening sockets whose process aiblint may not inspect.
    pub hidden_uids: Vec<u32>,
}

impl PortCheck {
    /// Who holds the port, in words: `` `nc` (pid 4242) ``, or the uid of a process aiblint
    /// may not inspect.
    pub fn holders_text(&self, only_intruders: bool) -> String {
        let mut parts: Vec<String> = self
            .holders
            .iter()
            .filter(|h| !only_intruders || (!h.expected && h.forwarder.is_none()))
            .map(Holder::describe)
            .collect();
        parts.extend(
            self.hidden_uids
                .iter()
                .map(|uid| format!("a process of uid {uid} that aiblint may not inspect")),
        );
        parts.join(" and ")
    }

    /// The holders that should not hold the port.
    pub fn intruders(&self) -> impl Iterator<Item = &Holder> {
        self.holders
            .iter()
            .filter(|h| !h.expected && h.forwarder.is_none())
    }
}

/// Whether `process` is one of `expected`: by its kernel name (15 bytes at most), the base
/// name of its executable or of its first argument, or, for an interpreter, the script
/// it runs or the module of `-m` (`python3 -m vllm.entrypoints.openai.api_server` is `vllm`).
pub fn is_expected(process: &ProcessInfo, expected: &[String]) -> bool {
    let base = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    let mut names: Vec<String> = vec![process.name.clone()];
    names.extend(process.exe.as_deref().map(base));
    names.extend(process.cmdline.iter().take(2).map(|a| base(a)));
    let module = process
        .cmdline
        .iter()
        .position(|a| a == "-m")
        .and_then(|i| process.cmdline.get(i + 1));
    expected.iter().any(|want| {
        let truncated = want.get(..15).unwrap_or(want);
        names
            .iter()
            .any(|name| name == want || (want.len() > 15 && name == truncated))
            || module.is_some_and(|m| m == want || m.starts_with(&format!("{want}.")))
    })
}

fn forwarder(process: &ProcessInfo) -> Option<&'static str> {
    FORWARDERS
        .iter()
        .find(|(name, _)| process.name == *name && (*name != "systemd" || process.pid == 1))
        .map(|(_, what)| *what)
}

/// The ports to check in a config set: every service of ports.yaml (only `required` ones
/// with `required_only`), then, unless `required_only`, every entry of its `reserved`
/// section (which nothing should hold) and every active provider whose `base_url` is on
/// this host (as `is_local` tells from its host) and whose port ports.yaml does not declare.
pub fn plan(
    set: &ConfigSet,
    required_only: bool,
    is_local: &dyn Fn(&Endpoint) -> bool,
) -> Vec<PortTarget> {
    let providers: Vec<(&Provider, Endpoint)> = set
        .providers()
        .map(|p| p.providers.iter().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.status() == Some("active"))
        .filter_map(|p| {
            let endpoint = Endpoint::parse(&p.base_url.as_ref()?.value)?;
            is_local(&endpoint).then_some((p, endpoint))
        })
        .collect();
    let mut targets = Vec::new();
    let mut declared_ports = HashSet::new();
    let services = set.ports().map(|p| p.services.as_slice()).unwrap_or(&[]);
    for entry in services {
        let Some(port) = entry.port.as_ref().and_then(|p| {
            u16::try_from(p.value)
                .ok()
                .filter(|p| *p > 0)
                .map(|n| (p, n))
        }) else {
            continue;
        };
        declared_ports.insert(port.1);
        let required = entry.required.as_ref().is_some_and(|r| r.value);
        if required_only && !required {
            continue;
        }
        let (expected, expected_from) = service_expectation(entry, port.1, &providers);
        targets.push(PortTarget {
            declared: Declared::Service {
                id: entry.id.clone(),
                port: port.0.clone(),
                required,
                reserved: false,
            },
            port: port.1,
            expected,
            expected_from,
        });
    }
    if required_only {
        return targets;
    }
    let reserved = set.ports().map(|p| p.reserved.as_slice()).unwrap_or(&[]);
    for entry in reserved {
        let Some((spanned, port)) = entry.port.as_ref().and_then(|p| {
            let number = u16::try_from(p.value).ok().filter(|n| *n > 0)?;
            Some((p, number))
        }) else {
            continue;
        };
        declared_ports.insert(port);
        targets.push(PortTarget {
            declared: Declared::Service {
                id: entry.id.clone(),
                port: spanned.clone(),
                required: false,
                reserved: true,
            },
            port,
            expected: Vec::new(),
            expected_from: ExpectedFrom::Nobody,
        });
    }
    for (provider, endpoint) in providers {
        if !declared_ports.insert(endpoint.port) {
            continue;
        }
        let Some(base_url) = provider.base_url.clone() else {
            continue;
        };
        let known = provider.provider_type().and_then(well_known_by_type);
        targets.push(PortTarget {
            declared: Declared::Provider {
                id: provider.id.clone(),
                base_url,
            },
            port: endpoint.port,
            expected: known.map(processes).unwrap_or_default(),
            expected_from: known.map_or(ExpectedFrom::Unknown, |k| ExpectedFrom::WellKnown(k.name)),
        });
    }
    targets
}

fn processes(service: &WellKnown) -> Vec<String> {
    service.processes.iter().map(|p| p.to_string()).collect()
}

/// `expected_process`, else the defaults of the service the id names, else those of the
/// provider with the same id (`-` and `_` alike) or on the same port.
fn service_expectation(
    entry: &PortEntry,
    port: u16,
    providers: &[(&Provider, Endpoint)],
) -> (Vec<String>, ExpectedFrom) {
    if !entry.expected_process.is_empty() {
        let names = entry
            .expected_process
            .iter()
            .map(|n| n.value.to_string())
            .collect();
        return (names, ExpectedFrom::Configured);
    }
    let id = normalise(&entry.id.value);
    let by_provider = || {
        providers
            .iter()
            .find(|(p, _)| normalise(&p.id.value) == id)
            .or_else(|| providers.iter().find(|(_, e)| e.port == port))
            .and_then(|(p, _)| well_known_by_type(p.provider_type()?))
    };
    match well_known_by_id(&entry.id.value).or_else(by_provider) {
        Some(known) => (processes(known), ExpectedFrom::WellKnown(known.name)),
        None => (Vec::new(), ExpectedFrom::Unknown),
    }
}

/// The state of every target, given the host's listening sockets.
pub fn assess(targets: Vec<PortTarget>, listeners: &[Listener]) -> Vec<PortCheck> {
    targets
        .into_iter()
        .map(|target| assess_one(target, listeners))
        .collect()
}

fn assess_one(target: PortTarget, listeners: &[Listener]) -> PortCheck {
    let mut holders: Vec<Holder> = Vec::new();
    let mut hidden_uids: Vec<u32> = Vec::new();
    for listener in listeners.iter().filter(|l| l.addr.port() == target.port) {
        let Some(process) = &listener.process else {
            if !hidden_uids.contains(&listener.uid) {
                hidden_uids.push(listener.uid);
            }
            continue;
        };
        if let Some(holder) = holders.iter_mut().find(|h| h.process.pid == process.pid) {
            holder.addrs.push(listener.addr);
            continue;
        }
        holders.push(Holder {
            expected: is_expected(process, &target.expected),
            forwarder: forwarder(process),
            process: process.clone(),
            addrs: vec![listener.addr],
        });
    }
    holders.sort_by_key(|h| h.process.pid);
    hidden_uids.sort_unstable();
    let reserved = target.declared.is_reserved();
    let state = if holders.is_empty() && hidden_uids.is_empty() {
        PortState::Available
    } else if holders.is_empty() {
        if reserved {
            PortState::Conflict
        } else {
            PortState::Hidden
        }
    } else if reserved || holders.iter().any(|h| !h.expected && h.forwarder.is_none()) {
        if target.expected_from == ExpectedFrom::Unknown {
            PortState::InUse
        } else {
            PortState::Conflict
        }
    } else {
        PortState::Running
    };
    PortCheck {
        target,
        state,
        holders,
        hidden_uids,
    }
}

#[cfg(test)]
mod tests;
