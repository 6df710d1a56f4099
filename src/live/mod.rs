//! The live state of the host as data, and what the config set expects of it: the pure half
//! of `aiblint ports` and `aiblint probe`.
//!
//! Each command plans what to observe from the typed config (`ports::plan`, `probe::plan`),
//! `host` observes it (the only IO), and this module reads the observations back
//! (`ports::assess`, `probe::parse_models`); the live rules (P61x, H8xx) turn the result into
//! diagnostics at the config lines it contradicts.

pub mod endpoint;
pub mod ports;
pub mod probe;
mod well_known;

/// What a live command observed, for its rules.
#[derive(Clone, Debug)]
pub enum Observed {
    /// `aiblint ports`: the state of every declared port.
    Ports(Vec<ports::PortCheck>),
    /// `aiblint probe`: the answers of the providers, the gateway and the cache.
    Probe(Box<probe::ProbeReport>),
}
