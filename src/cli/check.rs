//! `aiblint check [PATH...]`: discover the files, read them, lint, print, pick the exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use miette::{miette, Result};

use super::{use_color, ColorArg, FormatArg, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::diagnostic::Severity;
use crate::emit::{self, OutputFormat};
use crate::fix::FixMode;
use crate::lint::{self, LintedFile};
use crate::model::{FileKind, ReadProblem};
use crate::workspace::{self, Target};

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
        workspace::default_check_paths()?
    } else {
        args.paths.clone()
    };
    let mut targets = Vec::new();
    for path in &paths {
        let mut found = if path == Path::new("-") {
            workspace::stdin_targets(args.stdin_filename.as_deref(), stdin.as_deref())
        } else {
            let found = workspace::discover(path, args.whole_set)?;
            let unknown = found.first().is_some_and(|t| t.kind.is_none());
            if unknown && !(args.quiet && args.kind.is_none()) {
                eprintln!(
                    "aiblint: cannot tell what {} configures; checking its YAML syntax only",
                    path.display()
                );
            }
            found
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
        let mut dirs: Vec<PathBuf> = targets.iter().map(|t| workspace::dir_of(&t.path)).collect();
        dirs.sort();
        dirs.dedup();
        super::transaction::warn_of_interrupted_migrations(&dirs);
    }
    let mut reads = workspace::ReadOnce::default();
    let included = workspace::included_files(&targets, &mut reads);
    targets.extend(included);
    let environment = args.env.then(|| {
        std::env::vars_os()
            .filter_map(|(k, _)| k.into_string().ok())
            .collect()
    });
    let watched = workspace::watched_dirs(&targets);
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
        reads,
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
    mut reads: workspace::ReadOnce,
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
        let mut selection = workspace::selection_for(&dir, config)?;
        if let Some(names) = &environment {
            selection = selection.with_environment(names.clone());
        }
        let reported: Vec<bool> = group.iter().map(|t| t.report).collect();
        let paths: Vec<PathBuf> = group.iter().map(|t| t.path.clone()).collect();
        let members = workspace::members_of(&group, &mut reads, &mut stdin);
        let linted = match fix {
            None => lint::check_set(members, &selection),
            Some(mode) => {
                let outcome = crate::fix::fix_set(members, &selection, mode, |i| reported[i]);
                bugs.extend(super::fix::bugs(&outcome));
                fixed.extend(super::fix::fixed_files(&outcome, &paths));
                outcome.files
            }
        };
        notes.extend(workspace::unchecked_references(&linted, &reported));
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
