//! Analysing the files of a set in parallel: parsing, validating and lowering one file does
//! not depend on the others. Reading stays sequential (it is cheap, and `ReadOnce` is not
//! shared).

use super::{display_path, ReadOnce, Target};
use crate::model::{FileKind, ReadProblem, SetMember, SourceFile};

/// A file to analyse: its kind and its bytes, or why they could not be read.
pub type Input = (Option<FileKind>, Result<Vec<u8>, ReadProblem>);

/// Each input analysed as its kind, in the order given, the files spread over threads
/// when they are large enough for it to pay ([`crate::parallel::map`]).
pub fn analyze_all(inputs: Vec<Input>) -> Vec<SourceFile> {
    analyze_all_from(inputs, crate::parallel::WORTH_A_THREAD)
}

/// The members of a set, analysed: each target's file from `stdin` when the target stands
/// for stdin (taking it), else from `reads`.
pub fn members_of(
    targets: &[Target],
    reads: &mut ReadOnce,
    stdin: &mut Option<Vec<u8>>,
) -> Vec<SetMember> {
    let inputs = targets
        .iter()
        .map(|t| match stdin.take_if(|_| t.stdin) {
            Some(bytes) => (t.kind, Ok(bytes)),
            None => (t.kind, reads.take(&t.path)),
        })
        .collect();
    targets
        .iter()
        .zip(analyze_all(inputs))
        .map(|(t, file)| SetMember {
            path: display_path(&t.path),
            file: file.into(),
        })
        .collect()
}

fn analyze_all_from(inputs: Vec<Input>, parallel_from: usize) -> Vec<SourceFile> {
    let size = |input: &Input| input.1.as_ref().map_or(0, Vec::len);
    crate::parallel::map(inputs, size, parallel_from, analyze)
}

fn analyze((kind, read): Input) -> SourceFile {
    SourceFile::from_read(kind, read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Config;

    fn providers(models: usize) -> Vec<u8> {
        let mut text = String::from("schema_version: \"2.0.0\"\nproviders:\n  ollama:\n    type: ollama\n    base_url: http://localhost:11434\n    models:\n");
        for i in 0..models {
            text.push_str(&format!("      - name: model-{i}\n"));
        }
        text.into_bytes()
    }

    #[test]
    fn files_come_back_in_the_order_given_whichever_thread_analysed_them() {
        // Analysed in parallel whatever their size, and of growing sizes so that the last
        // starts first.
        let models = [1000, 2000, 3000, 4000];
        let inputs: Vec<Input> = models
            .iter()
            .map(|&n| (Some(FileKind::Providers), Ok(providers(n))))
            .chain([(Some(FileKind::Ports), Err(ReadProblem::Binary { at: 3 }))])
            .collect();
        let files = analyze_all_from(inputs, 0);
        assert_eq!(files.len(), 5);
        for (file, n) in files.iter().zip(models) {
            assert_eq!(file.text.as_bytes(), providers(n));
            let Config::Providers(config) = &file.config else {
                panic!("not lowered as providers.yaml: {:?}", file.kind);
            };
            assert_eq!(config.providers[0].models.len(), n);
        }
        assert_eq!(files[4].kind, Some(FileKind::Ports));
        assert!(matches!(
            files[4].read_problem,
            Some(ReadProblem::Binary { at: 3 })
        ));
    }
}
