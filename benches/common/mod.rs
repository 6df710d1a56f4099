//! Helpers shared by the in-process benches: a median timer, reading a set of files, and
//! counting its lines.
//!
//! A directory module (`benches/common/mod.rs`), not `benches/common.rs`, so that cargo does
//! not discover it as a bench target of its own.

#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use aiblint::model::FileKind;

/// The median wall time of `runs` calls of `f`.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The texts of the files `names` in `dir`, each with its kind.
pub fn read_set(dir: &Path, names: &[(&str, FileKind)]) -> Vec<(String, FileKind)> {
    names
        .iter()
        .map(|(name, kind)| (std::fs::read_to_string(dir.join(name)).unwrap(), *kind))
        .collect()
}

/// The lines of all the files of a set.
pub fn lines(files: &[(String, FileKind)]) -> usize {
    files.iter().map(|(t, _)| t.lines().count()).sum()
}
