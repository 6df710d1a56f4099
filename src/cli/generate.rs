//! `aiblint generate [DIR] [-o FILE] [--check] [--format human|json]`: lint the set, build
//! litellm-unified.yaml with `generate` unless an error would change what it writes, say
//! which routes it leaves out, then write it atomically, print it, or compare it with the
//! file on disk in LiteLLM's terms.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use miette::{miette, Result};

use super::atomic;
use super::use_color;
use super::{out, ColorArg, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::emit;
use crate::emit::generate::{GenerateReport, Located, Omitted, Semantic, GENERATE_FORMAT};
use crate::generate::{self, semantic, Generated};
use crate::lint::{self, LintedFile};
use crate::model::data::Data;
use crate::model::{FileKind, ReadProblem, SetMember, SourceFile};
use crate::workspace::{self, display_path};

/// Text diff lines shown by `--check` before the rest is summarised.
const MAX_DIFF_LINES: usize = 120;
/// Semantic differences listed by `--check` before the rest is counted.
const MAX_SEMANTIC_LINES: usize = 200;

#[derive(Args, Debug)]
pub(crate) struct GenerateArgs {
    /// Config set directories, holding providers.yaml and model-mappings.yaml; a file
    /// stands for its directory (as the pre-commit hook passes them)
    /// [default: ./config, or . when it holds a config set]
    paths: Vec<PathBuf>,
    /// Write here instead of DIR/litellm-unified.yaml; `-` prints to stdout
    #[arg(
        short = 'o',
        long = "output-file",
        visible_alias = "output",
        value_name = "FILE"
    )]
    output: Option<PathBuf>,
    /// Write nothing; exit 1 with what differs when the file is missing or differs
    #[arg(long)]
    check: bool,
    /// How `--check` reports: for people, or as JSON (the semantic difference, no text diff)
    #[arg(long, value_enum, default_value = "human")]
    format: ReportFormat,
    /// Settings file to use instead of the nearest aiblint.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// When to use colour (diagnostics and diff)
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Human,
    Json,
}

enum Target {
    Stdout,
    File(PathBuf),
}

pub(super) fn run(args: GenerateArgs) -> Result<u8> {
    let dirs = set_dirs(&args.paths)?;
    if dirs.len() > 1 && (args.output.is_some() || args.format == ReportFormat::Json) {
        return Err(miette!(
            help = "run `aiblint generate` once per directory",
            "`-o` and `--format json` work on one config set; {} were given",
            dirs.len()
        ));
    }
    let mut status = EXIT_OK;
    for dir in dirs {
        status = status.max(run_dir(&dir, &args)?);
    }
    Ok(status)
}

/// The set directories to generate: the default one, each directory given, and the
/// directory of each file given; a file's directory without both sources is skipped with a
/// note (the pre-commit hook passes every changed set file, litellm-unified.yaml too).
fn set_dirs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if paths.is_empty() {
        return Ok(vec![workspace::default_set_dir("generate")?]);
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for path in paths {
        let dir = if path.is_dir() {
            path.clone()
        } else if path.is_file() {
            let dir = workspace::dir_of(path);
            let found = workspace::recognised_files(&dir).unwrap_or_default();
            let has = |kind: FileKind| found.iter().any(|(_, k)| *k == kind);
            if !(has(FileKind::Providers) && has(FileKind::Mappings)) {
                eprintln!(
                    "note: {}: nothing to generate there (no providers.yaml and model-mappings.yaml)",
                    display_path(&dir)
                );
                continue;
            }
            dir
        } else {
            return Err(miette!(
                help = "pass the directory of providers.yaml and model-mappings.yaml: \
                        `aiblint generate path/to/config`",
                "nothing to generate from: {} is not a directory",
                path.display()
            ));
        };
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    Ok(dirs)
}

/// `generate` for one config set.
fn run_dir(dir: &Path, args: &GenerateArgs) -> Result<u8> {
    let dir = dir.to_path_buf();
    let found = workspace::list_set(&dir)?;
    for kind in [FileKind::Providers, FileKind::Mappings] {
        if !found.iter().any(|(_, k)| *k == kind) {
            return Err(miette!(
                "cannot generate: there is no {} in {}",
                kind.file_name(),
                dir.display()
            ));
        }
    }
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
    if let (Target::Stdout, true) = (&target, args.check) {
        return Err(miette!(
            help = "compare with a file: `aiblint generate --check [-o FILE]`",
            "`--check` compares with a file; it cannot check `-o -`"
        ));
    }

    // The whole set is checked; only errors that change what would be generated block.
    let selection = workspace::selection_for(&dir, args.config.as_deref())?;
    let linted = lint::check_set(workspace::read_members(&found), &selection);
    let color = use_color(args.color);
    let unreadable: Vec<LintedFile> = blocking_errors(&linted)
        .into_iter()
        .filter(|f| matches!(f.file.read_problem, Some(ReadProblem::Unreadable(_))))
        .collect();
    if !unreadable.is_empty() {
        // As `check`: a file that cannot be read is an I/O problem, exit 2.
        eprint!("{}", emit::render_text(&unreadable, &linted, false, color));
        eprintln!("aiblint: not generating: a source cannot be read");
        return Ok(EXIT_USAGE);
    }
    let json = args.format == ReportFormat::Json;
    let shown_target = match &target {
        Target::File(path) => display_path(path),
        Target::Stdout => "-".to_string(),
    };
    let blocking = blocking_errors(&linted);
    if !blocking.is_empty() {
        let count: usize = blocking.iter().map(|f| f.diagnostics.len()).sum();
        if json {
            out(&emit::generate::to_json(&GenerateReport {
                version: GENERATE_FORMAT,
                target: shown_target,
                status: "blocked".to_string(),
                written_by_aiblint: false,
                blocking: located(&blocking),
                omissions: Vec::new(),
                semantic: None,
            }));
        } else {
            eprint!("{}", emit::render_text(&blocking, &linted, false, color));
            eprintln!(
                "aiblint: not generating: {count} error{} above change{} what would be generated; fix {} first",
                if count == 1 { "" } else { "s" },
                if count == 1 { "s" } else { "" },
                if count == 1 { "it" } else { "them" },
            );
        }
        return Ok(EXIT_PROBLEMS);
    }
    let set = crate::model::ConfigSet::new(
        linted
            .iter()
            .map(|f| SetMember {
                path: f.path.clone(),
                file: f.file.clone(),
            })
            .collect(),
    );
    let Some(generated) = generate::from_set(&set) else {
        return Err(miette!(
            "cannot generate: the sources could not be analysed"
        ));
    };
    let omissions = omitted(&set, &generated);
    if !json {
        for o in &omissions {
            eprintln!(
                "note: {}:{}:{}: {} is not in the generated config: {}",
                o.file, o.line, o.column, o.route, o.reason
            );
        }
    }
    let regenerate = format!("aiblint generate {}", display_path(&dir));
    match (target, args.check) {
        (Target::Stdout, _) => {
            out(&generated.text);
            Ok(EXIT_OK)
        }
        (Target::File(path), true) => check(&path, &generated, omissions, &regenerate, color, json),
        (Target::File(path), false) => write(&path, &generated.text),
    }
}

/// The error diagnostics that stop generation, per file.
fn blocking_errors(linted: &[LintedFile]) -> Vec<LintedFile> {
    linted
        .iter()
        .map(|f| LintedFile {
            diagnostics: f
                .diagnostics
                .iter()
                .filter(|d| lint::blocks_generation(f.file.kind, d))
                .cloned()
                .collect(),
            ..f.clone()
        })
        .filter(|f| !f.diagnostics.is_empty())
        .collect()
}

fn located(files: &[LintedFile]) -> Vec<Located> {
    files
        .iter()
        .flat_map(|f| {
            f.diagnostics.iter().map(move |d| {
                let at = f.line_col(d.primary.range.start as usize);
                Located {
                    file: f.path.clone(),
                    line: at.line,
                    column: at.col,
                    code: d.code.to_string(),
                    message: d.message.clone(),
                }
            })
        })
        .collect()
}

/// The omissions with their file paths and positions.
fn omitted(set: &crate::model::ConfigSet, generated: &Generated) -> Vec<Omitted> {
    generated
        .omissions
        .iter()
        .filter_map(|o| {
            let member = set.member(o.file)?;
            let at = member
                .file
                .line_index()
                .line_col(&member.file.text, o.range.start as usize);
            Some(Omitted {
                file: member.path.clone(),
                line: at.line,
                column: at.col,
                route: o.route.clone(),
                reason: o.reason(),
            })
        })
        .collect()
}

/// `--check`: 0 when the file holds the generated text (line endings and a byte-order mark
/// aside), else 1 with what differs in LiteLLM's terms, then (for people) the text diff.
fn check(
    path: &Path,
    generated: &Generated,
    omissions: Vec<Omitted>,
    regenerate: &str,
    color: bool,
    json: bool,
) -> Result<u8> {
    let shown = display_path(path);
    let text = generated.text.as_str();
    let mut report = GenerateReport {
        version: GENERATE_FORMAT,
        target: shown.clone(),
        status: String::new(),
        written_by_aiblint: false,
        blocking: Vec::new(),
        omissions,
        semantic: None,
    };
    let current = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            report.status = "missing".to_string();
            if json {
                out(&emit::generate::to_json(&report));
            } else {
                out(&format!(
                    "{shown} is missing: run `{regenerate}` and commit it\n"
                ));
            }
            return Ok(EXIT_PROBLEMS);
        }
        Err(e) => return Err(miette!("cannot read {shown}: {e}")),
    };
    report.written_by_aiblint = generate::is_generated(&current);
    if generate::same_text(text, &current) {
        report.status = "up-to-date".to_string();
        if json {
            out(&emit::generate::to_json(&report));
        } else {
            out(&format!("{shown} is up to date\n"));
        }
        return Ok(EXIT_OK);
    }
    report.status = "stale".to_string();
    let diff = semantic_diff(&current, text);
    report.semantic = diff.as_ref().map(Semantic::from_diff);
    if json {
        out(&emit::generate::to_json(&report));
        return Ok(EXIT_PROBLEMS);
    }
    let mut shown_report = String::new();
    let whose = if report.written_by_aiblint {
        "regenerating"
    } else {
        "adopting `aiblint generate` (this file was not written by it)"
    };
    match &diff {
        Some(d) if d.is_empty() => shown_report.push_str(&format!(
            "{shown}: in LiteLLM's terms, {whose} changes nothing; only comments, order or layout differ\n"
        )),
        Some(d) => {
            shown_report.push_str(&format!(
                "{shown}: what {whose} changes, in LiteLLM's terms ({}):\n",
                d.summary()
            ));
            for line in d.render(MAX_SEMANTIC_LINES).lines() {
                shown_report.push_str(&format!("  {line}\n"));
            }
        }
        None => shown_report.push_str(&format!(
            "{shown} does not parse as YAML; the text diff follows\n"
        )),
    }
    shown_report.push_str(&text_diff(&current, text, &shown, color));
    out(&format!(
        "{shown_report}{shown} is stale: run `{regenerate}`\n"
    ));
    Ok(EXIT_PROBLEMS)
}

/// What regenerating changes, when both texts parse.
fn semantic_diff(current: &str, generated: &str) -> Option<semantic::SemanticDiff> {
    let data = |text: &str| {
        let file = SourceFile::analyze(Some(FileKind::Litellm), text.to_string());
        file.parse
            .errors
            .is_empty()
            .then(|| file.root().map(Data::from_node))
            .flatten()
    };
    Some(semantic::compare(&data(current)?, &data(generated)?))
}

/// A unified diff of the two texts (line endings aside), cut after `MAX_DIFF_LINES` lines.
fn text_diff(current: &str, generated: &str, shown: &str, color: bool) -> String {
    let current = current.strip_prefix('\u{feff}').unwrap_or(current);
    let current = if current.contains('\r') {
        current.replace("\r\n", "\n")
    } else {
        current.to_string()
    };
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(2))
        .diff_lines(current.as_str(), generated);
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header(shown, &format!("{shown} (generated)"))
        .to_string();
    let lines: Vec<&str> = unified.split_inclusive('\n').collect();
    let mut text = String::new();
    for line in lines.iter().take(MAX_DIFF_LINES) {
        text.push_str(&paint(line, color));
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if lines.len() > MAX_DIFF_LINES {
        text.push_str(&format!(
            "... {} more diff lines\n",
            lines.len() - MAX_DIFF_LINES
        ));
    }
    text
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
/// a reader never sees half a config; permissions, owner and a symlink are kept), with the
/// line endings and byte-order mark the file already uses.
fn write(path: &Path, text: &str) -> Result<u8> {
    let shown = display_path(path);
    let wrote = || {
        out(&format!(
            "wrote {shown} from {} and {}\n",
            generate::GENERATED_FROM[0],
            generate::GENERATED_FROM[1]
        ))
    };
    // A device or a pipe (`-o /dev/null`, `-o /dev/stderr`) is written into, never read
    // first (a pipe would block) nor replaced by renaming a file over it.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        std::fs::write(path, text)
            .map_err(|e| miette!("cannot write {shown}: {}", super::io_message(&e)))?;
        wrote();
        return Ok(EXIT_OK);
    }
    let existing = std::fs::read(path).ok();
    let existing = existing.as_deref().map(String::from_utf8_lossy);
    if existing
        .as_deref()
        .is_some_and(|e| generate::same_text(text, e))
    {
        out(&format!("{shown} is up to date\n"));
        return Ok(EXIT_OK);
    }
    let mut bytes = String::new();
    if existing
        .as_deref()
        .is_some_and(|e| e.starts_with('\u{feff}'))
    {
        bytes.push('\u{feff}');
    }
    if existing.as_deref().is_some_and(|e| e.contains("\r\n")) {
        bytes.push_str(&text.replace('\n', "\r\n"));
    } else {
        bytes.push_str(text);
    }
    atomic::atomic_write(path, bytes.as_bytes())
        .map_err(|e| miette!("cannot write {shown}: {}", super::io_message(&e)))?;
    wrote();
    Ok(EXIT_OK)
}
