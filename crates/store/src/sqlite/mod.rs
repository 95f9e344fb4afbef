//! The embedded backend: one SQLite file in the data folder, in WAL mode, its schema versioned
//! by `PRAGMA user_version` through `rusqlite_migration`.

pub(crate) mod backup;
pub(crate) mod batch;
pub(crate) mod ceremonies;
pub(crate) mod diary;
pub(crate) mod editorial;
pub(crate) mod essays;
pub(crate) mod names;
pub(crate) mod read;
pub(crate) mod search;
pub(crate) mod write;

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
    pub(crate) conn: Connection,
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
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        migrate(&mut conn, path)?;
        restore_indexes(&conn, IndexWait::No)?;
        Ok(SqliteBackend { conn })
    }
}

/// The secondary indexes a bulk load may drop and build again at its end
/// ([`Backend::defer_indexes`]): each is kept up row by row with a random-order B-tree
/// insertion, which at IMDb scale costs more than sorting once, and none is read by an import's
/// own lookups. Each statement is the one its migration ran, so a rebuilt index is the same index
/// (a test checks this).
///
/// [`Backend::defer_indexes`]: crate::Backend::defer_indexes
const DEFERRABLE_INDEXES: &[(&str, &str)] = &[
    (
        "credits_person",
        "CREATE INDEX credits_person ON credits (person_pk)",
    ),
    (
        "films_title_key",
        "CREATE INDEX films_title_key ON films (title_key)",
    ),
    (
        "people_name_key",
        "CREATE INDEX people_name_key ON people (name_key)",
    ),
    (
        "aliases_name_key",
        "CREATE INDEX aliases_name_key ON aliases (name_key)",
    ),
];

/// Whether [`restore_indexes`] waits for a bulk load that holds the write lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IndexWait {
    /// At open: an index a running load has dropped is its to build; reads are correct without
    /// it, only slower, and the open must not wait for the load.
    No,
    /// At the end of a bulk load.
    Yes,
}

/// Builds the deferrable indexes that are missing: at the end of a bulk load, and at every open,
/// so that a load killed half-way leaves a catalog whose indexes are back at its next open.
fn restore_indexes(conn: &Connection, wait: IndexWait) -> Result<()> {
    for (name, create) in DEFERRABLE_INDEXES {
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
            [name],
            |row| row.get(0),
        )?;
        if exists {
            continue;
        }
        tracing::info!(index = name, "building a catalog index");
        let built = if wait == IndexWait::No {
            // Without waiting: the lock is held by the load that dropped the index.
            conn.busy_timeout(std::time::Duration::ZERO)?;
            let built = conn.execute_batch(create);
            conn.busy_timeout(BUSY_TIMEOUT)?;
            built
        } else {
            conn.execute_batch(create)
        };
        match built {
            Ok(()) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if wait == IndexWait::No
                    && matches!(
                        e.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// How long a statement waits for another connection's write lock.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

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

    fn defer_indexes(&mut self) -> Result<()> {
        let tx = write_transaction(&mut self.conn)?;
        for (name, _) in DEFERRABLE_INDEXES {
            tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
        tx.commit()?;
        Ok(())
    }

    fn restore_indexes(&mut self) -> Result<()> {
        restore_indexes(&self.conn, IndexWait::Yes)
    }

    fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    fn try_claim(&mut self, _job: crate::Job) -> Result<bool> {
        Ok(true)
    }

    fn backup_to(&self, dest: &Path) -> Result<u64> {
        SqliteBackend::backup_to(self, dest)
    }

    fn restore_from(&mut self, source: &Path) -> Result<()> {
        SqliteBackend::restore_from(self, source)
    }
}

pub(crate) use crate::columns::{json_list, to_json_list};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    fn index_sql(conn: &Connection, name: &str) -> Option<String> {
        conn.query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
            [name],
            |row| row.get(0),
        )
        .ok()
    }

    #[test]
    fn deferrable_indexes_are_the_migrations_own() {
        let backend = SqliteBackend::open_in_memory().unwrap();
        for (name, create) in DEFERRABLE_INDEXES {
            assert_eq!(index_sql(&backend.conn, name).as_deref(), Some(*create));
        }
    }

    #[test]
    fn deferred_indexes_come_back_at_the_end_and_at_open() {
        use crate::Backend;
        let dir = tempfile::tempdir().unwrap();
        let mut backend =
            SqliteBackend::open(dir.path(), crate::OpenMode::CreateIfMissing).unwrap();
        backend.defer_indexes().unwrap();
        for (name, _) in DEFERRABLE_INDEXES {
            assert_eq!(index_sql(&backend.conn, name), None, "{name} dropped");
        }
        backend.restore_indexes().unwrap();
        for (name, create) in DEFERRABLE_INDEXES {
            assert_eq!(index_sql(&backend.conn, name).as_deref(), Some(*create));
        }
        // A load killed before its end: the next open builds them.
        backend.defer_indexes().unwrap();
        drop(backend);
        let reopened = SqliteBackend::open(dir.path(), crate::OpenMode::ExistingOnly).unwrap();
        for (name, create) in DEFERRABLE_INDEXES {
            assert_eq!(index_sql(&reopened.conn, name).as_deref(), Some(*create));
        }
    }
}
