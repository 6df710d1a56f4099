//! `aiblint versions [DIR]`: the schema version of each file of a config set, what it was
//! detected from, its compatibility with the current schema and the way there.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use miette::{miette, Result};

use super::{out, EXIT_OK, EXIT_USAGE};
use crate::emit::versions::{
    render_json, render_text, FileVersion, KnownVersion, VersionsReport, VERSIONS_FORMAT,
};
use crate::model::version::{
    self, breaking_changes, is_compatible, validate_version, VersionSource, VersionStatus, CURRENT,
};
use crate::model::{FileKind, ReadProblem, SourceFile};
use crate::workspace::{self, display_path};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum VersionsFormat {
    /// One line per file, then the breaking changes
    Text,
    /// The documented JSON report (`"version": 1`)
    Json,
}

#[derive(Args, Debug)]
pub(crate) struct VersionsArgs {
    /// Directory of the config set [default: ./config, or . when it holds a config set]
    dir: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: VersionsFormat,
}

pub(super) fn run(args: VersionsArgs) -> Result<u8> {
    let dir = match args.dir {
        Some(dir) => dir,
        None => workspace::default_set_dir("versions")?,
    };
    if !dir.is_dir() {
        return Err(miette!(
            help = "pass the directory of a config set: `aiblint versions path/to/config`",
            "{} is not a directory",
            display_path(&dir)
        ));
    }
    let found = workspace::list_set(&dir)?;
    if found.is_empty() {
        return Err(miette!("no configuration files in {}", display_path(&dir)));
    }
    let mut unreadable = false;
    let files: Vec<FileVersion> = found
        .iter()
        .map(|(path, kind)| {
            let read = crate::workspace::read_bounded(path);
            unreadable |= matches!(read, Err(ReadProblem::Unreadable(_)));
            let file = SourceFile::from_read(Some(*kind), read);
            file_version(path, *kind, &file)
        })
        .collect();
    let report = VersionsReport {
        version: VERSIONS_FORMAT,
        current: CURRENT.to_string(),
        known: version::HISTORY
            .iter()
            .map(|v| KnownVersion {
                version: v.version.to_string(),
                date: v.date.map(str::to_string),
                changes: v.changes.iter().map(|c| c.to_string()).collect(),
                breaking: v.breaking,
                migration_required: v.migration_required,
            })
            .collect(),
        files,
    };
    out(&match args.format {
        VersionsFormat::Text => render_text(&report, &display_path(&dir)),
        VersionsFormat::Json => render_json(&report),
    });
    Ok(if unreadable { EXIT_USAGE } else { EXIT_OK })
}

fn file_version(path: &Path, kind: FileKind, file: &SourceFile) -> FileVersion {
    let mut report = FileVersion {
        path: display_path(path),
        kind: kind.file_name().trim_end_matches(".yaml").to_string(),
        versioned: kind.is_versioned(),
        status: String::new(),
        detected: None,
        declared: None,
        source: "none".to_string(),
        line: None,
        compatible: None,
        migration_required: false,
        breaking_changes: Vec::new(),
        problem: None,
    };
    let status = |s: &str| s.to_string();
    if let Some(problem) = &file.read_problem {
        report.status = status("unreadable");
        report.problem = Some(match problem {
            ReadProblem::InvalidUtf8 { at } => format!("not UTF-8 (byte {at})"),
            ReadProblem::Binary { at } => format!("not a text file (a NUL byte at {at})"),
            ReadProblem::Unreadable(reason) => reason.clone(),
            ReadProblem::TooLarge { size } => format!("too large to analyse ({size} bytes)"),
        });
        return report;
    }
    if !kind.is_versioned() {
        report.status = status("not-versioned");
        return report;
    }
    if !file.parse.is_complete() {
        report.status = status("unparsable");
        report.problem = file.parse.errors.first().map(|e| e.message.clone());
        return report;
    }
    let Some(detected) = &file.version else {
        report.status = status(if file.root().is_none() {
            "empty"
        } else {
            "unparsable"
        });
        return report;
    };
    report.line = detected.range.map(|r| {
        file.line_index()
            .line_col(&file.text, r.start as usize)
            .line
    });
    (report.source, report.declared) = match &detected.source {
        VersionSource::SchemaVersion(raw) => (status("schema_version"), Some(raw.clone())),
        VersionSource::LegacyVersion(raw) => (status("metadata.version"), Some(raw.clone())),
        VersionSource::Absent => (status("absent"), None),
    };
    let Some(found) = &detected.version else {
        report.status = status("invalid");
        report.problem = Some("`schema_version` is not a SemVer version".to_string());
        return report;
    };
    let read_as = if found.major == version::LEGACY.major {
        version::LEGACY
    } else {
        found.clone()
    };
    report.compatible = Some(is_compatible(&read_as, &CURRENT));
    report.status = status(match validate_version(found, &CURRENT) {
        VersionStatus::Current => "current",
        VersionStatus::Older { migration_required } => {
            report.migration_required = migration_required;
            report.breaking_changes = breaking_changes(&read_as, &CURRENT)
                .into_iter()
                .map(str::to_string)
                .collect();
            "older"
        }
        VersionStatus::NewerMinor => "newer-minor",
        VersionStatus::NewerMajor => "newer-major",
        VersionStatus::Unknown => "unknown",
    });
    report.detected = Some(read_as.to_string());
    report
}
