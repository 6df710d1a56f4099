//! `aiblint generate [DIR] [-o FILE] [--check]`: lint the sources, build litellm-unified.yaml
//! with `generate`, then write it atomically, print it, or compare it with the file on disk.

use std::path::{Path, PathBuf};

use clap::Args;
use miette::{miette, IntoDiagnostic, Result, WrapErr};

use super::atomic;
use super::check::{display_path, read, recognised_files, settings_for, use_color};
use super::{out, ColorArg, EXIT_OK, EXIT_PROBLEMS};
use crate::diagnostic::Severity;
use crate::emit::{self, OutputFormat};
use crate::generate;
use crate::lint::{self, LintedFile};
use crate::model::{Config, FileKind, SetMember};

/// Diff lines shown by `--check` before the rest is summarised.
const MAX_DIFF_LINES: usize = 120;

#[derive(Args, Debug)]
pub(crate) struct GenerateArgs {
    /// The config set's directory, holding providers.yaml and model-mappings.yaml
    /// [default: ./config]
    dir: Option<PathBuf>,
    /// Write here instead of DIR/litellm-unified.yaml; `-` prints to stdout
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write nothing; exit 1 with a diff when the file is missing or differs
    #[arg(long)]
    check: bool,
    /// Settings file to use instead of the nearest aiblint.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// When to use colour (diagnostics and diff)
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
}

enum Target {
    Stdout,
    File(PathBuf),
}

pub(super) fn run(args: GenerateArgs) -> Result<u8> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("config"));
    if !dir.is_dir() {
        return Err(miette!(
            help = "pass the directory of providers.yaml and model-mappings.yaml: \
                    `aiblint generate path/to/config`",
            "nothing to generate from: {} is not a directory",
            dir.display()
        ));
    }
    let found = recognised_files(&dir)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot list {}", dir.display()))?;
    let source = |kind: FileKind| {
        found
            .iter()
            .find(|(_, k)| *k == kind)
            .map(|(p, _)| p.clone())
            .ok_or_else(|| {
                miette!(
                    "cannot generate: there is no {} in {}",
                    kind.file_name(),
                    dir.display()
                )
            })
    };
    let sources = [source(FileKind::Providers)?, source(FileKind::Mappings)?];
    let target = match args.output.as_deref() {
        Some(p) if p == Path::new("-") => Target::Stdout,
        Some(p) => Target::File(p.to_path_buf()),
        None => Target::File(
            found
                .iter()
                .find(|(_, k)| *k == FileKind::Litellm)
                .map(|(p, _)| p.clone())
                .unwrap_or_else(|| dir.join(FileKind::Litellm.file_name())),
        ),
    };

    // A broken source must not produce a config: lint the two files first.
    let selection = settings_for(&dir, args.config.as_deref())?;
    let members = sources
        .iter()
        .map(|path| SetMember {
            path: display_path(path),
            file: read(path, FileKind::from_file_name(&file_name(path))),
        })
        .collect();
    let linted = lint::check_set(members, &selection);
    let color = use_color(args.color);
    let errors: Vec<LintedFile> = linted
        .iter()
        .filter(|f| f.diagnostics.iter().any(|d| d.severity == Severity::Error))
        .map(|f| LintedFile {
            diagnostics: f
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect(),
            ..f.clone()
        })
        .collect();
    if !errors.is_empty() {
        let count: usize = errors.iter().map(|f| f.diagnostics.len()).sum();
        eprint!("{}", emit::render(&errors, OutputFormat::Full, color));
        eprintln!(
            "aiblint: not generating: {count} error{} in the sources; fix {} first",
            if count == 1 { "" } else { "s" },
            if count == 1 { "it" } else { "them" },
        );
        return Ok(EXIT_PROBLEMS);
    }
    let (Config::Providers(providers), Config::Mappings(mappings)) =
        (&linted[0].file.config, &linted[1].file.config)
    else {
        return Err(miette!(
            "cannot generate: the sources could not be analysed"
        ));
    };
    let text = generate::generate(providers, mappings);
    let regenerate = format!("aiblint generate {}", display_path(&dir));

    match (target, args.check) {
        (Target::Stdout, true) => Err(miette!(
            help = "compare with a file: `aiblint generate --check [-o FILE]`",
            "`--check` compares with a file; it cannot check `-o -`"
        )),
        (Target::Stdout, false) => {
            out(&text);
            Ok(EXIT_OK)
        }
        (Target::File(path), true) => check(&path, &text, &regenerate, color),
        (Target::File(path), false) => write(&path, &text),
    }
}

/// `--check`: 0 when the file holds exactly `text`, else 1 with a short diff.
fn check(path: &Path, text: &str, regenerate: &str, color: bool) -> Result<u8> {
    let shown = display_path(path);
    let current = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            out(&format!(
                "{shown} is missing: run `{regenerate}` and commit it\n"
            ));
            return Ok(EXIT_PROBLEMS);
        }
        Err(e) => return Err(miette!("cannot read {shown}: {e}")),
    };
    if current == text {
        out(&format!("{shown} is up to date\n"));
        return Ok(EXIT_OK);
    }
    let diff = similar::TextDiff::from_lines(current.as_str(), text);
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header(&shown, &format!("{shown} (generated)"))
        .to_string();
    let lines: Vec<&str> = unified.split_inclusive('\n').collect();
    let mut shown_diff = String::new();
    for line in lines.iter().take(MAX_DIFF_LINES) {
        shown_diff.push_str(&paint(line, color));
    }
    if !shown_diff.ends_with('\n') {
        shown_diff.push('\n');
    }
    if lines.len() > MAX_DIFF_LINES {
        shown_diff.push_str(&format!(
            "... {} more diff lines\n",
            lines.len() - MAX_DIFF_LINES
        ));
    }
    let differing = generate::compare(text, &current).map_or(0, |s| s.differing_lines);
    out(&format!(
        "{shown_diff}{shown} is stale ({differing} line{} differ{}): run `{regenerate}`\n",
        if differing == 1 { "" } else { "s" },
        if differing == 1 { "s" } else { "" },
    ));
    Ok(EXIT_PROBLEMS)
}

/// Red for removed lines, green for added ones, when colour is on.
fn paint(line: &str, color: bool) -> String {
    if !color {
        return line.to_string();
    }
    let code = match line.as_bytes().first() {
        Some(b'-') if !line.starts_with("---") => "31",
        Some(b'+') if !line.starts_with("+++") => "32",
        Some(b'@') => "36",
        _ => return line.to_string(),
    };
    let body = line.trim_end_matches('\n');
    let newline = if line.ends_with('\n') { "\n" } else { "" };
    format!("\x1b[{code}m{body}\x1b[0m{newline}")
}

/// Writes `text` to `path` unless it already holds it, atomically (`atomic::atomic_write`:
/// a reader never sees half a config; permissions, owner and a symlink are kept).
fn write(path: &Path, text: &str) -> Result<u8> {
    let shown = display_path(path);
    if std::fs::read(path).is_ok_and(|bytes| bytes == text.as_bytes()) {
        out(&format!("{shown} is up to date\n"));
        return Ok(EXIT_OK);
    }
    atomic::atomic_write(path, text.as_bytes())
        .map_err(|e| miette!("cannot write {shown}: {e}"))?;
    out(&format!(
        "wrote {shown} from {} and {}\n",
        generate::GENERATED_FROM[0],
        generate::GENERATED_FROM[1]
    ));
    Ok(EXIT_OK)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
