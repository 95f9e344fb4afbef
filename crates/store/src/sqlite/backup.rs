//! Copies of the whole database: an online backup to a new file, and a restore from one.
//!
//! A backup is `VACUUM INTO` a temporary file beside the target, renamed into place once it is
//! complete and on disk: it is one read transaction, so servers and imports go on while it runs,
//! and the copy is a consistent snapshot, compacted, in one file (no write-ahead log beside it).
//! A restore checks the file first (a SQLite database holding a Kinograph catalog, undamaged,
//! of a schema this build knows), then copies it over the live database with SQLite's backup
//! API in one step, under the database's write lock: other connections see the old catalog or
//! the new one, never a mixture.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, IndexWait, MIGRATION_SQL, SqliteBackend, migrate, restore_indexes};
use crate::{Error, Result};

/// The temporary file a backup is written to before it takes the target's name: hidden, beside
/// the target (so the rename stays on one file system), and named after this process.
fn partial_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
    dest.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::File {
        path: path.to_path_buf(),
        source,
    }
}

impl SqliteBackend {
    /// Writes a consistent copy of the database to the new file `dest`; an existing file is
    /// never overwritten. Returns the copy's size in bytes.
    pub(super) fn backup_to(&self, dest: &Path) -> Result<u64> {
        if dest.exists() {
            return Err(Error::Exists {
                path: dest.to_path_buf(),
            });
        }
        let partial = partial_path(dest);
        // SQLite takes the file name as text.
        let Some(partial_text) = partial.to_str() else {
            return Err(Error::File {
                path: dest.to_path_buf(),
                source: std::io::Error::other("the path is not valid UTF-8"),
            });
        };
        // A partial file of an earlier run of this process id is garbage.
        let _ = fs::remove_file(&partial);
        let written = self
            .conn
            .execute("VACUUM INTO ?1", [partial_text])
            .map_err(Error::from)
            .and_then(|_| {
                fs::File::open(&partial)
                    .and_then(|file| file.sync_all())
                    .map_err(file_error(&partial))
            })
            .and_then(|()| {
                // Checked again: the copy may have taken minutes.
                if dest.exists() {
                    return Err(Error::Exists {
                        path: dest.to_path_buf(),
                    });
                }
                fs::rename(&partial, dest).map_err(file_error(dest))
            });
        if let Err(e) = written {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
        let size = fs::metadata(dest).map_err(file_error(dest))?.len();
        Ok(size)
    }

    /// Replaces the whole database with the backup at `source`, after checking it. The search
    /// change log is then told to rebuild, at a position after any this database had reached,
    /// so every search index following it (a server's, another node's) rebuilds.
    pub(super) fn restore_from(&mut self, source: &Path) -> Result<()> {
        let same_file = self
            .conn
            .path()
            .and_then(|live| fs::canonicalize(live).ok())
            .is_some_and(|live| fs::canonicalize(source).is_ok_and(|s| s == live));
        if same_file {
            return Err(Error::NotABackup {
                path: source.to_path_buf(),
                reason: "it is the live database itself".into(),
            });
        }
        let src = check_backup(source)?;
        let head_before = self.log_head()?;
        copy_all(&src, &mut self.conn)?;
        drop(src);
        // The copy's own journal mode came with it; this database stays in WAL mode.
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        // A backup of an older Kinograph is brought up to this one's schema, and one taken in
        // the middle of a bulk load gets the indexes the load had dropped.
        migrate(&mut self.conn, source)?;
        restore_indexes(&self.conn, IndexWait::Yes)?;
        let head = head_before.max(self.log_head()?);
        self.conn.execute(
            "INSERT INTO search_changes (seq, entity_kind, entity_pk) VALUES (?1, ?2, 0)",
            rusqlite::params![head + 1, super::search::REBUILD_MARKER],
        )?;
        Ok(())
    }

    fn log_head(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM search_changes",
            [],
            |r| r.get(0),
        )?)
    }
}

/// Opens `source` read-only and checks that it is a whole Kinograph database this build can
/// read; the reason it is not is the error.
fn check_backup(source: &Path) -> Result<Connection> {
    let not_a_backup = |reason: String| Error::NotABackup {
        path: source.to_path_buf(),
        reason,
    };
    let meta = fs::metadata(source).map_err(file_error(source))?;
    if !meta.is_file() {
        return Err(not_a_backup("not a file".into()));
    }
    let src = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_a_backup(e.to_string()))?;
    // The first read is where SQLite finds out that a file is not a database, or a damaged one.
    let version: u32 = src
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                not_a_backup(format!("not a SQLite database ({e})"))
            }
            _ => not_a_backup(format!("damaged ({e})")),
        })?;
    let catalog: bool = src
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'films')",
            [],
            |row| row.get(0),
        )
        .map_err(|e| not_a_backup(e.to_string()))?;
    if version == 0 || !catalog {
        return Err(not_a_backup(
            "a SQLite database, but not a Kinograph catalog".into(),
        ));
    }
    let supported = u32::try_from(MIGRATION_SQL.len()).unwrap_or(u32::MAX);
    if version > supported {
        return Err(Error::SchemaTooNew {
            path: source.to_path_buf(),
            found: version,
            supported,
        });
    }
    let check: String = src
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(|e| not_a_backup(format!("damaged ({e})")))?;
    if check != "ok" {
        return Err(not_a_backup(format!("damaged ({check})")));
    }
    Ok(src)
}

/// Copies every page of `src` over `dest` in one step, waiting while another connection holds
/// `dest`'s lock (up to the busy timeout).
fn copy_all(src: &Connection, dest: &mut Connection) -> Result<()> {
    let started = Instant::now();
    let backup = Backup::new(src, dest)?;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked if started.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(50));
            }
            // Busy past the timeout, or a state this SQLite binding may add later.
            _ => {
                return Err(Error::Conflict(
                    "the catalog stayed busy: another process held its write lock; try again when it is done"
                        .into(),
                ));
            }
        }
    }
}
