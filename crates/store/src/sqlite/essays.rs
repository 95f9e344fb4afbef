//! Essays in SQLite, as the catalog reads them: by slug, or the published ones newest first
//! (the editorial workflow writes them: `editorial.rs`).

use chrono::NaiveDate;
use kinograph_catalog::{EssayMention, EssayRecord, EssaySummary, Provenance};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{SqliteBackend, json_list};
use crate::{Error, EssayFilter, Result};

pub(crate) fn parse_date(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.map(|d| {
        NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|e| Error::Corrupt {
            what: "essay publication date",
            detail: format!("{d}: {e}"),
        })
    })
    .transpose()
}

/// The columns of a summary, in the order [`summary_row`] reads them.
pub(crate) const SUMMARY_COLUMNS: &str =
    "e.slug, e.title, e.subtitle, e.author, e.tags, e.published";

pub(crate) type SummaryRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
);

fn summary_row(r: &Row<'_>) -> rusqlite::Result<SummaryRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

pub(crate) fn summary(
    (slug, title, subtitle, author, tags, published): SummaryRow,
) -> Result<EssaySummary> {
    Ok(EssaySummary {
        slug,
        title,
        subtitle,
        author,
        tags: json_list(&tags)?,
        published: parse_date(published)?,
    })
}

impl SqliteBackend {
    fn essay_in(conn: &Connection, slug: &str) -> Result<Option<EssayRecord>> {
        let found = conn
            .prepare_cached(&format!(
                "SELECT e.pk, e.body, e.dataset, e.locator, e.citation, {SUMMARY_COLUMNS}
                 FROM essays e WHERE e.slug = ?1"
            ))?
            .query_row([slug], |r| {
                let pk: i64 = r.get(0)?;
                let body: String = r.get(1)?;
                let source = Provenance {
                    dataset: r.get(2)?,
                    locator: r.get(3)?,
                    citation: r.get(4)?,
                };
                let columns = (
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                );
                Ok((pk, body, source, columns))
            })
            .optional()?;
        let Some((pk, body, source, columns)) = found else {
            return Ok(None);
        };
        let summary = summary(columns)?;
        let mentions = conn
            .prepare_cached(
                "SELECT entity_kind, entity_id FROM essay_mentions WHERE essay_pk = ?1
                 ORDER BY entity_kind, entity_id",
            )?
            .query_map([pk], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .map(|row| {
                let (kind, id) = row?;
                let kind = kind.parse().map_err(|detail| Error::Corrupt {
                    what: "essay mention kind",
                    detail,
                })?;
                Ok(EssayMention { kind, id })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(EssayRecord {
            slug: summary.slug,
            title: summary.title,
            subtitle: summary.subtitle,
            author: summary.author,
            tags: summary.tags,
            published: summary.published,
            body,
            mentions,
            source,
        }))
    }

    pub(super) fn read_essay(&self, slug: &str) -> Result<Option<EssayRecord>> {
        Self::essay_in(&self.conn, slug)
    }

    pub(super) fn read_essays(&self, filter: &EssayFilter) -> Result<Vec<EssaySummary>> {
        let limit = i64::from(filter.limit.max(1));
        let rows = match &filter.mentioning {
            None => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {SUMMARY_COLUMNS} FROM essays e WHERE e.state IN ('published', 'corrected')
                     ORDER BY e.published DESC, e.slug LIMIT ?1"
                ))?
                .query_map([limit], summary_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            Some(id) => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {SUMMARY_COLUMNS} FROM essays e
                     WHERE e.state IN ('published', 'corrected')
                       AND e.pk IN (SELECT essay_pk FROM essay_mentions WHERE entity_id = ?1)
                     ORDER BY e.published DESC, e.slug LIMIT ?2"
                ))?
                .query_map(params![id, limit], summary_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        rows.into_iter().map(summary).collect()
    }
}
