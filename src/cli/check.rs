//! `aiblint check [PATH...]`: discover the files, read them, lint, print, pick the exit code.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;
use miette::{miette, Result};

use super::{ColorArg, FormatArg, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::diagnostic::Severity;
use crate::emit::{self, OutputFormat};
use crate::lint::{self, LintedFile, RuleSelection};
use crate::model::{FileKind, ReadProblem, SourceFile};

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// Directories (files found by name) or files to check [default: ./config]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "full")]
    format: FormatArg,
    /// Exit with status 1 when there are warnings, not only errors
    #[arg(long)]
    deny_warnings: bool,
    /// When to use colour
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
}

pub(super) fn run(args: CheckArgs) -> Result<u8> {
    let paths = if args.paths.is_empty() {
        let default = PathBuf::from("config");
        if !default.is_dir() {
            return Err(miette!(
                help = "pass a directory or files: `aiblint check path/to/config`",
                "nothing to check: there is no ./config directory here"
            ));
        }
        vec![default]
    } else {
        args.paths.clone()
    };
    let mut inputs = Vec::new();
    for path in &paths {
        inputs.extend(discover(path)?);
    }
    inputs.sort_by(|a, b| a.0.cmp(&b.0));
    inputs.dedup_by(|a, b| a.0 == b.0);

    let selection = RuleSelection::default();
    let files: Vec<LintedFile> = inputs
        .into_iter()
        .map(|(path, kind)| {
            let shown = display_path(&path);
            lint::check_file(&shown, read(&path, kind), &selection)
        })
        .collect();

    let format = OutputFormat::from(args.format);
    print!("{}", emit::render(&files, format, use_color(args.color)));
    if format == OutputFormat::Full {
        println!("{}", summary(&files));
    }

    let unreadable = files
        .iter()
        .any(|f| matches!(f.file.read_problem, Some(ReadProblem::Unreadable(_))));
    let count = |s: Severity| {
        files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    Ok(if unreadable {
        EXIT_USAGE
    } else if count(Severity::Error) > 0 || (args.deny_warnings && count(Severity::Warning) > 0) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

/// The files to check under `path`, each with its kind when known.
fn discover(path: &Path) -> Result<Vec<(PathBuf, Option<FileKind>)>> {
    if !path.is_dir() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let kind = FileKind::from_file_name(name).or_else(|| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            FileKind::detect(name, &text)
        });
        if kind.is_none() && path.exists() {
            eprintln!(
                "aiblint: cannot tell what {} configures; checking its YAML syntax only",
                path.display()
            );
        }
        return Ok(vec![(path.to_path_buf(), kind)]);
    }
    let entries =
        std::fs::read_dir(path).map_err(|e| miette!("cannot list {}: {e}", path.display()))?;
    let mut found: Vec<(PathBuf, Option<FileKind>)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name();
            let kind = FileKind::from_file_name(name.to_str()?)?;
            Some((e.path(), Some(kind)))
        })
        .collect();
    if found.is_empty() {
        let names: Vec<&str> = FileKind::ALL.iter().map(|k| k.file_name()).collect();
        return Err(miette!(
            help = format!("aiblint looks for {}", names.join(", ")),
            "nothing to check: no configuration files in {}",
            path.display()
        ));
    }
    found.sort();
    Ok(found)
}

fn read(path: &Path, kind: Option<FileKind>) -> SourceFile {
    match std::fs::read(path) {
        Ok(bytes) => SourceFile::from_bytes(kind, bytes),
        Err(e) => SourceFile::unreadable(kind, e.to_string()),
    }
}

/// Paths as the user would type them: relative to the current directory when possible.
fn display_path(path: &Path) -> String {
    let path = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let shown = path.display().to_string();
    shown
        .strip_prefix("./")
        .map(str::to_string)
        .unwrap_or(shown)
}

fn use_color(choice: ColorArg) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn summary(files: &[LintedFile]) -> String {
    let count = |s: Severity| {
        files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let checked = plural(files.len(), "file");
    if errors + warnings + infos == 0 {
        return format!("All checks passed ({checked} checked).");
    }
    let parts: Vec<String> = [(errors, "error"), (warnings, "warning"), (infos, "info")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| plural(n, w))
        .collect();
    format!("Found {} in {checked}.", parts.join(", "))
}
