//! The server backend: one PostgreSQL database that several `kinograph serve` nodes share. The
//! same tables as SQLite (`migrations/`), the same behaviour: every `Store` test runs against
//! both (see `crate::testing`).
//!
//! Conventions of the modules below, which mirror `crate::sqlite`'s file for file:
//! - SQL takes `$1, $2…` parameters; every integer column is BIGINT (`i64` in Rust), every flag
//!   BOOLEAN, dates TEXT in the same ISO forms as SQLite, JSON lists TEXT.
//! - Functions that run SQL take `client: &mut impl Sql`, so the same code runs on the pooled
//!   connection (reads) and inside a batch's transaction (writes), and each statement is
//!   prepared once per connection ([`Sql`]).
//! - A read method locks the connection once ([`PgBackend::client`]) and passes the guard down;
//!   nothing called while it is held locks it again.

mod batch;
mod ceremonies;
pub(crate) mod copy;
mod diary;
mod editorial;
mod essays;
mod names;
mod read;
mod search;
mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use postgres::types::{BorrowToSql, ToSql};
use postgres::{Client, GenericClient, NoTls, Row, RowIter, Statement, Transaction};

use crate::{Backend, CatalogWrite, Error, Result};

/// Schema versions this build knows, oldest first, each the SQL that brings the schema to it.
/// PostgreSQL support began at version 8, SQLite's version at the time, with the whole schema
/// in one step; every later version comes in a pair, one here and one beside SQLite's, so both
/// backends are always at the same version (`kinograph migrate` relies on it).
const MIGRATIONS: &[(u32, &str)] = &[(8, include_str!("migrations/0008_schema.sql"))];

/// The newest schema version this build knows.
fn supported_version() -> u32 {
    MIGRATIONS.last().map_or(0, |(version, _)| *version)
}

/// Advisory locks (`pg_advisory_lock`), one per kind of work that must not run twice at once
/// across nodes. Each is the pair (kind, a hash of the schema's name), so instances kept in
/// different schemas of one database (tests do) never wait for each other.
pub(crate) mod locks {
    /// Held while the schema is migrated: nodes starting together migrate once.
    pub(crate) const MIGRATE: i32 = 0x4B49_0001;
    /// Held by every transaction that appends to the search change log, from its first
    /// statement to its commit: positions then commit in order, so a node that has read
    /// position N can never later find a smaller one appear (a sequence alone hands out
    /// numbers in one order and commits them in another).
    pub(crate) const CHANGE_LOG: i32 = 0x4B49_0002;
    /// Held by a catalog import for its whole run ([`crate::Job::Import`]).
    pub(crate) const IMPORT: i32 = 0x4B49_0003;

    /// Waits for lock `kind` until the transaction ends.
    pub(crate) const XACT_LOCK: &str =
        "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))";
    /// Takes lock `kind` for the session if it is free; answers whether it did.
    pub(crate) const TRY_SESSION_LOCK: &str =
        "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))";
    /// Releases every session lock the connection holds.
    pub(crate) const RELEASE_SESSION_LOCKS: &str = "SELECT pg_advisory_unlock_all()";
}

pub(crate) struct PgBackend {
    client: Mutex<Connection>,
    /// The database, password left out, for messages.
    location: String,
    /// Whether this connection holds a job's session lock ([`Backend::try_claim`]).
    claimed: bool,
}

impl Drop for PgBackend {
    /// Releases the jobs this store claimed before the connection closes. The server would
    /// release them too, but only once the backend process behind the connection has noticed
    /// it closed and exited: a command run right after this one could find them still held.
    fn drop(&mut self) {
        if self.claimed {
            // Best effort: if it fails, the server releases them when the backend exits.
            let _ = self
                .client_mut()
                .client
                .batch_execute(locks::RELEASE_SESSION_LOCKS);
        }
    }
}

impl PgBackend {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`, or
    /// libpq's `key=value` form) and brings its schema up to date.
    pub(crate) fn open(url: &str) -> Result<Self> {
        let location = redact(url);
        let mut client = Client::connect(url, NoTls).map_err(|source| Error::Connect {
            location: location.clone(),
            source,
        })?;
        migrate(&mut client, &location)?;
        // Statements are prepared once per connection ([`Statements`]), and PostgreSQL would
        // after a few runs plan each once for all values; an import's first runs see empty
        // tables, whose one plan is a sequential scan, kept as they grow to millions of rows.
        // Planned for each run's values instead, a lookup stays an index probe.
        client.batch_execute("SET plan_cache_mode = force_custom_plan")?;
        Ok(PgBackend {
            client: Mutex::new(Connection {
                client,
                statements: Statements::default(),
            }),
            location,
            claimed: false,
        })
    }

    pub(crate) fn location(&self) -> &str {
        &self.location
    }

    /// The connection, for one read. A panic while it was held leaves no state behind that a
    /// later read could trip on (every batch is its own transaction), so a poisoned lock is
    /// taken over.
    pub(super) fn client(&self) -> MutexGuard<'_, Connection> {
        self.client.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn client_mut(&mut self) -> &mut Connection {
        self.client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// One connection and the statements prepared on it.
pub(super) struct Connection {
    client: Client,
    statements: Statements,
}

impl Connection {
    /// Begins a transaction that shares the connection's prepared statements.
    fn transaction(&mut self) -> Result<Tx<'_>> {
        Ok(Tx {
            tx: self.client.transaction()?,
            statements: &mut self.statements,
        })
    }
}

/// A transaction on a [`Connection`], with its prepared statements.
pub(super) struct Tx<'c> {
    tx: Transaction<'c>,
    statements: &'c mut Statements,
}

impl Tx<'_> {
    fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

/// The statements prepared on one connection, by their SQL. Each is parsed by the server once
/// rather than on every call, which also saves a round trip per call: bulk writes run thousands
/// of the same few statements. Prepared statements belong to the session, not to a
/// transaction, so a rolled-back batch leaves them usable.
#[derive(Default)]
pub(super) struct Statements(HashMap<String, Statement>);

impl Statements {
    /// Enough for every fixed statement; SQL built per call (filters, `IN` lists) could grow the
    /// cache without end, so past this it starts again.
    const CAPACITY: usize = 512;

    fn get(
        &mut self,
        client: &mut impl GenericClient,
        sql: &str,
    ) -> std::result::Result<Statement, postgres::Error> {
        if let Some(statement) = self.0.get(sql) {
            return Ok(statement.clone());
        }
        let statement = client.prepare(sql)?;
        if self.0.len() >= Self::CAPACITY {
            self.0.clear();
        }
        self.0.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

/// What runs SQL: a [`Connection`] or a [`Tx`] on one. The methods are `GenericClient`'s,
/// taking SQL text, and go through the connection's [`Statements`].
pub(super) trait Sql {
    type Client: GenericClient;

    fn parts(&mut self) -> (&mut Self::Client, &mut Statements);

    /// Runs `run` with the prepared form of `sql`.
    fn prepared<T>(
        &mut self,
        sql: &str,
        run: impl FnOnce(&mut Self::Client, &Statement) -> std::result::Result<T, postgres::Error>,
    ) -> std::result::Result<T, postgres::Error> {
        let (client, statements) = self.parts();
        let statement = statements.get(client, sql)?;
        run(client, &statement)
    }

    fn execute(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> std::result::Result<u64, postgres::Error> {
        self.prepared(sql, |client, statement| client.execute(statement, params))
    }

    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> std::result::Result<Vec<Row>, postgres::Error> {
        self.prepared(sql, |client, statement| client.query(statement, params))
    }

    fn query_one(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> std::result::Result<Row, postgres::Error> {
        self.prepared(sql, |client, statement| client.query_one(statement, params))
    }

    fn query_opt(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> std::result::Result<Option<Row>, postgres::Error> {
        self.prepared(sql, |client, statement| client.query_opt(statement, params))
    }

    /// Rows as they arrive, not collected.
    fn query_raw<P, I>(
        &mut self,
        sql: &str,
        params: I,
    ) -> std::result::Result<RowIter<'_>, postgres::Error>
    where
        P: BorrowToSql,
        I: IntoIterator<Item = P>,
        I::IntoIter: ExactSizeIterator,
    {
        let (client, statements) = self.parts();
        let statement = statements.get(client, sql)?;
        client.query_raw(&statement, params)
    }

    /// Statements without parameters, run as they are (DDL, several at once).
    fn batch_execute(&mut self, sql: &str) -> std::result::Result<(), postgres::Error> {
        self.parts().0.batch_execute(sql)
    }
}

impl Sql for Connection {
    type Client = Client;

    fn parts(&mut self) -> (&mut Client, &mut Statements) {
        (&mut self.client, &mut self.statements)
    }
}

impl<'c> Sql for Tx<'c> {
    type Client = Transaction<'c>;

    fn parts(&mut self) -> (&mut Transaction<'c>, &mut Statements) {
        (&mut self.tx, self.statements)
    }
}

/// `url` without its password.
fn redact(url: &str) -> String {
    // postgres://user:secret@host/db → postgres://user@host/db
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((credentials, host)) = rest.split_once('@')
    {
        let user = credentials.split(':').next().unwrap_or_default();
        return format!("{scheme}://{user}@{host}");
    }
    // key=value form: drop a password=… pair.
    url.split_whitespace()
        .filter(|pair| !pair.starts_with("password="))
        .collect::<Vec<_>>()
        .join(" ")
}

fn migrate(client: &mut Client, location: &str) -> Result<()> {
    let mut tx = client.transaction()?;
    // Several nodes may start at once: the first migrates, the others wait and find it done.
    tx.execute(locks::XACT_LOCK, &[&locks::MIGRATE])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS kinograph_schema (version BIGINT NOT NULL)")?;
    let found: Option<i64> = tx
        .query_opt("SELECT max(version) FROM kinograph_schema", &[])?
        .and_then(|row| row.get(0));
    let found = u32::try_from(found.unwrap_or(0)).unwrap_or(u32::MAX);
    let supported = supported_version();
    if found > supported {
        return Err(Error::SchemaTooNew {
            path: PathBuf::from(location),
            found,
            supported,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(version, _)| *version > found) {
        tracing::info!(version, "migrating the PostgreSQL schema");
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO kinograph_schema (version) VALUES ($1)",
            &[&i64::from(*version)],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Takes the change log's lock for the rest of the transaction (see [`locks::CHANGE_LOG`]).
fn lock_change_log(client: &mut impl Sql) -> Result<()> {
    client.execute(locks::XACT_LOCK, &[&locks::CHANGE_LOG])?;
    Ok(())
}

/// The secondary indexes a bulk load may drop and build again at its end, as in SQLite
/// (`crate::sqlite::DEFERRABLE_INDEXES`).
const DEFERRABLE_INDEXES: &[(&str, &str)] = &[
    (
        "credits_person",
        "CREATE INDEX IF NOT EXISTS credits_person ON credits (person_pk)",
    ),
    (
        "films_title_key",
        "CREATE INDEX IF NOT EXISTS films_title_key ON films (title_key)",
    ),
    (
        "people_name_key",
        "CREATE INDEX IF NOT EXISTS people_name_key ON people (name_key)",
    ),
    (
        "aliases_name_key",
        "CREATE INDEX IF NOT EXISTS aliases_name_key ON aliases (name_key)",
    ),
];

impl Backend for PgBackend {
    fn write_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn CatalogWrite) -> Result<()>,
    ) -> Result<()> {
        let mut tx = self.client_mut().transaction()?;
        lock_change_log(&mut tx)?;
        let mut writer = write::PgWriter::new(&mut tx);
        batch(&mut writer)?;
        writer.finish()?;
        tx.commit()?;
        Ok(())
    }

    fn edit_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn crate::EditorialWrite) -> Result<()>,
    ) -> Result<()> {
        let mut tx = self.client_mut().transaction()?;
        // Publishing an essay logs it for the search index.
        lock_change_log(&mut tx)?;
        batch(&mut editorial::EditorialWriter::new(&mut tx))?;
        tx.commit()?;
        Ok(())
    }

    fn diary_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn crate::DiaryWrite) -> Result<()>,
    ) -> Result<()> {
        let mut tx = self.client_mut().transaction()?;
        batch(&mut diary::DiaryWriter::new(&mut tx))?;
        tx.commit()?;
        Ok(())
    }

    fn defer_indexes(&mut self) -> Result<()> {
        let mut tx = self.client_mut().transaction()?;
        for (name, _) in DEFERRABLE_INDEXES {
            tx.batch_execute(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
        tx.commit()?;
        Ok(())
    }

    fn restore_indexes(&mut self) -> Result<()> {
        let client = self.client_mut();
        for (_, create) in DEFERRABLE_INDEXES {
            client.batch_execute(create)?;
        }
        Ok(())
    }

    fn schema_version(&self) -> Result<u32> {
        let version: Option<i64> = self
            .client()
            .query_one("SELECT max(version) FROM kinograph_schema", &[])?
            .get(0);
        Ok(u32::try_from(version.unwrap_or(0)).unwrap_or(u32::MAX))
    }

    fn try_claim(&mut self, job: crate::Job) -> Result<bool> {
        let key = match job {
            crate::Job::Import => locks::IMPORT,
        };
        // A session lock: it outlives transactions and goes with the connection. Taken again by
        // the same connection it stacks, so a store claims a job once.
        let claimed: bool = self
            .client_mut()
            .query_one(locks::TRY_SESSION_LOCK, &[&key])?
            .get(0);
        self.claimed |= claimed;
        Ok(claimed)
    }

    fn backup_to(&self, _dest: &Path) -> Result<u64> {
        Err(Error::Unsupported(
            "`kinograph backup` copies the embedded SQLite database; back up PostgreSQL with \
             pg_dump (see the README's deployment guide)"
                .into(),
        ))
    }

    fn restore_from(&mut self, _source: &Path) -> Result<()> {
        Err(Error::Unsupported(
            "`kinograph restore` restores the embedded SQLite database; restore PostgreSQL \
             with pg_restore (see the README's deployment guide)"
                .into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact("postgres://kino:secret@db.example:5432/films"),
            "postgres://kino@db.example:5432/films"
        );
        assert_eq!(
            redact("host=db user=kino password=secret dbname=films"),
            "host=db user=kino dbname=films"
        );
        assert_eq!(redact("postgres://db/films"), "postgres://db/films");
    }
}
