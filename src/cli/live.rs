//! What `aiblint ports` and `aiblint probe` share: reading a config set, running the live
//! rules over what was observed, printing and choosing the exit code.

use std::path::{Path, PathBuf};

use clap::Args;
use miette::{miette, Result};

use super::use_color;
use super::{ColorArg, FormatArg, EXIT_OK, EXIT_PROBLEMS};
use crate::diagnostic::Severity;
use crate::emit::{self, OutputFormat};
use crate::lint::{self, LintedFile};
use crate::live::Observed;
use crate::model::{Config, ConfigSet, FileKind};
use crate::workspace;

/// The options of both live commands.
#[derive(Args, Debug)]
pub(crate) struct LiveArgs {
    /// The config set's directory [default: ./config, or . when it holds a config set]
    pub dir: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "full")]
    pub format: FormatArg,
    /// When to use colour
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Settings file to use instead of the nearest aiblint.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub output: super::ReportOutput,
    /// Print the diagnostics only: no table, no summary
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl LiveArgs {
    pub fn dir(&self) -> PathBuf {
        self.dir.clone().unwrap_or_else(|| {
            workspace::default_set_dir("check").unwrap_or_else(|_| PathBuf::from("config"))
        })
    }
}

/// The recognised files of `dir`, read and analysed as one set.
pub(super) fn load_set(dir: &Path) -> Result<ConfigSet> {
    if !dir.is_dir() {
        return Err(miette!(
            help = "pass the directory of providers.yaml and ports.yaml",
            "{} is not a directory",
            dir.display()
        ));
    }
    let files = workspace::list_set(dir)?;
    Ok(ConfigSet::new(workspace::read_members(&files)))
}

/// Refuses a set whose file of a kind the command reads is there but could not be read or
/// parsed: the live commands would otherwise check nothing and say all is well.
pub(super) fn require_readable(set: &ConfigSet, kinds: &[FileKind]) -> Result<()> {
    for kind in kinds {
        let Some(member) = set.member(*kind) else {
            continue;
        };
        if matches!(member.file.config, Config::None) {
            return Err(miette!(
                help = format!("`aiblint check {}` shows why", member.path),
                "{} cannot be read as a {}",
                member.path,
                kind.file_name()
            ));
        }
    }
    Ok(())
}

/// Runs the live rules over `observed`, prints the report (for people: `table`, the code
/// frames, `summary`) and returns the exit code: 1 when there is an error.
pub(super) fn finish(
    args: &LiveArgs,
    set: ConfigSet,
    observed: &Observed,
    table: &str,
    summary: &str,
) -> Result<u8> {
    let selection = workspace::selection_for(&args.dir(), args.config.as_deref())?;
    let files = lint::check_live(set, observed, &selection);
    let format = OutputFormat::from(args.format);
    let color = args.output.is_stdout() && use_color(args.color);
    let has_diagnostics = files.iter().any(|f| !f.diagnostics.is_empty());
    let mut report = String::new();
    if format == OutputFormat::Full && !args.quiet {
        report += table;
        if has_diagnostics {
            report.push('\n');
        }
    }
    if has_diagnostics || format.is_document() {
        report += &emit::render(&files, &[], format, color).map_err(|e| miette::miette!("{e}"))?;
    }
    if format == OutputFormat::Full && !args.quiet {
        report += summary;
        report += &counts(&files);
        report.push('\n');
    }
    args.output.write(&report)?;
    Ok(if lint::count(&files, Severity::Error) > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

/// ` Found 2 errors, 1 warning.` after the summary, or nothing when nothing was found.
fn counts(files: &[LintedFile]) -> String {
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ]
    .into_iter()
    .map(|(severity, word)| (lint::count(files, severity), word))
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| format!("{n} {word}{}", if n == 1 { "" } else { "s" }))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" Found {}.", parts.join(", "))
    }
}
