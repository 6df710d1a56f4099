//! `aiblint check --watch`: check, then check again each time a YAML file or an
//! `aiblint.toml` in a directory of the checked sets changes, until interrupted. Events are
//! debounced (one check for a burst of writes, as an editor's save or a `git checkout` makes)
//! by notify-debouncer-mini over the platform's file notifications (inotify on Linux).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use miette::{miette, Result};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};

use super::check::Outcome;
use super::ReportOutput;

/// How long the files must stay quiet before the check runs again.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Runs `once`, writes its report, and runs it again after every change in the directories
/// it read. Returns only when the file notifications fail.
pub(super) fn run(output: &ReportOutput, mut once: impl FnMut() -> Result<Outcome>) -> Result<u8> {
    let (sender, events) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, sender)
        .map_err(|e| miette!("cannot watch files for changes: {e}"))?;
    let mut watched: Vec<PathBuf> = Vec::new();
    loop {
        match once() {
            Ok(outcome) => {
                output.write(&outcome.report)?;
                for dir in watched.iter().filter(|d| !outcome.watched.contains(d)) {
                    let _ = debouncer.watcher().unwatch(dir);
                }
                for dir in outcome.watched.iter().filter(|d| !watched.contains(d)) {
                    debouncer
                        .watcher()
                        .watch(dir, RecursiveMode::NonRecursive)
                        .map_err(|e| miette!("cannot watch {}: {e}", dir.display()))?;
                }
                watched = outcome.watched;
            }
            // A usage error (a file given on the command line was removed): said, and the
            // directories watched so far are still watched.
            Err(report) => eprintln!("{report:?}"),
        }
        if watched.is_empty() {
            return Err(miette!("nothing to watch"));
        }
        eprintln!(
            "aiblint: watching {} for changes (Ctrl-C to stop)",
            watched
                .iter()
                .map(|d| crate::workspace::display_path(d))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let changed = wait_for_change(&events)?;
        eprintln!("aiblint: {} changed; checking again", changed.display());
    }
}

/// Blocks until a file that can change the result changes; returns its path.
fn wait_for_change(events: &mpsc::Receiver<DebounceEventResult>) -> Result<PathBuf> {
    loop {
        let batch = events
            .recv()
            .map_err(|_| miette!("the file notifications stopped"))?
            .map_err(|e| miette!("cannot watch files for changes: {e}"))?;
        if let Some(event) = batch.into_iter().find(|e| matters(&e.path)) {
            return Ok(event.path);
        }
    }
}

/// YAML files and settings; not editors' swap and backup files, nor the temporary files
/// that `aiblint generate` and `aiblint migrate` rename into place.
fn matters(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "aiblint.toml" || name.ends_with(".yaml") || name.ends_with(".yml")
}

#[cfg(test)]
mod tests {
    use super::matters;
    use std::path::Path;

    #[test]
    fn what_triggers_a_check() {
        for path in ["config/providers.yaml", "x.yml", "aiblint.toml"] {
            assert!(matters(Path::new(path)), "{path}");
        }
        for path in [
            "config/.providers.yaml.swp",
            "config/providers.yaml~",
            "config/.litellm-unified.yaml.aiblint-x1y2.tmp",
            "config/4913",
        ] {
            assert!(!matters(Path::new(path)), "{path}");
        }
    }
}
