//! Backups and restores: a backup holds everything the store held when it began, never
//! overwrites a file, and a restore refuses anything but a whole Kinograph backup, changing
//! nothing then.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use kinograph_catalog::{CreditRecord, FilmRecord, PersonRecord, Provenance, RoleCategory};
use kinograph_publishing::{NewUser, Role};
use kinograph_store::{CatalogRead, EditorialRead, Error, OpenMode, Store};

fn source() -> Provenance {
    Provenance::line("test", 1)
}

/// A store in a temporary data folder holding `films` films, a person credited on each, and
/// an account.
fn store_with(dir: &Path, films: u32) -> Store {
    let mut store = Store::open_sqlite(dir, OpenMode::CreateIfMissing).unwrap();
    store
        .write(|w| {
            w.put_person(&PersonRecord::new("nm0048918", "Sean Baker", source()))?;
            for n in 0..films {
                let id = format!("tt{:07}", 1_000 + n);
                w.put_film(&FilmRecord {
                    year: Some(2000 + n as i32),
                    ..FilmRecord::new(&id, format!("Film {n}"), source())
                })?;
                w.put_credit(&CreditRecord {
                    film: id,
                    person: "nm0048918".into(),
                    category: RoleCategory::Director,
                    job: None,
                    characters: Vec::new(),
                    order: Some(1),
                    source: source(),
                })?;
            }
            Ok(())
        })
        .unwrap();
    store
        .edit(|w| {
            w.create_user(&NewUser {
                name: "editor".into(),
                display_name: "The Editor".into(),
                role: Role::Editor,
                password_hash: None,
            })
        })
        .unwrap();
    store
}

/// The files in `dir`, by name.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn backup_file(dir: &Path) -> PathBuf {
    dir.join("kinograph-backup.sqlite")
}

#[test]
fn a_restored_backup_holds_everything_the_store_held() {
    let work = tempfile::tempdir().unwrap();
    let original = store_with(&work.path().join("a"), 5);
    let backups = tempfile::tempdir().unwrap();
    let file = backup_file(backups.path());
    let bytes = original.backup_to(&file).unwrap();
    assert!(bytes > 0);
    assert_eq!(bytes, std::fs::metadata(&file).unwrap().len());
    assert_eq!(
        files(backups.path()),
        ["kinograph-backup.sqlite"],
        "no partial file left"
    );

    let mut restored =
        Store::open_sqlite(&work.path().join("b"), OpenMode::CreateIfMissing).unwrap();
    restored.restore_from(&file).unwrap();
    assert_eq!(restored.counts().unwrap(), original.counts().unwrap());
    assert_eq!(restored.counts().unwrap().films, 5);
    assert_eq!(
        restored.film("tt0001003").unwrap(),
        original.film("tt0001003").unwrap()
    );
    assert_eq!(restored.users().unwrap(), original.users().unwrap());
    assert_eq!(
        restored.schema_version().unwrap(),
        original.schema_version().unwrap()
    );
    // The restored store is an ordinary one: it takes writes, and reopens.
    restored
        .write(|w| {
            w.put_film(&FilmRecord::new("tt9999999", "After the restore", source()))
                .map(|_| ())
        })
        .unwrap();
    drop(restored);
    let reopened = Store::open_sqlite(&work.path().join("b"), OpenMode::ExistingOnly).unwrap();
    assert_eq!(reopened.counts().unwrap().films, 6);
}

#[test]
fn a_backup_taken_during_a_write_holds_the_store_before_it() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("a");
    let mut writer = store_with(&dir, 2);
    let reader = Store::open_sqlite(&dir, OpenMode::ExistingOnly).unwrap();
    let file = backup_file(work.path());
    writer
        .write(|w| {
            w.put_film(&FilmRecord::new("tt0000042", "Written meanwhile", source()))?;
            // Another connection backs up while this transaction is open and uncommitted.
            reader.backup_to(&file).unwrap();
            Ok(())
        })
        .unwrap();
    assert_eq!(writer.counts().unwrap().films, 3);
    let mut restored =
        Store::open_sqlite(&work.path().join("b"), OpenMode::CreateIfMissing).unwrap();
    restored.restore_from(&file).unwrap();
    assert_eq!(restored.counts().unwrap().films, 2);
}

#[test]
fn a_backup_never_overwrites_a_file() {
    let work = tempfile::tempdir().unwrap();
    let store = store_with(&work.path().join("a"), 1);
    let file = backup_file(work.path());
    std::fs::write(&file, "precious").unwrap();
    let err = store.backup_to(&file).unwrap_err();
    assert!(matches!(err, Error::Exists { .. }), "{err:?}");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
    assert_eq!(files(work.path()), ["a", "kinograph-backup.sqlite"]);
}

#[test]
fn a_restore_refuses_what_is_not_a_whole_backup_and_changes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let mut store = store_with(&work.path().join("a"), 3);
    let before = store.counts().unwrap();
    let good = backup_file(work.path());
    store_with(&work.path().join("other"), 7)
        .backup_to(&good)
        .unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let text = work.path().join("notes.txt");
    std::fs::write(
        &text,
        "not a database, but long enough to look like one? no.\n".repeat(100),
    )
    .unwrap();
    let empty = work.path().join("empty.sqlite");
    std::fs::write(&empty, "").unwrap();
    let truncated = work.path().join("truncated.sqlite");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let foreign = work.path().join("foreign.sqlite");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); PRAGMA user_version = 3;")
            .unwrap();
    }
    let newer = work.path().join("newer.sqlite");
    std::fs::write(&newer, &bytes).unwrap();
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.execute_batch("PRAGMA user_version = 999;").unwrap();
    }
    let missing = work.path().join("missing.sqlite");

    for (file, expected) in [
        (&text, "not a SQLite database"),
        (&empty, "not a Kinograph catalog"),
        (&truncated, "damaged"),
        (&foreign, "not a Kinograph catalog"),
        (&newer, "newer than this kinograph"),
        (&missing, "missing.sqlite"),
    ] {
        let err = store.restore_from(file).unwrap_err();
        let chain = format!("{err} ({:?})", std::error::Error::source(&err));
        assert!(chain.contains(expected), "{}: {chain}", file.display());
        assert_eq!(store.counts().unwrap(), before, "{}", file.display());
    }
    assert!(!missing.exists(), "a restore does not create its source");

    // And the good one restores.
    store.restore_from(&good).unwrap();
    assert_eq!(store.counts().unwrap().films, 7);
}

#[test]
fn a_restore_is_refused_from_the_live_database_itself() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("a");
    let mut store = store_with(&dir, 1);
    let err = store
        .restore_from(&dir.join(kinograph_store::SQLITE_FILE))
        .unwrap_err();
    assert!(err.to_string().contains("live database"), "{err}");
    assert_eq!(store.counts().unwrap().films, 1);
}

#[test]
fn after_a_restore_every_search_index_following_the_store_rebuilds() {
    let work = tempfile::tempdir().unwrap();
    // A store far along its change log, and a backup of one near its start.
    let mut store = store_with(&work.path().join("a"), 40);
    let followed = store.search_log_head().unwrap();
    let file = backup_file(work.path());
    store_with(&work.path().join("small"), 1)
        .backup_to(&file)
        .unwrap();
    store.restore_from(&file).unwrap();
    // An index that had applied everything of the old store is told to rebuild.
    let changes = store.search_changes(followed, 100).unwrap();
    assert!(changes.rebuild, "{changes:?}");
    assert!(changes.upto > followed);
}
