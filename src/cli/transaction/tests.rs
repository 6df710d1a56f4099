//! Unit tests of the migrate transaction.

use super::journal::read_journal;
use super::*;

#[test]
fn the_journal_reads_back_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let entries = vec![Entry {
        real: dir.path().join("a b%.yaml"),
        temp: dir.path().join(".a b%.yaml.aiblint-migrate.tmp"),
        backup: dir.path().join("a b%.yaml.backup-v1.0.0"),
        original: hash(b"one"),
        migrated: hash(b"two"),
    }];
    let created = [Created {
        path: dir.path().join("litellm-settings.yaml"),
        shown: "litellm-settings.yaml".to_string(),
        bytes: b"x: 1\n".to_vec(),
    }];
    write_journal(dir.path(), &entries, &created).unwrap();
    let text = fs::read_to_string(dir.path().join(JOURNAL)).unwrap();
    let new = vec![(created[0].path.clone(), hash(b"x: 1\n"))];
    assert_eq!(read_journal(&text), Some((entries, new)));
    assert_eq!(read_journal("something else\n"), None);
}
