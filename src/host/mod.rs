//! The live state of this host, read for `aiblint ports` and `aiblint probe`: listening
//! sockets and their processes (`/proc`), the HTTP answers of providers and the gateway,
//! Redis's answer to `PING`.
//!
//! Besides `cli` and `lsp`, the only module that does IO, and only `cli` calls it. It reads
//! the kernel's tables and sends the requests the `live` plans ask for; it writes nothing.

mod http;
mod redis_ping;
pub mod run;
pub mod sockets;

use std::net::UdpSocket;

use crate::live::endpoint::Endpoint;

/// Whether `endpoint` is this machine: a loopback name or address, an address of one of its
/// interfaces (an address the kernel lets a socket bind to), or its host name.
pub fn is_this_host(endpoint: &Endpoint) -> bool {
    if endpoint.is_loopback() {
        return true;
    }
    if let Some(ip) = endpoint.ip() {
        return UdpSocket::bind((ip, 0)).is_ok();
    }
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let hostname = hostname.trim().to_ascii_lowercase();
    !hostname.is_empty()
        && (endpoint.host == hostname || endpoint.host == format!("{hostname}.local"))
}
