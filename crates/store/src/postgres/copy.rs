//! `kinograph migrate`: copies an embedded SQLite instance into an empty PostgreSQL database,
//! table by table through COPY, in one transaction (a failed copy leaves the database empty).
//! Both schemas have the same tables and columns at the same version, so the copy is generic:
//! each table's columns as PostgreSQL lists them, read from SQLite in that order, written as
//! COPY text. SQLite's 0/1 flags are valid BOOLEAN input.

use std::io::Write;
use std::path::Path;

use rusqlite::types::ValueRef;

use super::{MIGRATIONS, PgBackend};
use crate::sqlite::SqliteBackend;
use crate::{Error, OpenMode, Result};

/// What was copied of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    /// Rows in the SQLite table.
    pub source_rows: u64,
    /// Rows in the PostgreSQL table after the copy: equal, or the copy failed.
    pub copied_rows: u64,
}

/// The tables in the order the schema creates them, which is an order their foreign keys allow.
pub(crate) fn tables() -> Vec<String> {
    let mut tables = Vec::new();
    for (_, sql) in MIGRATIONS {
        for line in sql.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("CREATE TABLE ")
                && let Some(name) = rest.split_whitespace().next()
                && !tables.iter().any(|t| t == name)
            {
                tables.push(name.to_string());
            }
        }
    }
    tables
}

/// Copies the SQLite catalog in `data_dir` (migrated to the current schema first) into the
/// PostgreSQL database at `url`, which must hold no Kinograph rows yet. `progress` hears each
/// table's name and row count as it is copied.
pub fn copy_to_postgres(
    data_dir: &Path,
    url: &str,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<Vec<TableCopy>> {
    let source = SqliteBackend::open(data_dir, OpenMode::ExistingOnly)?;
    let mut target = PgBackend::open(url)?;
    // One-off statements: the raw client, without the statement cache.
    let client = &mut target.client_mut().client;
    let tables = tables();
    for table in &tables {
        let rows: i64 = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .get(0);
        if rows > 0 {
            return Err(Error::Conflict(format!(
                "the PostgreSQL database already holds Kinograph data ({rows} rows in {table}): \
                 migrate copies into an empty database only; nothing was copied"
            )));
        }
    }
    let mut tx = client.transaction()?;
    let mut copies = Vec::with_capacity(tables.len());
    for table in &tables {
        let columns = columns(&mut tx, table)?;
        let source_rows = copy_table(&source.conn, &mut tx, table, &columns)?;
        progress(table, source_rows);
        if columns.iter().any(|c| c == "pk" || c == "seq") {
            let key = if columns.iter().any(|c| c == "pk") {
                "pk"
            } else {
                "seq"
            };
            // The sequences go on after the copied keys.
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', '{key}'),
                                   coalesce(max({key}), 0) + 1, false) FROM {table}"
                ),
                &[],
            )?;
        }
        let copied: i64 = tx
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .get(0);
        copies.push(TableCopy {
            table: table.clone(),
            source_rows,
            copied_rows: u64::try_from(copied).unwrap_or(0),
        });
    }
    if let Some(short) = copies.iter().find(|c| c.copied_rows != c.source_rows) {
        return Err(Error::Corrupt {
            what: "migrated table",
            detail: format!(
                "{} has {} rows in SQLite but {} were copied; nothing was copied",
                short.table, short.source_rows, short.copied_rows
            ),
        });
    }
    // Every node's search index starts from the copied catalog: a rebuild entry after the
    // copied log makes each one index it whole rather than replay its history.
    tx.execute(
        "INSERT INTO search_changes (entity_kind, entity_pk) VALUES ($1, 0)",
        &[&crate::sqlite::search::REBUILD_MARKER],
    )?;
    tx.commit()?;
    Ok(copies)
}

/// A table's columns in PostgreSQL, in their order.
fn columns(client: &mut impl postgres::GenericClient, table: &str) -> Result<Vec<String>> {
    Ok(client
        .query(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
             ORDER BY ordinal_position",
            &[&table],
        )?
        .iter()
        .map(|row| row.get(0))
        .collect())
}

/// Streams one table from SQLite into PostgreSQL's COPY; returns the rows read.
fn copy_table(
    source: &rusqlite::Connection,
    target: &mut postgres::Transaction<'_>,
    table: &str,
    columns: &[String],
) -> Result<u64> {
    let list = columns.join(", ");
    let mut select = source.prepare(&format!("SELECT {list} FROM {table}"))?;
    let mut rows = select.query([])?;
    let mut writer = target.copy_in(&format!("COPY {table} ({list}) FROM STDIN"))?;
    let mut line = String::new();
    let mut count = 0u64;
    while let Some(row) = rows.next()? {
        line.clear();
        for (index, column) in columns.iter().enumerate() {
            if index > 0 {
                line.push('\t');
            }
            match row.get_ref(index)? {
                ValueRef::Null => line.push_str("\\N"),
                ValueRef::Integer(value) => line.push_str(&value.to_string()),
                ValueRef::Real(value) => line.push_str(&value.to_string()),
                ValueRef::Text(bytes) => {
                    let text = std::str::from_utf8(bytes).map_err(|e| Error::Corrupt {
                        what: "text column",
                        detail: format!("{table}.{column}: {e}"),
                    })?;
                    escape_into(&mut line, text);
                }
                ValueRef::Blob(_) => {
                    return Err(Error::Corrupt {
                        what: "column",
                        detail: format!("{table}.{column} holds binary data"),
                    });
                }
            }
        }
        line.push('\n');
        writer
            .write_all(line.as_bytes())
            .map_err(|e| Error::Corrupt {
                what: "COPY stream",
                detail: e.to_string(),
            })?;
        count += 1;
    }
    writer.finish()?;
    Ok(count)
}

/// `text` in COPY's text format: backslash, tab, newline and carriage return escaped.
fn escape_into(line: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => line.push_str("\\\\"),
            '\t' => line.push_str("\\t"),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            c => line.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_in_schema_order() {
        let tables = tables();
        let position = |name: &str| tables.iter().position(|t| t == name).unwrap();
        assert!(position("films") < position("credits"));
        assert!(position("users") < position("essays"));
        assert!(position("viewings") < position("viewing_likes"));
        assert!(!tables.iter().any(|t| t == "kinograph_schema"));
    }

    #[test]
    fn copy_text_escapes_its_separators() {
        let mut line = String::new();
        escape_into(&mut line, "a\tb\\c\nd\re");
        assert_eq!(line, "a\\tb\\\\c\\nd\\re");
    }
}
