//! What the command line and the language server both know of the files around a config
//! set, in one place so that they find the same files, read them the same way, apply the
//! same settings and show the same paths:
//!
//! - `discover`: which files a path stands for and which set each is checked in (a
//!   directory's recognised files, a lone file with its siblings as context, stdin, LiteLLM
//!   `include:`s, the default `./config`); `monitoring`: the monitoring trees;
//! - `read`: reading, within bounds, the only way either reads a config file
//!   ([`read_source`], [`read_text`], [`read_members`]); `analyze`: analysing the files
//!   read, in parallel when they are large enough for it to pay;
//! - `settings`: the `aiblint.toml` that applies to a set; `missing`: what a set could not
//!   be checked for, for want of a file;
//! - `paths`: how a path is shown;
//! - `disk`: the language server's cache of what it read from disk (directory listings and
//!   the analysed closed files of its sets, shared as `Arc`s), kept until the client reports
//!   a change (`workspace/didChangeWatchedFiles`).

mod analyze;
mod discover;
mod disk;
mod missing;
mod monitoring;
mod paths;
mod read;
mod settings;

use std::path::{Path, PathBuf};

pub use analyze::{analyze_all, members_of, Input};
pub use discover::{
    default_check_paths, default_set_dir, discover, included_files, list_set, lone_file_context,
    plain_litellm_configs, recognised_files, stdin_targets, watched_dirs, Target, STDIN_NAME,
};
pub use disk::{watched_globs, DiskStamp, DiskView};
pub use missing::unchecked_references;
pub use paths::{dir_of, display_path, display_relative};
pub use read::{read_bounded, read_source, ReadOnce};
pub use settings::{load_selection, selection_for, settings_file, SETTINGS_FILE};

use crate::model::{FileKind, SetMember};

/// Why the files of a set could not be found: a message and, when there is one, what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceError {
    pub message: String,
    pub help: Option<String>,
}

impl WorkspaceError {
    pub fn new(message: impl Into<String>) -> WorkspaceError {
        WorkspaceError {
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> WorkspaceError {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WorkspaceError {}

/// A file's text, read within bounds, or `None` when it cannot be read or is not UTF-8.
pub fn read_text(path: &Path) -> Option<String> {
    read_bounded(path)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
}

/// The files `found` (a set's recognised files) read and analysed as set members, each
/// under its displayed path.
pub fn read_members(found: &[(PathBuf, FileKind)]) -> Vec<SetMember> {
    let inputs = found
        .iter()
        .map(|(path, kind)| (Some(*kind), read_bounded(path)))
        .collect();
    found
        .iter()
        .zip(analyze_all(inputs))
        .map(|((path, _), file)| SetMember {
            path: display_path(path),
            file: file.into(),
        })
        .collect()
}
