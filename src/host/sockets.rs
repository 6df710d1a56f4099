//! The listening TCP sockets of this host (IPv4 and IPv6, wildcard binds included) and the
//! processes that hold them, from the kernel's tables under `/proc`, through the `procfs`
//! crate. A socket whose process aiblint may not inspect (another user's, without root) is
//! kept, with its owner's uid, and no process.

use crate::live::ports::Listener;

/// Every listening TCP socket; an error when the socket tables cannot be read.
#[cfg(target_os = "linux")]
pub fn listening() -> Result<Vec<Listener>, String> {
    use std::collections::{HashMap, HashSet};

    use crate::live::ports::ProcessInfo;

    use procfs::net::TcpState;
    use procfs::process::FDTarget;

    let mut entries = procfs::net::tcp().map_err(|e| format!("cannot read /proc/net/tcp: {e}"))?;
    // A kernel without IPv6 has no tcp6 table.
    entries.extend(procfs::net::tcp6().unwrap_or_default());
    let listening: Vec<_> = entries
        .into_iter()
        .filter(|e| e.state == TcpState::Listen)
        .collect();
    let wanted: HashSet<u64> = listening.iter().map(|e| e.inode).collect();
    let mut owners: HashMap<u64, ProcessInfo> = HashMap::new();
    let processes =
        procfs::process::all_processes().map_err(|e| format!("cannot list /proc: {e}"))?;
    for process in processes.flatten() {
        // Another user's descriptors are unreadable without root: those sockets stay hidden.
        let Ok(fds) = process.fd() else {
            continue;
        };
        let mut info = None;
        for fd in fds.flatten() {
            let FDTarget::Socket(inode) = fd.target else {
                continue;
            };
            if !wanted.contains(&inode) || owners.contains_key(&inode) {
                continue;
            }
            let info = info.get_or_insert_with(|| process_info(&process));
            if let Some(info) = info {
                owners.insert(inode, info.clone());
            }
        }
    }
    Ok(listening
        .into_iter()
        .map(|e| Listener {
            addr: e.local_address,
            uid: e.uid,
            process: owners.get(&e.inode).cloned(),
        })
        .collect())
}

#[cfg(target_os = "linux")]
fn process_info(process: &procfs::process::Process) -> Option<crate::live::ports::ProcessInfo> {
    let stat = process.stat().ok()?;
    Some(crate::live::ports::ProcessInfo {
        pid: u32::try_from(stat.pid).ok()?,
        name: stat.comm,
        exe: process.exe().ok().map(|p| p.display().to_string()),
        cmdline: process.cmdline().unwrap_or_default(),
    })
}

#[cfg(not(target_os = "linux"))]
pub fn listening() -> Result<Vec<Listener>, String> {
    Err("`aiblint ports` reads the kernel's socket tables under /proc, which only Linux has".into())
}
