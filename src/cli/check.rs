//! `aiblint check [PATH...]`: discover the files, read them, lint, print, pick the exit code.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use miette::{miette, Result};

use super::{monitoring, out, ColorArg, FormatArg, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::diagnostic::Severity;
use crate::emit::{self, OutputFormat};
use crate::lint::{self, LintedFile, RuleSelection};
use crate::model::{FileKind, ReadProblem, SetMember, SourceFile};
use crate::settings::Settings;

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
    /// Settings file to use instead of the nearest aiblint.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Print the diagnostics only: no summary line, and nothing at all when there are none
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Print how many diagnostics each rule produced instead of the diagnostics
    #[arg(long)]
    statistics: bool,
    /// Also report `os.environ/NAME` references of LiteLLM configs to variables this
    /// environment does not set (run it where the proxy runs)
    #[arg(long)]
    env: bool,
    /// Check the files given as this kind of file, whatever their names
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
}

/// A kind of file, as `--kind` names it.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum KindArg {
    /// providers.yaml
    Providers,
    /// model-mappings.yaml
    Mappings,
    /// A LiteLLM proxy config (litellm-unified.yaml, config.yaml)
    Litellm,
    /// ports.yaml
    Ports,
}

impl From<KindArg> for FileKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Providers => FileKind::Providers,
            KindArg::Mappings => FileKind::Mappings,
            KindArg::Litellm => FileKind::Litellm,
            KindArg::Ports => FileKind::Ports,
        }
    }
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
        // The monitoring files of the repository are checked with the config they watch.
        let monitoring = PathBuf::from("monitoring");
        std::iter::once(default)
            .chain(monitoring.is_dir().then_some(monitoring))
            .collect()
    } else {
        args.paths.clone()
    };
    let format = OutputFormat::from(args.format);
    if args.statistics && emit::render_statistics(&[], format).is_none() {
        return Err(miette!(
            help = "use --format full, concise or json with --statistics",
            "--statistics has no {} form",
            args.format
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        ));
    }
    let mut targets = Vec::new();
    for path in &paths {
        let mut found = discover(path, args.quiet && args.kind.is_none())?;
        if let (Some(kind), false) = (args.kind, path.is_dir()) {
            if let Some(target) = found.iter_mut().find(|t| t.report) {
                target.kind = Some(kind.into());
            }
            let forced = FileKind::from(kind);
            found.retain(|t| t.report || t.kind != Some(forced));
        }
        targets.extend(found);
    }
    if !args.quiet {
        warn_of_interrupted_migrations(&targets);
    }
    let included = included_files(&targets);
    targets.extend(included);
    let environment = args.env.then(|| {
        std::env::vars_os()
            .filter_map(|(k, _)| k.into_string().ok())
            .collect()
    });
    let files = lint_targets(targets, args.config.as_deref(), environment)?;

    let color = args.output_file.is_none() && use_color(args.color);
    let report = report(&files, format, color, args.quiet, args.statistics);
    match &args.output_file {
        Some(path) => std::fs::write(path, report)
            .map_err(|e| miette!("cannot write the report to {}: {e}", path.display()))?,
        None => out(&report),
    }

    let unreadable = files
        .iter()
        .any(|f| matches!(f.file.read_problem, Some(ReadProblem::Unreadable(_))));
    let count = |s: Severity| lint::count(&files, s);
    Ok(if unreadable {
        EXIT_USAGE
    } else if count(Severity::Error) > 0 || (args.deny_warnings && count(Severity::Warning) > 0) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

/// A migration that was interrupted may have left its set half migrated, which the
/// diagnostics then show as version mismatches: say why, and what puts it right.
fn warn_of_interrupted_migrations(targets: &[Target]) {
    let mut dirs: Vec<&Path> = targets
        .iter()
        .map(|t| t.path.parent().unwrap_or(Path::new("")))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let shown = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if shown.join(super::transaction::JOURNAL).exists() {
            eprintln!(
                "aiblint: a migration of {} was interrupted and may have left it half migrated; `aiblint migrate {}` puts its files back as they were",
                display_path(shown),
                display_path(shown)
            );
        }
    }
}

/// What `check` prints: the diagnostics (or the statistics) in `format`, then, for people,
/// the summary line.
fn report(
    files: &[LintedFile],
    format: OutputFormat,
    color: bool,
    quiet: bool,
    statistics: bool,
) -> String {
    let has_diagnostics = files.iter().any(|f| !f.diagnostics.is_empty());
    if quiet && !has_diagnostics && !format.is_document() {
        return String::new();
    }
    let mut text = if statistics {
        emit::render_statistics(files, format).unwrap_or_default()
    } else {
        emit::render(files, format, color)
    };
    if format == OutputFormat::Full && !quiet {
        if statistics && has_diagnostics {
            text.push('\n');
        }
        text += &summary(files);
        text.push('\n');
    }
    text
}

/// A file to analyse; `report` is false for siblings loaded only as cross-file context.
/// `set` is the directory whose set the file is checked in: its own directory for a gateway
/// file, the tree walked for a monitoring file.
struct Target {
    path: PathBuf,
    kind: Option<FileKind>,
    report: bool,
    set: PathBuf,
}

impl Target {
    fn new(path: PathBuf, kind: Option<FileKind>, report: bool) -> Target {
        let set = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Target {
            path,
            kind,
            report,
            set,
        }
    }

    fn in_set(mut self, set: &Path) -> Target {
        self.set = set.to_path_buf();
        self
    }
}

/// Groups the targets into config sets (one per directory), lints each set with the
/// settings that apply to it, and returns the reported files sorted by path.
fn lint_targets(
    mut targets: Vec<Target>,
    config: Option<&Path>,
    environment: Option<std::collections::BTreeSet<String>>,
) -> Result<Vec<LintedFile>> {
    // A file named twice in a set is reported if either mention asks for it.
    targets.sort_by(|a, b| {
        (&a.set, &a.path)
            .cmp(&(&b.set, &b.path))
            .then(b.report.cmp(&a.report))
    });
    targets.dedup_by(|a, b| a.path == b.path && a.set == b.set);
    let mut groups: BTreeMap<PathBuf, Vec<Target>> = BTreeMap::new();
    for target in targets {
        groups.entry(target.set.clone()).or_default().push(target);
    }
    let mut out = Vec::new();
    for (dir, group) in groups {
        let mut selection = settings_for(&dir, config)?;
        if let Some(names) = &environment {
            selection = selection.with_environment(names.clone());
        }
        let reported: Vec<bool> = group.iter().map(|t| t.report).collect();
        let members = group
            .into_iter()
            .map(|t| SetMember {
                path: display_path(&t.path),
                file: read(&t.path, t.kind),
            })
            .collect();
        let linted = lint::check_set(members, &selection);
        out.extend(
            linted
                .into_iter()
                .zip(reported)
                .filter(|(_, r)| *r)
                .map(|(f, _)| f),
        );
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    // A file reported in two sets (two overlapping trees given) is reported once.
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

/// The settings of `--config`, else of the nearest `aiblint.toml` in `dir` or above.
pub(super) fn settings_for(dir: &Path, config: Option<&Path>) -> Result<RuleSelection> {
    let found = match config {
        Some(path) => Some(path.to_path_buf()),
        None => {
            let start = std::fs::canonicalize(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
            .unwrap_or_else(|_| dir.to_path_buf());
            start
                .ancestors()
                .map(|d| d.join("aiblint.toml"))
                .find(|p| p.is_file())
        }
    };
    let Some(path) = found else {
        return Ok(RuleSelection::default());
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| miette!("cannot read {}: {e}", path.display()))?;
    let settings = Settings::from_toml(&text)
        .map_err(|e| miette!("invalid settings in {}: {e}", path.display()))?;
    RuleSelection::from_settings(&settings)
        .map_err(|e| miette!("invalid settings in {}: {e}", path.display()))
}

/// The files to check under `path`: a directory's recognised files, or one file plus its
/// recognised siblings as context.
fn discover(path: &Path, quiet: bool) -> Result<Vec<Target>> {
    if !path.is_dir() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let kind = FileKind::from_file_name(name).or_else(|| {
            let text = read_text(path).unwrap_or_default();
            FileKind::detect(name, &text)
        });
        if kind.is_none() && path.exists() && !quiet {
            eprintln!(
                "aiblint: cannot tell what {} configures; checking its YAML syntax only",
                path.display()
            );
        }
        if kind.is_some_and(FileKind::is_monitoring) {
            // Checked with its monitoring tree and the gateway config beside it.
            let root = monitoring::monitoring_root(path);
            let context = monitoring::monitoring_files(&root)
                .into_iter()
                .chain(monitoring::gateway_config_near(&root))
                .map(|(p, k)| Target::new(p, Some(k), false).in_set(&root));
            return Ok(
                std::iter::once(Target::new(path.to_path_buf(), kind, true).in_set(&root))
                    .chain(context)
                    .collect(),
            );
        }
        let mut targets = vec![Target::new(path.to_path_buf(), kind, true)];
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let siblings = recognised_files(dir).unwrap_or_default();
        targets.extend(
            siblings
                .into_iter()
                .filter(|(p, k)| Some(*k) != kind && p.file_name() != path.file_name())
                .map(|(p, k)| {
                    let shown = if path.parent().is_some_and(|d| d.as_os_str().is_empty()) {
                        PathBuf::from(p.file_name().unwrap_or_default())
                    } else {
                        p
                    };
                    Target::new(shown, Some(k), false)
                }),
        );
        return Ok(targets);
    }
    let mut found =
        recognised_files(path).map_err(|e| miette!("cannot list {}: {e}", path.display()))?;
    if !found.iter().any(|(_, k)| *k == FileKind::Litellm) {
        found.extend(plain_litellm_configs(path));
        found.sort();
    }
    let watched = monitoring::monitoring_files(path);
    if found.is_empty() && watched.is_empty() {
        let names: Vec<&str> = FileKind::ALL.iter().map(|k| k.file_name()).collect();
        return Err(miette!(
            help = format!(
                "aiblint looks for {}, for a LiteLLM config.yaml, and for Grafana dashboards and provisioning files and Prometheus config and rule files in the tree",
                names.join(", ")
            ),
            "nothing to check: no configuration files in {}",
            path.display()
        ));
    }
    let context = if watched.is_empty() {
        Vec::new()
    } else {
        monitoring::gateway_config_near(path)
    };
    Ok(found
        .into_iter()
        .map(|(p, kind)| Target::new(p, Some(kind), true))
        .chain(
            watched
                .into_iter()
                .map(|(p, kind)| Target::new(p, Some(kind), true).in_set(path)),
        )
        .chain(
            context
                .into_iter()
                .map(|(p, kind)| Target::new(p, Some(kind), false).in_set(path)),
        )
        .collect())
}

/// The files of `dir` whose names aiblint recognises, sorted.
pub(super) fn recognised_files(dir: &Path) -> std::io::Result<Vec<(PathBuf, FileKind)>> {
    let mut found: Vec<(PathBuf, FileKind)> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let kind = FileKind::from_file_name(e.file_name().to_str()?)?;
            Some((e.path(), kind))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// The files that the reported LiteLLM configs merge in with `include:`, checked as LiteLLM
/// configs too (LiteLLM resolves the paths against the including file's directory). One
/// that cannot be read is reported as such: LiteLLM would not start without it.
fn included_files(targets: &[Target]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut queue: Vec<PathBuf> = targets
        .iter()
        .filter(|t| t.report && t.kind == Some(FileKind::Litellm))
        .map(|t| t.path.clone())
        .collect();
    // Bounded: a chain of includes longer than this is not a real config.
    while let Some(path) = queue.pop().filter(|_| out.len() < 64) {
        // Within bounds: an include may name a FIFO, a device or a huge file.
        let Some(text) = read_text(&path) else {
            continue;
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for include in crate::model::litellm::includes(&text) {
            let included = dir.join(include);
            let known =
                |p: &Path| targets.iter().any(|t| t.path == p) || out.iter().any(|t| t.path == p);
            if known(&included) {
                continue;
            }
            queue.push(included.clone());
            out.push(Target::new(included, Some(FileKind::Litellm), true));
        }
    }
    out
}

/// LiteLLM proxy configs of a directory that has no litellm-unified.yaml: `config.yaml`,
/// `proxy_config.yaml` or `litellm*.yaml` with a `model_list`.
fn plain_litellm_configs(dir: &Path) -> Vec<(PathBuf, FileKind)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            if FileKind::from_file_name(&name).is_some() {
                return None;
            }
            let text = read_text(&e.path())?;
            FileKind::plain_litellm(&name, &text).then(|| (e.path(), FileKind::Litellm))
        })
        .collect()
}

pub(super) fn read(path: &Path, kind: Option<FileKind>) -> SourceFile {
    crate::read::read_source(path, kind)
}

/// A file's text, read within bounds (`crate::read`), or `None`.
fn read_text(path: &Path) -> Option<String> {
    crate::read::read_bounded(path)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
}

/// Paths as the user would type them: relative to the current directory when possible.
pub(super) fn display_path(path: &Path) -> String {
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

pub(super) fn use_color(choice: ColorArg) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

pub(super) fn summary(files: &[LintedFile]) -> String {
    let count = |s: Severity| lint::count(files, s);
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
