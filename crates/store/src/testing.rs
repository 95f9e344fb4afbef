//! Stores for tests, on the backend the test run asks for: the embedded SQLite by default, or
//! PostgreSQL when `KINOGRAPH_TEST_DATABASE_URL` names a database (as `.ci/run` does with a
//! throw-away cluster, `scripts/pg-throwaway`). Each PostgreSQL store lives in a schema of its
//! own, so tests running side by side never see each other's rows.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::{Database, Error, Result, Store};

/// The variable naming the PostgreSQL database tests run against.
pub const DATABASE_URL_VAR: &str = "KINOGRAPH_TEST_DATABASE_URL";

/// The PostgreSQL database tests should use, if the run names one.
pub fn postgres_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A new, empty store: in memory, or in a fresh schema of the test database.
pub fn fresh_store() -> Result<Store> {
    match postgres_url() {
        Some(url) => Store::open_postgres(&fresh_schema_url(&url)?),
        None => Store::open_in_memory(),
    }
}

/// Where a test's instance keeps its store: a fresh schema of the test database, or the SQLite
/// database in `data_dir`.
pub fn fresh_database(data_dir: &Path) -> Result<Database> {
    Ok(match postgres_url() {
        Some(url) => Database::Postgres(fresh_schema_url(&url)?),
        None => Database::Sqlite(data_dir.to_path_buf()),
    })
}

/// The URL of a new, empty schema in the database at `url`: its connections find only that
/// schema's tables (through `search_path`).
pub fn fresh_schema_url(url: &str) -> Result<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!(
        "test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut client =
        ::postgres::Client::connect(url, ::postgres::NoTls).map_err(|source| Error::Connect {
            location: url.to_string(),
            source,
        })?;
    client.batch_execute(&format!("CREATE SCHEMA {schema}"))?;
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{separator}options=-csearch_path%3D{schema}"))
}
