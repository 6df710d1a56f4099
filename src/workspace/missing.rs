//! What a set's rules could not check for want of a file beside it, said as notes.

use crate::lint::LintedFile;
use crate::model::{Config, FileKind};

/// What a set's rules could not check for want of a file, said of the reported files: a
/// model-mappings.yaml's references without a providers.yaml that parses beside it, and a
/// generated litellm-unified.yaml without its sources.
pub fn unchecked_references(set: &[LintedFile], reported: &[bool]) -> Vec<String> {
    let member = |kind: FileKind| set.iter().find(|f| f.file.kind == Some(kind));
    let unusable = |kind: FileKind| -> Option<String> {
        match member(kind) {
            None => Some(format!("there is no {} beside it", kind.file_name())),
            Some(f) if matches!(f.file.config, Config::None) => Some(format!(
                "{} cannot be read or does not parse (`aiblint check {}` shows why)",
                f.path, f.path
            )),
            Some(_) => None,
        }
    };
    let mut notes = Vec::new();
    for (file, _) in set.iter().zip(reported).filter(|(_, r)| **r) {
        if matches!(file.file.config, Config::None) {
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
