//! The test hooks of `aiblint migrate`, read from the environment; not user features.
//!
//! `AIBLINT_FAIL_WRITE_AFTER=N` makes the
//! write of the (N+1)th changed file fail after its temp file is written, so tests can prove
//! the rollback; `AIBLINT_TOUCH_BEFORE_WRITE=<path>` appends a line to `<path>` after the
//! plan is made and before anything is written, standing in for a concurrent edit (compiled
//! into debug builds only, which the tests run: a release binary never writes to a file an
//! environment variable names);
//! `AIBLINT_CRASH_AFTER=N` aborts the process (as kill -9 would) once N files are replaced;
//! `AIBLINT_PAUSE_MS=N` waits N ms before each file is replaced, so that the kill and
//! concurrent-edit loops of `scripts/migrate-faults.py` land inside the transaction.

use crate::cli::transaction::Hooks;

/// The test hooks' environment variables (see above).
const FAIL_WRITE_AFTER: &str = "AIBLINT_FAIL_WRITE_AFTER";
#[cfg(debug_assertions)]
const TOUCH_BEFORE_WRITE: &str = "AIBLINT_TOUCH_BEFORE_WRITE";
const CRASH_AFTER: &str = "AIBLINT_CRASH_AFTER";
const PAUSE_MS: &str = "AIBLINT_PAUSE_MS";

/// The concurrent-edit test hook (see above): appends a line to the file it names.
#[cfg(not(debug_assertions))]
pub(super) fn touch_hook() {}

/// The concurrent-edit test hook (see above): appends a line to the file it names.
#[cfg(debug_assertions)]
pub(super) fn touch_hook() {
    if let Some(path) = std::env::var_os(TOUCH_BEFORE_WRITE) {
        use std::io::Write;
        let _ = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(b"# edited while aiblint was migrating\n"));
    }
}

/// The test hooks of the transaction, from the environment (see above).
pub(super) fn hooks_from_env() -> Hooks {
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse().ok());
    Hooks {
        fail_write_after: number(FAIL_WRITE_AFTER),
        crash_after: number(CRASH_AFTER),
        pause_ms: number(PAUSE_MS).map_or(0, |ms: usize| ms as u64),
    }
}
