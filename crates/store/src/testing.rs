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
    connect(url)?.batch_execute(&format!("CREATE SCHEMA {schema}"))?;
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{separator}options=-csearch_path%3D{schema}"))
}

/// The URL of a new schema in the database at `url` holding a copy of the store at `template`
/// (a URL [`fresh_schema_url`] gave): every row, and key sequences that go on after the copied
/// keys. A store seeded once can so serve many tests that each need it untouched.
pub fn copy_schema_url(url: &str, template: &str) -> Result<String> {
    let source: String = connect(template)?
        .query_one("SELECT current_schema()", &[])?
        .get(0);
    let copy = fresh_schema_url(url)?;
    // Opening the store creates its tables.
    drop(Store::open_postgres(&copy)?);
    let mut client = connect(&copy)?;
    let mut tx = client.transaction()?;
    // One round trip per step: a copy is made for every test that needs a seeded store.
    // The schema's order, which its foreign keys allow.
    let rows: String = crate::postgres::copy::tables()
        .iter()
        .map(|table| format!("INSERT INTO {table} SELECT * FROM {source}.{table};\n"))
        .collect();
    tx.batch_execute(&rows)?;
    // Key sequences go on after the copied keys. Which columns have one is the same in every
    // schema, and the catalogs grow with every test's schema: they are read once.
    static SERIALS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let serials = match SERIALS.get() {
        Some(serials) => serials,
        None => {
            let found = tx
                .query(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns
                     WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'",
                    &[],
                )?
                .iter()
                .map(|row| (row.get(0), row.get(1)))
                .collect();
            SERIALS.get_or_init(|| found)
        }
    };
    let sequences: String = serials
        .iter()
        .map(|(table, column)| {
            format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                               coalesce(max({column}), 0) + 1, false) FROM {table};\n"
            )
        })
        .collect();
    tx.batch_execute(&sequences)?;
    tx.commit()?;
    Ok(copy)
}

/// Every row the PostgreSQL test store at `url` holds, as text: for tests that look for what
/// must never be stored (in SQLite they read the database file).
pub fn stored_text(url: &str) -> Result<String> {
    let mut client = connect(url)?;
    let mut text = String::new();
    for table in crate::postgres::copy::tables() {
        for row in client.query(&format!("SELECT {table}::text FROM {table}"), &[])? {
            text.push_str(row.get(0));
            text.push('\n');
        }
    }
    Ok(text)
}

fn connect(url: &str) -> Result<::postgres::Client> {
    ::postgres::Client::connect(url, ::postgres::NoTls).map_err(|source| Error::Connect {
        location: url.to_string(),
        source,
    })
}
