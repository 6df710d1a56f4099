//! `aiblint check [PATH...]`: discover the files, read them, lint, print, pick the exit code.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use miette::{miette, Result};

use super::{monitoring, ColorArg, FormatArg, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::diagnostic::Severity;
use crate::emit::{self, OutputFormat};
use crate::fix::FixMode;
use crate::lint::{self, LintedFile, RuleSelection};
use crate::model::{FileKind, ReadProblem, SetMember, SourceFile};
use crate::workspace;
pub(super) use crate::workspace::recognised_files;

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// Directories (files found by name) or files to check; `-` reads stdin
    /// [default: ./config, or . when it holds a config set]
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
    #[command(flatten)]
    output: super::ReportOutput,
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
    /// Report every file of the config set of each file given, not only that file (what
    /// the pre-commit hook runs: a change to providers.yaml can break model-mappings.yaml)
    #[arg(long)]
    whole_set: bool,
    /// With `-`: the path the text read from stdin stands for (its name says what kind of
    /// file it is; the files beside it are the set it is checked with)
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Check again each time a file of the checked sets changes, until interrupted
    #[arg(long)]
    watch: bool,
    /// Apply the safe fixes to the files checked, then report what remains
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: apply the unsafe fixes too (did-you-means: review them)
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 when there are any
    #[arg(long)]
    diff: bool,
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
    let stdin = read_stdin_if_asked(&args)?;
    if args.paths.iter().filter(|p| *p == Path::new("-")).count() > 1 {
        return Err(miette!("`-` (stdin) can be given once"));
    }
    if args.watch {
        if stdin.is_some() {
            return Err(miette!(
                "`--watch` cannot watch stdin: name the files to check"
            ));
        }
        if args.fix || args.diff {
            return Err(miette!("`--watch` cannot be combined with --fix or --diff"));
        }
        return super::watch::run(&args.output, || check_once(&args, None));
    }
    if args.unsafe_fixes && !(args.fix || args.diff) {
        return Err(miette!(
            help = "`aiblint check --fix --unsafe-fixes` applies them; `--diff --unsafe-fixes` shows them",
            "--unsafe-fixes needs --fix or --diff"
        ));
    }
    if (args.fix || args.diff) && stdin.is_some() {
        return Err(miette!(
            help = "name the file instead of `-`, or use the editor's fix-all",
            "--fix and --diff write or compare files on disk, not stdin"
        ));
    }
    let outcome = check_once(&args, stdin)?;
    args.output.write(&outcome.report)?;
    if let Some(words) = &outcome.epilogue {
        eprintln!("{words}");
    }
    Ok(outcome.status)
}

/// One run of `check`: what it prints, its exit status, and the directories it read (which
/// `--watch` watches).
pub(super) struct Outcome {
    pub report: String,
    pub status: u8,
    pub watched: Vec<PathBuf>,
    /// Said on stderr once the report is written (`--diff`'s count).
    pub epilogue: Option<String>,
}

fn check_once(args: &CheckArgs, stdin: Option<Vec<u8>>) -> Result<Outcome> {
    let format = OutputFormat::from(args.format);
    let paths = if args.paths.is_empty() {
        let dir = default_set_dir("check")?;
        // The monitoring files of the repository are checked with the config they watch.
        let monitoring = PathBuf::from("monitoring");
        let with_monitoring = dir == Path::new("config") && monitoring.is_dir();
        std::iter::once(dir)
            .chain(with_monitoring.then_some(monitoring))
            .collect()
    } else {
        args.paths.clone()
    };
    let mut targets = Vec::new();
    for path in &paths {
        let mut found = if path == Path::new("-") {
            stdin_targets(args.stdin_filename.as_deref(), stdin.as_deref())
        } else {
            discover(path, args.quiet && args.kind.is_none(), args.whole_set)?
        };
        if let (Some(kind), false) = (args.kind, path.is_dir()) {
            if let Some(target) = found
                .iter_mut()
                .find(|t| t.report && (t.path == *path || t.stdin))
            {
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
    let watched = watched_dirs(&targets);
    let fix_mode = (args.fix || args.diff).then_some(if args.unsafe_fixes {
        FixMode::Unsafe
    } else {
        FixMode::Safe
    });
    let Linted {
        files,
        context,
        notes,
        fixed,
        bugs,
    } = lint_targets(
        targets,
        args.config.as_deref(),
        environment,
        stdin,
        fix_mode,
    )?;
    for bug in &bugs {
        eprintln!("aiblint: {bug}");
    }
    // As ruff says of its hidden fixes: the unsafe fixes left, and how to apply them.
    let unsafe_left = (fix_mode == Some(FixMode::Safe)).then(|| unsafe_fixes_left(&files));
    let unsafe_hint = unsafe_left.filter(|&n| n > 0).map(|n| {
        format!(
            "{n} more fix{} unsafe (a guess, or a change to how the gateway runs): review {} with `--diff --unsafe-fixes`; `--fix --unsafe-fixes` applies {}",
            if n == 1 { " is" } else { "es are" },
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it" } else { "them" },
        )
    });
    if args.diff {
        let (report, epilogue) = super::fix::diff_report(&fixed);
        let epilogue = match (epilogue, &unsafe_hint) {
            (Some(count), Some(hint)) => Some(format!("{count}\n{hint}")),
            (count, hint) => count.or_else(|| hint.clone()),
        };
        let status = if fixed.is_empty() {
            EXIT_OK
        } else {
            EXIT_PROBLEMS
        };
        return Ok(Outcome {
            report,
            status,
            watched,
            epilogue,
        });
    }
    let written = super::fix::write_fixes(&fixed);
    let mut notes = notes;
    notes.extend(written.notes);
    notes.extend(unsafe_hint);
    if written.failed {
        // Files left as they were are reported below as they are on disk.
        eprintln!("aiblint: some fixes were not written (see the notes)");
    }

    let color = args.output.is_stdout() && use_color(args.color);
    let people = format == OutputFormat::Full;
    if !args.quiet && !people {
        // Other formats keep stdout a document of their own.
        for note in &notes {
            eprintln!("note: {note}");
        }
    }
    let notes = if people { notes } else { Vec::new() };
    let shown = Shown {
        files: &files,
        context: &context,
    };
    let report = report(shown, format, color, args.quiet, args.statistics, &notes)?;

    let unreadable = written.failed
        || files
            .iter()
            .any(|f| matches!(f.file.read_problem, Some(ReadProblem::Unreadable(_))));
    let count = |s: Severity| lint::count(&files, s);
    let status = if unreadable {
        EXIT_USAGE
    } else if count(Severity::Error) > 0 || (args.deny_warnings && count(Severity::Warning) > 0) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    };
    if !args.watch {
        // The process ends after this one check: freeing the trees node by node would
        // cost a tenth of the run on a large set, and the system reclaims them at once.
        std::mem::forget(files);
        std::mem::forget(context);
    }
    Ok(Outcome {
        report,
        status,
        watched,
        epilogue: None,
    })
}

/// How many diagnostics of the reported files carry a fix that only `--unsafe-fixes` applies.
fn unsafe_fixes_left(files: &[LintedFile]) -> usize {
    files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|fix| fix.applicability == crate::diagnostic::Applicability::Unsafe)
        })
        .count()
}

/// The text of stdin when `-` is among the paths (bounded: a file larger than aiblint
/// analyses is only reported).
fn read_stdin_if_asked(args: &CheckArgs) -> Result<Option<Vec<u8>>> {
    if !args.paths.iter().any(|p| p == Path::new("-")) {
        if args.stdin_filename.is_some() {
            return Err(miette!(
                help = "`aiblint check - --stdin-filename config/providers.yaml < file`",
                "`--stdin-filename` names the text read from stdin: pass `-` as the path"
            ));
        }
        return Ok(None);
    }
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(crate::model::MAX_FILE_SIZE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| miette!("cannot read stdin: {e}"))?;
    Ok(Some(bytes))
}

/// The text read from stdin, as the file `--stdin-filename` names (recognised by that name
/// and checked with the files beside it), or as `<stdin>`; either way recognised by its
/// top-level keys when the name says nothing.
fn stdin_targets(name: Option<&Path>, bytes: Option<&[u8]>) -> Vec<Target> {
    let text = String::from_utf8_lossy(bytes.unwrap_or_default());
    let Some(path) = name else {
        return vec![
            Target::new(PathBuf::from(STDIN_NAME), FileKind::detect("", &text), true)
                .read_from_stdin(),
        ];
    };
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let kind = FileKind::detect(file_name, &text);
    let mut targets = vec![Target::new(path.to_path_buf(), kind, true).read_from_stdin()];
    targets.extend(siblings(path, kind));
    targets
}

/// How the text read from stdin is named in the report when no `--stdin-filename` is given.
const STDIN_NAME: &str = "<stdin>";

/// The directory `check`, `generate`, `versions` and `migrate` work on when given none:
/// `./config`, or the current directory when it holds a config set itself (`cd config &&
/// aiblint check`).
pub(super) fn default_set_dir(command: &str) -> Result<PathBuf> {
    let default = PathBuf::from("config");
    if default.is_dir() {
        return Ok(default);
    }
    let here = Path::new(".");
    let holds_set = recognised_files(here).is_ok_and(|found| !found.is_empty())
        || !plain_litellm_configs(here).is_empty();
    if holds_set {
        return Ok(here.to_path_buf());
    }
    Err(miette!(
        help = format!("pass a directory or files: `aiblint {command} path/to/config`"),
        "nothing to {command}: there is no ./config directory here, and no configuration files in .",
    ))
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

/// The reported files, and the unreported files of their sets that their labels point into.
#[derive(Clone, Copy)]
struct Shown<'a> {
    files: &'a [LintedFile],
    context: &'a [LintedFile],
}

/// What `check` prints: the diagnostics (or the statistics) in `format`, then, for people,
/// the notes on what could not be checked and the summary line.
fn report(
    shown: Shown,
    format: OutputFormat,
    color: bool,
    quiet: bool,
    statistics: bool,
    notes: &[String],
) -> Result<String> {
    let files = shown.files;
    let has_diagnostics = files.iter().any(|f| !f.diagnostics.is_empty());
    if quiet && !has_diagnostics && !format.is_document() {
        return Ok(String::new());
    }
    let rendered = if statistics {
        emit::render_statistics(files, format).unwrap_or_else(|| Ok(String::new()))
    } else {
        emit::render(files, shown.context, format, color)
    };
    let mut text = rendered.map_err(|e| miette!("{e}"))?;
    if format == OutputFormat::Full && !quiet {
        if statistics && has_diagnostics {
            text.push('\n');
        }
        for note in notes {
            text += &format!("note: {note}\n");
        }
        text += &summary(files);
        text.push('\n');
    }
    Ok(text)
}

/// A file to analyse; `report` is false for siblings loaded only as cross-file context, and
/// `stdin` marks the text read from stdin. `set` is the directory whose set the file is
/// checked in: its own directory for a gateway file, the tree walked for a monitoring file.
struct Target {
    path: PathBuf,
    kind: Option<FileKind>,
    report: bool,
    stdin: bool,
    set: PathBuf,
}

impl Target {
    fn new(path: PathBuf, kind: Option<FileKind>, report: bool) -> Target {
        let set = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Target {
            path,
            kind,
            report,
            stdin: false,
            set,
        }
    }

    fn in_set(mut self, set: &Path) -> Target {
        self.set = set.to_path_buf();
        self
    }

    fn read_from_stdin(mut self) -> Target {
        self.stdin = true;
        self
    }
}

/// What [`lint_targets`] found: the reported files (fixed, when fixing) sorted by path,
/// notes on what could not be checked for want of a file, the files fixes changed, and the
/// fix loop's bugs.
struct Linted {
    files: Vec<LintedFile>,
    /// The files of their sets that are not reported but that labels point into.
    context: Vec<LintedFile>,
    notes: Vec<String>,
    fixed: Vec<super::fix::FixedFile>,
    bugs: Vec<String>,
}

/// Groups the targets into config sets (one per directory), lints each set with the
/// settings that apply to it (fixing the reported files' problems first with `fix`).
fn lint_targets(
    mut targets: Vec<Target>,
    config: Option<&Path>,
    environment: Option<std::collections::BTreeSet<String>>,
    mut stdin: Option<Vec<u8>>,
    fix: Option<FixMode>,
) -> Result<Linted> {
    // A file named twice in a set is reported if either mention asks for it; the text of
    // stdin stands in for the file on disk it is named after.
    targets.sort_by(|a, b| {
        (&a.set, &a.path)
            .cmp(&(&b.set, &b.path))
            .then(b.stdin.cmp(&a.stdin))
            .then(b.report.cmp(&a.report))
    });
    targets.dedup_by(|later, first| {
        let same = later.path == first.path && later.set == first.set;
        if same {
            first.report |= later.report;
        }
        same
    });
    let mut groups: BTreeMap<PathBuf, Vec<Target>> = BTreeMap::new();
    for target in targets {
        groups.entry(target.set.clone()).or_default().push(target);
    }
    let mut out = Vec::new();
    let mut context = Vec::new();
    let mut notes = Vec::new();
    let mut fixed = Vec::new();
    let mut bugs = Vec::new();
    for (dir, group) in groups {
        let mut selection = settings_for(&dir, config)?;
        if let Some(names) = &environment {
            selection = selection.with_environment(names.clone());
        }
        let reported: Vec<bool> = group.iter().map(|t| t.report).collect();
        let paths: Vec<PathBuf> = group.iter().map(|t| t.path.clone()).collect();
        let members = group
            .into_iter()
            .map(|t| SetMember {
                path: display_path(&t.path),
                file: match stdin.take_if(|_| t.stdin) {
                    Some(bytes) => SourceFile::from_bytes(t.kind, bytes),
                    None => read(&t.path, t.kind),
                },
            })
            .collect();
        let linted = match fix {
            None => lint::check_set(members, &selection),
            Some(mode) => {
                let outcome = crate::fix::fix_set(members, &selection, mode, |i| reported[i]);
                bugs.extend(super::fix::bugs(&outcome));
                fixed.extend(super::fix::fixed_files(&outcome, &paths));
                outcome.files
            }
        };
        notes.extend(unchecked_references(&linted, &reported));
        let pointed_at: std::collections::HashSet<String> = linted
            .iter()
            .zip(&reported)
            .filter(|(_, r)| **r)
            .flat_map(|(f, _)| &f.diagnostics)
            .flat_map(|d| &d.secondary)
            .filter_map(|l| l.file.clone())
            .collect();
        for (file, reported) in linted.into_iter().zip(reported) {
            if reported {
                out.push(file);
            } else if pointed_at.contains(&file.path) {
                context.push(file);
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    // A file reported in two sets (two overlapping trees given) is reported once.
    out.dedup_by(|a, b| a.path == b.path);
    // So is a file fixed in two sets: the fixes of its first set are written.
    let mut seen = std::collections::HashSet::new();
    fixed.retain(|f| seen.insert(f.path().to_path_buf()));
    Ok(Linted {
        files: out,
        context,
        notes,
        fixed,
        bugs,
    })
}

/// What a set's rules could not check for want of a file, said of the reported files: a
/// model-mappings.yaml's references without a providers.yaml that parses beside it, and a
/// generated litellm-unified.yaml without its sources.
fn unchecked_references(set: &[LintedFile], reported: &[bool]) -> Vec<String> {
    let member = |kind: FileKind| set.iter().find(|f| f.file.kind == Some(kind));
    let unusable = |kind: FileKind| -> Option<String> {
        match member(kind) {
            None => Some(format!("there is no {} beside it", kind.file_name())),
            Some(f) if matches!(f.file.config, crate::model::Config::None) => Some(format!(
                "{} cannot be read or does not parse (`aiblint check {}` shows why)",
                f.path, f.path
            )),
            Some(_) => None,
        }
    };
    let mut notes = Vec::new();
    for (file, _) in set.iter().zip(reported).filter(|(_, r)| **r) {
        if matches!(file.file.config, crate::model::Config::None) {
            continue;
        }
        match file.file.kind {
            Some(FileKind::Mappings) => {
                if let Some(why) = unusable(FileKind::Providers) {
                    notes.push(format!(
                        "{}: references to providers and models were not checked: {why}",
                        file.path
                    ));
                }
            }
            Some(FileKind::Litellm) if crate::generate::is_generated(&file.file.text) => {
                let why = [FileKind::Providers, FileKind::Mappings]
                    .into_iter()
                    .find_map(unusable);
                if let Some(why) = why {
                    notes.push(format!(
                        "{}: not compared with what `aiblint generate` writes: {why}",
                        file.path
                    ));
                }
            }
            _ => {}
        }
    }
    notes
}

/// The directories of the targets, for `--watch`.
fn watched_dirs(targets: &[Target]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = targets
        .iter()
        .filter(|t| !t.stdin)
        .map(|t| match t.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The settings of `--config`, else of the nearest `aiblint.toml` in `dir` or above.
pub(super) fn settings_for(dir: &Path, config: Option<&Path>) -> Result<RuleSelection> {
    let found = match config {
        Some(path) => Some(path.to_path_buf()),
        None => workspace::settings_file(dir),
    };
    match found {
        Some(path) => workspace::load_selection(&path).map_err(|e| miette!("{e}")),
        None => Ok(RuleSelection::default()),
    }
}

/// The files to check under `path`: a directory's recognised files, or one file plus its
/// recognised siblings as context (reported too with `whole_set`). A path that does not
/// exist is a usage error, as a mistyped argument is.
fn discover(path: &Path, quiet: bool, whole_set: bool) -> Result<Vec<Target>> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(miette!(
            help = "pass a config set's directory or one of its files",
            "no such file or directory: {}",
            path.display()
        ));
    }
    if !path.is_dir() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let kind = FileKind::from_file_name(name).or_else(|| {
            let text = read_text(path).unwrap_or_default();
            FileKind::detect(name, &text)
        });
        if kind.is_none() && !quiet {
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
        targets.extend(siblings(path, kind).into_iter().map(|mut t| {
            t.report = whole_set;
            t
        }));
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

/// The recognised files beside `path` (not of its `kind`, not itself), as context.
fn siblings(path: &Path, kind: Option<FileKind>) -> Vec<Target> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let found = recognised_files(dir).unwrap_or_default();
    found
        .into_iter()
        .filter(|(p, k)| Some(*k) != kind && p.file_name() != path.file_name())
        .map(|(p, k)| {
            let shown = if path.parent().is_some_and(|d| d.as_os_str().is_empty()) {
                PathBuf::from(p.file_name().unwrap_or_default())
            } else {
                p
            };
            Target::new(shown, Some(k), false)
        })
        .collect()
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
