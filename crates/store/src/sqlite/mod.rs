//! The embedded backend: one SQLite file in the data folder, in WAL mode, its schema versioned
//! by `PRAGMA user_version` through `rusqlite_migration`.

mod batch;
mod ceremonies;
mod diary;
mod editorial;
mod essays;
mod names;
mod read;
mod search;
mod write;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

use crate::{Backend, CatalogWrite, Error, OpenMode, Result, SQLITE_FILE};

/// Schema versions, oldest first; a version is never edited once released, only followed.
const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_catalog.sql"),
    include_str!("migrations/0002_search_changes.sql"),
    include_str!("migrations/0003_essays.sql"),
    include_str!("migrations/0004_publishing.sql"),
    include_str!("migrations/0005_essay_search.sql"),
    include_str!("migrations/0006_diary.sql"),
    include_str!("migrations/0007_imdb_titles.sql"),
    include_str!("migrations/0008_title_index.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect())
}

pub(crate) struct SqliteBackend {
    conn: Connection,
}

impl SqliteBackend {
    pub(crate) fn open(data_dir: &Path, mode: OpenMode) -> Result<Self> {
        let path = data_dir.join(SQLITE_FILE);
        let dir_error = |source| Error::DataDir {
            path: data_dir.to_path_buf(),
            source,
        };
        // A path that exists but is not a folder is reported as such, not as "no catalog here":
        // that would send the user to `kinograph demo`, which cannot create a folder there either.
        let exists = match fs::metadata(data_dir) {
            Ok(meta) if meta.is_dir() => true,
            Ok(_) => return Err(dir_error(io::Error::other("not a folder"))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(dir_error(e)),
        };
        match mode {
            OpenMode::CreateIfMissing if !exists => {
                fs::create_dir_all(data_dir).map_err(dir_error)?;
            }
            OpenMode::ExistingOnly if !exists || !path.exists() => {
                return Err(Error::NoCatalog {
                    path: data_dir.to_path_buf(),
                });
            }
            OpenMode::CreateIfMissing | OpenMode::ExistingOnly => {}
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if mode == OpenMode::CreateIfMissing {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let open_error = |source| Error::Open {
            path: path.clone(),
            source,
        };
        let conn = Connection::open_with_flags(&path, flags).map_err(open_error)?;
        Self::prepare(conn, &path)
    }

    pub(crate) fn open_in_memory() -> Result<Self> {
        Self::prepare(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn prepare(mut conn: Connection, path: &Path) -> Result<Self> {
        let open_error = |source| Error::Open {
            path: path.to_path_buf(),
            source,
        };
        // The first statement is where SQLite finds out that a file is not a database.
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_error)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_error)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_error)?;
        // SQLite's default page cache is 2 MB: at IMDb scale every index probe became a read
        // system call. The cache grows only as pages are used; the map is address space, not
        // memory, and lets reads skip the copy.
        conn.pragma_update(None, "cache_size", CACHE_KIB)
            .map_err(open_error)?;
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)
            .map_err(open_error)?;
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(open_error)?;
        // Checkpoint the write-ahead log every 32 MB rather than every 4 MB: a page written by
        // several transactions in between is copied to the database once.
        conn.pragma_update(None, "wal_autocheckpoint", 8192)
            .map_err(open_error)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_error)?;
        migrate(&mut conn, path)?;
        Ok(SqliteBackend { conn })
    }
}

/// The page cache of each connection, as SQLite wants it: negative kibibytes (64 MB).
const CACHE_KIB: i64 = -65_536;
/// How much of the database file each connection maps into memory (1 GB).
const MMAP_BYTES: i64 = 1 << 30;

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let supported = u32::try_from(MIGRATION_SQL.len()).unwrap_or(u32::MAX);
    if found > supported {
        return Err(Error::SchemaTooNew {
            path: PathBuf::from(path),
            found,
            supported,
        });
    }
    migrations().to_latest(conn)?;
    Ok(())
}

/// A transaction that will write, begun IMMEDIATE: it takes the write lock at its start,
/// waiting for it through the busy timeout. A deferred one reads first and asks for the lock at
/// its first write; if another connection holds it then, SQLite answers SQLITE_BUSY at once
/// (waiting could deadlock a reader turned writer), so concurrent writers (a server's requests,
/// an import beside a server) failed instead of taking turns.
fn write_transaction(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

impl Backend for SqliteBackend {
    fn write_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn CatalogWrite) -> Result<()>,
    ) -> Result<()> {
        let tx = write_transaction(&mut self.conn)?;
        batch(&mut write::SqliteWriter::new(&tx))?;
        tx.commit()?;
        Ok(())
    }

    fn edit_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn crate::EditorialWrite) -> Result<()>,
    ) -> Result<()> {
        let tx = write_transaction(&mut self.conn)?;
        batch(&mut editorial::EditorialWriter::new(&tx))?;
        tx.commit()?;
        Ok(())
    }

    fn diary_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn crate::DiaryWrite) -> Result<()>,
    ) -> Result<()> {
        let tx = write_transaction(&mut self.conn)?;
        batch(&mut diary::DiaryWriter::new(&tx))?;
        tx.commit()?;
        Ok(())
    }

    fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

/// Reads a JSON array of strings stored in a text column.
fn json_list(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt {
        what: "JSON list column",
        detail: e.to_string(),
    })
}

fn to_json_list(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}
