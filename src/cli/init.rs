//! `aiblint init [DIR] [--from FILE]`: start a config set. In a directory without one, a
//! commented starter set (the example, trimmed) and what `aiblint generate` writes from
//! it; with `--from`, the sources of an existing LiteLLM config (`migrate::adopt`), said
//! what was not carried over (at its place in that file) and what `aiblint generate` will
//! write differently, and why.
//!
//! Safe on files aiblint did not write: nothing is ever replaced. The files are written to
//! temporary files in the directory first, then each is moved into place only if no file
//! of its name exists; if one cannot be, those already placed are removed again.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use miette::{miette, Result};

use super::{io_message, out, EXIT_OK};
use crate::lint::{self, RuleSelection};
use crate::migrate::{self, AdoptError, Adoption};
use crate::model::{FileKind, SetMember, SourceFile};
use crate::text::{LineIndex, TextRange};
use crate::workspace::display_path;

/// The starter set: the example config trimmed to a few providers and routes.
const STARTER_PROVIDERS: &str = include_str!("starter/providers.yaml");
const STARTER_MAPPINGS: &str = include_str!("starter/model-mappings.yaml");

#[derive(Args, Debug)]
pub(crate) struct InitArgs {
    /// Directory to write the config set in (created if missing) [default: ./config]
    dir: Option<PathBuf>,
    /// A LiteLLM proxy config to adopt: write the providers.yaml, model-mappings.yaml
    /// (and litellm-settings.yaml) that `aiblint generate` builds it back from
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
}

pub(super) fn run(args: InitArgs) -> Result<u8> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("config"));
    let shown_dir = display_path(&dir);
    match &args.from {
        None => starter(&dir, &shown_dir),
        Some(from) => adopt(&dir, &shown_dir, from),
    }
}

fn starter(dir: &Path, shown_dir: &str) -> Result<u8> {
    let sources = [
        (FileKind::Providers, STARTER_PROVIDERS.to_string()),
        (FileKind::Mappings, STARTER_MAPPINGS.to_string()),
    ];
    let generated = generated_config(&sources)
        .ok_or_else(|| miette!("the starter set does not generate (a defect of aiblint)"))?;
    let mut files = sources.to_vec();
    files.push((FileKind::Litellm, generated));
    write_new(dir, &files)?;
    let mut text = String::new();
    for (kind, _) in &files {
        text += &format!("wrote {}\n", display_path(&dir.join(kind.file_name())));
    }
    text += &format!(
        "\nA starter config set: a local Ollama, OpenAI as its fallback, and a template for \
         an OpenAI-compatible server.\nEdit {p} and {m} for your servers, then:\n\n  \
         aiblint check {shown_dir}       # every problem, with where and how to fix it\n  \
         aiblint generate {shown_dir}    # rewrite {l} for LiteLLM\n",
        p = FileKind::Providers.file_name(),
        m = FileKind::Mappings.file_name(),
        l = FileKind::Litellm.file_name(),
    );
    out(&text);
    Ok(EXIT_OK)
}

fn adopt(dir: &Path, shown_dir: &str, from: &Path) -> Result<u8> {
    let shown_from = display_path(from);
    let bytes = std::fs::read(from).map_err(|e| miette!("cannot read {shown_from}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        miette!(
            help = format!("`aiblint check {shown_from}` shows where"),
            "{shown_from} is not UTF-8 text"
        )
    })?;
    let adoption = migrate::adopt(&text, &shown_from).map_err(|e| match e {
        AdoptError::DoesNotParse => miette!(
            help = format!("`aiblint check {shown_from} --kind litellm` shows where"),
            "{shown_from} is not valid YAML: fix it first"
        ),
        AdoptError::NotALitellmConfig => miette!(
            help = "`aiblint init --from` reads a LiteLLM proxy config (`model_list`, \
                    `router_settings`, ...)",
            "{shown_from} has no `model_list`: it is not a LiteLLM proxy config"
        ),
    })?;
    let files: Vec<(FileKind, String)> = adoption
        .files
        .iter()
        .map(|f| (f.kind, f.text.clone()))
        .collect();
    write_new(dir, &files)?;
    out(&report(
        &adoption,
        &files,
        dir,
        shown_dir,
        &shown_from,
        &text,
    ));
    Ok(EXIT_OK)
}

/// What `init --from` says: what it read and wrote, what was not carried over (located in
/// the source), what the generated config will change and why, and the problems
/// `aiblint check` finds in the new files.
fn report(
    adoption: &Adoption,
    files: &[(FileKind, String)],
    dir: &Path,
    shown_dir: &str,
    shown_from: &str,
    source: &str,
) -> String {
    let mut text = format!(
        "read {shown_from}: {} deployments, {} carried over\n",
        adoption.deployments, adoption.mapped
    );
    for (kind, _) in files {
        text += &format!("wrote {}\n", display_path(&dir.join(kind.file_name())));
    }
    let index = LineIndex::new(source);
    if !adoption.notes.is_empty() {
        text += &format!("\nnot carried over as written in {shown_from}:\n");
        let mut located: Vec<(TextRange, &str)> = adoption
            .notes
            .iter()
            .map(|n| (locate(source, n), n.message.as_str()))
            .collect();
        located.sort_by_key(|(range, _)| (range.start, range.end));
        for (range, message) in located {
            let at = index.line_col(source, range.start as usize);
            text += &format!("  {shown_from}:{}:{}: {message}\n", at.line, at.col);
        }
    }
    if adoption.differences.is_empty() {
        text += &format!(
            "\nin LiteLLM's terms, `aiblint generate {shown_dir}` writes what {shown_from} says\n"
        );
    } else {
        text += &format!(
            "\nwhat `aiblint generate {shown_dir}` will write that differs from {shown_from}, in \
             LiteLLM's terms:\n"
        );
        // Changes that have one reason are listed together, then the reason.
        let differences = &adoption.differences;
        for (i, d) in differences.iter().enumerate() {
            text += &format!("  {}\n", d.change);
            if differences.get(i + 1).is_some_and(|next| next.why == d.why) {
                continue;
            }
            match &d.why {
                Some(why) => text += &format!("      why: {why}\n"),
                None => text += "      why: not explained; please report it\n",
            }
        }
    }
    let problems = check_written(files);
    if !problems.is_empty() {
        text += &format!("\n`aiblint check {shown_dir}` reports:\n{problems}");
    }
    text += &format!(
        "\nnext: `aiblint check {shown_dir}`, then `aiblint generate {shown_dir}` writes {} \
         for LiteLLM\n",
        display_path(&dir.join(FileKind::Litellm.file_name()))
    );
    text
}

/// The range of a note that says which section it is about but not where.
fn locate(source: &str, note: &migrate::Note) -> TextRange {
    if !note.range.is_empty() {
        return note.range;
    }
    let Some(name) = note.message.split('`').nth(1) else {
        return note.range;
    };
    let parsed = crate::syntax::parse(source);
    let mut node = parsed.root.as_ref();
    let mut range = note.range;
    for key in name.split('.') {
        let Some(entry) = node.and_then(|n| n.get_entry(key)) else {
            break;
        };
        range = entry.key.range;
        node = Some(&entry.value);
    }
    range
}

/// The problems of the written set, concise, one per line ("" when there are none).
fn check_written(files: &[(FileKind, String)]) -> String {
    let members = files
        .iter()
        .map(|(kind, text)| SetMember {
            path: kind.file_name().to_string(),
            file: SourceFile::analyze(Some(*kind), text.clone()).into(),
        })
        .collect();
    let linted = lint::check_set(members, &RuleSelection::default());
    if linted.iter().all(|f| f.diagnostics.is_empty()) {
        return String::new();
    }
    crate::emit::render_text(&linted, &[], true, false)
        .lines()
        .map(|l| format!("  {l}\n"))
        .collect()
}

/// What `aiblint generate` writes from these sources.
fn generated_config(sources: &[(FileKind, String)]) -> Option<String> {
    let members = sources
        .iter()
        .map(|(kind, text)| SetMember {
            path: kind.file_name().to_string(),
            file: SourceFile::analyze(Some(*kind), text.clone()).into(),
        })
        .collect();
    Some(crate::generate::from_set(&crate::model::ConfigSet::new(members))?.text)
}

/// Writes `files` into `dir` (created if missing) without replacing any file: all of them,
/// or none.
fn write_new(dir: &Path, files: &[(FileKind, String)]) -> Result<()> {
    let taken: Vec<String> = files
        .iter()
        .map(|(kind, _)| dir.join(kind.file_name()))
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| display_path(&p))
        .collect();
    if !taken.is_empty() {
        return Err(miette!(
            help = "`aiblint init` never replaces a file: choose another directory, or move \
                    these away",
            "{} already {}",
            taken.join(", "),
            if taken.len() == 1 { "exists" } else { "exist" }
        ));
    }
    let shown_dir = display_path(dir);
    std::fs::create_dir_all(dir)
        .map_err(|e| miette!("cannot create {shown_dir}: {}", io_message(&e)))?;
    let mut temps = Vec::new();
    for (kind, text) in files {
        let shown = display_path(&dir.join(kind.file_name()));
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{}.aiblint-", kind.file_name()))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| miette!("cannot write {shown}: {}", io_message(&e)))?;
        temp.write_all(text.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| miette!("cannot write {shown}: {}", io_message(&e)))?;
        temps.push((dir.join(kind.file_name()), temp));
    }
    let mut placed: Vec<PathBuf> = Vec::new();
    for (path, temp) in temps {
        if let Err(e) = temp.persist_noclobber(&path) {
            for done in &placed {
                let _ = std::fs::remove_file(done);
            }
            return Err(miette!(
                "cannot write {}: {}",
                display_path(&path),
                io_message(&e.error)
            ));
        }
        placed.push(path);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_set_generates() {
        let sources = [
            (FileKind::Providers, STARTER_PROVIDERS.to_string()),
            (FileKind::Mappings, STARTER_MAPPINGS.to_string()),
        ];
        assert!(generated_config(&sources).is_some());
    }
}
